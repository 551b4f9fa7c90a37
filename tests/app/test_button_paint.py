"""A Section toolbar button pressed by a click or a key is painted with the next frame, not at once (pytest-qt under
Xvfb): every paint of a widget in this window is a composition of the whole window through GL."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QEvent, QObject, Qt

pytestmark = pytest.mark.gui


class PaintCounter(QObject):
    """Counts the paint events a widget gets."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


@pytest.mark.parametrize("press", ["click", "space"])
def test_a_section_button_pressed_is_painted_with_the_cut_not_before_it(open_window, qtbot, tmp_path, press):
    """Before, Qt's button repainted Axial at once when it was pressed and again when it was released, after the cut
    was made and before the event loop turned: two compositions of the window that showed the button alone, then a
    third with the cut (the toolbar ~20 ms slower than the Section menu, docs/performance.md). Now nothing is painted
    during the press and release, and the button, checked, is painted when the loop turns, with the cut."""
    win = open_window(tmp_path / "settings.ini")
    qtbot.wait(300)
    button = win.section_controls.toolbar.widgetForAction(win.section_controls.actions["axial"])
    counter = PaintCounter()
    button.installEventFilter(counter)
    if press == "click":
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    else:
        qtbot.keyClick(button, Qt.Key.Key_Space)
    assert counter.paints == 0  # during the press and the release
    assert win.state.section is not None and win.state.section.kind == "axial"
    qtbot.waitUntil(lambda: counter.paints > 0, timeout=2000)  # painted after all, when the loop turned
    assert button.isChecked() and button.updatesEnabled()
    button.removeEventFilter(counter)
