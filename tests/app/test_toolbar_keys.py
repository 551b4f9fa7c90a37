"""The window's toolbars from the keyboard: Tab and Shift+Tab reach every control on them, in their order there, each
showing its focus and named for a screen reader, the » button of a toolbar too narrow for all of them included.

Before, Qt's tool buttons took no focus from the keyboard: Tab went from the animation bar to the panels' tabs and
round again without ever reaching None, Axial, Sagittal, Coronal or Free, which only the Section menu offered.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QAccessible, QMouseEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QToolBar, QToolButton, QWidget

from calfviewer.app.settings import LAYOUT_VERSION

pytestmark = pytest.mark.gui


def tab_round(qtbot, start: QWidget, key: Qt.Key = Qt.Key.Key_Tab) -> list[QWidget]:
    """The widgets the focus visits pressing ``key`` from ``start`` until it comes back to it (or 300 presses)."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(start.hasFocus)
    visited: list[QWidget] = []
    for _ in range(300):
        qtbot.keyClick(QApplication.focusWidget(), key)
        focused = QApplication.focusWidget()
        if focused is start:
            return visited
        visited.append(focused)
    raise AssertionError(f"Tab never came back to {start}: {visited[-5:]}")


def spoken_name(widget: QWidget) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


@pytest.fixture
def window(active_window):
    return active_window


def test_tab_reaches_every_section_control_in_its_order_on_the_toolbar_then_the_view(window, qtbot):
    window.actions_by_name["section_axial"].trigger()  # the slider is enabled with a standard plane
    toolbar = window.section_controls.toolbar
    buttons = [toolbar.widgetForAction(window.section_controls.actions[k]) for k in ("none", "axial", "sagittal")]
    buttons += [toolbar.widgetForAction(window.section_controls.actions[k]) for k in ("coronal", "free")]
    controls = [*buttons, window.section_controls.slider]
    forward = tab_round(qtbot, window.plotter)
    assert [w for w in forward if w in controls] == controls
    # The toolbar sits above the view: Tab from its last control comes to the 3D view, Shift+Tab from the view to it.
    assert forward[-len(controls) :] == controls
    backward = tab_round(qtbot, window.plotter, Qt.Key.Key_Backtab)
    assert backward[: len(controls)] == controls[::-1]
    names = [spoken_name(button) for button in buttons]
    assert names == ["No section", "Axial (across the leg)", "Sagittal (front to back)", "Coronal (side to side)",
                     "Free plane (drag the widget)"]  # fmt: skip


def test_a_section_button_reached_by_tab_shows_its_focus_and_enter_presses_it(window, qtbot):
    toolbar = window.section_controls.toolbar
    sagittal = toolbar.widgetForAction(window.section_controls.actions["sagittal"])
    coronal = toolbar.widgetForAction(window.section_controls.actions["coronal"])
    unfocused = sagittal.grab().toImage()
    visited = tab_round(qtbot, window.plotter)  # the way a keyboard user gets there: Tab from the view
    assert sagittal in visited
    for _ in visited[: visited.index(sagittal) + 1]:  # Tab again, as far as the button
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert sagittal.hasFocus()
    assert sagittal.grab().toImage() != unfocused  # the style's focus frame is drawn round it
    qtbot.keyClick(sagittal, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.state.section is not None and window.state.section.kind == "sagittal")
    qtbot.keyClick(sagittal, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is coronal
    qtbot.keyClick(coronal, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.state.section.kind == "coronal")
    assert not window.animator.playing  # Space pressed the button, not play/pause
    # A click leaves the focus where it was: Space after clicking a plane is still play/pause.
    assert (
        not toolbar.widgetForAction(window.section_controls.actions["none"]).focusPolicy() & Qt.FocusPolicy.ClickFocus
    )


def test_speed_and_loop_behind_the_animation_bars_more_button_are_reached_by_tab(window, qtbot):
    """In a window too narrow for them, speed and loop go behind the toolbar's » button: Tab reaches the button
    after the timeline, Enter opens it, and Tab goes on to the speed box and the Loop box."""
    for dock in window.findChildren(QDockWidget):
        dock.close()
    qtbot.wait(50)
    window.resize(100, 100)  # the window's smallest, without the side panels
    qtbot.wait(50)
    bar = window.animation_bar
    more = next(b for b in window.findChildren(QToolButton, "qt_toolbar_ext_button") if b.isVisible())
    assert not bar.speed.isVisible() and not bar.loop.isVisible()
    assert spoken_name(more) == "More animation controls"
    bar.scrub.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(bar.scrub.hasFocus)
    qtbot.keyClick(bar.scrub, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is more
    qtbot.keyClick(more, Qt.Key.Key_Return)
    qtbot.waitUntil(bar.speed.isVisible)
    qtbot.keyClick(more, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is bar.speed
    qtbot.keyClick(bar.speed, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is bar.loop


def test_tab_reaches_the_mechanics_plot_after_the_information_panel_under_which_it_sits(window, qtbot):
    """Before, the plot's controls, built the first time its dock is shown, came last in the window's Tab order:
    after the Section toolbar above the 3D view, a whole round of the window away from the panel they sit under."""
    window.actions_by_name["mechanics_plot"].trigger()
    plot = window.plot_dock
    qtbot.waitUntil(lambda: plot.panel is not None and plot.panel.isVisible())
    information = window.info_dock
    forward = tab_round(qtbot, window.plotter)
    in_plot = [i for i, w in enumerate(forward) if plot.isAncestorOf(w)]
    in_information = [i for i, w in enumerate(forward) if information.isAncestorOf(w)]
    assert len(in_plot) >= 3 and in_information  # the quantity, the x axis, the plot itself at least
    assert in_plot == list(range(in_information[-1] + 1, in_information[-1] + 1 + len(in_plot)))
    section = window.section_controls.toolbar
    assert all(not section.isAncestorOf(w) for w in forward[in_plot[0] : in_plot[-1] + 1])
    backward = tab_round(qtbot, window.plotter, Qt.Key.Key_Backtab)
    plot_controls = [forward[i] for i in in_plot]
    start = backward.index(plot_controls[-1])
    assert backward[start : start + len(plot_controls) + 1] == [*plot_controls[::-1], forward[in_information[-1]]]


def test_a_mechanics_plot_first_shown_floating_warns_nothing_and_is_reached_after_the_panel_once_docked(
    window, qtbot, qtlog
):
    """A layout remembered with the Mechanics plot floating brings it back floating, and its controls, made as it
    is first shown, were chained after the information panel's in another window: Qt wrote "QWidget::setTabOrder:
    'first' and 'second' must be in the same window" to the terminal at every start (seen in the running window),
    and once docked the plot's controls came last in the Tab order. A floating plot keeps its own Tab order; docked
    again, Tab reaches it after the information panel, as when it was first shown docked."""
    plot = window.plot_dock
    plot.setFloating(True)
    window.actions_by_name["mechanics_plot"].trigger()
    qtbot.waitUntil(lambda: plot.panel is not None and plot.panel.isVisible())
    plot.setFloating(False)
    qtbot.waitUntil(lambda: not plot.isFloating() and plot.panel.isVisible())
    warnings = [r.message for r in qtlog.records if r.type.name in ("QtWarningMsg", "QtCriticalMsg")]
    assert not warnings, warnings
    forward = tab_round(qtbot, window.plotter)
    in_plot = [i for i, w in enumerate(forward) if plot.isAncestorOf(w)]
    in_information = [i for i, w in enumerate(forward) if window.info_dock.isAncestorOf(w)]
    assert len(in_plot) >= 3 and in_information
    assert in_plot == list(range(in_information[-1] + 1, in_information[-1] + 1 + len(in_plot)))


def drag_off(toolbar: QToolBar, qtbot) -> None:
    """Drag ``toolbar`` by its handle (its left end) out of the window, as a user floats it."""
    start = QPoint(4, toolbar.height() // 2)

    def send(kind: QEvent.Type, offset: int, buttons: Qt.MouseButton) -> None:
        local = start + QPoint(offset, offset)
        event = QMouseEvent(kind, QPointF(local), QPointF(toolbar.mapToGlobal(local)), Qt.MouseButton.LeftButton,
                            buttons, Qt.KeyboardModifier.NoModifier)  # fmt: skip
        QApplication.sendEvent(toolbar, event)

    send(QEvent.Type.MouseButtonPress, 0, Qt.MouseButton.LeftButton)
    for step in range(1, 12):
        send(QEvent.Type.MouseMove, 30 * step, Qt.MouseButton.LeftButton)
        qtbot.wait(20)
    send(QEvent.Type.MouseButtonRelease, 330, Qt.MouseButton.NoButton)
    qtbot.waitUntil(toolbar.isFloating)


def test_a_section_toolbar_remembered_floating_warns_nothing_and_comes_before_the_view_once_docked(
    open_window, qtbot, qtlog, tmp_path
):
    """The Section toolbar floated (dragged off by its handle) is remembered floating, and at the next start the
    window chained its controls into its own Tab order, across windows: Qt wrote "QWidget::setTabOrder: 'first'
    and 'second' must be in the same window" to the terminal at every start (seen in the running window). A
    floating toolbar keeps its own Tab order; docked again, Tab comes to its controls just before the 3D view."""
    first = open_window(tmp_path / "settings.ini")
    docked = first.saveState(LAYOUT_VERSION)
    drag_off(first.section_controls.toolbar, qtbot)
    first.close()
    window = open_window(tmp_path / "settings.ini")
    toolbar = window.section_controls.toolbar
    assert toolbar.isFloating()
    window.restoreState(docked, LAYOUT_VERSION)
    qtbot.waitUntil(lambda: not toolbar.isFloating() and toolbar.isVisible())
    window.actions_by_name["section_axial"].trigger()  # the slider is enabled with a standard plane
    qtbot.waitUntil(window.section_controls.slider.isEnabled)
    warnings = [r.message for r in qtlog.records if r.type.name in ("QtWarningMsg", "QtCriticalMsg")]
    assert not warnings, warnings
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    controls = [control for control in window.section_controls.tab_order if control.isVisible()]  # not »
    forward = tab_round(qtbot, window.plotter)
    assert forward[-len(controls) :] == controls
