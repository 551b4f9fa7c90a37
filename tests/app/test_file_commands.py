"""The File menu's commands on the window they run in."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("pytestqt")

from save_dialog import answer_save_dialog

from calfviewer.errors import CalfviewerError
from calfviewer.musculoskeletal import Pose

pytestmark = pytest.mark.gui

BENT = Pose(plantarflexion=20.0, knee_flexion=45.0, subtalar=0.0, toes=0.0)


def test_a_view_opened_while_a_motion_plays_keeps_its_pose(open_window, qtbot, tmp_path):
    """Before, File > Open view while the animation bar played put the view's pose on the leg for one frame: the
    motion went on and posed the leg over it (knee flexion 45 back to 0 at the next tick). Opening a view stops the
    motion, as the view is what was asked for; a file that cannot be opened changes nothing, the motion included."""
    win = open_window(tmp_path / "settings.ini")
    view = tmp_path / "bent.json"
    view.write_text(json.dumps({"pose": {"plantarflexion": 20, "knee_flexion": 45}}))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"pose": {"knee_flexion": 500}}))
    win.animator.play()
    qtbot.wait(100)
    with pytest.raises(CalfviewerError, match="knee_flexion"):
        win.open_view(str(bad))
    assert win.animator.playing
    win.open_view(str(view))
    qtbot.wait(200)  # a dozen frames of the motion, had it gone on
    assert not win.animator.playing and win.state.pose == BENT


def test_a_view_or_bookmarks_saved_under_a_name_without_suffix_get_json(open_window, qtbot, tmp_path, monkeypatch):
    """Before, "lesson" typed in Save view was written as ``lesson``, which Open view (it lists *.json) did not show:
    the view a student saved seemed lost. The same for Bookmarks → Save all… and Load…."""
    monkeypatch.chdir(tmp_path)
    win = open_window(tmp_path / "settings.ini")
    win.state.select("soleus")
    answer_save_dialog(qtbot, tmp_path, "lesson")
    win.save_view_dialog()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".ini") == ["lesson.json"]
    win.bookmarks.add("Soleus")
    answer_save_dialog(qtbot, tmp_path, "class")
    win.bookmarks.save_dialog()
    assert (tmp_path / "class.json").is_file() and not (tmp_path / "class").exists()
    answer_save_dialog(qtbot, tmp_path, "slides.v2.json")  # a name with its suffix is kept as typed
    win.save_view_dialog()
    assert (tmp_path / "slides.v2.json").is_file()
