"""Fixtures for the scene tests: the product's own model and geometry, one off-screen plotter per module.

Scene tests draw what the app draws: the meshes in ``meshes/`` through :func:`calfviewer.geometry.load_scene_geometry`
(set ``CALFVIEWER_MESHES`` to test another build). Building a scene is the slow part, so each test module builds one
and its tests reset the view state instead.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import pyvista as pv

from calfviewer.anatomy import Catalogue, load_catalogue
from calfviewer.geometry import SceneGeometry, load_scene_geometry
from calfviewer.musculoskeletal import MusculoskeletalModel, shared_model
from calfviewer.scene.render import make_plotter

#: Fixed window for deterministic pixels (with anti-aliasing and depth peeling off, see make_plotter).
WINDOW = (480, 640)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def model() -> MusculoskeletalModel:
    return shared_model("right")


@pytest.fixture(scope="session")
def geometry(model: MusculoskeletalModel) -> SceneGeometry:
    return load_scene_geometry(model)


@pytest.fixture(scope="module")
def plotter() -> Iterator[pv.Plotter]:
    p = make_plotter(WINDOW, deterministic=True)
    yield p
    p.close()
