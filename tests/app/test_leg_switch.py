"""View > Leg: the other leg shown with the view kept."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("kind", ["axial", "sagittal", "free"])
def test_a_cut_seen_face_on_stays_face_on_and_labels_still_frame_it_after_a_switch(open_window, tmp_path, kind):
    """Before, the camera of a cut seen face on was mirrored onto the other leg a fraction of a millimetre off that
    leg's own face-on camera, so switching labels afterwards took it for a camera the user had moved: the cut was
    no longer framed with room for the names (or back without it)."""
    win = open_window(tmp_path / "settings.ini")
    win.section_controls.actions[kind].trigger()
    win.section_controls.face_cut()  # a free plane is seen face on once asked for (Section > Look at the cut...)
    win.actions_by_name["labels"].setChecked(True)
    assert win.state.camera == win.scene.section_camera(labels=True)
    win.set_side("left")
    assert win.state.camera == win.scene.section_camera(labels=True)
    win.actions_by_name["labels"].setChecked(False)
    assert win.state.camera == win.scene.section_camera(labels=False)  # framed again, without the names' room
    win.history.undo()
    assert win.state.labels and win.state.camera == win.scene.section_camera(labels=True)


def test_a_camera_moved_off_the_cut_is_mirrored_as_it_was(open_window, tmp_path):
    """A camera the user turned away from the face-on view is the user's: mirrored, not framed again."""
    win = open_window(tmp_path / "settings.ini")
    win.section_controls.actions["axial"].trigger()
    face_on = win.state.camera
    turned = type(face_on)(
        position=tuple(p + d for p, d in zip(face_on.position, (0.2, 0.0, 0.0), strict=True)),
        focal_point=face_on.focal_point,
        view_up=face_on.view_up,
        view_angle=face_on.view_angle,
        parallel_scale=face_on.parallel_scale,
    )
    win.state.camera = turned
    win.set_side("left")
    assert win.state.camera == turned.mirrored()


def test_a_free_plane_a_quiz_question_took_off_comes_back_on_the_leg_shown(open_window, tmp_path):
    """A question on a patch takes the section off; the leg switched meanwhile, the free plane came back where it cut
    the other leg (its world coordinates were not mirrored with the rest of the view), cutting nothing of this one."""
    from calfviewer.anatomy.quiz import make_round
    from calfviewer.geometry.quiz_targets import targets_of

    win = open_window(tmp_path / "settings.ini")
    win.section_controls.actions["free"].trigger()
    free = win.state.section
    targets = targets_of(win.scene.structure_ids, win.scene.geometry.footprints)  # what it can show
    seed = next(s for s in range(200) if make_round(win.catalogue, targets, s).questions[0].highlight is not None)
    win.actions_by_name["quiz"].setChecked(True)
    win.quiz.start(seed)
    assert win.state.section is None
    win.set_side("left")
    win.actions_by_name["quiz"].setChecked(False)
    assert win.state.section == free.mirrored()
    assert {"soleus", "gastrocnemius_medial_head"} <= set(win.scene.section.capped())


def test_the_leg_shown_is_remembered_with_its_last_view(open_window, tmp_path):
    """View > Leg > Left was forgotten: the next session opened on the right leg with the left's view mirrored onto
    it, although Latin names were remembered."""
    settings = tmp_path / "settings.ini"
    win = open_window(settings)
    win.actions_by_name["left_leg"].trigger()
    win.set_view("lateral")
    win.state.select("soleus")
    camera = win.state.camera
    win.close()

    again = open_window(settings)
    assert again.model.side == "left" and again.actions_by_name["left_leg"].isChecked()
    assert not again.actions_by_name["right_leg"].isChecked()
    assert again.state.camera == camera  # the left leg's view as it was, not mirrored onto the right
    assert again.state.selection == "soleus"
    again.actions_by_name["right_leg"].trigger()
    again.close()
    assert open_window(settings).model.side == "right"


def test_a_free_plane_keeps_its_widget_on_the_other_leg(open_window, tmp_path):
    """The old leg's scene took every prop off the renderer, the plane widget's outline, plane and handles too, and
    the widget, still switched on, was never put back: on the other leg the free cut had no widget to drag."""
    win = open_window(tmp_path / "settings.ini")
    win.section_controls.actions["free"].trigger()
    win.set_side("left")
    widget = win.section_controls.plane_widget
    assert widget is not None and widget.GetEnabled()
    props = win.plotter.renderer.GetViewProps()
    shown = {props.GetItemAsObject(i) for i in range(props.GetNumberOfItems())}
    widget.Off()
    left = {props.GetItemAsObject(i) for i in range(props.GetNumberOfItems())}
    assert shown - left, "the widget drew nothing: its outline and handles are not in the 3D view"


def test_the_old_leg_s_scene_is_freed_when_the_leg_is_switched(open_window, tmp_path, qtbot):
    """The old leg's scene and meshes (about 50 MB, in reference cycles: pyvista's actors and data sets, the
    scene's items) waited for Python's next full collection, which the large arrays in them do not hasten: switching
    legs back and forth took a session from 0.7 to 1.7 GB before a collection ran. They go with the switch."""
    import gc
    import weakref

    win = open_window(tmp_path / "settings.ini", side="right")
    gc.collect()
    automatic = gc.isenabled()
    gc.disable()  # only what the switch itself frees counts
    try:
        old_scene, old_geometry = weakref.ref(win.scene), weakref.ref(win.scene.geometry)
        win.set_side("left")
        qtbot.wait(50)
        assert old_scene() is None and old_geometry() is None
    finally:
        if automatic:
            gc.enable()
