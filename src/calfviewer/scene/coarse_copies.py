"""The bones' coarse copies, made on a worker thread while the window is idle.

A large bone is drawn from a coarse copy while the picture moves (``actors.coarse_copy``: a fifth of its triangles,
with a cell locator of its own for picks). Made in the window's idle pieces on its own thread, each took 0.2 s and
more (0.5 s on a loaded machine), and a click or key press that came during one waited for it: in the first seconds
after start, when users click first. VTK's decimation and locator build let go of Python's lock, so here they run
on one worker thread, a bone at a time, and the idle pieces only take in what is done (``AnatomyScene
.prepare_for_interaction``). The worker reads copies of the bones' arrays taken on the window's thread and makes new
meshes only: it touches nothing that is drawn.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np
import pyvista as pv
from vtkmodules.vtkCommonDataModel import vtkStaticCellLocator

from calfviewer.scene.actors import coarse_copy
from calfviewer.scene.picking import copy_locator

if TYPE_CHECKING:
    from calfviewer.scene.actors import Item

#: One bone's coarse copy and the locator picks test it through.
Made = tuple[pv.PolyData, vtkStaticCellLocator]


def _make(points: np.ndarray, faces: np.ndarray) -> Made:
    coarse = coarse_copy(points, faces)
    return coarse, copy_locator(coarse)


class CoarseCopies:
    """Makes the coarse copies of ``bones`` on one worker thread from :meth:`start` on; :meth:`take` gives back each
    bone whose copy is made, in the bones' order."""

    def __init__(self, bones: Iterable[Item]) -> None:
        self._bones = list(bones)
        self._pool: ThreadPoolExecutor | None = None
        self._jobs: list[tuple[Item, Future[Made]]] = []

    @property
    def started(self) -> bool:
        return self._pool is not None

    @property
    def pending(self) -> bool:
        """Copies asked for and not yet taken."""
        return bool(self._jobs)

    def start(self) -> None:
        """Ask for every bone's copy (the arrays copied now, on the caller's thread)."""
        if self._pool is not None:
            return
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="calfviewer-coarse")
        for item in self._bones:
            points, faces = np.array(item.poly.points), np.array(item.poly.regular_faces)
            self._jobs.append((item, self._pool.submit(_make, points, faces)))

    def take(self) -> tuple[Item, Made] | None:
        """The next bone whose copy is made, with it (None while the next is still being made, or none is left)."""
        if not self._jobs or not self._jobs[0][1].done():
            return None
        item, job = self._jobs.pop(0)
        return item, job.result()

    def close(self) -> None:
        """Stop: the copies not begun are dropped; the one being made ends on its own."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._jobs = []
