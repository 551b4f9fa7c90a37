"""The names of an upright leg seen from the side, in the 3D view's sizes of the window: none written over the leg as
drawn (its pixels in the picture), each shown whole or shortened, moved to the other column, or left out and said."""

from __future__ import annotations

import numpy as np
import pytest
from name_measures import names_over_the_leg

from calfviewer.musculoskeletal import Pose

#: The 3D view's size in the window at 1024 x 700, 1400 x 900 and 1920 x 1080 (the docks at their widths).
VIEWS = [(392, 586), (768, 790), (1288, 970)]


@pytest.mark.parametrize("names", ["english", "latin"])
@pytest.mark.parametrize("view", ["lateral", "medial"])
@pytest.mark.parametrize("window", VIEWS)
def test_no_name_is_written_over_the_leg_in_a_side_view(scene, state, view, window, names):
    # In the window at 1400 x 900, seen from the side, the lowest names of the right column (and in the lateral
    # view the long names of the left) were written over the calf and the heel: the room between the leg and the
    # picture's edge is narrower than the longest names, the edge pushed them back in, and the layout was kept
    # while its names covered a few cells of the leg on average. Now each name is beside the leg, or said to be
    # left out.
    size = tuple(scene.plotter.window_size)
    scene.plotter.window_size = window
    scene.set_names(names)
    try:
        state.camera = view
        state.labels = True
        scene.render()
        over = names_over_the_leg(scene)
        shown, left_out = scene.labels.shown(), scene.left_out_overlays().get("labels")
    finally:
        scene.set_names("english")
        state.labels = False
        scene.plotter.window_size = size
        scene.render()
    assert not over, f"names written over the leg in the {view} view at {window}: {over}"
    assert len(shown) >= 12, f"too few names to check: {sorted(shown)}"
    assert left_out is None or left_out.endswith("make it wider"), left_out


@pytest.mark.parametrize("names", ["english", "latin"])
def test_no_name_is_written_over_a_muscle_near_the_camera(scene, state, names):
    # Seen from the front with the knee bent 90 in the window at 1024 x 700, "Soleus" was laid out on the tip of
    # the gastrocnemius, near the camera and large on the screen: the leg's coverage was marked from its sampled
    # vertices (then denser ones, then the gaps closed) and a rim of it was left unmarked. Marked from the
    # triangles, the name goes beside the muscle.
    size = tuple(scene.plotter.window_size)
    scene.plotter.window_size = VIEWS[0]
    scene.set_names(names)
    try:
        state.pose = Pose(knee_flexion=90.0)
        state.camera = "anterior"
        state.labels = True
        scene.render()
        over = names_over_the_leg(scene)
        shown = scene.labels.shown()
    finally:
        scene.set_names("english")
        state.labels = False
        state.pose = Pose()
        scene.plotter.window_size = size
        scene.render()
    assert not over, f"names written over the leg seen from the front, the knee bent 90: {over}"
    assert len(shown) >= 8, f"too few names to check: {sorted(shown)}"


@pytest.mark.parametrize("coarse", [False, True], ids=["as-built", "coarse-bones"])
def test_the_leg_coverage_holds_what_is_drawn_of_a_muscle_near_the_camera(scene, state, coarse):
    # Seen from the front with the knee bent 90, the gastrocnemius is near the camera and large on the screen: its
    # thousand sampled vertices lay cells apart, its middle and rims were unmarked, and names (the femur's) were
    # laid out on it (2 % of the drawn pixels in cells left unmarked). Now it is marked by its triangles: only
    # slivers a triangle's side cuts off a cell beside its corners' are left (0.08 %). The window builds the large
    # bones' coarse copies while idle and the coverage then marks the bones by them: what is drawn (the full bones,
    # in a still) must still be held.
    while coarse and not scene.prepare_for_interaction():
        pass
    size = tuple(scene.plotter.window_size)
    scene.plotter.window_size = VIEWS[0]
    try:
        state.pose = Pose(knee_flexion=90.0)
        state.camera = "anterior"
        scene.render()
        drawn = scene.screenshot(transparent=True)[::-1, :, 3] > 0  # rows from the bottom, as display pixels
        leg = scene.leg_coverage()
        if scene.legend.box is not None:  # drawn, but not the leg
            left, bottom, right, top = (round(v) for v in scene.legend.box)
            drawn[max(0, bottom - 2) : top + 3, max(0, left - 2) : right + 3] = False
    finally:
        scene.plotter.window_size = size
        state.pose = Pose()
        scene.render()
    ys, xs = np.nonzero(drawn)
    outside = int((~leg.grid[(ys / leg.cell).astype(int), (xs / leg.cell).astype(int)]).sum())
    assert outside <= 0.002 * len(xs), f"{outside} of {len(xs)} drawn pixels in cells the leg's coverage left out"
