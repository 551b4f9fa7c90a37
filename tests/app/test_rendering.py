"""How often the window draws: once per batch of changes, and once per paint (pytest-qt under Xvfb).

Speed itself is measured in ``benchmarks/window.py``; these tests hold the behaviour that made it fast: a click, a
layer toggle or a playback frame costs one render, not two or three (a click or toggle then one more, refined at
rest).
"""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QPoint, Qt

pytestmark = pytest.mark.gui


@pytest.fixture
def window(open_window, qtbot, tmp_path):
    win = open_window(tmp_path / "settings.ini", (1200, 800))
    win.actions_by_name["play_action_on_click"].setChecked(False)
    qtbot.wait(200)
    return win


def _renders_after(qtbot, win, change) -> list[bool]:
    """The renders the 3D view drew for ``change`` once the event loop has settled, each as whether it was drawn at
    full quality (FXAA on): the paint that answers the change is drawn for motion, the picture at rest refined."""
    qtbot.wait(400)  # anything earlier (start-up, the fixture) has refined
    before_paints = win.plotter.renders
    renders: list[bool] = []
    window = win.plotter.render_window
    # Frames drawn with SwapBuffers off are the idle work's rehearsal of the first cut, which no one sees and which
    # now comes in the first second or two, where these tests look: only the frames put on screen count.
    tag = window.AddObserver(
        "EndEvent",
        lambda *_: renders.append(bool(win.plotter.renderer.GetUseFXAA())) if window.GetSwapBuffers() else None,
    )
    try:
        change()
        qtbot.waitUntil(lambda: bool(renders) and renders[-1], timeout=3000)  # until a full-quality picture
        qtbot.wait(300)  # and any render after it
    finally:
        window.RemoveObserver(tag)
    assert win.plotter.renders - before_paints == len(renders), "a render happened outside a paint"
    return renders


# Drawn once for motion, then once refined: not one render per changed actor, per signal or per VTK request.
DRAWN_FOR_MOTION_THEN_REFINED = [False, True]


def test_layer_toggle_draws_once_for_motion_then_refines(qtbot, window):
    item = window.tree.item("layer:superficial")
    renders = _renders_after(qtbot, window, lambda: item.setCheckState(Qt.CheckState.Unchecked))
    assert renders == DRAWN_FOR_MOTION_THEN_REFINED
    assert not window.scene.actor("gastrocnemius_medial_head").visibility


def test_several_changes_in_one_turn_draw_once_then_refine(qtbot, window):
    def changes() -> None:
        window.state.set_visible("superficial", False)
        window.state.set_visible("deep", False)
        window.state.select("tibia")

    assert _renders_after(qtbot, window, changes) == DRAWN_FOR_MOTION_THEN_REFINED


def test_click_draws_once_then_refines(qtbot, window):
    scene = window.scene
    x, y = scene.visible_point("soleus")
    ratio = window.plotter.devicePixelRatioF()
    height = window.plotter.render_window.GetSize()[1]
    point = QPoint(round(x / ratio), round((height - 1 - y) / ratio))

    def click() -> None:
        qtbot.mouseClick(window.plotter, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)

    # VTK's camera style asks for a render on the button's release, the selection asks for one: one paint, then
    # the refined one.
    assert _renders_after(qtbot, window, click) == DRAWN_FOR_MOTION_THEN_REFINED
    assert window.state.selection == "soleus"


def test_window_draws_without_multisampling_and_with_fxaa(window):
    assert window.plotter.render_window.GetMultiSamples() == 0
    assert window.plotter.renderer.GetUseFXAA()


def _drag(qtbot, win, moves: int, release: bool = True) -> None:
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    x, y = win.plotter.width() * 0.3, win.plotter.height() * 0.5

    def send(kind: QEvent.Type, dx: float, button: Qt.MouseButton, buttons: Qt.MouseButton) -> None:
        point = QPointF(x + dx, y)
        event = QMouseEvent(kind, point, point, button, buttons, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(win.plotter, event)

    send(QEvent.Type.MouseButtonPress, 0, left, left)
    for n in range(moves):
        send(QEvent.Type.MouseMove, 8 * (n + 1), none, left)
        qtbot.wait(5)
    if release:
        send(QEvent.Type.MouseButtonRelease, 8 * moves, left, none)


def test_a_drag_draws_for_motion_and_refines_once_released(qtbot, window):
    camera_before = window.plotter.camera.position
    _drag(qtbot, window, 10, release=False)
    assert window.scene.interactive
    assert not window.plotter.renderer.GetUseFXAA()
    qtbot.wait(400)  # holding the button still is not the end of the drag
    assert window.scene.interactive
    renders = window.plotter.renders
    end = QPoint(int(window.plotter.width() * 0.3) + 80, int(window.plotter.height() * 0.5))
    qtbot.mouseRelease(window.plotter, Qt.MouseButton.LeftButton, pos=end)
    qtbot.waitUntil(lambda: not window.scene.interactive, timeout=2000)
    assert window.plotter.renderer.GetUseFXAA()
    qtbot.waitUntil(lambda: window.plotter.renders > renders, timeout=2000)  # the refined picture
    assert window.plotter.camera.position != camera_before
    assert window.state.selection is None  # a drag is not a click


def test_playback_draws_for_motion_and_refines_when_it_stops(qtbot, window):
    window.animator.play()
    qtbot.wait(100)
    assert window.scene.interactive
    frames = window.plotter.renders
    qtbot.waitUntil(lambda: window.plotter.renders >= frames + 2, timeout=5000)
    assert window.scene.interactive  # still playing
    window.animator.pause()
    qtbot.waitUntil(lambda: not window.scene.interactive, timeout=2000)
    assert window.plotter.renderer.GetUseFXAA()


def test_a_selection_is_drawn_for_motion_first_and_at_full_quality_at_rest(qtbot, window):
    assert _renders_after(qtbot, window, lambda: window.state.select("tibia")) == DRAWN_FOR_MOTION_THEN_REFINED
    assert not window.scene.interactive
    assert window.plotter.renderer.GetUseFXAA()


def test_a_section_chosen_from_the_menu_draws_once_then_refines(qtbot, window):
    """Before, Section > Axial drew the 3D view twice (135 ms against 53-57 for the same change undone or redone,
    docs/performance.md): the cut and the camera turned to face it are one change, one paint, then the refined one."""
    action = window.section_controls.actions["axial"]
    assert _renders_after(qtbot, window, action.trigger) == DRAWN_FOR_MOTION_THEN_REFINED
    assert window.state.section is not None and window.state.section.kind == "axial"
