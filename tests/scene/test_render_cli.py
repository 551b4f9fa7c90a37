"""``calfviewer render``: a PNG off screen, and every mistake one line with exit code 2, caught before rendering."""

from __future__ import annotations

import json
import os
import re

import numpy as np
import pytest
from PIL import Image

from calfviewer.musculoskeletal import Pose
from calfviewer.scene.render import parse_size, posed_state


def test_render_writes_a_png_of_the_requested_size(run_cli, tmp_path):
    out = tmp_path / "calf.png"
    code, stdout, err = run_cli(
        "render", "--out", str(out), "--size", "320x400", "--view", "medial", "--plantarflexion", "30",
        "--select", "soleus", "--hide", "superficial", "--labels",
    )  # fmt: skip
    assert code == 0, err
    assert stdout.strip() == str(out)
    image = np.asarray(Image.open(out))
    assert image.shape[:2] == (400, 320)
    assert image.reshape(-1, image.shape[-1])[:, :3].std(axis=0).max() > 10  # not a blank picture
    assert [p.name for p in tmp_path.iterdir()] == ["calf.png"]


@pytest.fixture
def loaded_once(monkeypatch, geometry):
    """The session's geometry instead of loading meshes/ again (the first render test loads it for real)."""
    monkeypatch.setattr("calfviewer.geometry.load_scene_geometry", lambda model: geometry)


def test_render_from_a_state_file(run_cli, tmp_path, loaded_once):
    state = tmp_path / "view.json"
    state.write_text(json.dumps({"camera": "anterior", "pose": {"knee_flexion": 30}}))
    out = tmp_path / "from-state.png"
    code, _, err = run_cli("render", "--out", str(out), "--size", "128x160", "--state", str(state))
    assert code == 0, err and out.exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--size", "10x10"], "64 to 8192"),
        (["--size", "9000x100"], "64 to 8192"),
        (["--size", "big"], "WIDTHxHEIGHT"),
        (["--view", "upside"], "invalid choice"),
        (["--select", "bicep"], "unknown structure 'bicep'"),
        (["--hide", "skin"], "'skin' is neither a layer"),
        (["--plantarflexion", "99"], "out of range"),
        (["--knee-flexion", "abc"], "must be a number"),
        (["--inversion", "45"], "subtalar inversion 45° is out of range: use -20 to 20"),
        (["--toe-flexion", "abc"], "toe flexion must be a number"),
    ],
)
def test_bad_values_are_one_line_and_exit_2(run_cli, tmp_path, args, says):
    out = tmp_path / "x.png"
    code, stdout, err = run_cli("render", "--out", str(out), *args)
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and says in err, err
    assert not out.exists()


def test_unwritable_output_is_one_line(run_cli, tmp_path):
    for target, says in (
        (tmp_path / "missing" / "x.png", "does not exist"),
        (tmp_path, "is a folder"),
        (tmp_path / "x.gif", "must end in .png, .jpg, .jpeg, .tif or .tiff"),
    ):
        code, _, err = run_cli("render", "--out", str(target))
        assert code == 2 and err.count("\n") == 1 and says in err, err


@pytest.mark.parametrize(
    ("command", "name", "extra"),
    [
        ("render", "x.png", ()),
        ("export", "x.glb", ()),
        ("export", "x.obj", ()),
        ("movie", "x.gif", ("--action", "soleus")),
    ],
)
@pytest.mark.parametrize("ending", ["/", "/.", "//"])
def test_an_out_ending_in_a_slash_names_a_folder_and_is_refused(
    run_cli, tmp_path, monkeypatch, command, name, extra, ending
):
    """``x.png/`` means a folder: pathlib drops the slash, and a file ``x.png`` used to be written in its place."""
    monkeypatch.chdir(tmp_path)
    code, stdout, err = run_cli(command, "--out", name + ending, *extra)
    assert code == 2 and stdout == "" and err.count("\n") == 1, err
    assert "names a folder" in err and f"'{name}/calf." in err, err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("size", "says"), [("64x8192", "make it wider"), ("8192x64", "make the picture taller")])
def test_labels_that_cannot_fit_the_picture_are_left_out_with_a_note(run_cli, tmp_path, loaded_once, size, says):
    """Before, --labels at 64x8192 drew names of 158-pixel text across a 64-pixel picture, and at 8192x64 stacked
    them above its top; the picture is still written, without names, and stderr says why in one line."""
    out = tmp_path / "x.png"
    code, stdout, err = run_cli("render", "--out", str(out), "--size", size, "--labels")
    assert code == 0 and stdout.strip() == str(out) and out.exists()
    labels, *legend = err.splitlines()
    assert labels.startswith("calfviewer: labels left out: ") and says in labels, err
    if size == "64x8192":  # the legend does not fit 64 pixels across either; its three rows fit 64 high
        assert legend == [legend[0]] and legend[0].startswith("calfviewer: legend left out: the legend needs "), err
    else:
        assert legend == [], err


@pytest.mark.parametrize(
    ("command", "hide", "says"),
    [("render", ["soleus"], "Soleus is selected but not drawn"),
     ("render", ["intermediate"], "Soleus is selected but not drawn"),
     ("movie", ["soleus"], "Soleus is selected but not drawn"),
     ("render", ["deep"], None)],
)  # fmt: skip
def test_a_selection_that_is_not_drawn_is_said(run_cli, tmp_path, loaded_once, command, hide, says):
    """``--select soleus --hide soleus`` (or its layer hidden) wrote a picture in which nothing marked the
    selection, and said nothing of it; now one line on stderr says so. A selection that is drawn says nothing."""
    out = tmp_path / ("x.png" if command == "render" else "m.gif")
    timing = ["--action", "soleus", "--fps", "1", "--seconds", "1", "--quiet"] if command == "movie" else []
    code, _, err = run_cli(
        command, "--out", str(out), "--size", "120x160", "--select", "soleus", "--hide", *hide, *timing
    )
    assert code == 0 and out.exists(), err
    unseen = [line for line in err.splitlines() if "selected but not drawn" in line]
    if says is None:
        assert unseen == [], err
    else:
        assert len(unseen) == 1 and unseen[0].startswith(f"calfviewer: {says}") and "marks it" in unseen[0], err


def test_a_scaled_still_s_note_says_to_make_size_larger_not_scale(run_cli, tmp_path, loaded_once):
    """``--size 200x1000 --scale 2 --labels`` writes a 400x2000 picture and said "the longest name needs 221
    pixels, more than the picture's 200; make it wider": the picture is 400 wide, and a larger --scale makes no
    room (the names are laid out at --size and drawn larger). The note now says which to change."""
    out = tmp_path / "x.png"
    code, _, err = run_cli("render", "--out", str(out), "--size", "200x1000", "--scale", "2", "--labels")
    assert code == 0 and Image.open(out).size == (400, 2000), err
    assert err.count("\n") == 1 and err.startswith("calfviewer: labels left out: "), err
    assert "laid out at --size 200x1000" in err and "a larger --scale does not" in err, err


@pytest.mark.parametrize(
    ("size", "says"),
    [("64x1200", "its words do not fit across a picture 64 pixels wide; make it wider"),
     ("1200x64", "its numbers need a picture at least ")],
)  # fmt: skip
def test_a_colour_bar_that_cannot_fit_the_picture_is_left_out_with_a_note(run_cli, tmp_path, loaded_once, size, says):
    """Before, --colour-by stretch at 64x1200 drew the bar's title and words cut by the edge ("Lengt"), and at
    1200x64 its five numbers on top of each other."""
    out = tmp_path / "x.png"
    code, _, err = run_cli("render", "--out", str(out), "--size", size, "--colour-by", "stretch")
    assert code == 0 and out.exists(), err
    assert f"calfviewer: colour bar left out: {says}" in err, err


@pytest.mark.parametrize(
    ("command", "name", "says"),
    [
        ("render", ".png", "output '.png' is only a suffix; give the file a name, e.g. 'calf.png'"),
        ("export", ".glb", "output '.glb' is only a suffix; give the file a name, e.g. 'calf.glb'"),
        ("movie", ".GIF", "output '.GIF' is only a suffix; give the file a name, e.g. 'calf.GIF'"),
        ("render", "x.png ", "output 'x.png ' ends in a space after its suffix; leave the space out ('x.png')"),
        ("export", "x.obj\t", "output 'x.obj\\t' ends in a space after its suffix; leave the space out ('x.obj')"),
    ],
)
def test_an_out_that_is_only_a_suffix_or_ends_in_a_space_is_told_so(
    run_cli, tmp_path, monkeypatch, command, name, says
):
    """Both were told "output '.png' must end in .png, ...", which they seem to do (pathlib takes '.png' for a
    hidden file without a suffix)."""
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(command, "--out", name, *(("--action", "soleus") if command == "movie" else ()))
    assert code == 2 and err == f"calfviewer: error: {says}\n"
    assert list(tmp_path.iterdir()) == []


def test_an_out_that_is_a_symbolic_link_loop_is_refused_before_any_work(run_cli, tmp_path):
    (tmp_path / "a.png").symlink_to("b.png")
    (tmp_path / "b.png").symlink_to("a.png")
    code, _, err = run_cli("render", "--out", str(tmp_path / "a.png"))
    assert code == 2 and err.count("\n") == 1 and "is a symbolic link that leads back to itself" in err, err
    assert os.readlink(tmp_path / "a.png") == "b.png" and os.readlink(tmp_path / "b.png") == "a.png"


def test_a_missing_folder_is_named_where_the_path_first_goes_missing(run_cli, tmp_path):
    """`--out typo/a/b/x.png` named 'typo/a/b' as the folder that does not exist; the one to make is 'typo'."""
    code, _, err = run_cli("render", "--out", str(tmp_path / "typo" / "a" / "b" / "x.png"))
    assert code == 2 and err.count("\n") == 1, err
    assert err.endswith(f"folder {str(tmp_path / 'typo')!r} does not exist\n"), err


@pytest.mark.parametrize("option", ["--out", "--state"])
def test_a_path_of_thousands_of_characters_is_shown_cut_in_the_message(run_cli, tmp_path, option):
    """A path of 5,400 characters (a paste gone wrong) was repeated whole: one line, but 5,460 characters long."""
    path = "abcdefgh/" * 600 + ("v.json" if option == "--state" else "x.png")
    argv = ["--out", str(tmp_path / "x.png"), "--state", path] if option == "--state" else ["--out", path]
    code, _, err = run_cli("render", *argv)
    assert code == 2 and err.count("\n") == 1 and len(err) < 400, err
    assert f"({len(path)} characters)" in err and path[-30:] in err, err


def test_a_failing_write_is_one_line_not_a_traceback(run_cli, loaded_once):
    """/proc passes the folder check (root may write anywhere) but refuses the file: the OSError is caught."""
    code, _, err = run_cli("render", "--out", "/proc/calf.png", "--size", "128x128")
    assert code == 2 and err.count("\n") == 1 and "cannot write '/proc/calf.png'" in err, err


def test_malformed_state_file_is_one_line(run_cli, tmp_path):
    state = tmp_path / "view.json"
    state.write_text(json.dumps({"pose": {"knee_flexion": "bent"}}))
    code, _, err = run_cli("render", "--out", str(tmp_path / "x.png"), "--state", str(state))
    assert code == 2 and "'pose.knee_flexion'" in err and err.count("\n") == 1


def test_a_state_file_with_a_key_given_twice_is_one_line(run_cli, tmp_path):
    state = tmp_path / "view.json"
    state.write_text('{"pose": {"knee_flexion": 10, "knee_flexion": 90}}')
    code, _, err = run_cli("render", "--out", str(tmp_path / "x.png"), "--state", str(state))
    assert code == 2 and err.count("\n") == 1, err
    assert "'view.json' field 'pose.knee_flexion' is given twice" in err and not (tmp_path / "x.png").exists()


def test_the_command_line_angles_go_over_the_state_files(catalogue, model, tmp_path):
    """Each angle given on the command line replaces the state file's; the others keep the file's values."""
    state = tmp_path / "view.json"
    state.write_text(json.dumps({"pose": {"plantarflexion": 10, "subtalar": 5, "toes": 12}}))
    posed = posed_state(catalogue, model, state=str(state), knee_flexion="30", toes="-20")
    assert posed.pose == Pose(plantarflexion=10, knee_flexion=30, subtalar=5, toes=-20)
    assert posed_state(catalogue, model, subtalar="-15").pose == Pose(subtalar=-15)
    assert posed_state(catalogue, model, state=str(state)).pose == Pose(10, 0, 5, 12)


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("render", ("angles not given keep the file's", "--select, --view and --section replace")),
        ("export", ("angles not given keep the file's", "--hide hides more")),
        ("movie", ("--action or --from/--to replaces the file's pose", "--select, --view and --section replace")),
    ],
)
def test_help_says_what_the_command_line_does_to_a_state_file(run_cli, command, says):
    """--help said only "a saved view state to start from": not which wins when a flag and the file disagree."""
    code, usage, _ = run_cli(command, "--help")
    said = " ".join(usage.split())
    assert code == 0 and "what the command line gives goes over it" in said, said
    assert all(words in said for words in says), said


@pytest.mark.parametrize("command", ["render", "export", "movie"])
def test_state_help_names_only_flags_the_command_takes(run_cli, command):
    """Every flag ``--state``'s help names is one this command has: before, one text served all three, and
    ``export --help`` told of ``--select``, ``--view``, ``--hide``, ``--labels`` and ``--action``, which it refused."""
    code, text, _ = run_cli(command, "--help")
    assert code == 0
    options = text[text.index("options:") :]
    state_help = re.search(r"\n  --state FILE\.json(.*?)\n  -", options, re.S)
    assert state_help, options
    named = set(re.findall(r"--[a-z][a-z-]*", state_help[1]))
    has = set(re.findall(r"(?m)^  (?:-\w, )?(--[a-z][a-z-]*)", options))
    assert named and named <= has, named - has


def test_select_view_hide_and_labels_go_over_a_state_file_as_the_help_says(catalogue, model, tmp_path):
    from calfviewer.scene.render import RenderRequest, build_state
    from calfviewer.scene.view_flags import ViewFlags

    path = tmp_path / "view.json"
    path.write_text(json.dumps({
        "selection": "soleus", "camera": "anterior", "labels": False,
        "visibility": {"structures": {"tibia": False}}, "pose": {"knee_flexion": 30, "toes": 5},
    }))  # fmt: skip
    look = ViewFlags(select="fibula", view="medial", hide=("deep",), labels=True)
    request = RenderRequest(out="x.png", state=str(path), look=look, plantarflexion="10")
    state = build_state(request, catalogue, model)
    assert state.selection == "fibula" and state.camera.view == "medial" and state.labels
    assert not state.structure_visible["tibia"] and not state.layer_visible["deep"]  # the file's and --hide's
    assert state.pose == Pose(plantarflexion=10, knee_flexion=30, toes=5)
    kept = build_state(RenderRequest(out="x.png", state=str(path)), catalogue, model)
    assert kept.selection == "soleus" and kept.camera.view == "anterior" and not kept.labels


def test_parse_size():
    assert parse_size("640x800") == (640, 800)
    assert parse_size(" 64X8192 ") == (64, 8192)


def test_written_files_get_ordinary_permissions(tmp_path):
    """The temporary file is private; the PNG or view file it becomes is not (0666 less the umask)."""
    from calfviewer.files import write_atomic

    umask = os.umask(0o022)
    try:
        target = tmp_path / "a.png"
        write_atomic(target, b"x")
        assert target.stat().st_mode & 0o777 == 0o644
        target.chmod(0o600)
        write_atomic(target, b"y")  # replacing a file keeps its mode
        assert target.stat().st_mode & 0o777 == 0o600 and target.read_bytes() == b"y"
    finally:
        os.umask(umask)


def test_a_faded_layer_shows_in_the_picture(run_cli, tmp_path, loaded_once):
    """Faded is between hidden and solid: the see-through layer tints the picture (with depth peeling on, a
    multisampled window used to drop translucent structures, so faded looked exactly like hidden)."""

    def picture(name: str, state: dict) -> np.ndarray:
        path, out = tmp_path / f"{name}.json", tmp_path / f"{name}.png"
        path.write_text(json.dumps({"camera": "posterior", **state}))
        code, _, err = run_cli("render", "--out", str(out), "--size", "160x200", "--state", str(path))
        assert code == 0, err
        image = np.asarray(Image.open(out))[..., :3].astype(float)
        return image[: int(0.7 * image.shape[0])]  # above the legend, whose rows differ anyway

    solid = picture("solid", {})
    faded = picture("faded", {"opacity": {"layers": {"superficial": 0.4}}})
    hidden = picture("hidden", {"visibility": {"layers": {"superficial": False}}})
    to_hidden, to_solid = np.abs(faded - hidden).mean(), np.abs(faded - solid).mean()
    assert to_hidden > 1.0 and to_solid > 1.0, (to_hidden, to_solid)


@pytest.mark.parametrize(
    ("saved", "labels_saved", "size", "labels_given"),
    [((900, 1200), False, "1200x800", True), ((1600, 900), True, "900x1200", False)],
)
def test_a_view_file_s_face_on_cut_is_framed_for_the_picture_as_the_window_frames_it(
    run_cli, tmp_path, loaded_once, geometry, model, catalogue, saved, labels_saved, size, labels_given
):
    """Before, a face-on cut saved without labels (or in a window of another shape) and rendered with --labels was
    drawn as saved: the slice filled the picture and the names went over it, or most were left out. It is framed
    for the picture as the window frames the cut when its labels are switched: the same picture as the cut asked
    for with --section at that size."""
    from calfviewer.scene.anatomy_scene import AnatomyScene
    from calfviewer.scene.render import make_plotter
    from calfviewer.viewer.section_plane import parse_section
    from calfviewer.viewer.view_state import ViewState

    state = ViewState(catalogue=catalogue)
    state.section = parse_section("axial@0.35")
    plotter = make_plotter(saved)
    try:
        scene = AnatomyScene(plotter, geometry, model, catalogue, state)
        state.labels = labels_saved
        state.camera = scene.section_camera()  # the Section menu's framing in that window
        scene.close()
    finally:
        plotter.close()
    view = tmp_path / "cut.json"
    state.save(view)
    labels = ["--labels"] if labels_given else []
    from_file, asked = tmp_path / "from-file.png", tmp_path / "asked.png"
    code, _, err = run_cli("render", "--state", str(view), "--size", size, "--out", str(from_file), *labels)
    assert code == 0, err
    labels = ["--labels"] if labels_given or labels_saved else []
    code, _, err = run_cli("render", "--section", "axial@0.35", "--size", size, "--out", str(asked), *labels)
    assert code == 0, err
    assert np.array_equal(np.asarray(Image.open(from_file)), np.asarray(Image.open(asked)))
