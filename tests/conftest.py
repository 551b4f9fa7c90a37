"""Fixtures shared across the test layers: the model and the scene geometry are built once per session."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from calfviewer.anatomy import Catalogue, load_catalogue
from calfviewer.cli import main
from calfviewer.geometry import SceneGeometry, load_scene_geometry
from calfviewer.musculoskeletal import MusculoskeletalModel, shared_model


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def model() -> MusculoskeletalModel:
    return shared_model("right")


@pytest.fixture(scope="session")
def geometry(model: MusculoskeletalModel) -> SceneGeometry:
    return load_scene_geometry(model)


@pytest.fixture
def run_cli(capsys) -> Callable[..., tuple[int, str, str]]:
    """Run the command line in-process: (exit code, stdout, stderr), usage errors included."""

    def run(*argv: str) -> tuple[int, str, str]:
        try:
            code = main(list(argv))
        except SystemExit as exit_:  # argparse exits for usage errors
            code = int(exit_.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run
