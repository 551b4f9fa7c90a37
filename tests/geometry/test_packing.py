"""The packing step's parts on shapes whose answers are known by hand (the packed meshes themselves are measured in
test_anatomy_shapes.py, on the stored meshes)."""

from __future__ import annotations

import numpy as np
import pytest

from calfviewer.geometry.packing import (
    free_distance,
    lipschitz_along,
    lipschitz_cyclic,
    outward_normals,
    pack,
)
from calfviewer.geometry.rig_batch import Frames
from calfviewer.geometry.specs import PackSpec


def _circle(radius: float, n: int = 36, centre=(0.0, 0.0)) -> tuple[np.ndarray, np.ndarray]:
    angle = 2 * np.pi * np.arange(n) / n
    return centre[0] + radius * np.cos(angle), centre[1] + radius * np.sin(angle)


def _square_segments(x0: float, x1: float, y0: float, y1: float) -> np.ndarray:
    corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    return np.stack([corners, np.roll(corners, -1, axis=0)], axis=1)


def test_outward_normals_point_away_from_the_centre_either_winding():
    x, y = _circle(0.01)
    for sx, sy in ((x, y), (x[::-1], y[::-1])):
        normals = outward_normals(sx, sy)
        radial = np.stack([sx, sy], axis=1) / 0.01
        assert np.allclose(np.einsum("ij,ij->i", normals, radial), 1.0, atol=0.02)


def test_free_distance_to_a_square_ahead_behind_and_inside():
    # A square from x = 0.01 to 0.02 (|y| <= 0.005) with a 1 mm margin.
    cut = {"box": (_square_segments(0.01, 0.02, -0.005, 0.005), 0.001)}
    points = np.array([[0.0, 0.0], [0.0, 0.0], [0.012, 0.0], [0.0, 0.001]])
    directions = np.array([[1.0, 0.0], [-1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
    room = free_distance(points, directions, cut)
    assert room[0] == pytest.approx(0.009)  # 10 mm to the face, less the margin
    assert room[1] == np.inf  # looking away: nothing
    assert room[2] == pytest.approx(-0.003)  # 2 mm inside: back out 2 mm and the margin
    assert room[3] == pytest.approx(0.009)


def test_lipschitz_cyclic_cuts_a_spike_to_a_ramp_and_keeps_the_floor():
    values = np.zeros(12)
    values[3] = 10.0
    values[[2, 4]] = 5.0
    out = lipschitz_cyclic(values, np.ones(12), slope=1.0)
    # The zeros either side hold the spike to one slope step a point: 1, 2, 1.
    assert out[2:5] == pytest.approx([1.0, 2.0, 1.0])
    assert np.all(out <= values + 1e-12)
    # Round the loop: the last point is the first's neighbour.
    wrap = lipschitz_cyclic(np.r_[5.0, np.full(10, 5.0), 0.0], np.ones(12), slope=2.0)
    assert wrap[0] == pytest.approx(2.0) and wrap[-2] == pytest.approx(2.0)


def test_lipschitz_along_limits_change_per_metre():
    values = np.array([[0.0], [0.01], [0.01], [0.0]])
    out = lipschitz_along(values, np.array([0.0, 0.004, 0.008, 0.012]), slope=0.5)
    assert out[:, 0] == pytest.approx([0.0, 0.002, 0.002, 0.0])


def _frames(k: int) -> Frames:
    centre = np.stack([np.zeros(k), np.zeros(k), -0.004 * np.arange(k)], axis=1)
    tangent = np.tile([0.0, 0.0, -1.0], (k, 1))
    normal = np.tile([1.0, 0.0, 0.0], (k, 1))
    binormal = np.cross(tangent, normal)
    return Frames(centre, tangent, normal, binormal)


def _tube(k: int, radius: float) -> tuple[Frames, np.ndarray]:
    """``k`` round rings of ``radius`` 4 mm apart down a straight vertical axis: their frames and rings (K x M x 3)."""
    frames = _frames(k)
    x, y = _circle(radius)
    rings = np.stack(
        [frames.centre[i] + x[:, None] * frames.normal[i] + y[:, None] * frames.binormal[i] for i in range(k)]
    )
    return frames, rings


def test_pack_flattens_the_face_on_a_neighbour_and_keeps_the_area():
    import trimesh

    from calfviewer.geometry.clearance import Obstacle

    k = 41
    frames, rings = _tube(k, 0.008)
    x, y = _circle(0.008)
    # A slab 3 mm off the circle on its +normal side, taller than the tube.
    slab = trimesh.creation.box(extents=(0.01, 0.05, 0.4))
    slab.apply_translation((0.008 + 0.003 + 0.005, 0.0, -0.08))
    weights = np.ones(k)
    arc = 0.004 * np.arange(k)
    spec = PackSpec(reach=0.012, slope=1.0, fade=0.01)
    packed = pack(rings, frames, [Obstacle.of("slab", slab, 0.0005)], weights, arc, spec)
    middle = packed[k // 2] - frames.centre[k // 2]
    px, py = middle @ frames.normal[k // 2], middle @ frames.binormal[k // 2]
    area = 0.5 * abs(np.sum(px * np.roll(py, -1) - np.roll(px, -1) * py))
    before = 0.5 * abs(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))
    assert area == pytest.approx(before, rel=1e-3)
    # The face comes onto the slab's margin (0.5 mm off its face at x = 11 mm; a little less along an oblique ray)
    # and stays out of the slab.
    assert 0.0105 - 0.0002 <= px.max() < 0.011, px.max()
    # Flattened there: a round ring's points within 0.5 mm of its front span 5.5 mm across (moved whole, still 5.5);
    # on a flat face they span more.
    face = px > px.max() - 0.0005
    assert np.ptp(py[face]) > 0.007, np.ptp(py[face])
    # The far side came in to give the area back.
    assert px.min() > -0.008


def test_pack_lead_meets_a_neighbour_at_its_end():
    # A tube (radius 8 mm) beside a slab 6 mm off it that covers only its lower half (from ring 20 down). Moving
    # whole towards the slab, limited in slope along the tube (0.4), the rings reach it only a ramp's length below
    # its end; with a lead-in of 16 mm the ramp lies above the end and the ring 2 below it meets the slab.
    import trimesh

    from calfviewer.geometry.clearance import Obstacle

    k = 41
    frames, rings = _tube(k, 0.008)
    slab = trimesh.creation.box(extents=(0.01, 0.05, 0.082))
    slab.apply_translation((0.008 + 0.006 + 0.005, 0.0, -0.08 - 0.041))
    obstacles = [Obstacle.of("slab", slab, 0.0005)]
    arc = 0.004 * np.arange(k)

    def front(lead: float) -> np.ndarray:
        spec = PackSpec(reach=0.004, towards=("slab",), shift=0.01, lead=lead)
        packed = pack(rings, frames, obstacles, np.ones(k), arc, spec)
        return np.einsum("kmj,kj->km", packed - frames.centre[:, None, :], frames.normal).max(axis=1)

    without, led = front(0.0), front(0.016)
    # The slab's face less its margin: 13.5 mm from the axis. Two rings below its end the lead-in meets it.
    assert led[22] == pytest.approx(0.0135, abs=0.0005), led[22]
    assert without[22] < 0.0125, without[22]
    # Above the end the lead-in ring has moved towards it; nothing is ever pressed into the slab.
    assert led[18] > without[18] + 0.002
    assert led[20:].max() < 0.014
