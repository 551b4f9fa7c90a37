"""The first cut rehearsed while idle: the idle work draws one frame cut that no one sees, so the session's first
section finds the GL's programs for clipped surfaces, caps and rims made (docs/performance.md, "The first section,
and the Section toolbar"), and leaves the scene as uncut as it found it."""

from __future__ import annotations

import ctypes
from collections.abc import Iterator

import numpy as np
import pytest
import vtk
from vtkmodules.util.numpy_support import vtk_to_numpy

from calfviewer.scene.anatomy_scene import AnatomyScene
from calfviewer.scene.render import make_plotter
from calfviewer.viewer.section_plane import Section
from calfviewer.viewer.view_state import ViewState

#: GL names to look through for program objects: VTK makes a few dozen in a scene like this one.
GL_NAMES = 4000


@pytest.fixture
def fresh_scene(geometry, model, catalogue) -> Iterator[AnatomyScene]:
    """A scene of its own, on a plotter that has drawn nothing cut: the module-wide one has, in other tests."""
    plotter = make_plotter((240, 320), deterministic=True)
    scene = AnatomyScene(plotter, geometry, model, catalogue, ViewState(catalogue=catalogue), legend=False)
    try:
        yield scene
    finally:
        scene.close()
        plotter.close()


def _gl_programs() -> set[int]:
    """The GL program objects of the current context (the plotter's, current after a render), by name."""
    gl = ctypes.CDLL("libGL.so.1")
    gl.glIsProgram.restype = ctypes.c_ubyte
    gl.glIsProgram.argtypes = [ctypes.c_uint]
    return {name for name in range(1, GL_NAMES) if gl.glIsProgram(name)}


def _pixels(scene: AnatomyScene, front: bool) -> np.ndarray:
    """What VTK holds of the last frame without drawing again: ``front``, the display framebuffer (what a window
    shows, and what the Qt widget copies to the screen), else the render framebuffer the frame was drawn in."""
    window = scene.plotter.render_window
    width, height = window.GetSize()
    data = vtk.vtkUnsignedCharArray()
    window.GetPixelData(0, 0, width - 1, height - 1, int(front), data, 0)
    return vtk_to_numpy(data).copy()


def _idle_work(scene: AnatomyScene) -> None:
    for _ in range(200):  # one piece per call, as the window's idle time calls it
        if scene.prepare_for_interaction():
            return
    raise AssertionError("prepare_for_interaction never finished")


def test_the_first_cut_finds_its_gl_programs_made_by_the_idle_work(fresh_scene):
    """Before, the session's first cut linked the programs of clipped surfaces, caps and rims in its own frame
    (10-20 ms of llvmpipe's time, once a process); the idle work draws a frame cut first: the first cut links none."""
    scene = fresh_scene
    scene.render()
    _idle_work(scene)
    programs = _gl_programs()
    assert programs, "no GL program seen: the count does not reach the plotter's context"
    scene.state.section = Section("axial")
    scene.render()
    assert {"tibia", "soleus", "gastrocnemius_medial_head"} <= set(scene.section.capped())  # the cut is drawn
    assert _gl_programs() == programs


def test_the_rehearsed_cut_is_never_shown_and_leaves_nothing_cut(fresh_scene):
    """The rehearsal's frame stays in VTK's render framebuffer: what a window shows (the display framebuffer) is the
    uncut leg drawn before it, and after it the scene is as uncut as before (no clipping plane on any mapper, no cap
    on the renderer, the state without a section), so a session that never cuts draws and lists nothing more."""
    scene = fresh_scene
    scene.render()
    shown = _pixels(scene, front=True)
    cut_frames = []

    def on_frame(*_: object) -> None:
        if scene.section.plane is not None:
            cut_frames.append((_pixels(scene, front=True), _pixels(scene, front=False)))

    scene.plotter.render_window.AddObserver("EndEvent", on_frame)
    _idle_work(scene)
    assert len(cut_frames) == 1
    front, drawn = cut_frames[0]
    assert np.array_equal(front, shown)  # while cut, what a window shows is the uncut picture drawn before
    assert not np.array_equal(drawn, shown)  # and the frame drawn was cut (the foot below an axial cut gone)
    assert np.array_equal(_pixels(scene, front=True), shown)
    assert scene.state.section is None and scene.section.plane is None and scene.section.capped() == ()
    assert all(scene.actor(sid).mapper.GetNumberOfClippingPlanes() == 0 for sid in scene.structure_ids)
    renderer_actors = scene.plotter.renderer.GetActors()
    caps = [scene.section.cap_actor(sid) for sid in scene.structure_ids]
    assert not any(renderer_actors.IsItemPresent(cap) for cap in caps if cap is not None)
    assert not any(name.startswith(("cap:", "rim:")) for name in scene.plotter.actors)
    scene.render()
    assert np.array_equal(_pixels(scene, front=True), shown)  # drawn again: the same uncut picture


def test_a_cut_made_before_the_idle_work_ends_is_not_rehearsed_again(fresh_scene):
    """A user who cuts before the idle work is over has made the programs with that cut: the idle work then draws no
    frame of its own, and takes nothing of the user's cut away."""
    scene = fresh_scene
    scene.state.section = Section("sagittal", 0.4)
    scene.render()
    capped = scene.section.capped()
    frames = []
    scene.plotter.render_window.AddObserver("EndEvent", lambda *_: frames.append(1))
    _idle_work(scene)
    assert frames == []
    assert scene.section.capped() == capped and scene.section.plane is not None
    assert all(scene.actor(sid).mapper.GetNumberOfClippingPlanes() == 1 for sid in scene.structure_ids)
