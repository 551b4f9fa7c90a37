"""Bad input found by trying the command line hard (issue 19): each ends in one line on stderr and exit code 2,
writes nothing half-way, and never hangs. The README's reliability table lists these cases."""

from __future__ import annotations

import errno
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from calfviewer.cli import build_parser

PYTHON_M = [sys.executable, "-m", "calfviewer"]


def one_line_exit_2(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1, err
    for word in words:
        assert word in err, err


# --- one definition of --side ---------------------------------------------------------------------------------- ------
SIDED = ("gui", "measure", "render", "export", "info", "quiz")
REQUIRED = {"render": ["--out", "x.png"], "export": ["--out", "x.glb"]}


@pytest.mark.parametrize("command", SIDED)
@pytest.mark.parametrize("position", ["before", "after"])
def test_side_reaches_every_subcommand_in_both_positions(command, position):
    rest = REQUIRED.get(command, [])
    argv = ["--side", "left", command, *rest] if position == "before" else [command, "--side", "left", *rest]
    assert build_parser().parse_args(argv).side == "left"
    # Not given, it is left unset: main() takes the right leg for a command, the window the leg last shown
    # (tests/app/test_leg_switch.py).
    assert build_parser().parse_args([command, *rest]).side is None


def test_side_before_measure_measures_the_left_leg(run_cli):
    code, out, err = run_cli("--side", "left", "measure", "--json")
    assert code == 0, err
    assert json.loads(out)["side"] == "left"
    _, right, _ = run_cli("measure", "--json")
    left_lengths = [m["length"] for m in json.loads(out)["muscles"]]
    assert left_lengths == [m["length"] for m in json.loads(right)["muscles"]]  # mirrored legs, same lengths


# --- numbers as people type them --------------------------------------------------------------------------------------
def test_a_typographic_minus_is_a_minus(run_cli):
    code, out, err = run_cli("measure", "--plantarflexion", "\u221210", "--json")
    assert code == 0, err
    assert json.loads(out)["pose"]["plantarflexion"] == -10.0


@pytest.mark.parametrize(("text", "degrees"), [("-5.", -5.0), ("-1e1", -10.0), ("-.5", -0.5), ("-25", -25.0)])
def test_a_negative_angle_is_a_value_in_every_form_people_type(run_cli, text, degrees):
    """Before, argparse took '-5.' and '-1e1' for unknown options and said no value was given."""
    code, out, err = run_cli("measure", "--plantarflexion", text, "--json")
    assert code == 0, err
    assert json.loads(out)["pose"]["plantarflexion"] == degrees
    code, _, err = run_cli("measure", "--plantarflexion", "-inf")
    one_line_exit_2(code, err, "must be a finite number of degrees from -30 to 40")


def test_info_takes_side_after_its_name_too(run_cli):
    """Before: 'info --side left soleus' read 'left' as the id and said '--side soleus' was not understood."""
    code, out, err = run_cli("info", "--side", "left", "soleus")
    assert code == 0, err
    assert out == run_cli("info", "soleus")[1]  # the facts are the same for either leg


@pytest.mark.parametrize("command", ["info", "quiz"])
def test_info_and_quiz_help_say_side_changes_nothing(run_cli, command):
    """``info --help`` and ``quiz --help`` said "--side: which leg", but their output is the same for either leg
    (info's landmarks stay in the right leg's body frames): the help now says the side is taken and changes nothing."""
    code, text, _ = run_cli(command, "--help")
    said = " ".join(text[text.index("options:") :].split())
    assert code == 0
    side = said[said.index("--side {right,left} ") :].split(" --")[0]  # its help: up to the next option
    assert "which leg" not in side and "the same for either leg" in side, side
    extra = ["soleus", "--json"] if command == "info" else ["--seed", "3", "--json"]
    assert run_cli(command, "--side", "left", *extra)[:2] == run_cli(command, *extra)[:2]  # as the help says


@pytest.mark.parametrize("text", ["1_0", "\uff11\uff10", "\u0661\u0660", "10\u00b0"])
def test_numbers_python_accepts_but_people_do_not_type_are_refused(run_cli, text):
    code, out, err = run_cli("measure", "--plantarflexion", text)
    one_line_exit_2(code, err, "must be a number of degrees")
    assert out == ""


# --- view files -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("camera", "field"),
    [
        ({"position": [0, 1, 0], "focal_point": [0, 0, 0], "view_up": [0, 0, 0]}, "camera.view_up"),
        ({"position": [0, 1, 0], "focal_point": [0, 0, 0], "view_up": [0, 3, 0]}, "camera.view_up"),
        ({"position": [0, 1, 0], "focal_point": [0, 0, 0], "view_up": [0, 0, 10**400]}, "camera.view_up[2]"),
        ({"position": [0, 0, 0], "focal_point": [0, 0, 0], "view_up": [0, 0, 1]}, "camera.position"),
        ({"position": [1e9, 0, 0], "focal_point": [0, 0, 0], "view_up": [0, 0, 1]}, "camera.position"),
    ],
)
def test_a_view_that_cannot_be_applied_is_refused_naming_the_field(run_cli, tmp_path, camera, field):
    state = tmp_path / "view.json"
    state.write_text(json.dumps({"camera": camera}))
    out = tmp_path / "calf.png"
    code, _, err = run_cli("render", "--out", str(out), "--state", str(state))
    one_line_exit_2(code, err, field, "view.json")
    assert not out.exists()


def test_state_with_a_huge_integer_is_one_line(run_cli, tmp_path):
    state = tmp_path / "huge.json"
    state.write_text('{"pose": {"plantarflexion": ' + "9" * 400 + "}}")
    code, _, err = run_cli("render", "--out", str(tmp_path / "calf.png"), "--state", str(state))
    one_line_exit_2(code, err, "pose.plantarflexion")
    assert "9" * 40 not in err
    state.write_text('{"pose": {"plantarflexion": ' + "9" * 5000 + "}}")  # more digits than Python converts
    code, _, err = run_cli("render", "--out", str(tmp_path / "calf.png"), "--state", str(state))
    one_line_exit_2(code, err, "huge.json")


def test_state_that_is_a_fifo_or_a_device_is_refused_without_reading(run_cli, tmp_path):
    fifo = tmp_path / "view.fifo"
    os.mkfifo(fifo)  # reading it would block for ever: nobody writes
    for state in (fifo, Path("/dev/zero"), tmp_path):
        code, _, err = run_cli("render", "--out", str(tmp_path / "calf.png"), "--state", str(state))
        one_line_exit_2(code, err, str(state))
    big = tmp_path / "big.json"
    with big.open("wb") as stream:
        stream.truncate(64 << 20)  # sparse: 64 MB that takes no disk
    code, _, err = run_cli("render", "--out", str(tmp_path / "calf.png"), "--state", str(big))
    one_line_exit_2(code, err, "big.json", "bytes")


# --- outputs ----------------------------------------------------------------------------------------------------------
def test_render_out_name_longer_than_the_file_system_takes(run_cli, tmp_path):
    out = tmp_path / ("a" * 300 + ".png")
    code, _, err = run_cli("render", "--out", str(out))
    one_line_exit_2(code, err, "shorter name")
    assert list(tmp_path.iterdir()) == []


def test_render_size_is_capped_by_the_memory_it_needs(run_cli, tmp_path):
    code, _, err = run_cli("render", "--out", str(tmp_path / "big.png"), "--size", "8192x8192")
    one_line_exit_2(code, err, "GB of memory", "4096x4096")
    code, _, err = run_cli("render", "--out", str(tmp_path / "big.png"), "--size", "\uff16\uff14x64")
    one_line_exit_2(code, err, "WIDTHxHEIGHT")


def test_a_scaled_still_is_capped_like_a_plain_one(run_cli, tmp_path):
    """Before: 4096x4096 at scale 4 drew a 16384x16384 picture (2.7 GB of memory, a file Pillow refuses to open)."""
    code, _, err = run_cli("render", "--out", str(tmp_path / "big.png"), "--size", "4096x4096", "--scale", "4")
    one_line_exit_2(code, err, "16384x16384 picture", "lower --size or --scale")
    code, _, err = run_cli("render", "--out", str(tmp_path / "big.png"), "--size", "3000x2000", "--scale", "2")
    one_line_exit_2(code, err, "6000x4000 picture")
    assert list(tmp_path.iterdir()) == []


def test_render_with_every_structure_hidden_is_refused(run_cli, tmp_path):
    """As export refuses: a picture of the background alone is not what anyone asked for."""
    out = tmp_path / "empty.png"
    code, _, err = run_cli("render", "--out", str(out), "--hide", "bone", "superficial", "intermediate", "deep")
    one_line_exit_2(code, err, "nothing to render")
    assert not out.exists()


def test_a_view_file_angle_out_of_range_names_the_file_and_the_field(run_cli, tmp_path):
    state = tmp_path / "pf.json"
    state.write_text(json.dumps({"pose": {"plantarflexion": 1000}}))
    code, _, err = run_cli("render", "--out", str(tmp_path / "x.png"), "--state", str(state))
    one_line_exit_2(code, err, "view file 'pf.json' field 'pose.plantarflexion'", "-30 to 40")
    state.write_text(json.dumps({"version": True}))
    code, _, err = run_cli("export", "--out", str(tmp_path / "x.glb"), "--state", str(state))
    one_line_exit_2(code, err, "field 'version': expected 1, got a boolean true")


def test_render_writes_through_a_symlink_in_the_format_its_name_asks_for(run_cli, tmp_path):
    real = tmp_path / "real.jpg"
    link = tmp_path / "link.jpg"
    link.symlink_to(real)
    code, _, err = run_cli("render", "--out", str(link), "--size", "64x64")
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes()[:3] == b"\xff\xd8\xff"  # JPEG, not PNG bytes under a .jpg name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.jpg", "real.jpg"]


def test_info_to_a_full_disk_is_one_line():
    with open("/dev/full", "w") as full:
        done = subprocess.run([*PYTHON_M, "info", "soleus"], stdout=full, stderr=subprocess.PIPE, text=True)
    one_line_exit_2(done.returncode, done.stderr, "standard output", "No space left")


def test_info_with_standard_output_closed_is_quiet():
    command = shlex.join([*PYTHON_M, "info", "soleus"]) + " >&-"
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == ""


@pytest.mark.parametrize(
    "argv",
    [["info", "soleus", "--json"], ["info", "--json"], ["quiz", "--seed", "1", "--json"], ["measure", "--json"],
     ["measure", "--csv"]],
)  # fmt: skip
def test_json_and_csv_with_standard_output_closed_are_quiet(argv):
    """print() writes nothing to a closed standard output, but --json and --csv write to the stream itself, and
    raised "AttributeError: 'NoneType' object has no attribute 'write'" (exit 1, a traceback)."""
    command = shlex.join([*PYTHON_M, *argv]) + " >&-"
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == "", done.stderr


def test_with_standard_error_closed_notes_and_errors_stay_out_of_the_output():
    """print() to a closed standard error (None) writes to standard output: the note of a sweep that ends short of
    its stop became the first line of the CSV, and the one-line error was printed as output."""
    sweep = shlex.join([*PYTHON_M, "measure", "--sweep", "ankle=0:10:3", "--csv"]) + " 2>&-"
    done = subprocess.run(["sh", "-c", sweep], capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stdout.splitlines()[0].startswith("plantarflexion,knee_flexion,"), done.stdout[:200]
    unknown = shlex.join([*PYTHON_M, "info", "solues"]) + " 2>&-"
    done = subprocess.run(["sh", "-c", unknown], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (2, "")


@pytest.mark.parametrize("stderr", ["2>&-", "2>/dev/full"])
def test_a_movie_is_made_whatever_standard_error_is(tmp_path, stderr):
    """The progress bar could not be written: a closed standard error raised AttributeError and a full one
    OSError, each before the first frame (exit 1, no movie)."""
    out = tmp_path / "m.gif"
    argv = [*PYTHON_M, "movie", "--out", str(out), "--from", "0,0", "--to", "10,0", "--size", "64x64", "--fps", "2"]
    done = subprocess.run(["sh", "-c", f"{shlex.join(argv)} {stderr}"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0
    assert out.read_bytes()[:6] == b"GIF89a"


def test_an_error_that_cannot_be_written_still_exits_2():
    """Standard error on a full disk: the one line cannot be written, but the exit code still says what happened
    (it was 1, from the OSError of writing it)."""
    done = subprocess.run(["sh", "-c", shlex.join([*PYTHON_M, "info", "solues"]) + " 2>/dev/full"])
    assert done.returncode == 2


def test_output_its_encoding_cannot_carry_is_one_line_saying_what_to_set():
    """A standard output in ASCII (PYTHONIOENCODING=ascii, a locale of that encoding) cannot carry the degree sign
    of the measure table: it was a UnicodeEncodeError traceback, exit 1."""
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = subprocess.run([*PYTHON_M, "measure"], capture_output=True, text=True, env=env)
    one_line_exit_2(done.returncode, done.stderr, "standard output", "ascii", "PYTHONIOENCODING=utf-8")


def test_info_to_a_closed_pipe_is_quiet():
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written
    try:
        done = subprocess.run([*PYTHON_M, "info", "--json"], stdout=write_end, stderr=subprocess.PIPE, text=True)
    finally:
        os.close(write_end)
    assert done.returncode == 0 and done.stderr == ""


#: An old mesh set's manifest as calfviewer writes one (format 1, each mesh's file listed).
OLD_MANIFEST = json.dumps({"format": 1, "meshes": {"stale": {"file": "stale.ply"}}})


# --- build-meshes ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda tmp: tmp / "file", "is a file"),
        (lambda tmp: tmp / "file" / "meshes", "is not a folder"),
        (lambda tmp: tmp / "missing" / "meshes", "does not exist"),
        (lambda tmp: "", "--out is empty"),
    ],
)
def test_build_meshes_refuses_an_out_that_cannot_work_before_building(run_cli, tmp_path, monkeypatch, make, words):
    import calfviewer.geometry.build as build

    def must_not_build(*_: object, **__: object) -> None:
        raise AssertionError("building started")

    monkeypatch.setattr(build, "build_all", must_not_build)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file").write_text("mine")
    code, _, err = run_cli("build-meshes", "--out", str(make(tmp_path)), "--quiet")
    one_line_exit_2(code, err, words)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
    assert (tmp_path / "file").read_text() == "mine"


def test_build_meshes_on_a_full_disk_leaves_the_old_meshes(run_cli, tmp_path, monkeypatch):
    import calfviewer.geometry.build as build

    def fills_the_disk(folder: Path, say: object = None) -> None:
        (Path(folder) / "femur.ply").write_bytes(b"half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(build, "build_all", fills_the_disk)
    meshes = tmp_path / "meshes"
    meshes.mkdir()
    (meshes / "manifest.json").write_text(OLD_MANIFEST)
    code, _, err = run_cli("build-meshes", "--out", str(meshes), "--quiet")
    one_line_exit_2(code, err, "No space left", "old meshes are untouched")
    assert [p.name for p in tmp_path.iterdir()] == ["meshes"]  # no staged folder left behind
    assert [p.name for p in meshes.iterdir()] == ["manifest.json"]
    assert (meshes / "manifest.json").read_text() == OLD_MANIFEST


def test_build_meshes_swaps_the_new_set_in_whole(run_cli, tmp_path, monkeypatch):
    import calfviewer.geometry.build as build

    def builds(folder: Path, say: object = None) -> None:
        (Path(folder) / "manifest.json").write_text("new manifest")

    monkeypatch.setattr(build, "build_all", builds)
    meshes = tmp_path / "meshes"
    meshes.mkdir()
    (meshes / "manifest.json").write_text(OLD_MANIFEST)
    (meshes / "stale.ply").write_text("old")
    code, _, err = run_cli("build-meshes", "--out", str(meshes), "--quiet")
    assert code == 0, err
    assert [p.name for p in tmp_path.iterdir()] == ["meshes"]
    assert [p.name for p in meshes.iterdir()] == ["manifest.json"]
    assert (meshes / "manifest.json").read_text() == "new manifest"


def test_build_meshes_never_replaces_a_folder_that_is_not_a_mesh_set(run_cli, tmp_path, monkeypatch):
    """The new set replaces the whole folder: before, '--out ~/Documents' would have deleted everything in it."""
    import calfviewer.geometry.build as build

    def must_not_build(*_: object, **__: object) -> None:
        raise AssertionError("building started")

    monkeypatch.setattr(build, "build_all", must_not_build)
    mine = tmp_path / "mine"
    (mine / "sub").mkdir(parents=True)
    (mine / "notes.txt").write_text("my notes")
    code, _, err = run_cli("build-meshes", "--out", str(mine), "--quiet")
    one_line_exit_2(code, err, "which is not part of a calfviewer mesh set", "give a new or empty folder")
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt", "sub"]
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    code, _, err = run_cli("build-meshes", "--out", ".", "--quiet")
    one_line_exit_2(code, err, "the folder you are in")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here", "mine"]  # nothing staged beside them


def test_build_meshes_replaces_only_a_calfviewer_mesh_set(run_cli, tmp_path, monkeypatch):
    """A web app's manifest.json is not a mesh set; a file of the user's in a real set would be lost with it; a
    symbolic link is not followed to be replaced (it left a folder behind and said 'Is a directory')."""
    import calfviewer.geometry.build as build

    def must_not_build(*_: object, **__: object) -> None:
        raise AssertionError("building started")

    monkeypatch.setattr(build, "build_all", must_not_build)
    web = tmp_path / "web"
    web.mkdir()
    (web / "manifest.json").write_text('{"name": "my app", "start_url": "/"}')
    (web / "index.html").write_text("<html>")
    code, _, err = run_cli("build-meshes", "--out", str(web), "--quiet")
    one_line_exit_2(code, err, "'manifest.json', which is not part of a calfviewer mesh set")
    meshes = tmp_path / "meshes"
    meshes.mkdir()
    (meshes / "manifest.json").write_text(json.dumps({"format": 1, "meshes": {"femur": {"file": "femur.ply"}}}))
    (meshes / "femur.ply").write_text("ply")
    (meshes / "notes.txt").write_text("mine")
    code, _, err = run_cli("build-meshes", "--out", str(meshes), "--quiet")
    one_line_exit_2(code, err, "'notes.txt'")
    (tmp_path / "link").symlink_to(meshes)
    code, _, err = run_cli("build-meshes", "--out", str(tmp_path / "link"), "--quiet")
    one_line_exit_2(code, err, "symbolic link")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "meshes", "web"]


def test_ctrl_c_is_one_line_and_exit_130(run_cli, monkeypatch):
    import calfviewer.cli as cli

    def interrupted(_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_cmd_measure", interrupted)
    code, _, err = run_cli("measure")
    assert code == 130 and err.strip() == "calfviewer: interrupted; nothing was written", err


def test_ctrl_c_during_an_import_waits_for_the_import_to_finish(run_cli, monkeypatch, tmp_path):
    """Before: Ctrl-C while VTK or mujoco was being imported left the module half made; the next VTK import crashed
    the process (a segmentation fault, exit -11, nothing said) and mujoco's printed "ImportError: initialization
    failed" with exit 1. Now the interrupt is held back until the import is done, then is the usual one line."""
    import sys
    import time

    import calfviewer.cli as cli

    (tmp_path / "slow_extension.py").write_text(
        "import signal, time\n"
        "signal.raise_signal(signal.SIGINT)  # Ctrl-C in the middle of the import\n"
        "time.sleep(0.2)\n"
        "finished = True\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    imported = {}

    def command(_args: object) -> int:
        import slow_extension  # type: ignore[import-not-found]

        imported["finished"] = slow_extension.finished
        time.sleep(5)  # the held-back interrupt lands here
        return 0

    monkeypatch.setattr(cli, "_cmd_measure", command)
    started = time.monotonic()
    code, _, err = run_cli("measure")
    assert code == 130 and err.strip() == "calfviewer: interrupted; nothing was written", err
    assert imported == {"finished": True} and time.monotonic() - started < 4
    sys.modules.pop("slow_extension", None)


#: A command line whose legend is laid out with a Ctrl-C in the middle: the layout runs in a VTK observer, at the
#: start of each render (what a labelled render or movie does for a while, as a Ctrl-C may land there).
CTRL_C_IN_A_RENDER = """
import signal, sys
from calfviewer.scene import overlays
from calfviewer.cli import main
layout = overlays.Legend.layout
def interrupted(self, *args, **kwargs):
    signal.raise_signal(signal.SIGINT)
    return layout(self, *args, **kwargs)
overlays.Legend.layout = interrupted
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("kind", ["render", "movie"])
def test_ctrl_c_while_vtk_calls_python_is_one_line_and_leaves_no_temporary_file(tmp_path, kind):
    """Before: VTK's wrapping ended the process at once ("Caught a Ctrl-C within python, exiting program.", exit
    1), unwinding nothing, so a movie's hidden temporary file was left beside its target. Now the interrupt waits
    for the render to return to Python, then is the usual line; the old file is kept and nothing else is left."""
    out = tmp_path / ("old.png" if kind == "render" else "old.gif")
    out.write_text("mine")
    argv = ["--out", str(out), "--size", "64x64"]
    if kind == "movie":
        argv += ["--from", "0,0", "--to", "10,0", "--fps", "2", "--quiet"]
    done = subprocess.run(
        [sys.executable, "-c", CTRL_C_IN_A_RENDER, kind, *argv], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip() == "calfviewer: interrupted; nothing was written", done.stderr
    assert out.read_text() == "mine"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_an_empty_state_and_a_null_side_in_a_view_file(run_cli, tmp_path):
    code, _, err = run_cli("render", "--out", str(tmp_path / "x.png"), "--state", "")
    one_line_exit_2(code, err, "--state is empty")
    from calfviewer.viewer.view_state import Camera, ViewState

    camera = Camera(view=None, position=(-0.6, 0.1, -0.5), focal_point=(-0.09, 0.0, -0.65), view_up=(0, 0, 1))
    path = tmp_path / "null.json"
    path.write_text(json.dumps({**ViewState(camera=camera).to_dict(), "side": None}))
    assert ViewState.load(path, side="right").camera == camera  # null is "not said", not "the other leg"


@pytest.mark.parametrize("module", ["scipy", "rtree", "pymeshfix", "manifold3d"])
def test_build_meshes_without_the_build_extra_names_the_pip_command(run_cli, tmp_path, monkeypatch, module):
    """A plain install lacks the build extra: one line with the pip command, exit 2, before any building."""
    import calfviewer.geometry.build as build

    def must_not_build(*_: object, **__: object) -> None:
        raise AssertionError("building started")

    monkeypatch.setattr(build, "build_all", must_not_build)
    monkeypatch.setitem(sys.modules, module, None)  # what Python does for a module that is not installed
    code, _, err = run_cli("build-meshes", "--out", str(tmp_path / "meshes"), "--quiet")
    one_line_exit_2(code, err, module, "pip install 'calfviewer[build]'")
    assert list(tmp_path.iterdir()) == []


def test_build_meshes_without_manifold3d_is_one_line_in_a_real_process(tmp_path):
    """The same through a real interpreter, where an uncaught ImportError would print a traceback."""
    code = (
        "import sys; sys.modules['manifold3d'] = None; from calfviewer.cli import main; "
        f"sys.exit(main(['build-meshes', '--out', {str(tmp_path / 'meshes')!r}, '--quiet']))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    one_line_exit_2(done.returncode, done.stderr, "manifold3d", "pip install 'calfviewer[build]'")
    assert "Traceback" not in done.stderr


# --- no display -------------------------------------------------------------------------------------------------------
def test_a_display_that_is_not_there_is_one_line_not_an_abort():
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["DISPLAY"] = ":987"
    done = subprocess.run(PYTHON_M, capture_output=True, text=True, env=env, timeout=120)
    one_line_exit_2(done.returncode, done.stderr, "DISPLAY=':987'", "calfviewer render")


def test_the_offscreen_platform_is_named_in_the_message(run_cli, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setenv("DISPLAY", ":1")
    code, _, err = run_cli("gui")
    one_line_exit_2(code, err, "QT_QPA_PLATFORM=offscreen", "calfviewer render")
