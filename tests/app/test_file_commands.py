"""The File menu's commands on the window they run in."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSize
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QMessageBox
from save_dialog import answer_save_dialog

from calfviewer.app.settings import FRAME_ROOM
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


def test_the_keyboard_shortcuts_box_fits_a_1280_by_720_screen_with_its_title_bar(open_window, qtbot, tmp_path):
    """Help > Keyboard shortcuts (F1) listed its 29 commands one under another: the box stood 728 pixels high, as
    high as a 1280 x 720 screen (a 1920 x 1080 laptop at 150 %, a projector) and more than it has free for a window
    with its title bar, so its last rows and OK ran off the screen (seen at QT_SCALE_FACTOR=2 on a 2560 x 1440
    display). Every command is still listed, each with its keys."""
    win = open_window(tmp_path / "settings.ini")
    win.actions_by_name["shortcuts"].trigger()
    box = next(b for b in win.findChildren(QMessageBox) if b.windowTitle() == "Keyboard shortcuts")
    qtbot.waitExposed(box)
    free = QSize(1280 - FRAME_ROOM[0], 720 - FRAME_ROOM[1])
    assert box.height() <= free.height() and box.width() <= free.width(), box.size()
    listed = QTextDocument()
    listed.setHtml(box.text())
    text = listed.toPlainText()
    for command, keys in win.shortcut_rows():
        assert command in text and keys in text[text.index(command) :], command
    box.close()
