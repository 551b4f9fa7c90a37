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


def test_a_mesh_whose_sampled_vertices_lie_far_apart_is_covered_between_them():
    # A muscle near the camera, large on the screen, is marked by vertices 4 cells apart (a thousand taken of its
    # many): the cells between them were unmarked beyond the one cell each mark counts for, and a name was written
    # in the middle of the gastrocnemius. Closed, the gaps count; what lies outside the marks does not.
    coverage = Coverage((200, 150), 10.0)
    coverage.add_points(np.array([(x, y) for x in (25.0, 65.0, 105.0) for y in (25.0, 65.0, 105.0)]))
    between = (41.0, 41.0, 49.0, 49.0)  # the cell two cells from each of four marks round it
    assert coverage(between) == 0, "the cell between should be unmarked before: nothing to compare with"
    coverage.close_gaps(2)
    assert coverage(between) > 0
    assert coverage((150.0, 0.0, 200.0, 150.0)) == 0, "nothing marked past the marks"


def test_closing_the_gaps_does_not_shrink_what_runs_off_the_picture():
    coverage = Coverage((100, 100), 10.0)
    coverage.add_box((40.0, 0.0, 60.0, 100.0))  # a leg from the bottom edge to the top
    before = coverage.grid.copy()
    coverage.close_gaps(2)
    assert (coverage.grid == before).all()
