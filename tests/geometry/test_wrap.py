"""Wrapping a ring round what lies beneath it (geometry/wrap.py), on blocks whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from calfviewer.geometry.clearance import Obstacle
from calfviewer.geometry.rig_batch import Frames
from calfviewer.geometry.specs import WrapSpec
from calfviewer.geometry.wrap import outer_radius, sections, wrap

RINGS, PER_RING = 5, 36
SPEC = WrapSpec(edges=("flexor",))


def _frames() -> Frames:
    """Horizontal rings (normal +y posterior, binormal +x medial) at heights -20..20 mm."""
    z = np.linspace(-0.02, 0.02, RINGS)
    unit = np.eye(3)
    return Frames(
        centre=np.stack([np.zeros(RINGS), np.zeros(RINGS), z], axis=1),
        tangent=np.repeat(unit[2][None], RINGS, axis=0),
        normal=np.repeat(unit[1][None], RINGS, axis=0),
        binormal=np.repeat(unit[0][None], RINGS, axis=0),
    )


def _rings(frames: Frames) -> np.ndarray:
    """Elliptic rings 60 mm wide and 20 mm thick, 40 mm behind the centre line, as a designed section is."""
    angle = 2.0 * np.pi * np.arange(PER_RING) / PER_RING
    x, y = 0.040 + 0.010 * np.cos(angle), 0.030 * np.sin(angle)  # vertex 0 on the back, a quarter round medially
    return (
        frames.centre[:, None, :]
        + x[None, :, None] * frames.normal[:, None, :]
        + y[None, :, None] * np.array([1.0, 0.0, 0.0])
    )


def _block(name: str, low: tuple[float, float], high: tuple[float, float], margin: float = 0.001) -> Obstacle:
    """A block from ``low`` to ``high`` (x medial, y posterior; metres) through the whole height of the rings."""
    box = trimesh.creation.box(bounds=[[low[0], low[1], -0.1], [high[0], high[1], 0.1]])
    return Obstacle.of(name, box, margin)


def _obstacles() -> list[Obstacle]:
    # A "tibia" medially in front, a "fibula" laterally behind it, and a deep muscle between and behind them.
    return [
        _block("tibia", (-0.005, -0.020), (0.015, 0.000)),
        _block("fibula", (-0.025, 0.005), (-0.015, 0.020)),
        _block("flexor", (-0.012, 0.002), (0.008, 0.022)),
    ]


def _area(points: np.ndarray) -> float:
    x, y = points[:, 0], points[:, 1]
    return 0.5 * abs(float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)))


def test_each_ring_keeps_its_area_and_lies_outside_what_it_is_wrapped_round():
    frames = _frames()
    rings = _rings(frames)
    wrapped = wrap(rings, frames, _obstacles(), np.ones(RINGS), np.zeros(RINGS), SPEC)
    for before, after in zip(rings, wrapped, strict=True):
        assert _area(after) == pytest.approx(_area(before), rel=1e-6)
    # Every vertex lies outside every block (by at least its margin, less a little for the smoothing).
    for low, high in (((-0.005, -0.020), (0.015, 0.000)), ((-0.025, 0.005), (-0.015, 0.020))):
        inside = np.all((wrapped[..., :2] > np.array(low) - 5e-4) & (wrapped[..., :2] < np.array(high) + 5e-4), axis=2)
        assert not inside.any()
    flexor = np.all((wrapped[..., :2] > np.array([-0.012, 0.002])) & (wrapped[..., :2] < np.array([0.008, 0.022])), 2)
    assert not flexor.any()
    # It lies on the deep muscle's back: the front of the middle of the sheet is the block's back plus margin and gap.
    middle = wrapped[RINGS // 2]
    front = middle[np.abs(middle[:, 0]) < 0.004][:, 1].min()
    assert front == pytest.approx(0.022 + 0.001 + SPEC.gap, abs=1.5e-3)


def test_attached_rings_reach_round_to_the_tibias_medial_border():
    frames = _frames()
    rings = _rings(frames)
    free = wrap(rings, frames, _obstacles(), np.ones(RINGS), np.zeros(RINGS), SPEC)
    attached = wrap(rings, frames, _obstacles(), np.ones(RINGS), np.ones(RINGS), SPEC)
    # The medial edge (vertex a quarter round): beside the deep muscle when free, at the tibia's medial border
    # (x 15 mm, y -20..0 mm) when attached.
    edge_free, edge_attached = free[RINGS // 2, PER_RING // 4], attached[RINGS // 2, PER_RING // 4]
    assert edge_free[1] > 0.0
    assert edge_attached[1] < edge_free[1] - 0.005
    assert edge_attached[0] > 0.012


def test_rings_weighted_zero_or_without_the_bones_stay_as_designed():
    frames = _frames()
    rings = _rings(frames)
    weights = np.ones(RINGS)
    weights[0] = 0.0
    wrapped = wrap(rings, frames, _obstacles(), weights, np.zeros(RINGS), SPEC)
    assert np.array_equal(wrapped[0], rings[0])
    no_fibula = [o for o in _obstacles() if o.name != "fibula"]
    assert np.array_equal(wrap(rings, frames, no_fibula, np.ones(RINGS), np.zeros(RINGS), SPEC), rings)


def test_outer_radius_is_the_farthest_crossing_plus_the_margin():
    frames = _frames()
    cut = sections([_block("square", (-0.01, -0.01), (0.01, 0.01), margin=0.002)], frames, RINGS // 2)
    angles = np.array([0.0, np.pi / 2, np.pi / 4])
    # Straight back and straight medially: 10 mm to the face; diagonally: to the corner; each plus 2 mm.
    assert outer_radius(cut, np.zeros(2), angles) == pytest.approx([0.012, 0.012, 0.01 * np.sqrt(2) + 0.002])
