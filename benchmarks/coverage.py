"""Where the leg is drawn (the scene's leg coverage, marked from every visible structure's projected triangles) and
a still picture with labels, at the 3D view's sizes in the window at 1024x700, 1400x900 and 1920x1080.

Run: ``xvfb-run -a .venv/bin/python benchmarks/coverage.py`` (``--repeats``; ``--as-window`` builds the large
bones' coarse copies first, as the window does while idle after its first paint, and the coverage then marks the
bones by them). The coverage is computed for a still (its names and colour bar laid out round the leg) and for each
frame of a movie; a frame drawn while the camera or a motion moves lays nothing out against the leg, so its cost is
not here. Medians in milliseconds; on a shared machine compare figures from one run (or two runs in turn), not
across days.

Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import statistics
import time

from calfviewer.anatomy import load_catalogue
from calfviewer.geometry import load_scene_geometry
from calfviewer.musculoskeletal import Pose, shared_model
from calfviewer.scene.anatomy_scene import AnatomyScene
from calfviewer.scene.render import make_plotter
from calfviewer.viewer.view_state import ViewState

SIZES = [(392, 586), (768, 790), (1288, 970)]
VIEWS = [("anterior", Pose(knee_flexion=90.0)), ("lateral", Pose())]


def median_ms(work, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--as-window", action="store_true", help="build the coarse copies first, as the window does")
    args = parser.parse_args()
    catalogue = load_catalogue()
    model = shared_model("right")
    plotter = make_plotter(SIZES[0], deterministic=True)
    state = ViewState(catalogue=catalogue)
    scene = AnatomyScene(plotter, load_scene_geometry(model), model, catalogue, state)
    state.labels = True
    while args.as_window and not scene.prepare_for_interaction():
        pass
    print(f"{'3D view':>10}  {'view':9}  {'coverage ms':>11}  {'still ms':>8}")
    for size in SIZES:
        plotter.window_size = size
        for camera, pose in VIEWS:
            state.pose, state.camera = pose, camera
            scene.render()
            coverage = median_ms(scene.leg_coverage, args.repeats)

            def still(camera: str = camera) -> None:  # laid out again: the camera set anew, then drawn
                state.camera = "posterior" if camera != "posterior" else "anterior"
                state.camera = camera
                scene.render()

            print(f"{size[0]:>4}x{size[1]:<5}  {camera:9}  {coverage:11.1f}  {median_ms(still, 5):8.1f}")
    scene.close()
    plotter.close()


if __name__ == "__main__":
    main()
