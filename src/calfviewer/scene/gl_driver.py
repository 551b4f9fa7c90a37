"""Process settings made before the first GL context, so a long session's memory stays flat under software GL.

**llvmpipe's rasterizer threads are turned off.** On a machine with no GPU, VTK draws through Mesa's software
driver, llvmpipe. With rasterizer threads, llvmpipe (Mesa 22.3; later releases have the same code) bins a frame's
triangles into "scenes" of up to 36 MB (``LP_SCENE_MAX_SIZE``) and hands them to its threads. When every scene it
has is still being drawn it makes a new one, up to 64 (``MAX_SCENES``), and a scene's triangle data is freed only
when that scene is next used. Our frames bin tens of megabytes, so each extra scene that timing happened to call for
kept another 20-36 MB for the rest of the session: resident memory grew 85 MB over the first ~700 frames off screen.
With ``LP_NUM_THREADS=0`` there is one scene, drawn in the calling thread: 10,000 frames add 1.6 MB
(docs/performance.md). Frames are slower than with threads (267 against 158 ms at 1280x800 on 2 cores), and
back-face culling (:mod:`calfviewer.scene.materials`) pays for that: before both changes a frame took 318 ms. A
user who sets ``LP_NUM_THREADS`` keeps their value; hardware drivers do not read it.

**glibc keeps large blocks out of its heap.** A window's colour, depth and multisample buffers (4-30 MB) are
allocated again at every resize. glibc serves blocks that large with mmap at first, but raises its mmap threshold to
the size of each such block freed (up to 32 MB), after which they come from the heap, and buffers of ever new sizes
leave holes there that are never given back: the window's memory rose in steps at resizes. A fixed threshold
(:data:`MMAP_THRESHOLD`) keeps every block over 1 MiB in its own mapping, returned to the system when freed.
``MALLOC_MMAP_THRESHOLD_`` in the environment, glibc's own way to set it, is left to win.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyvista as pv
    from vtkmodules.vtkRenderingCore import vtkRenderWindow

#: llvmpipe's rasterizer threads: 0 draws in the calling thread with one scene (see the module docstring). Measured
#: again in the window (docs/performance.md, issue #23): with 2 threads on 2 cores no interaction was reliably
#: faster, and the window held 20-23 MB more after 1,000 playback frames.
LLVMPIPE_THREADS = "0"
#: Blocks over this many bytes get their own mapping (glibc's M_MMAP_THRESHOLD, fixed instead of rising).
MMAP_THRESHOLD = 1 << 20
M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number (malloc.h)


def configure_gl_driver(environ: dict[str, str] | None = None) -> None:
    """Ask llvmpipe for no rasterizer threads and fix glibc's mmap threshold; call before any GL context exists.

    Mesa reads ``LP_NUM_THREADS`` when it creates its screen, so a context made before this call keeps its threads.
    Only the process's own environment (``environ`` None) has its allocator set.
    """
    env = os.environ if environ is None else environ
    env.setdefault("LP_NUM_THREADS", LLVMPIPE_THREADS)
    if environ is None and "MALLOC_MMAP_THRESHOLD_" not in env:
        fix_mmap_threshold()


def fix_mmap_threshold(threshold: int = MMAP_THRESHOLD) -> bool:
    """Set glibc's mmap threshold once and for all (setting it also stops glibc raising it); False off glibc."""
    with contextlib.suppress(OSError, AttributeError):
        return bool(ctypes.CDLL(None).mallopt(M_MMAP_THRESHOLD, threshold))
    return False


def render_window(plotter: pv.BasePlotter) -> vtkRenderWindow:
    """The plotter's render window. pyvista types it as optional because a closed plotter has none; the scene and
    the window only draw on an open one, so a closed one here is a bug, said as such."""
    window = plotter.render_window
    if window is None:
        raise RuntimeError("the plotter has been closed: it has no render window to draw on")
    return window
