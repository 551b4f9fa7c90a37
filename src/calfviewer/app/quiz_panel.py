"""The Quiz panel: a seeded round of ten questions, answered by a click on the 3D view or by a choice button.

The questions, their answers and the grading come from :mod:`calfviewer.anatomy.quiz`; this widget only shows a
question, takes the answer and keeps the score. A click question is answered by what the window's pick returns
(:meth:`QuizPanel.answer_click`), so the geometry decides, not the panel. After an answer the right structure is
selected (highlighted in the 3D view, its facts in the info panel), and a wrong choice button turns red beside the
right one in green.

Signals:
    attachment_shown(object): ``(structure id, role, index)`` of the attachment patch to highlight for the current
        question, or None; the window passes it to the scene and turns the camera to it.
    content_changed(): a question or its verdict was put on the panel (the window makes room for it).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QStyleOptionButton,
    QStyleOptionFocusRect,
    QVBoxLayout,
    QWidget,
)

from calfviewer.anatomy import Catalogue
from calfviewer.anatomy.names import DEFAULT_NAMES, check_names, display_name
from calfviewer.anatomy.quiz import SEED_MAX, Question, QuizRound, QuizTargets, make_round
from calfviewer.app.quiz_changes import QuestionChanges
from calfviewer.app.readable import set_tone
from calfviewer.app.screen_reader import announce
from calfviewer.viewer.view_state import ViewState

#: The verdict's words, right and wrong, and a hint's, on a light window; lighter on a dark one (app/readable.py).
RIGHT_COLOUR, WRONG_COLOUR, HINT_COLOUR = "#2e7d32", "#c62828", "#607d8b"
RIGHT_STYLE = f"background-color: {RIGHT_COLOUR}; color: white; font-weight: 600;"
WRONG_STYLE = f"background-color: {WRONG_COLOUR}; color: white;"


class ChoiceButton(QPushButton):
    """A push button whose text wraps over as many lines as the width needs.

    A QPushButton draws its text on one line and asks for that line's width: a long choice ("Caput laterale musculi
    gastrocnemii", "Fibularis longus (peroneus longus)" in a larger font) was cut off at the quiz dock's right edge,
    which does not scroll sideways. This one asks only for its longest word's width and takes the height its wrapped
    text needs at the width it gets; it is still a QPushButton (clicked, Space and Enter, focus and tab order, its
    text() and accessible name are the choice).
    """

    FLAGS = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        policy = QSizePolicy(
            QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum, QSizePolicy.ControlType.PushButton
        )
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _padding(self) -> QSize:
        """The room the style puts round a button's label (its frame and margins)."""
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = ""  # the margins alone: some styles make a button with text at least 80 pixels wide
        return self.style().sizeFromContents(QStyle.ContentsType.CT_PushButton, option, QSize(0, 0), self)

    def _size_at(self, width: int) -> QSize:
        """The button's size at ``width``: as high as its text wrapped to what is left inside the margins."""
        padding = self._padding()
        inside = QRect(0, 0, max(width - padding.width(), 1), 1_000_000)
        text = self.fontMetrics().boundingRect(inside, int(self.FLAGS), self.text())
        return QSize(width, max(text.height(), self.fontMetrics().height()) + padding.height())

    def sizeHint(self) -> QSize:
        return self._size_at(self.fontMetrics().horizontalAdvance(self.text()) + self._padding().width() + 1)

    def minimumSizeHint(self) -> QSize:
        words = self.text().split()
        longest = max((self.fontMetrics().horizontalAdvance(word) for word in words), default=0)
        return self._size_at(longest + self._padding().width() + 1)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._size_at(width).height()

    def paintEvent(self, event: QPaintEvent) -> None:
        """As QCommonStyle draws a push button (bevel, label, focus rectangle), with the label wrapped inside the
        margins that :meth:`heightForWidth` measured it with."""
        painter = QPainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = ""
        style = self.style()
        style.drawControl(QStyle.ControlElement.CE_PushButtonBevel, option, painter, self)
        padding = self._padding()
        inside = self.rect().adjusted(
            padding.width() // 2,
            padding.height() // 2,
            -(padding.width() - padding.width() // 2),
            -(padding.height() - padding.height() // 2),
        )
        role = QPalette.ColorRole.ButtonText
        style.drawItemText(painter, inside, int(self.FLAGS), option.palette, self.isEnabled(), self.text(), role)
        if self.hasFocus():
            focus = QStyleOptionFocusRect()
            focus.initFrom(self)
            focus.rect = style.subElementRect(QStyle.SubElement.SE_PushButtonFocusRect, option, self)
            style.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, focus, painter, self)


class QuizPanel(QWidget):
    """A round of questions with a score; see the module docstring."""

    attachment_shown = Signal(object)
    content_changed = Signal()

    def __init__(
        self,
        state: ViewState,
        catalogue: Catalogue,
        targets: Callable[[], QuizTargets],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.catalogue = catalogue
        self._targets = targets
        self.names = DEFAULT_NAMES
        self.round: QuizRound | None = None
        self.index = 0
        self.score = 0
        self.answered = False
        self._response: str | None = None  # the answer given to the question shown (a choice's text, a clicked id)
        self.changes = QuestionChanges(state, catalogue)  # what the question shown changed in the view, to put back

        self.seed_box = QSpinBox(self)
        self.seed_box.setRange(0, SEED_MAX)
        self.seed_box.setToolTip("The same seed gives the same round (calfviewer quiz --seed N prints it)")
        self.start_button = QPushButton("Start round", self)
        self.start_button.clicked.connect(lambda: self.start(self.seed_box.value()))
        self.random_button = QPushButton("New seed", self)
        self.random_button.setToolTip("A round from a new random seed")
        self.random_button.clicked.connect(lambda: self.start(None))
        # The seed and its two buttons under it: in one row they needed 326 pixels, more than the quiz dock has
        # in a window on a 1024 x 768 projector, and the panel does not scroll sideways, so "New seed" was cut.
        seed_row = QGridLayout()
        seed_label = QLabel("Seed", self)
        seed_label.setBuddy(self.seed_box)  # the box is named by its label
        seed_row.addWidget(seed_label, 0, 0)
        seed_row.addWidget(self.seed_box, 0, 1, 1, 2)
        seed_row.addWidget(self.start_button, 1, 1)
        seed_row.addWidget(self.random_button, 1, 2)

        self.progress = QLabel(self)
        self.progress.setStyleSheet("font-weight: 600;")
        self.question_label = QLabel(self)
        self.question_label.setWordWrap(True)
        self.question_label.setStyleSheet("font-size: 13pt;")
        self.question_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        set_tone(self.hint, HINT_COLOUR)
        self._choices_box = QVBoxLayout()
        self.choice_buttons: list[ChoiceButton] = []
        self.feedback = QLabel(self)
        self.feedback.setWordWrap(True)
        self.next_button = QPushButton("Next question", self)
        self.next_button.clicked.connect(self.next)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(seed_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.question_label)
        layout.addWidget(self.hint)
        layout.addLayout(self._choices_box)
        layout.addWidget(self.feedback)
        layout.addWidget(self.next_button)
        layout.addStretch(1)
        for signal in (state.events.structure_visible, state.events.layer_visible):
            signal.connect(self._show_hint)  # a click question's structure hidden or shown while it waits
        self._show_idle("Start a round: ten questions from the catalogue, answered by a click or a choice.")

    def minimumSizeHint(self) -> QSize:
        """As narrow as the layout allows, and as high as the panel's text wraps to at the width it has: the layout
        alone asks for the height of every label wrapped at that narrowest width (about 400 pixels where the panel
        needs 280), and the scroll area round the panel then scrolled a question that fitted."""
        width = super().minimumSizeHint().width()
        return QSize(width, self.heightForWidth(max(width, self.width())))

    # --- the round ------------------------------------------------------------------------------------------
    @property
    def question(self) -> Question | None:
        """The question shown now (None before a round and after its end)."""
        if self.round is None or self.index >= len(self.round.questions):
            return None
        return self.round.questions[self.index]

    @property
    def awaiting_click(self) -> bool:
        """Whether a click on the 3D view answers now (a click question not yet answered)."""
        question = self.question
        return question is not None and question.by_click and not self.answered

    @property
    def hides_names(self) -> bool:
        """While a question waits for its answer, the window does not name what the mouse is over."""
        return self.question is not None and not self.answered

    def start(self, seed: int | None = None) -> None:
        """A new round from ``seed`` (a random one when None; the seed box shows it, to give the round again)."""
        if seed is None:
            seed = random.SystemRandom().randint(0, SEED_MAX)
        self.seed_box.setValue(seed)
        self.changes.restore()
        self.round = make_round(self.catalogue, self._targets(), seed, self.names)
        self.index = 0
        self.score = 0
        self._show_question()

    def stop(self) -> None:
        """End the round without a score (the quiz closed): the view is put back as it was before the question."""
        self.round = None
        self.changes.restore()
        self.attachment_shown.emit(None)
        self._show_idle("Start a round: ten questions from the catalogue, answered by a click or a choice.")

    def set_names(self, names: str) -> None:
        """Word the round in English or Latin names. The seed decides the questions, so the round is the same
        one, re-worded, and the score and the question reached stay."""
        self.names = check_names(names)
        if self.round is None:
            return
        before, response = self.question, self._response
        self.round = make_round(self.catalogue, self._targets(), self.round.seed, self.names)
        question = self.question
        if question is not None:
            answered = self.answered
            if before is not None and response in before.choices:  # the same choice, in the new names
                response = question.choices[before.choices.index(response)]
            self._show_question(keep_view=True)
            if answered:  # the verdict as it was: a wrong choice still red, "Not quite" still said
                self.answered, self._response = True, response
                self._mark(response)

    def answer_click(self, structure_id: str | None) -> bool:
        """Take a click on the 3D view as the answer; returns True when the quiz took the click (a click question
        was waiting). A click on the background answers nothing."""
        if not self.awaiting_click:
            return False
        if structure_id is not None:
            self._grade(structure_id)
        return True

    def answer_choice(self, choice: str) -> None:
        """Take a choice button's text as the answer."""
        question = self.question
        if question is None or self.answered or question.by_click:
            return
        self._grade(choice)

    def next(self) -> None:
        """The next question, or the end of the round with the score."""
        if self.round is None:
            return
        self.index += 1
        if self.question is None:
            self._finish()
        else:
            self._show_question()

    # --- showing --------------------------------------------------------------------------------------------
    def _set_choices(self, choices: tuple[str, ...]) -> None:
        for button in self.choice_buttons:
            self._choices_box.removeWidget(button)
            button.hide()  # gone from the screen now, not when the event loop next deletes it
            button.deleteLater()
        self.choice_buttons = []
        for choice in choices:
            button = ChoiceButton(choice, self)
            button.clicked.connect(lambda _=False, text=choice: self.answer_choice(text))
            self._choices_box.addWidget(button)
            self.choice_buttons.append(button)

    def _show_idle(self, text: str) -> None:
        self.progress.setText("Quiz")
        self.question_label.setText(text)
        self.hint.clear()
        self.feedback.clear()
        self._set_choices(())
        self.next_button.hide()

    def _show_question(self, keep_view: bool = False) -> None:
        question = self.question
        assert self.round is not None and question is not None
        self.answered, self._response = False, None
        total = len(self.round.questions)
        self.progress.setText(f"Question {self.index + 1} of {total} · score {self.score}")
        self.question_label.setText(question.text)
        self._show_hint()
        self.feedback.clear()
        self._set_choices(question.choices)
        self.next_button.setText("Finish" if self.index == total - 1 else "Next question")
        if self.next_button.hasFocus() and self.choice_buttons:
            # Next question pressed from the keyboard: the focus to the first choice, not on through the window (to
            # the animation bar). Shown now, as it can take the focus only then (the layout would show it later).
            self.choice_buttons[0].show()
            self.choice_buttons[0].setFocus(Qt.FocusReason.OtherFocusReason)
        self.next_button.hide()
        announce(self.question_label, f"{self.progress.text()}: {question.text} {self.hint.text()}".strip())
        self.content_changed.emit()
        if keep_view:
            return
        self.state.select(None)
        if question.highlight is not None:
            self.changes.fade_layers()
            h = question.highlight
            self.changes.show_bone(h.structure_id, h.role, h.index)
            self.changes.lift_section()
            self.attachment_shown.emit((h.structure_id, h.role, h.index))
        else:
            self.changes.restore()
            self.attachment_shown.emit(None)
        self.changes.hide_labels()

    def _show_hint(self, *_: object) -> None:
        """How to answer a click question; where the structure asked for is hidden, how to show it (else "of the
        structures shown" asked for one that could not be clicked, and the round could not go on). Nothing once it
        is answered: "Click it in the 3D view" stayed under the verdict and asked for a click that counted for
        nothing."""
        question, before = self.question, self.hint.text()
        if question is None or not question.by_click or self.answered:
            self.hint.clear()
        elif self.awaiting_click and not self.state.effective_visibility(question.answer):
            self.hint.setText(
                "The structure asked for is hidden now: show it in the Structures tree, or every structure with "
                "Structure → Show all (A), then click it."
            )
        else:
            self.hint.setText(
                "Click it in the 3D view (turn the leg, or hide a layer, to reach it), or choose it in the "
                "Structures tree: type its name in the search box and press Enter."
            )
        if self.hint.text() != before:
            self.content_changed.emit()  # the window makes room for a longer hint

    def _grade(self, response: str) -> None:
        question = self.question
        assert question is not None
        right = question.is_correct(response)
        self.answered, self._response = True, response
        self.score += int(right)
        self._mark(response)
        self.progress.setText(
            f"Question {self.index + 1} of {len(self.round.questions) if self.round else 0} · score {self.score}"
        )
        # The right structure selected: highlighted in the 3D view (after a wrong click, it is the one to look at)
        # and its facts in the info panel.
        self.state.select(question.subject)
        self.changes.show_labels()

    def _mark(self, response: str | None) -> None:
        """Show the verdict: the right choice green, a wrong one red; for a click, what was picked."""
        question = self.question
        assert question is not None
        # A choice pressed from the keyboard kept the focus, and each choice disabled handed it to the next, so a
        # screen reader read out every choice and then the 3D view, where the focus landed, and never the verdict.
        # The focus goes to Next question instead, whose description is the verdict.
        if any(button.hasFocus() for button in self.choice_buttons):
            self.next_button.show()
            self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)
        for button in self.choice_buttons:
            button.setEnabled(False)
            if button.text() == question.answer:
                button.setStyleSheet(RIGHT_STYLE)
            elif button.text() == response:
                button.setStyleSheet(WRONG_STYLE)
        answer_name = (
            display_name(self.catalogue.get(question.answer), self.names) if question.by_click else question.answer
        )
        if response is None:
            verdict = f"The answer: {answer_name}."
        elif question.is_correct(response):
            verdict = f"Right: {answer_name}."
        elif question.by_click:
            picked = display_name(self.catalogue.get(response), self.names)
            verdict = f"Not quite: that is {picked}. The answer, highlighted in the 3D view, is {answer_name}."
        else:
            verdict = f"Not quite: the answer is {answer_name}."
        self._show_hint()  # answered: no more hint
        self.feedback.setText(verdict)
        set_tone(self.feedback, RIGHT_COLOUR if response and question.is_correct(response) else WRONG_COLOUR)
        self.next_button.setAccessibleDescription(verdict)  # read with the button the focus is given to
        self.next_button.show()
        announce(self.feedback, verdict)
        self.content_changed.emit()

    def _finish(self) -> None:
        assert self.round is not None
        total, seed = len(self.round.questions), self.round.seed
        score = self.score
        self.round = None
        self.changes.restore()
        self.attachment_shown.emit(None)
        self.state.select(None)
        self._show_idle(f"Round over: {score} of {total} right. Seed {seed} gives this round again.")
        self.progress.setText(f"Score {score} of {total}")


def in_scroll_area(panel: QWidget) -> QScrollArea:
    """``panel`` in a frameless scroll area, to fill a dock: a squeezed dock (a small window with the mechanics plot
    open too) scrolls, where the question was cut to its first line and the choices were off the dock."""
    area = QScrollArea()
    area.setAccessibleName("Quiz")  # it takes the focus, so the keys scroll a question taller than the dock
    area.setWidget(panel)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the text wraps to the width
    return area
