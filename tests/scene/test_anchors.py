"""The labels' points (scene/anchors.py) and the names laid out round them depend on the picture alone: the pose,
the view and what is drawn, not on the pictures the scene laid labels out in before.

Why: ``test_no_leader_runs_along_its_own_name[lateral-90]`` passed in a module run alone and failed when
pytest-xdist gave its worker other tests first. Each search for a label's point tried the vertex the last search
had found first (kept if one pick confirmed it), and weighted its candidates by vertex areas made at the pose of the
first labelled layout; the names round a leg lying across the picture are placed from those points, so one point
moved moved most names.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from calfviewer.musculoskeletal import Pose
from calfviewer.scene.anatomy_scene import AnatomyScene
from calfviewer.scene.render import make_plotter
from calfviewer.viewer.view_state import Camera, ViewState

#: A view and knee flexion in degrees.
Picture = tuple[str, float]


@pytest.fixture
def fresh_scene(scene, geometry, model, catalogue) -> Iterator[AnatomyScene]:
    """A second scene, new, on a plotter of the module scene's size: no layout made before."""
    plotter = make_plotter(tuple(scene.plotter.window_size), deterministic=True)
    other = AnatomyScene(plotter, geometry, model, catalogue, ViewState(catalogue=catalogue))
    yield other
    other.close()
    plotter.close()


def show(scene: AnatomyScene, picture: Picture, moving: bool = False) -> None:
    """Draw ``scene`` with labels in the view and knee flexion of ``picture``, for motion if ``moving``."""
    view, knee = picture
    scene.set_interactive(moving)
    scene.state.pose = Pose(knee_flexion=knee)
    scene.state.camera = Camera.named(view)
    scene.state.labels = True
    scene.render()


def laid_out(scene: AnatomyScene) -> tuple[dict[str, tuple[float, float]], dict[str, str], list[float]]:
    """The names shown (id -> position), their text, and the leaders (each its two ends' x and y, in their order
    of x, y), in display pixels."""
    shown = scene.labels.shown()
    lines = scene.labels.leaders.GetMapper().GetInput()
    ends = [lines.GetPoint(i)[:2] for i in range(lines.GetNumberOfPoints())]
    leaders = sorted((*start, *end) for start, end in zip(ends[::2], ends[1::2], strict=True))
    return shown, {sid: scene.labels.text(sid) for sid in shown}, [v for leader in leaders for v in leader]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ([("lateral", 0.0)], ("lateral", 90.0)),
        ([("lateral", 90.0)], ("lateral", 0.0)),
        ([("medial", 0.0)], ("medial", 90.0)),
        ([("anterior", 90.0), ("posterior", 0.0)], ("posterior", 45.0)),
    ],
    ids=["lateral-0-then-90", "lateral-90-then-0", "medial-0-then-90", "anterior-90-posterior-0-then-45"],
)
def test_labels_laid_out_after_other_pictures_are_those_of_a_new_scene(scene, fresh_scene, before, after):
    # The same still picture laid out twice: in the module's scene after labels in other pictures (and frames drawn
    # for motion on the way, as a pose dragged or played draws them), and in a new scene that drew nothing before.
    try:
        for picture in before:
            show(scene, picture)
        view, knee = after
        for step in (0.25, 0.5, 0.75):  # on the way from the last picture's pose, drawn for motion
            show(scene, (view, before[-1][1] + step * (knee - before[-1][1])), moving=True)
        show(scene, after)
        show(fresh_scene, after)
        shown, texts, leaders = laid_out(scene)
        new_shown, new_texts, new_leaders = laid_out(fresh_scene)
        assert len(new_shown) >= 8, f"too few names to compare: {new_shown}"
        moved = {
            sid: (shown.get(sid), place)
            for sid, place in new_shown.items()
            if shown.get(sid) != pytest.approx(place, abs=0.01)
        }
        assert not moved and set(shown) == set(new_shown), f"names placed by what was drawn before: {moved}"
        assert texts == new_texts
        assert leaders == pytest.approx(new_leaders, abs=0.01), "leaders drawn by what was drawn before"
    finally:
        scene.set_interactive(False)
        scene.state.labels = False
        scene.state.pose = Pose()
