"""``calfviewer render``: the same scene as the window, drawn off screen into a PNG (or a JPEG for a .jpg name).

Why check everything first: loading geometry and opening a GL context take seconds, so every argument (size, view,
ids, angles, state file, output folder) is validated before any of that, and a mistake is one line naming what is
valid. The picture is written to a temporary file beside the target and renamed, so a failed write leaves nothing
half written. A size is capped by the memory drawing it takes (about 48 bytes a pixel: GL buffers, depth peeling,
the read-back copy), so an 8192x8192 request is refused in one line instead of taking 3.4 GB; pictures are not tiled.

No X display is needed: without one, VTK is asked for its EGL window directly (it would otherwise try X first and
print a warning before falling back).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pyvista as pv

from calfviewer.anatomy.side import check_side
from calfviewer.errors import CalfviewerError, PoseError
from calfviewer.files import write_file
from calfviewer.musculoskeletal import ANGLES
from calfviewer.scene.gl_driver import configure_gl_driver, render_window
from calfviewer.scene.outputs import IMAGE_FORMATS, check_output, check_transparency, image_bytes
from calfviewer.scene.view_flags import ViewFlags, unseen_selection
from calfviewer.viewer.view_state import ViewFileError, ViewState

if TYPE_CHECKING:
    from calfviewer.anatomy import Catalogue
    from calfviewer.musculoskeletal import MusculoskeletalModel

MIN_SIZE = 64
MAX_SIZE = 8192
DEFAULT_SIZE = (900, 1200)
#: Memory one rendered pixel takes, measured with software GL: 1.14 GB peak at 4096x4096 against 0.58 GB at
#: 2048x2048 (the rest is the loaded model and meshes, about 0.4 GB).
BYTES_PER_PIXEL = 48
#: The most memory a render may take for its pixels: about 22 million pixels, e.g. 4096x4096 or 5760x3840.
RENDER_MEMORY_LIMIT = 1 << 30
#: Still scales: the picture is drawn in scale x scale tiles of the window's size, so memory stays the window's.
SCALES = (1, 2, 3, 4)


def parse_size(text: str) -> tuple[int, int]:
    """'640x800' -> (640, 800); anything else, a side outside 64..8192 pixels or a picture that would take more
    than :data:`RENDER_MEMORY_LIMIT` to draw, is a one-line error."""
    match = re.fullmatch(r"\s*([0-9]{1,6})\s*[xX×]\s*([0-9]{1,6})\s*", text)
    if not match:
        raise CalfviewerError(f"size {text!r} is not WIDTHxHEIGHT in pixels, e.g. 900x1200")
    width, height = int(match[1]), int(match[2])
    if not (MIN_SIZE <= width <= MAX_SIZE and MIN_SIZE <= height <= MAX_SIZE):
        raise CalfviewerError(
            f"size {width}x{height} is out of range: width and height must be {MIN_SIZE} to {MAX_SIZE} pixels"
        )
    needed = width * height * BYTES_PER_PIXEL
    if needed > RENDER_MEMORY_LIMIT:
        most = RENDER_MEMORY_LIMIT // BYTES_PER_PIXEL
        raise CalfviewerError(
            f"size {width}x{height} would take about {needed / 1e9:.1f} GB of memory to draw; the most is "
            f"{RENDER_MEMORY_LIMIT / 1e9:.1f} GB, {most / 1e6:.0f} million pixels (e.g. 4096x4096)"
        )
    return width, height


def check_still_size(size: tuple[int, int], scale: int) -> None:
    """Refuse a still whose picture (``size`` times ``scale``) is over the cap a plain render has: the tiles are
    drawn at the window's size, but the picture they make is held whole (and its file read whole by others)."""
    width, height = size[0] * scale, size[1] * scale
    most = RENDER_MEMORY_LIMIT // BYTES_PER_PIXEL
    if scale > 1 and (width * height > most or max(width, height) > MAX_SIZE):
        raise CalfviewerError(
            f"--size {size[0]}x{size[1]} at --scale {scale} is a {width}x{height} picture; the most is "
            f"{most / 1e6:.0f} million pixels and {MAX_SIZE} a side, as for --size alone: lower --size or --scale"
        )


def make_plotter(size: tuple[int, int], *, deterministic: bool = False) -> pv.Plotter:
    """An off-screen plotter. ``deterministic`` turns off anti-aliasing and depth peeling, so that tests can
    probe exact pixels; the product render keeps both for smooth edges and correct see-through layers.

    The product's edges are smoothed by FXAA, not multisampling: VTK's depth peeling draws nothing translucent into
    a multisampled window (a faded layer vanished from the picture), so the samples are set to 0 first. FXAA is set
    on the renderer directly because pyvista's ``enable_anti_aliasing`` swaps it for costlier SSAA under EGL.
    """
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        # Without a display VTK tries X first and prints a warning before falling back; ask for EGL directly.
        os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
    configure_gl_driver()
    # pyvista's default lighting (a light kit): the scene puts in its own, and a bare plotter stays a fair
    # "plain pyvista" baseline for the benchmarks.
    plotter = pv.Plotter(off_screen=True, window_size=list(size))
    render_window(plotter).SetMultiSamples(0)
    if deterministic:
        plotter.disable_anti_aliasing()
        # mypy: pyvista wraps this method with functools.wraps, whose typeshed type has no __get__ (taken as unbound).
        plotter.disable_depth_peeling()  # type: ignore[call-arg]
    else:
        smooth_edges(plotter)
        # mypy: pyvista wraps this method with functools.wraps, whose typeshed type has no __get__ (taken as unbound).
        plotter.enable_depth_peeling(number_of_peels=DEPTH_PEELS)  # type: ignore[call-arg]
    return plotter


#: The most layers :func:`make_plotter`'s depth peeling draws.
DEPTH_PEELS = 6


def probe_depth_peeling() -> None:
    """Make the check pyvista makes, once a process, before it turns depth peeling on in :func:`make_plotter`: a
    small GL window of its own, drawn once (60-100 ms under software GL). Why apart: a window drawing pictures in
    its idle time (bookmark thumbnails) takes this as a step of its own rather than as part of the plotter's."""
    from pyvista.plotting.utilities.gl_checks import check_depth_peeling

    check_depth_peeling(DEPTH_PEELS, pv.global_theme.depth_peeling.occlusion_ratio)  # cached by its arguments


def first_frames(plotter: pv.BasePlotter, pieces: int = 3) -> Iterator[None]:
    """Draw a new plotter's scene in ``pieces`` growing parts, one render a piece (its actors in order, a part more
    each time), then put every actor's visibility back. Why: a plotter's first frame links every GL program its
    actors need and uploads every buffer, ~100 ms more than a frame after it under software GL; drawn in parts,
    a caller that steps through this in its idle time holds its event loop for a part of that at a time."""
    actors = list(plotter.renderer.GetActors())
    shown = [actor.GetVisibility() for actor in actors]
    window = render_window(plotter)
    try:
        for piece in range(pieces):
            for index, (actor, visible) in enumerate(zip(actors, shown, strict=True)):
                actor.SetVisibility(bool(visible) and index * pieces // max(len(actors), 1) <= piece)
            window.Render()
            yield None
    finally:
        for actor, visible in zip(actors, shown, strict=True):
            actor.SetVisibility(visible)


def smooth_edges(plotter: pv.BasePlotter) -> None:
    """Smooth edges with FXAA instead of multisampling, on a window made with no samples (the window and
    ``calfviewer render`` alike). Under software GL, 4 samples made a frame of the calf 3.7x slower (140 against
    38 ms at 708x821, docs/performance.md); FXAA is one pass over the finished picture."""
    render_window(plotter).SetMultiSamples(0)
    plotter.renderer.SetUseFXAA(True)


@dataclass
class RenderRequest:
    """What ``calfviewer render`` was asked for; fields left None keep the state file's (or default) value."""

    out: str
    size: str = f"{DEFAULT_SIZE[0]}x{DEFAULT_SIZE[1]}"
    plantarflexion: str | None = None
    knee_flexion: str | None = None
    subtalar: str | None = None
    toes: str | None = None
    state: str | None = None
    side: str = "right"
    scale: int = 1
    transparent: bool = False
    look: ViewFlags = field(default_factory=ViewFlags)  # the flags shared with ``movie``: view, labels, ...


def check_anything_drawn(state: ViewState, nothing: str) -> None:
    """Refuse, with the one line ``nothing``, a state that hides every structure (a picture or a movie of empty
    background), before any drawing. Shared by ``render`` and ``movie``."""
    if not any(state.is_drawn(sid) for sid in state.structure_ids):
        raise CalfviewerError(nothing)


def posed_state(
    catalogue: Catalogue,
    model: MusculoskeletalModel,
    *,
    state: str | None = None,
    plantarflexion: str | None = None,
    knee_flexion: str | None = None,
    subtalar: str | None = None,
    toes: str | None = None,
) -> ViewState:
    """The state file (if any) with the angles given on the command line on top, the pose checked against the
    model's ranges (a one-line PoseError naming the range). Shared by ``render`` and ``export``."""
    if state is not None and not state.strip():
        raise CalfviewerError("--state is empty; give a view file, e.g. --state view.json, or leave it out")
    view_state = (
        ViewState.load(state, catalogue, side=model.side) if state is not None else ViewState(catalogue=catalogue)
    )
    given = {
        angle: model.ranges[angle].check(value)  # command-line text to degrees, in range, or a one-line PoseError
        for angle, value in (
            ("plantarflexion", plantarflexion),
            ("knee_flexion", knee_flexion),
            ("subtalar", subtalar),
            ("toes", toes),
        )
        if value is not None
    }
    if state is not None:  # an angle the file sets and the command line does not: named as the file's field
        for angle in (a for a in ANGLES if a not in given):
            try:
                model.ranges[angle].check(getattr(view_state.pose, angle))
            except PoseError as error:
                raise ViewFileError(f"view file {Path(state).name!r} field 'pose.{angle}': {error}") from None
    pose = replace(view_state.pose, **given)  # an angle not given keeps the state file's
    # The model states its own ranges in the message; checked here, not inside a signal handler.
    view_state.pose = model.check_pose(pose)
    return view_state


def build_state(request: RenderRequest, catalogue: Catalogue, model: MusculoskeletalModel) -> ViewState:
    """The view state the request describes: the state file (if any) with the command-line flags on top."""
    state = posed_state(
        catalogue,
        model,
        state=request.state,
        plantarflexion=request.plantarflexion,
        knee_flexion=request.knee_flexion,
        subtalar=request.subtalar,
        toes=request.toes,
    )
    request.look.apply(state, catalogue)
    return state


def render(request: RenderRequest) -> Path:
    """Validate ``request``, draw the scene off screen and write the picture (PNG, JPEG or TIFF by suffix, at
    ``scale`` times ``size``, optionally on a transparent background); returns the path written."""
    size = parse_size(request.size)
    out = check_output(request.out, tuple(IMAGE_FORMATS))
    if request.scale not in SCALES:
        raise CalfviewerError(f"--scale {request.scale} is not one of {', '.join(map(str, SCALES))}")
    check_still_size(size, request.scale)
    check_transparency(out, request.transparent)
    request.look.check()  # a mistake is one line before anything slow
    from calfviewer.anatomy import load_catalogue
    from calfviewer.musculoskeletal import shared_model

    catalogue = load_catalogue()
    model = shared_model(check_side(request.side))
    state = build_state(request, catalogue, model)
    check_anything_drawn(state, "nothing to render: the view state and --hide hide every structure")
    if (unseen := unseen_selection(state, catalogue, request.look.names)) is not None:
        print(f"calfviewer: {unseen}", file=sys.stderr)

    from calfviewer.geometry import load_scene_geometry
    from calfviewer.scene.anatomy_scene import AnatomyScene

    geometry = load_scene_geometry(model)
    plotter = make_plotter(size)
    try:
        scene = AnatomyScene(plotter, geometry, model, catalogue, state, names=request.look.names)
        request.look.dress(scene, state)
        image = scene.screenshot(request.scale, request.transparent)
        for note in scene.left_out():  # the picture is still worth having, without what did not fit
            if request.scale > 1:  # the note's sizes are --size's, not the picture's: say which one to change
                note += (
                    f" (at --scale {request.scale} the overlays are laid out at --size {size[0]}x{size[1]} and "
                    "drawn larger: a larger --size makes room, a larger --scale does not)"
                )
            print(f"calfviewer: {note}", file=sys.stderr)
    finally:
        plotter.close()
    write_file(out, image_bytes(image, out))
    return out
