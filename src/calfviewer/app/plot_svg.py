"""The Mechanics plot as an SVG drawing that other programs draw as the window does.

Why pyqtgraph's SVG exporter, not Qt's ``QSvgGenerator`` on the plot's scene: Qt writes each item under its own
scaling transform with ``vector-effect="non-scaling-stroke"`` for the plot's cosmetic pens, and renderers that do
not apply that (librsvg, which GNOME and many converters use, and Qt's own ``QSvgRenderer``) drew the curves as
bands several times their width with their dashes stretched, the pose line as a thick bar, and the grid out of line
with the axes. pyqtgraph's exporter writes every item's coordinates through its transforms, so the strokes keep
their widths in any renderer.

pyqtgraph 0.14.0's exporter cannot read a path that Qt 6.11 ends with a close command ("... L0,0 Z"): it fails on
every plot (pyqtgraph issue #3495, fixed by its pull request #3458 after 0.14.0). :func:`plot_svg` lifts the close
commands out of each path while the exporter rewrites the coordinates and puts them back where they were; with a
pyqtgraph that reads them itself, this changes nothing.
"""

from __future__ import annotations

import contextlib
import importlib
import xml.dom.minidom
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import escape

import pyqtgraph as pg
import pyqtgraph.exporters

#: The exporter's module (``pyqtgraph.exporters.SVGExporter`` is also the name of its class, which shadows it).
_SVG_MODULE: Any = importlib.import_module("pyqtgraph.exporters.SVGExporter")
#: The title pyqtgraph writes into every drawing, replaced by the plot's own.
_PYQTGRAPH_TITLE = "<title>pyqtgraph SVG export</title>"


def plot_svg(item: pg.PlotItem, title: str) -> bytes:
    """``item`` drawn as SVG (UTF-8), with ``title`` as the drawing's title."""
    exporter = pg.exporters.SVGExporter(item)
    with _close_commands_kept():
        text = exporter.export(toBytes=True).decode("utf-8")
    return text.replace(_PYQTGRAPH_TITLE, f"<title>{escape(title)}</title>", 1).encode("utf-8")


@contextlib.contextmanager
def _close_commands_kept() -> Iterator[None]:
    """Within the block, the exporter's coordinate rewriting sees paths without their "Z" tokens, which are put back
    after the token they followed (it rewrites one token for each it reads, in order)."""
    rewrite = _SVG_MODULE.correctCoordinates

    def without_close_commands(node: xml.dom.minidom.Element, *args: Any, **kwargs: Any) -> Any:
        closed: list[tuple[xml.dom.minidom.Element, list[int]]] = []
        for path in node.getElementsByTagName("path"):
            tokens = path.getAttribute("d").split()
            if "Z" in tokens:
                after = [index - 1 - k for k, index in enumerate(i for i, t in enumerate(tokens) if t == "Z")]
                closed.append((path, after))
                path.setAttribute("d", " ".join(t for t in tokens if t != "Z"))
        result = rewrite(node, *args, **kwargs)
        for path, after in closed:
            tokens = path.getAttribute("d").split()
            for index in reversed(after):
                tokens.insert(index + 1, "Z")
            path.setAttribute("d", " ".join(tokens))
        return result

    _SVG_MODULE.correctCoordinates = without_close_commands
    try:
        yield
    finally:
        _SVG_MODULE.correctCoordinates = rewrite
