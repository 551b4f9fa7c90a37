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


def project_to_display(renderer: vtkRenderer, points: np.ndarray) -> np.ndarray:
    """World points (N, 3) -> display pixels (N, 3): x, y from the bottom left, and depth 0..1.

    One matrix product for all points (VTK's WorldToDisplay is one point per call).
    """
    camera = renderer.GetActiveCamera()
    aspect = renderer.GetTiledAspectRatio()
    matrix = camera.GetCompositeProjectionTransformMatrix(aspect, -1.0, 1.0)
    m = np.array([[matrix.GetElement(i, j) for j in range(4)] for i in range(4)])
    homogeneous = np.c_[np.asarray(points, dtype=float), np.ones(len(points))] @ m.T
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
    """Which parts of a picture something is drawn in, on a grid of ``cell``-pixel squares: marked from points in
    display pixels (a mesh's vertices, a few pixels apart) and from boxes, each mark grown by one cell so the gaps
    between a mesh's vertices count as covered. :meth:`__call__` says how many covered cells a box touches."""

    def __init__(self, window: tuple[int, int], cell: float) -> None:
        self.cell = float(cell)
        self.grid = np.zeros((int(np.ceil(window[1] / cell)) + 1, int(np.ceil(window[0] / cell)) + 1), dtype=bool)
        self._sums: np.ndarray | None = None

    def copy(self) -> Coverage:
        """A coverage of the same cells, marked apart from this one from now on."""
        other = Coverage.__new__(Coverage)
        other.cell, other.grid, other._sums = self.cell, self.grid.copy(), None
        return other

    def add_points(self, points: np.ndarray) -> None:
        """Mark the cells of display points (N, 2 or more; x, y from the bottom left), those outside ignored."""
        rows, cols = self.grid.shape
        ij = np.floor(np.asarray(points, dtype=float)[:, 1::-1] / self.cell).astype(int)
        inside = (ij[:, 0] >= 0) & (ij[:, 0] < rows) & (ij[:, 1] >= 0) & (ij[:, 1] < cols)
        self.grid[ij[inside, 0], ij[inside, 1]] = True
        self._sums = None

    def close_gaps(self, cells: int = 2) -> None:
        """Mark the gaps of up to ``2 * cells`` cells between marked cells (a morphological closing: grown by
        ``cells``, then shrunk back, the picture's edge counted as marked so a leg running off it is not shrunk).

        Why: a structure is marked by a sample of its vertices (a thousand at most), and one near the camera, large
        on the screen (the gastrocnemius seen from the front with the knee bent 90), had them further apart than
        the one cell :meth:`__call__` grows each mark by: its middle was unmarked, and names were written there."""
        grid = self.grid
        for _ in range(cells):
            grid = _grown(grid)
        for _ in range(cells):
            grid = ~_grown(~grid)
        self.grid |= grid
        self._sums = None

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
