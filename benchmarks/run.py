"""calfviewer's performance budget: one table of medians, each next to a baseline measured in the same run.

Run: ``.venv/bin/python benchmarks/run.py`` (add ``--quick`` for fewer repeats, ``--only pose,pick`` to choose).
Nothing in ``tests/`` asserts on time; this is where speed is measured. Figures depend on the machine: the targets
are for a 2-core machine without a GPU.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass
class Row:
    name: str
    value: float
    unit: str
    baseline_name: str
    baseline: float | None
    target: str
    met: bool | None


def median_ms(work: Callable[[], object], repeats: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        work()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def bench_pose(repeats: int) -> Row:
    import mujoco

    from calfviewer.musculoskeletal import Pose, shared_model

    model = shared_model("right")
    poses = [Pose(plantarflexion=p, knee_flexion=k) for p in (-20, 0, 20, 40) for k in (0, 45, 90)]
    counter = iter(range(10**9))

    def one_pose() -> None:
        model.pose(poses[next(counter) % len(poses)])

    pose_ms = median_ms(one_pose, repeats)
    forward_ms = median_ms(lambda: mujoco.mj_forward(model.model, model.data), repeats)
    return Row("one pose (all muscles)", pose_ms, "ms", "mujoco.mj_forward", forward_ms, "< 1 ms", pose_ms < 1.0)


def bench_deform(repeats: int) -> Row:
    from calfviewer.geometry import load_scene_geometry
    from calfviewer.musculoskeletal import Pose, shared_model

    model = shared_model("right")
    geometry = load_scene_geometry(model)
    results = [model.pose(Pose(plantarflexion=p, knee_flexion=k)) for p in (-20, 0, 20, 40) for k in (0, 60, 120)]
    counter = iter(range(10**9))
    deform_ms = median_ms(lambda: geometry.soft_points(results[next(counter) % len(results)]), repeats)
    return Row("deform all muscle meshes", deform_ms, "ms", "", None, "< 5 ms", deform_ms < 5.0)


def _scene(size: tuple[int, int]):
    from calfviewer.anatomy import load_catalogue
    from calfviewer.geometry import load_scene_geometry
    from calfviewer.musculoskeletal import shared_model
    from calfviewer.scene.anatomy_scene import AnatomyScene
    from calfviewer.scene.render import make_plotter
    from calfviewer.scene.view_state import ViewState

    catalogue = load_catalogue()
    model = shared_model("right")
    geometry = load_scene_geometry(model)
    plotter = make_plotter(size)
    state = ViewState(catalogue=catalogue)
    scene = AnatomyScene(plotter, geometry, model, catalogue, state)
    return scene, state, geometry, model


def bench_frame(repeats: int) -> list[Row]:
    import pyvista as pv

    from calfviewer.musculoskeletal.motion import MOTIONS
    from calfviewer.scene.render import make_plotter

    scene, state, geometry, model = _scene((1280, 800))
    motion = MOTIONS["heel_raise"]
    counter = iter(range(10**9))

    def frame() -> None:
        state.pose = motion.pose_at(next(counter) / 60.0)
        scene.render()

    frame_ms = median_ms(frame, repeats)
    # Baseline: the same static meshes in a plain pyvista Plotter, one render per frame.
    plain = make_plotter((1280, 800))
    result = model.pose(state.pose)
    for bone_id, mesh in geometry.bones.items():
        actor = plain.add_mesh(pv.wrap(mesh), smooth_shading=True, render=False)
        actor.user_matrix = result.body_transforms[geometry.bodies[bone_id]]
    for mesh in geometry.soft.values():
        plain.add_mesh(pv.wrap(mesh), smooth_shading=True, render=False)
    plain.camera = scene.plotter.camera.copy()
    plain.show(auto_close=False)
    plain_ms = median_ms(plain.render_window.Render, repeats)
    plain.close()
    pick_points = [scene.to_display(scene.world_centre(s)) for s in ("soleus", "tibia", "gastrocnemius_medial_head")]
    pick_counter = iter(range(10**9))
    pick_ms = median_ms(lambda: scene.pick(*pick_points[next(pick_counter) % len(pick_points)]), repeats)
    scene.plotter.close()
    return [
        Row(
            "animation frame 1280x800",
            frame_ms,
            "ms",
            "plain pyvista render",
            plain_ms,
            "<= 1.2x",
            frame_ms <= 1.2 * plain_ms,
        ),
        Row("animation rate", 1000.0 / frame_ms, "fps", "plain render rate", 1000.0 / plain_ms, "", None),
        Row("pick on full scene", pick_ms, "ms", "", None, "< 5 ms", pick_ms < 5.0),
    ]


def bench_memory(frames: int) -> Row:
    from calfviewer.musculoskeletal.motion import MOTIONS

    scene, state, _, _ = _scene((640, 400))
    motion = MOTIONS["heel_raise"]

    def rss_mb() -> float:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    state.pose = motion.pose_at(0.0)
    scene.render()
    gc.collect()
    first = rss_mb()
    for index in range(frames):
        state.pose = motion.pose_at(index / 60.0)
        scene.render()
    gc.collect()
    growth = rss_mb() - first
    scene.plotter.close()
    return Row(
        f"memory growth over {frames} frames", growth, "MB", "after the first frame", 0.0, "< 20 MB", growth < 20
    )


def bench_startup(repeats: int) -> Row | None:
    """Cold start to the first rendered frame of the window vs a bare PySide6 window with an empty QtInteractor."""
    if not os.environ.get("DISPLAY"):
        return None
    script = (
        "import sys, time; t0 = time.perf_counter()\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication(sys.argv[:1])\n"
        "{body}\n"
        "win.show(); app.processEvents(); plotter.render(); app.processEvents()\n"
        "print(time.perf_counter() - t0)\n"
    )
    bare = script.format(
        body="from PySide6.QtWidgets import QMainWindow\nfrom pyvistaqt import QtInteractor\n"
        "win = QMainWindow(); plotter = QtInteractor(win); win.setCentralWidget(plotter)"
    )
    ours = script.format(
        body="from calfviewer.app.main_window import MainWindow\nfrom PySide6.QtCore import QSettings\n"
        "import tempfile\nini = tempfile.mktemp(suffix='.ini')\n"
        "win = MainWindow(settings=QSettings(ini, QSettings.Format.IniFormat))\n"
        "plotter = win.plotter"
    )

    def run(code: str) -> float:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        return float(out.stdout.strip().splitlines()[-1]) * 1000.0

    bare_ms = statistics.median(run(bare) for _ in range(repeats))
    ours_ms = statistics.median(run(ours) for _ in range(repeats))
    return Row(
        "cold start to first frame",
        ours_ms,
        "ms",
        "bare window + QtInteractor",
        bare_ms,
        "<= 1.5x",
        ours_ms <= 1.5 * bare_ms,
    )


BENCHES = ("pose", "deform", "frame", "memory", "startup")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and frames")
    parser.add_argument("--only", default=",".join(BENCHES), help=f"comma-separated subset of {','.join(BENCHES)}")
    args = parser.parse_args()
    chosen = set(args.only.split(","))
    repeats = 30 if args.quick else 200
    rows: list[Row] = []
    if "pose" in chosen:
        rows.append(bench_pose(repeats * 5))
    if "deform" in chosen:
        rows.append(bench_deform(repeats))
    if "frame" in chosen:
        rows.extend(bench_frame(max(repeats // 4, 10)))
    if "memory" in chosen:
        rows.append(bench_memory(1000 if args.quick else 10_000))
    if "startup" in chosen:
        row = bench_startup(3 if args.quick else 5)
        if row is None:
            print("startup: skipped (no DISPLAY; run under xvfb-run)", file=sys.stderr)
        else:
            rows.append(row)
    print(f"{'measure':<36} {'median':>10} {'baseline':>26} {'ratio':>7}  {'target':<9} ok")
    for row in rows:
        baseline = f"{row.baseline:8.3f} {row.unit} ({row.baseline_name})" if row.baseline is not None else ""
        ratio = f"{row.value / row.baseline:6.2f}x" if row.baseline else ""
        ok = "" if row.met is None else ("yes" if row.met else "NO")
        print(f"{row.name:<36} {row.value:8.3f} {row.unit:<3} {baseline:>26} {ratio:>7}  {row.target:<9} {ok}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; numpy {np.__version__}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
