"""Numbers the command line prints for a person: fixed notation at the precision shown, never an exponent and never
a negative zero (musculoskeletal.pose.fixed_text)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

#: A number written with an exponent (1e-05, -3.8E-05), or a negative zero as printed (-0, -0.0, -0.0000).
EXPONENT = re.compile(r"\d[eE][+-]?\d")
NEGATIVE_ZERO = re.compile(r"(?<![\w.])-0(?:\.0+)?(?![\d.])")


def printed_plainly(text: str) -> None:
    assert not EXPONENT.search(text), text
    assert not NEGATIVE_ZERO.search(text), text


def test_a_tiny_angle_in_measure_s_header_is_fixed_not_an_exponent(run_cli):
    """Before: "plantarflexion -1e-05°, knee flexion 1e-05°"."""
    code, out, err = run_cli("measure", "--plantarflexion", "-0.00001", "--knee-flexion", "0.00001")
    assert code == 0, err
    header = out.splitlines()[0]
    assert header.startswith("right leg, plantarflexion -0.00001°, knee flexion 0.00001°, subtalar inversion 0°"), out
    printed_plainly(out)


def test_an_angle_past_the_printed_precision_is_zero_not_minus_zero(run_cli):
    code, out, err = run_cli("measure", "--plantarflexion", "-0.0000001", "--inversion", "12.5")
    assert code == 0, err
    assert out.startswith("right leg, plantarflexion 0°, knee flexion 0°, subtalar inversion 12.5°, toe flexion 0°")
    printed_plainly(out)


def test_a_sweep_of_tiny_angles_prints_them_fixed_in_its_table(run_cli):
    """Before: the PF column read "-1e-05" and "1e-05"."""
    code, out, err = run_cli("measure", "--sweep", "ankle=-0.00001:0.00001:0.00001")
    assert code == 0, err
    angles = [line.split()[0] for line in out.splitlines()[2:]]
    assert set(angles) == {"-0.00001", "0", "0.00001"}, angles
    printed_plainly(out)


def test_a_sweep_table_keeps_its_columns_under_their_headings_whatever_the_angles_width(run_cli):
    """Before: -0.00001 and -0.000005 overflowed the six-character PF column and pushed the rest of their rows right,
    so the lengths and arms no longer stood under their headings."""
    code, out, err = run_cli("measure", "--sweep", "ankle=-0.00001:0.00001:0.000005", "--knee-flexion", "90")
    assert code == 0, err
    header, *rows = out.splitlines()[1:]
    knee, *ends = (header.index(word) + len(word) for word in ("knee °", "length", "ankle arm", "toes arm"))
    assert len(rows) == 5 * 13, out
    for row in rows:
        # Each right-aligned column ends where its heading ends; the muscle starts where "muscle" does.
        assert row[:knee].split()[-1] == "90", row
        assert row[header.index("muscle") - 1] == " " and row[header.index("muscle")] != " ", row
        for end in ends:
            assert row[end - 1] != " " and (end == len(row) or row[end] == " "), (row, end)


def test_measure_csv_writes_small_moment_arms_without_an_exponent(run_cli):
    """Before: a subtalar moment arm of -0.000038 m was written -3.8e-05 (ankle at 4° dorsiflexion, EHL)."""
    code, out, err = run_cli("measure", "--csv", "--sweep", "ankle=-30:40:1")
    assert code == 0, err
    printed_plainly(out)
    rows = list(csv.DictReader(io.StringIO(out)))
    small = [
        row[key] for row in rows for key in row if key.startswith("moment_arm") and 0 < abs(float(row[key])) < 1e-4
    ]
    assert small, "no moment arm below 0.0001 m in this sweep: the test no longer looks at what it is about"
    assert all(re.fullmatch(r"-?0\.0000\d+", value) for value in small), small
    assert rows[0]["plantarflexion"] == "-30.0" and rows[0]["length"] == "0.480931"  # the rest written as before


@pytest.mark.parametrize(
    ("sweep", "says"),
    [
        ("ankle=0:0.00003:0.00002", "steps of 0.00002° from 0 end at 0.00002, short of the stop 0.00003; a step of "
         "0.000015° (ankle=0:0.00003:0.000015) reaches it"),
        ("ankle=0:0.00001:0.000000000001", "take a step of at least 0.00000000101°"),
    ],
)  # fmt: skip
def test_sweep_messages_print_tiny_angles_fixed(run_cli, sweep, says):
    """Before: "steps of 2e-05° from 0 end at 2e-05, short of the stop 3e-05; a step of 1.5e-05°" and "at least
    1.01e-09°"."""
    code, _, err = run_cli("measure", "--sweep", sweep)
    assert code == (0 if "reaches it" in says else 2) and says in err, err
    printed_plainly(err)


def test_an_angle_from_a_view_file_just_past_its_range_is_named_fixed(run_cli, tmp_path):
    """Before: "knee flexion -1e-05° is out of range"."""
    state = tmp_path / "view.json"
    state.write_text(json.dumps({"pose": {"knee_flexion": -0.00001}}))
    code, _, err = run_cli("export", "--out", str(tmp_path / "leg.glb"), "--state", str(state))
    assert code == 2 and "knee flexion -0.00001° is out of range" in err, err
    printed_plainly(err)


def test_seconds_and_frames_in_movie_s_message_are_fixed(run_cli, tmp_path):
    """Before: "--seconds 1e-05 at --fps 10 is 0.0001 frames"."""
    code, _, err = run_cli("movie", "--out", str(tmp_path / "x.gif"), "--action", "soleus", "--seconds", "0.00001")
    assert code == 2 and "--seconds 0.00001 at --fps 25 is 0.00025 frames" in err, err
    printed_plainly(err)
