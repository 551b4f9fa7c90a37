"""The window's learning tools: a quiz round driven by real clicks, English/Latin names, either leg."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QPoint, Qt

from calfviewer.anatomy.quiz import make_round
from calfviewer.geometry.quiz_targets import targets_of
from calfviewer.musculoskeletal import Pose, shared_model
from calfviewer.viewer.view_state import VIEWS, Camera

pytestmark = pytest.mark.gui

WINDOW_SIZE = (1300, 850)


def on_screen(qtbot, win, structure_id: str) -> QPoint:
    """A widget position (Qt logical pixels, y from the top) where a click picks ``structure_id``, turning to the
    standard view that shows it."""
    for view in (win.state.camera.view or "posterior", *VIEWS):
        win.set_view(view)
        win.scene.render()
        point = win.scene.visible_point(structure_id)
        if point is not None:
            ratio = win.plotter.devicePixelRatioF()
            height = win.plotter.render_window.GetSize()[1]
            widget = QPoint(round(point[0] / ratio), round((height - point[1]) / ratio))
            if win.pick_at(widget.x(), widget.y()) == structure_id:
                return widget
    raise AssertionError(f"{structure_id} cannot be clicked from any standard view")


def activate(qtbot, win) -> None:
    """Shortcuts need the active window; Xvfb has no window manager, so ask for it and wait until it is granted."""
    win.raise_()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5000)


def click(qtbot, win, point: QPoint) -> None:
    qtbot.mouseClick(win.plotter, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def test_a_quiz_round_through_the_window_right_and_wrong(open_window, qtbot, tmp_path):
    win = open_window(tmp_path / "settings.ini", WINDOW_SIZE)
    activate(qtbot, win)
    # Before quiz mode: the round it starts may open on an attachment question, which fades the layers.
    opacity_before = dict(win.state.layer_opacity)
    qtbot.keyClick(win, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # View > Quiz mode (q is VTK's close)
    quiz = win.quiz
    assert not win.quiz_dock.isHidden() and quiz.round is not None  # quiz mode starts a round
    targets = targets_of(win.scene.structure_ids, win.scene.geometry.footprints)  # what the scene can show
    # A seed whose round has at least two click and two choice questions, so each is answered right and wrong.
    seed = next(
        s
        for s in range(100)
        if sum(q.by_click for q in make_round(win.catalogue, targets, s).questions) >= 2
        and sum(not q.by_click for q in make_round(win.catalogue, targets, s).questions) >= 2
    )
    quiz.seed_box.setValue(seed)
    qtbot.mouseClick(quiz.start_button, Qt.MouseButton.LeftButton)
    assert quiz.round.seed == seed and quiz.index == 0 and quiz.score == 0
    wrong_click = wrong_choice = False
    right = 0
    for number, question in enumerate(quiz.round.questions):
        assert quiz.question_label.text() == question.text
        assert win.state.selection is None  # nothing selected gives the answer away
        if question.highlight is not None:
            h = question.highlight
            assert win.scene.attachment_highlight == (h.structure_id, h.role, h.index)
        if question.by_click:
            assert quiz.choice_buttons == []
            if not wrong_click:
                other = next(sid for sid in ("femur", "gastrocnemius_medial_head", "tibia") if sid != question.answer)
                click(qtbot, win, on_screen(qtbot, win, other))
                wrong_click = True
                assert "Not quite" in quiz.feedback.text()
            else:
                click(qtbot, win, on_screen(qtbot, win, question.answer))
                right += 1
                assert quiz.feedback.text().startswith("Right")
            assert win.state.selection == question.answer  # the right structure highlighted in the 3D view
            assert not win.animator.playing  # a quiz click answers; it does not play the action
        else:
            buttons = {b.text(): b for b in quiz.choice_buttons}
            assert list(buttons) == list(question.choices)
            if not wrong_choice:
                chosen = next(c for c in question.choices if c != question.answer)
                wrong_choice = True
            else:
                chosen = question.answer
                right += 1
            qtbot.mouseClick(buttons[chosen], Qt.MouseButton.LeftButton)
            assert "background-color: #2e7d32" in buttons[question.answer].styleSheet()  # the right one green
            if chosen != question.answer:
                assert "background-color: #c62828" in buttons[chosen].styleSheet()
            assert not any(b.isEnabled() for b in buttons.values())
        assert quiz.score == right
        assert quiz.progress.text() == f"Question {number + 1} of 10 · score {right}"
        assert quiz.next_button.text() == ("Finish" if number == 9 else "Next question")
        qtbot.mouseClick(quiz.next_button, Qt.MouseButton.LeftButton)
    assert wrong_click and wrong_choice
    assert quiz.round is None and quiz.progress.text() == f"Score {right} of 10"
    assert f"Seed {seed} gives this round again" in quiz.question_label.text()
    assert dict(win.state.layer_opacity) == opacity_before  # layers faded for a patch are put back
    assert win.scene.attachment_highlight is None
    win.actions_by_name["quiz"].trigger()
    assert win.quiz_dock.isHidden()


def test_latin_names_everywhere_and_remembered(open_window, qtbot, tmp_path):
    settings = tmp_path / "settings.ini"
    win = open_window(settings, WINDOW_SIZE)
    win.state.select("tibialis_posterior")
    win.state.labels = True
    activate(qtbot, win)
    qtbot.keyClick(win, Qt.Key.Key_N)  # View > Latin names
    assert win.actions_by_name["latin_names"].isChecked()
    assert win.tree.item("tibialis_posterior").text() == "Musculus tibialis posterior"
    assert win.tree.item("navicular").text() == "Os naviculare"
    assert win.info.title.text() == "Musculus tibialis posterior"
    text = win.info.browser.toPlainText()
    assert "English" in text and "Tibialis posterior" in text and "Os naviculare:" in text
    # Its nerve and compartment too, by their TA2 names (they stayed "tibial nerve", "Posterior compartment, ...").
    assert "Nervus tibialis (L4, L5)" in text and "Pars profunda compartimenti cruris posterioris" in text
    assert "tibial nerve (" not in text and "Posterior compartment" not in text
    assert win.tree.group("compartment:deep:deep posterior").text() == "Pars profunda compartimenti cruris posterioris"
    assert win.tree.group("tarsals").text() == "Ossa tarsi"  # and the bone groups (it stayed "Tarsal bones")
    win.state.select("calcaneus")
    text = win.info.browser.toPlainText()
    assert "\nGroup\nOssa tarsi\n" in text and "Tarsal bones" not in text  # it said "Group" "tarsals"
    win.state.select("femur")
    assert win.info.title.text() == "Femur" and "\nLayer\nBones\n" in win.info.browser.toPlainText()
    assert "\nGroup\n" not in win.info.browser.toPlainText()  # it said "Group" "leg"; no group of the long bones
    win.state.select("tibialis_posterior")
    assert win.scene.labels.text("soleus") == "Musculus soleus"
    win.tree.search.setText("soleus")  # search finds either name
    assert win.tree.first_match() == "soleus"
    win.tree.search.setText("")
    win.quiz.start(11)
    english = make_round(
        win.catalogue, targets_of(win.scene.structure_ids, win.scene.geometry.footprints), 11, "english"
    )
    assert [q.subject for q in win.quiz.round.questions] == [q.subject for q in english.questions]
    assert win.quiz.round.names == "latin"
    win.close()

    again = open_window(settings, WINDOW_SIZE)
    assert again.names == "latin" and again.actions_by_name["latin_names"].isChecked()
    assert again.tree.item("soleus").text() == "Musculus soleus"
    again.actions_by_name["latin_names"].trigger()
    assert again.tree.item("soleus").text() == "Soleus"
    assert again.scene.labels.text("soleus") == "Soleus"


def test_either_leg_keeps_selection_pose_and_a_mirrored_camera(open_window, qtbot, tmp_path):
    win = open_window(tmp_path / "settings.ini", WINDOW_SIZE)
    pose = Pose(plantarflexion=20.0, knee_flexion=30.0)
    win.state.pose = pose
    win.state.select("soleus")
    win.set_view("medial")
    win.scene.render()
    explicit = win.scene.camera_state()
    win.state.camera = Camera(
        view=None,
        position=tuple(p + d for p, d in zip(explicit.position, (0.05, -0.1, 0.02), strict=True)),
        focal_point=explicit.focal_point,
        view_up=explicit.view_up,
        view_angle=explicit.view_angle,
    )
    right_centre = win.scene.world_centre("soleus")
    camera = win.state.camera

    win.actions_by_name["left_leg"].trigger()
    assert win.model.side == "left" and win.scene.model.side == "left"
    assert win.actions_by_name["left_leg"].isChecked() and not win.actions_by_name["right_leg"].isChecked()
    assert win.state.selection == "soleus" and win.state.pose == pose
    flip = np.array([-1.0, 1.0, 1.0])
    assert np.allclose(win.state.camera.position, np.array(camera.position) * flip)
    assert np.allclose(win.state.camera.view_up, np.array(camera.view_up) * flip)
    assert np.allclose(win.plotter.camera.position, np.array(camera.position) * flip)
    # The left leg is the right one mirrored across the midline (MyoLeg's left bodies, within 5 mm).
    assert np.allclose(win.scene.world_centre("soleus"), right_centre * flip, atol=0.005)
    left_length = shared_model("left").pose(pose).muscles["soleus"].length
    assert win.scene.pose_result().muscles["soleus"].length == pytest.approx(left_length)
    assert win.plot_dock.ensure_panel().model.side == "left"  # the mechanics plot sweeps the leg shown
    assert win.tree.view.currentIndex().data() == "Soleus"
    win.scene.render()
    point = win.scene.visible_point("soleus")
    assert point is not None and win.scene.pick(*point) == "soleus"  # the new leg answers clicks
    assert win.scene.outline.visibility  # and shows the selection

    win.set_side("right")
    assert win.model.side == "right" and win.actions_by_name["right_leg"].isChecked()
    assert np.allclose(win.state.camera.position, camera.position)
    assert np.allclose(win.scene.world_centre("soleus"), right_centre)


def _free_plane_through(win, structure_id: str):
    from calfviewer.viewer.section_plane import Section

    centre = tuple(float(v) for v in win.scene.world_centre(structure_id))
    return Section.free(centre, (0.0, -1.0, 0.0))  # a coronal cut through it, the front half taken away


def test_a_free_section_and_the_undo_history_follow_the_leg_switch(open_window, qtbot, tmp_path):
    """The same cut shows on the other leg (before: the plane stayed where the right leg was and cut the whole left
    leg away), its plane widget is placed around the new leg, and undo goes back through views of the leg shown."""
    win = open_window(tmp_path / "settings.ini", WINDOW_SIZE)
    win.history.reset()
    win.set_view("medial")
    win.history.flush()
    section = _free_plane_through(win, "soleus")
    win.state.section = section
    win.history.flush()
    assert win.section_controls.plane_widget is not None

    win.set_side("left")
    flip = np.array([-1.0, 1.0, 1.0])
    assert np.allclose(win.state.section.origin, np.array(section.origin) * flip)
    assert np.allclose(win.state.section.normal, section.normal)
    assert np.allclose(win.section_controls.plane_widget.GetOrigin(), win.state.section.origin, atol=1e-6)
    win.scene.render()
    assert win.scene.visible_point("soleus") is not None  # the leg is cut, not gone
    assert win.history.stack.undoText() == "Section: free plane"  # the switch itself is not a step

    win.history.undo()  # back to no section, on the left leg
    assert win.state.section is None
    win.history.redo()
    assert np.allclose(win.state.section.origin, np.array(section.origin) * flip)  # the left leg's cut again


def test_the_last_view_made_on_the_other_leg_opens_mirrored(open_window, qtbot, tmp_path):
    """A free plane and a camera left on the left leg, and the next start on the right one (``--side right``). Before,
    the window did not open at all (VTK's plane widget wrote its clamped origin back into a tuple), on every start."""
    settings = tmp_path / "settings.ini"
    win = open_window(settings, WINDOW_SIZE)
    win.set_side("left")
    win.set_view("lateral")
    win.scene.render()
    win.state.camera = win.scene.camera_state()
    win.state.section = _free_plane_through(win, "soleus")
    left_camera, left_section = win.state.camera, win.state.section
    win.close()

    again = open_window(settings, WINDOW_SIZE, side="right")
    assert again.model.side == "right" and again.notice.text() == ""
    flip = np.array([-1.0, 1.0, 1.0])
    assert np.allclose(again.state.camera.focal_point, np.array(left_camera.focal_point) * flip)
    assert np.allclose(again.state.section.origin, np.array(left_section.origin) * flip)
    again.scene.render()
    assert again.scene.visible_point("soleus") is not None


def test_a_free_plane_outside_the_leg_opens_from_a_view_file(open_window, qtbot, tmp_path):
    """A hand-made view whose free plane lies outside the leg's box: the plane widget takes it (clamped inside its
    box) instead of the open failing half done with no message."""
    win = open_window(tmp_path / "settings.ini", WINDOW_SIZE)
    view = tmp_path / "far.json"
    section = {"kind": "free", "origin": [0.3, 0, -0.6], "normal": [1, 0, 0]}
    view.write_text(json.dumps({"section": section, "selection": "soleus"}))
    win.open_view(str(view))
    assert win.state.section.origin == (0.3, 0.0, -0.6) and win.state.selection == "soleus"
    assert win.section_controls.actions["free"].isChecked()
    assert win.section_controls.plane_widget is not None and win.section_controls.plane_widget.GetEnabled()


def test_closing_the_quiz_keeps_an_opacity_set_during_a_faded_question(open_window, qtbot, tmp_path):
    win = open_window(tmp_path / "settings.ini", WINDOW_SIZE)
    win.actions_by_name["quiz"].setChecked(True)
    quiz = win.quiz
    for seed in range(1, 50):  # a round that opens with a question on a bone patch fades the muscle layers
        quiz.start(seed)
        if win.state.layer_opacity:
            break
    assert win.state.layer_opacity.get("deep", 1.0) < 1.0
    win.tree.slider("layer:deep").setValue(60)
    assert win.state.layer_opacity["deep"] == pytest.approx(0.6)
    win.actions_by_name["quiz"].setChecked(False)
    assert dict(win.state.layer_opacity) == {"deep": pytest.approx(0.6)}  # the others back to how they were


def test_the_camera_a_quiz_question_turned_from_follows_a_leg_switch(open_window, qtbot, tmp_path):
    """Before, closing the quiz after a leg switch put back the other leg's camera: the leg at the picture's edge."""
    win = open_window(tmp_path / "settings.ini", WINDOW_SIZE)
    win.set_view("lateral")
    win.scene.render()
    win.state.camera = win.scene.camera_state()
    before = win.state.camera
    targets = targets_of(win.scene.structure_ids, win.scene.geometry.footprints)
    seed = next(s for s in range(200) if make_round(win.catalogue, targets, s).questions[0].highlight is not None)
    win.actions_by_name["quiz"].setChecked(True)
    win.quiz.start(seed)  # the first question turns the camera to its patch
    assert win.state.camera != before
    win.set_side("left")
    win.actions_by_name["quiz"].setChecked(False)  # the camera goes back to where the question turned it from
    assert win.state.camera == before.mirrored()


def test_the_quiz_can_be_read_and_answered_in_the_smallest_window(open_window, qtbot, tmp_path):
    """At the window's smallest with the mechanics plot open too, the quiz dock got about 120 pixels: the question
    was cut to its first line ("...click the muscle that inserts on") and the choices and Next were not on screen
    at all. Every part of a question must be reachable: whole where it is, or scrolled to."""
    from PySide6.QtWidgets import QScrollArea

    win = open_window(tmp_path / "settings.ini", WINDOW_SIZE)
    win.actions_by_name["mechanics_plot"].trigger()
    win.actions_by_name["quiz"].trigger()
    quiz = win.quiz
    targets = targets_of(win.scene.structure_ids, win.scene.geometry.footprints)
    seed = next(s for s in range(100) if not make_round(win.catalogue, targets, s).questions[0].by_click)
    quiz.start(seed)  # its first question is answered with buttons
    win.resize(100, 100)
    qtbot.wait(100)
    assert win.width() < 1300 and win.height() < 800  # the window did shrink
    parts = [quiz.question_label, *quiz.choice_buttons]
    assert len(parts) >= 3
    area = next((p for p in _ancestors(quiz) if isinstance(p, QScrollArea)), None)
    for part in parts:
        if area is not None:
            area.ensureWidgetVisible(part)
            qtbot.wait(10)
        shown = part.visibleRegion().boundingRect()
        needed = part.heightForWidth(part.width()) if part.hasHeightForWidth() else part.minimumSizeHint().height()
        assert shown.height() >= needed and shown.width() >= part.minimumSizeHint().width() - 1, (
            f"{part.text()[:40]!r}: {shown.height()} of {needed} pixels high can be seen"
        )


def _ancestors(widget):
    while widget is not None:
        yield widget
        widget = widget.parentWidget()


def _answer_rightly(quiz):
    """Answer the question waiting, rightly, by a click or a choice as it asks; the question answered."""
    question = quiz.question
    assert question is not None
    if quiz.awaiting_click:
        quiz.answer_click(question.answer)
    else:
        quiz.answer_choice(question.answer)
    return question


def test_undo_while_a_question_waits_neither_names_nor_selects_the_answer(open_window, qtbot, tmp_path):
    """Before, Ctrl+Z while a question waited undid the quiz's own "Clear selection; Labels off": the labels came
    back on, naming the structure to click, and the last answer was selected again (in this round the same muscle
    the next question asks about). Undo and redo still take back everything else: here, a layer hidden meanwhile."""
    win = open_window(tmp_path / "settings.ini", WINDOW_SIZE)
    win.play_action_on_click = False
    win.state.labels = True
    win.actions_by_name["quiz"].setChecked(True)
    quiz = win.quiz
    quiz.start(7)
    win.history.flush()  # each change a step of its own, as the event loop records them
    for _ in range(2):  # answered right, so each answer selects its muscle and brings the labels back
        question = _answer_rightly(quiz)
        win.history.flush()
        assert win.state.labels and win.state.selection == question.subject
        quiz.next()
        win.history.flush()
    assert quiz.hides_names and not win.state.labels and win.state.selection is None
    win.state.set_visible("superficial", False)
    win.history.flush()
    for _ in range(4):
        win.history.undo()
        assert not win.state.labels and win.state.selection is None
    assert win.state.layer_visible.get("superficial", True)  # the user's own change went back
    for _ in range(4):
        win.history.redo()
    assert not win.state.layer_visible["superficial"] and not win.state.labels
    _answer_rightly(quiz)
    assert win.state.labels  # the answer given: the labels the question switched off are back


#: The nerves and compartments of the leg by their Terminologia Anatomica names (TA2), written out by hand.
LATIN_NERVES = {"Nervus tibialis", "Nervus fibularis profundus", "Nervus fibularis superficialis"}
LATIN_COMPARTMENTS = {
    "Pars superficialis compartimenti cruris posterioris",
    "Pars profunda compartimenti cruris posterioris",
    "Compartimentum cruris anterius",
    "Compartimentum cruris laterale",
}


def test_a_latin_round_offers_nerves_and_compartments_by_their_latin_names(open_window, qtbot, tmp_path):
    """Testers drilling Latin names were offered "tibial nerve" and "deep fibular nerve" (and "superficial posterior")
    in a Latin round. Its choice buttons name them in Latin, and the right one is marked right in Latin words."""
    win = open_window(tmp_path / "settings.ini", WINDOW_SIZE)
    win.actions_by_name["latin_names"].setChecked(True)
    targets = targets_of(win.scene.structure_ids, win.scene.geometry.footprints)
    seed = next(
        s
        for s in range(200)
        if {"nerve", "compartment"} <= {q.kind for q in make_round(win.catalogue, targets, s).questions}
    )
    win.actions_by_name["quiz"].trigger()
    quiz = win.quiz
    quiz.seed_box.setValue(seed)
    qtbot.mouseClick(quiz.start_button, Qt.MouseButton.LeftButton)
    assert quiz.round.names == "latin"
    seen = set()
    for question in quiz.round.questions:
        if question.by_click:
            quiz.answer_click(question.answer)
        else:
            buttons = {b.text(): b for b in quiz.choice_buttons}
            if question.kind in ("nerve", "compartment"):
                latin = LATIN_NERVES if question.kind == "nerve" else LATIN_COMPARTMENTS
                assert set(buttons) <= latin and question.answer in latin, list(buttons)
                seen.add(question.kind)
            qtbot.mouseClick(buttons[question.answer], Qt.MouseButton.LeftButton)
            if question.kind in ("nerve", "compartment"):
                assert quiz.feedback.text() == f"Right: {question.answer}."
        qtbot.mouseClick(quiz.next_button, Qt.MouseButton.LeftButton)
    assert seen == {"nerve", "compartment"}
    assert quiz.progress.text() == "Score 10 of 10"
