"""Several muscle rigs posed at once: each step of the sweep done in one array operation for all of them.

Why: posing one rig is some sixty small NumPy calls, and at the calf's few thousand vertices per muscle the cost of
a call, not its arithmetic, is what a frame pays. Stacking the rings of every muscle into one batch makes that cost
once per frame instead of once per muscle (benchmarks/run.py, "deform all muscle meshes"). A single rig is a batch
of one, so there is one implementation of the sweep.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from calfviewer.geometry.rig import Rig


@dataclass(frozen=True)
class Frames:
    """A posed centreline: ring centres and the unit tangent, normal and binormal of each ring (``K x 3`` each)."""

    centre: np.ndarray
    tangent: np.ndarray
    normal: np.ndarray
    binormal: np.ndarray

    @property
    def basis(self) -> np.ndarray:
        """``K x 3 x 3``: rows normal, binormal, tangent, so ring coordinates ``@ basis`` are world offsets."""
        basis = np.empty((len(self.centre), 3, 3))
        basis[:, 0], basis[:, 1], basis[:, 2] = self.normal, self.binormal, self.tangent
        return basis


@dataclass(frozen=True)
class Pairing:
    """Rings of a batch kept where they lay at rest relative to rings of another muscle (:attr:`Rig.follows`,
    :attr:`Rig.stays_on`): ``at`` the batch rows that move, ``rows`` their partners' batch rows, ``weight``
    (``K x 1``) how far each keeps its place (0-1), ``offset`` (``K x 3``) its rest centre minus its partner's,
    ``axis`` (``K x 3``) the rest direction it keeps its place along wholly, ``depth`` (``K x 1``) how far off it."""

    at: np.ndarray
    rows: np.ndarray
    weight: np.ndarray
    offset: np.ndarray
    axis: np.ndarray
    depth: np.ndarray


#: One rig's pairing as plain fields: partner id, per-ring weight, partner rows and rest offsets, axis, depth.
PairFields = tuple[str, np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]


def _pairing(rigs: Sequence[Rig], starts: np.ndarray, fields: Callable[[Rig], PairFields]) -> Pairing:
    """Gather one kind of pairing over the batch (rigs whose partner is in it and whose offsets are bound)."""
    ids = [rig.structure_id for rig in rigs]
    columns: tuple[list[np.ndarray], ...] = ([], [], [], [], [], [])
    for n, rig in enumerate(rigs):
        partner, weight, partner_rows, offset, axis, depth = fields(rig)
        if partner in ids and len(offset):
            rows = np.flatnonzero(weight > 0)
            partners = starts[ids.index(partner)] + partner_rows[rows]
            tiled = np.tile(axis, (len(rows), 1))
            for column, part in zip(
                columns,
                (starts[n] + rows, partners, weight[rows], offset[rows], tiled, np.full(len(rows), depth)),
                strict=True,
            ):
                column.append(part)
    if not columns[0]:
        empty = np.zeros((0, 3))
        return Pairing(np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros((0, 1)), empty, empty, np.zeros((0, 1)))
    at, rows_, weight_, offset_, axis_, depth_ = (np.concatenate(column) for column in columns)
    return Pairing(at, rows_, weight_[:, None], offset_, axis_, depth_[:, None])


def section_axes(scale: np.ndarray, widen: np.ndarray) -> np.ndarray:
    """``(rings, 2)`` factors along (normal, binormal) that scale a section's area by ``scale**2``: equal, or with
    the share ``widen`` of the growth in width alone (``scale**(1 - w)`` and ``scale**(1 + w)``; see
    :attr:`~calfviewer.geometry.specs.ShapeSpec.widen`)."""
    return np.stack([scale ** (1.0 - widen), scale ** (1.0 + widen)], axis=1)


STEP_KEPT = 1e-9
"""How far a ring's path step may differ from its rest length, as a fraction, and count as its rest length (rounding
between the rest pose's frames as bound and as posed is far below it), so the rest frames are unchanged."""

TRANSPORT_FROM = 1e-10
"""One minus the cosine below which a ring's path counts as running where its bones carried it (an angle of about
1.4e-5 rad): rounding in the rotations at rest is far below it, so the rest frames (and meshes) are unchanged."""


def unit(v: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length."""
    return v / np.sqrt(np.einsum("ij,ij->i", v, v))[:, None]


def cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cross product (``np.cross`` is several times slower on small arrays)."""
    out = np.empty_like(a)
    out[:, 0] = a[:, 1] * b[:, 2] - a[:, 2] * b[:, 1]
    out[:, 1] = a[:, 2] * b[:, 0] - a[:, 0] * b[:, 2]
    out[:, 2] = a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]
    return out


class RigBatch:
    """The rings of ``rigs`` stacked in order, with what posing them needs gathered once.

    Ring ``i`` of rig ``n`` is batch ring ``starts[n] + i``. Built when the rigs are (re)bound; the frame part
    works on unbound rigs too (building needs it before there is a mesh to bind).
    """

    def __init__(self, rigs: Sequence[Rig]) -> None:
        self.rigs = tuple(rigs)
        counts = [rig.rings for rig in self.rigs]
        self.starts = np.concatenate([[0], np.cumsum(counts)]).astype(int)
        total = int(self.starts[-1])
        first, last = self.starts[:-1], self.starts[1:] - 1
        # Central differences along each rig, one-sided at its ends (as sweep.tangents does for one curve).
        self.ahead = np.minimum(np.arange(total) + 1, np.repeat(last, counts))
        self.behind = np.maximum(np.arange(total) - 1, np.repeat(first, counts))
        # Steps from one ring to the next that stay within a rig (the volume sums must not bridge two rigs).
        self.within = np.ones(max(total - 1, 0), dtype=bool)
        self.within[last[:-1]] = False
        self.a = np.concatenate([rig.a for rig in rigs])
        self.b = np.concatenate([rig.b for rig in rigs])
        self.guide = np.concatenate([rig.guide if rig.kind == "muscle" else np.zeros(rig.rings) for rig in rigs])
        self.guide_rows = np.concatenate([rig.guide_rows for rig in rigs]).astype(int)
        self.guided = bool(self.guide.any())
        self.weights = np.concatenate([rig.weights for rig in rigs])
        self.rest_normal = np.concatenate([rig.rest_normal for rig in rigs])
        self.centre_offset = np.concatenate(
            [rig.centre_offset if rig.centre_offset.size else np.zeros((rig.rings, 2)) for rig in rigs]
        )
        self.tangent_smooth = [(n, rig.tangent_smooth) for n, rig in enumerate(rigs) if rig.tangent_smooth is not None]
        # Each ring's path tangent at rest (before the offsets), once the deformer has set it (see :meth:`frames`).
        self.rest_tangent: np.ndarray | None = None
        # Each ring's path step at rest (the distance between the path points either side of it), set with it.
        self.rest_step: np.ndarray | None = None
        self.bound = all(rig.bound for rig in rigs)
        # Rings kept where they lay at rest relative to another rig's rings, where both are in the batch and the
        # one that moves is bound: across the calf (Rig.follows), then along the leg (Rig.stays_on).
        self.following = _pairing(
            rigs,
            self.starts,
            lambda r: (r.follows, r.follow, r.follow_rows, r.follow_offset, r.follow_across, r.follow_depth),
        )
        self.staying = _pairing(
            rigs, self.starts, lambda r: (r.stays_on, r.stay, r.stay_rows, r.stay_offset, r.stay_up, 0.0)
        )
        self._local_of = tuple(rig.local for rig in rigs)
        if self.bound:
            local = np.concatenate([rig.local for rig in rigs])
            self.homogeneous = np.concatenate([local, np.ones((*local.shape[:2], 1))], axis=2)
            self.anchor = np.concatenate([rig.anchor for rig in rigs])
            # Where a section shrinks from: its deep edge and its middle (Rig.middle).
            self.narrow_anchor = np.stack([self.anchor[:, 0], np.concatenate([rig.middle for rig in rigs])], axis=1)
            self.area = np.concatenate([rig.area for rig in rigs])
            self.centroid = np.concatenate([rig.centroid for rig in rigs])
            # Each ring's weight in the volume-keeping scale: the belly's, or what a rig swells instead (Rig.swell).
            self.belly = np.concatenate([rig.swelling for rig in rigs])
            self.widen = np.concatenate([rig.widen if rig.widen.size else np.zeros(rig.rings) for rig in rigs])

    def anchors(self, scale: np.ndarray) -> np.ndarray:
        """Every ring's point its section scales about at ``scale``: :attr:`Rig.anchor` where it grows, its deep edge
        and middle where it shrinks (a stretched belly narrows about its middle, wherever it widens from)."""
        return np.where((scale < 1.0)[:, None], self.narrow_anchor, self.anchor)

    def axis_scales(self, scale: np.ndarray) -> np.ndarray:
        """Every ring's :func:`section_axes` for section ``scale``."""
        return section_axes(scale, self.widen)

    @property
    def current(self) -> bool:
        """Whether no rig has had its ring coordinates set since the batch was made."""
        return all(local is rig.local for local, rig in zip(self._local_of, self.rigs, strict=True))

    def rest_estimates(self) -> np.ndarray:
        """Each rig's rest volume (:attr:`Rig.rest_estimate`), read now: binding sets it after the coordinates."""
        return np.array([rig.rest_estimate for rig in self.rigs])

    def per_ring(self, values: np.ndarray) -> np.ndarray:
        """One value per rig spread to each of its rings."""
        return np.repeat(values, np.diff(self.starts))

    def sums(self, values: np.ndarray) -> np.ndarray:
        """Per-ring values summed over each rig."""
        return np.add.reduceat(values, self.starts[:-1])

    def _keep_place(self, centre: np.ndarray, rotations: np.ndarray, pairing: Pairing) -> None:
        """Move ``pairing``'s rings (in place in ``centre``) towards where they lay at rest relative to their partner
        rings, turned with the bones that carry them: wholly along its axis, ``depth`` of the way off it. Identity at
        rest, so the rest meshes are unchanged."""
        if not len(pairing.at):
            return
        turn = np.einsum("kb,bij->kij", self.weights[pairing.at], rotations)
        want = centre[pairing.rows] + np.einsum("kij,kj->ki", turn, pairing.offset)
        axis = unit(np.einsum("kij,kj->ki", turn, pairing.axis))
        step = want - centre[pairing.at]
        along = np.einsum("ki,ki->k", step, axis)[:, None] * axis
        centre[pairing.at] += pairing.weight * (along + pairing.depth * (step - along))

    def tangents(self, centre: np.ndarray) -> np.ndarray:
        return unit(centre[self.ahead] - centre[self.behind])

    def steps(self, centre: np.ndarray) -> np.ndarray:
        """Each ring's distance between the points either side of it on ``centre`` (what :meth:`tangents` spans)."""
        step = centre[self.ahead] - centre[self.behind]
        return np.sqrt(np.einsum("ij,ij->i", step, step))

    def _offset_tangents(self, along: np.ndarray, length: np.ndarray, centre: np.ndarray) -> np.ndarray:
        """The tangents of the tube's axis ``centre`` (the path with the rings' offsets), the offsets leaning each
        ring off the path as far as they did at rest, however much the path has stretched or shortened. ``along``:
        each ring's step along the path (between the path points either side of it), ``length`` its length.

        Why: a ring's offset from the path (:attr:`Rig.centre_offset`) is a length, so where it changes along a belly
        the axis leans off the path by the change over the rings' spacing; a belly shortened by a third (the lateral
        head of gastrocnemius with the knee bent 120 degrees and the foot plantarflexed 40) leaned its rings half as
        far again as at rest, turning them 4 degrees from one ring to the next where its centre runs laterally down
        its upper belly: its wide sheet's inner edge, 4.4 cm off the axis on the inside of that turn, was squeezed
        to a tenth of its spacing and folded. The path's part of each step is taken at its rest length instead; a
        ring whose path is as long as it was (every ring at rest) is left exactly as it was.
        """
        step = centre[self.ahead] - centre[self.behind]
        if self.rest_step is None:
            return unit(step)
        stretch = self.rest_step / np.maximum(length, 1e-12) - 1.0
        stretch[np.abs(stretch) <= STEP_KEPT] = 0.0  # adds nothing: the step is the one at rest
        return unit(step + stretch[:, None] * along)

    # --- frames ---------------------------------------------------------------------------------------------
    def path_centre(self, samples: np.ndarray, tendon_centre: np.ndarray | None) -> np.ndarray:
        """Each ring's point on its smoothed path (guided tails drawn towards the tendon), before any offset: what
        the ring's path tangent is taken along."""
        centre = np.empty_like(samples)
        for n, rig in enumerate(self.rigs):
            a, b = self.starts[n], self.starts[n + 1]
            np.matmul(rig.smooth, samples[a:b], out=centre[a:b])
        if tendon_centre is not None and self.guided:
            g = self.guide[:, None]
            centre = (1 - g) * centre + g * tendon_centre[self.guide_rows]
        return centre

    def _carried(self, vectors: np.ndarray, rotations: np.ndarray) -> np.ndarray:
        """Each ring's rest ``vectors`` (batch rings x 3) carried by its blend of the frame bodies' ``rotations``."""
        out = np.zeros_like(vectors)
        for body in range(rotations.shape[0]):
            out += self.weights[:, body : body + 1] * (vectors @ rotations[body].T)
        return out

    def _transported(self, reference: np.ndarray, rotations: np.ndarray, tangent: np.ndarray) -> np.ndarray:
        """The carried normals ``reference`` turned, each by the least rotation, from where the bones carried the
        ring's rest path tangent to where the posed path runs.

        Why: the bones carry a ring's normal, but the path through the ring can turn away from the bones that carry
        it (near the gastrocnemius' origins, with the knee bent 120 degrees, it ran 83 degrees off the femur's
        carried direction): the carried normal then lay almost along the posed tangent (cosine 0.96-1.0) and,
        projected off it, swung 80 degrees from one ring to the next, twisting the heads' tops into an S. Turned
        with the path (parallel transport), it stays square to the path and keeps its place round it. A ring whose
        path runs where its bones carried it (every ring at rest) is left exactly as it was.
        """
        assert self.rest_tangent is not None
        carried = unit(self._carried(self.rest_tangent, rotations))
        cosine = np.einsum("ij,ij->i", carried, tangent)
        axis = cross(carried, tangent)  # sine times the unit axis
        turned = (
            reference * cosine[:, None]
            + cross(axis, reference)
            + axis * (np.einsum("ij,ij->i", axis, reference) / np.maximum(1.0 + cosine, TRANSPORT_FROM))[:, None]
        )
        # Not turned: a ring whose path runs where its bones carried it, or (never met) turned right about.
        kept = (1.0 - cosine <= TRANSPORT_FROM) | (1.0 + cosine <= TRANSPORT_FROM)
        return np.where(kept[:, None], reference, turned)

    def frames(self, samples: np.ndarray, rotations: np.ndarray, tendon_centre: np.ndarray | None) -> Frames:
        """Posed centrelines and ring frames of every rig, from their path ``samples`` (batch rings x 3).

        ``rotations``: each frame body's rotation from the neutral pose (:meth:`MuscleDeformer.rotations`);
        ``tendon_centre``: the calcaneal tendon's ring centres, which guided tails follow (None: not bound).
        """
        centre = self.path_centre(samples, tendon_centre)
        along = centre[self.ahead] - centre[self.behind]
        length = np.sqrt(np.einsum("ij,ij->i", along, along))
        tangent = along / length[:, None]
        reference = self._carried(self.rest_normal, rotations)
        if self.rest_tangent is not None:
            reference = self._transported(reference, rotations, tangent)
        normal = unit(reference - np.einsum("ij,ij->i", reference, tangent)[:, None] * tangent)
        # The tube's axis is offset from the path along (normal, binormal); its rings are square to the offset line.
        binormal = cross(tangent, normal)
        centre = centre + normal * self.centre_offset[:, :1] + binormal * self.centre_offset[:, 1:]
        # A following ring kept where it lay at rest relative to its partner across the calf (ShapeSpec.follows; in
        # depth only ShapeSpec.follow_depth of the way: wholly, the medial head took the lateral head's drift back and
        # stood 2 cm off the soleus with the knee bent). A ring that stays on another muscle keeps its rest level
        # relative to that muscle's ring at its height, along the leg's long axis (ShapeSpec.stays_on): placed along
        # its own path from the femur, the medial head slid 2-3 cm down over the soleus with the knee bent 90 degrees.
        self._keep_place(centre, rotations, self.following)
        self._keep_place(centre, rotations, self.staying)
        tangent = self._offset_tangents(along, length, centre)
        for n, smooth in self.tangent_smooth:
            a, b = self.starts[n], self.starts[n + 1]
            tangent[a:b] = unit(smooth @ tangent[a:b])
        normal = unit(normal - np.einsum("ij,ij->i", normal, tangent)[:, None] * tangent)
        return Frames(centre, tangent, normal, cross(tangent, normal))

    # --- volume ---------------------------------------------------------------------------------------------
    def volume_weights(self, frames: Frames, scale: np.ndarray | None) -> np.ndarray:
        """Each ring's share of its rig's volume: section area times the advance of its centroid along the tangent.

        Why centroids: a section offset from a curved centreline sweeps more (outside of the bend) or less
        (inside) volume than its area times the centreline length; Pappus's theorem says the centroid's path is
        what counts. Cheap (per ring, not per vertex), so the volume can be kept every pose.
        """
        centroid = self.centroid
        area = self.area
        if scale is not None:
            centroid = centroid.copy()
            anchor = self.anchors(scale)
            centroid[:, :2] = anchor + self.axis_scales(scale) * (centroid[:, :2] - anchor)
            area = area * scale**2
        path = (
            frames.centre
            + centroid[:, :1] * frames.normal
            + centroid[:, 1:2] * frames.binormal
            + centroid[:, 2:] * frames.tangent
        )
        step = np.diff(path, axis=0)
        along = np.abs(np.einsum("ij,ij->i", step, 0.5 * (frames.tangent[1:] + frames.tangent[:-1])))
        half = np.where(self.within, 0.5 * along, 0.0)
        spacing = np.zeros(len(area))
        spacing[:-1] += half
        spacing[1:] += half
        return area * spacing

    def belly_scale(self, frames: Frames) -> np.ndarray:
        """Per-ring section scale that keeps each rig's rest volume, scaling only its belly (two fixed-point
        steps); 1 throughout a rig with no belly."""
        rest = self.rest_estimates()
        scale = None
        for _ in range(2):
            weighted = self.volume_weights(frames, scale)
            if scale is not None:
                weighted = weighted / np.where(scale > 0, scale**2, 1.0)  # back to unit-scale areas, new path
            belly = self.sums(self.belly * weighted)
            safe = np.where(belly > 0, belly, 1.0)
            k = np.clip(1.0 + (rest - self.sums(weighted)) / safe, 0.25, 4.0)
            k = np.where(belly > 0, k, 1.0)
            scale = np.sqrt(1.0 + self.belly * (self.per_ring(k) - 1.0))
        assert scale is not None
        return scale

    # --- placing vertices -----------------------------------------------------------------------------------
    def rings(self, frames: Frames, scale: np.ndarray | None = None) -> np.ndarray:
        """``(batch rings, M, 3)`` world vertices of every ring; ``scale`` per ring (belly) about its anchor."""
        # Each ring's basis with its centre as a fourth row, against ring coordinates with a fourth coordinate 1:
        # the vertices take one matrix product.
        basis = np.empty((len(frames.centre), 4, 3))
        basis[:, 0], basis[:, 1], basis[:, 2], basis[:, 3] = (
            frames.normal,
            frames.binormal,
            frames.tangent,
            frames.centre,
        )
        if scale is not None:
            # Scaling (normal, binormal) about the anchor is folded into the basis and centre too:
            # x' = s x + (1 - s) anchor along those two axes.
            axes = self.axis_scales(scale)
            shift = (1.0 - axes) * self.anchors(scale)
            basis[:, 3] += shift[:, :1] * frames.normal + shift[:, 1:] * frames.binormal
            basis[:, :2] *= axes[:, :, None]
        return np.matmul(self.homogeneous, basis)

    def caps(self, rings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The centres ``(rigs, 3)`` of each rig's first and last ring, where its end caps close the tube."""
        return rings[self.starts[:-1]].mean(axis=1), rings[self.starts[1:] - 1].mean(axis=1)

    def vertices(self, rings: np.ndarray, caps: tuple[np.ndarray, np.ndarray]) -> list[np.ndarray]:
        """Each rig's tube vertices ``(K*M + 2, 3)``: its rings, then its two cap centres."""
        m = rings.shape[1]
        out = []
        for n in range(len(self.rigs)):
            a, b = self.starts[n], self.starts[n + 1]
            vertices = np.empty(((b - a) * m + 2, 3))
            vertices[:-2] = rings[a:b].reshape(-1, 3)
            vertices[-2] = caps[0][n]
            vertices[-1] = caps[1][n]
            out.append(vertices)
        return out

    def place(self, frames: Frames, scale: np.ndarray | None = None) -> list[np.ndarray]:
        """Each rig's tube vertices on ``frames`` (see :meth:`vertices`)."""
        rings = self.rings(frames, scale)
        return self.vertices(rings, self.caps(rings))
