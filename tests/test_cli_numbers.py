"""Numbers on the command line: every numeric option takes what Python's float() or int() takes in ASCII digits
(whitespace round it, a sign, an exponent for a decimal) and refuses the rest in one line that says what to do."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from calfviewer.errors import CalfviewerError
from calfviewer.scene.movie import check_timing


def one_line_exit_2(code: int, err: str, *says: str) -> None:
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    for text in says:
        assert text in err, err


@pytest.mark.parametrize("seconds", ["2e-1", "2E-1", " 0.2 ", "+.2", "0.2e0", "20e-2"])
def test_movie_seconds_take_any_spelling_of_a_number(run_cli, tmp_path, seconds):
    """Before: ``--seconds 1e1`` was "not a number of seconds (digits 0-9 and a point)"; --plantarflexion took it."""
    out = tmp_path / "sweep.gif"
    code, _, err = run_cli(
        "movie", "--out", str(out), "--from", "0,0", "--to", "10,0", "--seconds", seconds, "--fps", "10",
        "--size", "64x64", "--quiet",
    )  # fmt: skip
    assert code == 0, err
    with Image.open(out) as gif:
        assert gif.n_frames == 2  # 0.2 s at 10 fps


@pytest.mark.parametrize("seconds", ["1e1", "1E+1", "10.", " 10", "+10", "100e-1"])
def test_seconds_take_the_spellings_a_pose_angle_takes(run_cli, seconds):
    """One reading for every decimal option (typed_numbers.py): --plantarflexion took 1e1 where --seconds did not."""
    assert check_timing(seconds, "10") == (10.0, 10)
    code, out, err = run_cli("measure", "--plantarflexion", seconds, "--json")
    assert code == 0 and json.loads(out)["pose"]["plantarflexion"] == 10.0, err


@pytest.mark.parametrize("fps", [" 10", "10 ", "\t10\n", "+10", "010"])
def test_fps_spelled_as_int_reads_it_is_the_number(fps):
    """Before: ``--fps +10`` was "not a whole number of frames per second"; int() takes it, as --scale does."""
    assert check_timing("1", fps) == (1.0, 10)


@pytest.mark.parametrize(
    ("seconds", "says"),
    [
        ("nan", "--seconds nan is not a finite number: give a length above 0, at most 600 seconds"),
        ("inf", "--seconds inf is not a finite number: give a length above 0, at most 600 seconds"),
        ("-Infinity", "--seconds -Infinity is not a finite number: give a length above 0, at most 600"),
        ("1e999", "--seconds 1e999 is out of range: above 0, at most 600"),
        ("-1e1", "--seconds -1e1 is out of range: above 0, at most 600"),
        ("0e5", "--seconds 0e5 is out of range: above 0, at most 600"),
        ("1e", "is not a number of seconds"),
        ("1_0", "is not a number of seconds"),
    ],
)
def test_seconds_not_finite_negative_or_not_a_number_are_one_line(run_cli, tmp_path, seconds, says):
    code, out, err = run_cli("movie", "--out", str(tmp_path / "x.gif"), "--action", "soleus", "--seconds", seconds)
    one_line_exit_2(code, err, says)
    assert out == "" and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fps", ["-5", "\u221210"])
def test_a_negative_fps_is_out_of_range_not_a_stranger(fps):
    with pytest.raises(CalfviewerError, match=r"--fps -\d+ is out of range: 1 to 60 frames per second"):
        check_timing("1", fps)


@pytest.mark.parametrize(
    ("seed", "refused"), [(" 5", "5.0"), ("5 ", "5e0"), ("\t5\n", "2147483648"), ("+5", "1_0"), ("005", "\uff15")]
)
def test_quiz_seed_spelled_as_int_reads_it_is_that_round(run_cli, seed, refused):
    """Before: ``quiz --seed " 5"`` was "' 5' is not a whole number from 0 to 2147483647". What int() refuses, or
    reads from other scripts' digits, and a seed past the range stay refused."""
    code, out, err = run_cli("quiz", "--seed", seed, "--json")
    assert code == 0, err
    assert json.loads(out) == json.loads(run_cli("quiz", "--seed", "5", "--json")[1])
    code, out, err = run_cli("quiz", "--seed", refused)
    one_line_exit_2(code, err, "is not a whole number from 0 to 2147483647")
    assert out == ""
