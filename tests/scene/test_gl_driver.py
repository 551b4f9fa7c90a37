"""The GL driver is set up so a long session's memory stays flat under software GL (see scene/gl_driver.py)."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys

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


#: Run in a fresh process: a long-lived heap may hold a free 4 MB hole, which glibc reuses before it maps anything.
_MAPPED_AFTER_A_LARGER_FREE = """
import ctypes, sys
from calfviewer.scene.gl_driver import configure_gl_driver

class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
                                               "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL(None)
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.mallinfo2.restype = MallInfo2
if sys.argv[1] == "configured":
    configure_gl_driver()
libc.free(libc.malloc(24 << 20))  # freeing a mapped 24 MB block is what raises a dynamic threshold
before = libc.mallinfo2().hblkhd
block = libc.malloc(4 << 20)
print(libc.mallinfo2().hblkhd - before >= 4 << 20)
"""


@pytest.mark.skipif(not hasattr(ctypes.CDLL(None), "mallinfo2"), reason="needs glibc 2.33+")
def test_a_large_block_gets_its_own_mapping_even_after_a_larger_one_was_freed():
    """The window's buffers are re-allocated at every resize: they must stay out of the heap (gl_driver.py).
    Without the fixed threshold the same steps put the block in the heap, which the second run shows."""
    env = {key: value for key, value in os.environ.items() if key != "MALLOC_MMAP_THRESHOLD_"}

    def mapped(mode: str) -> str:
        run = subprocess.run(
            [sys.executable, "-c", _MAPPED_AFTER_A_LARGER_FREE, mode], capture_output=True, text=True, env=env
        )
        assert run.returncode == 0, run.stderr
        return run.stdout.strip()

    assert (mapped("configured"), mapped("default")) == ("True", "False")


def test_the_off_screen_plotter_draws_without_llvmpipe_threads(llvmpipe_threads):
    plotter = make_plotter((64, 64))
    try:
        plotter.add_mesh(pv.Sphere())
        plotter.render_window.Render()
        assert llvmpipe_threads(plotter.render_window) == []
    finally:
        plotter.close()
