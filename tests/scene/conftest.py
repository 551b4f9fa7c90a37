"""Fixtures for the scene tests: the product's own model and geometry, one off-screen plotter per module.

Scene tests draw what the app draws: the meshes in ``meshes/`` through :func:`calfviewer.geometry.load_scene_geometry`
(set ``CALFVIEWER_MESHES`` to test another build). Building a scene is the slow part, so each test module builds one
and its tests reset the view state instead: the ``scene`` below, drawn with the legend unless the module sets
``LEGEND = False``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import pyvista as pv

from calfviewer.scene.anatomy_scene import AnatomyScene
from calfviewer.scene.render import make_plotter
from calfviewer.viewer.view_state import ViewState

#: Fixed window for deterministic pixels (with anti-aliasing and depth peeling off, see make_plotter).
WINDOW = (480, 640)


@pytest.fixture(scope="module")
def plotter() -> Iterator[pv.Plotter]:
    p = make_plotter(WINDOW, deterministic=True)
    yield p
    p.close()


@pytest.fixture(scope="module")
def scene(request, plotter, geometry, model, catalogue) -> Iterator[AnatomyScene]:
    """The module's scene on its plotter, with the legend unless the module sets ``LEGEND = False``."""
    legend = getattr(request.module, "LEGEND", True)
    s = AnatomyScene(plotter, geometry, model, catalogue, ViewState(catalogue=catalogue), legend=legend)
    yield s
    s.close()


@pytest.fixture
def state(scene: AnatomyScene, catalogue) -> ViewState:
    """The scene's view state, put back to a new state's values for each test."""
    scene.state.apply(ViewState(catalogue=catalogue))
    return scene.state
