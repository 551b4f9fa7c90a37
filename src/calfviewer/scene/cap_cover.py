"""A section cap's triangles, ready for the question a pick asks of every cap shown: does it cover this point?

Split from ``section_caps.py``: worked out once per cut and asked many times, it is a small piece of arithmetic of
its own. A pick asks every shown cap (a dozen or more with an axial cut), and the labels pick tens of times per
layout (docs/performance.md, "The window with everything on"), so a point outside a cap's box is answered by the
box alone: the barycentric test over all of a cap's triangles cost ~20 microseconds a cap, ~15 ms of a layout's 50
picks where one or two caps are near the point (docs/performance.md, "The first section, and the Section toolbar").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calfviewer.scene.actors import vertex_areas

#: How far outside a cap's box a point may lie and still be tested: a share of the box's diagonal, more than the
#: barycentric test's slack reaches past a triangle (1e-9 of its sides), and metres, far more than the rounding of a
#: point found on the plane (a pick's ray met with it) off the cap's float32 points. An axial cap's box is flat (its
#: points share one height), and a point a rounding error above it is on the plane all the same.
BOX_SLACK = 1e-6
BOX_SLACK_M = 1e-4


@dataclass(frozen=True)
class CapCover:
    """A cap's triangles with what the barycentric test needs of them alone, and the box round them."""

    a: np.ndarray  # (T, 3) first corners
    u: np.ndarray  # (T, 3) second corner - first
    v: np.ndarray  # (T, 3) third corner - first
    uu: np.ndarray
    uv: np.ndarray
    vv: np.ndarray
    det: np.ndarray  # the divisor, 1 where a triangle is degenerate
    ok: np.ndarray  # not degenerate
    area: float  # the cap's whole area (smaller caps win where caps overlap)
    low: np.ndarray  # (3,) the box round the triangles, grown by BOX_SLACK of its diagonal and BOX_SLACK_M
    high: np.ndarray

    @classmethod
    def of(cls, points: np.ndarray, triangles: np.ndarray) -> CapCover:
        a, b, c = (points[triangles[:, i]] for i in range(3))
        u, v = b - a, c - a
        uu, uv, vv = (u * u).sum(1), (u * v).sum(1), (v * v).sum(1)
        det = uu * vv - uv * uv
        ok = np.abs(det) > 1e-30
        area = float(vertex_areas(points, triangles).sum()) if len(triangles) else 0.0
        corners = points[np.unique(triangles)] if len(triangles) else np.zeros((1, 3))
        low, high = corners.min(axis=0), corners.max(axis=0)
        grow = BOX_SLACK * float(np.linalg.norm(high - low)) + BOX_SLACK_M
        return cls(a, u, v, uu, uv, vv, np.where(ok, det, 1.0), ok, area, low - grow, high + grow)

    def covers(self, point: np.ndarray, slack: float = 1e-9) -> bool:
        """Whether ``point`` (lying in the triangles' plane) falls in any of the triangles (barycentric test)."""
        if not len(self.a):
            return False
        x, y, z = point
        low, high = self.low, self.high
        if not (low[0] <= x <= high[0] and low[1] <= y <= high[1] and low[2] <= z <= high[2]):
            return False
        w = point - self.a
        wu, wv = (w * self.u).sum(1), (w * self.v).sum(1)
        s = np.where(self.ok, (self.vv * wu - self.uv * wv) / self.det, -1.0)
        t = np.where(self.ok, (self.uu * wv - self.uv * wu) / self.det, -1.0)
        return bool(np.any((s >= -slack) & (t >= -slack) & (s + t <= 1.0 + slack)))
