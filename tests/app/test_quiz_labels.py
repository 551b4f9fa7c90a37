"""View > Labels (L) while a quiz question waits: the names stay hidden and the status bar says why."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt

pytestmark = pytest.mark.gui


def _answer(quiz) -> None:
    question = quiz.question
    quiz.answer_click(question.answer) if question.by_click else quiz.answer_choice(question.answer)
    assert not quiz.hides_names


def _asking(win, qtbot):
    """``win`` in quiz mode with a question waiting for its answer, the view drawn."""
    win.actions_by_name["quiz"].setChecked(True)
    win.quiz.start(7)
    assert win.quiz.hides_names
    qtbot.wait(20)


def test_pressing_l_during_a_question_does_not_write_the_answer_on_the_leg(active_window, qtbot):
    """Before, L switched the labels on while a question waited (the question had switched them off since they name
    the structure asked for), and every name, the answer's too, was written on the leg."""
    win = active_window
    _asking(win, qtbot)
    win.plotter.setFocus()
    qtbot.keyClick(win.plotter, Qt.Key.Key_L)
    win.plotter.render()
    assert not win.state.labels
    assert not win.scene.labels.shown(), "names drawn on the leg during the question"
    assert not win.actions_by_name["labels"].isChecked()
    assert "until this quiz question is answered" in win.statusBar().currentMessage()
    _answer(win.quiz)  # answered: the labels asked for show
    assert win.state.labels and win.actions_by_name["labels"].isChecked()


def test_a_bookmark_with_labels_restored_during_a_question_keeps_them_hidden(open_window, qtbot, tmp_path):
    """A bookmark made with the labels on, restored while a question waits, put them back on the leg too."""
    win = open_window(tmp_path / "settings.ini")
    win.actions_by_name["labels"].setChecked(True)
    win.bookmarks.add("With names")
    win.actions_by_name["labels"].setChecked(False)
    _asking(win, qtbot)
    win.bookmarks.restore("With names")
    assert not win.state.labels
    assert "until this quiz question is answered" in win.statusBar().currentMessage()
    _answer(win.quiz)
    assert win.state.labels
