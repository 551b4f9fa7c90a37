"""What the window tests share: opening a window on its own settings file, shown and exposed, and closing it after."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


@pytest.fixture
def open_window(qtbot) -> Iterator[Callable[..., object]]:
    """A function that opens a :class:`MainWindow` on ``settings_path`` at ``size`` (None: the size it opens at by
    itself, as a user sees it) on ``side`` (as ``--side`` chooses, else the leg the settings remember), shown and
    exposed; every window it opened is paused and closed when the test ends."""
    from PySide6.QtCore import QSettings

    from calfviewer.app.main_window import MainWindow

    opened: list[MainWindow] = []

    def open_(settings_path: Path, size: tuple[int, int] | None = (1300, 850), side: str | None = None) -> MainWindow:
        win = MainWindow(side, settings=QSettings(str(settings_path), QSettings.Format.IniFormat))
        qtbot.addWidget(win)
        if size is not None:
            win.resize(*size)
        win.show()
        qtbot.waitExposed(win)
        opened.append(win)
        return win

    yield open_
    for win in opened:
        win.animator.pause()
        win.close()


@pytest.fixture
def study_window(open_window, qtbot, tmp_path):
    """A window for the undo and bookmark tests: clicks select without playing an action, and the history starts
    empty (the view the window opened with is not a step)."""
    win = open_window(tmp_path / "settings.ini")
    win.actions_by_name["play_action_on_click"].setChecked(False)
    qtbot.wait(50)
    win.history.reset()
    return win


@pytest.fixture
def active_window(open_window, qtbot, tmp_path):
    """A window on its own settings file that is the active window, so keys and the focus go to it as a user's do."""
    win = open_window(tmp_path / "settings.ini")
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5000)
    return win


@pytest.fixture
def panel(window, qtbot):
    """The Mechanics plot of the test module's ``window``, opened from the View menu and shown."""
    window.actions_by_name["mechanics_plot"].trigger()
    qtbot.waitUntil(lambda: window.plot_dock.panel is not None and window.plot_dock.panel.isVisible())
    return window.plot_dock.panel
