"""Fixtures for the scene tests: the product's own model and geometry, one off-screen plotter per module.

Scene tests draw what the app draws: the meshes in ``meshes/`` through :func:`calfviewer.geometry.load_scene_geometry`
(set ``CALFVIEWER_MESHES`` to test another build). Building a scene is the slow part, so each test module builds one
and its tests reset the view state instead.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import pyvista as pv

from calfviewer.scene.render import make_plotter

#: Fixed window for deterministic pixels (with anti-aliasing and depth peeling off, see make_plotter).
WINDOW = (480, 640)


@pytest.fixture(scope="module")
def plotter() -> Iterator[pv.Plotter]:
    p = make_plotter(WINDOW, deterministic=True)
    yield p
    p.close()
