"""Undo and redo through the window: every kind of view change is a step, undo restores the tree and the 3D view,
camera drags and slider runs merge, and undoing never records a step of its own."""

from __future__ import annotations

import dataclasses

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QDockWidget

from calfviewer.app.animation_bar import SCRUB_STEPS
from calfviewer.musculoskeletal import ANGLES, Pose
from calfviewer.viewer.section_plane import Section

pytestmark = pytest.mark.gui


@pytest.fixture
def window(study_window):
    return study_window


def _drag(qtbot, win, dx: float) -> None:
    """A left-button drag across the view (press, moves, release), as a hand turns the leg."""
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    x, y = win.plotter.width() * 0.3, win.plotter.height() * 0.5

    def send(kind: QEvent.Type, offset: float, button: Qt.MouseButton, buttons: Qt.MouseButton) -> None:
        point = QPointF(x + offset, y)
        QApplication.sendEvent(
            win.plotter, QMouseEvent(kind, point, point, button, buttons, Qt.KeyboardModifier.NoModifier)
        )

    send(QEvent.Type.MouseButtonPress, 0, left, left)
    for n in range(4):
        send(QEvent.Type.MouseMove, dx * (n + 1) / 4, none, left)
        qtbot.wait(5)
    send(QEvent.Type.MouseButtonRelease, dx, left, none)


def test_every_kind_of_change_is_undone_and_redone(window, qtbot):
    state, history = window.state, window.history
    start = state.to_dict()
    changes = [
        lambda: state.set_drawn("soleus", False),
        lambda: state.set_opacity("superficial", 0.4),
        lambda: state.select("tibia"),
        lambda: setattr(state, "pose", Pose(plantarflexion=20, knee_flexion=30)),
        lambda: window.set_view("medial"),
        lambda: setattr(state, "section", Section("axial", 0.4)),
        lambda: setattr(state, "labels", True),
    ]
    after = []
    for change in changes:
        change()
        history.flush()
        after.append(state.to_dict())
    assert history.stack.count() == len(changes)
    for expected in reversed([start, *after[:-1]]):
        history.undo()
        assert state.to_dict() == expected
    assert not history.stack.canUndo()
    for expected in after:
        history.redo()
        assert state.to_dict() == expected
    assert history.stack.count() == len(changes)  # undo and redo recorded nothing new


def test_undo_puts_the_tree_the_actions_and_the_3d_view_back(window, qtbot):
    state, history = window.state, window.history
    window.tree.item("soleus").setCheckState(Qt.CheckState.Unchecked)  # a click on the tree's box
    qtbot.wait(20)  # the event loop turns between two clicks: two steps
    window.actions_by_name["labels"].trigger()
    history.flush()
    assert not window.scene.actor("soleus").visibility and state.labels
    assert history.stack.undoText() == "Labels on"
    history.undo()
    assert not window.actions_by_name["labels"].isChecked()
    history.undo()
    assert window.scene.actor("soleus").visibility
    assert window.tree.item("soleus").checkState() == Qt.CheckState.Checked
    assert history.stack.redoText() == "Hide Soleus"


def test_step_names_follow_the_naming_switch(window, qtbot):
    """With Latin names on (N) the history panel and the Edit menu name structures in Latin, the steps taken before
    the switch too; back to English, English again. A step with a name of its own (a view file) keeps it."""
    history = window.history
    window.state.select("soleus")
    history.flush()
    window.state.set_drawn("tibialis_anterior", False)
    history.flush()
    with history.step("Open view calf.json"):
        window.state.labels = True
    undo, redo = window.actions_by_name["undo"], window.actions_by_name["redo"]
    history.undo()  # something to redo, so the redo text is checked too

    def steps() -> list[str]:
        model = window.history_panel.model()
        return [model.index(row, 0).data() for row in range(model.rowCount())]

    window.actions_by_name["latin_names"].trigger()
    qtbot.wait(20)
    assert steps() == [
        "Start of the session",
        "Select Musculus soleus",
        "Hide Musculus tibialis anterior",
        "Open view calf.json",
    ]
    assert undo.text() == "Undo Hide Musculus tibialis anterior" and redo.text() == "Redo Open view calf.json"
    window.state.select("plantaris")  # a step taken with Latin names on is worded in Latin
    history.flush()
    assert undo.text() == "Undo Select Musculus plantaris"
    window.actions_by_name["latin_names"].trigger()
    qtbot.wait(20)
    assert steps() == ["Start of the session", "Select Soleus", "Hide Tibialis anterior", "Select Plantaris"]
    assert undo.text() == "Undo Select Plantaris"


def test_the_edit_menu_keys_undo_and_redo(window, qtbot):
    window.state.select("soleus")
    qtbot.wait(20)  # recorded at the end of the event-loop turn
    undo, redo = window.actions_by_name["undo"], window.actions_by_name["redo"]
    assert undo.isEnabled() and undo.text() == "Undo Select Soleus"
    assert undo.shortcut().toString() == "Ctrl+Z" and redo.shortcut().toString() == "Ctrl+Shift+Z"
    # Shortcuts need the active window; Xvfb has no window manager, so ask for it and wait until it is granted.
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.state.selection is None
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.state.selection == "soleus"
    assert window.history_panel.model().rowCount() == 2  # the start and one step


def test_a_camera_drag_is_one_step_quick_drags_merge_and_later_ones_do_not(window, qtbot, monkeypatch):
    state, history = window.state, window.history
    clock = [100.0]
    monkeypatch.setattr(history, "clock_source", lambda: clock[0])
    before = window.scene.camera_state()
    _drag(qtbot, window, 120)
    history.flush()
    assert history.stack.count() == 1 and history.stack.undoText() == "Camera"
    first = window.scene.camera_state()
    assert first != before and state.camera == first
    clock[0] += 0.5
    _drag(qtbot, window, -60)  # begun half a second after the last ended: the same step
    history.flush()
    assert history.stack.count() == 1
    second = state.camera
    clock[0] += 5.0
    _drag(qtbot, window, 80)  # five seconds later: a step of its own
    history.flush()
    assert history.stack.count() == 2
    history.undo()
    assert state.camera == second
    history.undo()
    assert state.camera.view == "posterior"  # back to where the first drag began
    # (framed on the bones' bounds: the coarse copies drawn while moving shift them by micrometres)
    assert window.scene.camera_state().position == pytest.approx(before.position, abs=1e-4)


def test_an_opacity_slider_run_is_one_step(window, qtbot):
    slider = window.tree.slider("soleus")
    for value in range(100, 30, -10):
        slider.setValue(value)
    window.history.flush()
    assert window.history.stack.count() == 1
    window.history.undo()
    assert window.state.structure_opacity.get("soleus", 1.0) == 1.0


def test_a_played_motion_is_one_pose_step_when_it_stops(window, qtbot):
    pose = window.state.pose
    window.animator.play()
    qtbot.wait(300)
    window.animator.pause()
    qtbot.wait(20)
    moved = window.state.pose
    assert moved != pose
    assert window.history.stack.count() == 1
    window.history.undo()
    assert window.state.pose == pose


def test_a_section_from_the_menu_is_one_step_with_its_camera(window, qtbot):
    window.section_controls.actions["axial"].trigger()
    window.history.flush()
    assert window.state.section == Section("axial", 0.35)
    assert window.state.camera.view is None  # turned to look at the cut
    assert window.history.stack.count() == 1 and window.history.stack.undoText() == "Section: axial at 35%"
    slider = window.section_controls.slider
    for value in (400, 450, 500):
        slider.setValue(value)
    window.history.flush()
    assert window.state.section == Section("axial", 0.5)
    assert window.history.stack.count() == 2
    window.history.undo()
    assert window.state.section == Section("axial", 0.35) and slider.value() == 350
    window.history.undo()
    assert window.state.section is None and window.state.camera.view == "posterior"
    assert window.section_controls.actions["none"].isChecked()


def test_labels_switched_on_a_cut_seen_face_on_frame_it_again_in_the_same_step(window, qtbot):
    # Labels need room beside a slice seen face on; switched on after the cut was framed, the slice kept filling
    # the picture. Framed again, in the one step that undo takes back; a camera the user moved is left alone.
    window.section_controls.actions["axial"].trigger()
    window.history.flush()
    framed = window.state.camera
    window.actions_by_name["labels"].trigger()
    window.history.flush()
    roomy = window.state.camera
    assert window.state.labels and roomy != framed
    assert roomy.parallel_scale > framed.parallel_scale  # the slice smaller in the picture: room for the names
    assert window.history.stack.count() == 2
    window.history.undo()
    assert not window.state.labels and window.state.camera == framed
    window.history.redo()
    assert window.state.labels and window.state.camera == roomy
    moved = dataclasses.replace(roomy, parallel_scale=roomy.parallel_scale * 0.8)
    window.state.camera = moved
    window.actions_by_name["labels"].trigger()
    window.history.flush()
    assert not window.state.labels and window.state.camera == moved


def test_a_step_that_fades_several_layers_says_layers(catalogue):
    """Before, a step that changed the opacity of several layers (a quiz question fading the muscle layers over a
    bone's patch, a view file) was listed as "Opacity of 3 structures"."""
    from calfviewer.app.undo import describe, snapshot
    from calfviewer.viewer.view_state import ViewState

    def step(before, after):  # the fields a step changed, as the history keeps them
        changed = [name for name in after if after[name] != before[name]]
        return describe({n: before[n] for n in changed}, {n: after[n] for n in changed}, catalogue)

    state = ViewState(catalogue=catalogue)
    before = snapshot(state)
    for layer in ("superficial", "intermediate", "deep"):
        state.set_opacity(layer, 0.2)
    assert step(before, snapshot(state)) == "Opacity of 3 layers"
    before = snapshot(state)
    state.set_opacity("soleus", 0.5)
    state.set_opacity("tibia", 0.5)
    assert step(before, snapshot(state)) == "Opacity of 2 structures"


def test_undo_while_a_motion_plays_stops_it_and_keeps_the_redo(window, qtbot):
    """Before, Ctrl+Z during playback put back the pose before the last pose step for one frame: the motion went on
    over it, and when it was stopped its pose became a new step that wiped out the redo, so the knee flexion the
    user had set could not be got back. Now undo stops the motion first (its pose is not a step) and redo works."""
    window.state.select("soleus")
    window.history.flush()
    bent = Pose(plantarflexion=0.0, knee_flexion=60.0, subtalar=0.0, toes=0.0)
    window.state.pose = bent
    window.history.flush()
    window.animator.play()
    qtbot.wait(150)
    assert window.state.pose != bent  # the motion moves the leg
    window.history.undo()
    qtbot.wait(150)
    assert not window.animator.playing and window.state.pose == Pose(0.0, 0.0, 0.0, 0.0)
    assert window.history.stack.canRedo()
    window.history.redo()
    assert window.state.pose == bent and window.state.selection == "soleus"
    assert window.history.stack.count() == 2  # the motion made no step


def test_a_row_of_the_history_panel_clicked_while_a_motion_plays_goes_to_that_step(window, qtbot):
    """The same for a click on the History panel: the motion stops, the step clicked is shown, the later ones stay."""
    window.state.select("soleus")
    window.history.flush()
    window.state.pose = Pose(plantarflexion=0.0, knee_flexion=60.0, subtalar=0.0, toes=0.0)
    window.history.flush()
    window.findChild(QDockWidget, "history").raise_()
    panel = window.history_panel
    qtbot.waitUntil(panel.isVisible)
    window.animator.play()
    qtbot.wait(150)
    row = panel.visualRect(panel.model().index(1, 0))  # "Select Soleus": the first step after the start
    qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, row.center())
    qtbot.wait(150)
    assert not window.animator.playing and window.history.stack.index() == 1
    assert window.state.pose == Pose(0.0, 0.0, 0.0, 0.0) and window.state.selection == "soleus"
    assert window.history.stack.count() == 2


def test_a_history_row_several_steps_away_puts_the_view_there_in_one_move(window, qtbot):
    """A row of the History panel several steps back or forward: the leg is posed once, where the row's step left it,
    and the facts written once. Before, each step passed was put on the leg in turn (the model posed, the section
    cut, the facts written for each), so going back to the start of a long session took seconds before its paint."""
    state, history = window.state, window.history
    steps = [("soleus", 10.0), ("tibia", 20.0), ("plantaris", 30.0)]
    for structure_id, angle in steps:  # select and pose in turn: no two steps in a row change the same thing
        state.select(structure_id)
        history.flush()
        state.pose = Pose(plantarflexion=angle)
        history.flush()
    assert history.stack.count() == 2 * len(steps)
    end = state.to_dict()
    window.findChild(QDockWidget, "history").raise_()
    panel = window.history_panel
    qtbot.waitUntil(panel.isVisible)
    changes: list[frozenset[str]] = []
    window.viewer.result_changed.connect(lambda result: changes.append(result.changed))

    for row, pose, selection in ((0, Pose(), None), (2 * len(steps), Pose(plantarflexion=30.0), "plantaris")):
        changes.clear()
        rect = panel.visualRect(panel.model().index(row, 0))  # row 0: the start of the session; the last: the end
        qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
        assert history.stack.index() == row
        assert state.pose == pose and state.selection == selection
        assert sum("pose" in changed for changed in changes) == 1, changes
        assert sum("facts" in changed for changed in changes) == 1, changes
        assert _agree(window), f"the timeline shows {_timeline_pose(window)}, the leg {state.pose}"
    assert state.to_dict() == end
    assert history.stack.count() == 2 * len(steps)  # the jumps recorded nothing


def test_isolate_is_named_as_the_user_did_it(window, qtbot):
    """Structure > Isolate selected was worded "Show/hide 43 structures; Show the bone layer (+1 more)". It reads
    "Isolate Soleus" now, in the names the window shows, and hiding a few by hand is still worded as before."""
    history = window.history
    window.state.set_visible("intermediate", False)  # soleus' layer hidden: isolating it shows the layer too
    history.flush()
    window.state.select("soleus")
    history.flush()
    window.actions_by_name["isolate_selected"].trigger()
    history.flush()
    undo = window.actions_by_name["undo"]
    assert undo.text() == "Undo Isolate Soleus"
    assert window.state.is_drawn("soleus") and not window.state.is_drawn("tibia")
    window.actions_by_name["latin_names"].trigger()
    qtbot.wait(20)
    assert undo.text() == "Undo Isolate Musculus soleus"
    window.actions_by_name["latin_names"].trigger()
    window.actions_by_name["show_all"].trigger()
    history.flush()
    with window.state.events.paused():
        window.state.set_visible("tibia", False)
        window.state.set_visible("fibula", False)
    history.flush()
    assert undo.text() == "Undo Show/hide 2 structures"


def _timeline_pose(window) -> Pose:
    """The pose at the time the animation bar's slider shows, in the motion the bar shows."""
    motion = window.animator.current
    return motion.pose_at(motion.duration * window.animation_bar.scrub.value() / SCRUB_STEPS)


def _agree(window) -> bool:
    """The timeline shows the leg's pose (to the slider's resolution, a thousandth of the motion)."""
    shown, leg = _timeline_pose(window), window.state.pose
    return all(abs(getattr(shown, angle) - getattr(leg, angle)) < 0.5 for angle in ANGLES)


def _play_a_little(window, qtbot) -> Pose:
    """Press Play, let the motion move the leg a twentieth of a second, and pause: the pose it reached."""
    qtbot.mouseClick(window.animation_bar.play, Qt.MouseButton.LeftButton)
    window.animator.step(0.05)
    reached = window.state.pose
    qtbot.mouseClick(window.animation_bar.play, Qt.MouseButton.LeftButton)
    return reached


def _moved(before: Pose, after: Pose) -> float:
    return max(abs(getattr(after, angle) - getattr(before, angle)) for angle in ANGLES)


def test_after_an_undo_and_a_redo_the_timeline_shows_the_leg_and_play_goes_on_from_it(window, qtbot):
    """The tester's fault: played to about 0.65 s (23 degrees) and paused, Edit > Undo put the leg back to 0 degrees
    while the timeline stayed at 0.65 s, and Play jumped the leg straight to 23 degrees. Now the timeline goes to
    where the leg is, after undo and after redo alike, and Play moves the leg on from there."""
    bar = window.animation_bar
    qtbot.mouseClick(bar.play, Qt.MouseButton.LeftButton)
    window.animator.step(0.65)
    qtbot.mouseClick(bar.play, Qt.MouseButton.LeftButton)  # paused mid-motion: one pose step
    stopped = window.state.pose
    assert not window.animator.playing and stopped.plantarflexion > 15 and _agree(window)
    window.history.flush()
    assert window.history.stack.count() == 1

    window.actions_by_name["undo"].trigger()
    assert window.state.pose == Pose()  # the leg back at 0 degrees
    assert _agree(window), f"the timeline shows {_timeline_pose(window)}, the leg {window.state.pose}"

    window.actions_by_name["redo"].trigger()
    assert window.state.pose == stopped
    assert _agree(window), f"the timeline shows {_timeline_pose(window)}, the leg {window.state.pose}"
    assert _moved(stopped, _play_a_little(window, qtbot)) < 5  # on from 23 degrees, where the leg is

    window.history.flush()
    window.actions_by_name["undo"].trigger()  # the little play's step
    window.actions_by_name["undo"].trigger()  # the first play's step: back to 0 degrees
    assert window.state.pose == Pose() and _agree(window)
    assert _moved(Pose(), _play_a_little(window, qtbot)) < 5  # before: straight to 23 degrees and on


@pytest.mark.parametrize("how", ["play", "click"])
def test_ctrl_z_while_a_motion_plays_leaves_the_timeline_at_the_leg(window, qtbot, how):
    """Ctrl+Z while the motion plays (the bar's Play, or a muscle's action after a click) stops it and puts the leg
    back where it was before it played; the timeline stayed where the motion stopped, and Play jumped there."""
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    if how == "play":
        window.state.select("soleus")  # a step for Ctrl+Z to take back (with none, Edit > Undo is off)
        window.history.flush()
        qtbot.mouseClick(window.animation_bar.play, Qt.MouseButton.LeftButton)
    else:
        window.actions_by_name["play_action_on_click"].setChecked(True)
        window.select_and_act("soleus")
        assert window.animator.current.id == "action:soleus"
    window.animator.step(0.65)
    assert window.animator.playing and window.state.pose.plantarflexion > 15
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not window.animator.playing and window.state.pose == Pose() and window.state.selection is None
    assert _agree(window), f"the timeline shows {_timeline_pose(window)}, the leg {window.state.pose}"
    assert _moved(Pose(), _play_a_little(window, qtbot)) < 5


def test_a_step_on_a_looping_motion_comes_back_on_its_own_pass_not_the_other(window, qtbot, monkeypatch):
    """The ankle motion passes 20 degrees of plantarflexion twice a cycle: at 0.6 s on the way up, at 1.8 s on the
    way back. Played to 0.6 s and paused (one step), then on to 1.6 s (another), undo put the leg back at 20 degrees
    but the timeline at 1.8 s, the pass nearest where it was, and Play took the leg down instead of on up as the user
    had seen it; the same for redo and a History row. Now each puts the timeline back at the time the step had."""
    bar, animator, history = window.animation_bar, window.animator, window.history
    animator.set_motion("plantarflexion")
    history.reset()
    clock = [100.0]
    monkeypatch.setattr(history, "clock_source", lambda: clock[0])

    def play_for(seconds: float) -> None:
        clock[0] += 5.0  # a while after the last step: two pose steps, not one merged
        qtbot.mouseClick(bar.play, Qt.MouseButton.LeftButton)
        animator.step(seconds)
        qtbot.mouseClick(bar.play, Qt.MouseButton.LeftButton)
        history.flush()

    play_for(0.6)
    rising, rising_t = window.state.pose, animator.t
    play_for(1.0)
    back_t = animator.t
    assert history.stack.count() == 2 and 0.5 < rising_t < 0.7 and 1.5 < back_t < 1.7
    assert rising.plantarflexion == pytest.approx(animator.motion.pose_at(1.8).plantarflexion)  # the other pass

    window.actions_by_name["undo"].trigger()
    assert window.state.pose == rising and animator.t == pytest.approx(rising_t), animator.t
    window.actions_by_name["undo"].trigger()
    assert window.state.pose == Pose() and animator.t == pytest.approx(0.0), animator.t  # not 2.4 s, the other 0
    window.actions_by_name["redo"].trigger()
    assert window.state.pose == rising and animator.t == pytest.approx(rising_t), animator.t

    window.findChild(QDockWidget, "history").raise_()
    panel = window.history_panel
    qtbot.waitUntil(panel.isVisible)
    for row, t in ((2, back_t), (0, 0.0), (1, rising_t)):
        rect = panel.visualRect(panel.model().index(row, 0))
        qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
        assert history.stack.index() == row and animator.t == pytest.approx(t), (row, animator.t)
    qtbot.mouseClick(bar.play, Qt.MouseButton.LeftButton)
    animator.step(1.0)  # playing past the other pass; its row clicked: the motion stops, the leg back at 0.6 s
    qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    assert not animator.playing and window.state.pose == rising and animator.t == pytest.approx(rising_t)
    assert _agree(window) and history.stack.count() == 2
    assert _play_a_little(window, qtbot).plantarflexion > rising.plantarflexion  # on up, as the user saw it go


def test_a_long_scrub_is_one_step_and_the_steps_merged_into_it_are_let_go(window, qtbot, monkeypatch):
    """Each event-loop turn of a timeline scrub (a slider, a camera drag) is a step the stack merges into the last.
    PySide kept every command Qt deleted after merging it alive, held by the stack with the poses it held, for the
    whole session: 6,000 frames stepped through grew the window by 6 MB that no collection gave back."""
    import gc

    from calfviewer.app.undo import StateCommand

    def commands_alive() -> int:
        gc.collect()
        return sum(isinstance(thing, StateCommand) for thing in gc.get_objects())

    clock = [100.0]  # the history's own clock: a turn of a loaded machine's event loop may pass MERGE_SECONDS
    monkeypatch.setattr(window.history, "clock_source", lambda: clock[0])
    scrub = window.animation_bar.scrub
    start, before = window.state.pose, commands_alive()
    for value in range(2, SCRUB_STEPS // 5, 2):
        scrub.setValue(value)  # as a hand drags it: one pose a turn of the event loop, each recorded
        qtbot.wait(2)
        clock[0] += 0.05
    window.history.flush()
    moved = window.state.pose
    assert moved != start and window.history.stack.count() == 1  # one step, as before
    assert commands_alive() - before <= 2, "the merged steps are still held"
    window.history.undo()
    assert window.state.pose == start  # the one step goes back to where the scrub began
    window.history.redo()
    assert window.state.pose == moved


def test_the_history_keeps_the_last_thousand_steps_and_its_first_row_then_says_so(window, qtbot, monkeypatch):
    """The history kept every step, about 1.6 KB of the process each (scripts/undo-memory: 5,000 steps, 7.5 MB), so
    a day-long session grew without end. It keeps the last 1,000 (README); the oldest are let go, and the History
    panel's first row, which going back to reached the start of the session, names the earliest view kept instead;
    undoing every step kept goes there, and Undo is then off."""
    state, history = window.state, window.history
    clock = [100.0]
    monkeypatch.setattr(history, "clock_source", lambda: clock[0])  # the steps apart: none merges
    window.findChild(QDockWidget, "history").raise_()
    panel = window.history_panel
    qtbot.waitUntil(panel.isVisible)

    def first_row() -> str:
        return panel.model().index(0, 0).data()

    opacities = [round(0.2 + 0.6 * n / 1005, 4) for n in range(1005)]
    for n, opacity in enumerate(opacities):
        state.set_opacity("soleus", opacity)
        history.flush()
        clock[0] += 2.0
        if n == 998:
            assert history.stack.count() == 999 and first_row() == "Start of the session"
    assert history.stack.count() == 1000
    assert panel.model().rowCount() == 1001
    assert first_row() == "Earliest view kept (last 1,000 steps)"
    rect = panel.visualRect(panel.model().index(0, 0))
    qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    assert history.stack.index() == 0
    assert state.structure_opacity["soleus"] == opacities[4]  # the view after the fifth step: the first four let go
    undo = window.actions_by_name["undo"]
    assert not undo.isEnabled() and undo.text() == "Undo"
    assert window.actions_by_name["redo"].text().startswith("Redo Opacity of Soleus")
    history.reset()  # the history starts again: its first row is the start again
    assert first_row() == "Start of the session" and history.stack.count() == 0
