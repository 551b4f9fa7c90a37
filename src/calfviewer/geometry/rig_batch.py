"""Several muscle rigs posed at once: each step of the sweep done in one array operation for all of them.

Why: posing one rig is some sixty small NumPy calls, and at the calf's few thousand vertices per muscle the cost of
a call, not its arithmetic, is what a frame pays. Stacking the rings of every muscle into one batch makes that cost
once per frame instead of once per muscle (benchmarks/run.py, "deform all muscle meshes"). A single rig is a batch
of one, so there is one implementation of the sweep.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def section_axes(scale: np.ndarray, widen: np.ndarray) -> np.ndarray:
    """``(rings, 2)`` factors along (normal, binormal) that scale a section's area by ``scale**2``: equal, or with
    the share ``widen`` of the growth in width alone (``scale**(1 - w)`` and ``scale**(1 + w)``; see
    :attr:`~calfviewer.geometry.specs.ShapeSpec.widen`)."""
    return np.stack([scale ** (1.0 - widen), scale ** (1.0 + widen)], axis=1)


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
        self.bound = all(rig.bound for rig in rigs)
        # Rings that follow another rig's ring (Rig.follows), where both are in the batch and the follower is bound.
        ids = [rig.structure_id for rig in rigs]
        follow_at, follow_rows, follow, follow_offset, follow_across, follow_depth = [], [], [], [], [], []
        for n, rig in enumerate(rigs):
            if rig.follows in ids and len(rig.follow_offset):
                rows = np.flatnonzero(rig.follow > 0)
                follow_at.append(self.starts[n] + rows)
                follow_rows.append(self.starts[ids.index(rig.follows)] + rig.follow_rows[rows])
                follow.append(rig.follow[rows])
                follow_offset.append(rig.follow_offset[rows])
                follow_across.append(np.tile(rig.follow_across, (len(rows), 1)))
                follow_depth.append(np.full(len(rows), rig.follow_depth))
        self.follow_at = np.concatenate(follow_at) if follow_at else np.zeros(0, dtype=int)
        self.follow_rows = np.concatenate(follow_rows) if follow_rows else np.zeros(0, dtype=int)
        self.follow = np.concatenate(follow)[:, None] if follow else np.zeros((0, 1))
        self.follow_offset = np.concatenate(follow_offset) if follow_offset else np.zeros((0, 3))
        self.follow_across = np.concatenate(follow_across) if follow_across else np.zeros((0, 3))
        self.follow_depth = np.concatenate(follow_depth)[:, None] if follow_depth else np.zeros((0, 1))
        # Rings that stay on another rig's ring (Rig.stays_on), where both are in the batch and the follower is bound.
        stay_at, stay_rows, stay, stay_offset, stay_up = [], [], [], [], []
        for n, rig in enumerate(rigs):
            if rig.stays_on in ids and len(rig.stay_offset):
                rows = np.flatnonzero(rig.stay > 0)
                stay_at.append(self.starts[n] + rows)
                stay_rows.append(self.starts[ids.index(rig.stays_on)] + rig.stay_rows[rows])
                stay.append(rig.stay[rows])
                stay_offset.append(rig.stay_offset[rows])
                stay_up.append(np.tile(rig.stay_up, (len(rows), 1)))
        self.stay_at = np.concatenate(stay_at) if stay_at else np.zeros(0, dtype=int)
        self.stay_rows = np.concatenate(stay_rows) if stay_rows else np.zeros(0, dtype=int)
        self.stay = np.concatenate(stay)[:, None] if stay else np.zeros((0, 1))
        self.stay_offset = np.concatenate(stay_offset) if stay_offset else np.zeros((0, 3))
        self.stay_up = np.concatenate(stay_up) if stay_up else np.zeros((0, 3))
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

    def tangents(self, centre: np.ndarray) -> np.ndarray:
        return unit(centre[self.ahead] - centre[self.behind])

    # --- frames ---------------------------------------------------------------------------------------------
    def frames(self, samples: np.ndarray, rotations: np.ndarray, tendon_centre: np.ndarray | None) -> Frames:
        """Posed centrelines and ring frames of every rig, from their path ``samples`` (batch rings x 3).

        ``rotations``: each frame body's rotation from the neutral pose (:meth:`MuscleDeformer.rotations`);
        ``tendon_centre``: the calcaneal tendon's ring centres, which guided tails follow (None: not bound).
        """
        centre = np.empty_like(samples)
        for n, rig in enumerate(self.rigs):
            a, b = self.starts[n], self.starts[n + 1]
            np.matmul(rig.smooth, samples[a:b], out=centre[a:b])
        if tendon_centre is not None and self.guided:
            g = self.guide[:, None]
            centre = (1 - g) * centre + g * tendon_centre[self.guide_rows]
        tangent = self.tangents(centre)
        # Each ring's rest normal carried by its blend of the frame bodies' rotations.
        reference = np.zeros_like(centre)
        for body in range(rotations.shape[0]):
            reference += self.weights[:, body : body + 1] * (self.rest_normal @ rotations[body].T)
        normal = unit(reference - np.einsum("ij,ij->i", reference, tangent)[:, None] * tangent)
        # The tube's axis is offset from the path along (normal, binormal); its rings are square to the offset line.
        binormal = cross(tangent, normal)
        centre = centre + normal * self.centre_offset[:, :1] + binormal * self.centre_offset[:, 1:]
        if len(self.follow_at):
            # A following ring kept where it lay at rest relative to its partner across the calf, turned with the
            # bones that carry it (ShapeSpec.follows): identity at rest, so the rest meshes are unchanged. In depth
            # only partly (ShapeSpec.follow_depth): wholly, the medial head took the lateral head's drift back and
            # stood 2 cm off the soleus with the knee bent (it now follows across only, its level kept below).
            turn = np.einsum("kb,bij->kij", self.weights[self.follow_at], rotations)
            want = centre[self.follow_rows] + np.einsum("kij,kj->ki", turn, self.follow_offset)
            across = unit(np.einsum("kij,kj->ki", turn, self.follow_across))
            step = want - centre[self.follow_at]
            side = np.einsum("ki,ki->k", step, across)[:, None] * across
            centre[self.follow_at] += self.follow * (side + self.follow_depth * (step - side))
        if len(self.stay_at):
            # A ring that stays on another muscle keeps its rest level relative to that muscle's ring at its height,
            # along the leg's long axis turned with the bones that carry it (ShapeSpec.stays_on); across and in depth
            # it keeps its place above. Placed along its own path from the femur, the medial head slid 2-3 cm down
            # over the soleus with the knee bent 90 degrees. Identity at rest, as above.
            turn = np.einsum("kb,bij->kij", self.weights[self.stay_at], rotations)
            want = centre[self.stay_rows] + np.einsum("kij,kj->ki", turn, self.stay_offset)
            up = unit(np.einsum("kij,kj->ki", turn, self.stay_up))
            step = np.einsum("ki,ki->k", want - centre[self.stay_at], up)[:, None]
            centre[self.stay_at] += self.stay * step * up
        tangent = self.tangents(centre)
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
