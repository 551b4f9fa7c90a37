"""A dock that is a tab behind another keeps its controls out of the Tab order (app/docks.py): they are disabled.

Before, Qt kept such a dock "visible" off screen, and in a fresh layout Tab stopped four times on the History list and
the Bookmarks list and buttons behind the Information tab, with nothing on screen showing where the focus was.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QDockWidget, QTabBar, QWidget
from test_toolbar_keys import tab_round

pytestmark = pytest.mark.gui


def on_screen(widget: QWidget) -> bool:
    window = widget.window()
    corner = widget.mapTo(window, widget.rect().topLeft())
    return QRect(corner, widget.size()).intersects(window.rect())


def test_tab_never_stops_on_a_control_of_a_dock_behind_another(active_window, qtbot):
    window = active_window
    bookmarks, history = (window.findChild(QDockWidget, name) for name in ("bookmarks", "history"))
    assert window.tabifiedDockWidgets(window.info_dock) == [bookmarks, history]  # the fresh layout: behind Information
    visited = tab_round(qtbot, window.tree.search)
    off_screen = [f"{type(w).__name__} {w.accessibleName()!r}" for w in visited if not on_screen(w)]
    assert off_screen == []
    behind = (window.bookmarks, window.history_panel)
    assert not [w for w in visited if any(w is panel or panel.isAncestorOf(w) for panel in behind)]


def test_a_dock_brought_to_the_front_takes_the_focus_and_the_one_put_behind_gives_it_up(active_window, qtbot):
    window = active_window
    tabs = next(bar for bar in window.findChildren(QTabBar) if bar.tabText(bar.currentIndex()) == "Information")
    tabs.setFocus(Qt.FocusReason.TabFocusReason)  # where Tab reaches the panels' tabs
    qtbot.keyClick(tabs, Qt.Key.Key_Right)  # the next tab, Bookmarks, to the front
    qtbot.waitUntil(window.bookmarks.isEnabled)
    visited = tab_round(qtbot, window.tree.search)
    assert any(window.bookmarks.isAncestorOf(w) for w in visited)
    assert not any(window.info.isAncestorOf(w) or w is window.info for w in visited)
    assert all(on_screen(w) for w in visited)
