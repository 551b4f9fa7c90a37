"""Keeping soft tissue out of bones and out of each other, at build time.

A swept muscle follows a line of action, not the bone surface, so here and there it dips into a bone or into the
muscle beneath it. :func:`push_out` moves whole rings, each within its own plane, until they clear, and shrinks
the rings a rigid move cannot clear; both keep every ring's outline, so a clean tube stays clean (no folds). It
runs once when the meshes are generated; the result is the stored rest mesh, which the deformer carries into
every pose.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import trimesh


@dataclass(frozen=True)
class Obstacle:
    """A closed surface a tube must stay outside, in the same frame as the tube.

    Attributes:
        name: for messages.
        mesh: closed, outward-wound surface.
        margin: how far outside the surface pushed vertices end up (metres).
        rings: optional boolean mask over the tube's rings; only those rings are pushed (a muscle's tendon tail
            lies inside the calcaneal tendon on purpose, so the tendon is an obstacle for the belly only).
        directions: optional ``(K, 3)`` unit direction per ring to push along instead of the obstacle's normal.
            A superficial muscle overlapping a deeper one is pushed outward (posteriorly), the way the layers
            nest; the nearest-surface normal could send a thin sheet out through the wrong side.
    """

    name: str
    surface: SurfaceSamples
    margin: float = 1e-3
    rings: np.ndarray | None = None
    directions: np.ndarray | None = None

    @classmethod
    def of(
        cls,
        name: str,
        mesh: trimesh.Trimesh,
        margin: float = 1e-3,
        rings: np.ndarray | None = None,
        directions: np.ndarray | None = None,
    ) -> Obstacle:
        return cls(name, SurfaceSamples(mesh), margin, rings, directions)


class SurfaceSamples:
    """A closed surface as dense points with outward normals in a k-d tree: fast, approximate depth queries.

    Why not exact point-to-triangle queries: pushing runs a few rounds of every muscle against every bone and the
    muscles beneath, tens of thousands of queries, and trimesh's exact queries take seconds each. The nearest
    sample (vertices and face centres, a millimetre or two apart on the refined bones) and its normal give the
    depth along the normal, which is exact for a locally flat surface and within a fraction of a millimetre on
    these smooth ones. Tests measure the final clearance with exact queries (:func:`exact_depth`).
    """

    def __init__(self, mesh: trimesh.Trimesh) -> None:
        from scipy.spatial import cKDTree

        self.mesh = mesh
        points = np.vstack([mesh.vertices, mesh.triangles_center])
        normals = np.vstack([mesh.vertex_normals, mesh.face_normals])
        self.points = points
        self.normals = normals
        self.tree = cKDTree(points)
        self.low, self.high = mesh.bounds[0] - 0.02, mesh.bounds[1] + 0.02

    def depth(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Depth inside (positive) along the nearest sample's outward normal, and that normal; ``-inf`` far away."""
        depth = np.full(len(points), -np.inf)
        normals = np.zeros_like(points)
        near = np.all((points >= self.low) & (points <= self.high), axis=1)
        if near.any():
            _, index = self.tree.query(points[near])
            n = self.normals[index]
            depth[near] = np.einsum("ij,ij->i", self.points[index] - points[near], n)
            normals[near] = n
        return depth, normals


def exact_depth(mesh: trimesh.Trimesh, points: np.ndarray) -> np.ndarray:
    """Exact depth of each point inside ``mesh`` (positive inside, negative outside; ``-inf`` beyond 2 cm of its
    bounding box, where nothing can be inside)."""
    depth = np.full(len(points), -np.inf)
    low, high = mesh.bounds[0] - 0.02, mesh.bounds[1] + 0.02
    near = np.all((points >= low) & (points <= high), axis=1)
    if near.any():
        depth[near] = trimesh.proximity.signed_distance(mesh, points[near])
    return depth


MAX_PUSH = 0.02
"""No single push moves a vertex further than this (m): a bigger overlap is a design error to fix, not to hide."""


def _exit_distance(obstacle: Obstacle, origins: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """How far each point must travel along its direction to leave the obstacle (plus the margin), capped."""
    mesh = obstacle.surface.mesh
    # Start a little behind the point so that points just outside but within the margin still find the surface.
    start = origins - directions * obstacle.margin
    locations, rays, _ = mesh.ray.intersects_location(start, directions, multiple_hits=True)
    distance = np.zeros(len(origins))
    if len(rays):
        travel = np.einsum("ij,ij->i", locations - start[rays], directions[rays])
        far = np.zeros(len(origins))
        np.maximum.at(far, rays, travel)
        distance = np.clip(far, 0.0, MAX_PUSH + obstacle.margin)
    return distance


def push_out(
    rings: np.ndarray,
    obstacles: list[Obstacle],
    *,
    tangents: np.ndarray,
    rounds: int = 16,
    spread: int = 3,
    weights: np.ndarray | None = None,
    envelope: int = 0,
    envelope_rings: np.ndarray | None = None,
    shoulders: bool = False,
) -> np.ndarray:
    """Rings ``(K, M, 3)`` moved, each as a whole and within its own plane, until no vertex is in an obstacle.

    Why whole rings: moving vertices one by one lets neighbours go different ways at a bony corner and fold the
    surface through itself. A ring moved rigidly in its plane keeps its (simple, star-shaped) outline, and with
    the moves smoothed along the tube the rings never pass through each other, so a clean swept surface stays
    clean. Each round moves every offending ring by the largest in-plane move one of its vertices needs.
    ``weights`` (one per ring, 0..1) scale the moves: tendon tails that follow the calcaneal tendon are not moved.

    ``envelope`` (rings; 0 for none): the rigid moves are then replaced by a smooth upper envelope of them and the
    rounds run again for what is left. Why: each ring moves by what its own worst vertex needs, so over an obstacle
    whose surface carries small steps (a head over the soleus, the soleus over the deep flexors) neighbouring rings
    end up a millimetre or more apart front to back, which the lights draw as ribs across a broad belly. Filling
    the valleys between moves narrower than ``envelope`` rings and blurring (:func:`smooth_envelope`) moves no ring
    less than it needed, so the surface stays clear and the steps go. ``envelope_rings`` (one flag or share from 0
    to 1 per ring, blending the ring's own move into the envelope's; all when omitted) says which rings the envelope
    may change: the broad bellies, whose ribs it is for. Tendon rings
    keep their own moves: a thin tendon wedged where nothing can clear it (fibularis longus among the flexor
    tendons in the sole) would otherwise be dragged along by its neighbours' envelope and pushed a second full set
    of rounds, hanging centimetres off the bone. The second rounds move only the rings the envelope changed.
    ``shoulders``: whether the envelope also rounds the moves' shoulders (:func:`smooth_envelope`).
    """
    start = rings
    rings = _rigid_rounds(rings, obstacles, tangents, rounds, spread, weights)
    if envelope:
        first = (rings - start).mean(axis=1)
        moved = smooth_envelope(first, envelope, shoulders=shoulders)
        if envelope_rings is not None:
            share = np.asarray(envelope_rings, float)[:, None]
            moved = first + share * (moved - first)
        moved -= np.sum(moved * tangents, axis=1, keepdims=True) * tangents
        changed = (np.linalg.norm(moved - first, axis=1) > 1e-9).astype(float)
        again = changed if weights is None else changed * weights
        rings = _rigid_rounds(start + moved[:, None, :], obstacles, tangents, rounds, spread, again)
    return _shrink_rounds(rings, obstacles, rounds, spread, weights)


def smooth_envelope(moves: np.ndarray, window: int, *, shoulders: bool = False) -> np.ndarray:
    """Per-ring moves ``(K, 3)`` made smooth along the tube without making any smaller: their sizes' valleys
    narrower than ``window`` rings filled (a running maximum then a running minimum: a morphological closing),
    blurred, and never below the original size; their directions blurred alike. Within ``window`` rings of either
    end the smoothing fades out, so the rings at an attachment move as they did (the tube stays on its bone).
    With ``shoulders`` the envelope is also raised round each place where a move stands above it (a flat run of
    moves falling off steeply): a closing keeps that corner, and the lights drew it as a band across the belly
    (both gastrocnemius heads, over the soleus at about 20, 40 and 55 % of their length)."""
    k = len(moves)
    size = np.linalg.norm(moves, axis=1)
    half = window // 2
    # A closing of the whole tube: the running maximum taken over the tube extended by half a window at each end
    # (so the running minimum has what it needs at the ends and a slope running up to an end is kept).
    dilated = np.lib.stride_tricks.sliding_window_view(np.pad(size, 2 * half, constant_values=-np.inf), window).max(
        axis=1
    )
    closed = np.lib.stride_tricks.sliding_window_view(dilated, window).min(axis=1)
    direction = moves.copy()
    for _ in range(window):
        closed = _blur_rings(closed)
        direction = _blur_rings(direction)
    # Where a move stands above the blurred envelope (a shoulder: the moves falling steeply after a flat run) the
    # envelope would keep its corner. Raise the envelope round each such place by what it lacks, spread as smoothly:
    # the corner goes, and no ring moves less than it needed.
    lack = np.maximum(size - closed, 0.0)
    if shoulders and lack.any():
        raised = np.lib.stride_tricks.sliding_window_view(np.pad(lack, half, mode="edge"), window).max(axis=1)
        for _ in range(window):
            raised = _blur_rings(raised)
        closed = closed + raised
    length = np.linalg.norm(direction, axis=1, keepdims=True)
    unit = np.where(length > 1e-9, direction / np.maximum(length, 1e-12), _safe_unit(moves))
    ring = np.arange(k, dtype=float)
    fade = np.clip(np.minimum(ring, k - 1 - ring) / max(window, 1), 0.0, 1.0)
    extra = np.maximum(closed - size, 0.0) * fade
    return np.where((size + extra > size)[:, None], (size + extra)[:, None] * unit, moves)


def _rigid_rounds(
    rings: np.ndarray,
    obstacles: list[Obstacle],
    tangents: np.ndarray,
    rounds: int,
    spread: int,
    weights: np.ndarray | None,
) -> np.ndarray:
    """The rigid in-plane rounds of :func:`push_out`."""
    rings = rings.copy()
    k, m, _ = rings.shape
    for _ in range(rounds):
        shift = np.zeros((k, 3))
        offending = False
        for obstacle in obstacles:
            mask = np.ones(k, bool) if obstacle.rings is None else np.asarray(obstacle.rings, bool)
            if not mask.any():
                continue
            points = rings[mask].reshape(-1, 3)
            depth, normals = obstacle.surface.depth(points)
            need = depth > -obstacle.margin
            if not need.any():
                continue
            offending = True
            move = np.zeros_like(points)
            if obstacle.directions is None:
                t = np.repeat(tangents[mask], m, axis=0)[need]
                push = normals[need] - np.einsum("ij,ij->i", normals[need], t)[:, None] * t
                inplane = np.maximum(np.einsum("ij,ij->i", push, push), 0.25)
                move[need] = push / inplane[:, None] * (depth[need] + obstacle.margin)[:, None]
            else:
                along = np.repeat(obstacle.directions[mask], m, axis=0)[need]
                move[need] = along * _exit_distance(obstacle, points[need], along)[:, None]
            move = move.reshape(-1, m, 3)
            size = np.linalg.norm(move, axis=-1)
            worst = move[np.arange(len(move)), size.argmax(axis=1)]
            current = shift[mask]
            bigger = np.linalg.norm(worst, axis=1) > np.linalg.norm(current, axis=1)
            shift[mask] = np.where(bigger[:, None], worst, current)
        if not offending:
            break
        shift = np.minimum(np.linalg.norm(shift, axis=1), MAX_PUSH)[:, None] * _safe_unit(shift)
        # A plain (not max-keeping) blur: neighbouring rings must move nearly alike or the band between them
        # shears into itself. What the blur takes off a ring's move, the next round adds back.
        for _ in range(spread):
            shift = _blur_rings(shift)
        shift -= np.sum(shift * tangents, axis=1, keepdims=True) * tangents
        if weights is not None:
            shift *= weights[:, None]
        rings = rings + shift[:, None, :]
    return rings


def _shrink_rounds(
    rings: np.ndarray, obstacles: list[Obstacle], rounds: int, spread: int, weights: np.ndarray | None
) -> np.ndarray:
    """The last rounds of :func:`push_out`: what a rigid move cannot clear is shrunk."""
    k, m, _ = rings.shape
    for _ in range(rounds):
        # What a rigid move cannot clear (a belly wedged between two bones): shrink those rings, each uniformly
        # about its centre so its outline keeps its shape, by what its worst vertex needs, smoothly along the tube.
        centre = rings.mean(axis=1, keepdims=True)
        radius = np.linalg.norm(rings - centre, axis=-1)
        shrink = np.zeros(k)
        for obstacle in obstacles:
            mask = np.ones(k, bool) if obstacle.rings is None else np.asarray(obstacle.rings, bool)
            if obstacle.directions is not None or not mask.any():
                continue
            depth, _ = obstacle.surface.depth(rings[mask].reshape(-1, 3))
            need = np.where(depth > -obstacle.margin, depth + obstacle.margin, 0.0).reshape(-1, m)
            fraction = np.max(need / np.maximum(radius[mask], 1e-9), axis=1)
            shrink[mask] = np.maximum(shrink[mask], fraction)
        if weights is not None:
            shrink *= weights
        if not shrink.any():
            break
        shrink = np.clip(shrink, 0.0, 0.3)
        for _ in range(spread):
            shrink = _blur_rings(shrink)
        rings = centre + (rings - centre) * (1.0 - shrink)[:, None, None]
    return rings


def _safe_unit(vectors: np.ndarray) -> np.ndarray:
    length = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.where(length > 0, vectors / np.maximum(length, 1e-12), 0.0)


def _blur_rings(values: np.ndarray) -> np.ndarray:
    """One [1/4, 1/2, 1/4] pass along the rings of a (K, ...) field (ends clamped: scipy's ``nearest`` mode)."""
    from scipy.ndimage import convolve1d

    return convolve1d(values, _RING_BLUR, axis=0, mode="nearest")


_RING_BLUR = np.array([0.25, 0.5, 0.25])


def max_depth(points: np.ndarray, meshes: list[trimesh.Trimesh], *, near: float = 2e-3) -> float:
    """The deepest any point sits inside any of ``meshes`` (metres; negative when all are clear of them).

    Candidates are found with :class:`SurfaceSamples` and every point that comes within ``near`` of a surface
    is measured exactly (point-to-triangle, trimesh), so the answer is exact where it matters and fast elsewhere.
    """
    worst = -np.inf
    for mesh in meshes:
        approx, _ = SurfaceSamples(mesh).depth(points)
        close = approx > -near
        if close.any():
            worst = max(worst, float(exact_depth(mesh, points[close]).max()))
        finite = approx[np.isfinite(approx)]
        if len(finite):
            worst = max(worst, float(finite.max()) if not close.any() else worst)
    return worst
