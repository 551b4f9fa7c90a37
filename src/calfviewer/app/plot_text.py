"""The mechanics plot's title and x axis' name, broken into lines as narrow as the plot.

Why: with the plot dock at its smallest (320 pixels, the window on a 1024 x 768 projector) the empty title ("Select
a muscle in the tree or the 3D view to plot it"), a title with the subtalar joint and the toes held, and
"Plantarflexion (°, dorsiflexion negative)" ran past the plot's right edge and were cut.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF

if TYPE_CHECKING:  # pyqtgraph is imported by plot_panel, after it has chosen the Qt binding
    import pyqtgraph as pg

#: Pixels kept free on each side of the title and the x axis' name.
TEXT_MARGIN = 8


def wrap_lines(lines: list[str], fits: Callable[[str], bool]) -> list[str]:
    """``lines`` with each that does not ``fit`` broken after a comma where that makes it fit, else between
    words (a single word too wide stays whole)."""
    wrapped = []
    for line in lines:
        for group in _pack(re.split(r"(?<=,) ", line), fits):
            wrapped.extend([group] if fits(group) else _pack(group.split(" "), fits))
    return wrapped


def _pack(parts: list[str], fits: Callable[[str], bool]) -> list[str]:
    """``parts`` joined by spaces into as few lines as fit (greedily, in order)."""
    packed: list[str] = []
    for part in parts:
        if packed and fits(f"{packed[-1]} {part}"):
            packed[-1] = f"{packed[-1]} {part}"
        else:
            packed.append(part)
    return packed


def show_wrapped(plot: pg.PlotWidget, title_lines: list[str], axis_name: str, font: QFont) -> None:
    """Give ``plot`` the title ``title_lines`` (10 pt) and the x axis' name ``axis_name``, each broken to the width
    of the plot area (both are centred over it, right of the y axis)."""
    item = plot.getPlotItem()
    room = plot.width() - item.getAxis("left").width() - 2 * TEXT_MARGIN
    title_font = QFont(font)
    title_font.setPointSizeF(10)
    fits_title = QFontMetricsF(title_font)
    lines = wrap_lines(title_lines, lambda line: fits_title.horizontalAdvance(line) <= room)
    item.setTitle("<br>".join(lines), color="#333333", size="10pt")
    # pyqtgraph keeps the title's row 30 pixels high, one line: a second or third ran over the plot's top.
    height = max(30, math.ceil(item.titleLabel.item.boundingRect().height()))
    item.titleLabel.setMaximumHeight(height)
    item.layout.setRowFixedHeight(0, height)
    fits_axis = QFontMetricsF(item.getAxis("bottom").label.font())
    lines = wrap_lines([axis_name], lambda line: fits_axis.horizontalAdvance(line) <= room)
    item.setLabel("bottom", "<br>".join(lines), color="#222222")
    # A plot item once widened by a longer line keeps that width until the view is resized: fit it to the view.
    item.setGeometry(QRectF(plot.range))
