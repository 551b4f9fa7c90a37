"""Posing: every muscle and tendon vertex placed for a pose, each frame.

Why a module of its own: this is the per-frame hot path, and it needs only numpy and what the rigs hold
(:mod:`calfviewer.geometry.rig`), not the build-time code that made the rest meshes.

:class:`MuscleDeformer` holds the rest mesh of every structure in ring coordinates (each vertex: its ring and its
offset along the ring's normal, binormal and tangent). Posing rebuilds the centrelines and frames and places the
vertices, all muscles in one batch (:mod:`calfviewer.geometry.rig_batch`); the belly's cross-section is scaled so
the volume stays what it was at rest (muscle is incompressible: a shorter belly is a thicker one). Same vertex count
and faces in every pose. The last step moves rings pressed into a bone in deep poses back out
(:mod:`calfviewer.geometry.proxies`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from calfviewer.geometry.proxies import (
    BONE_PROXIES,
    CLEAR_ROUNDS,
    CLEAR_STRIDE,
    CLEAR_VOLUME,
    BoneProxies,
    BoneProxy,
    ClearBatch,
    largest_per_ring,
)
from calfviewer.geometry.rig import Rig, path_points, tendon_samples
from calfviewer.geometry.rig_batch import Frames, RigBatch, section_axes
from calfviewer.geometry.specs import CLEARANCE, FRAME_BODIES, TOE_BEND, TOE_CARRY
from calfviewer.geometry.sweep import smoothstep
from calfviewer.geometry.toe_joint import Carried, CarriedRings, ToeHinge
from calfviewer.musculoskeletal import NEUTRAL, MusculoskeletalModel, PoseResult
from calfviewer.musculoskeletal.frames import to_body

PATH_GAP = 1.0
"""Arc gap between two muscles' paths laid end to end, to sample them all in one interpolation (m; any positive)."""


class MuscleDeformer:
    """Places every muscle and tendon vertex for a pose (implements :class:`~calfviewer.geometry.assembly.
    SoftTissueDeformer`).

    Build the rigs with :func:`~calfviewer.geometry.rig.make_rigs`, give each its rest mesh with :meth:`bind`;
    :meth:`deform` is the per-frame call.
    """

    def __init__(
        self,
        model: MusculoskeletalModel,
        rigs: Mapping[str, Rig],
        tendon_id: str | None,
        proxies: tuple[BoneProxy, ...] = BONE_PROXIES,
    ) -> None:
        """``proxies`` are the right leg's (:data:`BONE_PROXIES`); for a left ``model`` they are mirrored."""
        self.model = model
        self.rigs = dict(rigs)
        self.tendon_id = tendon_id
        self.rest = model.pose(NEUTRAL)
        self.hinge = ToeHinge.of(model)
        self._toe: CarriedRings | None = None  # the muscles' carried rings, their rows counted in the batch
        self._rest_rotation = np.stack([self.rest.body_transforms[b][:3, :3] for b in FRAME_BODIES])
        self.proxies = BoneProxies(proxies if model.side == "right" else tuple(p.mirrored() for p in proxies))
        self._batch: ClearBatch | None = None  # the muscles' clearance data: made when first needed after a rebind
        self._rig_batches: tuple[RigBatch | None, RigBatch] | None = None
        self._engaged: dict[tuple[int, ...], tuple[BoneProxies, np.ndarray]] = {}
        # Rings turned mostly by a proxy's own bone stay about where the build-time clearance put them against that
        # bone (measured on its real surface); its proxy, a coarser stand-in, is only asked about the others.
        weights = [rig.weights for key, rig in self.rigs.items() if key != tendon_id]
        carried = np.concatenate(weights) if weights else np.zeros((0, len(FRAME_BODIES)))
        self._free = np.ones((len(carried), len(self.proxies)), dtype=bool)
        for n, body in enumerate(self.proxies.bodies):
            if body in FRAME_BODIES:
                self._free[:, n] = carried[:, FRAME_BODIES.index(body)] < 0.5
        # A stand-in for a muscle's surface moves only the muscles it names, wherever they are carried from.
        owners = np.concatenate(
            [np.full(len(rig.weights), key, dtype=object) for key, rig in self.rigs.items() if key != tendon_id]
            or [np.zeros(0, dtype=object)]
        )
        for n, proxy in enumerate(self.proxies.proxies):
            if proxy.muscles:
                self._free[:, n] = np.isin(owners, proxy.muscles)

    # --- centrelines ----------------------------------------------------------------------------------------
    def ring_samples(self, batch: RigBatch, result: PoseResult) -> np.ndarray:
        """Each ring's point on its structure's path (``batch rings x 3``), before smoothing.

        A muscle's rings sit at arc positions ``a + b * L`` of its path; the calcaneal tendon's (a batch of its
        own) at distances ``b`` from the end of each gastrocnemius head, averaged. All the muscles' paths are
        sampled in one interpolation per axis: laid end to end on one arc axis, with a gap between paths, and each
        ring's position clamped to its own path.
        """
        if batch.rigs[0].kind == "tendon":
            return tendon_samples(result, batch.b, self.model.side)
        paths = [path_points(rig, result) for rig in batch.rigs]
        counts = np.array([len(path) for path in paths])
        points = np.concatenate(paths)
        steps = np.diff(points, axis=0)
        steps = np.sqrt(np.einsum("ij,ij->i", steps, steps))
        ends = np.cumsum(counts)
        steps[ends[:-1] - 1] = PATH_GAP
        arc = np.concatenate([[0.0], np.cumsum(steps)])
        begin = arc[ends - counts]
        length = batch.per_ring(arc[ends - 1] - begin)
        at = batch.per_ring(begin) + np.clip(batch.a + batch.b * length, 0.0, length)
        out = np.empty((len(at), 3))
        for axis in range(3):
            out[:, axis] = np.interp(at, arc, points[:, axis])
        return out

    def rotations(self, result: PoseResult) -> np.ndarray:
        """Rotation of each of :data:`FRAME_BODIES` from the neutral pose to ``result``'s (``3 x 3 x 3``)."""
        posed = np.stack([result.body_transforms[b][:3, :3] for b in FRAME_BODIES])
        return posed @ np.transpose(self._rest_rotation, (0, 2, 1))

    def frames(self, rig: Rig, result: PoseResult, rotations: np.ndarray, tendon_centre: np.ndarray | None) -> Frames:
        """The posed centreline and ring frames of one structure."""
        batch = self._with_rest_tangent(RigBatch([rig]))
        return batch.frames(self.ring_samples(batch, result), rotations, tendon_centre)

    def _with_rest_tangent(self, batch: RigBatch) -> RigBatch:
        """``batch`` with each ring's path tangent at rest set, worked out as posing works it out, so its frames
        follow the path where it turns away from the bones (:meth:`RigBatch.frames`) and are unchanged at rest."""
        if batch.rest_tangent is None:
            tendon = None
            if batch.guided:
                rest = self.calcaneal_tendon(self.rest, self.rotations(self.rest))
                tendon = None if rest is None else rest[1]
            path = batch.path_centre(self.ring_samples(batch, self.rest), tendon)
            batch.rest_tangent = batch.tangents(path)
            batch.rest_step = batch.steps(path)
        return batch

    def _batches(self) -> tuple[RigBatch | None, RigBatch]:
        """The calcaneal tendon's batch (None: none or unbound) and the muscles', remade when a rig is rebound."""
        if self._rig_batches is None or not all(batch.current for batch in self._rig_batches if batch is not None):
            tendon = self.rigs.get(self.tendon_id) if self.tendon_id is not None else None
            muscles = RigBatch([rig for key, rig in self.rigs.items() if key != self.tendon_id])
            self._rig_batches = (RigBatch([tendon]) if tendon is not None and tendon.bound else None, muscles)
            self._batch = None  # the ring extents changed with the ring coordinates
            carried = [(n, rig.toe) for n, rig in enumerate(muscles.rigs) if rig.toe is not None]
            self._toe = None
            if carried:
                self._toe = CarriedRings(
                    rows=np.concatenate([muscles.starts[n] + toe.rows for n, toe in carried]),
                    blend=np.concatenate([toe.blend for _, toe in carried]),
                    carried=Carried.joined([toe.carried for _, toe in carried]),
                )
        return self._rig_batches

    # --- volume ---------------------------------------------------------------------------------------------
    @staticmethod
    def volume_weights(rig: Rig, frames: Frames, scale: np.ndarray | None) -> np.ndarray:
        """Each ring's share of the volume (:meth:`RigBatch.volume_weights`)."""
        return RigBatch([rig]).volume_weights(frames, scale)

    # --- placing vertices -----------------------------------------------------------------------------------
    @staticmethod
    def place(rig: Rig, frames: Frames, scale: np.ndarray | None = None) -> np.ndarray:
        """Vertices ``(K*M + 2, 3)`` of ``rig``'s ring coordinates on ``frames``; ``scale`` per ring (belly)."""
        return RigBatch([rig]).place(frames, scale)[0]

    def calcaneal_tendon(self, result: PoseResult, rotations: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """The calcaneal tendon's vertices and ring centres (what the triceps tails follow), if it is bound."""
        batch = self._batches()[0]
        if batch is None:
            return None
        frames = self._with_rest_tangent(batch).frames(self.ring_samples(batch, result), rotations, None)
        # Tendon is incompressible too: where the ankle bends it round the heel its sections keep its volume.
        vertices = batch.place(frames, batch.belly_scale(frames))[0]
        rings = batch.rigs[0].rings
        return vertices, vertices[:-2].reshape(rings, -1, 3).mean(axis=1)

    def deform(self, result: PoseResult) -> dict[str, np.ndarray]:
        """World vertex positions of every structure in ``result``'s pose, same order and count as at rest.

        Placed as their rigs say, all muscles in one batch, then moved off the bones where the pose has pressed
        them in (:meth:`_clear_bones`).
        """
        rotations = self.rotations(result)
        out: dict[str, np.ndarray] = {}
        tendon = self.calcaneal_tendon(result, rotations)
        tendon_centre = None
        if tendon is not None and self.tendon_id is not None:
            out[self.tendon_id], tendon_centre = tendon
        batch = self._with_rest_tangent(self._batches()[1])
        frames = batch.frames(self.ring_samples(batch, result), rotations, tendon_centre)
        scale = batch.belly_scale(frames)
        rings = batch.rings(frames, scale)
        angle = self.hinge.angle(result)
        self._carry_over_toes(result, angle, rings)
        caps = batch.caps(rings)
        self._clear_bones(result, batch, frames, scale, rings)
        for rig, placed in zip(batch.rigs, batch.vertices(rings, caps), strict=True):
            if rig.slips is not None and rig.slips.bound:
                placed = np.concatenate([placed, rig.slips.posed(result, angle)])
            out[rig.structure_id] = placed
        return out

    def _carry_over_toes(self, result: PoseResult, angle: float, rings: np.ndarray) -> None:
        """Move the rings of the tubes that end on the toes, near and past the toe joint, where the joint carries
        them (:class:`~calfviewer.geometry.toe_joint.CarriedRings`), in place in ``rings``."""
        if self._toe is None:
            return
        toe = self._toe
        placed = toe.carried.posed(result, angle).reshape(len(toe.rows), rings.shape[1], 3)
        rings[toe.rows] += toe.blend[:, None, None] * (placed - rings[toe.rows])

    # --- keeping bellies off the bones ----------------------------------------------------------------------
    def _clear_bones(
        self, result: PoseResult, muscles: RigBatch, frames: Frames, scale: np.ndarray, rings: np.ndarray
    ) -> None:
        """Move the muscle rings that sink into a :data:`BONE_PROXIES` shape back out, in place in ``rings``
        (``muscles``' rings on ``frames``, at section ``scale``).

        Why whole rings, within their own plane: as in the build-time clearance step, a ring moved rigidly keeps
        its outline and its area, and with the moves faded out along the muscle (over :data:`CLEAR_SPREAD`) the
        rings cannot pass through each other, so the surface cannot fold; the belly bends around the bone
        (:meth:`BoneProxies.ring_moves` says how far each ring must go). A belly whose volume the moves changed is
        scaled back to it (:meth:`_keep_volume`).

        Only the proxies the pose engages are looked at, and of the rings only those whose bounding sphere can
        reach one, vertex by vertex against only the proxies they can reach, all muscles in one batch.
        """
        weights = [proxy.engaged(result) for proxy in self.proxies.proxies]
        engaged = tuple(i for i, weight in enumerate(weights) if weight > 0.0)
        if not engaged:
            return
        play = np.array([weights[i] for i in engaged])  # how far each engaged proxy is in play
        if engaged not in self._engaged:
            chosen = BoneProxies(tuple(self.proxies.proxies[i] for i in engaged))
            self._engaged[engaged] = (chosen, self._free[:, list(engaged)])
        proxies, free = self._engaged[engaged]
        if self._batch is None:
            self._batch = ClearBatch.of(list(muscles.rigs))
        batch = self._batch
        placed = proxies.placed(result)
        reach = muscles.axis_scales(scale).max(axis=1) * batch.spread + batch.base
        close = proxies.near(frames.centre, reach, placed) & free
        ring, proxy = np.nonzero(close)
        if not len(ring):
            return
        near = np.flatnonzero(close.any(axis=1))  # the rings to test
        pair = np.searchsorted(near, ring)  # which of them each ring-proxy pair is
        tangent = frames.tangent[near]
        total = np.zeros((len(rings), 3))
        for _ in range(CLEAR_ROUNDS):
            points = rings[near, ::CLEAR_STRIDE]
            need = proxies.ring_moves(points[pair], tangent[pair], proxy, placed, CLEARANCE)
            if need is None:
                break
            inside = np.flatnonzero(np.any(need != 0.0, axis=1))
            pair, proxy, need = pair[inside], proxy[inside], need[inside]  # the next round needs only these
            span, step = batch.fade(near, largest_per_ring(need * play[proxy, None], pair, len(near)))
            total[span] += step
            rings[span] += step[:, None, :]
        moved = muscles.sums(muscles.belly * np.any(total != 0.0, axis=1)) > 0  # bellies whose rings moved
        if moved.any():
            self._keep_volume(muscles, frames, scale, rings, total, moved)

    @staticmethod
    def _keep_volume(
        muscles: RigBatch, frames: Frames, scale: np.ndarray, rings: np.ndarray, shift: np.ndarray, moved: np.ndarray
    ) -> None:
        """Rescale the sections of the ``moved`` bellies, whose rings were moved by ``shift``, so each keeps its
        volume, in place in ``rings``.

        Moving rings within their planes keeps their areas but changes how far apart their centroids are, so the
        belly sweeps a little more or less; where that is more than :data:`CLEAR_VOLUME`, the belly's sections are
        scaled about their anchors by the one step of :meth:`RigBatch.belly_scale` that makes up the difference.
        """
        after = Frames(frames.centre + shift, frames.tangent, frames.normal, frames.binormal)
        weighted = muscles.volume_weights(after, scale)
        rest = muscles.rest_estimates()
        change = rest - muscles.sums(weighted)
        belly = muscles.sums(muscles.belly * weighted)
        fix = moved & (np.abs(change) > CLEAR_VOLUME * rest) & (belly > 0)
        if not fix.any():
            return
        step = np.clip(1.0 + change / np.where(fix, belly, 1.0), 0.5, 2.0)
        grow = np.flatnonzero((muscles.belly > 0) & muscles.per_ring(fix))
        ratio = np.sqrt(1.0 + muscles.belly[grow] * (muscles.per_ring(step)[grow] - 1.0))
        # The point each section is scaled about (it stays put under RigBatch.rings' scaling).
        anchor = muscles.anchors(scale)[grow]
        anchors = after.centre[grow] + anchor[:, :1] * after.normal[grow] + anchor[:, 1:] * after.binormal[grow]
        # The in-plane parts of each vertex's offset from its anchor scale, each by its axis' factor (the same
        # unless the muscle widens rather than thickens, Rig.widen); the tangential part does not.
        offset = rings[grow] - anchors[:, None, :]
        axes = section_axes(ratio, muscles.widen[grow])
        for axis, direction in enumerate((after.normal[grow], after.binormal[grow])):
            part = np.einsum("rmi,ri->rm", offset, direction)
            rings[grow] += (part * (axes[:, axis, None] - 1.0))[..., None] * direction[:, None, :]

    def posed_frames(self, structure_id: str, result: PoseResult) -> Frames:
        """The frames of one structure in ``result`` (for building and checks; not the hot path)."""
        rotations = self.rotations(result)
        tendon = None if structure_id == self.tendon_id else self.calcaneal_tendon(result, rotations)
        return self.frames(self.rigs[structure_id], result, rotations, None if tendon is None else tendon[1])

    def _carried_rings(self, rings: np.ndarray) -> CarriedRings | None:
        """The rest ``rings`` (``K x M x 3``, world) of a tube ending on the toes that the toe joint carries: from
        :data:`TOE_CARRY` behind the plane through its axis, each vertex with its share of the joint's turn."""
        calcn = self.rest.body_transforms["calcn"]
        local = to_body(calcn, rings)
        start, fade = TOE_CARRY
        blend = smoothstep((self.hinge.ahead_of(local.mean(axis=1)) + start) / fade)
        rows = np.flatnonzero(blend > 0.0)
        if not len(rows):
            return None
        points = local[rows].reshape(-1, 3)
        return CarriedRings(rows, blend[rows], self.hinge.carry(points, self.hinge.shares(points, TOE_BEND)))

    # --- binding to rest meshes -----------------------------------------------------------------------------
    def bind(self, structure_id: str, vertices: np.ndarray, *, tube_only: bool = False) -> None:
        """Store a rest mesh's vertices as ring coordinates of the rig (the inverse of :meth:`place` at rest), and
        those of its slips, if it has any, in the frames of the bodies they move with.

        The calcaneal tendon must be bound before the muscles whose tails follow it. ``tube_only``: ``vertices``
        are the tube's alone (while building, before the slips exist); the slips are left as they are.
        """
        rig = self.rigs[structure_id]
        frames = self.posed_frames(structure_id, self.rest)
        k, m = rig.rings, rig.topology.per_ring
        vertices = np.asarray(vertices, dtype=float)
        expected = k * m + 2 + (rig.slips.count if rig.slips is not None and not tube_only else 0)
        if len(vertices) != expected:
            raise ValueError(f"{structure_id}: mesh has {len(vertices)} vertices, the rig expects {expected}")
        if rig.slips is not None and not tube_only:
            rig.slips.bind(vertices[k * m + 2 :], self.rest, self.hinge)
        rig.toe = self._carried_rings(vertices[: k * m].reshape(k, m, 3)) if rig.on_toes else None
        if rig.follows:
            partner = self.posed_frames(rig.follows, self.rest).centre
            rig.follow_offset = frames.centre - partner[rig.follow_rows]
            rig.follow_across = self.rest.body_transforms["tibia"][:3, 2].copy()  # medio-lateral, either leg
        if rig.stays_on:
            rig.stay_offset = frames.centre - self.posed_frames(rig.stays_on, self.rest).centre[rig.stay_rows]
            rig.stay_up = self.rest.body_transforms["tibia"][:3, 1].copy()  # the leg's long axis
        offsets = vertices[: k * m].reshape(k, m, 3) - frames.centre[:, None, :]
        rig.set_local(offsets @ np.transpose(frames.basis, (0, 2, 1)))
        rig.rest_estimate = float(self.volume_weights(rig, frames, None).sum())
