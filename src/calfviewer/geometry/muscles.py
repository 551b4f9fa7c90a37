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

Rings carried by the bones beside them would sink into other bones in deep poses (with the knee bent 120 degrees
the gastrocnemius heads turn up beside the femoral shaft), so the last step of posing moves the rings that reach
one of a few analytic bone stand-ins (:data:`BONE_PROXIES`) back out, whole and within their own planes, and the
belly bends around the bone. Each proxy is only looked at in the part of the range where a muscle can reach it,
so most poses skip the step entirely.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from calfviewer.geometry import sweep
from calfviewer.geometry.rig_batch import Frames, RigBatch
from calfviewer.geometry.volumes import Subject, VolumeTarget, subject_from_leg, target_volumes
from calfviewer.musculoskeletal import NEUTRAL, MusculoskeletalModel, PoseResult

if TYPE_CHECKING:  # trimesh and the clearance step are build-time only: the viewer starts without importing them
    import trimesh

    from calfviewer.geometry.clearance import Obstacle

MUSCLES_GENERATOR = "calfviewer.geometry.muscles"
MUSCLES_GENERATOR_VERSION = 4
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
PATH_GAP = 1.0
"""Arc gap between two muscles' paths laid end to end, to sample them all in one interpolation (m; any positive)."""

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
        origin: points in the frame of the body that carries the muscle's first catalogue origin (the tibia for
            the fibula), proximal first, right leg, prepended to the model's path: the tube then starts at the first
            of them. For a muscle whose real origin lies well above the model's single origin point (the soleus
            arises from the fibular head, 3 cm above MyoLeg's soleal-line site). Fixed in that body's frame, the
            extension moves with the bone, and the belly rings along it stay put (see :func:`_muscle_layout`).
        guided: distal tendon runs inside the calcaneal tendon.
        crowded_origin: length from the origin (m) over which the muscle is not pushed out of other muscles,
            where attachments crowd each other on the bone (the plantaris arises just above the lateral head).
        release: via points that hold the path over only part of the knee's range, as OpenSim's conditional
            path points do: ``(index of the path point, knee flexion where it starts to let go, knee flexion
            where it is gone)``, degrees. Letting go moves the point smoothly onto the line between its
            neighbours, so nothing jumps.
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
    origin: tuple[tuple[float, float, float], ...] = ()
    guided: bool = False
    crowded_origin: float = 0.0
    release: tuple[tuple[int, float, float], ...] = ()


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
        belly=(0.0, 0.86),
        peak=0.46,
        fullness=0.7,
        aspect=2.6,
        exponent=2.8,
        deep=0.5,
        tendon_proximal=(0.006, 0.020),
        tendon_distal=(0.0012, 0.004),
        # Fractions of the path from the fibular head; MyoLeg's soleal-line site is at 0.12 and lies in front of the
        # fibula's back, so the axis is taken ~3 cm behind it there: the belly passes behind the fibula and the deep
        # flexors. (With the axis through the site, the clearance step shrank the rings wedged between tibia and
        # fibula to a 1 x 2 mm neck.)
        offset=(
            (0.0, 0.003, 0.0),
            (0.027, 0.0165, 0.0),
            (0.052, 0.020, 0.0),
            (0.093, 0.026, 0.0),
            (0.134, 0.029, 0.0),
            (0.186, 0.030, 0.0),
            (0.29, 0.028, 0.0),
            (0.40, 0.024, 0.0),
            (0.52, 0.023, 0.0),
            (0.65, 0.020, 0.0),
            (0.75, 0.016, 0.0),
            (0.86, 0.008, 0.0),
            (1.0, 0.0, 0.0),
        ),
        smooth=0.02,
        # The back of the fibular head (tibia body frame: x anterior, y up, z lateral), on the bone's surface 1.7 cm
        # below its apex and 4 cm below the top of the tibia: the top of the soleus's fibular origin (Gray's Anatomy
        # 42e), lateral to where the popliteus crosses the head. The belly covers the catalogue's fibular landmark.
        origin=((-0.0295, -0.059, 0.032),),
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
        # The via point behind the lateral femoral condyle keeps the path deep to the lateral head with the knee
        # straight; past ~90 degrees it would turn the path back on itself into the joint (a 118-degree hairpin at
        # 120 degrees, which no tendon makes: it lifts off the condyle). Between 60 and 90 degrees the path runs
        # nearly straight through it, so letting it go there moves nothing visibly.
        release=((1, 60.0, 90.0),),
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


@dataclass(frozen=True)
class SlipSpec:
    """A tendon slip a model path does not draw: MyoLeg's flexor digitorum longus runs to the third toe only, but
    its tendon divides in the sole into four, one to the base of each distal phalanx of toes 2-5 (Gray's Anatomy).

    A slip is a thin closed tube of its own (an extra component of the muscle's mesh) from beside the main tendon
    at the branch to the catalogue insertion, through via points placed 2.2 mm plantar of the bones it
    runs under (a straight line from the branch would pass through the metatarsal heads). Everything it runs along is
    distal to the ankle and rigid with the calcaneus or the toes, so it moves rigidly with those bodies.

    Attributes:
        insertion: index of the insertion it ends at, among the muscle's catalogue insertions.
        branch: where it leaves the main tendon: distance from the insertion along the main tendon's rest
            centreline (m).
        side: which side of the main tendon it starts on (right leg, calcaneus frame): +1 lateral, -1 medial.
        via: ``(body, point)`` via points in the body's frame (right leg; x anterior, y up, z lateral), plantar
            of the metatarsal shaft and head and of the proximal and middle phalanges.
    """

    insertion: int
    branch: float
    side: float
    via: tuple[tuple[str, tuple[float, float, float]], ...]


#: The flexor digitorum longus's slips to toes 2, 4 and 5 (toe 3 is the model path). Via points: 2.2 mm below the
#: lowest point of the bone across a 4 mm slice at 75 % and 93 % of the metatarsal's length and at the middle of
#: each phalanx (measured on the stored bone meshes, rounded to 0.1 mm). The slips leave the tendon where it has
#: crossed the sole under the bases of the metatarsals, the fifth's 1.8 cm before the others (a fan, so the
#: slips do not cross each other).
SLIPS: dict[str, tuple[SlipSpec, ...]] = {
    "flexor_digitorum_longus": (
        SlipSpec(
            insertion=0,
            branch=0.126,
            side=-1.0,
            via=(
                ("calcn", (0.1612, -0.0004, -0.0007)),
                ("calcn", (0.1751, -0.0060, -0.0004)),
                ("toes", (0.0221, -0.0079, 0.0048)),
                ("toes", (0.0529, -0.0080, 0.0098)),
            ),
        ),
        SlipSpec(
            insertion=2,
            branch=0.126,
            side=1.0,
            via=(
                ("calcn", (0.1377, 0.0023, 0.0267)),
                ("calcn", (0.1504, -0.0052, 0.0287)),
                ("toes", (-0.0076, -0.0061, 0.0325)),
                ("toes", (0.0185, -0.0074, 0.0374)),
            ),
        ),
        SlipSpec(
            insertion=3,
            branch=0.144,
            side=1.0,
            via=(
                ("calcn", (0.1242, 0.0020, 0.0377)),
                ("calcn", (0.1376, -0.0028, 0.0409)),
                ("toes", (-0.0197, -0.0056, 0.0441)),
                ("toes", (0.0053, -0.0073, 0.0491)),
            ),
        ),
    ),
}
SLIP_SECTION = (0.0012, 0.002)
"""Thickness (plantar-dorsal) and width of a slip (m): the four tendons are ~2 mm wide where they leave the sole."""
SLIP_PER_RING = 16
"""Vertices around a slip's ring: a thin tendon needs fewer than a belly."""
SLIP_SPACING = 0.003
"""Ring spacing along a slip (m); they curve over the metatarsal heads."""
SLIP_SMOOTH = 0.006
"""Gaussian width (m) rounding the corners of a slip's via points."""
SLIP_GAP = 4.0e-4
"""Gap (m) between the main tendon and a slip where it starts: the components of a mesh must not cross (the
stored meshes are checked for intersecting triangles), so the slip starts touching the tendon's side, not in it."""
SLIP_LEAD = 0.010
"""Length (m) a slip first runs alongside the main tendon before turning towards its toe, so it leaves the
tendon as a branch rather than at an angle through it."""
SLIP_LIFT = 0.0016
"""How far plantar of its insertion point (on the bone) a slip's end ring is centred (m): half its thickness and
the 1 mm clearance."""
SLIP_BLEND = 0.01
"""Length (m) over which a slip's rings hand over from the calcaneus to the toes about the
metatarsophalangeal joint (the joint is fixed in the viewer's poses; the blend is for a model that moves it)."""


@dataclass
class Slips:
    """The extra tube components of a structure (:data:`SLIPS`), posed rigidly with the foot's bodies.

    Attributes:
        faces: triangles of all the slips, indices counted from the first slip vertex.
        rings: ``(first vertex, rings, per ring)`` of each slip (for the build-time clearance step).
        bodies: the bodies the slips move with.
        weights: ``(N, len(bodies))`` blend of those bodies for each slip vertex.
        design: ``(N, 3)`` designed world vertices at the neutral pose (before the clearance step).
        local: ``(len(bodies), N, 3)`` the bound rest vertices in each body's frame (empty until bound).
    """

    faces: np.ndarray
    rings: tuple[tuple[int, int, int], ...]
    bodies: tuple[str, ...]
    weights: np.ndarray
    design: np.ndarray
    local: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 3)))

    @property
    def count(self) -> int:
        return len(self.weights)

    @property
    def bound(self) -> bool:
        return self.local.size > 0

    def bind(self, vertices: np.ndarray, result: PoseResult) -> None:
        """Store the world vertices of the slips at ``result``'s pose (the neutral one) in each body's frame."""
        transforms = [result.body_transforms[body] for body in self.bodies]
        self.local = np.stack([(vertices - t[:3, 3]) @ t[:3, :3] for t in transforms])

    def posed(self, result: PoseResult) -> np.ndarray:
        """World vertices ``(N, 3)`` in ``result``'s pose: each body carries its share (linear blend)."""
        out = np.zeros((self.count, 3))
        for i, body in enumerate(self.bodies):
            transform = result.body_transforms[body]
            out += self.weights[:, i : i + 1] * (self.local[i] @ transform[:3, :3].T + transform[:3, 3])
        return out


@dataclass(frozen=True)
class BoneProxy:
    """A smooth stand-in, in one body's frame, for a piece of bone that muscles are pressed against in deep poses.

    The clearance step at build time keeps every muscle off the bones at rest, but posing carries the rings with
    the bones beside them, and in deep knee flexion the calf folds against the thigh: the gastrocnemius heads
    arise on the femoral condyles and, with the knee bent 120 degrees, turn up alongside the lower femoral shaft.
    Testing rings against the bone meshes every frame costs far more than the deformation itself; against a few
    analytic shapes it costs a few array operations (:class:`BoneProxies`).

    The shape is an elliptic capsule: an ellipse swept from ``start`` to ``end`` (its radii changing linearly from
    ``radii_start`` to ``radii_end``), closed by half-ellipsoids. Metres, in the frame of ``body``.

    Attributes:
        name: for messages.
        body: the model body stem it moves with.
        start, end: the axis.
        across: direction of the first radius (made perpendicular to the axis); the second is axis x across.
        radii_start, radii_end: (along ``across``, along the second direction) at each end.
        engage: ``(pose angle, from, to)`` in degrees, away from neutral (knee flexion from 75 to 85; plantarflexion
            from -21 to -27): the proxy comes into play as the joint moves from ``from`` to ``to`` (its moves are
            scaled from 0 to 1), so nothing jumps where it starts; with several, the furthest counts; with none it
            is always in play. Short of ``from`` it is skipped, which is what keeps posing fast: put ``from``
            where no muscle reaches the proxy yet, or where what it would move is well within the 2 mm the viewer
            allows (``tests/geometry/test_muscles.py`` checks that switching it on there would move no vertex by
            more than 1.5 mm).
    """

    name: str
    body: str
    start: tuple[float, float, float]
    end: tuple[float, float, float]
    across: tuple[float, float, float]
    radii_start: tuple[float, float]
    radii_end: tuple[float, float]
    engage: tuple[tuple[str, float, float], ...] = ()

    def mirrored(self) -> BoneProxy:
        """The same proxy for the other leg: body frames mirror across their z (as the bone meshes do)."""
        flip = np.array([1.0, 1.0, -1.0])
        return BoneProxy(
            self.name,
            self.body,
            tuple(np.multiply(self.start, flip).tolist()),
            tuple(np.multiply(self.end, flip).tolist()),
            tuple(np.multiply(self.across, flip).tolist()),
            self.radii_start,
            self.radii_end,
            self.engage,
        )

    def engaged(self, result: PoseResult) -> float:
        """How far the proxy is in play in ``result``'s pose, 0 to 1 (see :attr:`engage`)."""
        if not self.engage:
            return 1.0
        pose = result.pose
        return max(
            float(_smoothstep((getattr(pose, angle) - begin) / (end - begin))) for angle, begin, end in self.engage
        )


#: The right leg's proxies: least-squares fits to the stored bone surfaces where the muscles reach them over the range
#: of motion (body frames: x anterior, y up, z lateral), rounded to 0.1 mm. ``tests/geometry/test_muscles.py``
#: measures the muscles against the real bone surfaces in the deepest poses.
BONE_PROXIES: tuple[BoneProxy, ...] = (
    # The lower femoral shaft, from 13 cm above the knee to where it flares into the condyles.
    BoneProxy(
        "distal femoral shaft",
        "femur",
        start=(0.0232, -0.2793, 0.0189),
        end=(0.0162, -0.3727, 0.0074),
        across=(0.95, -0.1, 0.3),
        radii_start=(0.0114, 0.0095),
        radii_end=(0.0106, 0.0179),
        engage=(("knee_flexion", 75.0, 85.0),),
    ),
    # The back of the tibial condyles, just below the joint line: in deep flexion it rises behind the femoral
    # condyles, under the origins of the gastrocnemius heads. Fitted to the posterior surface only (the muscles
    # drawn here are all behind the leg); its front half is far in front of the bone.
    BoneProxy(
        "posterior tibial condyles",
        "tibia",
        start=(0.0117, -0.0397, -0.0097),
        end=(0.0115, -0.0374, 0.0202),
        across=(0.995, -0.095, 0.012),
        radii_start=(0.0400, 0.0191),
        radii_end=(0.0383, 0.0176),
        engage=(("knee_flexion", 75.0, 85.0),),
    ),
    # The back of the talus's medial side, where MyoLeg's flexor hallucis longus path (and in eversion those of
    # flexor digitorum longus and tibialis posterior) cuts into the bone: 2.4 mm deep in full dorsiflexion, 6 mm
    # with full eversion too. Fitted within 4 mm of where they meet it, then made 0.8 mm thinner so the tendons,
    # 1 mm off the bone at rest, stay clear of it. It comes into play past 21 degrees of dorsiflexion, where the
    # flexor hallucis longus is 1 mm into the bone (well within what the viewer allows), or with the foot
    # everted.
    BoneProxy(
        "posteromedial talus",
        "talus",
        start=(-0.0044, -0.0042, -0.0131),
        end=(-0.0047, 0.0007, -0.0101),
        across=(0.657, -0.359, 0.663),
        radii_start=(0.0051, 0.0097),
        radii_end=(0.0053, 0.0134),
        engage=(("plantarflexion", -21.0, -27.0), ("subtalar", -1.5, -6.0)),
    ),
)
CLEAR_SPREAD = 0.016
"""How far along a muscle (m) a move off a bone fades out, so the belly bends around the bone instead of kinking."""
CLEAR_ENDS = 0.012
"""Rings this close to an attachment (m) are moved less, down to not at all at the end, so muscles stay attached."""
MAX_CLEAR = 0.02
"""No ring is moved further than this (m) off a bone in one round."""
CLEAR_STRIDE = 2
"""Every how many vertices of a ring are tested against the proxies: a ring moves as a whole, and the worst of
its vertices 20 degrees apart is within a fraction of a millimetre of the worst of all 36 (the margin covers it)."""
CLEAR_VOLUME = 0.005
"""A moved belly whose volume changes by more than this fraction has its sections scaled back to its volume."""
CLEAR_ROUNDS = 2
"""Rounds of moving rings off the proxies: the fall-off takes a little off a ring's own move, the second round
adds it back."""


class BoneProxies:
    """:data:`BONE_PROXIES` as arrays: placed once per pose, then asked about whole sets of points at once.

    Everything is batched over points and proxies (one ``P x 3`` by ``3 x 3n`` product puts every point in every
    proxy's frame), because posing runs this every frame.
    """

    def __init__(self, proxies: tuple[BoneProxy, ...]) -> None:
        n = len(proxies)
        self.proxies = proxies
        self.bodies = tuple(p.body for p in proxies)
        self.start = np.array([p.start for p in proxies], dtype=float).reshape(n, 3)
        along = np.array([p.end for p in proxies], dtype=float).reshape(n, 3) - self.start
        self.length = np.maximum(np.linalg.norm(along, axis=1), 1e-9)  # start == end: an ellipsoid
        self.axes = np.zeros((n, 3, 3))  # columns: along the axis, across, across x along
        for i, proxy in enumerate(proxies):
            u = along[i] if np.any(along[i]) else np.cross(proxy.across, np.roll(proxy.across, 1))
            u = u / np.linalg.norm(u)
            v = np.asarray(proxy.across, dtype=float)
            v = v - np.dot(v, u) * u
            v /= np.linalg.norm(v)
            self.axes[i] = np.stack([u, v, np.cross(u, v)], axis=1)
        self.radii = np.array([p.radii_start for p in proxies], dtype=float).reshape(n, 2)
        self.taper = np.array([p.radii_end for p in proxies], dtype=float).reshape(n, 2) - self.radii
        self.caps = np.sqrt(np.stack([self.radii.prod(axis=1), (self.radii + self.taper).prod(axis=1)], axis=1))
        self.largest = np.maximum(self.radii, self.radii + self.taper).max(axis=1, initial=0.0)

    def __len__(self) -> int:
        return len(self.bodies)

    def placed(self, result: PoseResult) -> Placed:
        """The proxies in ``result``'s pose."""
        transforms = np.stack([result.body_transforms[body] for body in self.bodies])
        axes = transforms[:, :3, :3] @ self.axes
        starts = np.einsum("nij,nj->ni", transforms[:, :3, :3], self.start) + transforms[:, :3, 3]
        return Placed(axes, starts, axes.transpose(1, 0, 2).reshape(3, -1), np.einsum("ni,nij->nj", starts, axes))

    def near(self, points: np.ndarray, reach: np.ndarray, placed: Placed) -> np.ndarray:
        """``(P, n)``: whether anything within ``reach`` (one per point) of each point can be in each proxy (a bound:
        within ``reach`` of the round capsule around the proxy)."""
        q = (points @ placed.matrix).reshape(len(points), -1, 3) - placed.offset
        q[..., 0] -= np.clip(q[..., 0], 0.0, self.length)
        limit = reach[:, None] + self.largest
        return np.einsum("pnj,pnj->pn", q, q) < limit * limit

    def ring_moves(
        self, rings: np.ndarray, tangents: np.ndarray, proxy: np.ndarray, placed: Placed, margin: float
    ) -> np.ndarray | None:
        """World moves ``(G, 3)`` that take each ring ``rings[g]`` (``(G, M, 3)`` vertices, ``tangents[g]`` the
        normal to its plane) ``margin`` outside the proxy ``proxy[g]``; zero for rings not in it; None if none is.

        Each ring moves within its own plane, straight away from the proxy's axis (from the nearest axis point
        through the ring's centre), as far as its deepest vertex needs: every vertex's way out along that line is
        a quadratic in the scaled frame. Why one direction for the whole ring, not each vertex's nearest way out:
        vertices on either side of a flat proxy have opposite nearest ways out, and a ring can only go one way.
        """
        axes = placed.axes[proxy]
        frame = axes.transpose(0, 2, 1)
        q = (rings - placed.starts[proxy][:, None, :]) @ axes  # matmul: einsum is slow on stacks of 3 x 3
        length = self.length[proxy][:, None]
        t = np.clip(q[..., 0] / length, 0.0, 1.0)
        first = self.radii[proxy, :1] + t * self.taper[proxy, :1]
        second = self.radii[proxy, 1:] + t * self.taper[proxy, 1:]
        q[..., 0] -= t * length  # now each vertex's offset from its nearest axis point
        cap = np.where(q[..., 0] < 0, self.caps[proxy, :1], self.caps[proxy, 1:])
        inverse = 1.0 / np.stack([cap, first, second], axis=-1)  # scaled = |q * inverse|^2
        target = (1.0 + margin / np.sqrt(first * second)) ** 2
        scaled = q * inverse
        c = np.einsum("gmi,gmi->gm", scaled, scaled) - target
        if not np.any(c < 0.0):
            return None
        # The way out: from the axis through the ring's centre, within the ring's plane.
        away = (q.mean(axis=1)[:, None, :] @ frame)[:, 0]  # world
        away -= np.einsum("gi,gi->g", away, tangents)[:, None] * tangents
        away /= np.maximum(np.sqrt(np.einsum("gi,gi->g", away, away)), 1e-12)[:, None]
        d = (away[:, None, :] @ axes)[:, 0][:, None, :] * inverse  # scaled direction, per vertex
        a = np.einsum("gmi,gmi->gm", d, d)
        b = np.einsum("gmi,gmi->gm", d, scaled)
        reach = (-b + np.sqrt(np.maximum(b * b - a * c, 0.0))) / np.maximum(a, 1e-12)
        return away * np.where(c < 0.0, reach, 0.0).max(axis=1)[:, None]


@dataclass(frozen=True)
class Placed:
    """:class:`BoneProxies` in one pose.

    Attributes:
        axes: ``(n, 3, 3)`` world axes of each proxy (columns: along its axis, across, across x along).
        starts: ``(n, 3)`` world start of each axis.
        matrix: the axes as one ``3 x 3n`` matrix: a point times it, less ``offset`` ``(n, 3)``, gives the point's
            coordinates in every proxy's frame at once.
        offset: see ``matrix``.
    """

    axes: np.ndarray
    starts: np.ndarray
    matrix: np.ndarray
    offset: np.ndarray


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


def _smoothstep(x: np.ndarray | float) -> np.ndarray:
    """0 below 0, 1 above 1, smooth in between (arrays or single numbers)."""
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
        prefix: optional ``(body, points)``: ``(n, 3)`` points in a body frame prepended to the path (fleshy origins
            above the model's origin point).
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
        release: conditional via points (see :attr:`ShapeSpec.release`).
        clear_weight: how far each ring may be moved off a bone proxy (1 in the belly, 0 at the attachments and
            along the tails that follow the calcaneal tendon).
        arc: each ring's rest distance from the origin along the structure (m).
        extent: ``K x 2``: how far a ring's vertices reach from its anchor, and the anchor's own distance from the
            axis (with the tangential coordinate): at scale ``s`` no vertex is further than ``s * e0 + e1`` from
            the ring's centre.
        slips: extra tendon slips drawn with the tube (:data:`SLIPS`); their vertices come after the tube's.
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
    release: tuple[tuple[int, float, float], ...] = ()
    clear_weight: np.ndarray = field(default_factory=lambda: np.zeros(0))
    arc: np.ndarray = field(default_factory=lambda: np.zeros(0))
    extent: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    slips: Slips | None = None

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

    def set_local(self, local: np.ndarray) -> None:
        """Store ring coordinates and what follows from them (anchors, areas, centroids)."""
        self.local = np.ascontiguousarray(local, dtype=float)
        x, y = self.local[..., 0], self.local[..., 1]
        self.anchor = np.stack([x.min(axis=1), y.mean(axis=1)], axis=1)
        self.area = sweep.polygon_areas(x, y)
        self.centroid = np.concatenate(
            [sweep.polygon_centroids(x, y), self.local[..., 2].mean(axis=1)[:, None]], axis=1
        )
        spread = np.hypot(x - self.anchor[:, :1], y - self.anchor[:, 1:]).max(axis=1)
        base = np.hypot(self.anchor[:, 0], self.anchor[:, 1]) + np.abs(self.local[..., 2]).max(axis=1)
        self.extent = np.stack([spread, base], axis=1)


def _frame_weights(z: np.ndarray, knee_z: float, ankle_z: float) -> np.ndarray:
    """Blend weights of femur / tibia / calcaneus by height: femur above the knee, calcaneus below the ankle."""
    femur = _smoothstep((z - knee_z) / FRAME_BLEND * 0.5 + 0.5)
    calcn = _smoothstep((ankle_z - z) / FRAME_BLEND * 0.5 + 0.5)
    tibia = np.clip(1.0 - femur - calcn, 0.0, 1.0)
    weights = np.stack([femur, tibia, calcn], axis=1)
    return weights / weights.sum(axis=1, keepdims=True)


class MuscleDeformer:
    """Places every muscle and tendon vertex for a pose (implements :class:`~calfviewer.geometry.assembly.
    SoftTissueDeformer`).

    Build the rigs with :func:`make_rigs`, give each its rest mesh with :meth:`bind`; :meth:`deform` is the
    per-frame call.
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

    # --- centrelines ----------------------------------------------------------------------------------------
    def _samples(self, batch: RigBatch, result: PoseResult) -> np.ndarray:
        """Each ring's point on its structure's path (``batch rings x 3``), before smoothing.

        A muscle's rings sit at arc positions ``a + b * L`` of its path; the calcaneal tendon's (a batch of its
        own) at distances ``b`` from the end of each gastrocnemius head, averaged. All the muscles' paths are
        sampled in one interpolation per axis: laid end to end on one arc axis, with a gap between paths, and each
        ring's position clamped to its own path.
        """
        if batch.rigs[0].kind == "tendon":
            heads = []
            for head in GASTROCNEMIUS:
                points = result.muscles[head].points
                arc = sweep.cumulative_length(points)
                heads.append(sweep.resample(points, arc, arc[-1] - batch.b))
            return 0.5 * (heads[0] + heads[1])
        paths = [_path_points(rig, result) for rig in batch.rigs]
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
        batch = RigBatch([rig])
        return batch.frames(self._samples(batch, result), rotations, tendon_centre)

    def _batches(self) -> tuple[RigBatch | None, RigBatch]:
        """The calcaneal tendon's batch (None: none or unbound) and the muscles', remade when a rig is rebound."""
        if self._rig_batches is None or not all(batch.current for batch in self._rig_batches if batch is not None):
            tendon = self.rigs.get(self.tendon_id) if self.tendon_id is not None else None
            muscles = RigBatch([rig for key, rig in self.rigs.items() if key != self.tendon_id])
            self._rig_batches = (RigBatch([tendon]) if tendon is not None and tendon.bound else None, muscles)
            self._batch = None  # the ring extents changed with the ring coordinates
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

    def _tendon(self, result: PoseResult, rotations: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """The calcaneal tendon's vertices and ring centres (what the triceps tails follow), if it is bound."""
        batch = self._batches()[0]
        if batch is None:
            return None
        vertices = batch.place(batch.frames(self._samples(batch, result), rotations, None))[0]
        rings = batch.rigs[0].rings
        return vertices, vertices[:-2].reshape(rings, -1, 3).mean(axis=1)

    def deform(self, result: PoseResult) -> dict[str, np.ndarray]:
        """World vertex positions of every structure in ``result``'s pose, same order and count as at rest.

        Placed as their rigs say, all muscles in one batch, then moved off the bones where the pose has pressed
        them in (:meth:`_clear_bones`).
        """
        rotations = self.rotations(result)
        out: dict[str, np.ndarray] = {}
        tendon = self._tendon(result, rotations)
        tendon_centre = None
        if tendon is not None and self.tendon_id is not None:
            out[self.tendon_id], tendon_centre = tendon
        batch = self._batches()[1]
        frames = batch.frames(self._samples(batch, result), rotations, tendon_centre)
        scale = batch.belly_scale(frames)
        rings = batch.rings(frames, scale)
        caps = batch.caps(rings)
        self._clear_bones(result, batch, frames, scale, rings)
        for rig, placed in zip(batch.rigs, batch.vertices(rings, caps), strict=True):
            if rig.slips is not None and rig.slips.bound:
                placed = np.concatenate([placed, rig.slips.posed(result)])
            out[rig.structure_id] = placed
        return out

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
        reach = scale * batch.spread + batch.base
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
            span, step = batch.fade(near, _largest_per_ring(need * play[proxy, None], pair, len(near)))
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
        anchor = muscles.anchor[grow]
        anchors = after.centre[grow] + anchor[:, :1] * after.normal[grow] + anchor[:, 1:] * after.binormal[grow]
        # The in-plane part of each vertex's offset from its anchor scales; the tangential part does not.
        offset = rings[grow] - anchors[:, None, :]
        tangent = after.tangent[grow]
        along = np.einsum("rmi,ri->rm", offset, tangent)[..., None] * tangent[:, None, :]
        rings[grow] = anchors[:, None, :] + along + (offset - along) * ratio[:, None, None]

    def posed_frames(self, structure_id: str, result: PoseResult) -> Frames:
        """The frames of one structure in ``result`` (for building and checks; not the hot path)."""
        rotations = self.rotations(result)
        tendon = None if structure_id == self.tendon_id else self._tendon(result, rotations)
        return self.frames(self.rigs[structure_id], result, rotations, None if tendon is None else tendon[1])

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
            rig.slips.bind(vertices[k * m + 2 :], self.rest)
        offsets = vertices[: k * m].reshape(k, m, 3) - frames.centre[:, None, :]
        rig.set_local(offsets @ np.transpose(frames.basis, (0, 2, 1)))
        rig.rest_estimate = float(self.volume_weights(rig, frames, None).sum())


def _largest_per_ring(moves: np.ndarray, pair: np.ndarray, rings: int) -> np.ndarray:
    """``(rings, 3)``: each ring's move, from the moves ``(G, 3)`` of ring-proxy pairs (``pair``, sorted, says which
    ring each is): where a ring is in two proxies, the larger move."""
    size = np.einsum("gi,gi->g", moves, moves)
    if len(pair) > 1 and np.any(pair[1:] == pair[:-1]):
        order = np.lexsort((-size, pair))  # by ring, largest move first
        keep = order[np.concatenate([[True], pair[order][1:] != pair[order][:-1]])]
        moves, pair = moves[keep], pair[keep]
    out = np.zeros((rings, 3))
    out[pair] = moves
    return out


def _windows(values: np.ndarray, width: int) -> np.ndarray:
    """Read-only sliding windows of ``2 * width + 1`` along the first axis of a padded array: ``(N - 2 width, ...,
    2 width + 1)``, as ``sliding_window_view`` gives them, without its overhead (which counts at this size)."""
    shape = (len(values) - 2 * width, *values.shape[1:], 2 * width + 1)
    strides = (values.strides[0], *values.strides[1:], values.strides[0])
    return np.lib.stride_tricks.as_strided(values, shape, strides, writeable=False)


@dataclass(frozen=True)
class ClearBatch:
    """Every muscle's rings in one batch, as :meth:`MuscleDeformer._clear_bones` takes them.

    Attributes:
        starts: index of each muscle's first ring in the batch, and the total at the end.
        spread, base: at section scale ``s`` a ring's vertices lie within ``s * spread + base`` of its centre
            (``base`` includes the clearance margin).
        weight: :attr:`Rig.clear_weight` of every ring.
        band: ``(R, 2W + 1)``: how much of the move of ring ``i + d`` (``d = -W..W``) reaches ring ``i``: a raised
            cosine of their rest distance along the muscle, 1 at ``d = 0``, 0 beyond :data:`CLEAR_SPREAD` and
            between different muscles.
    """

    starts: np.ndarray
    spread: np.ndarray
    base: np.ndarray
    weight: np.ndarray
    band: np.ndarray

    @classmethod
    def of(cls, rigs: list[Rig]) -> ClearBatch:
        starts = np.cumsum([0] + [rig.rings for rig in rigs])
        gaps = [np.diff(rig.arc) for rig in rigs if rig.rings > 1]
        smallest = min((float(g.min()) for g in gaps if len(g)), default=CLEAR_SPREAD)
        width = min(max(1, math.ceil(CLEAR_SPREAD / max(smallest, 1e-4))), 16)
        band = np.zeros((int(starts[-1]), 2 * width + 1))
        for rig, first in zip(rigs, starts, strict=False):
            for d in range(-width, width + 1):
                i = np.arange(max(0, -d), min(rig.rings, rig.rings - d))
                gap = np.abs(rig.arc[i + d] - rig.arc[i]) / CLEAR_SPREAD
                band[first + i, d + width] = np.where(gap < 1.0, 0.5 + 0.5 * np.cos(np.pi * np.minimum(gap, 1.0)), 0.0)
        return cls(
            starts=starts,
            spread=np.concatenate([rig.extent[:, 0] for rig in rigs]),
            base=np.concatenate([rig.extent[:, 1] for rig in rigs]) + CLEARANCE,
            weight=np.concatenate([rig.clear_weight for rig in rigs]),
            band=band,
        )

    def fade(self, rings: np.ndarray, moves: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rings ``rings`` (batch indices) move by ``moves`` ``(len(rings), 3)``: every ring within reach of
        them, and its move with its neighbours' moves faded in. The largest faded move sets a ring's move's size
        (so the ring that needs it most gets all of it), their blend its direction; scaled by :attr:`weight`."""
        width = self.band.shape[1] // 2
        padded = np.zeros((len(self.band) + 2 * width, 3))
        padded[rings + width] = moves
        lengths = np.sqrt(np.einsum("ri,ri->r", padded, padded))
        moving = np.concatenate([[0], np.cumsum(lengths > 0.0)])
        span = np.flatnonzero(moving[2 * width + 1 :] > moving[: -2 * width - 1])  # rings with a move within reach
        band = self.band[span]
        size = np.minimum((band * _windows(lengths, width)[span]).max(axis=1), MAX_CLEAR)
        direction = np.matmul(_windows(padded, width)[span], band[:, :, None])[..., 0]  # windows: (S, 3, 2W + 1)
        length = np.sqrt(np.einsum("rj,rj->r", direction, direction))
        return span, direction * (self.weight[span] * size / np.maximum(length, 1e-12))[:, None]


# --- building rigs --------------------------------------------------------------------------------------------


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
            arc, length = distances.max() - distances, float(distances.max())
        else:
            spec = SPECS.get(structure_id, DEFAULT_SPEC)
            points = rest.muscles[structure_id].points
            prefix = None
            fixed = 0.0
            if spec.extend > 0 or spec.origin:
                body = model.catalogue.body_of(model.catalogue.get(structure_id).origins[0].bone)
                transform = rest.body_transforms[body]
                if spec.origin:
                    # Body frames of the left leg mirror the right's across their z, as its bone meshes do.
                    local = np.array(spec.origin, dtype=float).reshape(-1, 3)
                    local[:, 2] *= 1.0 if model.side == "right" else -1.0
                    extra = local @ transform[:3, :3].T + transform[:3, 3]
                else:
                    direction = points[0] - points[1]
                    direction /= np.linalg.norm(direction)
                    extra = (points[0] + spec.extend * direction)[None, :]
                    local = (extra - transform[:3, 3]) @ transform[:3, :3]
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
            arc = layout["s"]
            rig.release = spec.release
        rig.weights = _frame_weights(centre[:, 2], context.knee_z, context.ankle_z)
        rig.arc = arc
        rig.clear_weight = _smoothstep(arc / CLEAR_ENDS) * _smoothstep((length - arc) / CLEAR_ENDS) * (1.0 - rig.guide)
        rig.rest_normal = _rest_normals(centre, anchor)
        if structure_id in SLIPS:
            rig.slips = _make_slips(context, structure_id, centre)
        rigs[structure_id] = rig
    return rigs


def _make_slips(context: BuildContext, structure_id: str, centre: np.ndarray) -> Slips:
    """The designed slips of ``structure_id`` (:data:`SLIPS`) around its rest centreline ``centre``.

    Built at load as well as at build time (the rig needs their vertex count and body weights), so everything here
    is cheap and follows from the model alone.
    """
    model, rest = context.model, context.rest
    flip = np.array([1.0, 1.0, 1.0 if model.side == "right" else -1.0])  # left body frames mirror across z
    calcn = rest.body_transforms["calcn"]
    toes = rest.body_transforms["toes"]
    joint = float(((toes[:3, 3] - calcn[:3, 3]) @ calcn[:3, :3])[0])  # the toes' origin, along the foot
    insertions = model.catalogue.get(structure_id).insertions
    distance = sweep.cumulative_length(centre)
    distance = distance[-1] - distance
    tangent = sweep.tangents(centre)
    c, s = sweep.superellipse(SLIP_PER_RING, 2.0)
    plantar = -calcn[:3, 1]
    parts: list[np.ndarray] = []
    faces: list[np.ndarray] = []
    rings: list[tuple[int, int, int]] = []
    start = 0
    for slip in SLIPS[structure_id]:
        # Where it starts: beside the main tendon (whose width lies across the foot), running alongside it.
        at = np.array([distance[0] - slip.branch])
        base = sweep.resample(centre, distance[0] - distance, at)[0]
        along = sweep.resample(tangent, distance[0] - distance, at)[0]
        along /= np.linalg.norm(along)
        side = calcn[:3, :3] @ (np.array([0.0, 0.0, slip.side]) * flip)
        side -= np.dot(side, along) * along
        side /= np.linalg.norm(side)
        reach = 0.5 * SPECS[structure_id].tendon_distal[1] + 0.5 * SLIP_SECTION[1] + SLIP_GAP
        points = [base + reach * side, base + reach * side + SLIP_LEAD * along]
        for body, local in slip.via:
            transform = rest.body_transforms[body]
            points.append(transform[:3, :3] @ (np.array(local) * flip) + transform[:3, 3])
        end = model.attachment_world(rest, insertions[slip.insertion])
        points.append(end + SLIP_LIFT * plantar)
        path = np.array(points)
        arc = sweep.cumulative_length(path)
        fine = np.linspace(0.0, arc[-1], max(8, math.ceil(arc[-1] / 5e-4)) + 1)
        smooth = sweep.smoothing_matrix(fine, SLIP_SMOOTH) @ sweep.resample(path, arc, fine)
        fine_arc = sweep.cumulative_length(smooth)
        k = max(2, math.ceil(fine_arc[-1] / SLIP_SPACING) + 1)
        line = sweep.resample(smooth, fine_arc, np.linspace(0.0, fine_arc[-1], k))
        normal, binormal = sweep.orthonormal_frames(sweep.tangents(line), np.tile(plantar, (k, 1)))
        ring = (
            line[:, None, :]
            + 0.5 * SLIP_SECTION[0] * c[None, :, None] * normal[:, None, :]
            + 0.5 * SLIP_SECTION[1] * s[None, :, None] * binormal[:, None, :]
        )
        parts.append(_with_caps(ring))
        faces.append(sweep.TubeTopology.build(k, SLIP_PER_RING).faces + start)
        rings.append((start, k, SLIP_PER_RING))
        start += k * SLIP_PER_RING + 2
    design = np.concatenate(parts)
    forward = (design - calcn[:3, 3]) @ calcn[:3, 0]
    to_toes = _smoothstep((forward - joint) / SLIP_BLEND + 0.5)
    return Slips(
        faces=np.concatenate(faces),
        rings=tuple(rings),
        bodies=("calcn", "toes"),
        weights=np.stack([1.0 - to_toes, to_toes], axis=1),
        design=design,
    )


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


def path_start(rig: Rig, result: PoseResult) -> np.ndarray:
    """Where a muscle's tube starts in ``result``: the first point of its proximal extension if it has one (for the
    soleus, its origin on the fibular head), else the model's origin point."""
    return _path_points(rig, result)[0]


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
        if rig.slips is not None:
            built[structure_id] = _with_slips(built[structure_id], rig.slips, rig.faces, bone_obstacles)
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
            trimesh.Trimesh(final[structure_id], rigs[structure_id].faces, process=False),
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
        deformer.bind(rig.structure_id, mesh.vertices, tube_only=True)
        volume = float(mesh.volume)
        if abs(volume / goal - 1.0) < 0.003:
            break
        frames = deformer.posed_frames(rig.structure_id, deformer.rest)
        weighted = deformer.volume_weights(rig, frames, None)
        belly = float((rig.belly * weighted).sum()) * volume / float(weighted.sum())
        factor = min(max(1.0 + (goal - volume) / belly, 0.7), 2.0)
        scale = np.sqrt(1.0 + rig.belly * (factor - 1.0))
        vertices = deformer.place(rig, frames, scale)
        deformer.bind(rig.structure_id, vertices, tube_only=True)
        mesh = _pushed(deformer, rig, obstacles, rounds=8)
    return BuiltStructure(mesh, target, tendon_volume)


def _with_slips(built: BuiltStructure, slips: Slips, faces: np.ndarray, obstacles: list[Obstacle]) -> BuiltStructure:
    """``built`` with its slips added as closed components, each pushed clear of the bones (as the tubes are).

    The slips are tendon: their volume counts with the tendon parts, not the belly's.
    """
    import trimesh

    from calfviewer.geometry.clearance import push_out

    parts = []
    for first, k, m in slips.rings:
        rings = slips.design[first : first + k * m].reshape(k, m, 3)
        moved = push_out(rings, obstacles, tangents=sweep.tangents(rings.mean(axis=1)))
        parts.append(_with_caps(moved))
    tube = np.asarray(built.mesh.vertices)
    slip_volume = sweep.signed_volume(np.concatenate(parts), slips.faces)
    mesh = trimesh.Trimesh(np.concatenate([tube, *parts]), faces, process=False)
    return BuiltStructure(mesh, built.target, built.tendon_volume + slip_volume)


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
    """A muscle's path in ``result``, with the rig's proximal extension points prepended if it has any, and its
    conditional via points let go as far as the knee's flexion says (:attr:`ShapeSpec.release`)."""
    points = result.muscles[rig.structure_id].points
    for index, begin, end in rig.release:
        let_go = float(_smoothstep((result.pose.knee_flexion - begin) / (end - begin)))
        if let_go > 0.0:
            points = points.copy()
            before, after = points[index - 1], points[index + 1]
            chord = after - before
            t = min(max(float(np.dot(points[index] - before, chord) / np.dot(chord, chord)), 0.0), 1.0)
            points[index] += let_go * (before + t * chord - points[index])
    if rig.prefix is not None:
        body, local = rig.prefix
        transform = result.body_transforms[body]
        points = np.vstack([local @ transform[:3, :3].T + transform[:3, 3], points])
    return points
