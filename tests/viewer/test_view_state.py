"""ViewState: plain data that says what is shown, emits only real changes, and survives a JSON round trip."""

from __future__ import annotations

import json
import math
import os

import pytest

from calfviewer.errors import CalfviewerError
from calfviewer.musculoskeletal import Pose
from calfviewer.viewer.view_state import (
    FADED_OPACITY,
    Camera,
    UnknownNameError,
    ViewFileError,
    ViewState,
)


@pytest.fixture
def state(catalogue) -> ViewState:
    return ViewState(catalogue=catalogue)


def recorder(state: ViewState) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []

    def listen(name: str) -> None:
        getattr(state.events, name).connect(lambda new: seen.append((name, new)))

    for name in ("structure_visible", "layer_visible", "layer_opacity", "selection", "pose", "camera", "labels"):
        listen(name)
    return seen


def test_defaults_show_everything_opaque(state, catalogue):
    for structure in catalogue.structures:
        assert state.effective_visibility(structure)
        assert state.effective_opacity(structure) == 1.0
    assert state.selection is None and state.pose == Pose() and state.camera == Camera.named("posterior")


def test_layer_and_structure_combine(state):
    state.set_visible("superficial", False)
    assert not state.effective_visibility("gastrocnemius_medial_head")
    assert state.effective_visibility("soleus")
    state.set_visible("superficial", True)
    state.set_visible("soleus", False)
    assert not state.effective_visibility("soleus") and state.effective_visibility("plantaris")
    state.set_opacity("intermediate", 0.5)
    state.set_opacity("plantaris", 0.5)
    assert state.effective_opacity("plantaris") == pytest.approx(0.25)
    assert state.effective_opacity("tibia") == 1.0


def test_fade_others_fades_all_but_the_selection(state):
    state.fade_others = True
    assert state.effective_opacity("tibia") == 1.0  # nothing selected: nothing to fade around
    state.select("soleus")
    assert state.effective_opacity("soleus") == 1.0
    assert state.effective_opacity("tibia") == pytest.approx(FADED_OPACITY)


def test_events_fire_only_on_real_change(state):
    seen = recorder(state)
    state.select("soleus")
    state.select("soleus")
    state.set_visible("deep", False)
    state.set_visible("deep", False)
    state.pose = Pose(plantarflexion=10)
    state.pose = Pose(plantarflexion=10)
    state.camera = "medial"
    state.camera = Camera.named("medial")
    state.labels = False  # already False
    assert seen == [
        ("selection", "soleus"),
        ("layer_visible", {"deep": False}),
        ("pose", Pose(plantarflexion=10)),
        ("camera", Camera.named("medial")),
    ]


def test_unknown_names_are_refused_naming_them(state):
    with pytest.raises(UnknownNameError, match="'bicep'"):
        state.select("bicep")
    with pytest.raises(UnknownNameError, match=r"'skin'.*superficial"):
        state.set_visible("skin", False)
    with pytest.raises(UnknownNameError, match="'nope'"):
        state.layer_opacity = {"nope": 0.5}
    with pytest.raises(CalfviewerError, match="opacity"):
        state.set_opacity("soleus", 1.5)
    assert state.selection is None and dict(state.layer_opacity) == {}


def test_mappings_cannot_be_changed_behind_the_events(state):
    state.set_visible("soleus", False)
    with pytest.raises(TypeError):
        state.structure_visible["soleus"] = True  # type: ignore[index]


def test_isolate_and_show_all(state, catalogue):
    state.set_visible("superficial", False)
    state.isolate("gastrocnemius_medial_head")
    shown = [s.id for s in catalogue.structures if state.effective_visibility(s)]
    assert shown == ["gastrocnemius_medial_head"]
    state.fade("deep")
    state.show_all()
    assert all(state.effective_visibility(s) and state.effective_opacity(s) == 1.0 for s in catalogue.structures)


def _full_state(catalogue) -> ViewState:
    state = ViewState(catalogue=catalogue)
    state.set_visible("superficial", False)
    state.set_visible("tibia", False)
    state.set_opacity("deep", 0.4)
    state.set_opacity("soleus", 0.7)
    state.select("plantaris")
    state.pose = Pose(plantarflexion=25.5, knee_flexion=40, subtalar=-5, toes=-20)
    state.camera = Camera(view=None, position=(0.5, 0.2, -0.6), focal_point=(0, 0, -0.7), view_up=(0, 0, 1))
    state.labels = True
    state.fade_others = True
    return state


def test_json_round_trip(catalogue, tmp_path):
    state = _full_state(catalogue)
    again = ViewState.from_json(state.to_json(), catalogue)
    assert again == state
    path = tmp_path / "view.json"
    state.save(path)
    assert ViewState.load(path, catalogue) == state
    assert json.loads(path.read_text())["camera"]["position"] == [0.5, 0.2, -0.6]
    assert [p.name for p in tmp_path.iterdir()] == ["view.json"]  # no temporary file left behind
    named = ViewState(catalogue=catalogue, camera=Camera.named("lateral"))
    assert json.loads(named.to_json())["camera"] == "lateral"
    assert ViewState.from_json(named.to_json(), catalogue).camera == Camera.named("lateral")


def test_a_view_file_saved_with_a_byte_order_mark_loads(catalogue, tmp_path):
    """A file edited by hand in an editor that starts UTF-8 with a byte order mark (Windows Notepad did by default):
    before, it was refused with Python's "Unexpected UTF-8 BOM (decode using utf-8-sig)"."""
    path = tmp_path / "notepad.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"pose": {"plantarflexion": 10.0}, "camera": "medial"}).encode())
    loaded = ViewState.load(path, catalogue)
    assert loaded.pose == Pose(plantarflexion=10) and loaded.camera == Camera.named("medial")


def test_a_view_file_from_before_the_toe_joint_still_loads(catalogue, tmp_path):
    """A file saved before the pose had a toe angle (its pose has three keys, or fewer) loads with the toes neutral,
    and a file saved now names all four angles."""
    path = tmp_path / "old.json"
    path.write_text(
        json.dumps(
            {
                "format": "calfviewer-view",
                "version": 1,
                "pose": {"plantarflexion": 10.0, "knee_flexion": 20.0, "subtalar": 5.0},
                "camera": "medial",
            }
        )
    )
    loaded = ViewState.load(path, catalogue)
    assert loaded.pose == Pose(plantarflexion=10, knee_flexion=20, subtalar=5, toes=0)
    assert json.loads(loaded.to_json())["pose"] == {
        "plantarflexion": 10.0,
        "knee_flexion": 20.0,
        "subtalar": 5.0,
        "toes": 0.0,
    }
    path.write_text(json.dumps({"pose": {"toes": 15}}))
    assert ViewState.load(path, catalogue).pose == Pose(toes=15)


def test_a_pose_the_model_refuses_names_the_toe_range(catalogue, model):
    state = ViewState(catalogue=catalogue)
    state.limit_poses(model.ranges)
    with pytest.raises(CalfviewerError, match="toe flexion 45° is out of range: use -30 to 30"):
        state.pose = Pose(toes=45)
    assert state.pose == Pose()


def test_a_file_s_angle_outside_the_model_s_range_is_refused_as_its_field_when_read(catalogue, model, tmp_path):
    path = tmp_path / "bent.json"
    path.write_text(json.dumps({"pose": {"plantarflexion": 10, "knee_flexion": 120.5}}))
    assert ViewState.load(path, catalogue).pose.knee_flexion == 120.5  # without the model's ranges: read as it is
    with pytest.raises(
        CalfviewerError, match=r"^view file 'bent\.json' field 'pose\.knee_flexion': knee flexion 120\.5° is out of"
    ):
        ViewState.load(path, catalogue, ranges=model.ranges)


def test_a_number_past_a_float_s_range_is_named_as_such(catalogue, tmp_path):
    """JSON's 1e400 reads as Infinity: the message said "expected a number, got a number Infinity"."""
    path = tmp_path / "view.json"
    path.write_text('{"pose": {"knee_flexion": 1e400}}')
    with pytest.raises(
        ViewFileError,
        match=r"'pose.knee_flexion': expected a finite number, got Infinity \(or a "
        r"number too large for a float, such as 1e400\)$",
    ):
        ViewState.load(path, catalogue)


def test_apply_emits_only_what_differs(catalogue):
    live = ViewState(catalogue=catalogue)
    seen = recorder(live)
    loaded = ViewState(catalogue=catalogue, selection="soleus")
    live.apply(loaded)
    assert seen == [("selection", "soleus")]


@pytest.mark.parametrize(
    ("edit", "field", "says"),
    [
        (lambda d: d["pose"].update(knee_flexion="abc"), "pose.knee_flexion", "expected a number"),
        (lambda d: d["pose"].update(plantarflexion=None), "pose.plantarflexion", "expected a number"),
        (lambda d: d["pose"].update(toes="curled"), "pose.toes", "expected a number"),
        (
            lambda d: d["pose"].update(hallux=10),
            "pose.hallux",
            "valid fields are plantarflexion, knee_flexion, subtalar, toes",
        ),
        (lambda d: d["visibility"]["structures"].update(bicep=False), "visibility.structures.bicep", "bicep"),
        (lambda d: d["visibility"]["layers"].update(deep="no"), "visibility.layers.deep", "true or false"),
        (lambda d: d["opacity"]["layers"].update(deep=2), "opacity.layers.deep", "from 0 to 1"),
        (lambda d: d.update(selection="bicep"), "selection", "bicep"),
        (
            lambda d: d.update(selection=["soleus"]),
            "selection",
            'expected a structure id, a string such as "soleus", got a list',
        ),
        (lambda d: d.update(selection=5), "selection", "got a number 5"),
        (lambda d: d.update(camera="upside"), "camera", "posterior"),
        (lambda d: d["camera"].update(position=[1, 2]), "camera.position", "3 numbers"),
        (lambda d: d.update(labels="yes"), "labels", "true or false"),
        (lambda d: d.update(colour="red"), "colour", "unknown field"),
        (lambda d: d.update(version=7), "version", "expected 1"),
        # "expected a number, got a number NaN" said nothing of what was wrong with it
        (lambda d: d["pose"].update(knee_flexion=math.nan), "pose.knee_flexion", "expected a finite number, got NaN"),
        (lambda d: d["pose"].update(toes=-math.inf), "pose.toes", "a finite number, got -Infinity (or a number too"),
        (lambda d: d["camera"].update(view_angle=math.inf), "camera.view_angle", "such as 1e400"),
        (lambda d: d.update(version=True), "version", "expected 1, got a boolean true"),  # JSON's word, not True
    ],
)
def test_malformed_file_names_the_field_and_touches_nothing(catalogue, tmp_path, edit, field, says):
    data = json.loads(_full_state(catalogue).to_json())
    edit(data)
    path = tmp_path / "view.json"
    text = json.dumps(data)
    path.write_text(text)
    live = ViewState(catalogue=catalogue)
    before = live.to_json()
    with pytest.raises(ViewFileError) as caught:
        live.apply(ViewState.load(path, catalogue))
    message = str(caught.value)
    assert f"'{field}'" in message and says in message and "\n" not in message
    assert path.read_text() == text and live.to_json() == before


@pytest.mark.parametrize(
    "text",
    ["", "{", "[1, 2]", "null", "\x00\x01", "[" * 100_000],
    ids=["empty", "brace", "list", "null", "control", "deep"],
)
def test_not_a_state_file(catalogue, tmp_path, text):
    path = tmp_path / "view.json"
    path.write_text(text)
    with pytest.raises(ViewFileError) as caught:
        ViewState.load(path, catalogue)
    assert "view.json" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('{"pose": {"knee_flexion": 10}, "pose": {"knee_flexion": 90}}', "pose"),
        ('{"pose": {"knee_flexion": 10, "knee_flexion": 90}}', "pose.knee_flexion"),
        ('{"camera": {"view": "medial"}, "selection": "soleus", "selection": "tibia"}', "selection"),
        ('{"visibility": {"layers": {"deep": false, "deep": true}}}', "visibility.layers.deep"),
        ('{"section": {"kind": "free", "origin": [0, 0, 0], "normal": [0, 0, 1], "normal": [1, 0, 0]}}',
         "section.normal"),
    ],
)  # fmt: skip
def test_a_key_given_twice_is_refused_naming_the_file_and_the_key(catalogue, tmp_path, text, field):
    """json keeps the last of two equal keys silently: a hand-edited file with two knee angles showed the second
    with nothing said. Now the file is refused, naming it and the repeated key's path."""
    path = tmp_path / "view.json"
    path.write_text(text)
    with pytest.raises(ViewFileError) as caught:
        ViewState.load(path, catalogue)
    message = str(caught.value)
    assert "'view.json'" in message and f"field {field!r} is given twice" in message and "\n" not in message


def test_a_bookmark_file_given_as_a_view_file_is_named_one(catalogue, tmp_path):
    """It was refused as "field 'bookmarks': unknown field", which does not say what the file is or where it goes."""
    path = tmp_path / "lesson.json"
    path.write_text(
        json.dumps({"format": "calfviewer-bookmarks", "version": 1, "bookmarks": [{"name": "A", "view": {}}]})
    )
    with pytest.raises(ViewFileError) as caught:
        ViewState.load(path, catalogue)
    assert str(caught.value) == (
        "view file 'lesson.json' field 'format': this is a bookmark file, several views: open it with "
        "Bookmarks > Load… in the window; a view file holds one view, as File > Save view writes it"
    )


def test_missing_file_is_one_line(catalogue, tmp_path):
    with pytest.raises(ViewFileError, match=r"cannot read view file .*No such file"):
        ViewState.load(tmp_path / "absent.json", catalogue)


def test_failed_save_leaves_the_old_file(catalogue, tmp_path, monkeypatch):
    path = tmp_path / "view.json"
    ViewState(catalogue=catalogue).save(path)
    old = path.read_text()

    def refuse(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ViewFileError, match="No space left"):
        _full_state(catalogue).save(path)
    assert path.read_text() == old
    assert [p.name for p in tmp_path.iterdir()] == ["view.json"]


def test_save_into_a_missing_folder_is_one_line(catalogue, tmp_path):
    with pytest.raises(ViewFileError, match="cannot write view file"):
        ViewState(catalogue=catalogue).save(tmp_path / "no" / "such" / "view.json")


def test_set_drawn_leaves_each_structure_drawn_exactly_as_its_box_says(state, catalogue):
    superficial = [s.id for s in catalogue.structures if s.layer == "superficial"]
    state.set_drawn("superficial", False)
    assert not any(state.effective_visibility(sid) for sid in superficial)
    state.set_drawn(superficial[0], True)  # one box checked inside a hidden layer: that one alone appears
    assert [state.effective_visibility(sid) for sid in superficial] == [True] + [False] * (len(superficial) - 1)
    state.set_drawn("superficial", True)  # the layer's box checked: everything in it
    assert all(state.effective_visibility(sid) for sid in superficial)
    state.set_drawn("soleus", False)
    assert not state.effective_visibility("soleus") and state.effective_visibility("plantaris")


def test_a_view_saved_on_one_leg_opens_the_same_on_the_other(catalogue, tmp_path):
    """The file records the leg its camera and free section are placed for; read for the other leg, they are
    mirrored across the midline (before: the camera looked at empty space beside the leg shown)."""
    from calfviewer.viewer.section_plane import Section

    camera = Camera(view=None, position=(0.6, 0.1, -0.5), focal_point=(0.09, 0.01, -0.65), view_up=(0.0, 0.0, 1.0))
    state = ViewState(catalogue=catalogue, camera=camera, section=Section.free((0.09, 0.0, -0.6), (1.0, 0.0, 0.0)))
    path = tmp_path / "left.json"
    state.save(path, side="left")
    assert json.loads(path.read_text())["side"] == "left"
    same = ViewState.load(path, catalogue, side="left")
    assert same.camera == camera and same.section == state.section
    other = ViewState.load(path, catalogue, side="right")
    assert other.camera.position == (-0.6, 0.1, -0.5) and other.camera.view_up == (0.0, 0.0, 1.0)
    assert other.section.origin == (-0.09, 0.0, -0.6) and other.section.normal == (-1.0, 0.0, 0.0)
    assert ViewState.load(path, catalogue).camera == camera  # read for no leg in particular: as written
    named = ViewState(catalogue=catalogue, camera="lateral")
    named.save(path, side="left")
    assert ViewState.load(path, catalogue, side="right").camera.view == "lateral"  # framed for whichever leg
    state.save(path)  # a file that does not say (as before this field): taken as made for the leg it is read for
    assert "side" not in json.loads(path.read_text())
    assert ViewState.load(path, catalogue, side="right").camera == camera
    path.write_text(json.dumps({"side": "both"}))
    with pytest.raises(ViewFileError, match="field 'side': expected one of right, left"):
        ViewState.load(path, catalogue, side="right")


@pytest.mark.parametrize(("text", "got"), [("[1, 2]", "a list"), ("null", "null"), ('"soleus"', 'a string "soleus"')])
def test_a_file_that_is_not_an_object_says_what_a_view_file_holds_not_an_empty_field(catalogue, tmp_path, text, got):
    """A hand-edited file holding a list (or null, or a string) was refused with "field '': expected an object, got
    a list", naming a field with no name. Now the line says what the file holds and what a view file is."""
    path = tmp_path / "view.json"
    path.write_text(text)
    with pytest.raises(ViewFileError) as caught:
        ViewState.load(path, catalogue)
    message = str(caught.value)
    assert "field ''" not in message
    assert message.endswith(f"holds {got}, not a view: a view file is one JSON object, as File > Save view writes it")


@pytest.mark.parametrize(
    ("text", "field", "written"),
    [
        ('{"pose": {"knee_flexion": NaN}}', "pose.knee_flexion", "NaN"),
        ('{"pose": {"plantarflexion": -Infinity}}', "pose.plantarflexion", "-Infinity"),
        (
            '{"camera": {"position": [1e309, 0, 0], "focal_point": [0, 0, 0], "view_up": [0, 0, 1]}}',
            "camera.position[0]",
            "Infinity",
        ),
        ('{"section": {"kind": "axial", "position": NaN}}', "section.position", "NaN"),
        ('{"section": {"kind": "free", "origin": [0, 0, 0], "normal": [NaN, 0, 1]}}', "section.normal[0]", "NaN"),
    ],
)
def test_a_number_that_is_not_finite_is_said_to_be_so(catalogue, text, field, written):
    """Python's JSON reader takes NaN, Infinity and numbers past a float's range (1e309) as floats, and the message
    said "expected a number, got a number NaN": a number refused for being a number. It says what is wrong with
    it, as the command line's options do ("must be a finite number")."""
    with pytest.raises(ViewFileError) as caught:
        ViewState.from_json(text, catalogue, source="view file 'odd.json'")
    message = str(caught.value)
    # (an infinity goes on to say it may have been a number too large for a float: test_a_number_past_a_float_s_...)
    assert message.startswith(f"view file 'odd.json' field '{field}': expected a finite number, got {written}")
