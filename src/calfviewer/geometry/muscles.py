"""Muscle and tendon surfaces that follow the MyoLeg paths, keep their volume, and stay attached.

How a muscle is built
---------------------
Every muscle is a closed tube (:mod:`calfviewer.geometry.sweep`) around its model path:

1. **Rings along the path.** The path is cut into a proximal tendon, a fleshy belly and a distal tendon (fractions
   of the rest length in :data:`SPECS`). Rings sit at fixed arc positions ``s = a + b * L`` of the current path
   length ``L``: tendon rings at fixed distances from their end (tendon barely stretches), belly rings spread over
   what is left, so a shortening muscle-tendon unit shortens its belly, as it does in life.
2. **A smooth centreline.** The resampled path is smoothed by one precomputed matrix, which rounds the corners the
   model's via and wrap points leave and keeps the end points on the attachments.
3. **Frames that do not twist.** Each ring's normal is its rest normal (parallel-transported at build time, pointing
   posteriorly at the belly) carried by the rotation of the bones the ring lies beside (femur above the knee,
   tibia along the leg, calcaneus below the ankle, blended smoothly), then made perpendicular to the tangent.
4. **An anatomical cross-section.** A super-ellipse, flattened front to back (the gastrocnemius heads and the soleus
   are broad and flat, the deep muscles rounder), with its centre offset from the line of action so the layers nest,
   growing from tendon size to the belly's peak and back (:class:`ShapeSpec`). The peak size is solved so the volume
   matches :mod:`calfviewer.geometry.volumes`.
5. **Clearance.** Rings that dip into a bone, or into a deeper muscle, are moved as a whole within their own plane
   (and, where wedged between two bones, shrunk) until they clear (:mod:`calfviewer.geometry.clearance`). This
   happens once, at build time; the result is part of the stored rest mesh.

The calcaneal (Achilles) tendon is not a model path: its centreline is the mean of the two gastrocnemius paths over
the last :attr:`TendonSpec.length` before the calcaneal tuberosity, broad and thin where it leaves the muscles at
mid-calf, narrowest a few centimetres above the heel, flaring onto the tuberosity. The distal tendons of the
gastrocnemius heads and of the soleus are drawn inside it (their ring centres blend onto its centreline), so each
muscle still runs from its origin to the calcaneus.

Posing
------
:class:`MuscleDeformer` holds the rest mesh of every structure in ring coordinates (each vertex: its ring and its
offset along the ring's normal, binormal and tangent). Posing rebuilds the centrelines and frames and places the
vertices; the belly's cross-section is scaled so the volume stays what it was at rest (muscle is incompressible: a
shorter belly is a thicker one). Same vertex count and faces in every pose.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from calfviewer.geometry import sweep
from calfviewer.geometry.volumes import Subject, VolumeTarget, subject_from_leg, target_volumes
from calfviewer.musculoskeletal import NEUTRAL, MusculoskeletalModel, PoseResult

if TYPE_CHECKING:  # trimesh and the clearance step are build-time only: the viewer starts without importing them
    import trimesh

    from calfviewer.geometry.clearance import Obstacle

MUSCLES_GENERATOR = "calfviewer.geometry.muscles"
MUSCLES_GENERATOR_VERSION = 2
"""Bump whenever a change here changes the generated meshes; the sync test then asks for a rebuild."""

PER_RING = 36
"""Vertices around each ring: enough for a smooth silhouette at the zoom a whole calf fills the window."""
BELLY_SPACING = 0.004
"""Ring spacing along a belly (m); bellies curve and change size, so they get dense rings."""
TENDON_SPACING = 0.008
"""Ring spacing along a tendon (m); tendons are thin and mostly straight."""
TANGENT_SMOOTH = 0.008
"""Gaussian width (m) of the smoothing of ring directions along a muscle."""
GUIDE_RAMP = 0.05
"""Length over which a triceps tendon tail moves onto the calcaneal tendon's centreline (m)."""
TENDON_COMPLIANCE = 0.3
"""How much a metre of free tendon gives, relative to a metre of belly, when the muscle-tendon unit changes length."""
CLEARANCE = 1.0e-3
"""How far outside a bone or a deeper muscle a pushed vertex ends up (m)."""

#: Bodies whose rotation carries the ring frames, and the heights (rest, world z) where one hands over to the next.
FRAME_BODIES = ("femur", "tibia", "calcn")
FRAME_BLEND = 0.015

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ShapeSpec:
    """How one muscle looks: where its belly is, how big around, which way it is offset.

    Lengths in metres; "thickness" is front to back (along the ring normal, posterior positive), "width" side to
    side (along the binormal, which points medially on the right leg).

    Attributes:
        belly: start and end of the fleshy belly as fractions of the rest path length from the origin.
        peak: where within the belly (0..1) the cross-section is largest.
        fullness: exponent of the belly profile ``sin(pi u) ** fullness``; below 1 the belly is broad and blunt,
            above 1 spindle-shaped.
        aspect: width / thickness of the belly at its peak.
        exponent: super-ellipse exponent of the section (2 ellipse; larger squarer).
        deep: share of the thickness on the deep (anterior) side of the line of action (0.5 symmetric).
        tendon_proximal: (thickness, width) of the section at the origin end.
        tendon_distal: (thickness, width) of the section at the insertion end.
        offset: control points ``(u, posterior, medial)``: offset of the section centre from the path at the
            fraction ``u`` of the rest length from the origin (linear in between). This is what nests the layers:
            the model's lines of action are where the forces act, not where the flesh is.
        smooth: centreline smoothing width (Gaussian sigma along the path).
        extend: metres the belly reaches above the model's origin point, along the path (fleshy origins that
            span a length of bone, such as the deep flexors', start higher than the model's single point).
        guided: distal tendon runs inside the calcaneal tendon.
        crowded_origin: length from the origin (m) over which the muscle is not pushed out of other muscles,
            where attachments crowd each other on the bone (the plantaris arises just above the lateral head).
    """

    belly: tuple[float, float]
    peak: float = 0.45
    fullness: float = 1.0
    aspect: float = 2.0
    exponent: float = 2.0
    deep: float = 0.5
    tendon_proximal: tuple[float, float] = (0.003, 0.006)
    tendon_distal: tuple[float, float] = (0.003, 0.005)
    offset: tuple[tuple[float, float, float], ...] = ((0.0, 0.0, 0.0), (1.0, 0.0, 0.0))
    smooth: float = 0.012
    extend: float = 0.0
    guided: bool = False
    crowded_origin: float = 0.0


@dataclass(frozen=True)
class TendonSpec:
    """The calcaneal tendon.

    Attributes:
        length: from where it leaves the gastrocnemius bellies at mid-calf to the calcaneal tuberosity (m); the
            free tendon below the soleus is its last 5-6 cm.
        sections: (distance from the insertion, thickness, width) control points, metres, interpolated smoothly:
            broad aponeurosis at the top, narrowest ~4 cm above the heel (~6 x 14 mm, i.e. ~65 mm^2, the typical
            adult cross-sectional area of 50-80 mm^2 measured by ultrasound and MRI), flared onto the tuberosity
            (17 mm wide here: the insertion wraps the convex back of the bone, and a flat band any wider would
            stand off it).
        offset: (distance from the insertion, posterior offset) control points: it lies behind the soleus, and
            its end sits on the back of the tuberosity (offset by about half its thickness from the insertion
            point, which is on the bone surface). Higher up it is set a little short of the back of the soleus and
            the clearance step lays it on the soleus (touching, as the soleus fibres insert on it).
    """

    length: float = 0.21
    sections: tuple[tuple[float, float, float], ...] = (
        (0.000, 0.0050, 0.0170),
        (0.012, 0.0060, 0.0165),
        (0.040, 0.0060, 0.0145),
        (0.080, 0.0045, 0.0180),
        (0.130, 0.0032, 0.0300),
        (0.180, 0.0030, 0.0350),
        (0.200, 0.0026, 0.0300),
        (0.210, 0.0012, 0.0120),
    )
    offset: tuple[tuple[float, float], ...] = (
        (0.0, 0.003),
        (0.02, 0.004),
        (0.045, 0.006),
        (0.095, 0.012),
        (0.145, 0.020),
        (0.21, 0.026),
    )
    spacing: float = 0.006
    exponent: float = 2.6


#: Right-leg shapes, chosen against Gray's Anatomy 42e and the MyoLeg paths (see docs/geometry.md).
SPECS: dict[str, ShapeSpec] = {
    "gastrocnemius_medial_head": ShapeSpec(
        belly=(0.04, 0.60),
        peak=0.35,
        fullness=0.9,
        aspect=1.8,
        exponent=2.2,
        deep=0.35,
        tendon_proximal=(0.003, 0.008),
        tendon_distal=(0.0012, 0.003),
        offset=(
            (0.0, 0.0, 0.0),
            (0.1, 0.006, 0.002),
            (0.2, 0.006, 0.005),
            (0.35, 0.010, 0.006),
            (0.5, 0.013, 0.005),
            (0.6, 0.012, 0.003),
            (0.7, 0.008, 0.0),
            (0.8, 0.0, 0.0),
            (1.0, 0.0, 0.0),
        ),
        guided=True,
    ),
    "gastrocnemius_lateral_head": ShapeSpec(
        belly=(0.05, 0.52),
        peak=0.35,
        fullness=0.9,
        aspect=1.7,
        exponent=2.2,
        deep=0.35,
        tendon_proximal=(0.003, 0.006),
        tendon_distal=(0.0012, 0.003),
        offset=(
            (0.0, 0.0, 0.0),
            (0.1, 0.005, -0.002),
            (0.2, 0.009, -0.005),
            (0.35, 0.011, -0.006),
            (0.52, 0.011, -0.003),
            (0.65, 0.006, 0.0),
            (0.8, 0.0, 0.0),
            (1.0, 0.0, 0.0),
        ),
        guided=True,
        crowded_origin=0.02,
    ),
    "soleus": ShapeSpec(
        belly=(0.0, 0.84),
        peak=0.4,
        fullness=0.7,
        aspect=2.6,
        exponent=2.8,
        deep=0.5,
        tendon_proximal=(0.012, 0.020),
        tendon_distal=(0.0012, 0.004),
        offset=(
            (0.0, 0.008, 0.0),
            (0.15, 0.021, 0.0),
            (0.32, 0.024, 0.0),
            (0.45, 0.023, 0.0),
            (0.6, 0.020, 0.0),
            (0.72, 0.016, 0.0),
            (0.84, 0.008, 0.0),
            (1.0, 0.0, 0.0),
        ),
        smooth=0.02,
        guided=True,
    ),
    "plantaris": ShapeSpec(
        belly=(0.02, 0.21),
        peak=0.4,
        fullness=1.2,
        aspect=1.6,
        tendon_proximal=(0.003, 0.005),
        tendon_distal=(0.0015, 0.003),
        # Its long tendon runs down the medial border of the calcaneal tendon, not across its back.
        offset=(
            (0.0, 0.0, 0.0),
            (0.1, 0.005, 0.0),
            (0.25, 0.005, 0.004),
            (0.45, 0.0, 0.010),
            (0.65, 0.0, 0.013),
            (0.88, 0.0, 0.008),
            (1.0, 0.0, 0.0),
        ),
    ),
    "popliteus": ShapeSpec(
        belly=(0.18, 1.0),
        peak=0.6,
        fullness=0.7,
        aspect=3.0,
        exponent=2.4,
        deep=0.5,
        tendon_proximal=(0.003, 0.006),
        tendon_distal=(0.004, 0.020),
        offset=((0.0, 0.0, 0.0), (0.3, 0.003, 0.0), (1.0, 0.003, 0.0)),
        smooth=0.006,
    ),
    "tibialis_posterior": ShapeSpec(
        belly=(0.0, 0.62),
        peak=0.42,
        fullness=0.8,
        aspect=1.5,
        exponent=2.2,
        deep=0.35,
        tendon_proximal=(0.006, 0.012),
        tendon_distal=(0.0035, 0.007),
        offset=(
            (0.0, 0.006, -0.002),
            (0.15, 0.013, -0.002),
            (0.5, 0.013, 0.0),
            (0.7, 0.007, 0.0),
            (0.8, 0.0, 0.0),
            (1.0, 0.0, 0.0),
        ),
    ),
    "flexor_digitorum_longus": ShapeSpec(
        belly=(0.0, 0.42),
        peak=0.45,
        fullness=0.9,
        aspect=1.6,
        tendon_proximal=(0.004, 0.008),
        tendon_distal=(0.0025, 0.004),
        offset=(
            (0.0, 0.004, 0.0),
            (0.1, 0.007, 0.002),
            (0.35, 0.007, 0.002),
            (0.48, 0.003, 0.0),
            (0.55, 0.0, 0.0),
            (1.0, 0.0, 0.0),
        ),
        extend=0.04,
    ),
    "flexor_hallucis_longus": ShapeSpec(
        belly=(0.0, 0.42),
        peak=0.5,
        fullness=0.8,
        aspect=1.5,
        tendon_proximal=(0.005, 0.010),
        tendon_distal=(0.003, 0.005),
        offset=(
            (0.0, 0.004, 0.004),
            (0.1, 0.005, 0.006),
            (0.35, 0.005, 0.004),
            (0.45, 0.002, 0.0),
            (0.55, 0.0, 0.0),
            (1.0, 0.0, 0.0),
        ),
        extend=0.04,
    ),
}
DEFAULT_SPEC = ShapeSpec(belly=(0.1, 0.7))
TENDON = TendonSpec()

#: The order structures are built in: deepest first, so each layer can be pushed out of the ones beneath it.
BUILD_ORDER = (
    "popliteus",
    "tibialis_posterior",
    "flexor_digitorum_longus",
    "flexor_hallucis_longus",
    "soleus",
    "plantaris",
    "calcaneal_tendon",
    "gastrocnemius_lateral_head",
    "gastrocnemius_medial_head",
)
#: Which already-built structures each one must stay outside (bones always). Only the bellies count: the tendon
#: tails of the triceps lie inside the calcaneal tendon on purpose.
UNDER: dict[str, tuple[str, ...]] = {
    "soleus": ("popliteus", "tibialis_posterior", "flexor_digitorum_longus", "flexor_hallucis_longus"),
    "plantaris": ("popliteus", "soleus"),
    "calcaneal_tendon": ("tibialis_posterior", "flexor_digitorum_longus", "flexor_hallucis_longus", "soleus"),
    "gastrocnemius_lateral_head": ("popliteus", "soleus", "plantaris"),
    "gastrocnemius_medial_head": ("popliteus", "soleus", "plantaris", "gastrocnemius_lateral_head"),
}
GASTROCNEMIUS = ("gastrocnemius_medial_head", "gastrocnemius_lateral_head")
TENDON_KEY = "calcaneal_tendon"
"""Stands for the catalogue's calcaneal tendon in :data:`BUILD_ORDER` and :data:`UNDER`, whatever its id."""


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def belly_profile(u: np.ndarray, peak: float, fullness: float) -> np.ndarray:
    """0 at both ends of the belly, 1 at ``peak``: ``sin(pi * u**g) ** fullness`` with ``0.5 = peak**g``."""
    g = math.log(0.5) / math.log(peak)
    return np.sin(np.pi * np.clip(u, 0.0, 1.0) ** g) ** fullness


# --- rigs -----------------------------------------------------------------------------------------------------


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
        prefix: optional ``(body, point)``: a point in a body frame prepended to the path (fleshy origins).
        tangent_smooth: optional ``K x K`` smoothing of the final tangents, so a tail bending onto the calcaneal
            tendon turns its rings gradually.
        centre_offset: ``K x 2`` offset of each ring's centre from the path along (normal, binormal): the tube's
            axis is the offset line, so its rings stay perpendicular to the flesh, not to the line of action.
        local: ``K x M x 3`` ring coordinates of the rest mesh along (normal, binormal, tangent).
        anchor: ``K x 2`` point each ring's section scales about: its deep edge, and its side-to-side centre,
            so a thickening belly bulges away from the bone it lies on.
        area: rest cross-section area of each ring.
        centroid: ``K x 3`` area centroid of each rest section in ring coordinates.
        rest_estimate: the rest volume as :meth:`MuscleDeformer.volume_weights` sums it; posing keeps it.
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
    tangent_smooth: np.ndarray | None = None
    centre_offset: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    local: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 3)))
    anchor: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    area: np.ndarray = field(default_factory=lambda: np.zeros(0))
    centroid: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    rest_estimate: float = 0.0

    @property
    def rings(self) -> int:
        return len(self.a)

    @property
    def bound(self) -> bool:
        return self.local.size > 0

    def set_local(self, local: np.ndarray) -> None:
        """Store ring coordinates and what follows from them (anchors, areas, centroids)."""
        self.local = np.ascontiguousarray(local, dtype=float)
        x, y = self.local[..., 0], self.local[..., 1]
        self.anchor = np.stack([x.min(axis=1), y.mean(axis=1)], axis=1)
        self.area = sweep.polygon_areas(x, y)
        self.centroid = np.concatenate(
            [sweep.polygon_centroids(x, y), self.local[..., 2].mean(axis=1)[:, None]], axis=1
        )


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
        return np.stack([self.normal, self.binormal, self.tangent], axis=1)


def _frame_weights(z: np.ndarray, knee_z: float, ankle_z: float) -> np.ndarray:
    """Blend weights of femur / tibia / calcaneus by height: femur above the knee, calcaneus below the ankle."""
    femur = _smoothstep((z - knee_z) / FRAME_BLEND * 0.5 + 0.5)
    calcn = _smoothstep((ankle_z - z) / FRAME_BLEND * 0.5 + 0.5)
    tibia = np.clip(1.0 - femur - calcn, 0.0, 1.0)
    weights = np.stack([femur, tibia, calcn], axis=1)
    return weights / weights.sum(axis=1, keepdims=True)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.sqrt(np.einsum("ij,ij->i", v, v))[:, None]


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cross product (``np.cross`` is several times slower on small arrays)."""
    return np.stack(
        [
            a[:, 1] * b[:, 2] - a[:, 2] * b[:, 1],
            a[:, 2] * b[:, 0] - a[:, 0] * b[:, 2],
            a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0],
        ],
        axis=1,
    )


class MuscleDeformer:
    """Places every muscle and tendon vertex for a pose (implements :class:`~calfviewer.geometry.assembly.
    SoftTissueDeformer`).

    Build the rigs with :func:`make_rigs`, give each its rest mesh with :meth:`bind`; :meth:`deform` is the
    per-frame call.
    """

    def __init__(self, model: MusculoskeletalModel, rigs: Mapping[str, Rig], tendon_id: str | None) -> None:
        self.model = model
        self.rigs = dict(rigs)
        self.tendon_id = tendon_id
        self.rest = model.pose(NEUTRAL)
        self._rest_rotation = np.stack([self.rest.body_transforms[b][:3, :3] for b in FRAME_BODIES])

    # --- centrelines ----------------------------------------------------------------------------------------
    def _samples(self, rig: Rig, result: PoseResult) -> np.ndarray:
        if rig.kind == "tendon":
            heads = []
            for head in GASTROCNEMIUS:
                points = result.muscles[head].points
                arc = sweep.cumulative_length(points)
                heads.append(sweep.resample(points, arc, arc[-1] - rig.b))
            return 0.5 * (heads[0] + heads[1])
        points = _path_points(rig, result)
        arc = sweep.cumulative_length(points)
        return sweep.resample(points, arc, rig.a + rig.b * arc[-1])

    def rotations(self, result: PoseResult) -> np.ndarray:
        """Rotation of each of :data:`FRAME_BODIES` from the neutral pose to ``result``'s (``3 x 3 x 3``)."""
        posed = np.stack([result.body_transforms[b][:3, :3] for b in FRAME_BODIES])
        return posed @ np.transpose(self._rest_rotation, (0, 2, 1))

    def frames(self, rig: Rig, result: PoseResult, rotations: np.ndarray, tendon_centre: np.ndarray | None) -> Frames:
        """The posed centreline and ring frames of one structure."""
        centre = rig.smooth @ self._samples(rig, result)
        if tendon_centre is not None and rig.kind == "muscle" and rig.guide.any():
            g = rig.guide[:, None]
            centre = (1 - g) * centre + g * tendon_centre[rig.guide_rows]
        tangent = sweep.tangents(centre)
        carried = rig.rest_normal @ np.transpose(rotations, (0, 2, 1))  # (bodies, K, 3)
        reference = np.einsum("kb,bki->ki", rig.weights, carried)
        normal = _unit(reference - np.einsum("ij,ij->i", reference, tangent)[:, None] * tangent)
        if rig.centre_offset.size:
            binormal = _cross(tangent, normal)
            centre = centre + normal * rig.centre_offset[:, :1] + binormal * rig.centre_offset[:, 1:]
            tangent = sweep.tangents(centre)
            if rig.tangent_smooth is not None:
                tangent = _unit(rig.tangent_smooth @ tangent)
            normal = _unit(normal - np.einsum("ij,ij->i", normal, tangent)[:, None] * tangent)
        return Frames(centre, tangent, normal, _cross(tangent, normal))

    # --- volume ---------------------------------------------------------------------------------------------
    @staticmethod
    def volume_weights(rig: Rig, frames: Frames, scale: np.ndarray | None) -> np.ndarray:
        """Each ring's share of the volume: section area times the advance of its centroid along the tangent.

        Why centroids: a section offset from a curved centreline sweeps more (outside of the bend) or less
        (inside) volume than its area times the centreline length; Pappus's theorem says the centroid's path is
        what counts. Cheap (per ring, not per vertex), so the volume can be kept every pose.
        """
        centroid = rig.centroid
        area = rig.area
        if scale is not None:
            centroid = centroid.copy()
            centroid[:, :2] = rig.anchor + scale[:, None] * (centroid[:, :2] - rig.anchor)
            area = area * scale**2
        path = frames.centre + np.einsum("kj,kji->ki", centroid, frames.basis)
        step = np.diff(path, axis=0)
        along = np.abs(np.einsum("ij,ij->i", step, 0.5 * (frames.tangent[1:] + frames.tangent[:-1])))
        spacing = np.zeros(len(area))
        spacing[:-1] += 0.5 * along
        spacing[1:] += 0.5 * along
        return area * spacing

    def belly_scale(self, rig: Rig, frames: Frames) -> np.ndarray:
        """Per-ring section scale that keeps the rest volume, scaling only the belly (two fixed-point steps)."""
        scale = None
        for _ in range(2):
            weighted = self.volume_weights(rig, frames, scale)
            if scale is not None:
                weighted = weighted / np.where(scale > 0, scale**2, 1.0)  # back to unit-scale areas, new path
            belly = float((rig.belly * weighted).sum())
            if belly <= 0:
                return np.ones(rig.rings)
            k = 1.0 + (rig.rest_estimate - float(weighted.sum())) / belly
            k = min(max(k, 0.25), 4.0)
            scale = np.sqrt(1.0 + rig.belly * (k - 1.0))
        assert scale is not None
        return scale

    # --- placing vertices -----------------------------------------------------------------------------------
    @staticmethod
    def place(rig: Rig, frames: Frames, scale: np.ndarray | None = None) -> np.ndarray:
        """Vertices ``(K*M + 2, 3)`` of ``rig``'s ring coordinates on ``frames``; ``scale`` per ring (belly)."""
        k, m = rig.rings, rig.topology.per_ring
        local = rig.local
        if scale is not None:
            # Scale (normal, binormal) about the anchor, leave the tangential coordinate: one multiply-add.
            factor = np.ones((k, 1, 3))
            factor[:, 0, :2] = scale[:, None]
            shift = np.zeros((k, 1, 3))
            shift[:, 0, :2] = (1.0 - scale)[:, None] * rig.anchor
            local = local * factor + shift
        out = np.empty((k * m + 2, 3))
        rings = out[: k * m].reshape(k, m, 3)
        np.matmul(local, frames.basis, out=rings)
        rings += frames.centre[:, None, :]
        out[k * m] = rings[0].mean(axis=0)
        out[k * m + 1] = rings[-1].mean(axis=0)
        return out

    def _tendon(self, result: PoseResult, rotations: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """The calcaneal tendon's vertices and ring centres (what the triceps tails follow), if it is bound."""
        if self.tendon_id is None or not self.rigs[self.tendon_id].bound:
            return None
        rig = self.rigs[self.tendon_id]
        vertices = self.place(rig, self.frames(rig, result, rotations, None))
        centres = vertices[: rig.rings * rig.topology.per_ring].reshape(rig.rings, -1, 3).mean(axis=1)
        return vertices, centres

    def deform(self, result: PoseResult) -> dict[str, np.ndarray]:
        """World vertex positions of every structure in ``result``'s pose, same order and count as at rest."""
        rotations = self.rotations(result)
        out: dict[str, np.ndarray] = {}
        tendon = self._tendon(result, rotations)
        tendon_centre = None
        if tendon is not None and self.tendon_id is not None:
            out[self.tendon_id], tendon_centre = tendon
        for structure_id, rig in self.rigs.items():
            if structure_id == self.tendon_id:
                continue
            frames = self.frames(rig, result, rotations, tendon_centre)
            out[structure_id] = self.place(rig, frames, self.belly_scale(rig, frames))
        return out

    def posed_frames(self, structure_id: str, result: PoseResult) -> Frames:
        """The frames of one structure in ``result`` (for building and checks; not the hot path)."""
        rotations = self.rotations(result)
        tendon = None if structure_id == self.tendon_id else self._tendon(result, rotations)
        return self.frames(self.rigs[structure_id], result, rotations, None if tendon is None else tendon[1])

    # --- binding to rest meshes -----------------------------------------------------------------------------
    def bind(self, structure_id: str, vertices: np.ndarray) -> None:
        """Store a rest mesh's vertices as ring coordinates of the rig (the inverse of :meth:`place` at rest).

        The calcaneal tendon must be bound before the muscles whose tails follow it.
        """
        rig = self.rigs[structure_id]
        frames = self.posed_frames(structure_id, self.rest)
        k, m = rig.rings, rig.topology.per_ring
        vertices = np.asarray(vertices, dtype=float)
        if len(vertices) != k * m + 2:
            raise ValueError(f"{structure_id}: mesh has {len(vertices)} vertices, the rig expects {k * m + 2}")
        offsets = vertices[: k * m].reshape(k, m, 3) - frames.centre[:, None, :]
        rig.set_local(offsets @ np.transpose(frames.basis, (0, 2, 1)))
        rig.rest_estimate = float(self.volume_weights(rig, frames, None).sum())


# --- building rigs --------------------------------------------------------------------------------------------


def tendon_structure_id(model: MusculoskeletalModel) -> str | None:
    """The catalogue's calcaneal tendon: the tendon formed by the soleus (None if the catalogue has none)."""
    for structure in model.catalogue.structures:
        if structure.kind == "tendon" and "soleus" in structure.formed_by:
            return structure.id
    return None


def _muscle_layout(spec: ShapeSpec, length: float, tendon_distances: np.ndarray | None) -> dict[str, np.ndarray]:
    """Ring arc layout of a muscle of rest path length ``length`` (including any proximal extension).

    Returns arrays over the rings: ``s`` rest arc position, ``a`` and ``b`` (posed position ``a + b * L``),
    ``kind`` (``p`` proximal tendon, ``b`` belly, ``d`` distal tendon) and ``u`` (position along the belly).
    Guided muscles put their distal rings at the calcaneal tendon's ring distances so the two line up exactly.
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

    def cumulative(x: np.ndarray) -> np.ndarray:
        return (
            compliance * np.minimum(x, tp) + np.clip(x - tp, 0.0, lb) + compliance * np.maximum(x - (length - td), 0.0)
        )

    phi = cumulative(rest_s) / cumulative(np.array([length]))[0]
    return {
        "s": rest_s,
        "a": rest_s - length * phi,
        "b": phi,
        "kind": np.array(kinds),
        "u": np.concatenate(u_parts),
    }


@dataclass
class BuildContext:
    """What building rigs needs from the model at the neutral pose."""

    model: MusculoskeletalModel
    rest: PoseResult
    knee_z: float
    ankle_z: float
    tendon_id: str | None
    tendon_distances: np.ndarray | None


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
    )


def _rest_normals(centre: np.ndarray, anchor: int) -> np.ndarray:
    """Twist-free rest normals starting posterior (+y world) at the ring ``anchor``."""
    return sweep.parallel_transport(sweep.tangents(centre), np.array([0.0, 1.0, 0.0]), anchor)


def make_rigs(context: BuildContext, per_ring: int = PER_RING) -> dict[str, Rig]:
    """An unbound rig for every muscle in the model and for the calcaneal tendon, in build order."""
    model, rest = context.model, context.rest
    rigs: dict[str, Rig] = {}
    ids = [
        context.tendon_id if i == TENDON_KEY else i
        for i in BUILD_ORDER
        if i in model.muscle_ids or (i == TENDON_KEY and context.tendon_id is not None)
    ]
    ids += [i for i in model.muscle_ids if i not in ids]
    for structure_id in ids:
        if structure_id == context.tendon_id:
            distances = context.tendon_distances
            assert distances is not None
            k = len(distances)
            samples = np.mean(
                [
                    sweep.resample(
                        rest.muscles[h].points,
                        arc := sweep.cumulative_length(rest.muscles[h].points),
                        arc[-1] - distances,
                    )
                    for h in GASTROCNEMIUS
                ],
                axis=0,
            )
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
            )
            table = np.array(TENDON.offset)
            rig.centre_offset = np.stack([np.interp(distances, table[:, 0], table[:, 1]), np.zeros(k)], axis=1)
            centre = samples
            anchor = k // 2
        else:
            spec = SPECS.get(structure_id, DEFAULT_SPEC)
            points = rest.muscles[structure_id].points
            prefix = None
            if spec.extend > 0:
                direction = points[0] - points[1]
                direction /= np.linalg.norm(direction)
                extra = points[0] + spec.extend * direction
                body = model.catalogue.body_of(model.catalogue.get(structure_id).origins[0].bone)
                transform = rest.body_transforms[body]
                prefix = (body, transform[:3, :3].T @ (extra - transform[:3, 3]))
                points = np.vstack([extra, points])
            length = float(sweep.cumulative_length(points)[-1])
            layout = _muscle_layout(spec, length, context.tendon_distances if spec.guided else None)
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
                guide = np.where(layout["kind"] == "d", _smoothstep((start - distance) / GUIDE_RAMP), 0.0)
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
            )
            table = np.array(spec.offset)
            along = layout["s"] / length
            keep = 1.0 - guide  # tails tucked into the calcaneal tendon follow its centre instead
            side = 1.0 if model.side == "right" else -1.0
            rig.centre_offset = np.stack(
                [
                    np.interp(along, table[:, 0], table[:, 1]) * keep,
                    np.interp(along, table[:, 0], table[:, 2]) * keep * side,
                ],
                axis=1,
            )
            rig.tangent_smooth = sweep.smoothing_matrix(layout["s"], TANGENT_SMOOTH)
            centre = smooth @ samples
            anchor = int(np.where(layout["kind"] == "b", np.abs(layout["u"] - spec.peak), np.inf).argmin())
        rig.weights = _frame_weights(centre[:, 2], context.knee_z, context.ankle_z)
        rig.rest_normal = _rest_normals(centre, anchor)
        rigs[structure_id] = rig
    return rigs


# --- rest shapes ----------------------------------------------------------------------------------------------


def _section(
    per_ring: int,
    exponent: float,
    thickness: np.ndarray,
    width: np.ndarray,
    deep: float,
    ox: np.ndarray,
    oy: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Ring coordinates (normal, binormal) of super-elliptic sections of the given sizes and offsets."""
    c, s = sweep.superellipse(per_ring, exponent)
    half = np.where(c[None, :] < 0, deep, 1.0 - deep) * thickness[:, None]
    x = ox[:, None] + c[None, :] * half
    y = oy[:, None] + s[None, :] * 0.5 * width[:, None]
    return x, y


def _muscle_section(
    rig: Rig, spec: ShapeSpec, layout_s: np.ndarray, length: float, peak_thickness: float, side_sign: float
) -> tuple[np.ndarray, np.ndarray]:
    k = rig.rings
    kind_belly = rig.belly > 0
    # Position along the belly for belly rings; 0 before, 1 after (so tendon sizes interpolate).
    tp = spec.belly[0] * length
    lb = (spec.belly[1] - spec.belly[0]) * length
    u = np.clip((layout_s - tp) / max(lb, 1e-9), 0.0, 1.0)
    f = np.where(kind_belly, belly_profile(u, spec.peak, spec.fullness), 0.0)
    t_tendon = np.interp(u, [0, 1], [spec.tendon_proximal[0], spec.tendon_distal[0]])
    w_tendon = np.interp(u, [0, 1], [spec.tendon_proximal[1], spec.tendon_distal[1]])
    thickness = t_tendon + (peak_thickness - t_tendon) * f
    width = w_tendon + (spec.aspect * peak_thickness - w_tendon) * f
    zero = np.zeros(k)
    return _section(rig.topology.per_ring, spec.exponent, thickness, width, spec.deep, zero, zero)


def _tendon_section(rig: Rig) -> tuple[np.ndarray, np.ndarray]:
    d = rig.b
    table = np.array(TENDON.sections)
    thickness = np.interp(d, table[:, 0], table[:, 1])
    width = np.interp(d, table[:, 0], table[:, 2])
    zero = np.zeros_like(d)
    return _section(rig.topology.per_ring, TENDON.exponent, thickness, width, 0.5, zero, zero)


def _set_section(rig: Rig, x: np.ndarray, y: np.ndarray, deformer: MuscleDeformer) -> None:
    """Give an unbound rig its designed sections (before any clearance push)."""
    rig.set_local(np.stack([x, y, np.zeros_like(x)], axis=-1))
    frames = deformer.posed_frames(rig.structure_id, deformer.rest)
    rig.rest_estimate = float(deformer.volume_weights(rig, frames, None).sum())


@dataclass(frozen=True)
class BuiltStructure:
    """A generated rest mesh with what it was made to match.

    Attributes:
        mesh: closed surface, world frame, neutral pose.
        target: the volume target (None for the tendon).
        tendon_volume: nominal volume of the tendon parts of the mesh (section x length), m^3; the belly volume
            compared with the target is ``mesh.volume - tendon_volume``.
    """

    mesh: trimesh.Trimesh
    target: VolumeTarget | None
    tendon_volume: float

    @property
    def belly_volume(self) -> float:
        return float(self.mesh.volume) - self.tendon_volume


def model_subject(model: MusculoskeletalModel) -> Subject:
    """The body size the model's leg stands for (see :mod:`calfviewer.geometry.volumes`)."""
    rest = model.pose(NEUTRAL)
    leg_length = float(np.linalg.norm(rest.body_transforms["tibia"][:3, 3] - rest.body_transforms["talus"][:3, 3]))
    m = model.model
    leg_mass = float(m.body_mass[m.body(f"tibia{model.suffix}").id])
    return subject_from_leg(leg_length, leg_mass)


def nominal_tendon_volume(structure_id: str, length: float) -> float:
    """Volume of a muscle's tendon parts: elliptic section of the tendon size times the tendon length (m^3)."""
    spec = SPECS.get(structure_id, DEFAULT_SPEC)
    tp = spec.belly[0] * length
    td = (1.0 - spec.belly[1]) * length
    proximal = math.pi / 4 * spec.tendon_proximal[0] * spec.tendon_proximal[1] * tp
    distal = math.pi / 4 * spec.tendon_distal[0] * spec.tendon_distal[1] * td
    return proximal + distal


def path_length(rig: Rig, result: PoseResult) -> float:
    """Length of a muscle's path (with its proximal extension) in ``result``."""
    return float(sweep.cumulative_length(_path_points(rig, result))[-1])


def build_soft_tissue(
    model: MusculoskeletalModel,
    bones_world: Mapping[str, trimesh.Trimesh],
    progress: Progress | None = None,
) -> tuple[dict[str, BuiltStructure], MuscleDeformer]:
    """Generate every muscle and the calcaneal tendon at the neutral pose, in world coordinates.

    Args:
        model: the leg to build for (the stored meshes are the right leg's; the left is mirrored at load).
        bones_world: closed bone surfaces placed at the neutral pose, which the muscles must stay outside.
        progress: called with each structure id as it is finished.

    Returns:
        The rest meshes by id (in build order) and a deformer bound to them.
    """
    import trimesh

    from calfviewer.geometry.clearance import Obstacle

    context = build_context(model)
    rigs = make_rigs(context)
    deformer = MuscleDeformer(model, rigs, context.tendon_id)
    rest = deformer.rest
    targets = target_volumes(model_subject(model))
    side_sign = 1.0 if model.side == "right" else -1.0
    bone_obstacles = [Obstacle.of(name, mesh, CLEARANCE) for name, mesh in bones_world.items()]
    built: dict[str, BuiltStructure] = {}
    belly_tubes: dict[str, trimesh.Trimesh] = {}
    for structure_id, rig in rigs.items():
        key = TENDON_KEY if structure_id == context.tendon_id else structure_id
        # Other muscles are obstacles only away from the ends: the triceps' tails merge into the calcaneal tendon,
        # and attachments crowd each other on the bone (the plantaris arises just above the lateral head).
        free = rig.guide == 0
        if rig.kind == "muscle":
            crowded = SPECS.get(structure_id, DEFAULT_SPEC).crowded_origin
            free = free & (rig.a + rig.b * path_length(rig, rest) >= crowded)
        outward = _outward(deformer, rig)
        under = [
            Obstacle.of(other, belly_tubes[other], 0.5 * CLEARANCE, rings=free, directions=outward)
            for other in (context.tendon_id if o == TENDON_KEY else o for o in UNDER.get(key, ()))
            if other in belly_tubes
        ]
        obstacles = bone_obstacles + under
        if rig.kind == "tendon":
            _set_section(rig, *_tendon_section(rig), deformer)
            mesh = _pushed(deformer, rig, obstacles)
            built[structure_id] = BuiltStructure(mesh, None, float(mesh.volume))
        else:
            built[structure_id] = _build_muscle(deformer, rig, targets.get(structure_id), side_sign, obstacles)
        deformer.bind(structure_id, built[structure_id].mesh.vertices)
        belly_tubes[structure_id] = _sub_tube(built[structure_id].mesh.vertices, rig, free)
        if progress is not None:
            progress(structure_id)
    # Muscles built before the calcaneal tendon had nothing to tuck their tails into; now they do. The stored rest
    # mesh is by definition what the deformer makes of the neutral pose.
    final = deformer.deform(deformer.rest)
    for structure_id in rigs:
        deformer.bind(structure_id, final[structure_id])
        old = built[structure_id]
        built[structure_id] = BuiltStructure(
            trimesh.Trimesh(final[structure_id], rigs[structure_id].topology.faces, process=False),
            old.target,
            old.tendon_volume,
        )
    return built, deformer


def _build_muscle(
    deformer: MuscleDeformer,
    rig: Rig,
    target: VolumeTarget | None,
    side_sign: float,
    obstacles: list[Obstacle],
) -> BuiltStructure:
    """Size a muscle's sections to its target volume, push it clear of what lies beneath, restore the volume."""
    spec = SPECS.get(rig.structure_id, DEFAULT_SPEC)
    length = path_length(rig, deformer.rest)
    layout_s = rig.a + rig.b * length
    tendon_volume = nominal_tendon_volume(rig.structure_id, length)
    goal = (target.volume if target else 1e-5) + tendon_volume

    def volume_for(peak: float) -> float:
        _set_section(rig, *_muscle_section(rig, spec, layout_s, length, peak, side_sign), deformer)
        frames = deformer.posed_frames(rig.structure_id, deformer.rest)
        return sweep.signed_volume(deformer.place(rig, frames), rig.topology.faces)

    volume_for(_solve(volume_for, goal, low=0.002, high=0.08))
    mesh = _pushed(deformer, rig, obstacles)
    # Pushing out of bone removes a little volume: grow the belly about its deep edge to restore it.
    for _ in range(4):
        deformer.bind(rig.structure_id, mesh.vertices)
        volume = float(mesh.volume)
        if abs(volume / goal - 1.0) < 0.003:
            break
        frames = deformer.posed_frames(rig.structure_id, deformer.rest)
        weighted = deformer.volume_weights(rig, frames, None)
        belly = float((rig.belly * weighted).sum()) * volume / float(weighted.sum())
        factor = min(max(1.0 + (goal - volume) / belly, 0.7), 2.0)
        scale = np.sqrt(1.0 + rig.belly * (factor - 1.0))
        vertices = deformer.place(rig, frames, scale)
        deformer.bind(rig.structure_id, vertices)
        mesh = _pushed(deformer, rig, obstacles, rounds=8)
    return BuiltStructure(mesh, target, tendon_volume)


def _outward(deformer: MuscleDeformer, rig: Rig) -> np.ndarray:
    """Per-ring push direction out of deeper muscles: the rest ring normal, which points posteriorly (outward)."""
    return rig.rest_normal.copy()


def _sub_tube(vertices: np.ndarray, rig: Rig, rings: np.ndarray) -> trimesh.Trimesh:
    """The closed tube made of the contiguous run of ``rings`` (a muscle without its tucked-in tail)."""
    import trimesh

    index = np.flatnonzero(rings)
    first, last = int(index.min()), int(index.max())
    m = rig.topology.per_ring
    block = np.asarray(vertices)[first * m : (last + 1) * m].reshape(-1, m, 3)
    topology = sweep.TubeTopology.build(len(block), m)
    out = np.vstack([block.reshape(-1, 3), block[0].mean(axis=0), block[-1].mean(axis=0)])
    return trimesh.Trimesh(out, topology.faces, process=False)


def _solve(function: Callable[[float], float], goal: float, low: float, high: float) -> float:
    """Bisection for ``function(x) == goal`` on an increasing function."""
    for _ in range(40):
        mid = 0.5 * (low + high)
        if function(mid) < goal:
            low = mid
        else:
            high = mid
    return 0.5 * (low + high)


def _pushed(deformer: MuscleDeformer, rig: Rig, obstacles: list[Obstacle], rounds: int = 16) -> trimesh.Trimesh:
    """The rig's current rest mesh with its vertices pushed out of ``obstacles`` (see :func:`push_out`)."""
    import trimesh

    from calfviewer.geometry.clearance import push_out

    frames = deformer.posed_frames(rig.structure_id, deformer.rest)
    vertices = deformer.place(rig, frames)
    k, m = rig.rings, rig.topology.per_ring
    rings = push_out(
        vertices[: k * m].reshape(k, m, 3), obstacles, rounds=rounds, tangents=frames.tangent, weights=1.0 - rig.guide
    )
    return trimesh.Trimesh(_with_caps(rings), rig.topology.faces, process=False)


def _with_caps(rings: np.ndarray) -> np.ndarray:
    """Tube vertices from ``(K, M, 3)`` rings: the rings, then the two cap centres."""
    k, m, _ = rings.shape
    out = np.empty((k * m + 2, 3))
    out[: k * m] = rings.reshape(-1, 3)
    out[k * m] = rings[0].mean(axis=0)
    out[k * m + 1] = rings[-1].mean(axis=0)
    return out


def _path_points(rig: Rig, result: PoseResult) -> np.ndarray:
    """A muscle's path in ``result``, with the rig's proximal extension point prepended if it has one."""
    points = result.muscles[rig.structure_id].points
    if rig.prefix is not None:
        body, local = rig.prefix
        transform = result.body_transforms[body]
        points = np.vstack([transform[:3, :3] @ local + transform[:3, 3], points])
    return points
