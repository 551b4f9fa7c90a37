"""The soleus wrapped round the deep compartment, at build time: a curved sheet on the deep flexors, not a slab behind.

Why: sized to its volume and pushed clear of the deep flexors, the soleus was a thick flat slab (40 mm thick at
mid-calf) standing behind the most posterior of them, with 2-3 cm of empty room in front of it over tibialis
posterior and flexor digitorum longus, and the deep group showing between it and the tibia in a medial view. The
soleus of an atlas or an axial MRI of the mid-calf is a crescent 2-3 cm thick lying on the deep transverse fascia
over the whole deep group, from the fibula laterally round to the medial border of the tibia, from whose middle third
it arises (Gray's Anatomy 42e, leg; the reference's mid-calf level). That is the shape built here.

How, ring by ring in each ring's own plane (x along the ring normal, posterior; y along the binormal, medial on the
right leg, the leg the meshes are built for):

1. **What lies beneath**: the sections of the deeper muscles and the bones, each grown by its clearance margin.
   Seen from their common centre, the outermost crossing in each direction is the surface the soleus lies on
   (:func:`outer_radius`); grooves narrower than :attr:`~calfviewer.geometry.specs.WrapSpec.valley` are bridged
   (the posterior tibial vessels and the tibial nerve run in the one between the deep flexors) and the surface is
   smoothed.
2. **The sheet**: from the fibula's posterolateral edge (where the posterior intermuscular septum parts it from
   the fibulares) round the back to the deep group's medial edge, or, where the soleus
   arises from the tibia's medial border, to that border. Its thickness is full across the middle and rounds off at
   the edges; its size is solved so the ring keeps its area, so the muscle keeps its volume and its belly's profile
   along the leg.
3. **Smooth along the muscle**, and blended into the designed rings towards the ends of the belly, where the soleus
   arises from the fibula above and narrows into the calcaneal tendon below.

The ring keeps its vertex count and its order (vertex 0 on the back, a quarter round at the medial edge, as in
:mod:`calfviewer.geometry.shaping`'s sections), so it binds to the rig like any designed ring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import trimesh
from scipy.ndimage import gaussian_filter1d, maximum_filter1d

from calfviewer.geometry import sweep
from calfviewer.geometry.clearance import Obstacle
from calfviewer.geometry.rig_batch import Frames
from calfviewer.geometry.specs import WrapSpec

#: Sections in a ring's plane: name -> ``(segments (S, 2, 2) in ring coordinates, margin)``.
Sections = dict[str, tuple[np.ndarray, float]]


def wrap(
    rings: np.ndarray,
    frames: Frames,
    obstacles: Sequence[Obstacle],
    weights: np.ndarray,
    attach: np.ndarray,
    spec: WrapSpec,
) -> np.ndarray:
    """``rings`` (K x M x 3, world) wrapped round ``obstacles`` as ``weights`` (K, 0..1) say, each keeping its area.

    ``attach`` (K, 0..1): how far each ring's medial edge reaches round to the medial border of the first of
    :attr:`WrapSpec.bones` (the tibia) beyond the medial edge of :attr:`WrapSpec.edges` (the deep flexors). The
    second bone (the fibula) sets the lateral edge. Rings where a bone or all those muscles are not cut are left as
    they are.
    """
    k = len(rings)
    offsets = rings - frames.centre[:, None, :]
    x = np.einsum("kmj,kj->km", offsets, frames.normal)
    y = np.einsum("kmj,kj->km", offsets, frames.binormal)
    new_x, new_y = x.copy(), y.copy()
    origins = np.zeros((k, 2))
    done = np.zeros(k, dtype=bool)
    slack = dict(spec.slack)
    for i in (int(i) for i in np.flatnonzero(weights > 0)):
        shell = wrap_ring(x[i], y[i], sections(obstacles, frames, i, slack), float(attach[i]), spec)
        if shell is not None:
            new_x[i], new_y[i], origins[i] = shell
            done[i] = True
    if not done.any():
        return rings
    # Smooth along the muscle over the wrapped rings only (the others keep their designed outline).
    span = np.flatnonzero(done)
    run = slice(int(span[0]), int(span[-1]) + 1)
    new_x[run] = gaussian_filter1d(new_x[run], spec.along, axis=0, mode="nearest")
    new_y[run] = gaussian_filter1d(new_y[run], spec.along, axis=0, mode="nearest")
    # Blend round the compartment's centre (angle and distance), not in a straight line: a straight blend would
    # carry a wrapped edge through the deep muscles it goes round.
    w = (weights * done)[:, None]
    ox, oy = origins[:, :1], origins[:, 1:]
    angle = (1.0 - w) * np.arctan2(y - oy, x - ox) + w * np.arctan2(new_y - oy, new_x - ox)
    radius = (1.0 - w) * np.hypot(x - ox, y - oy) + w * np.hypot(new_x - ox, new_y - oy)
    x = np.where(done[:, None], ox + radius * np.cos(angle), x)
    y = np.where(done[:, None], oy + radius * np.sin(angle), y)
    normal, binormal = frames.normal[:, None, :], frames.binormal[:, None, :]
    return frames.centre[:, None, :] + x[..., None] * normal + y[..., None] * binormal


def sections(
    obstacles: Sequence[Obstacle], frames: Frames, ring: int, slack: Mapping[str, float] | None = None
) -> Sections:
    """Where ``obstacles`` cut ring ``ring``'s plane, in its coordinates (those masked off for the ring left out),
    each with its margin less its ``slack`` (:attr:`WrapSpec.slack`), if any."""
    centre, normal, binormal = frames.centre[ring], frames.normal[ring], frames.binormal[ring]
    out: Sections = {}
    for obstacle in obstacles:
        if obstacle.rings is not None and not obstacle.rings[ring]:
            continue
        segments = trimesh.intersections.mesh_plane(obstacle.surface.mesh, frames.tangent[ring], centre)
        if len(segments):
            offsets = segments - centre
            margin = obstacle.margin - (slack or {}).get(obstacle.name, 0.0)
            out[obstacle.name] = (np.stack([offsets @ normal, offsets @ binormal], axis=-1), margin)
    return out


def outer_radius(cut: Sections, origin: np.ndarray, angles: np.ndarray) -> np.ndarray:
    """Distance from ``origin`` to the outermost crossing of any section (plus its margin) in each direction
    (angle from the ring normal towards the binormal); NaN where a direction meets nothing."""
    directions = np.stack([np.cos(angles), np.sin(angles)], axis=1)[:, None, :]  # (A, 1, 2)
    radius = np.full(len(angles), np.nan)
    for segments, margin in cut.values():
        start = segments[:, 0] - origin  # (S, 2)
        edge = segments[:, 1] - segments[:, 0]
        # start + t edge = s direction: solve by 2-D cross products.
        denominator = edge[None, :, 0] * directions[..., 1] - edge[None, :, 1] * directions[..., 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (start[None, :, 1] * directions[..., 0] - start[None, :, 0] * directions[..., 1]) / denominator
            s = ((start[None] + t[..., None] * edge[None]) * directions).sum(axis=-1)
        hit = (t >= 0.0) & (t <= 1.0) & (s > 0.0) & np.isfinite(t)
        farthest = np.where(hit, s, -np.inf).max(axis=1)
        radius = np.fmax(radius, np.where(np.isfinite(farthest), farthest + margin, np.nan))
    return radius


def wrap_ring(
    x: np.ndarray, y: np.ndarray, cut: Sections, attach: float, spec: WrapSpec
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The ring ``(x, y)`` as a sheet of the same area lying on ``cut`` (see the module's docstring), and the
    centre it is wrapped round; None where the plane does not cut both :attr:`WrapSpec.bones` and at least one of
    :attr:`WrapSpec.edges`."""
    medial_bone, lateral_bone = spec.bones
    deep = [segments.reshape(-1, 2) for name, (segments, _) in cut.items() if name in spec.edges]
    if medial_bone not in cut or lateral_bone not in cut or not deep:
        return None
    points = np.concatenate([segments.reshape(-1, 2) for segments, _ in cut.values()])
    origin = points.mean(axis=0)

    def angle(p: np.ndarray) -> np.ndarray:
        return np.arctan2(p[..., 1] - origin[1], p[..., 0] - origin[0])

    def most_medial(p: np.ndarray) -> np.ndarray:
        return p[int(np.argmax(p[:, 1]))]

    fibula = cut[lateral_bone][0].reshape(-1, 2)
    lateral = float(angle(fibula[int(np.argmax(fibula[:, 0] - fibula[:, 1]))]))  # its posterolateral edge
    tibia = float(angle(most_medial(cut[medial_bone][0].reshape(-1, 2))))
    medial = float(angle(most_medial(np.concatenate(deep))))
    medial = max(medial, medial + attach * (tibia - medial))
    if not lateral < 0.0 < medial:
        return None
    angles = np.linspace(lateral, medial, spec.samples)
    radius = outer_radius(cut, origin, angles)
    known = np.isfinite(radius)
    if known.sum() < spec.samples // 4:
        return None
    radius = np.interp(angles, angles[known], radius[known])
    step = np.degrees(angles[1] - angles[0])
    radius = maximum_filter1d(radius, size=max(1, round(spec.valley / step)) | 1, mode="nearest")
    radius = gaussian_filter1d(radius, spec.smooth / step, mode="nearest") + spec.gap

    theta = 2.0 * np.pi * np.arange(len(x)) / len(x)
    across = (2.0 / np.pi) * np.arcsin(np.sin(theta))  # -1 lateral edge .. 1 medial edge, evenly spaced
    u = 0.5 + 0.5 * across
    depth = 0.5 + 0.5 * np.sign(np.cos(theta)) * np.sqrt(1.0 - np.abs(across))  # 0 front, 1 back
    at = lateral + u * (medial - lateral)
    inner = np.interp(at, angles, radius)
    profile = (1.0 - np.abs(2.0 * u - 1.0) ** spec.flat) ** spec.round
    target = _area(x, y)

    # The back is smooth where the front follows the deep muscles (the gastrocnemius lies on it): the sheet is
    # thicker over the grooves between them.
    back = np.interp(at, angles, gaussian_filter1d(radius, spec.back / step, mode="nearest"))

    def sheet(thickness: float) -> tuple[np.ndarray, np.ndarray]:
        outer = np.maximum(back + thickness * profile, inner + spec.least * thickness * profile)
        r = inner + (outer - inner) * depth
        return origin[0] + r * np.cos(at), origin[1] + r * np.sin(at)

    low, high = 0.0, 0.1
    if _area(*sheet(high)) < target:
        return None
    for _ in range(40):  # the area grows with the thickness: bisect to 0.1 m / 2**40
        middle = 0.5 * (low + high)
        low, high = (middle, high) if _area(*sheet(middle)) < target else (low, middle)
    return (*sheet(0.5 * (low + high)), origin)


def _area(x: np.ndarray, y: np.ndarray) -> float:
    """The area of one closed ring (:func:`calfviewer.geometry.sweep.polygon_areas` for a single polygon)."""
    return float(sweep.polygon_areas(x[None], y[None])[0])
