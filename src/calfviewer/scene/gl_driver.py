"""Settings for the GL driver, made before the first GL context of the process is created.

Why the rasterizer threads are turned off: on a machine with no GPU, VTK draws through Mesa's software driver,
llvmpipe. With rasterizer threads, llvmpipe (Mesa 22.3, and the code is the same in later releases) bins the
triangles of a frame into "scenes" of up to 36 MB (``LP_SCENE_MAX_SIZE``) and hands them to its threads. When
every scene it has is still being drawn it makes a new one, up to 64 (``MAX_SCENES``), and a scene's triangle data is
freed only when that scene is next used. Our frames bin tens of megabytes, so every extra scene that timing
happens to call for keeps another 20-36 MB for the rest of the session. Measured: resident memory grew 85 MB over
the first ~700 frames off screen and kept creeping in the Qt window; with ``LP_NUM_THREADS=0`` it stays flat
(docs/performance.md). With one scene, drawn in the calling thread, nothing piles up. Frames are slower than with
threads (267 against 158 ms at 1280x800 on 2 cores), and back-face culling (:mod:`calfviewer.scene.materials`)
pays for that: before both changes a frame took 318 ms.

A user who sets ``LP_NUM_THREADS`` keeps their value. Hardware drivers do not read it.
"""

from __future__ import annotations

import os

#: llvmpipe's rasterizer threads: 0 draws in the calling thread with one scene (see the module docstring).
LLVMPIPE_THREADS = "0"


def configure_gl_driver(environ: dict[str, str] | None = None) -> None:
    """Ask llvmpipe for no rasterizer threads unless the user chose a number; call before any GL context exists.

    Mesa reads the variable when it creates its screen, so a context made before this call keeps its threads.
    """
    env = os.environ if environ is None else environ
    env.setdefault("LP_NUM_THREADS", LLVMPIPE_THREADS)
