"""The soft tissue's triangles sorted by the squares of the picture they are drawn over, for the many picks of one
picture.

A still layout of the labels picks ~220-310 times in one picture at 708 x 821; with the triangles sorted, each pick
ray-casts the few triangles drawn at its pixel's square, not all of them.

Why: a still layout's labels search each structure's point by picks (since the search no longer starts from the
point found at the last layout, :mod:`calfviewer.scene.anchors`), and every pick projected every soft point onto its
ray's plane and tested every soft triangle. A triangle the ray through a pixel crosses is drawn over that pixel, so
it lies in that pixel's square: the answer is the same, from fewer triangles and their points. Sorting them costs a
projection of the points and a sort (~40 ms on a loaded host), so it is made only once a picture has had
:data:`BIN_AFTER` picks; a click's one pick after a pose change casts its ray against all, as before. A still layout's
points, lateral view at 708 x 821, eight new knee angles each, in turn in one process on a loaded host: 503 ms of CPU
(median) without, 245 ms with (docs/performance.md, "Labels laid out by the picture alone").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from vtkmodules.vtkRenderingCore import vtkRenderer

#: Picks in one picture (the pose, the camera and the window the same) before its triangles are sorted into squares.
BIN_AFTER = 8
#: The side of a square, in pixels.
CELL_PX = 16.0
#: A triangle over more squares than this (a muscle seen from a camera inside the leg) is tested by every pick.
MOST_CELLS = 64
#: Pixels a triangle's drawn box is grown by: the pick's ray and the projection round differently.
MARGIN_PX = 2.0


def picture_of(renderer: vtkRenderer) -> tuple[float, ...]:
    """What the squares depend on besides the points: the camera's projection and the renderer's place and size."""
    camera = renderer.GetActiveCamera()
    matrix = camera.GetCompositeProjectionTransformMatrix(renderer.GetTiledAspectRatio(), -1.0, 1.0)
    return (*(matrix.GetElement(i, j) for i in range(4) for j in range(4)), *renderer.GetOrigin(), *renderer.GetSize())


@dataclass(frozen=True)
class ScreenBins:
    """Triangles (indices into the faces given to :meth:`of`) by the squares of the picture their drawn boxes touch;
    those with a corner behind the camera or over too many squares are in every square (``always``)."""

    origin: tuple[float, float]  # the renderer's lower left corner, display pixels
    columns: int
    rows: int
    starts: np.ndarray  # (columns * rows + 1,): where each square's triangles start in ``triangles``
    triangles: np.ndarray
    always: np.ndarray

    @classmethod
    def of(cls, renderer: vtkRenderer, points: np.ndarray, faces: np.ndarray) -> ScreenBins:
        """The squares of ``faces`` (F, 3) into ``points`` (N, 3, world) as ``renderer`` draws them now."""
        picture = picture_of(renderer)
        m = np.array(picture[:16]).reshape(4, 4)
        x0, y0, width, height = picture[16:]
        homogeneous = np.asarray(points, dtype=float) @ m[:, :3].T + m[:, 3]
        w = homogeneous[:, 3]
        ahead = w > 1e-12
        safe = np.where(ahead, w, 1.0)
        x = (homogeneous[:, 0] / safe + 1.0) * 0.5 * width / CELL_PX  # in squares, from the renderer's corner
        y = (homogeneous[:, 1] / safe + 1.0) * 0.5 * height / CELL_PX
        columns, rows = max(1, int(np.ceil(width / CELL_PX))), max(1, int(np.ceil(height / CELL_PX)))
        margin = MARGIN_PX / CELL_PX
        fx, fy = x[faces], y[faces]  # (F, 3)
        low_x = np.floor(fx.min(axis=1) - margin)
        high_x = np.floor(fx.max(axis=1) + margin)
        low_y = np.floor(fy.min(axis=1) - margin)
        high_y = np.floor(fy.max(axis=1) + margin)
        finite = np.isfinite(low_x) & np.isfinite(high_x) & np.isfinite(low_y) & np.isfinite(high_y)
        seen = ahead[faces].all(axis=1) & finite
        on_picture = seen & (high_x >= 0) & (low_x < columns) & (high_y >= 0) & (low_y < rows)
        low_x, high_x = np.clip(low_x, 0, columns - 1), np.clip(high_x, 0, columns - 1)
        low_y, high_y = np.clip(low_y, 0, rows - 1), np.clip(high_y, 0, rows - 1)
        wide = (high_x - low_x + 1).astype(np.int64)
        count = wide * (high_y - low_y + 1).astype(np.int64)
        always = np.flatnonzero(~seen | (on_picture & (count > MOST_CELLS)))
        binned = np.flatnonzero(on_picture & (count <= MOST_CELLS))
        each = count[binned]
        triangle = np.repeat(binned, each)
        first = np.repeat(np.cumsum(each) - each, each)
        k = np.arange(len(triangle)) - first  # the k-th square of its triangle's box, row by row
        square_x = low_x[triangle].astype(np.int64) + k % wide[triangle]
        square_y = low_y[triangle].astype(np.int64) + k // wide[triangle]
        square = square_y * columns + square_x
        order = np.argsort(square, kind="stable")
        starts = np.concatenate([[0], np.cumsum(np.bincount(square, minlength=columns * rows))])
        return cls((x0, y0), columns, rows, starts, triangle[order], always)

    def at(self, x: float, y: float) -> np.ndarray | None:
        """The triangles a ray through display pixel (x, y) may cross, sorted; None off the picture (test them all)."""
        column = int(np.floor((x - self.origin[0]) / CELL_PX))
        row = int(np.floor((y - self.origin[1]) / CELL_PX))
        if not (0 <= column < self.columns and 0 <= row < self.rows):
            return None
        square = row * self.columns + column
        here = self.triangles[self.starts[square] : self.starts[square + 1]]
        return np.sort(np.concatenate([here, self.always])) if len(self.always) else here
