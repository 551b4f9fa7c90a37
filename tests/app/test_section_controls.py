"""The Section menu's controls in the window: where a free plane starts."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

pytest.importorskip("pytestqt")

pytestmark = pytest.mark.gui

#: What a cut through the middle of the calf meets, whichever way it faces.
THROUGH_THE_CALF = {"soleus", "gastrocnemius_medial_head", "tibialis_posterior"}


@pytest.mark.parametrize("view", ["posterior", "anterior", "medial", "lateral"])
def test_a_free_plane_chosen_without_a_cut_goes_through_the_leg(open_window, tmp_path, view):
    """Before, Section > Free plane from the posterior view cut away everything behind the camera's focal point, the
    middle of the framed box, which lies forward of the shin where the foot reaches: the picture kept the patella and
    the tips of the toes and nothing of the calf (the anterior view cut nothing at all of it). The plane still faces
    the camera, and now passes through the calf."""
    win = open_window(tmp_path / "settings.ini")
    win.set_view(view)
    win.scene.render()
    camera = win.plotter.camera
    towards_camera = np.subtract(camera.position, camera.focal_point)
    win.section_controls.actions["free"].trigger()
    section = win.state.section
    assert section.kind == "free"
    normal = np.asarray(section.normal) / np.linalg.norm(section.normal)
    assert normal @ towards_camera == pytest.approx(np.linalg.norm(towards_camera))  # across the view, as before
    assert set(win.scene.section.capped()) >= THROUGH_THE_CALF, sorted(win.scene.section.capped())


@pytest.mark.parametrize("change", ["resize", "slider"])
def test_labels_frame_a_face_on_cut_after_a_resize_or_a_slider_move(open_window, qtbot, tmp_path, change):
    """Before, a face-on cut framed at one window size (or one slider position) and labels switched on after a
    resize (or a move of the slider) was taken for a camera the user had moved: the cut kept filling the picture
    and the names were drawn over the slice. The camera the Section menu set is still its framing."""
    win = open_window(tmp_path / "settings.ini")
    win.section_controls.actions["axial"].trigger()
    if change == "resize":
        win.resize(1100, 800)
        qtbot.waitUntil(lambda: win.plotter.window_size != (0, 0) and win.width() == 1100)
        qtbot.wait(50)
    else:
        win.section_controls.slider.setValue(600)
    win.actions_by_name["labels"].setChecked(True)
    assert win.state.camera == win.scene.section_camera(labels=True)
    roomy = win.state.camera
    win.actions_by_name["labels"].setChecked(False)
    assert win.state.camera == win.scene.section_camera(labels=False)
    assert win.state.camera.parallel_scale < roomy.parallel_scale  # the slice fills the picture again


@pytest.mark.parametrize("made", ["in a window of another shape", "on the other leg"])
def test_labels_frame_a_face_on_cut_a_bookmark_brought_back(open_window, qtbot, tmp_path, made):
    """Before, a face-on camera restored from a bookmark (or a view file) made at another window size, or on the
    other leg, equalled neither the framing of this window nor the camera the Section menu set last: switching the
    labels on left the slice filling the picture and the names were drawn over it. It is a framing of the cut, and
    is framed again with room for the names; a camera the user zoomed is still left alone."""
    win = open_window(tmp_path / "settings.ini", size=(1300, 850))
    win.section_controls.actions["axial"].trigger()
    bookmarked = win.state.camera
    if made == "on the other leg":
        win.set_side("left")
        bookmarked = bookmarked.mirrored()  # the right leg's view, as a bookmark brings it to the left leg
    else:
        win.resize(1000, 850)  # the 3D view narrower than it is high: the slice's framing depends on its width
        qtbot.waitUntil(lambda: win.width() == 1000)
        qtbot.wait(50)
    win.section_controls.actions["sagittal"].trigger()
    win.section_controls.actions["axial"].trigger()  # the Section menu's framing is now this window's (this leg's)
    with win.history.step("Restore bookmark 'axial'"):
        win.state.camera = bookmarked
    assert bookmarked != win.scene.section_camera(labels=False), "the same framing here: nothing to check"
    win.actions_by_name["labels"].setChecked(True)
    assert win.state.camera == win.scene.section_camera(labels=True)

    win.actions_by_name["labels"].setChecked(False)
    zoomed = dataclasses.replace(win.state.camera, parallel_scale=win.state.camera.parallel_scale * 0.6)
    win.state.camera = zoomed  # a wheel zoom in a parallel projection changes the scale, not the distance
    win.actions_by_name["labels"].setChecked(True)
    assert win.state.camera == zoomed


def test_the_first_cut_of_a_session_finds_its_caps_made_while_the_window_was_idle(open_window, qtbot, tmp_path):
    """Before, the session's first section made every structure's cutter, cap and rim, two pyvista mappers and
    actors each, in the click: ~90 ms of its 94-178 ms, against 56-62 for a later choice (docs/performance.md). They
    are made while the window is idle after its first paints, and go on the renderer at the first cut, not before."""
    win = open_window(tmp_path / "settings.ini")
    qtbot.waitUntil(lambda: win.scene.section.cap_actor("tibia") is not None, timeout=15000)
    made = win.scene.section.cap_actor("tibia")
    assert "cap:tibia" not in win.plotter.actors  # a session that never cuts draws no extra actors
    win.section_controls.actions["axial"].trigger()
    assert win.scene.section.cap_actor("tibia") is made
    assert win.plotter.actors["cap:tibia"] is made
    assert "tibia" in win.scene.section.capped()


def test_the_window_rehearses_its_first_cut_while_idle_and_never_paints_it(open_window, qtbot, tmp_path):
    """The idle work after start-up draws one frame cut, so the first cut finds the GL's programs made (10-20 ms of
    it before, docs/performance.md); that frame is drawn with SwapBuffers off, into VTK's own framebuffer, and no
    paint of the window (what is put on screen) ever comes while the scene is cut. After it, the window is uncut."""
    win = open_window(tmp_path / "settings.ini")
    window = win.plotter.render_window
    frames: list[tuple[bool, bool]] = []  # each frame drawn: (cut, swapped to the display framebuffer)
    painted_cut: list[tuple[str, ...]] = []
    window.AddObserver(
        "EndEvent", lambda *_: frames.append((win.scene.section.plane is not None, bool(window.GetSwapBuffers())))
    )
    win.plotter.rendered.connect(lambda: painted_cut.append(win.scene.section.capped()))
    qtbot.waitUntil(win.scene.prepare_for_interaction, timeout=20000)  # the idle work, piece by piece, to its end
    win.plotter.update()  # and a paint after it
    qtbot.waitUntil(lambda: bool(painted_cut), timeout=5000)
    assert (True, False) in frames  # one frame drawn cut, not swapped
    assert (True, True) not in frames  # none cut and shown
    assert not any(painted_cut)  # every paint showed the leg uncut
    assert win.state.section is None and win.scene.section.plane is None
    assert not any(name.startswith(("cap:", "rim:")) for name in win.plotter.actors)
    assert window.GetSwapBuffers()
