"""The Quiz panel on its own, in the scroll area that fills its dock: long choices wrap and are read whole; a question
on a hidden bone shows the bone."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QPushButton

from calfviewer.anatomy.quiz import make_round
from calfviewer.app.quiz_panel import QuizPanel, in_scroll_area
from calfviewer.geometry.quiz_targets import stored_targets, targets_of
from calfviewer.viewer.view_state import ViewState

pytestmark = pytest.mark.gui

#: The quiz dock's narrowest (the information column's minimum width, screen_fit.DOCK_WIDTHS).
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
    for _ in range(index):  # Next, without an answer, to the question with the longest choice
        panel.next()
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


def first_attachment_seed(catalogue, targets) -> tuple[int, str]:
    """A seed whose round opens with an attachment question, and the bone its highlighted patch is on (taken from
    the catalogue, not from the panel)."""
    for seed in range(200):
        question = make_round(catalogue, targets, seed).questions[0]
        if question.highlight is not None:
            h = question.highlight
            owner = catalogue.get(h.structure_id)
            return seed, (owner.origins if h.role == "origin" else owner.insertions)[h.index].bone
    raise AssertionError("no round in the first 200 seeds opens with an attachment question")


def test_a_question_on_a_hidden_bone_shows_that_bone_and_hides_it_again(qtbot, catalogue):
    """Before, with the bone layer (or the one bone) hidden, "Which muscle does the highlighted insertion on the
    navicular belong to?" highlighted nothing: the patch is drawn on its bone. The question shows the bone alone,
    and ending the question hides it again, as the user had it."""
    targets = stored_targets()
    state = ViewState(catalogue=catalogue)
    panel = QuizPanel(state, catalogue, lambda: targets)
    qtbot.addWidget(panel)
    seed, bone = first_attachment_seed(catalogue, targets)
    state.set_drawn("bone", False)
    panel.start(seed)
    assert state.is_drawn(bone)
    others = [s.id for s in catalogue if s.kind == "bone" and s.id != bone]
    assert not any(state.is_drawn(other) for other in others)  # only the bone asked about appears
    panel.stop()
    assert dict(state.layer_visible) == {"bone": False} and not state.is_drawn(bone)

    # A bone the user hid alone, and shown again by the user during the question: the user's choice stays.
    state.show_all()
    state.set_visible(bone, False)
    panel.start(seed)
    assert state.is_drawn(bone)
    state.set_visible("femur", False)  # the user changes what is shown while the question is up
    panel.stop()
    assert state.is_drawn(bone) and not state.is_drawn("femur")


def test_the_patch_of_a_question_on_a_hidden_bone_is_drawn(open_window, qtbot, tmp_path):
    """The same in the window: the highlighted patch's actor is drawn."""
    win = open_window(tmp_path / "settings.ini")
    targets = targets_of(win.scene.structure_ids, win.scene.geometry.footprints)
    seed, bone = first_attachment_seed(win.catalogue, targets)
    win.state.set_drawn("bone", False)
    win.actions_by_name["quiz"].setChecked(True)
    win.quiz.start(seed)
    h = win.quiz.question.highlight
    patches = [actor for footprint, actor in win.scene.footprint_actors(h.structure_id) if footprint.role == h.role]
    assert patches and any(actor.visibility for actor in patches)
    win.actions_by_name["quiz"].setChecked(False)
    assert not win.state.is_drawn(bone)


def test_a_question_on_a_see_through_bone_makes_it_opaque_and_puts_it_back(qtbot, catalogue):
    """Before, with the bone set to opacity 0 (or the bone layer), the bone and the patch on it, drawn at its
    opacity, were invisible: the question asked about a highlight that was nowhere to be seen. The question makes
    that bone opaque, the other bones as see-through as they were, and puts it back afterwards."""
    targets = stored_targets()
    state = ViewState(catalogue=catalogue)
    panel = QuizPanel(state, catalogue, lambda: targets)
    qtbot.addWidget(panel)
    seed, bone = first_attachment_seed(catalogue, targets)
    state.set_opacity(bone, 0.0)
    panel.start(seed)
    assert state.effective_opacity(bone) == 1.0 and state.is_drawn(bone)
    panel.stop()
    assert dict(state.structure_opacity) == {bone: 0.0} and dict(state.layer_opacity) == {}

    state.set_opacity("bone", 0.3)  # the whole layer see-through
    panel.start(seed)
    others = [s.id for s in catalogue if s.kind == "bone" and s.id != bone]
    assert state.effective_opacity(bone) == 1.0
    assert all(state.effective_opacity(other) == pytest.approx(0.3) for other in others)
    panel.stop()
    assert dict(state.layer_opacity) == {"bone": 0.3} and dict(state.structure_opacity) == {bone: 0.0}

    # The user changes a bone's opacity while the question is up: the user's opacities stay.
    state.show_all()
    state.set_opacity(bone, 0.0)
    panel.start(seed)
    state.set_opacity("femur", 0.5)
    panel.stop()
    assert state.effective_opacity(bone) == 1.0 and state.effective_opacity("femur") == 0.5


def test_the_patch_of_a_question_on_a_see_through_bone_is_drawn_opaque(open_window, qtbot, tmp_path):
    """The same in the window: the highlighted patch's actor is drawn, opaque, while the question is up."""
    win = open_window(tmp_path / "settings.ini")
    targets = targets_of(win.scene.structure_ids, win.scene.geometry.footprints)
    seed, bone = first_attachment_seed(win.catalogue, targets)
    win.state.set_opacity(bone, 0.0)
    win.actions_by_name["quiz"].setChecked(True)
    win.quiz.start(seed)
    h = win.quiz.question.highlight
    # The one patch asked about: tibialis posterior's origin on the fibula is asked without its origin on the tibia.
    patches = [
        actor
        for footprint, actor in win.scene.footprint_actors(h.structure_id)
        if (footprint.role, footprint.index) == (h.role, h.index)
    ]
    assert patches and all(actor.visibility and actor.prop.opacity == 1.0 for actor in patches)
    win.actions_by_name["quiz"].setChecked(False)
    assert win.state.effective_opacity(bone) == 0.0


def panel_on_a_click_question(qtbot, catalogue, hidden: tuple[str, ...] = ()) -> tuple[QuizPanel, ViewState]:
    """A quiz panel whose round opens with a click question, started with the layers ``hidden``."""
    targets = stored_targets()
    state = ViewState(catalogue=catalogue)
    panel = QuizPanel(state, catalogue, lambda: targets)
    qtbot.addWidget(panel)
    seed = next(s for s in range(200) if make_round(catalogue, targets, s).questions[0].by_click)
    for layer in hidden:
        state.set_drawn(layer, False)
    panel.start(seed)
    return panel, state


def test_a_click_question_on_a_hidden_structure_says_how_to_show_it(qtbot, catalogue):
    """Before, with the structure asked for hidden (or every structure, after the user hid them all), the panel
    asked to click it "of the structures shown" and hinted only at turning the leg or hiding a layer: the question
    could not be answered and the round could not go on, with nothing saying why."""
    panel, state = panel_on_a_click_question(qtbot, catalogue, ("bone", "superficial", "intermediate", "deep"))
    answer = panel.question.answer
    assert "hidden" in panel.hint.text() and "Show all" in panel.hint.text()
    state.set_drawn(answer, True)  # shown while the question waits: the hint is the usual one again
    assert "hidden" not in panel.hint.text() and panel.hint.text().startswith("Click it in the 3D view")
    state.set_visible(answer, False)
    assert "hidden" in panel.hint.text()
    state.set_visible(answer, True)
    assert panel.answer_click(answer) and "Right" in panel.feedback.text()
    state.set_visible(answer, False)  # after the answer nothing is asked for: no note
    assert "hidden" not in panel.hint.text()


@pytest.mark.parametrize("right", [True, False])
def test_a_click_question_answered_drops_its_hint(qtbot, catalogue, right):
    """ "Click it in the 3D view (turn the leg, or hide a layer, to reach it)" stayed under the verdict after the
    click that answered, asking for a click that no longer counted."""
    panel, state = panel_on_a_click_question(qtbot, catalogue)
    answer = panel.question.answer
    assert panel.hint.text().startswith("Click it in the 3D view")
    picked = answer if right else next(s.id for s in catalogue.of_kind("muscle") if s.id != answer)
    assert panel.answer_click(picked)
    assert ("Right" if right else "Not quite") in panel.feedback.text()
    assert panel.hint.text() == ""
    state.set_visible(answer, False)  # a layer hidden after the answer asks for nothing either
    state.set_visible(answer, True)
    assert panel.hint.text() == ""


def test_switching_names_after_a_wrong_choice_keeps_the_verdict(qtbot, catalogue):
    """Before, View > Latin names after a wrong choice re-worded the question but dropped what the student had
    answered: the red choice went back to an ordinary button and "Not quite: the answer is ..." became "The
    answer: ...", as if the question had been skipped."""
    from calfviewer.app.quiz_panel import RIGHT_STYLE, WRONG_STYLE

    targets = stored_targets()
    state = ViewState(catalogue=catalogue)
    panel = QuizPanel(state, catalogue, lambda: targets)
    qtbot.addWidget(panel)
    seed = next(s for s in range(200) if make_round(catalogue, targets, s).questions[0].choices)
    panel.start(seed)
    english = panel.question
    wrong = next(index for index, choice in enumerate(english.choices) if choice != english.answer)
    panel.choice_buttons[wrong].click()
    assert panel.feedback.text().startswith("Not quite")
    panel.set_names("latin")
    latin = make_round(catalogue, targets, seed, "latin").questions[0]
    assert [b.text() for b in panel.choice_buttons] == list(latin.choices)
    assert panel.choice_buttons[wrong].styleSheet() == WRONG_STYLE
    right = latin.choices.index(latin.answer)
    assert panel.choice_buttons[right].styleSheet() == RIGHT_STYLE
    assert panel.feedback.text() == f"Not quite: the answer is {latin.answer}."
    assert panel.score == 0 and not any(b.isEnabled() for b in panel.choice_buttons)


def test_a_question_on_a_patch_takes_a_section_off_and_puts_it_back(qtbot, catalogue):
    """Before, with an axial cut the foot is cut away, and "Which muscle does the highlighted insertion on the
    navicular belong to?" highlighted a patch that was not drawn. The cut is taken off while the patch is shown and
    put back after; a section the user chooses meanwhile is theirs and stays."""
    from calfviewer.viewer.section_plane import Section

    targets = stored_targets()
    state = ViewState(catalogue=catalogue)
    panel = QuizPanel(state, catalogue, lambda: targets)
    qtbot.addWidget(panel)
    seed, _ = first_attachment_seed(catalogue, targets)
    cut = Section("axial", 0.35)
    state.section = cut
    panel.start(seed)
    assert state.section is None
    panel.stop()
    assert state.section == cut
    panel.start(seed)
    chosen = Section("sagittal", 0.5)
    state.section = chosen
    panel.stop()
    assert state.section == chosen


def test_a_bookmark_or_a_view_saved_during_a_question_keeps_the_users_view(open_window, tmp_path):
    """Before, a bookmark added (or a view saved) while a question showed a patch kept what the question had
    changed for itself: the muscle layers faded to 0.2, the user's section gone, the camera turned to the patch.
    Restored later, it showed a view the user had never made."""
    import json

    from calfviewer.viewer.section_plane import Section

    win = open_window(tmp_path / "settings.ini")
    seed, _ = first_attachment_seed(win.catalogue, targets_of(win.scene.structure_ids, win.scene.geometry.footprints))
    win.section_controls.actions["axial"].trigger()
    mine = win.state.camera
    win.state.set_opacity("deep", 0.6)
    win.actions_by_name["quiz"].setChecked(True)
    win.quiz.start(seed)
    assert win.state.section is None and win.state.camera != mine  # the question's own view
    win.bookmarks.add("During the quiz")
    win.save_view(str(tmp_path / "view.json"))
    for state in (win.bookmarks.bookmarks[0].state(win.catalogue, "right"), None):
        saved = state if state is not None else json.loads((tmp_path / "view.json").read_text())
        values = saved.to_dict() if state is not None else saved
        assert values["section"] == Section("axial", 0.35).to_dict()
        assert values["opacity"]["layers"] == {"deep": 0.6}
        assert values["camera"] == mine.to_dict()


def test_labels_are_hidden_while_a_question_waits_and_back_after_the_answer(qtbot, catalogue):
    """Before, with View > Labels on, "Click the structure whose Latin name is Musculus soleus" was asked with
    "Soleus" written beside the muscle on the leg: the window hid the name the mouse hovers over while a question
    waits, but the labels named everything. They are off till the answer, and back after it."""
    targets = stored_targets()
    state = ViewState(catalogue=catalogue)
    panel = QuizPanel(state, catalogue, lambda: targets)
    qtbot.addWidget(panel)
    seed = next(s for s in range(300) if make_round(catalogue, targets, s).questions[0].kind == "click_name")
    state.labels = True
    panel.start(seed)
    assert not state.labels
    saved = panel.changes.as_the_user_left(state)  # a bookmark made now keeps the user's labels
    assert saved.labels and not state.labels
    panel.answer_click(panel.question.answer)
    assert state.labels
    panel.next()
    assert not state.labels
    panel.stop()
    assert state.labels


def test_the_last_questions_choices_are_gone_as_soon_as_the_next_shows(qtbot, catalogue):
    """The old choice buttons were only scheduled for deletion: until the event loop next ran they stayed drawn on
    top of the new question's (a tester's script that pumped events by hand saw them over the Seed row)."""
    targets = stored_targets()
    panel = QuizPanel(ViewState(catalogue=catalogue), catalogue, lambda: targets)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    seed = next(s for s in range(200) if all(q.choices for q in make_round(catalogue, targets, s).questions[:2]))
    panel.start(seed)
    old = list(panel.choice_buttons)
    qtbot.waitUntil(lambda: all(button.isVisible() for button in old))  # a layout shows what it takes, queued
    panel.next()
    assert old and not any(button.isVisible() for button in old)
    qtbot.waitUntil(lambda: all(button.isVisible() for button in panel.choice_buttons))
