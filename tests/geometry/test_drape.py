"""Laying rings onto what lies beneath them (geometry/drape.py), on a ring and a block of known answer."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from calfviewer.geometry.clearance import Obstacle
from calfviewer.geometry.drape import drape
from calfviewer.geometry.rig_batch import Frames
from calfviewer.geometry.specs import DrapeSpec

RINGS, PER_RING = 5, 72


def _rings() -> tuple[np.ndarray, Frames]:
    """Horizontal elliptic rings 60 mm wide (x) and 20 mm thick (y, posterior), their fronts at y = 30 mm."""
    angle = np.linspace(0.0, 2.0 * np.pi, PER_RING, endpoint=False)
    z = np.linspace(-0.02, 0.02, RINGS)
    ring = np.stack([0.030 * np.cos(angle), 0.040 + 0.010 * np.sin(angle)], axis=1)
    rings = np.concatenate([np.repeat(ring[None], RINGS, axis=0), np.repeat(z[:, None, None], PER_RING, 1)], axis=2)
    unit = np.eye(3)
    frames = Frames(
        centre=np.stack([np.zeros(RINGS), np.zeros(RINGS), z], axis=1),
        tangent=np.repeat(unit[2][None], RINGS, axis=0),
        normal=np.repeat(unit[1][None], RINGS, axis=0),
        binormal=np.repeat(unit[0][None], RINGS, axis=0),
    )
    return rings, frames


def _box(margin: float = 0.001) -> Obstacle:
    """A block 20 mm wide (x -10..10 mm) whose back is at y = 10 mm, through the whole height of the rings."""
    box = trimesh.creation.box(bounds=[[-0.010, -0.020, -0.1], [0.010, 0.010, 0.1]])
    return Obstacle.of("block", box, margin)


def _area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * abs(float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)))


def test_the_rings_come_forward_onto_the_block_and_keep_their_area():
    rings, frames = _rings()
    moved = drape(rings, frames, [_box()], np.ones(RINGS), DrapeSpec(reach=0.05, slope=0.8, shear=0.5))
    middle = RINGS // 2
    front = moved[middle][np.abs(moved[middle][:, 0]) < 0.002][:, 1].min()
    # The block's back (10 mm) plus its margin (1 mm): the front was at 30 mm.
    assert front == pytest.approx(0.011, abs=3e-4)
    # Whole columns move: every ring keeps its area (moving columns is a shear), and nothing moves along the muscle
    # or sideways.
    for before, after in zip(rings, moved, strict=True):
        assert _area(after) == pytest.approx(_area(before), rel=1e-9)
    assert np.array_equal(moved[..., [0, 2]], rings[..., [0, 2]])
    # Nothing ends inside the block or its margin.
    inside = (np.abs(moved[..., 0]) < 0.010) & (moved[..., 1] < 0.011 - 1e-4)
    assert not inside.any()


def test_no_column_moves_further_than_the_reach_or_backwards():
    rings, frames = _rings()
    moved = drape(rings, frames, [_box()], np.ones(RINGS), DrapeSpec(reach=0.005))
    shift = moved[..., 1] - rings[..., 1]
    assert shift.min() == pytest.approx(-0.005, abs=1e-9)
    assert shift.max() <= 0.0


def test_a_ring_weighted_zero_stays_where_it_was():
    rings, frames = _rings()
    weights = np.ones(RINGS)
    weights[0] = 0.0
    moved = drape(rings, frames, [_box()], weights, DrapeSpec(reach=0.05))
    assert np.array_equal(moved[0], rings[0])
    assert (moved[1:, :, 1] < rings[1:, :, 1] - 1e-3).any()


def test_nothing_beneath_moves_nothing():
    rings, frames = _rings()
    far = Obstacle.of("far below", trimesh.creation.box(bounds=[[-0.01, -0.02, -0.1], [0.01, 0.01, -0.09]]))
    moved = drape(rings, frames, [far], np.ones(RINGS), DrapeSpec(reach=0.05))
    assert np.array_equal(moved, rings)
