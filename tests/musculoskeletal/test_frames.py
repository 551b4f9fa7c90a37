"""Points and directions between a body's frame and the world (musculoskeletal/frames.py)."""

from __future__ import annotations

import numpy as np

from calfviewer.musculoskeletal.frames import to_body, to_world, turned, turned_back

# A quarter turn about z (x -> y, y -> -x) and a shift of (1, 2, 3) m, written out by hand.
QUARTER = np.array(
    [
        [0.0, -1.0, 0.0, 1.0],
        [1.0, 0.0, 0.0, 2.0],
        [0.0, 0.0, 1.0, 3.0],
        [0.0, 0.0, 0.0, 1.0],
    ]
)


def test_a_point_is_turned_then_shifted():
    assert np.allclose(to_world(QUARTER, [1.0, 0.0, 0.0]), [1.0, 3.0, 3.0])
    assert np.allclose(to_world(QUARTER, [[0.0, 1.0, 0.0], [0.0, 0.0, -1.0]]), [[0.0, 2.0, 3.0], [1.0, 2.0, 2.0]])


def test_a_direction_is_turned_and_never_shifted():
    assert np.allclose(turned(QUARTER, [1.0, 0.0, 0.0]), [0.0, 1.0, 0.0])
    assert np.allclose(turned_back(QUARTER, [0.0, 1.0, 0.0]), [1.0, 0.0, 0.0])


def test_body_and_world_undo_each_other():
    points = np.random.default_rng(3).normal(size=(20, 3))
    assert np.allclose(to_body(QUARTER, to_world(QUARTER, points)), points)
    assert np.allclose(to_world(QUARTER, to_body(QUARTER, points)), points)
    assert np.allclose(turned_back(QUARTER, turned(QUARTER, points)), points)
    assert to_world(QUARTER, points[0]).shape == (3,)
