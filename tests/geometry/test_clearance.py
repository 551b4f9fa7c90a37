"""The push envelope (:func:`calfviewer.geometry.clearance.smooth_envelope`) on made-up moves along a tube."""

from __future__ import annotations

import numpy as np
import pytest

from calfviewer.geometry.clearance import smooth_envelope


def _shoulder(k: int = 80) -> np.ndarray:
    """Moves (K x 3) straight back: 16 mm over the first half, then falling steeply to 9 mm and on gently."""
    size = np.where(np.arange(k) < 40, 0.016, 0.016 - 0.0025 * (np.arange(k) - 39))
    size = np.maximum(size, 0.009 - 0.0001 * np.clip(np.arange(k) - 43, 0, None))
    moves = np.zeros((k, 3))
    moves[:, 1] = size
    return moves


def _largest_bend(sizes: np.ndarray, lo: int, hi: int) -> float:
    return float(np.abs(np.diff(sizes[lo:hi], 2)).max())


@pytest.mark.parametrize("shoulders", [False, True])
def test_no_ring_moves_less_than_it_needed(shoulders):
    moves = _shoulder()
    out = smooth_envelope(moves, 21, shoulders=shoulders)
    assert np.all(np.linalg.norm(out, axis=1) >= np.linalg.norm(moves, axis=1) - 1e-12)


def test_rounded_shoulders_leave_no_corner():
    # The corner where the moves fall off (rings 39-43) bends the plain envelope by as much as the moves themselves
    # (a band across the belly); rounded, the bend is spread over the window.
    moves = _shoulder()
    sizes = np.linalg.norm(moves, axis=1)
    plain = np.linalg.norm(smooth_envelope(moves, 21), axis=1)
    rounded = np.linalg.norm(smooth_envelope(moves, 21, shoulders=True), axis=1)
    assert _largest_bend(plain, 30, 55) > 0.5 * _largest_bend(sizes, 30, 55)
    assert _largest_bend(rounded, 30, 55) < 0.25 * _largest_bend(sizes, 30, 55)


def test_the_end_rings_keep_their_moves():
    moves = _shoulder()
    out = smooth_envelope(moves, 21, shoulders=True)
    np.testing.assert_allclose(out[[0, -1]], moves[[0, -1]])
