"""``calfviewer measure --sweep ... --csv`` and ``measure --csv``: the numbers ``measure --json`` prints for each
pose, as CSV rows, and one-line errors for sweeps that cannot be run.

Every expected value comes from ``measure --json`` run at that pose, never from the sweep code.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

MUSCLE_FIELDS = ("id", "name", "length", "moment_arm_ankle", "moment_arm_knee")


def _measure_json(run_cli, plantarflexion: float, knee: float, *extra: str) -> dict:
    code, out, err = run_cli(
        "measure", "--plantarflexion", str(plantarflexion), "--knee-flexion", str(knee), "--json", *extra
    )
    assert code == 0, err
    return json.loads(out)


def _csv(out: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(out)))


@pytest.mark.parametrize(
    ("spec", "joint", "angles", "held"),
    [
        ("ankle=-30:40:5", "plantarflexion", list(range(-30, 41, 5)), ("knee_flexion", 0.0)),
        ("knee=0:120:10", "knee_flexion", list(range(0, 121, 10)), ("plantarflexion", 0.0)),
    ],
)
def test_a_sweep_prints_one_row_per_pose_and_muscle_with_measures_fields(run_cli, spec, joint, angles, held):
    code, out, err = run_cli("measure", "--sweep", spec, "--csv")
    assert code == 0 and err == ""
    rows = _csv(out)
    header = out.splitlines()[0].split(",")
    muscles = _measure_json(run_cli, 0, 0)["muscles"]
    assert set(MUSCLE_FIELDS) <= set(header)
    assert {"plantarflexion", "knee_flexion"} <= set(header)
    assert len(rows) == len(angles) * len(muscles)
    assert [float(row[joint]) for row in rows[:: len(muscles)]] == angles
    assert {float(row[held[0]]) for row in rows} == {held[1]}
    # Three poses of the sweep against `measure --json` at that pose: every field, same names, same units.
    for angle in (angles[0], angles[len(angles) // 2], angles[-1]):
        pose = {"plantarflexion": 0.0, "knee_flexion": 0.0, joint: angle}
        expected = _measure_json(run_cli, pose["plantarflexion"], pose["knee_flexion"])
        got = [row for row in rows if float(row[joint]) == angle]
        assert [row["id"] for row in got] == [m["id"] for m in expected["muscles"]]
        for row, muscle in zip(got, expected["muscles"], strict=True):
            assert row["name"] == muscle["name"]
            for key in ("length", "moment_arm_ankle", "moment_arm_knee"):
                assert float(row[key]) == muscle[key], (angle, muscle["id"], key)
            for key, value in expected["pose"].items():
                assert float(row[key]) == value


@pytest.mark.parametrize(
    ("spec", "angles", "note"),
    [
        ("ankle=0:10:3", [0, 3, 6, 9], "steps of 3° from 0 end at 9, short of the stop 10; a step of 2.5° "
         "(ankle=0:10:2.5) reaches it"),
        ("ankle=0:10:20", [0], "steps of 20° from 0 end at 0, short of the stop 10; a step of 10° (ankle=0:10:10)"),
        ("knee=0:120:7", list(range(0, 120, 7)), "end at 119, short of the stop 120; a step of 6° (knee=0:120:6)"),
        ("ankle=-30:40:0.3", None, "end at 39.9, short of the stop 40; a step of 0.28° (ankle=-30:40:0.28)"),
        # Every digit typed: it said "end at 10, short of the stop 10" (degrees shown to six figures).
        ("ankle=0:10.00001:5", [0, 5, 10], "end at 10, short of the stop 10.00001; a step of 0.09901° "
         "(ankle=0:10.00001:0.09901)"),
    ],
)  # fmt: skip
def test_a_sweep_whose_steps_miss_the_stop_says_where_it_ends_and_the_step_that_reaches_it(run_cli, spec, angles, note):
    """``ankle=0:10:3`` ended at 9 and ``ankle=0:10:20`` was the one pose 0, with nothing said: the stop typed was
    silently left out. The numbers are those asked for; stderr says where the sweep ends and what reaches the stop."""
    code, out, err = run_cli("measure", "--sweep", spec, "--csv")
    assert code == 0 and err.count("\n") == 1 and err.startswith(f"calfviewer: --sweep {spec.split('=')[0]}: ")
    assert note in err, err
    joint = "plantarflexion" if spec.startswith("ankle") else "knee_flexion"
    swept = list(dict.fromkeys(float(row[joint]) for row in _csv(out)))
    if angles is not None:
        assert swept == angles
    suggested = err.split("(")[1].split(")")[0]  # the sweep the note offers reaches the stop, and says nothing
    code, out, err = run_cli("measure", "--sweep", suggested, "--csv")
    assert code == 0 and err == "" and float(_csv(out)[-1][joint]) == float(spec.split(":")[1])


def test_a_sweep_from_minus_zero_is_said_as_zero_in_json(run_cli):
    code, out, _ = run_cli("measure", "--sweep", "ankle=-0:0:1", "--json")
    assert code == 0 and '"start": 0.0,' in out and '"start": -0.0' not in out
    assert json.loads(out)["sweep"] == {"joint": "ankle", "start": 0.0, "stop": 0.0, "step": 1.0}


def test_the_held_joint_comes_from_its_option(run_cli):
    code, out, _ = run_cli("measure", "--sweep", "ankle=0:40:20", "--knee-flexion", "60", "--csv")
    assert code == 0
    rows = _csv(out)
    expected = _measure_json(run_cli, 20, 60)
    at_20 = {row["id"]: row for row in rows if float(row["plantarflexion"]) == 20}
    assert {float(row["knee_flexion"]) for row in rows} == {60.0}
    for muscle in expected["muscles"]:
        assert float(at_20[muscle["id"]]["moment_arm_knee"]) == muscle["moment_arm_knee"]


def test_csv_without_a_sweep_is_the_one_pose(run_cli):
    code, out, _ = run_cli("measure", "--plantarflexion", "-12.5", "--knee-flexion", "45", "--csv", "--side", "left")
    assert code == 0
    rows = _csv(out)
    expected = _measure_json(run_cli, -12.5, 45, "--side", "left")
    assert len(rows) == len(expected["muscles"])
    for row, muscle in zip(rows, expected["muscles"], strict=True):
        assert (float(row["plantarflexion"]), float(row["knee_flexion"])) == (-12.5, 45.0)
        assert {key: row[key] for key in ("id", "name")} == {key: muscle[key] for key in ("id", "name")}
        assert [float(row[key]) for key in MUSCLE_FIELDS[2:]] == [muscle[key] for key in MUSCLE_FIELDS[2:]]


def test_a_sweep_as_json_is_one_measure_body_per_pose(run_cli):
    code, out, _ = run_cli("measure", "--sweep", "knee=30:90:30", "--plantarflexion", "10", "--json")
    assert code == 0
    payload = json.loads(out)
    assert [pose["pose"]["knee_flexion"] for pose in payload["poses"]] == [30.0, 60.0, 90.0]
    assert payload["units"] == "m"
    assert payload["poses"][1]["muscles"] == _measure_json(run_cli, 10, 60)["muscles"]


def test_a_sweep_as_a_table_lists_every_pose(run_cli):
    code, out, _ = run_cli("measure", "--sweep", "ankle=0:10:5")
    assert code == 0
    assert sum(" soleus " in line for line in out.splitlines()) == 3


def test_a_sweep_table_has_every_arm_a_dash_where_none_and_the_held_angles(run_cli):
    """As the one-pose table: before, it printed 0.0000 for a joint not crossed, had no subtalar or toe arms and did
    not say the inversion and toe flexion it was held at."""
    code, out, _ = run_cli("measure", "--sweep", "ankle=0:5:5", "--inversion", "10", "--toes", "-10")
    assert code == 0
    lines = out.splitlines()
    assert "subtalar inversion 10°, toe flexion -10°" in lines[0]
    assert "subtalar arm" in lines[1] and "toes arm" in lines[1]
    columns = {line.split()[2]: line.split()[3:] for line in lines[2:]}  # the last pose's rows (5°) stay
    _, one_pose, _ = run_cli("measure", "--plantarflexion", "5", "--inversion", "10", "--toes", "-10")
    single = {line.split()[0]: line.split()[1:] for line in one_pose.splitlines()[2:]}
    assert columns["soleus"] == single["soleus"]  # length, then the ankle, knee (-), subtalar and toe (-) arms
    assert columns["soleus"][2] == "-" and columns["popliteus"][1] == "-"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("--sweep", "ankle=40:-30:5"), "start 40 is above stop -30"),
        (
            ("--sweep", "ankle=10.000001:10:1"),
            "start 10.000001 is above stop 10; a sweep runs from the lower angle up (--sweep ankle=10:10.000001:1)",
        ),  # it said "start 10 is above stop 10"
        (("--sweep", "foo=1:2:3"), "unknown joint 'foo'"),
        (("--sweep", "ankle=-30:40:0"), "step 0 must be above 0"),
        (("--sweep", "ankle=-30:40:-5"), "step -5 must be above 0"),
        (("--sweep", "ankle=-40:40:5"), "-40° is out of range"),
        # Past a range end by less than a millionth, and named as typed: taken before (the sweep ran to 40 and said
        # it was "short of the stop 40"), and 40.00001 would have been refused as "40° is out of range".
        (("--sweep", "ankle=-30:40.000001:5"), "40.000001° is out of range"),
        (("--sweep", "ankle=-30.0000001:40:5"), "-30.0000001° is out of range"),
        (("--sweep", "ankle=-30.00000000000000001:40:5"), "-30.00000000000000001° is out of range"),  # float -30.0
        (("--sweep", "knee=0:120.00001:10"), "120.00001° is out of range; knee flexion runs from 0 to 120"),
        (("--sweep", "knee=0:150:10"), "knee flexion runs from 0 to 120"),
        (("--sweep", "ankle"), "is not JOINT=START:STOP:STEP"),
        (("--sweep", "ankle=-30:40"), "is not JOINT=START:STOP:STEP"),
        (("--sweep", "ankle=a:40:5"), "start 'a' is not a number"),
        (("--sweep", "knee=0:120:nan"), "step 'nan' is not a number"),
        (("--sweep", "ankle=-30:40:0.00001"), "too many"),
        (("--sweep", "ankle=0:10:1e-320"), "take a step of at least 0.00101°"),  # before: a traceback
        (("--sweep", "ankle=-30:40:0.006"), "at least 0.00701°"),  # rounded up: before, 0.007, itself refused
        (("--sweep", "ankle=-30:40:-0"), "step 0 must be above 0"),  # not "-0"
        (("--sweep", "ankle=0:10:5", "--sweep", "knee=0:10:5"), "--sweep is given twice"),  # before: one dropped
        (("--sweep", "ankle=0:10:5", "--plantarflexion", "5"), "leave out --plantarflexion"),
        (("--sweep", "knee=0:10:5", "--plantarflexion", "90"), "-30 to 40"),
        (("--sweep", "knee=0:10:5", "--csv", "--json"), "give one of them"),
    ],
)
def test_bad_sweeps_are_one_line_and_exit_2(run_cli, argv, words):
    code, out, err = run_cli("measure", *argv, "--csv") if "--csv" not in argv else run_cli("measure", *argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and words in err, err


def test_the_contract_commands_run_as_a_user_types_them():
    """The issue's commands exactly, through the installed entry point's module (a fresh process)."""
    for spec in ("ankle=-30:40:5", "knee=0:120:10"):
        done = subprocess.run(
            [sys.executable, "-m", "calfviewer", "measure", "--sweep", spec, "--csv"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0 and done.stderr == ""
        assert done.stdout.startswith("plantarflexion,knee_flexion,")
    bad = subprocess.run(
        [sys.executable, "-m", "calfviewer", "measure", "--sweep", "ankle=40:-30:5", "--csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and bad.stdout == "" and len(bad.stderr.splitlines()) == 1
    assert "Traceback" not in bad.stderr
