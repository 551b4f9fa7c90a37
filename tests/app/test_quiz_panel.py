"""The Quiz panel on its own, in the scroll area that fills its dock: long choices wrap and are read whole."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QPushButton

from calfviewer.anatomy.quiz import make_round
from calfviewer.app.quiz_panel import QuizPanel, in_scroll_area
from calfviewer.geometry.quiz_targets import stored_targets
from calfviewer.viewer.view_state import ViewState

pytestmark = pytest.mark.gui

#: The quiz dock's narrowest (the information column's minimum width, main_window.DOCK_WIDTHS).
DOCK_WIDTH = 320
#: A classroom font: a projector's desktop set a size or two larger than the 9 or 10 point default.
CLASSROOM_POINTS = 14


def longest_choice_question(catalogue, targets, names: str) -> tuple[int, int, str]:
    """``(seed, question index, choice)`` of the longest choice in the first rounds, worded in ``names``."""
    found = (0, 0, "")
    for seed in range(40):
        for index, question in enumerate(make_round(catalogue, targets, seed, names).questions):
            for choice in question.choices:
                if len(choice) > len(found[2]):
                    found = (seed, index, choice)
    return found


@pytest.mark.parametrize("names", ["english", "latin"])
def test_a_long_choice_wraps_and_is_read_whole_at_the_docks_narrowest(qtbot, catalogue, names):
    """Before, a choice was a QPushButton, one line as wide as its text: in a classroom font "Caput laterale musculi
    gastrocnemii" or "Fibularis longus (peroneus longus)" made the panel wider than its dock, which does not scroll
    sideways, so the end of the choice (and the panel's right edge) was cut off. Now each choice wraps to the width."""
    targets = stored_targets()
    panel = QuizPanel(ViewState(catalogue=catalogue), catalogue, lambda: targets)
    area = in_scroll_area(panel)
    qtbot.addWidget(area)
    font = area.font()
    font.setPointSize(CLASSROOM_POINTS)
    area.setFont(font)
    area.resize(DOCK_WIDTH, 900)
    area.show()
    qtbot.waitExposed(area)
    panel.set_names(names)
    seed, index, longest = longest_choice_question(catalogue, targets, names)
    panel.start(seed)
    panel.index = index
    panel._show_question()
    qtbot.wait(50)
    viewport = area.viewport()
    metrics = QFontMetrics(font)
    one_line = QPushButton(longest)
    one_line.setFont(font)
    assert one_line.sizeHint().width() > viewport.width()  # a one-line button could not be read whole here
    texts = [button.text() for button in panel.choice_buttons]
    assert longest in texts
    for button in panel.choice_buttons:
        left = button.mapTo(viewport, button.rect().topLeft()).x()
        assert left >= 0 and left + button.width() <= viewport.width(), f"{button.text()!r} runs off the dock"
        wrapped = metrics.boundingRect(QRect(0, 0, button.width(), 10_000), Qt.TextFlag.TextWordWrap, button.text())
        assert wrapped.height() <= button.height(), f"{button.text()!r}: {button.height()} of {wrapped.height()} px"
    assert panel.width() <= viewport.width()  # nothing of the panel is out of sight to the right
    assert area.width() == DOCK_WIDTH

    # Still a button for the keyboard: Tab goes from one choice to the next, and Space answers.
    first, second = panel.choice_buttons[:2]
    assert first.focusPolicy() & Qt.FocusPolicy.TabFocus and first.nextInFocusChain() is second
    area.activateWindow()  # Xvfb has no window manager: ask for the focus and wait until it is granted
    qtbot.waitUntil(area.isActiveWindow, timeout=5000)
    second.setFocus()
    qtbot.waitUntil(second.hasFocus)
    qtbot.keyClick(second, Qt.Key.Key_Space)
    assert panel.answered and panel.feedback.text()
