"""The GL driver is set up so a long session's memory stays flat under software GL (see scene/gl_driver.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import pyvista as pv

from calfviewer.scene.gl_driver import LLVMPIPE_THREADS, configure_gl_driver
from calfviewer.scene.render import make_plotter


def test_llvmpipe_is_asked_for_no_rasterizer_threads():
    env: dict[str, str] = {}
    configure_gl_driver(env)
    assert env == {"LP_NUM_THREADS": LLVMPIPE_THREADS}


def test_a_number_of_threads_the_user_chose_is_kept():
    env = {"LP_NUM_THREADS": "4"}
    configure_gl_driver(env)
    assert env == {"LP_NUM_THREADS": "4"}


def _llvmpipe_threads() -> list[str]:
    names = (Path(task, "comm").read_text().strip() for task in Path("/proc/self/task").iterdir())
    return [name for name in names if name.startswith("llvmpipe")]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc to list threads")
def test_the_off_screen_plotter_draws_without_llvmpipe_threads():
    """llvmpipe names its rasterizer threads llvmpipe-N; none may exist once a plotter has drawn."""
    plotter = make_plotter((64, 64))
    try:
        plotter.add_mesh(pv.Sphere())
        plotter.render_window.Render()
        if "llvmpipe" not in plotter.render_window.ReportCapabilities():
            pytest.skip("the GL driver is not llvmpipe")
        if os.environ.get("LP_NUM_THREADS") != LLVMPIPE_THREADS:
            pytest.skip("LP_NUM_THREADS was set by the user")
        assert _llvmpipe_threads() == []
    finally:
        plotter.close()
