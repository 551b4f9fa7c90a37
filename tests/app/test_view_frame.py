"""The 3D view's focus ring: Tab onto the view and a 2-pixel ring in the Highlight colour shows round it; a click, a
mouse press or the focus leaving shows none (a keyboard user could not tell the view had the focus: WCAG 2.4.7).

The ring is read from the window's pixels: the central widget grabbed, its outermost pixels sampled along all four
sides."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.gui


@pytest.fixture
def window(active_window):
    active_window.actions_by_name["play_action_on_click"].setChecked(False)  # a click selects; no motion plays
    return active_window


def edge_colours(window) -> list[QColor]:
    """The colours of the central widget's outermost pixels, at the middle and near both ends of each side."""
    image = window.centralWidget().grab().toImage()
    w, h = image.width() - 1, image.height() - 1
    points = [(x, y) for x in (w // 4, w // 2, 3 * w // 4) for y in (0, 1, h - 1, h)]
    points += [(x, y) for y in (h // 4, h // 2, 3 * h // 4) for x in (0, 1, w - 1, w)]
    return [image.pixelColor(x, y) for x, y in points]


def edge_is(window, colour: str) -> bool:
    """Every sampled edge pixel is ``colour``, to the rounding of a 16-bit screen (Xvfb's #308cc6 reads #318ec6)."""
    want = QColor(colour)
    return all(
        max(abs(c.red() - want.red()), abs(c.green() - want.green()), abs(c.blue() - want.blue())) <= 8
        for c in edge_colours(window)
    )


def highlight(window) -> str:
    return window.centralWidget().palette().color(QPalette.ColorRole.Highlight).name()


def window_colour(window) -> str:
    return window.palette().color(QPalette.ColorRole.Window).name()


def tab_onto_the_view(window, qtbot) -> None:
    """Shift+Tab from the view to the control before it, then Tab back onto the view: a focus from the keyboard."""
    view = window.plotter
    view.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    before = QApplication.focusWidget()
    assert before is not None and before is not view
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    qtbot.waitUntil(view.hasFocus)


def test_tab_onto_the_view_draws_a_highlight_ring_round_it(window, qtbot):
    assert highlight(window) != window_colour(window)  # else the ring could not be told from no ring
    tab_onto_the_view(window, qtbot)
    qtbot.waitUntil(lambda: edge_is(window, highlight(window)))
    view = window.plotter
    central = window.centralWidget()
    # The ring is outside the rendered picture: the view is the central widget less 2 pixels on every side.
    assert view.geometry() == central.rect().adjusted(2, 2, -2, -2)


def test_a_mouse_press_in_the_view_takes_the_ring_away(window, qtbot):
    tab_onto_the_view(window, qtbot)
    qtbot.waitUntil(lambda: edge_is(window, highlight(window)))
    view = window.plotter
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(view.width() // 2, view.height() // 2))
    assert view.hasFocus()  # the focus stays; only the ring goes
    qtbot.waitUntil(lambda: edge_is(window, window_colour(window)))


def test_the_ring_goes_when_the_focus_leaves_the_view(window, qtbot):
    tab_onto_the_view(window, qtbot)
    qtbot.waitUntil(lambda: edge_is(window, highlight(window)))
    qtbot.keyClick(window.plotter, Qt.Key.Key_Tab)
    assert not window.plotter.hasFocus()
    qtbot.waitUntil(lambda: edge_is(window, window_colour(window)))


def test_a_click_that_focuses_the_view_shows_no_ring(window, qtbot):
    """As :focus-visible on the web: the keyboard showed a ring, the focus went on to a tree, and a click brings it
    back to the view with no ring."""
    tab_onto_the_view(window, qtbot)
    qtbot.waitUntil(lambda: edge_is(window, highlight(window)))
    window.tree.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(lambda: not window.plotter.hasFocus())
    view = window.plotter
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(view.width() // 3, view.height() // 2))
    qtbot.waitUntil(view.hasFocus)
    qtbot.wait(50)
    assert edge_is(window, window_colour(window))


def test_the_ring_comes_back_with_the_window_only_after_a_keyboard_focus(window, qtbot):
    """The window goes to the back and comes to the front again (ActiveWindowFocusReason): the ring is back if the
    keyboard had brought the focus to the view, and stays away if a click had."""
    tab_onto_the_view(window, qtbot)
    qtbot.waitUntil(lambda: edge_is(window, highlight(window)))
    view = window.plotter
    for expected in (highlight(window), window_colour(window)):
        view.clearFocus()
        qtbot.waitUntil(lambda: edge_is(window, window_colour(window)))
        view.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
        qtbot.waitUntil(lambda e=expected: edge_is(window, e))
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(view.width() // 3, view.height() // 2))


def test_the_ring_colour_is_the_palettes_highlight(window, qtbot):
    """Another Highlight (a theme, a high-contrast palette) draws the ring in that colour."""
    central = window.centralWidget()
    palette = central.palette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#ff8000"))
    central.setPalette(palette)
    tab_onto_the_view(window, qtbot)
    qtbot.waitUntil(lambda: edge_is(window, "#ff8000"))
