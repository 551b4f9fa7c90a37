"""Section planes as view-state values: checked when made, parsed from ``--section``, in view files and back."""

from __future__ import annotations

import json

import pytest

from calfviewer.errors import CalfviewerError
from calfviewer.viewer.section_plane import Section, SectionError, parse_section
from calfviewer.viewer.view_state import ViewFileError, ViewState


@pytest.mark.parametrize(
    ("text", "kind", "position"),
    [("axial@0.35", "axial", 0.35), ("sagittal@0", "sagittal", 0.0), ("coronal@1", "coronal", 1.0),
     (" Axial @ .5 ", "axial", 0.5)],
)  # fmt: skip
def test_parse_standard_planes(text, kind, position):
    section = parse_section(text)
    assert (section.kind, section.position) == (kind, position)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("axial", "is not PLANE@FRACTION"),
        ("axial@", "is not PLANE@FRACTION"),
        ("transverse@0.3", "plane 'transverse' is unknown"),
        ("free@0.3", "plane 'free' is unknown"),
        ("axial@1.5", "outside 0 to 1"),
        ("axial@-0.1", "outside 0 to 1"),
        ("axial@nan", "is not PLANE@FRACTION"),
        ("axial@1e999", "outside 0 to 1"),
        ("axial@0.3.1", "is not a number"),
        ("axial@0,3", "is not PLANE@FRACTION"),
    ],
)
def test_bad_section_text_is_one_line_naming_what_is_valid(text, says):
    with pytest.raises(CalfviewerError) as error:
        parse_section(text)
    assert says in str(error.value) and "\n" not in str(error.value)


def test_a_free_plane_is_normalised_and_checked():
    section = Section.free((0.0, 0.1, 0.2), (0.0, 0.0, 2.0))
    assert section.normal == (0.0, 0.0, 1.0)
    with pytest.raises(SectionError, match="normal: must not be zero"):
        Section.free((0.0, 0.0, 0.0), (0.0, 0.0, 0.0))
    with pytest.raises(SectionError, match=r"origin\[1\]"):
        Section.free((0.0, float("nan"), 0.0), (1.0, 0.0, 0.0))
    with pytest.raises(SectionError, match="placed by its position alone"):
        Section("axial", 0.3, origin=(0.0, 0.0, 0.0))
    with pytest.raises(SectionError, match="position"):
        Section("coronal", 2.0)


def test_the_state_takes_a_section_and_emits_only_on_change(catalogue):
    state = ViewState(catalogue=catalogue)
    assert state.section is None
    seen = []
    state.events.section.connect(lambda new, old: seen.append((new, old)))
    state.section = Section("axial", 0.35)
    state.section = Section("axial", 0.35)  # equal: no event
    state.section = None
    assert seen == [(Section("axial", 0.35), None), (None, Section("axial", 0.35))]
    with pytest.raises(CalfviewerError, match="section must be a Section"):
        state.section = "axial@0.35"  # type: ignore[assignment]


def test_sections_round_trip_through_view_files(catalogue, tmp_path):
    for section in (Section("sagittal", 0.25), Section.free((0.01, -0.02, 0.3), (0.0, 0.6, 0.8))):
        state = ViewState(catalogue=catalogue, section=section)
        path = tmp_path / "view.json"
        state.save(path)
        assert ViewState.load(path, catalogue).section == section
    assert json.loads(path.read_text())["section"] == {"kind": "free", "origin": [0.01, -0.02, 0.3],
                                                       "normal": [0.0, 0.6, 0.8]}  # fmt: skip


def test_a_view_file_from_before_sections_still_loads(catalogue, tmp_path):
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"format": "calfviewer-view", "version": 1, "selection": "soleus", "camera": "medial"}))
    state = ViewState.load(path, catalogue)
    assert state.section is None and state.selection == "soleus"


@pytest.mark.parametrize(
    ("section", "field", "says"),
    [
        ("axial", "section", "expected an object"),
        ({"kind": "oblique", "position": 0.3}, "section.kind", "expected one of axial, sagittal, coronal, free"),
        ({"kind": "axial"}, "section.position", "missing"),
        ({"kind": "axial", "position": 3}, "section.position", "fraction from 0 to 1"),
        ({"kind": "axial", "position": "0.3"}, "section.position", "expected a number"),
        ({"kind": "axial", "position": 0.3, "normal": [0, 0, 1]}, "section.normal", "position alone"),
        ({"kind": "free", "origin": [0, 0, 0]}, "section.normal", "missing"),
        ({"kind": "free", "origin": [0, 0, 0], "normal": [0, 0, 0]}, "section.normal", "must not be zero"),
        ({"kind": "free", "origin": [0, 0], "normal": [0, 0, 1]}, "section.origin", "3 numbers"),
        ({"kind": "axial", "position": 0.3, "depth": 1}, "section.depth", "unknown field"),
    ],
)
def test_a_bad_section_in_a_view_file_names_the_field(catalogue, tmp_path, section, field, says):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"section": section}))
    with pytest.raises(ViewFileError) as error:
        ViewState.load(path, catalogue)
    message = str(error.value)
    assert f"field {field!r}" in message and says in message and "\n" not in message, message


def test_a_free_plane_is_mirrored_for_the_other_leg_and_a_standard_one_is_not():
    """The left leg is the right one mirrored across world x = 0; a standard plane is placed in the leg's own frame
    (sagittal runs medial to lateral on either leg), so it is the same cut as it stands."""
    free = Section.free((-0.09, 0.01, -0.65), (0.6, 0.8, 0.0))
    mirrored = free.mirrored()
    assert mirrored.origin == (0.09, 0.01, -0.65)
    assert mirrored.normal == pytest.approx((-0.6, 0.8, 0.0))
    assert mirrored.mirrored() == free
    for standard in (Section("axial", 0.35), Section("sagittal", 0.2), Section("coronal", 0.7)):
        assert standard.mirrored() == standard
