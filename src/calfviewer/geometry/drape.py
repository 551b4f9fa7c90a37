"""A muscle laid onto what lies beneath it, at build time: the gastrocnemius on the soleus, not standing off it.

Why: the clearance step (:mod:`calfviewer.geometry.clearance`) moves each ring of a superficial muscle as a whole,
along its normal, until its deepest vertex clears the deeper ones, and the push envelope then spreads the largest
move along the belly. The medial head of gastrocnemius, whose designed ring lay partly inside the soleus, ended up
21-23 mm behind the soleus over 35-45 % of the leg (the lateral head 12-21 mm over 15-45 %), with empty room
between them; at 90 degrees of knee flexion they looked like sheets floating over the calf. In an atlas and in
axial MRI of the calf the heads lie on the soleus, the plantaris tendon and a fascial plane between them
(Standring, Gray's Anatomy 42e, leg).

How: each ring is cut into columns across its width (along the ring's binormal). In each column the surface
beneath is found in the ring's own plane (the sections of the deeper muscles and bones, each plus its margin),
and the column is moved forward, whole, onto it. Moving whole columns keeps the ring's thickness in every column,
so its area and the muscle's volume stay as they were. The surface the columns lie on is the one beneath made
no steeper than :attr:`DrapeSpec.slope` (its Lipschitz upper envelope), so the muscle does not dip into narrow
grooves, and no column's move differs from its neighbour's by more than :attr:`DrapeSpec.shear` per unit width. The
moves are then made smooth along the muscle and across it without any column going further than it may: where the
blur would carry one too far, the moves round it are held back as smoothly (a plain limit left a crease). Whole
columns also carry the surface's dips onto the muscle's back; where :attr:`DrapeSpec.bridge` says so, they are
bridged along the muscle (the lateral head over the soleus: a 5.7 mm trough across its back otherwise).

The step was first written for the soleus (laid onto the deep flexors) and replaced there by
:mod:`calfviewer.geometry.wrap`, which also reshapes the ring.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import trimesh
from scipy.ndimage import gaussian_filter, maximum_filter

from calfviewer.geometry import sweep
from calfviewer.geometry.clearance import Obstacle
from calfviewer.geometry.rig_batch import Frames
from calfviewer.geometry.specs import Bridge, DrapeSpec


def drape(
    rings: np.ndarray,
    frames: Frames,
    obstacles: Sequence[Obstacle],
    weights: np.ndarray,
    spec: DrapeSpec,
) -> np.ndarray:
    """``rings`` (K x M x 3, world) with each ring's columns moved forward onto the surface of ``obstacles``.

    Forward is against each ring's normal (posterior at rest, so forward means towards the bones). ``weights``
    (K) scale each ring's moves (0 leaves a ring where it is: attachments, tendon); an obstacle's
    :attr:`~calfviewer.geometry.clearance.Obstacle.rings` mask limits it to some rings, as in the clearance step.
    """
    k = len(rings)
    offsets = rings - frames.centre[:, None, :]
    x = np.einsum("kmj,kj->km", offsets, frames.normal)
    y = np.einsum("kmj,kj->km", offsets, frames.binormal)
    pad = spec.reach / max(spec.slope, 1e-6)
    columns = np.arange(y.min() - pad, y.max() + pad + spec.step, spec.step)
    moves = np.zeros((k, len(columns)))
    for i in (int(i) for i in np.flatnonzero(weights > 0)):
        front = _front(x[i], y[i], columns)
        beneath = np.full(len(columns), -np.inf)
        for obstacle in obstacles:
            if obstacle.rings is not None and not obstacle.rings[i]:
                continue
            beneath = np.maximum(beneath, _back(obstacle, frames, i, columns, x[i].mean()) + obstacle.margin)
        surface = _lipschitz(beneath, columns, spec.slope) + spec.gap
        # Beyond what lies beneath, the surface goes on level: the ring's edges are not drawn round the sides.
        covered = np.flatnonzero(np.isfinite(beneath))
        if len(covered):
            surface[: covered[0]], surface[covered[-1] + 1 :] = surface[covered[0]], surface[covered[-1]]
        inside = np.isfinite(front) & np.isfinite(surface)
        if not inside.any():
            continue
        wanted = np.full(len(columns), -np.inf)
        wanted[inside] = np.clip(surface[inside] - front[inside], -spec.reach, 0.0)
        # No column goes further than its neighbours allow by more than the shear: near its rounded edges the
        # front curves back, and chasing the surface there would tip the edges forward into spikes.
        limited = _lipschitz(wanted, columns, spec.shear)
        # Beyond the ring's edges, its edge columns' moves: smoothing across must not pull the edges back.
        moves[i] = np.interp(columns, columns[inside], limited[inside])
    # Smooth along the muscle and across: first take, near each place, the smallest allowance (a max of the
    # negative moves), then blur; a column never goes further than its own allowance.
    eased = gaussian_filter(moves, spec.smooth, mode="nearest")
    # Where the blur carries a column further than its allowance, keeping the allowance there would leave a corner
    # (a crease across the belly): the blurred moves are instead held back round each such place by what it lacks,
    # spread as smoothly (the same rounding as the clearance envelope's shoulders) over one sigma each side. Over
    # two, the medial head's top was held back 8 cm below where it meets the lateral head and plantaris (25 / 25 /
    # 17 mm off the soleus at 15 / 20 / 25 % of the leg; over one, 24 / 23 / 14); over half, its back rippled (0.54 mm).
    lack = np.maximum(moves - eased, 0.0)
    if lack.any():
        size = tuple(2 * int(np.ceil(s)) + 1 for s in spec.smooth)
        eased = eased + gaussian_filter(maximum_filter(lack, size=size, mode="nearest"), spec.smooth, mode="nearest")
    moves = np.maximum(eased, moves) * weights[:, None]
    if spec.bridge is not None:
        moves = _bridged(moves, _back_of(x, y, columns), sweep.cumulative_length(frames.centre), spec.bridge)
    shift = np.stack([np.interp(y[i], columns, moves[i]) for i in range(k)])
    return rings + shift[:, :, None] * frames.normal[:, None, :]


def _front(x: np.ndarray, y: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """The front (smallest ``x``) of the closed ring ``(x, y)`` in each column; ``inf`` outside it."""
    return _ring_crossings(x, y, columns, np.minimum, np.inf)


def _back_of(x: np.ndarray, y: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """``(K, C)``: the back (largest ``x``) of each closed ring ``(x[k], y[k])`` in each column; ``-inf`` outside."""
    return np.stack([_ring_crossings(xi, yi, columns, np.maximum, -np.inf) for xi, yi in zip(x, y, strict=True)])


def _ring_crossings(x: np.ndarray, y: np.ndarray, columns: np.ndarray, pick: np.ufunc, empty: float) -> np.ndarray:
    """Per column, ``pick`` of the ``x`` where the closed ring ``(x, y)``'s edges cross it (:func:`_crossings`)."""
    return _crossings(x, y, np.roll(x, -1), np.roll(y, -1), columns, pick, empty)


def _bridged(moves: np.ndarray, back: np.ndarray, arc: np.ndarray, bridge: Bridge) -> np.ndarray:
    """``moves`` (``(K, C)``, forward negative) held back where the moved back would hollow along the muscle.

    Why: moving whole columns onto the surface beneath copies its dips onto the muscle's back, and a dip across a
    belly reads from behind as a dark band (a trough the heads do not have). Per column, the moved back is raised
    to no more than :attr:`Bridge.hollow` below the water a trough in it would hold (the lower of its highest points
    above and below), then closed by a parabola of radius :attr:`Bridge.radius` (the lower envelope of cups of that
    radius lying on the upper envelope of caps), so what is bridged rounds off. No column goes further forward than
    it was moved, nor ends behind where it was.
    """
    out = moves.copy()
    for c in range(moves.shape[1]):
        inside = np.flatnonzero(np.isfinite(back[:, c]))
        if len(inside) < 3:
            continue
        s, moved = arc[inside], back[inside, c] + moves[inside, c]
        water = np.minimum(np.maximum.accumulate(moved), np.maximum.accumulate(moved[::-1])[::-1])
        filled = np.maximum(moved, water - bridge.hollow)
        cup = (s[:, None] - s[None, :]) ** 2 / (2.0 * bridge.radius)
        caps = (filled[None, :] - cup).max(axis=1)
        closed = (caps[None, :] + cup).min(axis=1)
        out[inside, c] = np.clip(closed - back[inside, c], moves[inside, c], np.maximum(moves[inside, c], 0.0))
    return out


def _back(obstacle: Obstacle, frames: Frames, ring: int, columns: np.ndarray, limit: float) -> np.ndarray:
    """The back (largest ``x``) of ``obstacle``'s section in ring ``ring``'s plane, per column, among the parts
    lying in front of ``limit`` (the ring's mid-line: what lies behind it is not beneath it); ``-inf`` where none."""
    centre, normal, binormal = frames.centre[ring], frames.normal[ring], frames.binormal[ring]
    segments = trimesh.intersections.mesh_plane(obstacle.surface.mesh, frames.tangent[ring], centre)
    if len(segments) == 0:
        return np.full(len(columns), -np.inf)
    offsets = segments - centre
    sx, sy = offsets @ normal, offsets @ binormal
    keep = sx.max(axis=1) < limit
    sx, sy = sx[keep], sy[keep]
    return _crossings(sx[:, 0], sy[:, 0], sx[:, 1], sy[:, 1], columns, np.maximum, -np.inf)


def _crossings(
    x0: np.ndarray,
    y0: np.ndarray,
    x1: np.ndarray,
    y1: np.ndarray,
    columns: np.ndarray,
    pick: np.ufunc,
    empty: float,
) -> np.ndarray:
    """Per column, ``pick`` (min or max) of the ``x`` where the segments ``(x0, y0)-(x1, y1)`` cross it."""
    low, high = np.minimum(y0, y1)[:, None], np.maximum(y0, y1)[:, None]
    crosses = (columns[None, :] >= low) & (columns[None, :] <= high) & (high > low)
    span = np.where(y1 != y0, y1 - y0, 1.0)[:, None]
    at = x0[:, None] + (columns[None, :] - y0[:, None]) * (x1 - x0)[:, None] / span
    return pick.reduce(np.where(crosses, at, empty), axis=0, initial=empty)


def _lipschitz(values: np.ndarray, columns: np.ndarray, slope: float) -> np.ndarray:
    """The smallest profile over ``values`` that is nowhere steeper than ``slope``: ``max_j v_j - slope |c - c_j|``."""
    finite = np.isfinite(values)
    if not finite.any():
        return values
    distance = np.abs(columns[:, None] - columns[None, finite])
    return (values[None, finite] - slope * distance).max(axis=1)
