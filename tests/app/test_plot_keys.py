"""The Mechanics plot from the keyboard: Tab onto it shows a ring, the arrow, Page and Home/End keys move the pose
line and the leg within the joint's range (a run of presses one undo step), and the Menu key or Shift+F10 opens the
menu a right-click opens.

Before, only the mouse moved the line and opened the menu; Home on the plot rewound the animation (the window's
shortcut). The ranges expected are MyoLeg's as the README gives them (ankle -30 to 40, knee 0 to 120), not read from
the model the panel uses.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible, QColor, QContextMenuEvent, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from calfviewer.musculoskeletal import Pose

pytestmark = pytest.mark.gui

RIGHT, LEFT = Qt.Key.Key_Right, Qt.Key.Key_Left


@pytest.fixture
def window(active_window):
    active_window.actions_by_name["play_action_on_click"].setChecked(False)
    return active_window


def tab_onto_the_plot(panel, qtbot) -> None:
    """From the Clear button, the control before the plot, Tab onto the plot: a focus from the keyboard."""
    panel.clear_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(panel.clear_button.hasFocus)
    qtbot.keyClick(panel.clear_button, Qt.Key.Key_Tab)
    qtbot.waitUntil(panel.plot.hasFocus)


def ring_is(panel, colour: str) -> bool:
    """Every pixel of the 2-pixel band round the plot (grabbed from the panel, as the screen shows it) is ``colour``,
    to the rounding of a 16-bit screen."""
    plot = panel.plot.geometry()
    frame = panel.plot.parentWidget()
    band = plot.adjusted(-2, -2, 2, 2).translated(frame.mapTo(panel, QPoint(0, 0)))
    image = panel.grab(band).toImage()
    want = QColor(colour)
    w, h = image.width() - 1, image.height() - 1
    points = [(x, y) for x in range(0, w + 1, 7) for y in (0, 1, h - 1, h)]
    points += [(x, y) for y in range(0, h + 1, 7) for x in (0, 1, w - 1, w)]
    for x, y in points:
        c = image.pixelColor(x, y)
        if max(abs(c.red() - want.red()), abs(c.green() - want.green()), abs(c.blue() - want.blue())) > 8:
            return False
    return True


def press(qtbot, panel, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(panel.plot, key, modifier)


def test_tab_onto_the_plot_shows_a_ring_and_a_mouse_press_takes_it_away(window, panel, qtbot):
    highlight = panel.palette().color(QPalette.ColorRole.Highlight).name()
    assert not ring_is(panel, highlight)
    tab_onto_the_plot(panel, qtbot)
    qtbot.waitUntil(lambda: ring_is(panel, highlight))
    viewport = panel.plot.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=QPoint(viewport.width() // 2, 5))
    assert panel.plot.hasFocus()  # the focus stays, and the keys keep working; only the ring goes
    qtbot.waitUntil(lambda: not ring_is(panel, highlight))


KEY_WORDS = ("Left", "Right", "1°", "Page Up", "Page Down", "10°", "Home", "End", "Menu key", "Shift+F10")


def test_the_plot_says_its_keys_to_a_screen_reader_and_in_the_keyboard_shortcuts_box(window, panel, qtbot):
    plot = QAccessible.queryAccessibleInterface(panel.plot)
    assert plot.text(QAccessible.Text.Name) == "Mechanics plot"
    said = plot.text(QAccessible.Text.Description)
    for words in KEY_WORDS:
        assert words in said, (words, said)
    window.actions_by_name["shortcuts"].trigger()  # Help > Keyboard shortcuts (F1)
    box = next(b for b in window.findChildren(QMessageBox) if b.windowTitle() == "Keyboard shortcuts")
    qtbot.waitUntil(box.isVisible)
    for words in KEY_WORDS:
        assert words in box.text(), (words, box.text())
    box.close()


def test_the_keys_move_the_pose_line_and_the_leg_within_the_joint_s_range(window, panel, qtbot):
    window.state.select("soleus")
    window.state.pose = Pose(plantarflexion=0.0, knee_flexion=20.0)
    tab_onto_the_plot(panel, qtbot)
    for key, expected in (
        (RIGHT, 1.0),
        (RIGHT, 2.0),
        (LEFT, 1.0),
        (Qt.Key.Key_Up, 2.0),  # Up and Down as on a slider
        (Qt.Key.Key_Down, 1.0),
        (Qt.Key.Key_PageUp, 11.0),
        (Qt.Key.Key_PageDown, 1.0),
        (Qt.Key.Key_PageDown, -9.0),
        (Qt.Key.Key_End, 40.0),
        (RIGHT, 40.0),  # the range's end holds
        (Qt.Key.Key_PageDown, 30.0),
        (Qt.Key.Key_PageUp, 40.0),
        (Qt.Key.Key_Home, -30.0),  # the plot's, not the window's "back to the start of the motion"
        (LEFT, -30.0),
        (Qt.Key.Key_PageDown, -30.0),
    ):
        press(qtbot, panel, key)
        pose = window.state.pose
        assert pose.plantarflexion == pytest.approx(expected), key
        assert pose.knee_flexion == 20.0  # the other joint is held
        assert panel.line.value() == pytest.approx(expected)
    assert window.scene.pose_result().pose == window.state.pose  # the 3D view follows
    assert window.animation_bar.angles.text().startswith("plantarflexion -30.0")
    panel.set_axis("knee")
    tab_onto_the_plot(panel, qtbot)
    for key, expected in ((Qt.Key.Key_End, 120.0), (RIGHT, 120.0), (LEFT, 119.0), (Qt.Key.Key_Home, 0.0)):
        press(qtbot, panel, key)
        assert window.state.pose.knee_flexion == pytest.approx(expected), key
        assert window.state.pose.plantarflexion == pytest.approx(-30.0)


def test_a_key_pauses_playback_as_a_drag_does(window, panel, qtbot):
    tab_onto_the_plot(panel, qtbot)
    window.animator.play()
    qtbot.wait(100)
    press(qtbot, panel, RIGHT)
    assert not window.animator.playing
    moved = window.state.pose.plantarflexion
    qtbot.wait(100)
    assert window.state.pose.plantarflexion == moved


def test_a_run_of_key_presses_is_one_undo_step_and_one_a_while_later_another(window, panel, qtbot, monkeypatch):
    history = window.history
    window.state.pose = Pose(plantarflexion=0.0, knee_flexion=20.0)
    tab_onto_the_plot(panel, qtbot)
    history.reset()
    clock = [100.0]
    monkeypatch.setattr(history, "clock_source", lambda: clock[0])
    for _ in range(3):
        press(qtbot, panel, RIGHT)
        history.flush()
        clock[0] += 0.3
    assert window.state.pose.plantarflexion == pytest.approx(3.0)
    assert history.stack.count() == 1  # as a drag's moves merge
    clock[0] += 5.0
    press(qtbot, panel, Qt.Key.Key_PageUp)
    history.flush()
    assert history.stack.count() == 2
    history.undo()
    assert window.state.pose.plantarflexion == pytest.approx(3.0)
    history.undo()
    assert window.state.pose == Pose(plantarflexion=0.0, knee_flexion=20.0)


def menu_texts(menu) -> list[str]:
    return [action.text() for action in menu.actions() if action.text()]


@pytest.mark.parametrize(
    ("key", "modifier"),
    [(Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier), (Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)],
    ids=["menu-key", "shift-f10"],
)
def test_the_menu_key_and_shift_f10_open_the_menu_a_right_click_opens(window, panel, qtbot, key, modifier):
    window.state.select("soleus")
    window.state.select("plantaris")
    window.state.pose = Pose(plantarflexion=10.0)
    viewport = panel.plot.viewport()
    click = QPoint(viewport.width() // 2, viewport.height() // 3)
    right_click = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, click, viewport.mapToGlobal(click))
    QApplication.sendEvent(viewport, right_click)
    clicked = panel.context_menu
    expected = menu_texts(clicked)
    clicked.close()
    assert expected[:2] == ["Export curves as CSV…", "Export plot as PNG or SVG…"]
    tab_onto_the_plot(panel, qtbot)
    press(qtbot, panel, key, modifier)
    menu = panel.context_menu
    assert menu is not clicked
    qtbot.waitUntil(menu.isVisible)
    assert menu_texts(menu) == expected
    # Opened at the pose line, where the keys have put the leg, not at the pointer.
    # (Qt moves a menu that would run off the screen's right edge to end there.)
    line_x = panel.plot.mapToGlobal(panel.plot.mapFromScene(panel.line.scenePos())).x()
    screen_right = menu.screen().availableGeometry().right()
    assert abs(menu.pos().x() - line_x) <= 2 or (menu.pos().x() < line_x and menu.geometry().right() >= screen_right)
    menu.close()
    assert window.state.pose.plantarflexion == 10.0  # opening the menu moved nothing


def described(panel) -> str:
    """What a screen reader reads of the plot beside its name (its accessible description)."""
    return QAccessible.queryAccessibleInterface(panel.plot).text(QAccessible.Text.Description)


def test_a_screen_reader_is_told_the_angle_each_key_puts_the_pose_line_at(window, panel, qtbot):
    """The keys moved the line, but the plot's description said only what the keys do: a screen reader user pressed
    Page Up and heard nothing of where the leg now was. The description begins with the line's angle, worded as
    the title words a held joint (and Qt tells assistive technology that it changed); the keys follow it."""
    window.state.select("soleus")
    window.state.pose = Pose(plantarflexion=0.0, knee_flexion=20.0)
    tab_onto_the_plot(panel, qtbot)
    assert described(panel).startswith("Pose line: ankle at neutral (0°). ")
    for key, said in (
        (RIGHT, "ankle at 1° plantarflexion"),
        (Qt.Key.Key_PageDown, "ankle at 9° dorsiflexion"),
        (Qt.Key.Key_End, "ankle at 40° plantarflexion"),
        (Qt.Key.Key_Home, "ankle at 30° dorsiflexion"),
    ):
        press(qtbot, panel, key)
        assert described(panel).startswith(f"Pose line: {said}. "), (key, described(panel))
        assert all(words in described(panel) for words in KEY_WORDS)  # the keys are still said
    window.state.pose = Pose(plantarflexion=12.34, knee_flexion=20.0)  # posed by other means: the line and the words
    assert described(panel).startswith("Pose line: ankle at 12.3° plantarflexion. ")
    panel.set_axis("knee")
    tab_onto_the_plot(panel, qtbot)
    press(qtbot, panel, Qt.Key.Key_PageUp)
    assert described(panel).startswith("Pose line: knee flexion at 30°. "), described(panel)
