"""Attachment footprints where a student looks for them: shown through the tissue over them, measured in pixels
against the same patch drawn on the bare bones."""

from __future__ import annotations

import numpy as np
import pytest

from calfviewer.scene import materials
from calfviewer.viewer.section_plane import Section
from calfviewer.viewer.view_state import ViewState

#: This module's scene is drawn without the legend (tests/scene/conftest.py).
LEGEND = False


def _patch_pixels(scene, catalogue, key, hidden, view: str) -> np.ndarray:
    """Pixels the patch ``key`` changes in ``view`` with the structures ``hidden``: the picture with the patch
    highlighted minus the picture without it."""
    scene.state.apply(ViewState(catalogue=catalogue))
    for sid in hidden:
        scene.state.set_visible(sid, False)
    scene.state.camera = view
    scene.highlight_attachment(None)
    without = scene.screenshot().astype(int)
    scene.highlight_attachment(key)
    with_patch = scene.screenshot().astype(int)
    scene.highlight_attachment(None)
    return np.abs(with_patch - without).sum(axis=2) > 30


def _orange(image: np.ndarray) -> int:
    """Pixels near origin orange (no tissue, bone or selection colour is near it)."""
    return int((np.abs(image.astype(int) - 255 * np.asarray(materials.ORIGIN.color)).max(axis=2) < 60).sum())


@pytest.mark.parametrize(
    ("key", "view"),
    [(("flexor_hallucis_longus", "origin", 0), "posterior"), (("soleus", "origin", 1), "posterior"),
     (("tibialis_posterior", "origin", 0), "posterior"), (("fibularis_longus", "origin", 0), "lateral")],
)  # fmt: skip
def test_an_origin_under_other_muscles_shows_as_on_the_bare_bone(scene, geometry, catalogue, key, view):
    """With its own muscle hidden, each of these origins lies under other muscles (the soleus over the back of the
    leg, the extensors over the fibula): it shows over at least 90 % of the pixels it covers on the bare bones."""
    soft = list(geometry.soft)
    bare = _patch_pixels(scene, catalogue, key, soft, view)
    covered = _patch_pixels(scene, catalogue, key, [key[0]], view)
    assert bare.sum() > 100, key
    assert (bare & covered).sum() >= 0.9 * bare.sum(), (key, int(bare.sum()), int((bare & covered).sum()))


def test_a_selected_muscle_shows_its_footprints_through_itself_in_their_colours(scene, geometry, catalogue):
    """Selected, the soleus covers its own tibial origin: over the pixels the patch covers on the bare bones, the
    picture is tinted towards origin orange (the muscle under it is drawn in the selection's yellow-green); seen
    from the front, the patches face away and nothing of them is drawn."""
    key = ("soleus", "origin", 1)
    bare = _patch_pixels(scene, catalogue, key, list(geometry.soft), "posterior")
    scene.state.apply(ViewState(catalogue=catalogue))
    scene.state.camera = "posterior"
    scene.state.select("soleus")
    r, g, b = np.median(scene.screenshot().astype(int)[bare], axis=0)
    assert r > g + 80 and g > b + 40, (r, g, b)  # orange, not the yellow-green of the selection (r < g)
    orange = _orange(scene.screenshot())
    scene.state.camera = "anterior"
    front = _orange(scene.screenshot())
    assert orange > 300 and front < 0.05 * orange, (orange, front)
    scene.state.select(None)


def test_a_section_cuts_the_ghosts_with_their_patches(scene, catalogue):
    """Cut above the soleus' tibial origin, seen from behind: the origin lies on the side cut away, so neither it
    nor its ghost is drawn."""
    key = ("soleus", "origin", 1)
    whole = _patch_pixels(scene, catalogue, key, ["soleus"], "posterior").sum()
    scene.state.section = Section("axial", 0.05)
    scene.state.camera = "posterior"
    scene.highlight_attachment(None)
    without = scene.screenshot().astype(int)
    scene.highlight_attachment(key)
    cut = (np.abs(scene.screenshot().astype(int) - without).sum(axis=2) > 30).sum()
    scene.highlight_attachment(None)
    scene.state.section = None
    assert whole > 100 and cut < 0.05 * whole, (whole, cut)
