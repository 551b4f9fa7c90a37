"""The colour legend at any picture shape: inside the picture, its text shrunk, or left out with a reason."""

from __future__ import annotations

import numpy as np
import pytest
from vtkmodules.vtkRenderingCore import vtkRenderer

from calfviewer.scene.overlays import Coverage, Legend, text_size

LEGEND_ROWS = [("Bone", (1.0, 1.0, 0.9)), ("Muscle", (0.8, 0.2, 0.2)), ("Tendon", (0.9, 0.9, 0.9)),
               ("Line of action", (0.3, 0.8, 0.9))]  # fmt: skip


@pytest.mark.parametrize(
    ("window", "left_out"),
    [((900, 1200), None), ((300, 400), None), ((130, 1200), None),
     ((64, 1200), "make it wider"), ((1200, 64), "make it taller")],
)  # fmt: skip
def test_the_legend_fits_the_picture_or_is_left_out_with_the_reason(window, left_out):
    """At 64x1200 the legend's names began left of the picture ("ne", "ndon"); at 1200x64 its upper rows were
    above the top. A legend that fits stays inside, its text shrunk (to 11 pixels at least) in a narrow picture."""
    legend = Legend(vtkRenderer(), LEGEND_ROWS, (1.0, 1.0, 1.0))
    legend.layout(window, [name for name, _ in LEGEND_ROWS])
    if left_out is not None:
        assert legend.shown() == () and not legend.text.GetVisibility() and left_out in str(legend.left_out)
        return
    prop = legend.text.GetTextProperty()
    text_width, _ = text_size(prop, "\n".join(name for name, _ in LEGEND_ROWS))
    x, _ = legend.text.GetPosition()
    assert legend.left_out is None and len(legend.shown()) == 4 and legend.text.GetVisibility()
    assert x + text_width <= window[0] and legend.top <= window[1] and prop.GetFontSize() >= 11


def test_a_triangle_large_on_the_screen_covers_the_cells_it_is_drawn_over():
    # A muscle near the camera, large on the screen (the gastrocnemius seen from the front, the knee bent 90), has
    # its vertices cells apart: marked by its vertices, its middle and rims were unmarked and names were written
    # there. Marked by its triangles, every cell a triangle is drawn over counts, and none beside it.
    coverage = Coverage((200, 150), 10.0)
    points = np.array([(15.0, 15.0), (185.0, 15.0), (15.0, 135.0), (5.0, 145.0), (195.0, 147.0)])
    faces = np.array([(0, 1, 2), (3, 4, 4)])  # a wide one, and one a line thin
    coverage.add_triangles(points, faces)
    drawn = np.zeros_like(coverage.grid)  # the cells of a tenth of a pixel's grid of points on the triangles
    a, b = np.meshgrid(np.linspace(0.0, 1.0, 2001), np.linspace(0.0, 1.0, 2001))
    a, b = a[a + b <= 1.0], b[a + b <= 1.0]
    for face in faces:
        p0, p1, p2 = points[face]
        on = p0 + a[:, None] * (p1 - p0) + b[:, None] * (p2 - p0)
        drawn[(on[:, 1] // 10).astype(int), (on[:, 0] // 10).astype(int)] = True
    assert coverage.grid[drawn].all(), "a cell a triangle is drawn over is unmarked"
    assert not coverage.grid[~drawn].any(), "a cell away from the triangles is marked"
