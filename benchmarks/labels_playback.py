"""What labelled playback costs the scene: the labels' points and the whole frame while a motion plays (frames drawn
for motion), and the still layout when it stops, off screen at the window's 3D view size.

Run: ``xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python benchmarks/labels_playback.py`` (``--view``,
``--motion``, ``--frames``, ``--stills``). Nothing asserts; the figures depend on the machine and its load. Each row
is a median (the render's wall-clock time and its CPU on the window's thread, the labels' points' CPU): of the
frames of one cycle of the motion played at 15 frames a second (``Anchors.solid`` alone, the
picks it asked, the whole ``render``), and of ``--stills`` still layouts, each at a pose where the motion stopped
(the first still layout of that picture: the labels' points searched by picks, the names placed).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from calfviewer.anatomy import load_catalogue
from calfviewer.geometry import load_scene_geometry
from calfviewer.musculoskeletal import shared_model
from calfviewer.musculoskeletal.motion import MOTIONS
from calfviewer.scene.anatomy_scene import AnatomyScene
from calfviewer.scene.render import make_plotter
from calfviewer.viewer.view_state import Camera, ViewState

#: The 3D view's size in the window at 1400 x 900 (docs/performance.md, "The window").
VIEW = (708, 821)
FPS = 15.0


class Timed:
    """Wraps the scene's ``Anchors.solid`` and ``shows``: the CPU of each layout of the labels' points, its picks."""

    def __init__(self, scene: AnatomyScene) -> None:
        anchors = scene.anchors
        self.solid_ms: list[float] = []  # CPU of the window's thread: the picks and the projections are its own

        self.picks: list[int] = []
        self._picks = 0
        shows, solid = anchors.shows, anchors.solid

        def counted(x: float, y: float, structure_id: str) -> bool:
            self._picks += 1
            return shows(x, y, structure_id)

        def timed(structure_ids: Any, moving: bool = False) -> dict[str, tuple[float, float]]:
            self._picks = 0
            start = time.thread_time()
            out = solid(structure_ids, moving=moving)
            self.solid_ms.append((time.thread_time() - start) * 1000.0)
            self.picks.append(self._picks)
            return out

        anchors.shows = counted  # type: ignore[method-assign]
        anchors.solid = timed  # type: ignore[method-assign]

    def clear(self) -> None:
        self.solid_ms.clear()
        self.picks.clear()


def elapsed_ms(work: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and this thread's CPU milliseconds of one call (the CPU, the figure a loaded host keeps)."""
    wall, cpu = time.perf_counter(), time.thread_time()
    work()
    return (time.perf_counter() - wall) * 1000.0, (time.thread_time() - cpu) * 1000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--view", default="lateral", help="a named view (default lateral)")
    parser.add_argument("--motion", default="knee_flexion", choices=sorted(MOTIONS), help="default knee_flexion")
    parser.add_argument("--stills", type=int, default=6, help="still layouts to time (default 6)")
    args = parser.parse_args()
    catalogue = load_catalogue()
    model = shared_model("right")
    plotter = make_plotter(VIEW, deterministic=True)
    scene = AnatomyScene(plotter, load_scene_geometry(model), model, catalogue, ViewState(catalogue=catalogue))
    timed = Timed(scene)
    scene.state.camera = Camera.named(args.view)
    scene.state.labels = True
    scene.render()
    playback = scene.viewer.playback
    playback.motion = MOTIONS[args.motion]
    duration = playback.motion.duration
    frames = max(2, round(duration * FPS))
    # One cycle first to warm up (the labels' points found once), then one timed.
    frame_ms: list[tuple[float, float]] = []
    scene.set_interactive(True)
    for cycle in range(2):
        if cycle:
            timed.clear()
        for _ in range(frames):
            playback.step(1.0 / FPS)
            elapsed = elapsed_ms(scene.render)
            if cycle:
                frame_ms.append(elapsed)
    moving_solid, moving_picks = list(timed.solid_ms), list(timed.picks)
    scene.set_interactive(False)
    still_ms: list[tuple[float, float]] = []
    timed.clear()
    for k in range(args.stills):
        playback.seek(duration * (k + 0.5) / (2 * args.stills))  # the way up: poses no layout was made at
        scene.set_interactive(True)
        scene.render()
        scene.set_interactive(False)
        timed.clear()
        still_ms.append(elapsed_ms(scene.render))
    still_solid, still_picks = list(timed.solid_ms), list(timed.picks)
    print(f"{args.view}, {args.motion}, {frames} frames a cycle, {VIEW[0]}x{VIEW[1]}, labels on")
    for name, renders, points, picks in (
        ("moving frame", frame_ms, moving_solid, moving_picks),
        ("still layout", still_ms, still_solid, still_picks),
    ):
        wall = statistics.median(ms for ms, _ in renders)
        cpu = statistics.median(ms for _, ms in renders)
        print(
            f"{name}: render {wall:6.1f} ms ({cpu:6.1f} ms CPU), labels' points"
            f" {statistics.median(points):6.2f} ms CPU, picks {statistics.median(picks):.0f} (max {max(picks)})"
        )


if __name__ == "__main__":
    main()
