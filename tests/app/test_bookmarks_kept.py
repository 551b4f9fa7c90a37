"""The list kept between sessions: one bookmark that cannot be read is set aside, not the whole list."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("pytestqt")

from calfviewer.musculoskeletal import Pose
from calfviewer.scene import bookmarks as store
from calfviewer.viewer.view_state import ViewState

pytestmark = pytest.mark.gui


def _kept_with_two_bad(folder) -> str:
    """A kept list of four bookmarks, two of them bad: one bent past the knee's range, one's thumbnail damaged."""
    marks = [
        store.make_bookmark(name, ViewState(camera=camera, pose=Pose(knee_flexion=knee)), side="right")
        for name, camera, knee in (
            ("Behind", "posterior", 0),
            ("Knee past its range", "lateral", 30),
            ("Medial", "medial", 45),
            ("Bad picture", "anterior", 0),
        )
    ]
    data = json.loads(store.to_json(marks))
    data["bookmarks"][1]["view"]["pose"]["knee_flexion"] = 400.0
    data["bookmarks"][3]["thumbnail"] = "bm90IGEgcGljdHVyZQ=="  # base64, but not a PNG
    text = json.dumps(data, indent=2)
    (folder / "bookmarks.json").write_text(text)
    return text


def test_one_bad_bookmark_in_the_kept_list_is_set_aside_and_the_rest_are_kept(open_window, qtbot, tmp_path):
    """Before, one bookmark the window could not read (an angle out of range, a damaged thumbnail) set the whole
    kept list aside: the session started with no bookmarks at all, and only the backup file held them."""
    text = _kept_with_two_bad(tmp_path)
    settings = tmp_path / "settings.ini"
    win = open_window(settings)
    assert [b.name for b in win.bookmarks.bookmarks] == ["Behind", "Medial"]
    (backup,) = tmp_path.glob("bookmarks.json.unreadable-*.bak")
    assert backup.read_text() == text  # the file as it was: nothing the user made is lost
    said = win.notice.text()
    assert "\n" not in said
    assert "2 of last session's 4 bookmarks could not be read and were set aside" in said, said
    assert "bookmarks[1] (Knee past its range)" in said and "knee_flexion" in said, said
    assert "bookmarks[3].thumbnail" in said and str(backup) in said, said
    win.close()
    again = open_window(settings)  # the readable ones are the kept list now: nothing more is set aside
    assert [b.name for b in again.bookmarks.bookmarks] == ["Behind", "Medial"]
    assert len(list(tmp_path.glob("bookmarks.json.unreadable-*.bak"))) == 1
    assert "could not be read" not in again.notice.text()


def test_a_kept_list_that_is_not_a_list_at_all_is_still_set_aside_whole(open_window, qtbot, tmp_path):
    newer = json.dumps({"format": "calfviewer-bookmarks", "version": 2, "bookmarks": []})
    (tmp_path / "bookmarks.json").write_text(newer)
    win = open_window(tmp_path / "settings.ini")
    assert win.bookmarks.bookmarks == [] and "bookmarks could not be read" in win.notice.text()
    (backup,) = tmp_path.glob("bookmarks.json.unreadable-*.bak")
    assert backup.read_text() == newer
