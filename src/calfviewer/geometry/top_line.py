"""A belly's top brought down to a line on the bone, at build time: the soleus's top along the soleal line.

Why: a swept muscle's rings stand square to its path. The soleus's path leaves the fibular head running down and
medially, so its rings tilt the other way: each ring's medial edge stands higher than its middle, and the muscle's
top ran straight across the back of the tibia, 5.4-6.5 cm below the tibia's top from its lateral edge to its
medial one, over the lower part of popliteus. The real top is oblique: the soleus arises from the back of the
fibular head and, medially, from the soleal line, which runs down and medially from behind the tibia's facet for
the fibula; popliteus fills the triangle above that line (Gray's Anatomy, 1918, p. 258; Standring, Gray's Anatomy
42e, leg).

How: in the frame of the bone that carries the line (the tibia's; its ``y`` runs up the leg, its ``z`` across it),
wherever the muscle's top stands above the line, the column from ``depth`` metres below the line up to the top is
squeezed, so the top comes down onto the line and nothing further down moves. The map moves points straight down
the bone's long axis, by an amount that grows smoothly with height in each column and changes smoothly across, so
it cannot fold the surface or crease it where the squeeze begins; the mesh keeps its topology. The muscle loses
the flesh that stood above the line (the design's regrowing step comes before this one and is not repeated: the
volume the build records is the mesh's own).
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter1d, maximum_filter1d

from calfviewer.geometry import sweep
from calfviewer.geometry.specs import TopLine
from calfviewer.musculoskeletal.frames import to_body, to_world

_BIN = 0.002
"""Width (m) of the columns across the bone in which the muscle's current top is found."""


def lowered_top(vertices: np.ndarray, body: np.ndarray, line: TopLine, side_sign: float = 1.0) -> np.ndarray:
    """``vertices`` (world, ``N x 3``) with the muscle's top brought down onto ``line``.

    Args:
        vertices: the muscle's rest mesh, world coordinates.
        body: the world transform (4 x 4) of ``line.body`` at rest.
        line: the line and how deep below it the squeeze reaches.
        side_sign: +1 for the right leg, -1 for the left (the line's points are the right leg's).
    """
    points = to_body(body, vertices)
    across, up = side_sign * points[:, 2], points[:, 1]
    knots = np.asarray(line.points, dtype=float)
    order = np.argsort(knots[:, 0])
    # The line is known between its points; beyond them its height is held (carried on, it would cut the muscle's
    # rounded edges).
    limit = np.interp(across, knots[order, 0], knots[order, 1])
    bins = np.floor((across - across.min()) / _BIN).astype(int)
    highest = np.full(bins.max() + 1, -np.inf)
    np.maximum.at(highest, bins, up)
    filled = np.isfinite(highest)
    centres = across.min() + (np.arange(len(highest)) + 0.5) * _BIN
    highest = np.interp(centres, centres[filled], highest[filled])
    # The top a column could reach: the highest nearby, made smooth, so the squeeze changes gently across the bone.
    highest = gaussian_filter1d(maximum_filter1d(highest, size=5, mode="nearest"), sigma=2.0, mode="nearest")
    top = np.interp(across, centres, highest)
    excess = np.maximum(top - limit, 0.0)
    floor = limit - line.depth
    # Each point moves down by the column's excess times a smoothstep of its height between the floor and the
    # column's top: nothing moves at the floor, and the squeeze starts there without a crease; the top lands on the
    # line. The steepest squeeze, 1.5 excess over (depth + excess), keeps the order of heights while the excess is
    # under twice the depth.
    points[:, 1] = up - excess * sweep.smoothstep((up - floor) / np.maximum(top - floor, 1e-9))
    return to_world(body, points)
