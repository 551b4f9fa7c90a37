"""The first cut rehearsed while idle: the idle work draws one frame cut that no one sees, so the session's first
section finds the GL's programs for clipped surfaces, caps and rims made (docs/performance.md, "The first section,
and the Section toolbar"), and leaves the scene as uncut as it found it."""

from __future__ import annotations

import ctypes
import time
from collections.abc import Iterator

import numpy as np
import pytest
import vtk
from vtkmodules.util.numpy_support import vtk_to_numpy

from calfviewer.scene.anatomy_scene import AnatomyScene
from calfviewer.scene.render import make_plotter
from calfviewer.viewer.section_plane import DEFAULT_POSITION, Section
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


def _pieces(scene: AnatomyScene, seconds: float = 120.0) -> Iterator[bool]:
    """Each call of the idle work, one piece per call as the window's idle time makes them, with a short wait
    between (the coarse copies are made on a worker thread meanwhile), until it says all is built."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = scene.prepare_for_interaction()
        yield done
        if done:
            return
        time.sleep(0.002)
    raise AssertionError("prepare_for_interaction never finished")


def _idle_work(scene: AnatomyScene) -> None:
    for _ in _pieces(scene):
        pass


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


def test_no_idle_piece_draws_more_than_one_frame(fresh_scene):
    """Each piece of the idle work holds the window's event loop: the rehearsal drew its cut frame and its uncut
    frame in one piece (~155 ms of CPU, a click landing in it waited). Now no piece draws more than one frame, and
    both frames are still drawn, the cut one first."""
    scene = fresh_scene
    scene.render()
    frames: list[bool] = []  # each frame drawn: cut or not
    scene.plotter.render_window.AddObserver("EndEvent", lambda *_: frames.append(scene.section.plane is not None))
    per_piece = []
    bones = [sid for sid in scene.structure_ids if scene.item(sid).locator is not None]
    pieces = _pieces(scene)
    while True:
        before = len(frames)
        done = next(pieces)
        per_piece.append(len(frames) - before)
        # Between pieces, a paint (the window's, a click's) draws the leg whole: nothing clipped, every bone's mesh.
        assert all(scene.actor(sid).mapper.GetNumberOfClippingPlanes() == 0 for sid in scene.structure_ids)
        for bone in bones:
            drawn = scene.actor(bone).mapper.GetInput()
            assert drawn is scene.item(bone).poly or drawn is scene.item(bone).coarse
        if done:
            break
    assert max(per_piece) == 1
    assert frames == [True, False]  # the cut frame, then the uncut one after it, in a piece of its own


def test_the_first_cut_is_rehearsed_before_the_bones_coarse_copies_are_made(fresh_scene):
    """The coarse copies take ~1 s of idle pieces; the first cut's pieces (its caps, its cut frame) come before them,
    so a cut in the first seconds after start-up finds the GL's programs made."""
    scene = fresh_scene
    scene.render()
    bones = [sid for sid in scene.structure_ids if scene.item(sid).locator is not None]
    cut_drawn: list[bool] = []  # for each cut frame: whether any bone had its coarse copy then
    scene.plotter.render_window.AddObserver(
        "EndEvent",
        lambda *_: (
            cut_drawn.append(any(scene.item(b).coarse is not None for b in bones))
            if scene.section.plane is not None
            else None
        ),
    )
    _idle_work(scene)
    assert cut_drawn == [False]
    assert any(scene.item(b).coarse is not None for b in bones)  # made after it


def _labelled_scene(geometry, model, catalogue) -> AnatomyScene:
    plotter = make_plotter((480, 640), deterministic=True)
    scene = AnatomyScene(plotter, geometry, model, catalogue, ViewState(catalogue=catalogue), legend=False)
    scene.state.labels = True
    scene.render()
    return scene


def _cut_as_the_menu_does(scene: AnatomyScene, kind: str) -> None:
    """The Section menu's first choice of a plane: at the slider's default place, the camera turned face on."""
    scene.state.section = Section(kind, DEFAULT_POSITION)
    camera = scene.section_camera()
    assert camera is not None
    scene.state.camera = camera
    scene.render()


@pytest.mark.parametrize("kind", ["sagittal", "coronal", "axial"])
def test_after_the_idle_work_a_plane_s_first_cut_lays_out_its_names_with_no_pick(geometry, model, catalogue, kind):
    """A new plane's first layout of the names found each name's point by picks (~100 for the first sagittal or
    coronal cut, ~70 ms: the session's first sagittal cut missed a click's budget). With the names on, the idle work
    finds them for each plane's first cut: that cut makes no pick, and its names are where a scene that did no idle
    work puts them by picks. The idle work itself leaves no trace: the picture shown, the camera and the names of the
    uncut leg are as they were."""
    prepared = _labelled_scene(geometry, model, catalogue)
    fresh = _labelled_scene(geometry, model, catalogue)
    try:
        shown, camera, names = _pixels(prepared, front=True), prepared.state.camera, prepared.labels.shown()
        view = prepared.plotter.camera_position
        _idle_work(prepared)
        assert np.array_equal(_pixels(prepared, front=True), shown)
        assert prepared.state.camera == camera and prepared.plotter.camera_position == view
        prepared.render()
        assert prepared.labels.shown() == names and np.array_equal(_pixels(prepared, front=True), shown)
        asked: list[str] = []
        question = prepared.anchors.shows
        prepared.anchors.shows = lambda x, y, sid: asked.append(sid) or question(x, y, sid)
        _cut_as_the_menu_does(prepared, kind)
        assert asked == []
        _cut_as_the_menu_does(fresh, kind)
        assert len(fresh.labels.shown()) >= 8  # names beside the slice
        assert prepared.labels.shown() == fresh.labels.shown()
        assert {sid: prepared.labels.text(sid) for sid in names} == {sid: fresh.labels.text(sid) for sid in names}
    finally:
        for scene in (prepared, fresh):
            scene.close()
            scene.plotter.close()


@pytest.mark.parametrize("kind", ["sagittal", "coronal", "axial"])
def test_after_the_idle_work_each_plane_s_first_cut_finds_its_caps_cut(geometry, model, catalogue, kind):
    """The idle work cut the caps ahead at the first axial cut's plane only: the session's first sagittal or coronal
    cut cut 16-22 structures in the click (11-18 ms of CPU). It now cuts them ahead at each standard plane's first
    cut, and that cut makes no new cut, while its caps are those of a scene that did no idle work."""
    prepared = _labelled_scene(geometry, model, catalogue)
    fresh = _labelled_scene(geometry, model, catalogue)
    try:
        prepared.state.labels = fresh.state.labels = False  # the names' layout ahead also cuts: the caps alone here
        _idle_work(prepared)
        made = prepared.section.cuts
        assert made > 0
        _cut_as_the_menu_does(prepared, kind)
        assert prepared.section.cuts == made
        _cut_as_the_menu_does(fresh, kind)
        assert fresh.section.cuts >= 10  # sagittal 22, coronal 16, axial 14 structures cut
        assert prepared.section.capped() == fresh.section.capped()
        for sid in fresh.section.capped():
            ours, theirs = (s.section.cap_actor(sid).mapper.dataset for s in (prepared, fresh))  # type: ignore[union-attr]
            assert ours.n_cells == theirs.n_cells and ours.area == pytest.approx(theirs.area, rel=1e-9), sid
    finally:
        for scene in (prepared, fresh):
            scene.close()
            scene.plotter.close()
