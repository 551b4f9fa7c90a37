"""Swept tubes: the fixed-topology surface every muscle and tendon mesh is made of.

A tube is ``K`` rings of ``M`` vertices each, strung along a centreline, closed by one centre vertex at each end.
The ring count and ring resolution never change with the pose, so the faces are built once and a renderer only
ever updates vertex positions. Everything here is plain numpy and written for whole arrays at once (no per-ring
Python loops on the hot path): posing a muscle is resampling its path, one small matrix product to smooth it, and
a handful of broadcast operations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TubeTopology:
    """Faces of a closed tube of ``rings`` x ``per_ring`` vertices plus two cap centres.

    Vertex order: ring ``i`` vertex ``j`` is ``i * per_ring + j``; then the start cap centre, then the end cap
    centre. Triangles wind outward when each ring runs counter-clockwise seen from the end of the tube (that is,
    the ring's angle increases from the normal ``n`` towards the binormal ``b = t x n``).

    Attributes:
        rings: number of rings along the tube.
        per_ring: vertices per ring.
        faces: ``(2 * per_ring * rings, 3)`` int64 triangles.
    """

    rings: int
    per_ring: int
    faces: np.ndarray

    @property
    def n_vertices(self) -> int:
        return self.rings * self.per_ring + 2

    @classmethod
    def build(cls, rings: int, per_ring: int) -> TubeTopology:
        """The faces for a tube of this size (``rings >= 2``, ``per_ring >= 3``)."""
        if rings < 2 or per_ring < 3:
            raise ValueError("a tube needs at least 2 rings of 3 vertices")
        i = np.arange(rings - 1)[:, None]
        j = np.arange(per_ring)[None, :]
        a = i * per_ring + j
        b = i * per_ring + (j + 1) % per_ring
        c = a + per_ring
        d = b + per_ring
        side = np.concatenate(
            [np.stack([a, b, d], axis=-1).reshape(-1, 3), np.stack([a, d, c], axis=-1).reshape(-1, 3)]
        )
        start = rings * per_ring
        end = start + 1
        ring0 = np.arange(per_ring)
        last = (rings - 1) * per_ring + ring0
        cap0 = np.stack([np.full(per_ring, start), (ring0 + 1) % per_ring, ring0], axis=-1)
        cap1 = np.stack([np.full(per_ring, end), last, (rings - 1) * per_ring + (ring0 + 1) % per_ring], axis=-1)
        faces = np.concatenate([side, cap0, cap1]).astype(np.int64)
        return cls(rings=rings, per_ring=per_ring, faces=faces)


def cumulative_length(points: np.ndarray) -> np.ndarray:
    """Arc length at each vertex of a polyline, starting at 0."""
    steps = np.sqrt(np.sum(np.diff(points, axis=0) ** 2, axis=1))
    return np.concatenate([[0.0], np.cumsum(steps)])


def resample(points: np.ndarray, arc: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Points of the polyline ``points`` (cumulative lengths ``arc``) at arc positions ``at`` (clamped)."""
    out = np.empty((len(at), 3))
    for axis in range(3):
        out[:, axis] = np.interp(at, arc, points[:, axis])
    return out


def smoothing_matrix(arc: np.ndarray, sigma: np.ndarray | float) -> np.ndarray:
    """A ``K x K`` matrix that Gaussian-smooths points sampled at arc positions ``arc``, ends fixed.

    Why this form: the model's paths are polylines with corners at via and wrap points; a swept surface along a
    cornered line creases. Smoothing removes the corners, and doing it as one precomputed matrix makes it a single
    matrix product per pose. The polyline is extended past each end by point reflection (``2 p0 - p_k``), which
    keeps straight ends straight and the end points exactly where they are, so muscles stay attached.

    Args:
        arc: rest arc position of each sample (metres), increasing.
        sigma: kernel width in metres, one value or one per sample (0 leaves a sample unsmoothed).
    """
    k = len(arc)
    sigma = np.broadcast_to(np.asarray(sigma, dtype=float), (k,))
    # Padded samples: reflections of samples 1..k-1 about each end.
    left = 2 * arc[0] - arc[:0:-1]
    right = 2 * arc[-1] - arc[-2::-1]
    padded_arc = np.concatenate([left, arc, right])
    # Each padded sample stands for the arc between its neighbours, so uneven spacing does not bias the mean.
    width = np.gradient(padded_arc)
    smoothed = sigma > 0
    safe = np.where(smoothed, sigma, 1.0)[:, None]
    weights = np.exp(-0.5 * ((padded_arc[None, :] - arc[:, None]) / safe) ** 2) * width
    weights /= weights.sum(axis=1, keepdims=True)
    # The padding as a linear map from the k samples: the reflection of sample j about an end is 2 p_end - p_j.
    # Left pad column r reflects sample k-1-r about sample 0, right pad column r sample k-2-r about sample k-1.
    left, right = weights[:, : k - 1], weights[:, 2 * k - 1 :]
    smooth = weights[:, k - 1 : 2 * k - 1].copy()
    smooth[:, 0] += 2.0 * left.sum(axis=1)
    smooth[:, 1:] -= left[:, ::-1]
    smooth[:, k - 1] += 2.0 * right.sum(axis=1)
    smooth[:, :-1] -= right[:, ::-1]
    smooth[~smoothed] = np.eye(k)[~smoothed]
    smooth[0] = 0.0
    smooth[0, 0] = 1.0
    smooth[-1] = 0.0
    smooth[-1, -1] = 1.0
    return smooth


def tangents(centre: np.ndarray) -> np.ndarray:
    """Unit tangents of a sampled curve by central differences (one-sided at the ends)."""
    diff = np.empty_like(centre)
    diff[1:-1] = centre[2:] - centre[:-2]
    diff[0] = centre[1] - centre[0]
    diff[-1] = centre[-1] - centre[-2]
    return diff / np.linalg.norm(diff, axis=1, keepdims=True)


def ring_spacing(centre: np.ndarray) -> np.ndarray:
    """Length of centreline each ring stands for (half the gaps to its neighbours), for volume sums."""
    gaps = np.sqrt(np.sum(np.diff(centre, axis=0) ** 2, axis=1))
    spacing = np.zeros(len(centre))
    spacing[:-1] += 0.5 * gaps
    spacing[1:] += 0.5 * gaps
    return spacing


def orthonormal_frames(tangent: np.ndarray, reference: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Normals and binormals: ``reference`` made perpendicular to each tangent, and ``t x n``.

    The reference directions come from the bones the muscle lies on (see :mod:`calfviewer.geometry.rig`), so
    a muscle's flat side keeps facing the bone as the joints turn instead of twisting with the path.
    """
    normal = reference - np.sum(reference * tangent, axis=1, keepdims=True) * tangent
    normal /= np.linalg.norm(normal, axis=1, keepdims=True)
    binormal = np.cross(tangent, normal)
    return normal, binormal


def parallel_transport(tangent: np.ndarray, start_normal: np.ndarray, anchor: int) -> np.ndarray:
    """Twist-free normals along a curve, starting from ``start_normal`` at ring ``anchor`` and going both ways.

    Used once per muscle at build time (not per pose) to give every ring a rest normal even where the path turns
    through the anterior-posterior direction, as the deep flexor tendons do under the foot.
    """
    k = len(tangent)
    normals = np.zeros((k, 3))
    n = start_normal - np.dot(start_normal, tangent[anchor]) * tangent[anchor]
    normals[anchor] = n / np.linalg.norm(n)
    for order in (range(anchor + 1, k), range(anchor - 1, -1, -1)):
        previous = anchor
        for i in order:
            normals[i] = _transport(normals[previous], tangent[previous], tangent[i])
            previous = i
    return normals


def _transport(normal: np.ndarray, t0: np.ndarray, t1: np.ndarray) -> np.ndarray:
    """Rotate ``normal`` by the smallest rotation taking ``t0`` to ``t1`` (Rodrigues' formula).

    In plain floats: NumPy's per-call cost on 3-vectors is most of the time of a start-up spent here.
    """
    nx, ny, nz = (float(v) for v in normal)
    ax, ay, az = (float(v) for v in t0)
    bx, by, bz = (float(v) for v in t1)
    kx, ky, kz = ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx
    s = math.sqrt(kx * kx + ky * ky + kz * kz)
    if s >= 1e-12:
        kx, ky, kz = kx / s, ky / s, kz / s
        angle = math.atan2(s, ax * bx + ay * by + az * bz)
        cos, sin = math.cos(angle), math.sin(angle)
        along = (kx * nx + ky * ny + kz * nz) * (1 - cos)
        nx, ny, nz = (
            nx * cos + (ky * nz - kz * ny) * sin + kx * along,
            ny * cos + (kz * nx - kx * nz) * sin + ky * along,
            nz * cos + (kx * ny - ky * nx) * sin + kz * along,
        )
    d = nx * bx + ny * by + nz * bz
    nx, ny, nz = nx - d * bx, ny - d * by, nz - d * bz
    length = math.sqrt(nx * nx + ny * ny + nz * nz)
    return np.array([nx / length, ny / length, nz / length])


def superellipse(per_ring: int, exponent: float) -> tuple[np.ndarray, np.ndarray]:
    """Unit cross-section outline: ``cos`` and ``sin`` raised to ``2 / exponent`` keeping sign.

    Exponent 2 is an ellipse; larger values square the section off, which is how broad flat muscles (the soleus)
    look in cross-section.
    """
    angle = 2 * np.pi * np.arange(per_ring) / per_ring
    c, s = np.cos(angle), np.sin(angle)
    power = 2.0 / exponent
    return np.sign(c) * np.abs(c) ** power, np.sign(s) * np.abs(s) ** power


def signed_polygon_areas(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Shoelace areas of closed polygons given as rows of ``x`` and ``y`` (one polygon per row), positive for those
    wound anticlockwise in (x, y)."""
    return 0.5 * np.sum(x * np.roll(y, -1, axis=1) - np.roll(x, -1, axis=1) * y, axis=1)


def polygon_areas(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Shoelace areas of closed polygons given as rows of ``x`` and ``y`` (one polygon per row), either winding."""
    return np.abs(signed_polygon_areas(x, y))


def signed_volume(vertices: np.ndarray, faces: np.ndarray) -> float:
    """Volume enclosed by a closed, outward-wound triangle mesh (divergence theorem)."""
    a, b, c = vertices[faces[:, 0]], vertices[faces[:, 1]], vertices[faces[:, 2]]
    return float(np.einsum("ij,ij->", a, np.cross(b, c)) / 6.0)


def polygon_centroids(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Area centroids ``(n, 2)`` of closed polygons given as rows of ``x`` and ``y``."""
    xn, yn = np.roll(x, -1, axis=1), np.roll(y, -1, axis=1)
    cross = x * yn - xn * y
    area = 0.5 * np.sum(cross, axis=1)
    safe = np.where(np.abs(area) > 1e-30, area, 1.0)
    cx = np.sum((x + xn) * cross, axis=1) / (6 * safe)
    cy = np.sum((y + yn) * cross, axis=1) / (6 * safe)
    return np.stack([cx, cy], axis=1)


def with_caps(rings: np.ndarray) -> np.ndarray:
    """Tube vertices from ``(K, M, 3)`` rings: the rings, then the two cap centres."""
    k, m, _ = rings.shape
    out = np.empty((k * m + 2, 3))
    out[: k * m] = rings.reshape(-1, 3)
    out[k * m] = rings[0].mean(axis=0)
    out[k * m + 1] = rings[-1].mean(axis=0)
    return out


def smoothstep(x: np.ndarray | float) -> np.ndarray:
    """0 below 0, 1 above 1, smooth in between (arrays or single numbers)."""
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)
