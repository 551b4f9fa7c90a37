"""Where a straight line segment crosses a triangle mesh, for meshes that move every frame.

Why not a spatial index: picking muscles that deform with every pose would need their index rebuilt after each
pose change, and rebuilding VTK's cell locators for the calf's nine soft meshes (51,504 triangles) costs 7-8 ms on
this machine, over the whole pick budget. One vectorised pass over the triangles costs well under a millisecond
and needs nothing kept between poses (measured in benchmarks/run.py, "pick, first after a pose change").
"""

from __future__ import annotations

import numpy as np


def ray_crossings(
    points: np.ndarray, faces: np.ndarray, near: np.ndarray, far: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The triangles the segment ``near``-``far`` passes through, and how far along it each is crossed.

    Returns ``(face indices, fractions)``: the fraction is 0 at ``near`` and 1 at ``far``; either side of a
    triangle counts. A segment through an edge or a vertex crosses every triangle that shares it. Faces in
    column-major order (``np.asfortranarray``) are read fastest.

    How: project the vertices onto the plane across the segment, with the segment at the origin. A triangle is
    crossed where its projection contains the origin. A triangle's vertices must lie on both sides of both axes
    for that, and bit codes find those few candidates in one pass; the exact test and the depth (barycentric,
    from the signed areas of the three sub-triangles) are then worked out for the candidates alone.
    """
    points = np.asarray(points, dtype=float)
    faces = np.asarray(faces)
    near = np.asarray(near, dtype=float)
    segment = np.asarray(far, dtype=float) - near
    length = float(np.sqrt(segment @ segment))
    if length == 0.0 or not len(faces):
        return np.zeros(0, dtype=int), np.zeros(0)
    along = segment / length
    helper = np.array([1.0, 0.0, 0.0]) if abs(along[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    across = _cross(along, helper)
    across /= np.sqrt(across @ across)
    up = _cross(along, across)
    u = points @ across - near @ across
    v = points @ up - near @ up
    side = (u > 0).view(np.uint8) | ((v > 0).view(np.uint8) << 1)
    a, b, c = side.take(faces[:, 0]), side.take(faces[:, 1]), side.take(faces[:, 2])
    candidates = np.flatnonzero(((a | b | c) & ~(a & b & c)) == 3)
    if not len(candidates):
        return np.zeros(0, dtype=int), np.zeros(0)
    corners = faces[candidates]
    cu, cv = u[corners], v[corners]  # (C, 3) each
    # Twice the signed area of (origin, next corner, corner after): each corner's barycentric weight, unnormalised.
    weights = cu[:, [1, 2, 0]] * cv[:, [2, 0, 1]] - cv[:, [1, 2, 0]] * cu[:, [2, 0, 1]]
    total = weights.sum(axis=1)
    inside = (np.all(weights >= 0, axis=1) | np.all(weights <= 0, axis=1)) & (total != 0)
    if not inside.any():
        return np.zeros(0, dtype=int), np.zeros(0)
    depth = (points[corners[inside]] - near) @ along  # (H, 3): each corner's distance along the segment
    fraction = np.einsum("hk,hk->h", weights[inside], depth) / total[inside] / length
    within = (fraction >= 0.0) & (fraction <= 1.0)
    return candidates[inside][within], fraction[within]


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The cross product of two 3-vectors, as ``np.cross`` computes it (the same products and differences), without
    its general-shape set-up, which cost more than the rest of a pick's per-ray work (the labels pick tens of times
    per frame)."""
    return np.array([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]])
