"""Attachment patches with smooth outlines, cut from the bone's surface along a smoothed edge.

Why: a footprint is a set of the bone's own triangles (:mod:`calfviewer.geometry.footprints` grows it over the
surface until it has the attachment's area), so drawn as they are its edge follows the triangles and shows as a
saw-tooth at any close view. Here each bone vertex near the patch gets the share of its triangles that belong to
it (1 inside, 0 outside, between on the edge), that share is averaged with its neighbours' a few times (a low-pass
along the surface), and the surface is cut along where it is one half (VTK's scalar clip, which cuts through
triangles) where it is :data:`CUT_AT`: the outline runs where the triangles' edge did, on average, without the
teeth, and the patch still lies on the bone.
"""

from __future__ import annotations

import numpy as np
import pyvista as pv

SMOOTHING_ROUNDS = 4
"""Averaging passes over the vertex shares: each reaches one ring of triangles further along the surface, so four
smooth out teeth a few triangles wide while the patch keeps its shape."""

REACH = 0.015
"""Metres around the patch's bounding box within which the bone's triangles are looked at."""

CUT_AT = 0.45
"""The share at which the surface is cut: a little under one half, because the averaging takes more off a narrow
strip's middle (the soleal line's origin is ~1 cm wide) than it adds elsewhere. Measured over the 43 stored
footprints, the cut patches have 0.84-1.03 of their triangles' area (median 1.015); at one half, 0.72-1.00."""


def smooth_patch(
    vertices: np.ndarray, faces: np.ndarray, patch_faces: np.ndarray, lift: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Vertices and triangles of the patch ``patch_faces`` (indices into ``faces``) of the surface ``vertices``,
    ``faces``, its outline smoothed; each vertex moved by ``lift`` (one vector per surface vertex: off the bone)."""
    faces = np.asarray(faces, dtype=np.int64)
    patch_faces = np.asarray(patch_faces, dtype=np.int64)
    # Only the bone's triangles in a box around the patch take part (a femur has 58,000): the smoothing reaches a few
    # rings of triangles, well within REACH.
    corners = np.asarray(vertices)[faces[patch_faces].ravel()]
    box = ((vertices >= corners.min(axis=0) - REACH) & (vertices <= corners.max(axis=0) + REACH)).all(axis=1)
    nearby = np.flatnonzero(box[faces].all(axis=1))
    inside = np.isin(nearby, patch_faces)
    faces = faces[nearby]
    count = len(vertices)
    incident = np.bincount(faces.ravel(), minlength=count).astype(float)
    share = np.bincount(faces[inside].ravel(), minlength=count) / np.maximum(incident, 1.0)
    # The triangles within reach of the smoothing: the patch grown by one ring per round, plus one.
    near = share > 0
    for _ in range(SMOOTHING_ROUNDS + 1):
        near = near.copy()
        near[faces[near[faces].any(axis=1)].ravel()] = True
    region = faces[near[faces].all(axis=1)]
    used = np.flatnonzero(near)
    lookup = np.zeros(count, dtype=np.int64)
    lookup[used] = np.arange(len(used))
    local = lookup[region]
    # Each vertex averaged with the other two corners of each of its triangles (an edge shared by two triangles
    # counts twice, alike for every vertex, so the average is the umbrella average).
    degree = 2.0 * np.bincount(local.ravel(), minlength=len(used))
    value = share[used]
    for _ in range(SMOOTHING_ROUNDS):
        corners = value[local]
        total = np.bincount(
            local.ravel(), weights=(corners.sum(axis=1, keepdims=True) - corners).ravel(), minlength=len(used)
        )
        value = 0.5 * value + 0.5 * total / np.maximum(degree, 1.0)
    cells = np.hstack([np.full((len(local), 1), 3), local]).ravel()
    surface = pv.PolyData(np.asarray(vertices, dtype=float)[used] + lift[used], cells)
    surface.point_data["share"] = value
    cut = surface.clip_scalar(scalars="share", value=CUT_AT, invert=False).triangulate()
    return np.asarray(cut.points), np.asarray(cut.regular_faces)
