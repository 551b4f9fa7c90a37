"""The front and side muscles packed against their neighbours, at build time: shared faces, not convex rings.

Why: sized to their volumes and pushed clear, the anterior and lateral muscles were plain convex rings with grooves
between them far deeper than a real leg's: extensor digitorum longus stood 9-11 mm off extensor hallucis longus
over the middle of the leg (30-60 % of the way from the knee), and each belly touched its neighbours or a bone
over a tenth to a fifth of its outline. In an axial MRI of the mid-leg the compartment is packed: tibialis anterior
lies on the lateral surface of the tibia, extensor hallucis longus deep between it and extensor digitorum longus on
the fibula and the interosseous membrane, extensor digitorum longus lateral to it against the anterior
intermuscular septum, the fibulares behind that septum lateral to the fibula, in front of the posterior septum and
the soleus; neighbours meet along flat faces (the septa) with no room between them (Gray's Anatomy 42e, leg,
anterior and lateral compartments; Moore's Clinically Oriented Anatomy 8e, the compartments of the leg in
transverse section).

How, ring by ring in each ring's own plane, once a muscle is built and pushed clear and before the next is built (so
each one meets only the bones and the muscles built before it, :data:`~calfviewer.geometry.specs.UNDER`):

1. **What lies beside**: the sections of those neighbours (:func:`calfviewer.geometry.wrap.sections`), each grown
   by its clearance margin.
2. **Move over** (only where :attr:`PackSpec.towards` names a neighbour: extensor digitorum longus towards extensor
   hallucis longus, fibularis longus towards brevis): the whole ring moves in its plane towards the nearest point
   of that neighbour, as far as it can go without meeting it, and no more than :attr:`PackSpec.press` into any
   other; a move of the whole ring keeps its area and thickness. The moves are limited in slope along the muscle.
3. **Reach out and flatten**: every vertex looks along its outward normal (in the ring's plane) for the first
   neighbour within :attr:`PackSpec.reach` and moves onto it; a vertex inside a neighbour (step 2's press) moves
   back onto its surface. The moves taper off towards the reach (no step at its edge), are smoothed round the ring
   and limited in slope round it and along the muscle (a lower envelope: no move grows, a lone long move is cut
   down to a broad ramp), so no narrow tongue reaches into a cleft; the face that meets a neighbour takes its shape.
4. **Keep the area**: the free side (the vertices with nothing within reach: under the crural fascia) moves evenly
   in or out until the ring has its old area back, so the muscle keeps its volume and its profile along the leg.

The ring keeps its vertex count and order, so it binds to the rig like any designed ring.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import trimesh
from scipy.ndimage import gaussian_filter1d, maximum_filter1d

from calfviewer.geometry import sweep
from calfviewer.geometry.clearance import Obstacle
from calfviewer.geometry.deformer import MuscleDeformer
from calfviewer.geometry.rig import Rig
from calfviewer.geometry.rig_batch import Frames
from calfviewer.geometry.specs import PACKED, PackSpec
from calfviewer.geometry.wrap import Sections, sections


def packed_mesh(
    deformer: MuscleDeformer, rig: Rig, mesh: trimesh.Trimesh, obstacles: Sequence[Obstacle]
) -> trimesh.Trimesh:
    """``mesh`` (the rig's rest mesh, world) with its belly packed against ``obstacles`` if :data:`PACKED` names the
    rig's structure; unchanged otherwise."""
    spec = PACKED.get(rig.structure_id)
    if spec is None or rig.kind != "muscle":
        return mesh
    weights = rig.belly_weights(spec.fade, spec.fade)
    if not weights.any():
        return mesh
    frames = deformer.posed_frames(rig.structure_id, deformer.rest)
    k, m = rig.rings, rig.topology.per_ring
    rings = np.asarray(mesh.vertices)[: k * m].reshape(k, m, 3)
    moved = pack(rings, frames, obstacles, weights, rig.arc[:k], spec)
    return trimesh.Trimesh(sweep.with_caps(moved), rig.topology.faces, process=False)


def pack(
    rings: np.ndarray,
    frames: Frames,
    obstacles: Sequence[Obstacle],
    weights: np.ndarray,
    arc: np.ndarray,
    spec: PackSpec,
) -> np.ndarray:
    """``rings`` (K x M x 3, world) packed against ``obstacles`` as ``weights`` (K, 0..1) say, each keeping its
    area where the free side allows (see the module's docstring). ``arc``: each ring's distance along the muscle."""
    k, m, _ = rings.shape
    offsets = rings - frames.centre[:, None, :]
    x = np.einsum("kmj,kj->km", offsets, frames.normal)
    y = np.einsum("kmj,kj->km", offsets, frames.binormal)
    live = [int(i) for i in np.flatnonzero(weights > 0)]
    cuts = {i: sections(_near(obstacles, rings[i], spec.reach + spec.shift), frames, i) for i in live}
    if spec.towards and spec.shift > 0:
        shift = _shifts(x, y, cuts, weights, arc, spec)
        x, y = x + shift[:, :1], y + shift[:, 1:]
    normals = np.zeros((k, m, 2))
    moves = np.zeros((k, m))
    free = np.ones((k, m))
    for i in live:
        normals[i] = outward_normals(x[i], y[i])
        if cuts[i]:
            room = free_distance(np.stack([x[i], y[i]], axis=1), normals[i], cuts[i])
            # Reach out in full up to 70 % of the reach, tapering to nothing at the reach: no step at its edge.
            # Vertices inside a neighbour (room < 0) are pressed back onto it: the faces flatten on each other.
            taper = sweep.smoothstep((spec.reach - room) / (0.3 * spec.reach))
            steps = _outline_steps(x[i], y[i])
            wanted = lipschitz_cyclic(np.where(np.isfinite(room), room, 0.0) * taper, steps, spec.slope)
            smoothed = gaussian_filter1d(wanted, spec.smooth, mode="wrap")
            moves[i] = lipschitz_cyclic(np.minimum(smoothed, wanted), steps, spec.slope)
            free[i] = gaussian_filter1d(1.0 - taper, spec.smooth, mode="wrap")
    moves = smooth_below(moves, arc, spec.along, spec.smooth_along) * weights[:, None]
    # The free side's even move, ring by ring, then smoothed along the muscle: that face is the one seen under the
    # skin, and moves that differ from ring to ring drew ribs across it.
    inward = np.zeros(k)
    for i in (int(i) for i in np.flatnonzero(np.abs(moves).max(axis=1) > 0)):
        inward[i] = _area_move(x[i], y[i], normals[i], moves[i], free[i], spec.shrink)
    inward = gaussian_filter1d(inward, spec.smooth_along, mode="nearest") * (weights > 0)
    step = moves - inward[:, None] * free
    new_x, new_y = x + step * normals[..., 0], y + step * normals[..., 1]
    normal, binormal = frames.normal[:, None, :], frames.binormal[:, None, :]
    return frames.centre[:, None, :] + new_x[..., None] * normal + new_y[..., None] * binormal


def _shifts(
    x: np.ndarray, y: np.ndarray, cuts: dict[int, Sections], weights: np.ndarray, arc: np.ndarray, spec: PackSpec
) -> np.ndarray:
    """Per ring, the in-plane move ``(K, 2)`` towards :attr:`PackSpec.towards`: along the way to the nearest point
    of their sections (smoothed along the muscle), as far as the first contact with any section allows, capped at
    :attr:`PackSpec.shift` and limited in slope along the muscle."""
    k = len(x)
    direction = np.zeros((k, 2))
    for i, cut in cuts.items():
        targets = [cut[name][0] for name in spec.towards if name in cut]
        if targets:
            centre = np.array([x[i].mean(), y[i].mean()])
            nearest = _nearest_on_segments(np.concatenate(targets), centre)
            direction[i] = (nearest - centre) / max(float(np.linalg.norm(nearest - centre)), 1e-12)
    found = np.linalg.norm(direction, axis=1) > 0
    if not found.any():
        return np.zeros((k, 2))
    # Rings within ``lead`` of those that reach the neighbour move as the nearest of them does (as far as their own
    # room allows): the move then ramps in above and below the neighbour's end, not within it.
    first, last = np.flatnonzero(found)[[0, -1]]
    lead = [i for i in cuts if not found[i] and min(abs(arc[i] - arc[first]), abs(arc[i] - arc[last])) <= spec.lead]
    for i in lead:
        direction[i] = direction[first if abs(arc[i] - arc[first]) < abs(arc[i] - arc[last]) else last]
    leading = np.zeros(k, dtype=bool)
    leading[lead] = True
    direction = gaussian_filter1d(direction, 2.0, axis=0, mode="nearest")
    direction /= np.maximum(np.linalg.norm(direction, axis=1, keepdims=True), 1e-12)
    size = np.zeros(k)
    for i, cut in cuts.items():
        if found[i] or leading[i]:
            points = np.stack([x[i], y[i]], axis=1)
            along = np.tile(direction[i], (len(points), 1))
            mine = {name: cut[name] for name in spec.towards if name in cut}
            others = {name: value for name, value in cut.items() if name not in spec.towards}
            room = float(free_distance(points, along, mine).min()) - spec.gap if mine else spec.shift
            if others:  # others may be pressed into by up to ``press``: that face then flattens on them
                room = min(room, float(free_distance(points, along, others).min()) + spec.press)
            size[i] = min(room, spec.shift)
    size = smooth_below(np.clip(size, 0.0, None)[:, None], arc, spec.shift_along, spec.smooth_along)[:, 0] * weights
    return direction * size[:, None]


def _nearest_on_segments(segments: np.ndarray, point: np.ndarray) -> np.ndarray:
    """The point of ``segments`` (S, 2, 2) nearest ``point``."""
    a, b = segments[:, 0], segments[:, 1]
    edge = b - a
    t = np.clip(((point - a) * edge).sum(axis=1) / np.maximum((edge * edge).sum(axis=1), 1e-18), 0.0, 1.0)
    closest = a + t[:, None] * edge
    return closest[int(np.argmin(np.linalg.norm(closest - point, axis=1)))]


def _near(obstacles: Sequence[Obstacle], ring: np.ndarray, reach: float) -> list[Obstacle]:
    """The obstacles whose bounding box comes within ``reach`` of the ring's (cutting the others is wasted time)."""
    low, high = ring.min(axis=0) - reach, ring.max(axis=0) + reach
    out = []
    for obstacle in obstacles:
        bounds = obstacle.surface.mesh.bounds
        if np.all(bounds[0] <= high) and np.all(bounds[1] >= low):
            out.append(obstacle)
    return out


def outward_normals(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Unit outward normals ``(M, 2)`` of the closed polygon ``(x, y)`` at its vertices (either winding)."""
    p = np.stack([x, y], axis=1)
    tangent = np.roll(p, -1, axis=0) - np.roll(p, 1, axis=0)
    normal = np.stack([tangent[:, 1], -tangent[:, 0]], axis=1)
    if _signed_area(x, y) < 0:
        normal = -normal
    return normal / np.maximum(np.linalg.norm(normal, axis=1, keepdims=True), 1e-12)


def free_distance(points: np.ndarray, directions: np.ndarray, cut: Sections) -> np.ndarray:
    """Per point, how far it can travel along its direction before it comes within a section's margin (the first
    crossing of any section ahead, less its margin); ``inf`` where the ray meets nothing. Negative for a point
    inside a section (or within its margin): how far it must go back, against its direction, to clear it."""
    best = np.full(len(points), np.inf)
    for segments, margin in cut.values():
        ahead = _crossings(points, directions, segments)
        behind = _crossings(points, -directions, segments)
        first = np.where(ahead > 0, ahead, np.inf).min(axis=1)
        back = np.where(behind > 0, behind, np.inf).min(axis=1)
        # An odd number of crossings ahead: the point is inside (or the section is open there). A ray through a
        # point two segments share crosses both there: count the places, not the segments.
        inside = _distinct(ahead) % 2 == 1
        room = np.where(inside, -(np.where(np.isfinite(back), back, 0.0) + margin), first - margin)
        # Outside but within the margin, the room is negative too: ``first - margin`` already says so.
        best = np.minimum(best, room)
    return best


def _crossings(points: np.ndarray, directions: np.ndarray, segments: np.ndarray) -> np.ndarray:
    """``(P, S)``: how far along its ray each point crosses each segment; 0 where it does not (or behind it)."""
    start = segments[None, :, 0] - points[:, None, :]  # (P, S, 2)
    edge = segments[None, :, 1] - segments[None, :, 0]
    d = directions[:, None, :]
    denominator = edge[..., 0] * d[..., 1] - edge[..., 1] * d[..., 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (start[..., 1] * d[..., 0] - start[..., 0] * d[..., 1]) / denominator
        s = ((start + t[..., None] * edge) * d).sum(axis=-1)
    hit = (t >= 0.0) & (t <= 1.0) & (s > 0.0) & np.isfinite(t)
    return np.where(hit, s, 0.0)


def _distinct(crossings: np.ndarray) -> np.ndarray:
    """Per row of :func:`_crossings`, how many distinct places (more than a micrometre apart) the ray crosses."""
    ordered = np.sort(crossings, axis=1)
    new = (ordered > 0) & (np.diff(ordered, axis=1, prepend=0.0) > 1e-6)
    return new.sum(axis=1)


def lipschitz_cyclic(values: np.ndarray, steps: np.ndarray, slope: float) -> np.ndarray:
    """The largest function round a closed loop no larger than ``values`` whose change between neighbours is at
    most ``slope`` times the distance between them (``steps[i]``: from point ``i`` to ``i + 1``)."""
    out = values.astype(float).copy()
    n = len(out)
    for _ in range(2):  # twice round each way reaches every point from every other
        for i in range(1, 2 * n + 1):
            j, p = i % n, (i - 1) % n
            out[j] = min(out[j], out[p] + slope * steps[p])
        for i in range(2 * n - 1, -1, -1):
            j, q = i % n, (i + 1) % n
            out[j] = min(out[j], out[q] + slope * steps[j])
    return out


def lipschitz_along(values: np.ndarray, arc: np.ndarray, slope: float) -> np.ndarray:
    """Per column (one vertex of every ring) the largest profile along the muscle no larger than ``values`` that
    changes by at most ``slope`` times the distance between rings."""
    out = values.astype(float).copy()
    step = np.diff(arc)[:, None] * slope
    for i in range(1, len(out)):
        out[i] = np.minimum(out[i], out[i - 1] + step[i - 1])
    for i in range(len(out) - 2, -1, -1):
        out[i] = np.minimum(out[i], out[i + 1] + step[i])
    return out


def smooth_below(values: np.ndarray, arc: np.ndarray, slope: float, sigma: float) -> np.ndarray:
    """Per column, a smooth profile along the muscle nowhere above ``values`` (``(K, M)``): limited in slope
    (:func:`lipschitz_along`), smoothed (Gaussian, ``sigma`` rings) and lowered round each place the smoothing raised
    it (by that much, spread smoothly over a few ``sigma``). Why: moves that change from ring to ring with corners
    drew creases across the muscle."""
    limited = lipschitz_along(values, arc, slope)
    smoothed = gaussian_filter1d(limited, sigma, axis=0, mode="nearest")
    excess = np.clip(smoothed - limited, 0.0, None)
    window = 2 * round(3 * sigma) + 1
    lower = gaussian_filter1d(maximum_filter1d(excess, size=window, axis=0, mode="nearest"), sigma, axis=0)
    return np.minimum(smoothed - lower, limited)


def _area_move(
    x: np.ndarray, y: np.ndarray, normals: np.ndarray, moves: np.ndarray, free: np.ndarray, shrink: float
) -> float:
    """How far the free side (``free``, 0..1 per vertex) must move in (out, if negative) for the ring moved by
    ``moves`` along ``normals`` to have its old area back (no further than ``shrink`` of its half thickness)."""
    target = abs(_signed_area(x, y))
    most = shrink * 0.5 * min(np.ptp(x), np.ptp(y))

    def area(inward: float) -> float:
        step = moves - inward * free
        return abs(_signed_area(x + step * normals[:, 0], y + step * normals[:, 1]))

    low, high = -most, most
    if area(high) >= target:
        return high
    if area(low) <= target:
        return low
    for _ in range(40):  # the area falls as the free side comes in: bisect
        middle = 0.5 * (low + high)
        low, high = (middle, high) if area(middle) > target else (low, middle)
    return 0.5 * (low + high)


def _outline_steps(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.hypot(np.roll(x, -1) - x, np.roll(y, -1) - y)


def _signed_area(x: np.ndarray, y: np.ndarray) -> float:
    """The signed area of the one closed ring ``(x, y)`` (:func:`calfviewer.geometry.sweep.signed_polygon_areas`)."""
    return float(sweep.signed_polygon_areas(x[None], y[None])[0])
