"""View > Labels (L) while a quiz question waits for its answer: the names stay hidden, and the status bar says why.

Why: a question switches the 3D labels off while it waits (:mod:`calfviewer.app.quiz_changes`), since they name the
structure asked for, but L (or the View menu, or a bookmark or a view file brought back) switched them on again and
wrote the answer on the leg. Now the wish is taken and kept for later: the labels come back once the question is
answered, as they do when the question itself hid them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QSignalBlocker

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QStatusBar

    from calfviewer.app.quiz_panel import QuizPanel
    from calfviewer.viewer.view_state import ViewState

#: The status bar's word for a refused L; shown for this many milliseconds.
HIDDEN_TILL_ANSWERED = (
    "The labels stay hidden until this quiz question is answered (they would name the answer); they show after it"
)
SAY_MS = 6000


class LabelsWindow(Protocol):
    """What View > Labels uses of the window (``MainWindow``): named here so this module need not import it."""

    @property
    def quiz(self) -> QuizPanel: ...
    @property
    def state(self) -> ViewState: ...
    @property
    def actions_by_name(self) -> dict[str, QAction]: ...
    def statusBar(self) -> QStatusBar: ...


def set_labels(window: LabelsWindow, on: bool) -> None:
    """View > Labels toggled to ``on``: done, unless a quiz question waits for its answer, when labels asked for are
    held back till it is answered (the action unchecked again, the status bar saying why)."""
    if on and window.quiz.hides_names:
        window.quiz.changes.labels_off = True  # wanted: shown after the answer, kept by a bookmark made meanwhile
        action = window.actions_by_name["labels"]
        with QSignalBlocker(action):
            action.setChecked(False)
        window.statusBar().showMessage(HIDDEN_TILL_ANSWERED, SAY_MS)
        return
    window.state.labels = on


def keep_names_hidden(quiz: QuizPanel, loaded: ViewState, say: Callable[[str, int], None]) -> None:
    """A view brought back (a bookmark, a view file) while a question waits: its labels held back till the answer,
    ``say`` (the status bar's) telling why."""
    if loaded.labels and quiz.hides_names:
        loaded.labels = False
        quiz.changes.labels_off = True
        say(HIDDEN_TILL_ANSWERED, SAY_MS)
