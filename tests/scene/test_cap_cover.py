"""A cap's cover: the box round its triangles answers for points far from it, and never where the triangles would
say yes."""

from __future__ import annotations

import numpy as np

from calfviewer.scene.cap_cover import CapCover

#: A square cap 0.1 mm across (the end of a muscle belly the plane just grazes) at the height of an axial cut
#: through the calf, world metres, in two triangles, as float32 points like a cap's.
SIDE = 1e-4
HEIGHT = -0.7261251
SQUARE = np.array([[0.0, 0.0, HEIGHT], [SIDE, 0.0, HEIGHT], [SIDE, SIDE, HEIGHT], [0.0, SIDE, HEIGHT]])
TRIANGLES = np.array([[0, 1, 2], [0, 2, 3]])


def test_a_point_on_a_flat_cap_a_rounding_error_off_its_height_is_covered():
    """An axial cap's points share one height, so its box has no depth; a pick's point on the plane comes from a ray
    met with it in float64, a rounding error above or below. The box let such points through: the first version
    did not, and a click on the lateral head of gastrocnemius picked the soleus beside it
    (``test_a_click_on_a_cap_picks_the_structure_cut_there``)."""
    cover = CapCover.of(SQUARE.astype(np.float32), TRIANGLES)
    for dz in (-3e-8, 0.0, 3e-8, 1e-6):
        assert cover.covers(np.array([SIDE / 2, SIDE / 3, HEIGHT + dz]))


def test_the_box_gives_the_triangles_answer_near_and_far():
    cover = CapCover.of(SQUARE.astype(np.float32), TRIANGLES)
    rng = np.random.default_rng(3)
    for x, y in rng.uniform(-SIDE / 2, 1.5 * SIDE, size=(400, 2)):
        inside = 0.0 <= x <= SIDE and 0.0 <= y <= SIDE
        if min(abs(x), abs(x - SIDE), abs(y), abs(y - SIDE)) > 1e-3 * SIDE:  # not on an edge, where rounding decides
            assert cover.covers(np.array([x, y, HEIGHT])) == inside
    assert not cover.covers(np.array([0.05, 0.05, HEIGHT]))  # far outside: the box alone says no
    assert not CapCover.of(np.zeros((0, 3)), np.zeros((0, 3), dtype=int)).covers(np.zeros(3))
