"""The File menu's commands on the window they run in."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("pytestqt")

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


def _type_in_save_dialog(qtbot, name: str) -> None:
    """When the Save dialog opens, type ``name`` into it and press Enter, as a user does."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

    def type_name() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()]
        if not dialogs:
            QTimer.singleShot(50, type_name)
            return
        edit = dialogs[0].findChild(QLineEdit, "fileNameEdit")
        edit.setText(name)
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    QTimer.singleShot(50, type_name)


def test_a_view_or_bookmarks_saved_under_a_name_without_suffix_get_json(open_window, qtbot, tmp_path, monkeypatch):
    """Before, "lesson" typed in Save view was written as ``lesson``, which Open view (it lists *.json) did not show:
    the view a student saved seemed lost. The same for Bookmarks → Save all… and Load…."""
    monkeypatch.chdir(tmp_path)
    win = open_window(tmp_path / "settings.ini")
    win.state.select("soleus")
    _type_in_save_dialog(qtbot, "lesson")
    win.save_view_dialog()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".ini") == ["lesson.json"]
    win.bookmarks.add("Soleus")
    _type_in_save_dialog(qtbot, "class")
    win.bookmarks.save_dialog()
    assert (tmp_path / "class.json").is_file() and not (tmp_path / "class").exists()
    _type_in_save_dialog(qtbot, "slides.v2.json")  # a name with its suffix is kept as typed
    win.save_view_dialog()
    assert (tmp_path / "slides.v2.json").is_file()
