"""Fixtures shared across the test layers: the model and the scene geometry are built once per session."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


@pytest.fixture
def llvmpipe_threads() -> Callable[[Any], list[str]]:
    """The names of the process's llvmpipe rasterizer threads once ``render_window`` has drawn (llvmpipe calls them
    llvmpipe-N); skips where the driver is not llvmpipe or the user chose ``LP_NUM_THREADS`` (scene/gl_driver.py).
    """
    from calfviewer.scene.gl_driver import LLVMPIPE_THREADS

    def names(render_window: Any) -> list[str]:
        if not Path("/proc/self/task").is_dir():
            pytest.skip("needs Linux /proc to list threads")
        if "llvmpipe" not in render_window.ReportCapabilities():
            pytest.skip("the GL driver is not llvmpipe")
        if os.environ.get("LP_NUM_THREADS", LLVMPIPE_THREADS) != LLVMPIPE_THREADS:
            pytest.skip("LP_NUM_THREADS was set by the user")
        threads = (Path(task, "comm").read_text().strip() for task in Path("/proc/self/task").iterdir())
        return [name for name in threads if name.startswith("llvmpipe")]

    return names
