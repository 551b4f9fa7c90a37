"""A muscle's own tendon is drawn in the tendon colour, its belly in striped muscle red, with a blend between;
selection and fading still work on top of it."""

from __future__ import annotations

import numpy as np
import pytest

from calfviewer.anatomy import load_catalogue
from calfviewer.scene import materials
from calfviewer.viewer.view_state import Camera, ViewState

#: This module's scene is drawn without the legend (tests/scene/conftest.py).
LEGEND = False

#: Every muscle the catalogue has (the calcaneal tendon is a tendon throughout).
MUSCLES = tuple(s.id for s in load_catalogue().structures if s.kind == "muscle")


@pytest.fixture(autouse=True)
def fresh(scene):
    scene.state.apply(ViewState(camera=Camera.named("medial"), catalogue=scene.catalogue))
    yield


def drawn_colors(scene, sid: str) -> np.ndarray:
    return np.asarray(scene.actor(sid).mapper.dataset.point_data["fibres"], dtype=float) / 255.0


@pytest.mark.parametrize("sid", MUSCLES)
def test_tendon_vertices_are_tendon_coloured_and_belly_vertices_red(scene, geometry, sid):
    colors, weight = drawn_colors(scene, sid), geometry.tendon_weight[sid]
    tendon, belly = colors[weight == 1.0], colors[weight == 0.0]
    assert len(tendon) and len(belly)
    # Tendon: the tendon colour, a little brighter and faintly striped; belly: muscle red, striped.
    assert np.abs(tendon.mean(axis=0) - np.array(materials.TENDON.color) * materials.TENDON_SHEEN).max() < 0.02
    assert np.abs(tendon - materials.TENDON.color).max() < 0.1
    assert np.abs(belly.mean(axis=0) - materials.MUSCLE.color).max() < 0.02
    assert np.all(belly[:, 0] > 2.0 * belly[:, 1])  # red everywhere on the belly
    between = (weight > 0.0) & (weight < 1.0)
    assert between.any()  # blended, not a hard step
    partway = colors[(weight >= 0.25) & (weight < 1.0)]
    assert np.all(partway[:, 1] > belly[:, 1].max())  # on the way to tendon: paler than any belly vertex


def test_the_calcaneal_tendon_keeps_its_plain_tendon_material(scene):
    actor = scene.actor("calcaneal_tendon")
    assert not actor.mapper.scalar_visibility
    assert tuple(actor.prop.color.float_rgb) == pytest.approx(materials.TENDON.color, abs=1e-3)


def pixels_at(scene, image, sid: str, candidates: np.ndarray, margin: int = 0, count: int = 1) -> np.ndarray:
    """Colours of the first ``count`` distinct pixels over the ``candidates`` (world points on ``sid``) that pick
    ``sid``, as do the pixels ``margin`` px either side of each (so not an edge pixel blended with what lies behind).
    Fewer rows if fewer are found."""
    height = image.shape[0]
    found: dict[tuple[int, int], np.ndarray] = {}
    for point in candidates:
        # The pixel the point falls in, picked at that pixel (a thin tendon 2-3 px wide is hit at a fractional
        # position whose rounded pixel may already be background).
        x, y = (round(c) for c in scene.to_display(point))
        if (x, y) in found or not (2 <= x < image.shape[1] - 2 and 2 <= y < height - 2):
            continue
        around = ((0, 0), (margin, 0), (-margin, 0), (0, margin), (0, -margin))
        if all(scene.pick(x + dx, y + dy) == sid for dx, dy in around):
            found[(x, y)] = image[height - 1 - y, x].astype(float)
            if len(found) == count:
                break
    return np.array(list(found.values())).reshape(-1, 3)


def test_plantaris_tendon_is_pale_and_its_belly_red_on_screen(scene, geometry):
    scene.state.set_visible("superficial", False)  # its belly lies deep to the gastrocnemius heads
    image = scene.screenshot()
    points = np.asarray(scene.actor("plantaris").mapper.dataset.points)
    weight = geometry.tendon_weight["plantaris"]
    centre = points[weight == 0.0].mean(axis=0)
    # Try tendon vertices half way down the long thin tendon first (where it lies on the soleus; at the heel it is a
    # pixel wide between calcaneus and calcaneal tendon, and its pixel may show what lies behind), belly ones near
    # the belly's middle.
    tendon = points[weight == 1.0]
    reach = np.linalg.norm(tendon - centre, axis=1)
    tendon = tendon[np.argsort(np.abs(reach - 0.5 * reach.max()))][::7]
    belly = points[weight == 0.0]
    belly = belly[np.argsort(np.linalg.norm(belly - centre, axis=1))][::3]
    # The tendon is 2-3 px wide, too thin for a margin: the median of five of its pixels, since the picker's ray and
    # the rasteriser can disagree about a pixel on its edge (one showed the soleus behind it).
    tendon_pixels = pixels_at(scene, image, "plantaris", tendon, count=5)
    belly_pixels = pixels_at(scene, image, "plantaris", belly, margin=2)
    assert len(tendon_pixels) == 5 and len(belly_pixels) == 1
    pale, red = np.median(tendon_pixels, axis=0), belly_pixels[0]
    # Grey-white: no channel far from the others (a shaded red belly is ~3:1 red to green), and not dark (where the
    # tendon reaches the heel, turned away from the lights, its brightest channel is ~120).
    assert pale.min() > 95 and pale.max() - pale.min() < 40, tendon_pixels
    assert red[0] > 1.8 * red[1] and red[0] > 1.8 * red[2], red


def test_selection_and_fading_still_work(scene):
    actor = scene.actor("plantaris")
    scene.state.select("plantaris")
    assert not actor.mapper.scalar_visibility
    assert tuple(actor.prop.color.float_rgb) == pytest.approx(materials.SELECTION.color, abs=1e-3)
    scene.state.select(None)
    assert actor.mapper.scalar_visibility  # back to the belly-and-tendon colours
    scene.state.fade("intermediate")
    assert actor.prop.opacity == pytest.approx(0.2) and actor.mapper.scalar_visibility


def test_the_legend_lists_tendon_when_only_muscles_show(scene):
    scene.state.set_visible("bone", False)
    scene.state.set_visible("calcaneal_tendon", False)
    scene.legend.enabled = True
    try:
        scene.render()
        assert scene.legend.shown() == ("Muscle", "Tendon")
    finally:
        scene.legend.enabled = False
