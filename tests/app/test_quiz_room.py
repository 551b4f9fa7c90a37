"""The quiz beside the information panel and the mechanics plot: a question and its choices seen together."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from calfviewer.anatomy.quiz import make_round
from calfviewer.app.settings import FRAME_ROOM
from calfviewer.geometry.quiz_targets import targets_of

pytestmark = pytest.mark.gui

#: The window on a 1280 x 720 projector and on a 1024 x 768 one, the room for the title bar and a panel taken off.
ON_720, ON_768 = (1280 - FRAME_ROOM[0], 720 - FRAME_ROOM[1]), (1024 - FRAME_ROOM[0], 768 - FRAME_ROOM[1])


def whole(widget) -> bool:
    """Whether all of ``widget`` is on screen (not scrolled away, not cut by its dock)."""
    shown = widget.visibleRegion().boundingRect()
    return widget.isVisible() and shown.size() == widget.size()


@pytest.mark.parametrize(("size", "plot_first"), [(ON_720, True), (ON_720, False), (ON_768, True)], ids=str)
def test_a_question_and_all_its_choices_are_seen_together_with_the_plot_open(
    open_window, qtbot, tmp_path, size, plot_first
):
    """Before, at 1280 x 720 with the information panel, the mechanics plot and the quiz open, the quiz dock was a
    strip 84 pixels high under the plot: the question and its choices were never on screen together. Now the plot
    gives up its place first (into a tab behind the information panel, still open), and comes back after."""
    win = open_window(tmp_path / "settings.ini", size)
    win.actions_by_name["latin_names"].setChecked(True)  # the longer names
    plot, info = win.plot_dock, win.info_dock
    actions = [win.actions_by_name["mechanics_plot"], win.actions_by_name["quiz"]]
    for action in actions if plot_first else actions[::-1]:
        action.trigger()
        qtbot.wait(50)
    quiz = win.quiz
    targets = targets_of(win.scene.structure_ids, win.scene.geometry.footprints)
    questions = [(s, make_round(win.catalogue, targets, s, "latin").questions[0]) for s in range(30)]
    seed = max((s for s, q in questions if q.choices), key=lambda s: len(dict(questions)[s].text))
    quiz.start(seed)  # the longest first question answered with buttons
    parts = [quiz.question_label, *quiz.choice_buttons]
    assert len(parts) >= 3
    qtbot.waitUntil(lambda: all(whole(part) for part in parts), timeout=3000)
    assert (win.width(), win.height()) == size  # the window did not grow off the projector's screen
    assert info.isVisible()  # the facts of the answer still show
    assert not plot.isHidden() and actions[0].isChecked()  # the plot is still open ...
    assert plot.isVisible() or info in win.tabifiedDockWidgets(plot)  # ... beside or in a tab behind the facts
    if size == ON_720:  # where the column cannot hold all three, the plot waits in a tab
        assert info in win.tabifiedDockWidgets(plot)

    if info in win.tabifiedDockWidgets(plot):  # brought to the front, the plot is whole; sent back, the quiz again
        plot.raise_()
        panel = plot.widget()
        qtbot.waitUntil(lambda: panel.isVisible() and panel.height() >= panel.layout().minimumSize().height())
        info.raise_()
        qtbot.waitUntil(lambda: all(whole(part) for part in parts), timeout=3000)

    # The verdict and Next come into sight too.
    wrong = next(b for b in quiz.choice_buttons if b.text() != quiz.question.answer)
    wrong.click()
    qtbot.waitUntil(lambda: whole(quiz.feedback) and whole(quiz.next_button), timeout=3000)

    # The quiz closed: the plot is back in a place of its own.
    actions[1].trigger()
    qtbot.waitUntil(lambda: plot.isVisible() and info.isVisible(), timeout=3000)
    assert not win.tabifiedDockWidgets(plot) and plot.height() >= plot.minimumSizeHint().height()
