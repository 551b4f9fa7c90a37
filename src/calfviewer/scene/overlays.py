"""Screen-space additions to the 3D picture: the colour legend, and what every 2D overlay shares (text sizes at the
window's DPI, points projected to display pixels, where the leg is drawn: :class:`Coverage`).

The overlays are VTK 2D actors laid out in display pixels, so text stays crisp and the same size at any zoom. They are
built once and re-laid out only when the camera, the window size or what is shown changes. The name labels are in
:mod:`calfviewer.scene.labels`, the stretch colour bar in :mod:`calfviewer.scene.stretch`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyvista as pv
from vtkmodules.vtkRenderingCore import (
    vtkActor2D,
    vtkPolyDataMapper2D,
    vtkRenderer,
    vtkTextActor,
    vtkTextProperty,
    vtkTextRenderer,
)

from calfviewer.scene.materials import RGB

#: Smallest legend text, in pixels at 100 % (:func:`device_pixels`; the legend's rows are short words, read at a
#: glance).
MIN_LEGEND_FONT = 11


def project_to_display(renderer: vtkRenderer, points: np.ndarray, transform: np.ndarray | None = None) -> np.ndarray:
    """World points (N, 3) -> display pixels (N, 3): x, y from the bottom left, and depth 0..1. With ``transform``
    (a body's 4x4, to the world) the points are in that body's frame.

    One matrix product for all points (VTK's WorldToDisplay is one point per call), the body's transform folded
    into it; float32 points stay float32 (a mesh's, as the GPU draws them: the leg's 142,000 vertices in a third
    of the time).
    """
    camera = renderer.GetActiveCamera()
    aspect = renderer.GetTiledAspectRatio()
    matrix = camera.GetCompositeProjectionTransformMatrix(aspect, -1.0, 1.0)
    m = np.array([[matrix.GetElement(i, j) for j in range(4)] for i in range(4)])
    if transform is not None:
        m = m @ transform
    points = np.asarray(points)
    if points.dtype != np.float32:
        points = points.astype(float)
    m = m.astype(points.dtype)
    homogeneous = points @ m[:, :3].T + m[:, 3]
    ndc = homogeneous[:, :3] / homogeneous[:, 3:4]
    width, height = renderer.GetSize()
    x0, y0 = renderer.GetOrigin()
    return np.column_stack(
        [x0 + (ndc[:, 0] + 1.0) * 0.5 * width, y0 + (ndc[:, 1] + 1.0) * 0.5 * height, (ndc[:, 2] + 1.0) * 0.5]
    )


def text_size(prop: vtkTextProperty, text: str, dpi: int = 72) -> tuple[float, float]:
    """Width and height in pixels of ``text`` drawn with ``prop`` in a window of ``dpi`` (VTK draws a font size as
    points: at 108 DPI, a Qt window at 150 %, it is 1.5 times as many pixels as at 72)."""
    bbox = [0, 0, 0, 0]
    vtkTextRenderer.GetInstance().GetBoundingBox(prop, text, bbox, dpi)
    return float(bbox[1] - bbox[0]), float(bbox[3] - bbox[2])


def window_dpi(renderer: vtkRenderer) -> int:
    """The DPI ``renderer``'s window draws text at: 72 off screen, 72 times Qt's device pixel ratio in the window
    (pyvistaqt sets it)."""
    window = renderer.GetRenderWindow()
    return int(window.GetDPI()) if window is not None else 72


def device_pixels(pixels: float, dpi: int) -> float:
    """``pixels`` of a screen at 100 % as the pixels of a window of ``dpi`` (72 off screen, 72 times Qt's device
    pixel ratio in the window): a smallest text size or a line's width, so it is as big to the eye on a 200 % screen
    as on a 100 % one. Sizes in proportion to the picture need none: the picture already has the pixels.

    Without it a window at 200 % drew its names at 9 pixels of the screen's 100 % size where the least meant 12,
    and its leader lines, selection outline and line of action half as thick as on other screens."""
    return pixels * dpi / 72


def font_points(pixels: float, dpi: int) -> int:
    """The font size to give VTK for text about ``pixels`` high in a window of ``dpi``.

    The overlays size their text from the window's size in pixels, which at 150 % already has 1.5 times as many;
    given as the font size at 108 DPI that came out 1.5 times bigger again, measured at 72 DPI, so the legend ran
    off the window's right edge, its names off their swatches."""
    return max(1, round(pixels * 72 / dpi))


class Coverage:
    """Which parts of a picture something is drawn in, on a grid of ``cell``-pixel squares: marked from triangles
    in display pixels (each structure's surface, projected) and from boxes. :meth:`__call__` says how many covered
    cells a box touches, each mark grown by one cell (a name touching the leg's edge counts)."""

    def __init__(self, window: tuple[int, int], cell: float) -> None:
        self.cell = float(cell)
        self.grid = np.zeros((int(np.ceil(window[1] / cell)) + 1, int(np.ceil(window[0] / cell)) + 1), dtype=bool)
        self._sums: np.ndarray | None = None

    def copy(self) -> Coverage:
        """A coverage of the same cells, marked apart from this one from now on."""
        other = Coverage.__new__(Coverage)
        other.cell, other.grid, other._sums = self.cell, self.grid.copy(), None
        return other

    def add_triangles(self, points: np.ndarray, faces: np.ndarray) -> None:
        """Mark the cells the triangles ``faces`` (M, 3 indices) of display points ``points`` (N, 2 or more; x, y
        from the bottom left) are drawn over, those outside the picture ignored.

        Why triangles, not vertices: a structure near the camera, large on the screen (the gastrocnemius seen from
        the front with the knee bent 90), has its vertices cells apart; marked by a sample of them (then a denser
        one, then the gaps closed) a rim of it was left unmarked and "Soleus" was laid out there. Every vertex marks
        its cell; a triangle whose corners are more than a cell apart also marks the cells its sides cross and,
        if a cell fits inside it, those inside. A triangle within two cells each way (nearly all of the leg's, the
        cost a pass over them) is left to its corners: at most a sliver of the fourth cell of its two by two is
        missed, beside marked ones, which :meth:`__call__` counts anyway."""
        self._sums = None
        xy = np.asarray(points, dtype=float)[:, :2] / self.cell
        xy[~np.isfinite(xy)] = -1.0  # behind the camera: off the picture
        cells = np.floor(np.clip(xy, -1.0, float(max(self.grid.shape)))).astype(np.int16)
        self._mark(cells[:, 1], cells[:, 0])  # every vertex's cell
        faces = np.asarray(faces)
        first, second, third = np.ascontiguousarray(faces.T)  # each a contiguous row: gathers several times faster
        span = np.zeros(len(faces), dtype=np.int16)
        for axis in (0, 1):
            along = np.ascontiguousarray(cells[:, axis])
            a, b, c = along[first], along[second], along[third]
            np.maximum(span, np.maximum(np.maximum(a, b), c) - np.minimum(np.minimum(a, b), c), out=span)
        large = faces[span > 1]
        if not len(large):
            return
        tri = xy[large]  # (K, 3, 2), in cells
        sides = tri[:, [1, 2, 0]] - tri
        lengths = np.hypot(sides[..., 0], sides[..., 1])  # (K, 3)
        # A cell a triangle is drawn over holds one of its corners, is crossed by one of its sides, or lies inside
        # it, which only a triangle whose inscribed circle is a cell across or more can hold (its radius is twice
        # its area over its perimeter).
        u, v = sides[:, 0], sides[:, 2]
        wide = np.abs(u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]) >= 0.5 * lengths.sum(axis=1)
        ends = np.sort(np.stack([large, large[:, [1, 2, 0]]], axis=2), axis=2).reshape(-1, 2)
        _, once = np.unique(ends[:, 0] * len(xy) + ends[:, 1], return_index=True)  # two triangles share a side
        rows, cols, _ = self._crossed(tri.reshape(-1, 2)[once], tri[:, [1, 2, 0]].reshape(-1, 2)[once])
        self._mark(rows, cols)
        if wide.any():
            self._fill(tri[wide])

    def _fill(self, corners: np.ndarray) -> None:
        """Mark the cells inside triangles (K, 3, 2, in cells): in each row, those between the cells its sides
        cross there (a triangle is convex), the picture's edges counted as crossed."""
        height, width = self.grid.shape
        rows, cols, side = self._crossed(corners.reshape(-1, 2), corners[:, [1, 2, 0]].reshape(-1, 2))
        own = np.floor(np.clip(corners.reshape(-1, 2), -1.0, float(max(height, width)))).astype(np.int64)
        rows, cols = np.r_[rows, own[:, 1]], np.r_[cols, own[:, 0]]  # and the cells of its corners
        side = np.r_[side, np.arange(len(own))]
        key = (side // 3) * (height + 2) + np.clip(rows, -1, height) + 1  # the triangle and the row
        order = np.argsort(key, kind="stable")
        key, cols = key[order], np.clip(cols[order], -1, width)
        first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        left, right = np.minimum.reduceat(cols, first), np.maximum.reduceat(cols, first)
        count = right - left + 1
        run = np.repeat(np.arange(len(first)), count)
        offset = np.arange(len(run)) - np.repeat(np.cumsum(count) - count, count)
        self._mark(key[first][run] % (height + 2) - 1, left[run] + offset)

    def _crossed(self, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rows and columns of the cells either side of where segments from ``start`` to ``end`` (S, 2, in
        cells) cross the grid's lines, each with its segment's index: with the cells of their ends, every cell
        they pass through. Lines beyond the grid are left out."""
        rows, cols, which = [], [], []
        for axis, lines in ((0, self.grid.shape[1]), (1, self.grid.shape[0])):
            low, high = np.minimum(start[:, axis], end[:, axis]), np.maximum(start[:, axis], end[:, axis])
            first = np.maximum(np.ceil(low), -1.0)
            count = np.maximum(np.minimum(np.floor(high), lines + 1.0) - first + 1, 0).astype(np.int64)
            segment = np.repeat(np.arange(len(start)), count)
            line = first[segment] + np.arange(len(segment)) - np.repeat(np.cumsum(count) - count, count)
            delta = end[segment] - start[segment]
            along = np.divide(
                line - start[segment, axis], delta[:, axis], out=np.zeros(len(line)), where=delta[:, axis] != 0
            )
            other = np.floor(start[segment, 1 - axis] + along * delta[:, 1 - axis]).astype(np.int64)
            for near in (line.astype(np.int64), line.astype(np.int64) - 1):  # the cells either side of the line
                rows.append(other if axis == 0 else near)
                cols.append(near if axis == 0 else other)
                which.append(segment)
        return np.concatenate(rows), np.concatenate(cols), np.concatenate(which)

    def _mark(self, i: np.ndarray, j: np.ndarray) -> None:
        """Mark the cells at rows ``i`` and columns ``j`` that are in the grid."""
        rows, cols = self.grid.shape
        inside = (i >= 0) & (i < rows) & (j >= 0) & (j < cols)
        self.grid[i[inside], j[inside]] = True

    def add_grid(self, other: Coverage) -> None:
        """Mark every cell ``other`` (a coverage of the same window and cell) marks."""
        self.grid |= other.grid
        self._sums = None

    def add_box(self, box: tuple[float, float, float, float]) -> None:
        """Mark the cells a box (left, bottom, right, top pixels) touches."""
        self.grid[self._slices(box)] = True
        self._sums = None

    def _slices(self, box: tuple[float, float, float, float]) -> tuple[slice, slice]:
        left, bottom, right, top = box
        rows, cols = self.grid.shape
        i0, i1 = (min(max(int(np.floor(v / self.cell)), 0), rows - 1) for v in (bottom, top))
        j0, j1 = (min(max(int(np.floor(v / self.cell)), 0), cols - 1) for v in (left, right))
        return slice(i0, i1 + 1), slice(j0, j1 + 1)

    def extent(self, bottom: float, top: float) -> tuple[float, float] | None:
        """The left edge of the leftmost covered cell and the right edge of the rightmost, in pixels, over the rows
        from ``bottom`` to ``top``; None where nothing is covered there."""
        rows, _ = self._slices((0.0, bottom, 0.0, top))
        covered = np.flatnonzero(self.grid[rows].any(axis=0))
        if not len(covered):
            return None
        return float(covered[0] * self.cell), float((covered[-1] + 1) * self.cell)

    def __call__(self, box: tuple[float, float, float, float]) -> float:
        if self._sums is None:
            self._sums = np.pad(_grown(self.grid).cumsum(0).cumsum(1), ((1, 0), (1, 0)))
        (i0, i1), (j0, j1) = ((s.start, s.stop) for s in self._slices(box))
        sums = self._sums
        return float(sums[i1, j1] - sums[i0, j1] - sums[i1, j0] + sums[i0, j0])


def _grown(grid: np.ndarray) -> np.ndarray:
    """``grid`` with every cell next to a marked one (sides and corners) marked too."""
    tall = grid.copy()
    tall[1:] |= grid[:-1]
    tall[:-1] |= grid[1:]
    wide = tall.copy()
    wide[:, 1:] |= tall[:, :-1]
    wide[:, :-1] |= tall[:, 1:]
    return wide


def lines_polydata(segments: Sequence[tuple[tuple[float, float], tuple[float, float]]]) -> pv.PolyData:
    if not segments:
        return pv.PolyData()
    points = np.array([[x, y, 0.0] for segment in segments for (x, y) in segment])
    n = len(segments)
    cells = np.column_stack([np.full(n, 2), np.arange(0, 2 * n, 2), np.arange(1, 2 * n, 2)]).ravel()
    return pv.PolyData(points, lines=cells)


class Legend:
    """Colour swatches with names in the lower right corner: what each colour in the picture means.

    Only the rows named in :meth:`layout` are drawn, so the legend never explains a colour that is not on screen
    (no "Origin" row while nothing is selected). All names are one multi-line text actor and all swatches one 2D
    polydata: with software OpenGL every extra text actor is a measurable part of a frame.
    """

    def __init__(self, renderer: vtkRenderer, rows: Sequence[tuple[str, RGB]], text_color: RGB) -> None:
        self.renderer = renderer
        self.rows = dict(rows)
        self.text = vtkTextActor()
        prop = self.text.GetTextProperty()
        prop.SetColor(text_color)
        prop.SetFontFamilyToArial()
        prop.SetLineSpacing(1.25)
        self.text.SetPickable(False)
        renderer.AddViewProp(self.text)
        self.swatches = vtkActor2D()
        self._swatch_mapper = vtkPolyDataMapper2D()
        self.swatches.SetMapper(self._swatch_mapper)
        self.swatches.SetPickable(False)
        renderer.AddViewProp(self.swatches)
        self.enabled = True
        self.box: tuple[float, float, float, float] | None = None
        """Display pixels (left, bottom, right, top) the legend takes up, None when it shows nothing."""
        self._names: tuple[str, ...] = ()
        self._key: tuple[object, ...] | None = None
        #: Why the last layout drew no legend although it had rows (it did not fit); None when it did.
        self.left_out: str | None = None

    def text_properties(self) -> list[vtkTextProperty]:
        return [self.text.GetTextProperty()]

    def shown(self) -> tuple[str, ...]:
        """Names of the rows drawn now (for tests)."""
        return self._names

    @property
    def top(self) -> float:
        """Display pixels the legend takes up from the bottom of the window (0 when it shows nothing): the
        labels on the right keep above it."""
        return self.box[3] if self.box is not None else 0.0

    def layout(self, window: tuple[int, int], names: Sequence[str], scale: int = 1) -> None:
        """Draw ``names`` (in the legend's own order) in the lower right corner, sized to the window height.

        ``scale``: ``window`` is a still that many times the window's size (drawn in tiles), so the smallest text is
        that many times the window's too: the still shows the legend the window shows, only larger. Laid out as a
        window of the still's size, a legend the window holds at its smallest text came out smaller in the still
        (half the size at 2x in a 480x360 window)."""
        names = tuple(n for n in self.rows if n in names) if self.enabled else ()
        key = (window, names, window_dpi(self.renderer), scale)
        if key == self._key:
            return
        self._key, self._names = key, names
        self.text.SetVisibility(bool(names))
        self.swatches.SetVisibility(bool(names))
        self.left_out = None
        self.box = None
        if not names:
            return
        width, height = window
        dpi = window_dpi(self.renderer)
        smallest = round(device_pixels(MIN_LEGEND_FONT, dpi)) * scale
        font = max(smallest, round(height / 60))
        prop = self.text.GetTextProperty()
        content = "\n".join(names)
        self.text.SetInput(content)
        # As the labels: text 1/60 of the height, smaller where the legend would take more than a third of the
        # width, and left out (saying why) where even the smallest does not fit the picture.
        while True:
            prop.SetFontSize(font_points(font, dpi))
            text_width, text_height = text_size(prop, content, dpi)
            needed = text_width + font * 3.4  # a margin, the swatch, the gap to the text, and the same at the left
            if needed <= width / 3 or font <= smallest:
                break
            font -= 1
        if needed > width or text_height + 2 * font > height:
            self.text.SetVisibility(False)
            self.swatches.SetVisibility(False)
            self._names = ()
            self.left_out = (
                f"the legend needs {math.ceil(needed)}x{math.ceil(text_height + 2 * font)} pixels, more than the "
                f"picture's {width}x{height}; make it {'wider' if needed > width else 'taller'}"
            )
            return
        line = text_height / len(names)
        swatch = font * 0.8
        left = width - font - text_width - swatch - font * 0.6
        bottom = font
        self.box = (left, bottom, left + swatch + font * 0.6 + text_width, bottom + text_height)
        self.text.SetPosition(left + swatch + font * 0.6, bottom)
        points: list[list[float]] = []
        quads: list[int] = []
        colors: list[list[int]] = []
        for index, name in enumerate(names):
            y = bottom + text_height - (index + 0.5) * line
            base, half = len(points), swatch / 2
            points += [[left, y - half, 0], [left + swatch, y - half, 0]]
            points += [[left + swatch, y + half, 0], [left, y + half, 0]]
            quads += [4, base, base + 1, base + 2, base + 3]
            colors.append([round(c * 255) for c in self.rows[name]])
        poly = pv.PolyData(np.array(points, dtype=float), faces=quads)
        poly.cell_data["colors"] = np.array(colors, dtype=np.uint8)
        mapper = self._swatch_mapper
        mapper.SetInputData(poly)
        mapper.SetColorModeToDirectScalars()
        mapper.SetScalarModeToUseCellData()
        mapper.ScalarVisibilityOn()
