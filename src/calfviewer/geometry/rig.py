"""Rigs: everything fixed about one structure's tube, laid out once from the model at the neutral pose.

Over 500 lines on purpose: one layout step per kind of structure (muscle, slip, tendon), all sharing the layout
context made from the model at neutral.

Why a module of its own: the rigs are made both when building the meshes (:mod:`calfviewer.geometry.shaping`) and
at every start (:func:`calfviewer.geometry.assembly.load_scene_geometry`), so this is the cheap, runtime half of
what a muscle is; posing them is :mod:`calfviewer.geometry.deformer`'s job. Every muscle is a closed tube
(:mod:`calfviewer.geometry.sweep`) around its model path:

1. **Rings along the path.** The path is cut into a proximal tendon, a fleshy belly and a distal tendon (fractions
   of the rest length in :data:`~calfviewer.geometry.specs.SPECS`). Rings sit at fixed arc positions
   ``s = a + b * L`` of the current path length ``L``: tendon rings at fixed distances from their end (tendon
   barely stretches), belly rings spread over what is left, so a shortening muscle-tendon unit shortens its belly,
   as it does in life (:func:`_muscle_layout`).
2. **A smooth centreline.** The resampled path is smoothed by one precomputed matrix, which rounds the corners the
   model's via and wrap points leave and keeps the end points on the attachments.
3. **Frames that do not twist.** Each ring's normal is its rest normal (parallel-transported at build time, pointing
   posteriorly at the belly) carried by the rotation of the bones the ring lies beside (femur above the knee,
   tibia along the leg, calcaneus below the ankle, blended smoothly: :func:`_frame_weights`), then made
   perpendicular to the tangent.

The calcaneal (Achilles) tendon's centreline is the mean of the two gastrocnemius paths over the last
:attr:`~calfviewer.geometry.specs.TendonSpec.length` before the calcaneal tuberosity. The distal tendons of the
gastrocnemius heads and of the soleus follow it (their ring centres blend onto its centreline), so each muscle still
runs from its origin to the calcaneus. Tendon slips a model path does not draw (:class:`Slips`) are extra closed
components of a structure's mesh that move rigidly with the foot, bent round the toe joint.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from calfviewer.anatomy.side import Side, mirror_z, side_sign
from calfviewer.geometry import sweep
from calfviewer.geometry.specs import (
    BELLY_SPACING,
    BUILD_ORDER,
    CLEAR_ENDS,
    DEFAULT_SPEC,
    FRAME_BLEND,
    GASTROCNEMIUS,
    GUIDE_RAMP,
    OFFSET_SMOOTH,
    PER_RING,
    SLIP_GAP,
    SLIP_LEAD,
    SLIP_LIFT,
    SLIP_PER_RING,
    SLIP_SECTION,
    SLIP_SMOOTH,
    SLIP_SPACING,
    SLIPS,
    SPECS,
    TANGENT_SMOOTH,
    TENDON,
    TENDON_COMPLIANCE,
    TENDON_KEY,
    TENDON_SPACING,
    TOE_BEND,
    ShapeSpec,
)
from calfviewer.geometry.toe_joint import Carried, CarriedRings, ToeHinge
from calfviewer.musculoskeletal import NEUTRAL, MusculoskeletalModel, PoseResult
from calfviewer.musculoskeletal.frames import to_body, to_world, turned


@dataclass
class Slips:
    """The extra tube components of a structure (:data:`SLIPS`), posed rigidly with the foot, bent round the toe
    joint (:mod:`calfviewer.geometry.toe_joint`).

    Attributes:
        faces: triangles of all the slips, indices counted from the first slip vertex.
        rings: ``(first vertex, rings, per ring)`` of each slip (for the build-time clearance step).
        design: ``(N, 3)`` designed world vertices at the neutral pose (before the clearance step).
        carried: the bound rest vertices, each with its share of the toe joint's turn (None until bound).
    """

    faces: np.ndarray
    rings: tuple[tuple[int, int, int], ...]
    design: np.ndarray
    carried: Carried | None = None

    @property
    def count(self) -> int:
        return len(self.design)

    @property
    def bound(self) -> bool:
        return self.carried is not None

    def bind(self, vertices: np.ndarray, result: PoseResult, hinge: ToeHinge) -> None:
        """Store the world vertices of the slips at ``result``'s pose (the neutral one) in the calcaneus' frame,
        each with its share of the toe joint's turn (over :data:`TOE_BEND` about the plane through its axis)."""
        calcn = result.body_transforms["calcn"]
        local = to_body(calcn, vertices)
        self.carried = hinge.carry(local, hinge.shares(local, TOE_BEND))

    def posed(self, result: PoseResult, angle: float) -> np.ndarray:
        """World vertices ``(N, 3)`` in ``result``'s pose, the toes turned by ``angle`` (:meth:`ToeHinge.angle`)."""
        assert self.carried is not None
        return self.carried.posed(result, angle)


@dataclass
class Rig:
    """Everything fixed about one structure's tube: ring layout, smoothing, frame weights, and (once bound to a
    rest mesh) each vertex's ring coordinates.

    Attributes:
        structure_id: the muscle or tendon.
        kind: ``muscle`` or ``tendon``.
        a, b: ring ``i`` sits at arc position ``a[i] + b[i] * L`` of a path of length ``L`` (for the calcaneal
            tendon, ``b`` is instead each ring's distance from the insertion).
        belly: weight of each ring in the volume-keeping scale (1 in the belly, 0 in tendon).
        guide: weight pulling each ring's centre onto the calcaneal tendon's centre (tails of the triceps).
        guide_rows: the calcaneal tendon ring each guided ring follows.
        smooth: ``K x K`` centreline smoothing matrix.
        weights: ``K x len(FRAME_BODIES)`` blend of the bodies whose rotation carries the ring frames.
        rest_normal: ring normals at the neutral pose (world).
        topology: the faces.
        prefix: optional ``(body, points)``: ``(n, 3)`` points in a body frame prepended to the path (fleshy origins
            above the model's origin point).
        held: ``(index, body, point)``: points in a body frame inserted after the model path's point ``index``
            (where a retinaculum holds a tendon to the bones; :attr:`ShapeSpec.held`), this leg's side.
        dropped: model path points the drawn tube leaves out for the held ones (:attr:`ShapeSpec.dropped`).
        tangent_smooth: optional ``K x K`` smoothing of the final tangents, so a tail bending onto the calcaneal
            tendon turns its rings gradually.
        centre_offset: ``K x 2`` offset of each ring's centre from the path along (normal, binormal): the tube's
            axis is the offset line, so its rings stay perpendicular to the flesh, not to the line of action.
        local: ``K x M x 3`` ring coordinates of the rest mesh along (normal, binormal, tangent).
        anchor: ``K x 2`` point each ring's section scales about: its deep edge, and its side-to-side centre,
            so a thickening belly bulges away from the bone it lies on.
        area: rest cross-section area of each ring.
        centroid: ``K x 3`` area centroid of each rest section in ring coordinates.
        rest_estimate: the rest volume as
            :meth:`~calfviewer.geometry.deformer.MuscleDeformer.volume_weights` sums it; posing keeps it.
        release: conditional via points (see :attr:`ShapeSpec.release`).
        clear_weight: how far each ring may be moved off a bone proxy (1 in the belly, 0 at the attachments and
            along the tails that follow the calcaneal tendon).
        arc: each ring's rest distance from the origin along the structure (m).
        extent: ``K x 2``: how far a ring's vertices reach from its anchor, and the anchor's own distance from the
            axis (with the tangential coordinate): at scale ``s`` no vertex is further than ``s * e0 + e1`` from
            the ring's centre.
        slips: extra tendon slips drawn with the tube (:data:`SLIPS`); their vertices come after the tube's.
        swell: weight of each ring in the volume-keeping scale where it differs from :attr:`belly` (the calcaneal
            tendon has no belly, but its volume is kept all the same).
        widen: per ring, the share of its swelling taken in width alone (:attr:`ShapeSpec.widen`); empty: none.
        widen_medially: per ring, where across its width it widens from (:attr:`ShapeSpec.widen_medially`): its
            anchor's side-to-side place, from the middle (0) to the lateral edge (1); empty: the middle.
        middle: per ring, the side-to-side middle of its section: where it narrows from (a stretched belly's
            sections shrink about their middle, wherever :attr:`widen_medially` has them widen from).
        medial: which way along the ring's binormal is medial (+1 or -1; the left leg mirrors the right).
        follows: the muscle whose posing this one's belly follows where they meet (:attr:`ShapeSpec.follows`).
        follow: per ring, how far it keeps its rest place relative to its partner ring (0 none, 1 wholly).
        follow_rows: per ring, the ring of :attr:`follows` at its height at rest.
        follow_offset: ``K x 3``: each ring's centre minus its partner ring's at rest, world (set when bound).
        follow_across: the direction across the calf at rest (the tibia's medio-lateral axis, world; set when
            bound): a following ring follows its partner wholly along this, in depth :attr:`follow_depth` of the way
            (:attr:`ShapeSpec.follow_depth`).
        stays_on: the muscle whose back this one's belly lies on and does not slide down (:attr:`ShapeSpec.stays_on`).
        stay: per ring, how far it keeps its rest level relative to its ring of :attr:`stays_on` (0 none, 1 wholly).
        stay_rows: per ring, the ring of :attr:`stays_on` at its height at rest.
        stay_offset: ``K x 3``: each ring's centre minus its :attr:`stays_on` ring's at rest, world (set when bound).
        stay_up: the leg's long axis at rest (the tibia's, world; set when bound): the one direction along which a
            ring keeps its rest place relative to its :attr:`stays_on` ring.
        on_toes: whether the structure ends on the toes (its tube's end is then carried round the toe joint).
        toe: the rings carried round the toe joint (:mod:`calfviewer.geometry.toe_joint`; set when bound).
    """

    structure_id: str
    kind: str
    a: np.ndarray
    b: np.ndarray
    belly: np.ndarray
    guide: np.ndarray
    guide_rows: np.ndarray
    smooth: np.ndarray
    weights: np.ndarray
    rest_normal: np.ndarray
    topology: sweep.TubeTopology
    prefix: tuple[str, np.ndarray] | None = None
    held: tuple[tuple[int, str, np.ndarray], ...] = ()
    dropped: tuple[int, ...] = ()
    tangent_smooth: np.ndarray | None = None
    centre_offset: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    local: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 3)))
    anchor: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    area: np.ndarray = field(default_factory=lambda: np.zeros(0))
    centroid: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    rest_estimate: float = 0.0
    release: tuple[tuple[int, float, float], ...] = ()
    clear_weight: np.ndarray = field(default_factory=lambda: np.zeros(0))
    arc: np.ndarray = field(default_factory=lambda: np.zeros(0))
    extent: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    slips: Slips | None = None
    swell: np.ndarray | None = None
    widen: np.ndarray = field(default_factory=lambda: np.zeros(0))
    widen_medially: np.ndarray = field(default_factory=lambda: np.zeros(0))
    middle: np.ndarray = field(default_factory=lambda: np.zeros(0))
    medial: float = 1.0
    follows: str = ""
    follow: np.ndarray = field(default_factory=lambda: np.zeros(0))
    follow_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    follow_offset: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    follow_across: np.ndarray = field(default_factory=lambda: np.zeros(3))
    follow_depth: float = 1.0
    stays_on: str = ""
    stay: np.ndarray = field(default_factory=lambda: np.zeros(0))
    stay_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    stay_offset: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    stay_up: np.ndarray = field(default_factory=lambda: np.zeros(3))
    on_toes: bool = False
    toe: CarriedRings | None = None

    @property
    def swelling(self) -> np.ndarray:
        """Weight of each ring in the volume-keeping scale: :attr:`swell` where set, else :attr:`belly`."""
        return self.belly if self.swell is None else self.swell

    @property
    def rings(self) -> int:
        return len(self.a)

    @property
    def faces(self) -> np.ndarray:
        """Faces of the whole mesh: the tube's, then those of any slips (their vertices follow the tube's)."""
        if self.slips is None:
            return self.topology.faces
        return np.concatenate([self.topology.faces, self.slips.faces + self.topology.n_vertices])

    @property
    def bound(self) -> bool:
        return self.local.size > 0

    def belly_weights(self, fade_top: float, fade_bottom: float) -> np.ndarray:
        """Per tube ring, how much a build step that reshapes the belly may change it: 1 over the belly's own rings
        (not the tails that follow the calcaneal tendon), fading to 0 over ``fade_top`` (m) below the belly's top
        and ``fade_bottom`` above its bottom, so the attachments and tendons stay as designed; all 0 without a
        belly. The one rule the wrap, the packing and the drape share."""
        k = self.rings
        belly = (self.belly[:k] > 0) & (self.guide[:k] == 0)
        if not belly.any():
            return np.zeros(k)
        arc = self.arc[:k]
        top, bottom = arc[belly].min(), arc[belly].max()
        low = sweep.smoothstep((arc - top) / max(fade_top, 1e-9))
        return belly * low * sweep.smoothstep((bottom - arc) / max(fade_bottom, 1e-9))

    def set_local(self, local: np.ndarray) -> None:
        """Store ring coordinates and what follows from them (anchors, areas, centroids)."""
        self.local = np.ascontiguousarray(local, dtype=float)
        x, y = self.local[..., 0], self.local[..., 1]
        across = self.middle = y.mean(axis=1)
        if self.widen_medially.size:
            # Towards the lateral edge: what a swelling belly gains in width goes medially (ShapeSpec.widen_medially).
            lateral = y[np.arange(len(y)), np.argmin(y * self.medial, axis=1)]
            across = across + self.widen_medially * (lateral - across)
        self.anchor = np.stack([x.min(axis=1), across], axis=1)
        self.area = sweep.polygon_areas(x, y)
        self.centroid = np.concatenate(
            [sweep.polygon_centroids(x, y), self.local[..., 2].mean(axis=1)[:, None]], axis=1
        )
        spread = np.hypot(x - self.anchor[:, :1], y - self.anchor[:, 1:]).max(axis=1)
        base = np.hypot(self.anchor[:, 0], self.anchor[:, 1]) + np.abs(self.local[..., 2]).max(axis=1)
        self.extent = np.stack([spread, base], axis=1)


def _frame_weights(z: np.ndarray, knee_z: float, ankle_z: float) -> np.ndarray:
    """Blend weights of femur / tibia / calcaneus by height: femur above the knee, calcaneus below the ankle."""
    femur = sweep.smoothstep((z - knee_z) / FRAME_BLEND * 0.5 + 0.5)
    calcn = sweep.smoothstep((ankle_z - z) / FRAME_BLEND * 0.5 + 0.5)
    tibia = np.clip(1.0 - femur - calcn, 0.0, 1.0)
    weights = np.stack([femur, tibia, calcn], axis=1)
    return weights / weights.sum(axis=1, keepdims=True)


def tendon_structure_id(model: MusculoskeletalModel) -> str | None:
    """The catalogue's calcaneal tendon: the tendon formed by the soleus (None if the catalogue has none)."""
    for structure in model.catalogue.structures:
        if structure.kind == "tendon" and "soleus" in structure.formed_by:
            return structure.id
    return None


def _muscle_layout(
    spec: ShapeSpec, length: float, tendon_distances: np.ndarray | None, fixed: float = 0.0
) -> dict[str, np.ndarray]:
    """Ring arc layout of a muscle of rest path length ``length`` (including any proximal extension).

    Returns arrays over the rings: ``s`` rest arc position, ``a`` and ``b`` (posed position ``a + b * L``),
    ``kind`` (``p`` proximal tendon, ``b`` belly, ``d`` distal tendon) and ``u`` (position along the belly).
    Guided muscles put their distal rings at the calcaneal tendon's ring distances so the two line up exactly.
    The first ``fixed`` metres of the path lie along one bone (an :attr:`ShapeSpec.origin` extension): belly rings
    there keep their distance from the origin, so they stay where they are on the bone (sliding along a path that
    runs obliquely over the bone would carry them into it) and the rest of the belly takes the change of length.
    """
    tp = spec.belly[0] * length
    td = (1.0 - spec.belly[1]) * length
    lb = length - tp - td
    s_parts: list[np.ndarray] = []
    u_parts: list[np.ndarray] = []
    kinds: list[str] = []
    if tp > 1e-4:
        n = max(1, math.ceil(tp / TENDON_SPACING))
        s = np.linspace(0.0, tp, n + 1)[:-1]
        s_parts.append(s)
        kinds += ["p"] * n
        u_parts.append(np.zeros(n))
    n = max(12, math.ceil(lb / BELLY_SPACING)) + 1
    u = np.linspace(0.0, 1.0, n)
    s_parts.append(tp + u * lb)
    kinds += ["b"] * n
    u_parts.append(u)
    if td > 1e-4:
        if tendon_distances is not None:
            distances = np.sort(tendon_distances[tendon_distances < td - 0.5 * TENDON_SPACING])[::-1]
            # Fill the stretch between the belly and the top of the calcaneal tendon with plain tendon rings.
            top = distances[0] if len(distances) else 0.0
            extra = max(0, math.ceil((td - top) / TENDON_SPACING) - 1)
            if extra:
                distances = np.concatenate([np.linspace(td, top, extra + 2)[1:-1], distances])
        else:
            n = max(1, math.ceil(td / TENDON_SPACING))
            distances = np.linspace(td, 0.0, n + 1)[1:]
        s_parts.append(length - distances)
        kinds += ["d"] * len(distances)
        u_parts.append(np.ones(len(distances)))
    rest_s = np.concatenate(s_parts)
    # Where a change of length goes: all of it into the belly where the tendon is short and stiff; a share
    # (TENDON_COMPLIANCE per metre, relative to belly) into a long free tendon, as in the plantaris, whose tiny
    # belly would otherwise have to absorb the whole excursion of a two-joint muscle.
    compliance = 0.0 if tendon_distances is not None else TENDON_COMPLIANCE

    start = max(tp, min(fixed, length - td - BELLY_SPACING))  # where the belly starts to stretch

    def cumulative(x: np.ndarray) -> np.ndarray:
        return (
            compliance * np.minimum(x, tp)
            + np.clip(x - start, 0.0, lb - (start - tp))
            + compliance * np.maximum(x - (length - td), 0.0)
        )

    phi = cumulative(rest_s) / cumulative(np.array([length]))[0]
    return {
        "s": rest_s,
        "a": rest_s - length * phi,
        "b": phi,
        "kind": np.array(kinds),
        "u": np.concatenate(u_parts),
    }


def tendon_samples(result: PoseResult, distances: np.ndarray, side: Side) -> np.ndarray:
    """The calcaneal tendon's centreline at ``distances`` (m) from its insertion, in ``result``'s pose.

    MyoLeg ends both gastrocnemius paths (and soleus') at one site on the upper surface of the calcaneus near its
    back end; the tendon inserts lower, on the middle of the bone's posterior surface (catalogue). So its last
    stretch is :attr:`TendonSpec.footprint`, a line fixed in the calcaneus' frame down that surface, and above it
    the line is the mean of the two heads' paths, bent over :attr:`TendonSpec.settle` onto the footprint's top: the
    tendon comes down behind the upper part of the posterior surface (where the retrocalcaneal bursa lies between
    them) and lies on the bone below it.
    """
    footprint = mirror_z(np.array(TENDON.footprint)[::-1], side)
    along = sweep.cumulative_length(footprint)  # from the end up
    on_bone = float(along[-1])
    calcn = result.body_transforms["calcn"]
    lying = to_world(calcn, sweep.resample(footprint, along, np.minimum(distances, on_bone)))
    above = np.maximum(distances, on_bone)
    heads = []
    for head in GASTROCNEMIUS:
        points = result.muscles[head].points
        arc = sweep.cumulative_length(points)
        heads.append(sweep.resample(points, arc, arc[-1] - np.append(above, on_bone)))
    line = 0.5 * (heads[0] + heads[1])
    top = to_world(calcn, footprint[-1])
    settling = sweep.smoothstep(1.0 - (above - on_bone) / TENDON.settle)[:, None]
    blended = line[:-1] + settling * (top - line[-1])
    # Moved onto the footprint's top, the heads' line still met the footprint at an angle: the angle the foot
    # turns the calcaneus through, a kink of 37 degrees between two rings 6.5 mm apart with the foot plantarflexed
    # 40 (12 at rest). Over TendonSpec.bend it is also turned into the footprint's own line carried on up, so the
    # centreline leaves the bone along the bone's surface and bends over centimetres, as a tendon does.
    upward = turned(calcn, footprint[-1] - footprint[-2])
    carried = top + (above - on_bone)[:, None] * (upward / np.linalg.norm(upward))
    bending = sweep.smoothstep(1.0 - (above - on_bone) / TENDON.bend)[:, None]
    blended += bending * (carried - blended)
    return np.where((distances <= on_bone)[:, None], lying, blended)


@dataclass
class BuildContext:
    """What building rigs needs from the model at the neutral pose."""

    model: MusculoskeletalModel
    rest: PoseResult
    knee_z: float
    ankle_z: float
    tendon_id: str | None
    tendon_distances: np.ndarray | None
    posterior: np.ndarray
    """Where the rings' rest normals start: +y in the world for the right leg, turned with the left leg as MyoLeg
    turns it (:meth:`MusculoskeletalModel.from_right_leg`), so the left leg's rings are the right's mirrored and the
    right's meshes bound to them pose as their mirror image."""


def _band(arc: np.ndarray, band: tuple[float, ...]) -> np.ndarray:
    """Per ring at arc lengths ``arc``, 0 to 1 over ``band`` ``(in from, in to, out from, out to)`` (m from the
    origin), smoothly in and out: where a ring follows or stays on another muscle (:attr:`ShapeSpec.follow`,
    :attr:`ShapeSpec.stay`)."""
    begin, whole, release, end = band
    return sweep.smoothstep((arc - begin) / (whole - begin)) * sweep.smoothstep((end - arc) / (end - release))


def _nearest_in_height(heights: np.ndarray, partner: np.ndarray) -> np.ndarray:
    """For each of a rig's rest ring ``heights`` (world z), the index of the ``partner`` ring nearest it."""
    return np.abs(partner[None, :] - heights[:, None]).argmin(axis=1)


def build_context(model: MusculoskeletalModel) -> BuildContext:
    rest = model.pose(NEUTRAL)
    tendon_id = tendon_structure_id(model)
    distances = None
    if tendon_id is not None:
        n = math.ceil(TENDON.length / TENDON.spacing)
        distances = np.linspace(TENDON.length, 0.0, n + 1)
    return BuildContext(
        model=model,
        rest=rest,
        knee_z=float(rest.body_transforms["tibia"][2, 3]),
        ankle_z=float(rest.body_transforms["talus"][2, 3]),
        tendon_id=tendon_id,
        tendon_distances=distances,
        posterior=turned(model.from_right_leg(), [0.0, 1.0, 0.0]),
    )


def _rest_normals(centre: np.ndarray, anchor: int, posterior: np.ndarray) -> np.ndarray:
    """Twist-free rest normals starting ``posterior`` (:attr:`BuildContext.posterior`) at the ring ``anchor``."""
    return sweep.parallel_transport(sweep.tangents(centre), posterior, anchor)


def make_rigs(context: BuildContext, per_ring: int = PER_RING) -> dict[str, Rig]:
    """An unbound rig for every muscle in the model and for the calcaneal tendon, in build order."""
    model, rest = context.model, context.rest
    rigs: dict[str, Rig] = {}
    heights: dict[str, np.ndarray] = {}  # each rig's rest centreline heights (world z), to pair followed rings
    ids: list[str] = []
    for i in BUILD_ORDER:
        if i == TENDON_KEY and context.tendon_id is not None:
            ids.append(context.tendon_id)
        elif i in model.muscle_ids:
            ids.append(i)
    ids += [i for i in model.muscle_ids if i not in ids]
    for structure_id in ids:
        if structure_id == context.tendon_id:
            distances = context.tendon_distances
            assert distances is not None
            k = len(distances)
            samples = tendon_samples(rest, distances, model.side)
            smooth = np.eye(k)
            rig = Rig(
                structure_id=structure_id,
                kind="tendon",
                a=np.zeros(k),
                b=distances.copy(),
                belly=np.zeros(k),
                guide=np.zeros(k),
                guide_rows=np.zeros(k, dtype=int),
                smooth=smooth,
                weights=np.zeros((k, 3)),
                rest_normal=np.zeros((k, 3)),
                topology=sweep.TubeTopology.build(k, per_ring),
                swell=np.ones(k),  # no belly, but its volume is kept all the same
            )
            table = np.array(TENDON.offset)
            rig.centre_offset = np.stack([np.interp(distances, table[:, 0], table[:, 1]), np.zeros(k)], axis=1)
            centre = samples
            anchor = k // 2
            arc, length = distances.max() - distances, float(distances.max())
        else:
            spec = SPECS.get(structure_id, DEFAULT_SPEC)
            held = tuple((index, body, mirror_z(np.array(point), model.side)) for index, body, point in spec.held)
            points = _with_held(rest.muscles[structure_id].points, held, rest, spec.dropped)
            prefix = None
            fixed = 0.0
            if spec.extend > 0 or spec.origin:
                body = model.catalogue.body_of(model.catalogue.get(structure_id).origins[0].bone)
                transform = rest.body_transforms[body]
                if spec.origin:
                    # Body frames of the left leg mirror the right's across their z, as its bone meshes do.
                    local = mirror_z(np.array(spec.origin, dtype=float).reshape(-1, 3), model.side)
                    extra = to_world(transform, local)
                else:
                    direction = points[0] - points[1]
                    direction /= np.linalg.norm(direction)
                    extra = (points[0] + spec.extend * direction)[None, :]
                    local = to_body(transform, extra)
                prefix = (body, local)
                points = np.vstack([extra, points])
                if spec.origin:
                    fixed = float(sweep.cumulative_length(points)[len(extra)])
            length = float(sweep.cumulative_length(points)[-1])
            layout = _muscle_layout(spec, length, context.tendon_distances if spec.guided else None, fixed)
            k = len(layout["a"])
            arc = sweep.cumulative_length(points)
            samples = sweep.resample(points, arc, layout["s"])
            sigma = np.full(k, spec.smooth)
            smooth = sweep.smoothing_matrix(layout["s"], sigma)
            guide = np.zeros(k)
            rows = np.zeros(k, dtype=int)
            if spec.guided and context.tendon_distances is not None:
                distance = length - layout["s"]
                td = context.tendon_distances
                # Ramp the tail onto the tendon's centre over GUIDE_RAMP, starting where the tail starts (or the
                # tendon does, if the belly ends above it), so the tail bends in smoothly instead of stepping.
                tail = distance[layout["kind"] == "d"]
                start = min(float(td.max()), float(tail.max()) if len(tail) else 0.0)
                guide = np.where(layout["kind"] == "d", sweep.smoothstep((start - distance) / GUIDE_RAMP), 0.0)
                rows = np.abs(td[None, :] - distance[:, None]).argmin(axis=1)
                guide = np.where(np.abs(td[rows] - distance) < 1e-9, guide, 0.0)
            belly = np.where(layout["kind"] == "b", 1.0, 0.0)
            rig = Rig(
                structure_id=structure_id,
                kind="muscle",
                a=layout["a"],
                b=layout["b"],
                belly=belly,
                guide=guide,
                guide_rows=rows,
                smooth=smooth,
                weights=np.zeros((k, 3)),
                rest_normal=np.zeros((k, 3)),
                topology=sweep.TubeTopology.build(k, per_ring),
                prefix=prefix,
                held=held,
                dropped=spec.dropped,
            )
            table = np.array(spec.offset)
            along = layout["s"] / length
            keep = 1.0 - guide  # tails tucked into the calcaneal tendon follow its centre instead
            side = side_sign(model.side)
            # The table is piecewise linear: its corners, smoothed away, would draw a band across the belly at
            # every knot (the same height on both gastrocnemius heads, whose tables share knots).
            rig.centre_offset = sweep.smoothing_matrix(layout["s"], OFFSET_SMOOTH) @ np.stack(
                [
                    np.interp(along, table[:, 0], table[:, 1]) * keep,
                    np.interp(along, table[:, 0], table[:, 2]) * keep * side,
                ],
                axis=1,
            )
            rig.tangent_smooth = sweep.smoothing_matrix(layout["s"], TANGENT_SMOOTH)
            centre = smooth @ samples
            anchor = int(np.where(layout["kind"] == "b", np.abs(layout["u"] - spec.peak), np.inf).argmin())
            arc = layout["s"]
            rig.release = spec.release
            rig.widen = np.full(k, spec.widen)
            rig.medial = float(side)
            if spec.widen_medially:
                start, full, share = spec.widen_medially
                rig.widen_medially = share * sweep.smoothstep((arc - start) / (full - start))
            if spec.follows:
                rig.follows = spec.follows
                rig.follow_depth = spec.follow_depth
                rig.follow = _band(arc, spec.follow)
            if spec.stays_on:
                rig.stays_on = spec.stays_on
                rig.stay = _band(arc, spec.stay)
            insertions = model.catalogue.get(structure_id).insertions
            rig.on_toes = any(model.catalogue.body_of(attachment.bone) == "toes" for attachment in insertions)
        rig.weights = _frame_weights(centre[:, 2], context.knee_z, context.ankle_z)
        rig.arc = arc
        rig.clear_weight = (
            sweep.smoothstep(arc / CLEAR_ENDS) * sweep.smoothstep((length - arc) / CLEAR_ENDS) * (1.0 - rig.guide)
        )
        rig.rest_normal = _rest_normals(centre, anchor, context.posterior)
        if structure_id in SLIPS:
            rig.slips = _make_slips(context, structure_id, centre)
        rigs[structure_id] = rig
        heights[structure_id] = centre[:, 2]
    for rig in rigs.values():
        # Each ring's partner: the ring of the muscle it follows (or stays on) nearest its height at rest.
        if rig.follows:
            rig.follow_rows = _nearest_in_height(heights[rig.structure_id], heights[rig.follows])
        if rig.stays_on:
            rig.stay_rows = _nearest_in_height(heights[rig.structure_id], heights[rig.stays_on])
    return rigs


def _make_slips(context: BuildContext, structure_id: str, centre: np.ndarray) -> Slips:
    """The designed slips of ``structure_id`` (:data:`SLIPS`) around its rest centreline ``centre``.

    Built at load as well as at build time (the rig needs their vertex count), so everything here
    is cheap and follows from the model alone.
    """
    model, rest = context.model, context.rest
    flip = np.array(mirror_z((1.0, 1.0, 1.0), model.side))  # left body frames mirror across z
    calcn = rest.body_transforms["calcn"]
    insertions = model.catalogue.get(structure_id).insertions
    distance = sweep.cumulative_length(centre)
    distance = distance[-1] - distance
    tangent = sweep.tangents(centre)
    c, s = sweep.superellipse(SLIP_PER_RING, 2.0)
    up = calcn[:3, 1]
    parts: list[np.ndarray] = []
    faces: list[np.ndarray] = []
    rings: list[tuple[int, int, int]] = []
    start = 0
    for slip in SLIPS[structure_id]:
        face = up if slip.dorsal else -up  # the side of the bones it runs on
        # Where it starts: beside the main tendon (whose width lies across the foot), running alongside it.
        at = np.array([distance[0] - slip.branch])
        base = sweep.resample(centre, distance[0] - distance, at)[0]
        along = sweep.resample(tangent, distance[0] - distance, at)[0]
        along /= np.linalg.norm(along)
        side = turned(calcn, np.array([0.0, 0.0, slip.side]) * flip)
        side -= np.dot(side, along) * along
        side /= np.linalg.norm(side)
        reach = 0.5 * SPECS[structure_id].tendon_distal[1] + 0.5 * SLIP_SECTION[1] + SLIP_GAP
        points = [base + reach * side, base + reach * side + SLIP_LEAD * along]
        for body, local in slip.via:
            transform = rest.body_transforms[body]
            points.append(to_world(transform, np.array(local) * flip))
        end = model.attachment_world(rest, insertions[slip.insertion])
        points.append(end + SLIP_LIFT * face)
        path = np.array(points)
        arc = sweep.cumulative_length(path)
        fine = np.linspace(0.0, arc[-1], max(8, math.ceil(arc[-1] / 5e-4)) + 1)
        smooth = sweep.smoothing_matrix(fine, SLIP_SMOOTH) @ sweep.resample(path, arc, fine)
        fine_arc = sweep.cumulative_length(smooth)
        k = max(2, math.ceil(fine_arc[-1] / SLIP_SPACING) + 1)
        line = sweep.resample(smooth, fine_arc, np.linspace(0.0, fine_arc[-1], k))
        normal, binormal = sweep.orthonormal_frames(sweep.tangents(line), np.tile(face, (k, 1)))
        ring = (
            line[:, None, :]
            + 0.5 * SLIP_SECTION[0] * c[None, :, None] * normal[:, None, :]
            + 0.5 * SLIP_SECTION[1] * s[None, :, None] * binormal[:, None, :]
        )
        parts.append(sweep.with_caps(ring))
        faces.append(sweep.TubeTopology.build(k, SLIP_PER_RING).faces + start)
        rings.append((start, k, SLIP_PER_RING))
        start += k * SLIP_PER_RING + 2
    return Slips(faces=np.concatenate(faces), rings=tuple(rings), design=np.concatenate(parts))


def path_length(rig: Rig, result: PoseResult) -> float:
    """Length of a muscle's path (with its proximal extension) in ``result``."""
    return float(sweep.cumulative_length(path_points(rig, result))[-1])


def path_start(rig: Rig, result: PoseResult) -> np.ndarray:
    """Where a muscle's tube starts in ``result``: the first point of its proximal extension if it has one (for the
    soleus, its origin on the fibular head), else the model's origin point."""
    return path_points(rig, result)[0]


def _with_held(
    points: np.ndarray,
    held: tuple[tuple[int, str, np.ndarray], ...],
    result: PoseResult,
    dropped: tuple[int, ...] = (),
) -> np.ndarray:
    """The model path with the retinacula's points (:attr:`Rig.held`) inserted, placed by their bones in ``result``,
    and the model points they replace (:attr:`Rig.dropped`) left out."""
    if not held:
        return points
    keep = np.ones(len(points), dtype=bool)
    keep[list(dropped)] = False
    pieces, last = [], 0
    for index, body, local in held:
        transform = result.body_transforms[body]
        pieces += [
            points[last : index + 1][keep[last : index + 1]],
            to_world(transform, local)[None, :],
        ]
        last = index + 1
    pieces.append(points[last:][keep[last:]])
    return np.concatenate(pieces)


def path_points(rig: Rig, result: PoseResult) -> np.ndarray:
    """A muscle's path in ``result``, with the rig's proximal extension points prepended if it has any, and its
    conditional via points let go as far as the knee's flexion says (:attr:`ShapeSpec.release`)."""
    points = _with_held(result.muscles[rig.structure_id].points, rig.held, result, rig.dropped)
    for index, begin, end in rig.release:
        let_go = float(sweep.smoothstep((result.pose.knee_flexion - begin) / (end - begin)))
        if let_go > 0.0:
            points = points.copy()
            before, after = points[index - 1], points[index + 1]
            chord = after - before
            t = min(max(float(np.dot(points[index] - before, chord) / np.dot(chord, chord)), 0.0), 1.0)
            points[index] += let_go * (before + t * chord - points[index])
    if rig.prefix is not None:
        body, local = rig.prefix
        transform = result.body_transforms[body]
        points = np.vstack([to_world(transform, local), points])
    return points
