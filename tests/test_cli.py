"""The command line: JSON shapes as the README documents them, and one-line errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from calfviewer.anatomy import load_catalogue
from calfviewer.musculoskeletal import Pose


def test_info_lists_structures_by_layer(run_cli):
    code, out, _ = run_cli("info", "--json")
    assert code == 0
    payload = json.loads(out)
    layers = {entry["layer"]: [s["id"] for s in entry["structures"]] for entry in payload["layers"]}
    assert "gastrocnemius_medial_head" in layers["superficial"]
    assert "soleus" in layers["intermediate"] and "plantaris" in layers["intermediate"]
    assert {"popliteus", "tibialis_posterior"} <= set(layers["deep"])
    assert "calcaneus" in layers["bone"]


def test_info_text_lists_every_layer(run_cli):
    code, out, _ = run_cli("info")
    assert code == 0
    for heading in ("bone:", "superficial:", "intermediate:", "deep:"):
        assert heading in out


def test_info_one_structure_json(run_cli):
    code, out, _ = run_cli("info", "soleus", "--json")
    assert code == 0
    soleus = json.loads(out)
    assert soleus["id"] == "soleus" and soleus["kind"] == "muscle" and soleus["layer"] == "intermediate"
    for key in (
        "name",
        "latin",
        "origins",
        "insertions",
        "actions",
        "innervation",
        "blood_supply",
        "sources",
    ):
        assert soleus[key], key
    assert {o["bone"] for o in soleus["origins"]} == {"tibia", "fibula"}
    assert soleus["insertions"][0]["bone"] == "calcaneus"


def test_info_one_structure_text(run_cli):
    code, out, _ = run_cli("info", "gastrocnemius_medial_head")
    assert code == 0
    assert "femur" in out.lower() and "tibial nerve" in out.lower()


def test_unknown_id_is_one_line_exit_2(run_cli):
    code, out, err = run_cli("info", "bicep")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "bicep" in err


def test_measure_json_shape(run_cli):
    code, out, _ = run_cli("measure", "--plantarflexion", "20", "--knee-flexion", "30", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["side"] == "right" and payload["units"] == "m"
    assert payload["pose"] == {"plantarflexion": 20.0, "knee_flexion": 30.0, "subtalar": 0.0, "toes": 0.0}
    rows = {row["id"]: row for row in payload["muscles"]}
    assert set(rows) == {s.id for s in load_catalogue().structures if s.kind == "muscle"}
    for row in rows.values():
        assert set(row) == {
            "id", "name", "length", "moment_arm_ankle", "moment_arm_knee", "moment_arm_subtalar", "moment_arm_toes",
            "crosses",
        }  # fmt: skip
    assert rows["soleus"]["moment_arm_knee"] == 0
    assert rows["gastrocnemius_medial_head"]["moment_arm_ankle"] > 0.02
    # The dorsiflexors' tendons cross in front of the ankle: tension dorsiflexes, a negative (plantarflexion-positive)
    # moment arm of a few centimetres; the fibulares pass behind the lateral malleolus and weakly plantarflex.
    for sid in ("tibialis_anterior", "extensor_digitorum_longus", "extensor_hallucis_longus"):
        assert -0.06 < rows[sid]["moment_arm_ankle"] < -0.02, sid
    for sid in ("fibularis_longus", "fibularis_brevis"):
        assert 0.0 < rows[sid]["moment_arm_ankle"] < 0.02, sid
        assert rows[sid]["moment_arm_knee"] == 0, sid


def test_info_lists_the_front_and_side_of_the_leg(run_cli):
    code, out, _ = run_cli("info", "--json")
    assert code == 0
    layers = {entry["layer"]: {s["id"] for s in entry["structures"]} for entry in json.loads(out)["layers"]}
    assert {"tibialis_anterior", "extensor_digitorum_longus", "fibularis_longus"} <= layers["superficial"]
    assert {"extensor_hallucis_longus", "fibularis_brevis"} <= layers["intermediate"]
    code, out, _ = run_cli("info", "fibularis_brevis", "--json")
    facts = json.loads(out)
    assert code == 0 and facts["compartment"] == "lateral" and facts["latin"] == "Musculus fibularis brevis"
    assert facts["innervation"]["nerve"] == "superficial fibular nerve"
    assert [a["site"] for a in facts["insertions"]] == ["perbrev-P5"]
    # The names `info --names latin` shows, beside the keys (it gave the keys and the English nerve alone).
    assert (facts["compartment_name"], facts["compartment_latin"]) == (
        "Lateral compartment", "Compartimentum cruris laterale",
    )  # fmt: skip
    assert facts["innervation"]["nerve_latin"] == "Nervus fibularis superficialis"
    code, out, _ = run_cli("info", "cuboid", "--json")
    bone = json.loads(out)
    assert code == 0 and (bone["group"], bone["group_name"], bone["group_latin"]) == (
        "tarsals", "Tarsal bones", "Ossa tarsi",
    )  # fmt: skip


def test_measure_reports_every_joint_each_muscle_crosses(run_cli, model):
    """The subtalar and toe arms, with the pose's new angles, agree with the model; a joint a muscle does not cross
    is 0 in JSON and '-' in the table, and ``crosses`` names the ones it does."""
    pose = ("--plantarflexion", "-10", "--inversion", "12", "--toe-flexion", "−15")  # a typographic minus, as typed
    code, out, err = run_cli("measure", *pose, "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["pose"] == {"plantarflexion": -10.0, "knee_flexion": 0.0, "subtalar": 12.0, "toes": -15.0}
    rows = {row["id"]: row for row in payload["muscles"]}
    result = model.pose(Pose(plantarflexion=-10, subtalar=12, toes=-15))
    for muscle_id, path in result.muscles.items():
        row = rows[muscle_id]
        assert row["crosses"] == list(path.crosses)
        for joint in ("ankle", "knee", "subtalar", "toes"):
            assert row[f"moment_arm_{joint}"] == pytest.approx(getattr(path, f"moment_arm_{joint}"), abs=1e-6)
    assert rows["tibialis_posterior"]["moment_arm_subtalar"] > 0.005  # inverts
    assert rows["flexor_hallucis_longus"]["moment_arm_toes"] > 0.002  # flexes the toes
    assert rows["soleus"]["moment_arm_toes"] == 0 and "toes" not in rows["soleus"]["crosses"]
    # The aliases named after the pose's keys mean the same.
    _, again, _ = run_cli("measure", "--plantarflexion", "-10", "--subtalar", "12", "--toes", "-15", "--json")
    assert json.loads(again) == payload
    code, text, _ = run_cli("measure", *pose)
    assert code == 0
    header, columns = text.splitlines()[0], text.splitlines()[1].split()
    assert "subtalar inversion 12°" in header and "toe flexion -15°" in header and "inverts" in header
    assert columns == ["muscle", "length", "ankle", "arm", "knee", "arm", "subtalar", "arm", "toes", "arm"]
    soleus = next(line.split() for line in text.splitlines() if line.startswith("soleus "))
    assert soleus[1:] == [
        f"{rows['soleus']['length']:.4f}", f"{result.muscles['soleus'].moment_arm_ankle:.4f}", "-",
        f"{result.muscles['soleus'].moment_arm_subtalar:.4f}", "-",
    ]  # fmt: skip


def test_measure_left_side(run_cli):
    code, out, _ = run_cli("measure", "--side", "left", "--json")
    assert code == 0 and json.loads(out)["side"] == "left"


def test_measure_text_table(run_cli):
    code, out, _ = run_cli("measure", "--plantarflexion", "-10")
    assert code == 0
    assert "soleus" in out and "metres" in out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("measure", "--plantarflexion", "abc"), "must be a number"),
        (("measure", "--plantarflexion", "90"), "-30 to 40"),
        (("measure", "--knee-flexion", "-20"), "0 to 120"),
        (("measure", "--knee-flexion", "inf"), "finite"),
        (("measure", "--inversion", "30"), "subtalar inversion 30° is out of range: use -20 to 20"),
        (("measure", "--toe-flexion", "-40"), "toe flexion -40° is out of range: use -30 to 30"),
        (("measure", "--toes", "up"), "toe flexion must be a number"),
        # Past a range end by a hair: before, 120.0001 was taken (MyoLeg's float32 limit reads 120.00028°) and
        # 20.00001 was refused as "20° is out of range".
        (("measure", "--knee-flexion", "120.0001"), "knee flexion 120.0001° is out of range: use 0 to 120"),
        (("measure", "--inversion", "20.00001"), "subtalar inversion 20.00001° is out of range"),
        # Past by less than the tolerance kept for view files' numbers read back from radians: taken and measured
        # as 40 (README: "a value past a range end by any amount ... is refused").
        (("measure", "--plantarflexion", "40.000001"), "plantarflexion 40.000001° is out of range: use -30 to 40"),
        (("measure", "--knee-flexion", "-0.0000001"), "knee flexion -0.0000001° is out of range: use 0 to 120"),
        # Past by less than a float can tell: 40.0000000000000001 is the float 40.0 and -1e-400 is -0.0, both taken.
        (("measure", "--plantarflexion", "40.0000000000000001"), "plantarflexion 40.0000000000000001° is out of"),
        (("measure", "--knee-flexion", "-1e-400"), "knee flexion -1e-400° is out of range: use 0 to 120"),
        (("movie", "--out", "x.gif", "--from", "40.0000000000000001,0", "--to", "0,0"), "40.0000000000000001°"),
        (("measure", "--side", "middle"), "invalid choice"),
        (("frobnicate",), "invalid choice"),
        # An option with a value given twice is refused; before, the last one was taken silently.
        (("measure", "--plantarflexion", "10", "--plantarflexion", "20"), "--plantarflexion is given twice"),
        (("measure", "--inversion", "5", "--subtalar", "6"), "--inversion/--subtalar is given twice"),
        (("render", "--out", "x.png", "--size", "64x64", "--size", "80x80"), "--size is given twice"),
        (("quiz", "--seed", "1", "--seed", "2"), "--seed is given twice"),
        (("info", "--names", "latin", "--names", "english"), "--names is given twice"),
        (("--side", "left", "measure", "--side", "right"), "--side is given twice (before and after the command)"),
    ],
)
def test_bad_input_is_one_line_exit_2(run_cli, argv, words):
    code, out, err = run_cli(*argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert words in err


@pytest.mark.parametrize(
    ("argv", "help_of"),
    [
        (("measure", "--bogus"), "calfviewer measure --help"),  # before: `calfviewer --help`, which lists no option
        (("info", "soleus", "extra"), "calfviewer info --help"),
        (("build-meshes", "--x"), "calfviewer build-meshes --help"),
        (("--bogus",), "calfviewer --help"),
    ],
)
def test_a_word_a_command_does_not_know_points_to_that_command_s_help(run_cli, argv, help_of):
    code, out, err = run_cli(*argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "unrecognized arguments" in err and f"(see `{help_of}`)" in err, err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        # Before: "invalid choice: 'latin'" (argparse passed over --names and read its value as the command).
        (
            ("--names", "latin", "quiz", "--seed", "3"),
            "--names belongs after the command: calfviewer quiz --names latin --seed 3",
        ),
        # Before: "calfviewer info: error: unrecognized arguments: --json", of a command that lists --json.
        (("--json", "info"), "--json belongs after the command: calfviewer info --json"),
        (("--side", "left", "--plantarflexion=10", "measure"), "calfviewer --side left measure --plantarflexion=10"),
        (("--seed", "3", "render", "--out", "x.png"), "--seed belongs after the command, and only quiz takes it"),
    ],
)
def test_a_command_s_option_given_before_the_command_is_shown_after_it(run_cli, argv, words):
    code, out, err = run_cli(*argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and words in err, err


def test_python_dash_m_runs():
    done = subprocess.run(
        [sys.executable, "-m", "calfviewer", "info", "--json"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["layers"]


def test_export_writes_a_glb_named_by_structure_id(run_cli, tmp_path):
    import trimesh

    from calfviewer.anatomy import load_catalogue

    out = tmp_path / "calf.glb"
    code, stdout, err = run_cli("export", "--out", str(out), "--plantarflexion", "20", "--side", "left")
    assert code == 0, err
    assert stdout.strip() == str(out)
    scene = trimesh.load(out, force="scene")
    ids = {s.id for s in load_catalogue().structures}
    assert set(scene.geometry) == ids and set(scene.graph.nodes_geometry) == ids
    assert scene.geometry["tibia"].centroid[0] > 0  # the left leg lies on the +x side of the midline


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("export", "--out", "calf.ply"), "must end in .glb, .gltf or .obj"),
        (("export", "--out", "calf.glb", "--knee-flexion", "soft"), "must be a number"),
        (("export",), "required: --out"),
    ],
)
def test_export_bad_input_is_one_line_exit_2(run_cli, tmp_path, monkeypatch, argv, words):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(*argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert words in err
    assert list(tmp_path.iterdir()) == []


def test_version_prints_the_package_version_and_exits_0(run_cli):
    """`calfviewer --version` was "unrecognized arguments: --version", exit 2."""
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    code, out, err = run_cli("--version")
    assert code == 0 and err == "" and out == f"calfviewer {project['version']}\n"


def test_the_window_s_help_says_it_opens_on_the_leg_last_shown(run_cli):
    """Before, ``calfviewer gui --help`` said ``--side`` defaults to the right leg, while the window opens on the leg
    the last session showed (as ``calfviewer --help`` says)."""
    code, out, _ = run_cli("gui", "--help")
    assert code == 0
    assert "default right)" not in out and "the leg last shown" in " ".join(out.split())
