"""Bookmark files without a window: written atomically, read back whole, and any fault refused whole with one line
naming the file, the bookmark and the field."""

from __future__ import annotations

import base64
import json

import pytest

from calfviewer.errors import CalfviewerError
from calfviewer.musculoskeletal import Pose
from calfviewer.scene import bookmarks as store
from calfviewer.viewer.section_plane import Section
from calfviewer.viewer.view_state import Camera, ViewState


def _png() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 3), (200, 40, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


def _views(catalogue) -> list[store.Bookmark]:
    one = ViewState(catalogue=catalogue, selection="soleus", camera="medial")
    two = ViewState(catalogue=catalogue, pose=Pose(plantarflexion=20), section=Section("axial", 0.4))
    two.set_visible("superficial", False)
    return [store.make_bookmark("Soleus, medial", one, PNG), store.make_bookmark("Deep layer cut", two)]


def test_save_and_load_round_trip(catalogue, tmp_path):
    marks = _views(catalogue)
    path = tmp_path / "class.json"
    store.save(path, marks)
    data = json.loads(path.read_text())
    assert data["format"] == "calfviewer-bookmarks" and data["version"] == 1
    assert [b["name"] for b in data["bookmarks"]] == ["Soleus, medial", "Deep layer cut"]
    assert data["bookmarks"][1]["view"]["section"] == {"kind": "axial", "position": 0.4}
    assert "thumbnail" not in data["bookmarks"][1]
    loaded = store.load(path, catalogue)
    assert loaded == marks
    state = loaded[1].state(catalogue)
    assert state.section == Section("axial", 0.4) and state.layer_visible == {"superficial": False}
    assert [p.name for p in tmp_path.iterdir()] == ["class.json"]  # no temporary file left


def test_a_view_file_written_by_hand_is_a_bookmark_view(catalogue, tmp_path):
    path = tmp_path / "teacher.json"
    path.write_text(json.dumps({"format": "calfviewer-bookmarks", "version": 1, "bookmarks": [
        {"name": "Heel raise", "view": {"pose": {"plantarflexion": 30}, "camera": "lateral"}}]}))  # fmt: skip
    (mark,) = store.load(path, catalogue)
    assert mark.thumbnail is None and mark.state(catalogue).pose.plantarflexion == 30


def test_a_bookmark_file_saved_with_a_byte_order_mark_loads(catalogue, tmp_path):
    """Before, refused with Python's "Unexpected UTF-8 BOM (decode using utf-8-sig)"."""
    path = tmp_path / "notepad.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"format": "calfviewer-bookmarks", "version": 1, "bookmarks": [
        {"name": "Heel raise", "view": {"pose": {"plantarflexion": 30}}}]}).encode())  # fmt: skip
    (mark,) = store.load(path, catalogue)
    assert mark.name == "Heel raise" and mark.state(catalogue).pose.plantarflexion == 30


def _file(tmp_path, payload) -> str:
    path = tmp_path / "bad.json"
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload))
    return str(path)


GOOD = {"name": "A", "view": {}}


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        ("not json", "is not valid JSON"),
        ([], "expected an object"),
        ({"format": "calfviewer-view", "version": 1}, "this is a single view: use File > Open view"),
        ({"format": "calfviewer-bookmarks", "version": 2, "bookmarks": []}, "'version': expected 1"),
        ({"format": "calfviewer-bookmarks", "version": 1, "bookmarks": {}}, "expected a list"),
        ({"format": "calfviewer-bookmarks", "version": 1, "bookmarks": [], "run": "x"}, "'run': unknown field"),
        ({"format": "calfviewer-bookmarks", "version": 1, "bookmarks": [GOOD, {"name": "", "view": {}}]},
         "'bookmarks[1].name': a bookmark needs a name"),
        ({"format": "calfviewer-bookmarks", "version": 1, "bookmarks": [GOOD, GOOD]}, "'A' is used twice"),
        ({"format": "calfviewer-bookmarks", "version": 1, "bookmarks": [{"name": "B", "view": {"selection": "x"}}]},
         "bookmarks[0] (B) field 'selection'"),
        ({"format": "calfviewer-bookmarks", "version": 1,
          "bookmarks": [{"name": "B", "view": {"section": {"kind": "axial", "position": 7}}}]},
         "field 'section.position'"),
        ({"format": "calfviewer-bookmarks", "version": 1,
          "bookmarks": [{"name": "B", "view": {}, "thumbnail": base64.b64encode(b"GIF89a").decode()}]},
         "'bookmarks[0].thumbnail': not a base64 PNG"),
        ({"format": "calfviewer-bookmarks", "version": 1, "bookmarks": [{"name": "B", "view": {},
          "thumbnail": base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"junk" * 10).decode()}]},
         "'bookmarks[0].thumbnail': not a base64 PNG (a thumbnail is not a readable PNG picture"),
        ({"format": "calfviewer-bookmarks", "version": 1,
          "bookmarks": [{"name": "B", "view": {"side": "middle"}}]}, "field 'side': expected one of right, left"),
        ({"format": "calfviewer-bookmarks", "version": 1, "bookmarks": [{"name": "B", "view": {}, "code": "rm"}]},
         "'bookmarks[0].code': unknown field"),
    ],
)  # fmt: skip
def test_a_bad_file_is_one_line_naming_the_field(catalogue, tmp_path, payload, says):
    with pytest.raises(CalfviewerError) as error:
        store.load(_file(tmp_path, payload), catalogue)
    message = str(error.value)
    assert says in message and "bad.json" in message and "\n" not in message, message


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('{"format": "calfviewer-bookmarks", "version": 1, "bookmarks": [], "bookmarks": []}', "bookmarks"),
        ('{"format": "calfviewer-bookmarks", "version": 1, "bookmarks": [{"name": "A", "name": "B", "view": {}}]}',
         "bookmarks[0].name"),
        ('{"format": "calfviewer-bookmarks", "version": 1, "bookmarks": [{"name": "A", "view": {}},'
         ' {"name": "B", "view": {"pose": {"toes": 10, "toes": -10}}}]}', "bookmarks[1].view.pose.toes"),
    ],
)  # fmt: skip
def test_a_key_given_twice_is_refused_naming_the_file_and_the_key(catalogue, tmp_path, text, field):
    """As a view file: json would keep the last of two equal keys silently (the same reader, files.parse_json)."""
    with pytest.raises(store.BookmarkFileError) as error:
        store.load(_file(tmp_path, text), catalogue)
    message = str(error.value)
    assert "'bad.json'" in message and f"field {field!r} is given twice" in message and "\n" not in message


def test_a_device_or_a_folder_is_refused_without_reading(catalogue, tmp_path):
    for path in ("/dev/zero", str(tmp_path)):
        with pytest.raises(store.BookmarkFileError, match="cannot read bookmark file"):
            store.load(path, catalogue)


def test_a_failed_save_leaves_the_old_file(catalogue, tmp_path, monkeypatch):
    path = tmp_path / "class.json"
    store.save(path, _views(catalogue)[:1])
    old = path.read_bytes()

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("calfviewer.scene.bookmarks.write_atomic", full_disk)
    with pytest.raises(store.BookmarkFileError, match="No space left on device"):
        store.save(path, _views(catalogue))
    assert path.read_bytes() == old


def test_names_are_checked_and_a_same_name_replaces(catalogue):
    marks = _views(catalogue)
    for bad, says in (("   ", "needs a name"), ("a\nb", "control characters"), ("x" * 81, "at most 80")):
        with pytest.raises(CalfviewerError, match=says):
            store.check_name(bad)
    again = store.make_bookmark("Soleus, medial", ViewState(catalogue=catalogue))
    replaced = store.with_bookmark(marks, again)
    assert [b.name for b in replaced] == [b.name for b in marks] and replaced[0] is again


def test_a_free_name_is_numbered_past_those_taken_and_kept_within_the_longest_name():
    assert store.free_name("View 1", ["Other"]) == "View 1"
    assert store.free_name("View 1", ["View 1", "View 1 (2)"]) == "View 1 (3)"
    longest = "x" * store.MAX_NAME
    free = store.free_name(longest, [longest])
    assert free == "x" * (store.MAX_NAME - 4) + " (2)" and store.check_name(free) == free


def test_a_bookmark_made_on_one_leg_opens_the_same_on_the_other(catalogue, tmp_path):
    """Its camera and free section are kept for the leg they were made on (the file says which) and mirrored
    across the midline when the other leg is shown, so the view shows the same side and the same cut."""
    camera = Camera(view=None, position=(0.6, 0.1, -0.5), focal_point=(0.09, 0.01, -0.65), view_up=(0.0, 0.0, 1.0))
    section = Section.free((0.09, 0.01, -0.65), (0.6, 0.8, 0.0))
    made = store.make_bookmark("Left calf", ViewState(catalogue=catalogue, camera=camera, section=section), PNG, "left")
    path = tmp_path / "legs.json"
    store.save(path, [made])
    (loaded,) = store.load(path, catalogue)
    assert loaded.view["side"] == "left"
    on_left = loaded.state(catalogue, "left")
    assert on_left.camera == camera and on_left.section == section
    on_right = loaded.state(catalogue, "right")
    assert on_right.camera.position == (-0.6, 0.1, -0.5) and on_right.camera.focal_point == (-0.09, 0.01, -0.65)
    assert on_right.section.origin == (-0.09, 0.01, -0.65)
    assert on_right.section.normal == pytest.approx((-0.6, 0.8, 0.0))


def _thumbnail(shade: int) -> bytes:
    """A real thumbnail as the window makes one (160 x 120, PNG), of a gradient that differs with ``shade``."""
    import numpy as np

    ramp = np.linspace(0, 255, 160, dtype=np.uint8)
    picture = np.stack([np.tile(ramp, (120, 1)), np.full((120, 160), shade, np.uint8), np.tile(ramp, (120, 1))], -1)
    return store.png_thumbnail(picture)


def _three(catalogue) -> list[store.Bookmark]:
    views = ("posterior", "medial", "lateral")
    return [
        store.make_bookmark(f"From the {view} side", ViewState(catalogue=catalogue, camera=view), _thumbnail(n * 90))
        for n, view in enumerate(views)
    ]


def test_file_size_is_the_bytes_save_writes(catalogue, tmp_path):
    """The panel asks file_size whether a bookmark fits before it adds one; save measures what it writes: the two
    must agree to the byte (names out of ASCII, escaped quotes, thumbnails of every length mod 3, none at all)."""
    view = ViewState(catalogue=catalogue, selection="soleus").to_dict("right")
    marks = [
        store.Bookmark('Soleus, "médial" \\ 腓腹筋', view, PNG),
        store.Bookmark("No thumbnail", view),
        store.Bookmark("One byte more", view, PNG + b"\0"),
        store.Bookmark("Two bytes more", view, PNG + b"\0\0"),
    ]
    for n in range(len(marks) + 1):
        path = tmp_path / f"{n}.json"
        store.save(path, marks[:n])
        assert store.file_size(marks[:n]) == len(path.read_bytes())
        json.loads(path.read_text())  # still the JSON the format says


def test_a_list_past_what_a_file_holds_is_not_written_so_every_file_written_is_read_back(
    catalogue, tmp_path, monkeypatch
):
    """Before, files were read up to 16 MB and written at any size: a list kept at close past that (750 of the
    window's bookmarks) was refused at the next start, and the user's list came up empty."""
    marks = _three(catalogue)
    path = tmp_path / "class.json"
    store.save(path, marks[:2])
    monkeypatch.setattr(store, "BOOKMARKS_LIMIT", len(path.read_bytes()))  # exactly two of these fit
    assert store.load(path, catalogue) == marks[:2]  # what was written at the limit is read back
    with pytest.raises(store.BookmarkFileError) as error:
        store.save(path, marks)
    message = str(error.value)
    assert "class.json" in message and "3 bookmarks" in message and "a bookmark file holds" in message
    assert "\n" not in message
    assert store.load(path, catalogue) == marks[:2]  # the file left as it was


def test_a_file_holding_more_than_fits_is_refused_on_load(catalogue, tmp_path, monkeypatch):
    """A file over the limit is refused before it is read; one written compactly by hand, within it on disk but
    past it as calfviewer writes it, is refused too: taken in, it could be neither saved nor kept."""
    marks = _three(catalogue)
    entries = [{"name": b.name, "view": b.view, "thumbnail": base64.b64encode(b.thumbnail or b"").decode()}
               for b in marks]  # fmt: skip
    compact = json.dumps({"format": "calfviewer-bookmarks", "version": 1, "bookmarks": entries}, separators=(",", ":"))
    path = tmp_path / "compact.json"
    path.write_text(compact)
    monkeypatch.setattr(store, "BOOKMARKS_LIMIT", len(compact))
    assert store.file_size(marks) > len(compact)  # the indented file is larger
    with pytest.raises(store.BookmarkFileError) as error:
        store.load(path, catalogue)
    message = str(error.value)
    assert "'compact.json' holds more than a bookmark list may" in message and "\n" not in message
    monkeypatch.setattr(store, "BOOKMARKS_LIMIT", len(compact) - 1)
    with pytest.raises(store.BookmarkFileError, match=r"cannot read bookmark file .*compact\.json.*more than"):
        store.load(path, catalogue)


def test_of_two_lists_past_what_a_file_holds_the_ones_picked_are_kept_first_then_others_that_fit(monkeypatch):
    """Two windows' lists kept together past the limit: the closing window's own bookmarks are taken first, then the
    other's in order while they fit; one too big for the room left is passed over for a smaller one after it, and
    what is kept keeps the list's order."""
    big, mine, small, other = (store.Bookmark(name, {}, b"x" * size) for name, size in
                               (("Big", 3000), ("Mine", 1000), ("Small", 100), ("Other", 900)))  # fmt: skip
    monkeypatch.setattr(store, "BOOKMARKS_LIMIT", store.file_size([mine, small, other]))
    assert store.fit([big, mine, small, other], first=lambda b: b.name == "Mine") == ([mine, small, other], [big])
    monkeypatch.setattr(store, "BOOKMARKS_LIMIT", store.file_size([big]) + 10)
    assert store.fit([other, big, small, mine], first=lambda b: b.name == "Big") == ([big], [other, small, mine])
    monkeypatch.setattr(store, "BOOKMARKS_LIMIT", store.file_size([small, mine]))
    assert store.fit([other, small, mine], first=lambda b: False) == ([other, small], [mine])  # in order while they fit


def test_a_drawn_thumbnail_never_takes_more_than_a_waiting_bookmark_is_counted_for(catalogue):
    """A file's bookmarks without thumbnails are taken when the list fits with each counted at the most a drawn one
    takes, since they are drawn after the list is taken and the list must stay one the window can keep. Noise, which
    PNG cannot compress, is the largest picture there is."""
    import numpy as np

    noise = np.random.default_rng(7).integers(0, 256, size=(store.THUMBNAIL_SIZE[1], store.THUMBNAIL_SIZE[0], 3))
    largest = store.png_thumbnail(noise.astype(np.uint8))
    assert len(largest) > 57_000  # stored, not compressed: a fair worst case
    assert len(largest) <= store.DRAWN_THUMBNAIL_MOST
    waiting = store.make_bookmark("Waiting", ViewState(catalogue=catalogue))
    drawn = store.make_bookmark("Waiting", ViewState(catalogue=catalogue), largest)
    assert store.file_size([drawn]) <= store.drawn_size([waiting])
    assert store.drawn_size([drawn]) == store.file_size([drawn])  # a thumbnail it has is counted as it is


def test_a_file_read_for_what_it_can_give_leaves_out_only_its_bad_bookmarks(catalogue, tmp_path, model):
    """:func:`store.load` refuses a file for one bad bookmark (Load… takes a file whole or not at all); the kept list
    is read with :func:`store.load_readable`, which takes the others and says why each bad one was left out. A view
    naming no leg is recorded as made for the leg it is read for, as a view file's is."""
    good = store.make_bookmark("Good", ViewState(camera="medial"))  # no leg named: an older file's
    bad = store.make_bookmark("Bent too far", ViewState(pose=Pose(knee_flexion=30)))
    data = json.loads(store.to_json([good, bad]))
    data["bookmarks"][1]["view"]["pose"]["knee_flexion"] = 400.0
    path = tmp_path / "kept.json"
    path.write_text(json.dumps(data))
    with pytest.raises(store.BookmarkFileError, match="knee_flexion"):
        store.load(path, catalogue, model.ranges)
    taken, reasons = store.load_readable(path, catalogue, model.ranges, "left")
    assert [b.name for b in taken] == ["Good"] and taken[0].view["side"] == "left"
    (reason,) = reasons
    assert "bookmarks[1] (Bent too far)" in reason and "knee_flexion" in reason
