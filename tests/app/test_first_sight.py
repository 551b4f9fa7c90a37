"""The window as a new user first sees it (no settings yet, the size it opens at by itself) reads every name whole:
the structure tree's rows, with every group open, in English and in Latin, on either leg, and the motion box, each
motion and a clicked muscle's action. A width the user chose still wins over the defaults the next time.

Before, the Structures dock kept its 300-pixel minimum (the tree asked for Qt's default 256) beside a fixed 80-pixel
slider column, so three group rows read "Posterior compartme…", and the motion box was 16 characters wide
("Ankle plantarflexion an…"), while the Information dock beside the leg stood mostly empty.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget
from whole_names import cut_rows

from calfviewer.anatomy.names import NAME_STYLES
from calfviewer.app.settings import FIRST_SIZE
from calfviewer.musculoskeletal.motion import MOTIONS, action_motion

pytestmark = pytest.mark.gui


def first_window(open_window, tmp_path, side: str | None = None):
    window = open_window(tmp_path / "settings.ini", size=None, side=side)
    # This screen (1920 x 1200) holds the first size, so this is the size a new user's window has.
    assert (window.width(), window.height()) == FIRST_SIZE
    return window


@pytest.mark.parametrize("side", ["right", "left"])
def test_a_new_window_shows_every_structure_name_whole(open_window, tmp_path, side):
    window = first_window(open_window, tmp_path, side)
    for names in NAME_STYLES:
        window.set_names(names)
        assert cut_rows(window.tree) == [], names
    assert window.plotter.width() >= 600  # the names' room is not taken from the leg: it keeps most of the window


def test_english_names_leave_the_3d_view_the_room_latin_ones_would_take(open_window, qtbot, tmp_path):
    """The first layout sized the Structures dock for the longer of each row's English and Latin names, so a student
    reading English gave the 3D view's room to "Pars superficialis compartimenti cruris posterioris" (about 60 px of
    a 1400-px window). It is sized for the names shown; switching to Latin widens it then, to read them whole."""
    window = first_window(open_window, tmp_path)
    dock = window.findChild(QDockWidget, "structures")
    english, view = dock.width(), window.plotter.width()
    window.set_names("latin")
    qtbot.waitUntil(lambda: dock.width() > english)
    assert cut_rows(window.tree) == []
    assert window.plotter.width() < view  # the room Latin names took was the 3D view's


def test_a_new_window_shows_every_motion_name_whole(open_window, qtbot, tmp_path):
    window = first_window(open_window, tmp_path)
    bar = window.animation_bar
    combo = bar.motion
    for motion in MOTIONS.values():
        combo.setCurrentIndex(combo.findData(motion.id))
        assert combo.currentText() == motion.label
        assert combo.shown_text() == motion.label
    # A clicked muscle's action is named in the box while it plays: the longest name too.
    _, longest = max((len(s.name), s.id) for s in window.catalogue if action_motion(s) is not None)
    window.select_and_act(longest)
    qtbot.waitUntil(lambda: combo.currentText().startswith("Action of"), timeout=5000)
    assert combo.shown_text() == combo.currentText()
    window.animator.pause()
    # The box's room is not taken from the timeline: the slider keeps at least the width it asks for.
    assert bar.scrub.width() >= bar.scrub.sizeHint().width()


@pytest.mark.parametrize("names", NAME_STYLES)
def test_a_dock_width_the_user_chose_wins_over_the_default(open_window, qtbot, tmp_path, names):
    """The first layout gives the Structures dock the width its names need; a returning user's own width (here the
    dock's smallest) comes back as it was left, not widened to the default again, with Latin names too (the window
    starts in English and turns to the names the user left it with, which must not count as a switch)."""
    window = first_window(open_window, tmp_path)
    window.set_names(names)
    dock = window.findChild(QDockWidget, "structures")
    smallest = dock.minimumSizeHint().width()
    assert dock.width() > smallest  # the default is wider than the user's choice below, or nothing is checked
    window.resizeDocks([dock], [smallest], Qt.Orientation.Horizontal)
    qtbot.wait(50)
    assert dock.width() == smallest
    window.close()
    again = open_window(tmp_path / "settings.ini", size=None)
    assert again.findChild(QDockWidget, "structures").width() == smallest


def test_a_layout_saved_before_the_tree_asked_for_its_width_opens_with_names_whole(open_window, qtbot, tmp_path):
    """A returning user's layout saved by an older calfviewer (Qt's layout version 0, before the Structures dock
    asked for the width its names need) kept the old 300-pixel dock, so "Posterior compartme…" came back on every
    start until the user widened it. The docks stay where the layout put them; only the Structures dock is widened,
    once, to show its names whole. A width chosen after that is the user's and wins (the test above)."""
    from PySide6.QtCore import QSettings

    window = first_window(open_window, tmp_path)
    dock = window.findChild(QDockWidget, "structures")
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, window.findChild(QDockWidget, "bookmarks"))
    window.resizeDocks([dock], [300], Qt.Orientation.Horizontal)
    qtbot.wait(50)
    old_layout = window.saveState()  # what the old version wrote: saveState() with no version
    window.close()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("window/state", old_layout)
    settings.sync()
    del settings

    again = open_window(tmp_path / "settings.ini", size=None)
    qtbot.wait(50)
    assert cut_rows(again.tree) == []
    bookmarks = again.findChild(QDockWidget, "bookmarks")
    assert again.dockWidgetArea(bookmarks) == Qt.DockWidgetArea.LeftDockWidgetArea  # the rest of the layout kept
