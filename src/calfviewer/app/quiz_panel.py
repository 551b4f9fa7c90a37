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
from calfviewer.viewer.section_plane import Section
from calfviewer.viewer.view_state import FADED_OPACITY, Camera, ViewState

RIGHT_STYLE = "background-color: #2e7d32; color: white; font-weight: 600;"
WRONG_STYLE = "background-color: #c62828; color: white;"
#: The layers faded while an attachment question shows a patch on a bone, so the muscles do not hide it.
SOFT_LAYERS = ("superficial", "intermediate", "deep")


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
        self._faded: dict[str, float] | None = None  # layer opacities to put back after an attachment question
        #: (visibility before, visibility as the quiz left it) of the structures and layers, when a question showed
        #: the hidden bone its patch is on; put back afterwards unless the user has changed it since.
        self._revealed: tuple[tuple[dict[str, bool], dict[str, bool]], tuple[dict[str, bool], dict[str, bool]]] | None
        self._revealed = None
        self._lifted: Section | None = None  # a section taken off while a patch is shown, to put back after
        self._labels_off = False  # the 3D labels switched off while a question waits for its answer

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
        seed_row.addWidget(QLabel("Seed", self), 0, 0)
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
        self.hint.setStyleSheet("color: #607d8b;")
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
        self._restore_layers()
        self.round = make_round(self.catalogue, self._targets(), seed, self.names)
        self.index = 0
        self.score = 0
        self._show_question()

    def stop(self) -> None:
        """End the round without a score (the quiz closed): the view is put back as it was before the question."""
        self.round = None
        self._restore_layers()
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
        self.next_button.hide()
        self.content_changed.emit()
        if keep_view:
            return
        self.state.select(None)
        if question.highlight is not None:
            self._fade_layers()
            h = question.highlight
            self._reveal_bone(h.structure_id, h.role, h.index)
            self._lift_section()
            self.attachment_shown.emit((h.structure_id, h.role, h.index))
        else:
            self._restore_layers()
            self.attachment_shown.emit(None)
        if self.state.labels:  # the labels named the answer on the leg: hidden, as the hover names are, till answered
            self._labels_off, self.state.labels = True, False

    def _show_hint(self, *_: object) -> None:
        """How to answer a click question; where the structure asked for is hidden, how to show it (else "of the
        structures shown" asked for one that could not be clicked, and the round could not go on)."""
        question, before = self.question, self.hint.text()
        if question is None or not question.by_click:
            self.hint.clear()
        elif self.awaiting_click and not self.state.effective_visibility(question.answer):
            self.hint.setText(
                "The structure asked for is hidden now: show it in the Structures tree, or every structure with "
                "Structure → Show all (A), then click it."
            )
        else:
            self.hint.setText("Click it in the 3D view (turn the leg, or hide a layer, to reach it).")
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
        if self._labels_off and not self.state.labels:
            self.state.labels = True
        self._labels_off = False

    def _mark(self, response: str | None) -> None:
        """Show the verdict: the right choice green, a wrong one red; for a click, what was picked."""
        question = self.question
        assert question is not None
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
        self.feedback.setText(verdict)
        self.feedback.setStyleSheet(
            "color: #2e7d32;" if response and question.is_correct(response) else "color: #c62828;"
        )
        self.next_button.show()
        self.content_changed.emit()

    def _finish(self) -> None:
        assert self.round is not None
        total, seed = len(self.round.questions), self.round.seed
        score = self.score
        self.round = None
        self._restore_layers()
        self.attachment_shown.emit(None)
        self.state.select(None)
        self._show_idle(f"Round over: {score} of {total} right. Seed {seed} gives this round again.")
        self.progress.setText(f"Score {score} of {total}")

    # --- the view while a patch is shown --------------------------------------------------------------------
    def _fade_layers(self) -> None:
        """Fade the muscle layers so the highlighted patch on the bone shows through (put back afterwards)."""
        if self._faded is None:
            self._faded = dict(self.state.layer_opacity)
        with self.state.events.paused():
            for layer in SOFT_LAYERS:
                self.state.set_opacity(layer, min(self._faded.get(layer, 1.0), FADED_OPACITY))

    def _reveal_bone(self, structure_id: str, role: str, index: int) -> None:
        """Draw the bone a question's patch lies on if it is hidden: the patch is drawn on its bone, so with the bone
        (or the bone layer) hidden the question asked about a highlight that was nowhere. Only that bone appears."""
        if self._revealed is not None:  # the bone the question before showed
            self._put_back(self.state, visibility_only=True)
            self._revealed = None
        structure = self.catalogue.get(structure_id)
        bone = (structure.origins if role == "origin" else structure.insertions)[index].bone
        if self.state.effective_visibility(bone):
            return
        before = (dict(self.state.structure_visible), dict(self.state.layer_visible))
        self.state.set_drawn(bone, True)
        self._revealed = (before, (dict(self.state.structure_visible), dict(self.state.layer_visible)))

    def _lift_section(self) -> None:
        """Take the section off while a patch is shown: the cut hid it where it lay on the side cut away (an axial cut
        takes the foot away, with the navicular and the patches asked about on it)."""
        if self._lifted is None and self.state.section is not None:
            self._lifted, self.state.section = self.state.section, None

    def mirror(self) -> None:
        """The window switched legs: a free plane a question took off goes back mirrored, on the leg shown."""
        if self._lifted is not None:
            self._lifted = self._lifted.mirrored()

    def _restore_layers(self) -> None:
        """Put back what a question changed for itself: the opacity each layer had before the fade, the visibility
        before a bone was shown, a section taken off; whatever the user has set since stays theirs."""
        self._put_back(self.state)
        self._faded = self._revealed = self._lifted = None
        self._labels_off = False

    def as_the_user_left(self, state: ViewState, camera: Camera | None = None) -> ViewState:
        """``state`` without what the question shown changed for itself (faded layers, a bone shown, a section
        taken off, and, given as ``camera``, the camera it turned from): what a bookmark or a saved view keeps.
        Before, a bookmark added during a question kept the faded layers and lost the user's section."""
        if (
            not self._labels_off
            and self._faded is None
            and self._revealed is None
            and self._lifted is None
            and camera is None
        ):
            return state
        copy = ViewState.from_dict(state.to_dict(), self.catalogue)
        self._put_back(copy)
        if camera is not None:
            copy.camera = camera
        return copy

    def _put_back(self, target: ViewState, visibility_only: bool = False) -> None:
        with target.events.paused():
            if self._labels_off and not visibility_only:
                target.labels = True
            if self._revealed is not None:
                (structures, layers), left = self._revealed
                if (dict(target.structure_visible), dict(target.layer_visible)) == left:  # else the user's
                    target.structure_visible, target.layer_visible = structures, layers
            if visibility_only:
                return
            if self._lifted is not None and target.section is None:
                target.section = self._lifted
            if self._faded is None:
                return
            faded, now = self._faded, target.layer_opacity
            restored = {}
            for layer in [*faded, *(layer for layer in now if layer not in faded)]:
                before, shown = faded.get(layer, 1.0), now.get(layer, 1.0)
                value = before if shown == min(before, FADED_OPACITY) else shown  # as the fade left it, or the user's
                if layer in faded or value != 1.0:  # a layer absent before stays absent (absent means 1)
                    restored[layer] = value
            target.layer_opacity = restored


def in_scroll_area(panel: QWidget) -> QScrollArea:
    """``panel`` in a frameless scroll area, to fill a dock: a squeezed dock (a small window with the mechanics plot
    open too) scrolls, where the question was cut to its first line and the choices were off the dock."""
    area = QScrollArea()
    area.setWidget(panel)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the text wraps to the width
    return area
