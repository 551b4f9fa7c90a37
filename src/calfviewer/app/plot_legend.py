"""The Mechanics plot's legend: under the plot, in columns, its names cut to fit with the whole name in a tooltip,
each beside a sample of its curve's line drawn in the curve's colour and pattern; and the curves' pens.

Its own module because fitting the names (columns, the short Latin form, ellipses) is a piece of its own, apart
from what the plot draws (plot_panel.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPen
from PySide6.QtWidgets import QSizePolicy

from calfviewer.app.plot_text import short_latin
from calfviewer.scene.muscle_colours import MuscleStyle

#: The least height (pixels) the legend leaves the curves, and the most columns it takes to do so.
CURVES_MIN_HEIGHT, MAX_LEGEND_COLUMNS = 70, 3
#: The most of the curves' and the names' height together that the names take before they go into more columns.
LEGEND_SHARE = 1 / 3
#: The legend's type size (points), its line sample's width, a label's margins and the narrowest a name may be
#: cut to before the legend takes a column less (pixels). The sample is 28 pixels, not pyqtgraph's 20, so it shows
#: two dashes of a dashed curve and a dash, a dot and the next dash of a dash-dot one (in 20 pixels each was a dash
#: and a stub, alike); no wider, or six Latin names at the window's smallest need more height than it has.
LEGEND_POINTS, SAMPLE_WIDTH, LABEL_SLACK, NAME_MIN_WIDTH = 8.0, 28.0, 6.0, 90.0


def muscle_pen(style: MuscleStyle, width: float) -> QPen:
    """The pen a muscle's curve (and its legend sample) is drawn with: its colour, ``width`` pixels wide (cosmetic,
    so the width is on screen, whatever the axes' scale) and its line pattern, the dashes ending flat so that their
    lengths are the pattern's (Qt's default square ends lengthen each dash by a pen width, closing a dotted line's
    gaps to half)."""
    pen = pg.mkPen(style.hex, width=width)
    if style.dashes:
        pen.setDashPattern(list(style.dashes))
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


@contextmanager
def widened_pens(curves: Iterable[pg.PlotDataItem], scale: float) -> Iterator[None]:
    """The curves drawn with pens ``scale`` times as wide (and so their patterns as long) while the block runs.

    Why: a PNG is drawn at twice the plot's size, its text and legend at twice theirs, but a cosmetic pen keeps its
    width in the picture's pixels; the curves came out half as thick as on screen, their dots one pixel on a slide."""
    pens = [(curve, curve.opts["pen"]) for curve in curves]
    try:
        for curve, pen in pens:
            wide = QPen(pen)
            wide.setWidthF(pen.widthF() * scale)
            curve.setPen(wide)
        yield
    finally:
        for curve, pen in pens:
            curve.setPen(pen)


class LineSample(pg.ItemSample):
    """A legend entry's sample: a stretch of its curve's line, :data:`SAMPLE_WIDTH` pixels long, in the curve's pen."""

    def __init__(self, item: pg.GraphicsObject) -> None:
        super().__init__(item)
        self.setFixedWidth(SAMPLE_WIDTH)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, SAMPLE_WIDTH, 20)

    def paint(self, painter, *args) -> None:
        if not self.item.isVisible():  # hidden by a click on the sample: pyqtgraph's eye shows it
            super().paint(painter, *args)
            return
        if self.item.opts.get("antialias"):  # as the curve is drawn
            painter.setRenderHint(painter.RenderHint.Antialiasing)
        painter.setPen(pg.mkPen(self.item.opts["pen"]))
        painter.drawLine(QLineF(0, 11, SAMPLE_WIDTH, 11))


class LayoutLegend(pg.LegendItem):
    """A legend laid out by its parent's layout (under the plot) rather than floating over the plot.

    pyqtgraph's legend sizes itself with ``setGeometry(0, 0, ...)`` whenever an entry is added or renamed, which in a
    layout would move it to the parent's top left corner until the layout ran again; here it tells the layout its
    size changed instead, and keeps a fixed size (its entries'), left-aligned in its cell, scaled with the plot.
    """

    def __init__(self, **options: object) -> None:
        super().__init__(offset=None, sampleType=LineSample, **options)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        # Scaled with the plot, so a PNG export at twice the size has its names at twice the size too (a legend
        # floating over the plot ignores the view's scale).
        self.setFlag(self.GraphicsItemFlag.ItemIgnoresTransformations, False)

    def updateSize(self) -> None:
        self.updateGeometry()

    def fit(self, room: float, height: float, font: QFont) -> tuple[int, float]:
        """Fit the names into ``room`` pixels of width, in as many columns (at most three) as keep them within
        ``LEGEND_SHARE`` of ``height`` (the curves' and the names' together) and leave the curves
        ``CURVES_MIN_HEIGHT`` pixels, cut with an ellipsis to their column (in the short Latin form first) and whole
        in their tooltips; two columns from three names on where whole names fit. Returns the rows and their height.

        Six Latin names in one column took the whole height and left the curves none (the y axis' name cut off),
        and a name wider than the dock widened the plot past the dock's edge."""
        entries = self.items
        for _, label in entries:  # rows as tall as the 8-point text: the text item's 4-pixel margins made them 27
            if label.item.document().documentMargin() != 1:
                label.item.document().setDocumentMargin(1)
                label.updateMin()
        row_height = max((label.item.boundingRect().height() for _, label in entries), default=0.0)
        rows = max(1, int(min(height - CURVES_MIN_HEIGHT, height * LEGEND_SHARE) // row_height)) if row_height else 1
        gap = self.layout.horizontalSpacing()
        font = QFont(font)
        font.setPointSizeF(LEGEND_POINTS)
        metrics = QFontMetricsF(font)
        widest = max((metrics.horizontalAdvance(sample.item.name() or "") for sample, _ in entries), default=0.0)

        def name_room(columns: int) -> float:
            return (room - gap * (2 * columns - 1)) / columns - SAMPLE_WIDTH - LABEL_SLACK

        columns = min(MAX_LEGEND_COLUMNS, max(1, math.ceil(len(entries) / rows)))
        if columns == 1 and len(entries) > 2 and name_room(2) >= widest:
            columns = 2  # two columns of whole names, not three rows of them
        while columns > 1 and name_room(columns) < min(widest, NAME_MIN_WIDTH):
            columns -= 1  # each column too narrow for a readable start of a name: fewer, and taller
        width = name_room(columns)
        if room < SAMPLE_WIDTH + NAME_MIN_WIDTH:  # not laid out yet (a first show): the resize that is to come fits
            width = math.inf
        self.setColumnCount(columns)
        for _ in range(3):  # the labels' margins are the legend's: measured as laid out, narrowed by what is over
            self._name_entries(metrics, width)
            over = self.effectiveSizeHint(Qt.SizeHint.PreferredSize).width() - room
            if width == math.inf or over <= 0:
                break
            width -= over / columns + 1
        self.updateSize()
        return math.ceil(len(entries) / columns), row_height

    def _name_entries(self, metrics: QFontMetricsF, width: float) -> None:
        """Each legend entry named whole, or, when a name is wider than ``width``, every name in the short Latin
        form (all, not some: they read alike) cut with an ellipsis to ``width``, whole in its tooltip."""
        entries = self.items
        names = [sample.item.name() or "" for sample, _ in entries]
        if any(metrics.horizontalAdvance(name) > width for name in names):
            names = [short_latin(name) for name in names]
        for (sample, label), name in zip(entries, names, strict=True):
            shown = name if width == math.inf else metrics.elidedText(name, Qt.TextElideMode.ElideRight, width)
            if label.text != shown:
                label.setText(shown)
            whole = sample.item.name() or ""
            label.setToolTip(whole if shown != whole else "")
        self.updateSize()
