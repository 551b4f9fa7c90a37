"""What the muscles and the calcaneal tendon look like, as plain data: shapes, slips, build order, spacings.

Over 500 lines on purpose: tables, not logic; every shape, slip and spacing a person tunes, in one place.

Why a module of its own: these numbers are what gets tuned (against Gray's Anatomy and the MyoLeg paths, see
docs/geometry.md), and the code that lays out rigs (:mod:`calfviewer.geometry.rig`), shapes the rest meshes
(:mod:`calfviewer.geometry.shaping`) and poses them (:mod:`calfviewer.geometry.deformer`) reads them from here.
Changing a shape is an edit here and nothing else (then bump
:data:`calfviewer.geometry.shaping.MUSCLES_GENERATOR_VERSION` and run ``calfviewer build-meshes``). Nothing here
imports anything but the standard library.

Lengths are metres, right leg. A muscle's tube runs along its model path, cut into a proximal tendon, a fleshy belly
and a distal tendon (fractions of the rest length in :data:`SPECS`); its section is a super-ellipse flattened front
to back, with its centre offset from the line of action so the layers nest (:class:`ShapeSpec`). The calcaneal
(Achilles) tendon is not a model path: :class:`TendonSpec` describes it along the last :attr:`TendonSpec.length`
before the calcaneal tuberosity.
"""

from __future__ import annotations

from dataclasses import dataclass

PER_RING = 36
"""Vertices around each ring: enough for a smooth silhouette at the zoom a whole calf fills the window."""
BELLY_SPACING = 0.004
"""Ring spacing along a belly (m); bellies curve and change size, so they get dense rings."""
TENDON_SPACING = 0.008
"""Ring spacing along a tendon (m); tendons are thin and mostly straight."""
OFFSET_SMOOTH = 0.012
"""Gaussian width (m) that rounds the corners of each muscle's :attr:`ShapeSpec.offset` table along its path."""
TANGENT_SMOOTH = 0.008
"""Gaussian width (m) of the smoothing of ring directions along a muscle."""
GUIDE_RAMP = 0.08
"""Length over which a triceps tendon tail moves onto the calcaneal tendon's centreline (m)."""
TENDON_COMPLIANCE = 0.3
"""How much a metre of free tendon gives, relative to a metre of belly, when the muscle-tendon unit changes length."""
CLEARANCE = 1.0e-3
"""How far outside a bone or a deeper muscle a pushed vertex ends up (m)."""
PUSH_ENVELOPE = 21
"""Rings (4 mm apart on a belly, so 8.4 cm) over which the build-time pushes out of bones and deeper muscles are
made smooth (:func:`calfviewer.geometry.clearance.smooth_envelope`): ring-by-ring pushes over a stepped surface drew
ribs across the broad bellies (rib RMS on the medial head 0.94 mm without, 0.69 with 9 rings, 0.46 with 21;
docs/geometry.md, Limits)."""
CLEAR_ENDS = 0.012
"""Rings this close to an attachment (m) are moved less, down to not at all at the end, so muscles stay attached."""

#: Bodies whose rotation carries the ring frames, and the heights (rest, world z) where one hands over to the next.
FRAME_BODIES = ("femur", "tibia", "calcn")
FRAME_BLEND = 0.015


ROUND_TOP_END = 0.3
"""Share of its section's width and thickness that a rounded top keeps at the origin (:attr:`ShapeSpec.round_top`):
the end ring is not a point, which would leave its normals undefined."""


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
            extension moves with the bone, and the belly rings along it stay put (see
            :func:`calfviewer.geometry.rig._muscle_layout`).
        guided: distal tendon runs inside the calcaneal tendon.
        crowded_origin: length from the origin (m) over which the muscle is not pushed out of other muscles,
            where attachments crowd each other on the bone (the plantaris arises just above the lateral head).
        widen: the share of the belly's swelling (a shortened belly grows to keep its volume) taken in width alone:
            0 grows it both ways alike, 1 only side to side, -1 only in thickness. The soleus lies under the
            calcaneal tendon and the gastrocnemius: with the foot plantarflexed it bulges out at its sides (where it
            shows beside the gastrocnemius), not back through the tendon lying on it. The medial head of
            gastrocnemius meets the lateral head in the midline: with the knee bent it bulges backwards, away from
            the soleus beneath it, not sideways into the other head.
        widen_medially: ``(start, full, share)``: from ``start`` down (arc length from the origin, m) the belly
            widens more and more from its lateral edge, and from ``full`` down its anchor lies ``share`` of the way
            from its middle to its lateral edge (1: the lateral edge stays where it is and the medial edge takes all
            the widening); empty: both edges move out alike. The soleus is bounded laterally by the posterior
            intermuscular septum and the fibularis longus beyond it (Gray's Anatomy 42e); widened about its middle,
            with the foot plantarflexed 40 degrees its lateral edge ran 5-7 mm into fibularis longus.
        follows: another muscle whose posing this one's belly follows where they meet (empty: none), over
            ``follow`` ``(in from, in to, out from, out to)``, arc lengths (m) from the origin: between ``in to``
            and ``out from`` each ring keeps where it lay at rest relative to the other muscle's ring at its height
            (turned with the bone that carries it), fading to its own path's placing over the two ends. Two muscles
            that meet each following its own line of action slide past each other differently as the joints move;
            the gastrocnemius heads, joined in the midline, pressed 7-8 mm into each other with the knee bent.
            Across the calf (the tibia's medio-lateral axis) a ring follows wholly; in depth only ``follow_depth``
            of the way, keeping the rest to its own path, so it is not lifted off what it lies on when its partner
            drifts back.
        stays_on: the muscle whose back this one's belly lies on and does not slide down (empty: none), over
            ``stay`` ``(in from, in to, out from, out to)``, arc lengths (m) from the origin as in ``follow``: between
            ``in to`` and ``out from`` each ring keeps its rest level along the leg (the tibia's long axis) relative
            to that muscle's ring at its height, fading to its own path's placing over the two ends; across and in
            depth it is placed as before. A belly placed along a line of action from the femur slides down over a
            muscle the tibia carries as the knee bends, and its thinner upper sections come to lie where its thick
            belly lay, standing off what it lies on.
        curl: ``(radius, tilt)``: the belly's section bent into a crescent, its mid-line an arc of this radius (m;
            0 leaves it straight) with its edges coming forward, as a sheet that follows the round back of the calf
            does; then turned by ``tilt`` degrees about its centre, positive turning its outer face medially (a
            head on the medial side of the calf faces posteromedially).
        release: via points that hold the path over only part of the knee's range, as OpenSim's conditional
            path points do: ``(index of the path point, knee flexion where it starts to let go, knee flexion
            where it is gone)``, degrees. Letting go moves the point smoothly onto the line between its
            neighbours, so nothing jumps.
        held: where a retinaculum holds the tendon against the bones, as the drawn tube's own via points:
            ``(index of the model path point it follows, body, point in that body's frame)``, right leg. The model's
            line of action (and so every length and moment arm) is MyoLeg's; only the drawn tube passes through
            these points, which move with their bone, so a tendon crossing the front of the ankle follows the
            bones in every pose instead of cutting the corner as the straight line between two sites does.
        dropped: indices of model path points the drawn tube leaves out, where ``held`` points take their place
            (MyoLeg's sites for the fibular tendons behind the lateral malleolus lie 6-9 mm off the bone; the tube
            runs through held points in the malleolar groove instead). The model's line of action keeps them.
        pinned: length (m) at the insertion end over which the build's clearance step fades out, so the tendon
            ends on its insertion (tibialis anterior on the medial cuneiform beside the first metatarsal, fibularis
            longus under the base of the first metatarsal); the end ring itself is not tested for clearance at all
            (:func:`calfviewer.geometry.shaping._pushed` says why).
        narrow_top: how much more slowly the belly widens than it thickens above its peak (0 alike): the width
            profile is the belly profile times ``sin(pi/2 * u / peak) ** narrow_top`` there. The gastrocnemius
            heads arise by short flat tendons from the condyles and are widest in the upper-middle calf, so their
            tops narrow towards the condyles and open the lower triangle of the popliteal fossa between them.
        round_top: length (m) from the origin over which a belly that ends broad on the bone rounds off, its
            width and thickness following a quarter ellipse (down to :data:`ROUND_TOP_END` of their size at the
            origin), so the end seen face on is round, not cut straight across (0: not rounded).
        crease: the sharpest concave fold between rings (degrees between the faces' normals) the rest mesh keeps;
            sharper ones are relaxed at the build (:func:`calfviewer.geometry.pleats.unpleated`). 90 for most: a
            fold past a right angle is a pleat, and designed bends of the soleus and fibularis longus are 60-85.
        round_shoulders: whether the moves that push the belly clear of what lies beneath are also rounded where
            they fall off steeply (:func:`calfviewer.geometry.clearance.smooth_envelope`): for the bellies whose
            back is seen under the skin, where such a corner shows as a band across the muscle.
        envelope_tail: how far (m) below the belly the push envelope goes on smoothing the clearance moves along
            the distal tendon: a thin tendon leaving a belly pushed well back otherwise steps forward onto what lies
            beneath within a ring or two (the plantaris's tendon jogged 8-10 mm onto the soleus).
        envelope_share: how much of the push envelope the belly (and that tail) takes, 0..1, the rest being each
            ring's own move: a small belly whose largest push is at one place would otherwise be carried back by it
            along its whole length.
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
    widen: float = 0.0
    widen_medially: tuple[float, ...] = ()
    follows: str = ""
    follow: tuple[float, ...] = ()
    follow_depth: float = 1.0
    stays_on: str = ""
    stay: tuple[float, ...] = ()
    curl: tuple[float, float] = (0.0, 0.0)
    held: tuple[tuple[int, str, tuple[float, float, float]], ...] = ()
    dropped: tuple[int, ...] = ()
    pinned: float = 0.0
    narrow_top: float = 0.0
    round_top: float = 0.0
    round_shoulders: bool = False
    crease: float = 90.0
    envelope_tail: float = 0.0
    envelope_share: float = 1.0


@dataclass(frozen=True)
class TendonSpec:
    """The calcaneal tendon.

    Attributes:
        length: from where it leaves the gastrocnemius bellies at mid-calf to the calcaneal tuberosity (m); the
            free tendon below the soleus is its last 5-6 cm.
        sections: (distance from the insertion, thickness, width) control points, metres, interpolated smoothly:
            broad aponeurosis at the top; narrowest ~4 cm above the insertion (6 x 14.5 mm, ~70 mm^2: the free
            tendon 2-6 cm above the insertion is 50-90 mm^2, 10-20 mm wide and 3.5-8 mm thick in ultrasound and MRI
            series, e.g. Magnusson et al. 2003, J Physiol 547:389; Kongsgaard et al. 2005); then widening to 1.8x
            that width (25 mm) and thinning (3.5 mm) into its insertion, as the reference describes (1.5-2x).
        offset: (distance from the insertion, posterior offset) control points: it lies behind the soleus, set a
            little short of its back so the clearance step lays it there (touching, as the soleus fibres insert on
            it); at the heel the centreline itself is bent onto the insertion (:attr:`footprint`), so no offset.
        footprint: where the tendon lies on the bone, its centreline's last stretch, top first, in the calcaneus'
            body frame (x anterior, y up, z lateral; right leg): down the middle third of the bone's posterior
            surface (which runs from y = -0.002 to 0.030 on the stored bone; its middle third 0.009-0.019) to just
            below the tuberosity's most posterior point (y 0.006-0.008), each point 2.8 mm behind the surface
            measured there (half the tendon's 4-4.5 mm thickness and a 0.5 mm gap; its crescent's edges come
            forward to the bone and stay out of it as the foot everts). Gray's Anatomy 42e: the tendon inserts
            into the middle part of the posterior surface, the retrocalcaneal bursa lying between it and the
            smooth upper part: above the footprint the tendon leaves the bone.
        settle: over how much of its length (m, above the footprint) the centreline bends from the heads' paths'
            common end (MyoLeg's site on the upper surface) onto the top of :attr:`footprint`.
        bend: over how much of its length (m, above the footprint) the centreline turns from the heads' line into
            the footprint's own line carried on up, so it meets the footprint without a corner: moved onto the
            footprint's top alone, it met the footprint at the angle the foot turns the calcaneus through, a kink of
            37 degrees between two rings 6.5 mm apart with the foot plantarflexed 40 (12 at rest).
        wrap_radius, wrap_length: near the insertion the section curves round the convex back of the calcaneus
            (radius of curvature of the bone there, m), fully at the insertion and not at all ``wrap_length`` above
            it: the crescent-shaped footprint.
    """

    length: float = 0.21
    sections: tuple[tuple[float, float, float], ...] = (
        (0.000, 0.0035, 0.0250),
        (0.008, 0.0040, 0.0225),
        (0.020, 0.0052, 0.0175),
        (0.040, 0.0060, 0.0145),
        (0.080, 0.0045, 0.0180),
        (0.130, 0.0032, 0.0300),
        (0.180, 0.0030, 0.0350),
        (0.200, 0.0026, 0.0300),
        (0.210, 0.0012, 0.0120),
    )
    offset: tuple[tuple[float, float], ...] = (
        (0.0, 0.0),
        (0.02, 0.001),
        (0.045, 0.005),
        (0.095, 0.012),
        (0.145, 0.020),
        (0.21, 0.026),
    )
    footprint: tuple[tuple[float, float, float], ...] = (
        (-0.0072, 0.021, -0.0053),
        (-0.0083, 0.018, -0.0053),
        (-0.0099, 0.015, -0.0053),
        (-0.0110, 0.012, -0.0053),
        (-0.0119, 0.009, -0.0053),
        (-0.0122, 0.006, -0.0053),
    )
    settle: float = 0.05
    bend: float = 0.08
    wrap_radius: float = 0.02
    wrap_length: float = 0.02
    spacing: float = 0.006
    exponent: float = 2.6


#: The gastrocnemius heads' tendon tails (thickness, width, m): threads. Each tail carries its head's line of action
#: from the belly's lower end, which lies on the calcaneal tendon's aponeurosis, into the tendon (``guided``), and
#: the calcaneal tendon is what is drawn for them there (Gray's Anatomy 42e: the heads end in that aponeurosis). At
#: 1.2 x 3 mm the first 1-2 cm of each tail, before it has moved into the tendon, showed from behind and from the
#: medial side as a white spigot under each belly.
TRICEPS_TAIL = (0.00003, 0.00005)

#: Right-leg shapes, chosen against Gray's Anatomy 42e and the MyoLeg paths (see docs/geometry.md).
SPECS: dict[str, ShapeSpec] = {
    "gastrocnemius_medial_head": ShapeSpec(
        belly=(0.09, 0.65),
        peak=0.4,
        fullness=0.35,
        aspect=4.35,
        exponent=2.2,
        deep=0.35,
        tendon_proximal=(0.003, 0.008),
        tendon_distal=TRICEPS_TAIL,
        offset=(
            (0.0, 0.0, 0.0),
            (0.1, 0.004, 0.008),
            (0.2, 0.002, 0.008),
            (0.3, 0.0, 0.004),
            (0.4, 0.001, 0.003),
            (0.5, 0.006, 0.002),
            (0.6, 0.009, -0.003),
            (0.7, 0.006, 0.0),
            (0.8, 0.0, 0.0),
            (1.0, 0.0, 0.0),
        ),
        guided=True,
        # Turned 32 degrees (was 20), so its medial edge comes forward round the soleus (the head stood 14-23 mm off
        # it at 15-25 % of the leg and arched over it at 90 degrees of knee flexion); a blunter profile (fullness
        # 0.35, was 0.55) and a flatter section (aspect 4.25, was 4.05) keep it within 25 mm thick where widest.
        curl=(0.08, 32.0),
        narrow_top=2.0,
        round_shoulders=True,
        # Posed, its belly keeps where it lay beside the lateral head at rest (8-24 cm from its origin), and it
        # swells backwards: each following its own line of action, with the knee bent 90 degrees the lateral head
        # slid 5 mm further back than it, both heads widened by 9 % and the two pressed 6.8 mm into each other
        # (8.1 mm with the foot plantarflexed 40 degrees too; docs/geometry.md, Posing).
        widen=-1.0,
        follows="gastrocnemius_lateral_head",
        follow=(0.06, 0.09, 0.20, 0.24),
        # Across the calf only. Following the lateral head wholly, the medial head took its drift back and stood 20 /
        # 21 / 10.5 mm off the soleus 8 / 11 / 14 cm below the knee with the knee bent 90 degrees (11.4 / 13.9 / 6.4
        # not following, 22 / 11 / 3.9 at rest); a third of the way in depth (needed while the head slid down its
        # path: across alone left the heads 3.2 mm in each other with the foot plantarflexed 40 and inverted 20),
        # 16.3 / 18.3 / 9.2. Now that its belly stays on the soleus (below), across alone leaves the heads at most
        # 1.5 mm in each other and the head 14.2 / 6.2 mm off the soleus; a third in depth, 15.1 / 6.9.
        follow_depth=0.0,
        # Its belly lies on the soleus and stays on the calf as the knee bends (Gray's Anatomy 42e: the heads' upper
        # ends curve round the back of the femoral condyles): along its own path, with the knee bent 90 degrees it
        # slid 2-3 cm down over the soleus, which the tibia carries, and its thinner upper sections stood 18.3 / 9.2
        # mm off the soleus 11 / 14 cm below the knee (11.0 / 3.9 at rest). From 3 cm below its origin, where the
        # femur's share in carrying its rings gives way to the tibia's, wholly from 16 cm, its level 11 cm below
        # the knee, where it comes to lie on the soleus (22 mm off at 8 cm, over the popliteal fossa); out over
        # 20-24 cm as it follows the lateral head, since its own path carries its lower belly 8 mm or less down
        # with the knee at 90 degrees. In from the origin, the heads lay 2.3 mm in each other with the foot
        # dorsiflexed 30 and the knee at 120 (1.5 as here); wholly from 13 cm, 2.6 mm.
        stays_on="soleus",
        stay=(0.03, 0.16, 0.20, 0.24),
    ),
    "gastrocnemius_lateral_head": ShapeSpec(
        belly=(0.07, 0.55),
        peak=0.4,
        fullness=0.45,
        aspect=4.3,
        exponent=3.0,
        deep=0.35,
        tendon_proximal=(0.003, 0.006),
        tendon_distal=TRICEPS_TAIL,
        offset=(
            (0.0, 0.0, 0.0),
            (0.1, 0.008, 0.0),
            (0.2, 0.008, -0.017),
            (0.3, 0.008, -0.017),
            (0.4, 0.011, -0.016),
            (0.5, 0.013, -0.0146),
            (0.6, 0.008, -0.006),
            (0.7, 0.003, 0.0),
            (0.8, 0.0, 0.0),
            (1.0, 0.0, 0.0),
        ),
        guided=True,
        crowded_origin=0.02,
        curl=(0.16, -15.0),
        narrow_top=1.5,
        round_shoulders=True,
        # Its upper belly shortens by a third with the knee bent and the foot plantarflexed, pressing a rest crease
        # of 67 degrees between rings 20 and 21 (below its top, held 7 mm off plantaris) into a pleat of 90-96
        # (docs/geometry.md, "Popliteus on the tibia"); relaxed to 50 at rest it stays under a right angle.
        crease=50.0,
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
        widen=1.0,
        # From 8 cm below its top down, it widens mostly medially: laterally lie the intermuscular septum and
        # fibularis longus (docs/geometry.md, Posing); not wholly, since medially its edge then ran 1.7 mm under
        # the medial head's with the foot everted. Near its top the popliteus lies medially.
        widen_medially=(0.04, 0.08, 0.8),
        curl=(0.07, 0.0),
    ),
    "plantaris": ShapeSpec(
        belly=(0.02, 0.21),
        peak=0.4,
        fullness=1.2,
        aspect=1.6,
        tendon_proximal=(0.003, 0.005),
        tendon_distal=(0.0015, 0.003),
        # Its long tendon runs down the medial border of the calcaneal tendon, not across its back; where it leaves
        # the belly (10-20 % of the leg) it lies on popliteus and the top of the soleus (Gray's Anatomy 42e), not 6-11
        # mm behind them as its straight path from the condyle would put it. Near the knee it is kept up to 2 cm
        # behind its path, where the popliteal vessels, nerve and fat (not modelled) lie between it and the capsule:
        # laid on the capsule once popliteus moved below the joint line, it stepped over the soleus's stand-ins with
        # the knee bent (docs/geometry.md, "Popliteus on the tibia").
        offset=(
            (0.0, 0.0, 0.0),
            (0.07, 0.004, 0.0),
            (0.1, 0.020, 0.0),
            (0.12, 0.019, 0.0007),
            (0.15, 0.008, 0.0017),
            (0.19, 0.004, 0.0025),
            (0.22, -0.001, 0.003),
            (0.25, -0.0035, 0.0035),
            (0.3, 0.0, 0.005),
            (0.45, 0.004, 0.010),
            (0.65, 0.004, 0.013),
            (0.88, 0.0, 0.008),
            (1.0, 0.0, 0.0),
        ),
        # The via point behind the lateral femoral condyle keeps the path deep to the lateral head with the knee
        # straight; past ~90 degrees it would turn the path back on itself into the joint (a 118-degree hairpin at
        # 120 degrees, which no tendon makes: it lifts off the condyle). Between 60 and 90 degrees the path runs
        # nearly straight through it, so letting it go there moves nothing visibly.
        release=((1, 60.0, 90.0),),
        envelope_tail=0.06,
        # Its belly's push off popliteus peaks 14 mm near the knee; taking all of it, the envelope held the belly and
        # the tendon's first centimetres 17-24 mm behind popliteus and the soleus at 8-15 % of the leg (and the medial
        # head, built after it, further back still). Half keeps it off popliteus and the soleus in deep knee flexion
        # (with the ankle plantarflexed 40 and the knee bent 120 degrees, a quarter leaves 5.2 % of it inside
        # popliteus, none 4.1-4.4 % inside popliteus or the soleus).
        envelope_share=0.5,
    ),
    # A thin triangular sheet on the back of the tibia above the soleal line, its tendon rising inside the capsule to
    # the lateral femoral condyle (Gray's Anatomy 42e). The model's path keeps its knee arm by passing behind the
    # condyle 18 mm above the plateau; drawn along it, the belly was a band across the back of the knee. The tube
    # leaves the model's tibial points out (``dropped``) and runs through its own, tibia frame: down the lateral
    # condyle, out behind the lateral tibial condyle at the joint line, then down and medially across the bone to the
    # medial border 4 cm below the plateau, widening into a fan; laid onto the bone (``DRAPE``). docs/geometry.md,
    # "Popliteus on the tibia".
    "popliteus": ShapeSpec(
        belly=(0.38, 1.0),
        peak=0.85,
        fullness=0.5,
        aspect=3.8,
        exponent=2.4,
        deep=0.5,
        tendon_proximal=(0.003, 0.006),
        tendon_distal=(0.008, 0.050),
        offset=((0.0, 0.0, 0.0), (1.0, 0.0, 0.0)),
        smooth=0.006,
        held=(
            (1, "tibia", (-0.008, -0.014, 0.037)),
            (1, "tibia", (-0.023, -0.027, 0.030)),
            (1, "tibia", (-0.033, -0.042, 0.014)),
            (1, "tibia", (-0.027, -0.053, -0.001)),
            (1, "tibia", (-0.018, -0.062, -0.021)),
        ),
        dropped=(2, 3, 4),
    ),
    # Deeper than wide (0.65) and set 1.5-3 mm further back than a round section was, so flexor digitorum longus
    # fits beside it on its medial side (docs/geometry.md, 3); its top arises 5 mm higher, just below popliteus, broad
    # (the upper tibia, membrane and fibula), and the offsets' knots moved down the 5 mm longer path so they stay at
    # the same places along the leg. That top is rounded over its first 8 mm (``round_top``; generator 31): it ended
    # in a flat cut across, 16 x 5 mm, which read from behind as a sawn-off end. Started 19 mm wide (was 16), it keeps
    # the back of the tibia covered as before (rays from behind meeting a deep muscle 95.6 %; 95.1 % rounded at 16 mm).
    "tibialis_posterior": ShapeSpec(
        belly=(0.0, 0.62),
        peak=0.42,
        fullness=0.8,
        aspect=0.65,
        exponent=2.2,
        deep=0.5,
        tendon_proximal=(0.005, 0.019),
        tendon_distal=(0.0035, 0.007),
        round_top=0.008,
        offset=(
            (0.0, 0.004, 0.004),
            (0.112, 0.0118, 0.0076),
            (0.211, 0.0149, 0.0018),
            (0.309, 0.0131, -0.0051),
            (0.408, 0.0113, -0.009),
            (0.507, 0.0099, -0.011),
            (0.605, 0.008, -0.0101),
            (0.704, 0.007, -0.003),
            (0.753, 0.004, 0.0),
            (0.822, 0.002, 0.0),
            (0.882, 0.0, 0.0),
            (1.0, 0.0, 0.0),
        ),
        origin=((-0.008, -0.075, 0.012),),
    ),
    # Deeper than wide (0.6), 1-2 mm behind its path and 8-12 mm medial of it at 30-60 % of the leg: against the
    # medial face of tibialis posterior and down onto the back of the tibia's medial border (docs/geometry.md, 3);
    # pushed medially, not back, where it meets tibialis posterior (PUSH). Its top tapers to a narrow point on the
    # bone (2 x 3 mm, was 4 x 8), as a fleshy origin does, not a cut-off end.
    "flexor_digitorum_longus": ShapeSpec(
        belly=(0.0, 0.42),
        peak=0.45,
        fullness=0.9,
        aspect=0.6,
        tendon_proximal=(0.002, 0.003),
        tendon_distal=(0.0025, 0.004),
        offset=(
            (0.0, 0.0026, 0.0),
            (0.03, 0.003, 0.0),
            (0.07, 0.002, 0.004),
            (0.1, 0.002, 0.010),
            (0.2, 0.001, 0.012),
            (0.3, 0.001, 0.008),
            (0.35, 0.001, 0.005),
            (0.4, 0.0005, 0.003),
            (0.48, 0.0, 0.001),
            (0.55, 0.0, 0.0),
            (1.0, 0.0, 0.0),
        ),
        origin=((-0.006, -0.100, -0.010),),
        crowded_origin=0.02,
    ),
    # Its top tapers to 3 x 4 mm (was 5 x 10, a blunt oblique end on the fibula) from a point 12 mm higher on the
    # fibula's back, so its fleshy section is where it was from a third of the fibula down: tapered from the old
    # height the soleus filled the room it left beside fibularis longus, which then stood 1.5-1.7 mm off the top of
    # brevis at 35 % of the leg (0.7 mm as it is).
    # Its fleshy belly reaches lowest of the posterior muscles, almost to the ankle (calf-anatomy reference, 70-90 %):
    # to 0.49 of its path since generator 33 (was 0.42, ending at 77 % of the leg by the tests' measure, above the
    # soleus's 80.5 %; now 85 %).
    "flexor_hallucis_longus": ShapeSpec(
        belly=(0.0, 0.49),
        peak=0.5,
        fullness=0.8,
        aspect=1.5,
        tendon_proximal=(0.003, 0.004),
        tendon_distal=(0.003, 0.005),
        offset=(
            (0.0, 0.002, 0.0),
            (0.1, 0.0127, -0.0045),
            (0.2, 0.013, -0.0062),
            (0.3, 0.015, -0.0132),
            (0.4, 0.0095, -0.0107),
            (0.47, 0.004, -0.004),
            (0.55, 0.0, 0.0),
            (1.0, 0.0, 0.0),
        ),
        origin=((-0.030, -0.120, 0.021),),
    ),
}
# --- the anterior and lateral compartments (issue 21) -------------------------------------------------------------
# In MyoLeg's bones the fibula lies almost straight behind the tibia, so the interosseous membrane between them runs
# front to back and the anterior compartment lies anterolateral to the tibia, in front of the fibula; the lateral
# compartment lies lateral to the fibula, in front of the soleus. Offsets below were solved from the stored bones:
# at each level the wanted centre (world, neutral pose; see docs/geometry.md) minus the path there, resolved on the
# ring's normal and binormal (``/tmp`` scripts are not kept: the table is the design). Extensor hallucis longus's
# middle offsets were then moved 2 mm back and 3 mm laterally, and extensor digitorum longus's 3-4 mm medially, onto
# the fibula and towards each other (they stood 9-11 mm apart at mid-leg; Gray's Anatomy 42e: extensor hallucis
# longus lies on the fibula and the interosseous membrane between tibialis anterior and extensor digitorum longus);
# the packing step (:mod:`calfviewer.geometry.packing`) closes what is left.
#: Where tibialis anterior's drawn tendon lies on the front of the lower tibia under the superior extensor retinaculum
#: (tibia body frame, right leg; x anterior, y up, z lateral): MyoLeg's line from tibant-P2 to tibant-P3 runs 12-20 mm
#: in front of the bone over the last 10 cm above the ankle, and P3 itself 11.7 mm in front of the anterior lip.
#: Measured on the stored tibia: at each height, on MyoLeg's line side to side, the bone's front plus 4.5 mm (half the
#: tendon's 3 mm thickness and 3 mm for its sheath and the retinaculum's hold); the last replaces P3 in the drawn
#: tube (the model's line keeps it). Gray's Anatomy 42e: the tendon lies on the anterior surface of the lower tibia,
#: the most medial of the tendons under the retinacula.
TIBIALIS_ANTERIOR_TIBIA: tuple[tuple[float, float, float], ...] = (
    (0.0113, -0.29, -0.0019),
    (0.0082, -0.32, -0.0064),
    (0.0161, -0.366, -0.0132),
)
#: Where extensor digitorum longus's drawn tendon lies on the front of the lower tibia under the superior extensor
#: retinaculum (tibia body frame, right leg): MyoLeg's line to edl-P2 runs 9.5-11 mm in front of the bone 3-5 cm
#: above the ankle. Measured on the stored tibia as for tibialis anterior: the bone's front plus 5 mm.
EXTENSOR_DIGITORUM_TIBIA: tuple[tuple[float, float, float], ...] = ((0.0061, -0.33, 0.0128), (0.0072, -0.35, 0.0121))
#: Where the fibular tendons' drawn tubes run behind the lateral malleolus and on the calcaneus (body frames, right
#: leg; x anterior, y up, z lateral). Measured on the stored fibula and calcaneus meshes: from MyoLeg's own sites
#: (perbrev/perlong P2 and P3 on the tibia body, perbrev P4 on the calcaneus) to the nearest point of the bone's
#: surface, then back out along that line to 2.5 mm from it (half a tendon's 3 mm thickness and 1 mm) for brevis,
#: which lies against the bone, and to 6 mm for longus, which lies behind brevis in the groove (Gray's Anatomy
#: 42e; the two centres 3.7-4 mm apart); rounded to 0.1 mm.
FIBULAR_GROOVE: dict[str, tuple[tuple[float, float, float], ...]] = {
    "brevis": ((-0.0276, -0.3881, 0.0246), (-0.0237, -0.3989, 0.0236), (0.0464, 0.0255, 0.0209)),
    "longus": ((-0.0308, -0.3898, 0.0237), (-0.0268, -0.4014, 0.0239)),
}

#: Fibularis longus's tendon across the sole (calcaneus body frame, right leg), deep to the flexor tendons: see its
#: ``held`` below. Measured on the stored tarsal and metatarsal meshes: the bones' plantar surface is not level
#: across the sole (the transverse arch rises to 25-33 mm under the intermediate cuneiform and the base of the
#: second metatarsal, against 15-18 mm under the lateral cuneiform and the third metatarsal's base), so the line
#: runs under the lateral cuneiform, then forwards under the third and second metatarsals' bases, then medially
#: under the medial cuneiform to the first metatarsal. Each point is 1.6-2.1 mm from the nearest bone (the last,
#: near the insertion, 4.5 mm); the smoothed centreline passes a little below them, which leaves every ring's surface
#: 0.7-3.9 mm off the bones in every tested pose (rounded to 0.5 mm; docs/geometry.md).
FIBULAR_SOLE: tuple[tuple[float, float, float], ...] = (
    (0.0940, 0.0130, 0.0045),
    (0.1030, 0.0160, 0.0025),
    (0.1100, 0.0150, -0.0060),
    (0.1155, 0.0120, -0.0125),
)

#: Tibialis anterior's tendon from the talus to its insertion (calcaneus body frame, right leg), on the
#: dorsomedial surface of the navicular and the medial surface of the medial cuneiform (Gray's Anatomy 42e: it
#: crosses the medial side of the dorsum to the medial and plantar surface of the medial cuneiform). MyoLeg's line
#: from the front of the ankle to the insertion runs through those two bones (ring centres 0-2.4 mm from their
#: surface, so the build's clearance step shrank the last five rings to threads); these points lie 5.5-6 mm off the
#: bones' surface along its normal at the rings' places (measured on the stored meshes, rounded to 0.5 mm), which
#: after the centreline's smoothing leaves the ring centres 2.4-6 mm off the bones and the rings round.
TIBIALIS_ANTERIOR_FOOT: tuple[tuple[float, float, float], ...] = (
    (0.0880, 0.0455, -0.0225),
    (0.0975, 0.0380, -0.0255),
    (0.1060, 0.0315, -0.0325),
    (0.1110, 0.0245, -0.0345),
)

ANTERIOR_LATERAL_SPECS: dict[str, ShapeSpec] = {
    "tibialis_anterior": ShapeSpec(
        belly=(0.0, 0.62),
        peak=0.35,
        fullness=0.6,
        aspect=0.95,
        exponent=2.2,
        tendon_proximal=(0.012, 0.012),
        tendon_distal=(0.003, 0.006),
        offset=(
            (0.0, 0.0, 0.0),
            (0.102, -0.0008, -0.0039),
            (0.203, 0.001, -0.0105),
            (0.305, 0.006, -0.0127),
            (0.417, 0.0102, -0.0147),
            (0.519, 0.008, -0.0164),
            (0.62, 0.0036, -0.0133),
            (0.72, 0.0002, -0.0031),
            (0.78, 0.0, 0.0),
            (1.0, 0.0, 0.0),
        ),
        # The lateral condyle of the tibia (tibia body frame), on the bone's surface 2.5 cm below its top.
        origin=((0.016, -0.040, 0.031),),
        # Under the extensor retinacula: held on the front of the talus's neck, 1.5 mm clear of it; then on the
        # navicular and the medial cuneiform (:data:`TIBIALIS_ANTERIOR_FOOT`). It ends 1.5 mm off MyoLeg's
        # insertion site (along the bone's normal there, so its round end lies no more than 2 mm into the bone; on
        # the site itself it lay 2.5 mm in): the site is dropped from the drawn tube, the model's line keeps it.
        held=(
            *((1, "tibia", point) for point in TIBIALIS_ANTERIOR_TIBIA),
            (2, "talus", (0.0297, 0.0065, -0.0116)),
            *((2, "calcn", point) for point in TIBIALIS_ANTERIOR_FOOT),
            (3, "calcn", (0.1160, 0.0184, -0.0313)),
        ),
        dropped=(2, 3),
        pinned=0.012,
    ),
    "extensor_digitorum_longus": ShapeSpec(
        belly=(0.0, 0.6),
        peak=0.45,
        fullness=0.6,
        aspect=0.45,
        exponent=2.2,
        tendon_proximal=(0.010, 0.010),
        tendon_distal=(0.002, 0.006),
        offset=(
            (0.0, 0.0, 0.0),
            (0.058, -0.004, -0.0071),
            (0.14, -0.0031, -0.0162),
            (0.222, 0.0037, -0.0146),
            (0.304, 0.0086, -0.0155),
            (0.395, 0.010, -0.0161),
            (0.477, 0.009, -0.0145),
            (0.559, 0.005, -0.0084),
            (0.619, 0.0, 0.0),
            (1.0, 0.0, 0.0),
        ),
        # The lateral condyle of the tibia above the fibular head (the catalogue's tibial origin, 2 mm lower), then
        # the front of the fibula just below its head (tibia body frame).
        origin=((-0.0026, -0.046, 0.032), (-0.0072, -0.062, 0.0215)),
        # Under the extensor retinacula: on the front of the lower tibia (:data:`EXTENSOR_DIGITORUM_TIBIA`), then on
        # the front of the talus's neck, 1.5 mm clear of it.
        held=(
            *((0, "tibia", point) for point in EXTENSOR_DIGITORUM_TIBIA),
            (1, "talus", (0.029, 0.0037, 0.0061)),
        ),
    ),
    "extensor_hallucis_longus": ShapeSpec(
        belly=(0.0, 0.56),
        peak=0.55,
        fullness=0.7,
        aspect=0.8,
        exponent=2.2,
        tendon_proximal=(0.004, 0.008),
        tendon_distal=(0.003, 0.006),
        offset=(
            (0.0, 0.0, 0.0),
            (0.106, -0.0036, -0.0067),
            (0.212, 0.0012, -0.008),
            (0.326, 0.0041, -0.0079),
            (0.415, 0.0032, -0.0072),
            (0.538, 0.003, -0.0054),
            (0.598, 0.0, 0.0),
            (1.0, 0.0, 0.0),
        ),
        # The front of the fibula at a quarter of its length, where the origin's middle half begins.
        origin=((-0.0144, -0.112, 0.0265),),
        # Under the extensor retinacula: held on the front of the talus's neck, 1.5 mm clear of it.
        held=((2, "talus", (0.0303, 0.0054, -0.0085)),),
    ),
    "fibularis_longus": ShapeSpec(
        belly=(0.0, 0.44),
        peak=0.4,
        fullness=0.6,
        aspect=0.45,
        exponent=2.2,
        deep=0.35,
        tendon_proximal=(0.012, 0.010),
        tendon_distal=(0.003, 0.005),
        offset=(
            (0.0, 0.0, 0.0),
            (0.052, -0.003, -0.0058),
            (0.157, 0.0098, -0.0131),
            (0.27, 0.013, -0.0157),
            (0.374, 0.0168, -0.0155),
            (0.461, 0.015, -0.0142),
            (0.548, 0.0082, -0.0109),
            (0.652, 0.0065, -0.0008),
            (0.712, 0.0, 0.0),
            (1.0, 0.0, 0.0),
        ),
        # The lateral side of the fibular head (tibia body frame).
        origin=((-0.0237, -0.058, 0.0385),),
        # Behind the lateral malleolus, in its groove under the superior fibular retinaculum, lying on brevis
        # (Gray's Anatomy 42e): MyoLeg's sites perlong-P2/P3 are 6.9 and 6.3 mm off the bone; the tube runs
        # through two points on the back of the malleolus (tibia body frame) instead, 3.5 mm behind brevis's.
        # Then across the sole deep to the flexor tendons, against the tarsal bones (Gray's Anatomy 42e): the
        # model's line from its last cuboid site (perlong-P5) to the first metatarsal runs 7 mm plantar of the
        # bones, at the flexor digitorum longus tendon's depth, and the build's clearance step pushed it ~1.6 cm
        # under that tendon. Four points (calcaneus body frame, :data:`FIBULAR_SOLE`) under the bones' plantar
        # surface keep it on the bones, above the flexor tendons, up to its insertion.
        held=(
            (0, "tibia", FIBULAR_GROOVE["longus"][0]),
            (0, "tibia", FIBULAR_GROOVE["longus"][1]),
            *((5, "calcn", point) for point in FIBULAR_SOLE),
        ),
        dropped=(1, 2),
        pinned=0.012,
    ),
    "fibularis_brevis": ShapeSpec(
        belly=(0.0, 0.7),
        peak=0.55,
        fullness=0.7,
        aspect=0.8,
        exponent=2.2,
        # Its upper end is fleshy on the bone (Gray's Anatomy 42e), so it starts 6 x 10 mm (was 4 x 8, a tendon's
        # size): longus, packed onto it, then lies on it from its top (1.7 -> 0.4 mm at 35 % of the leg).
        tendon_proximal=(0.006, 0.010),
        tendon_distal=(0.003, 0.007),
        # From 30 to 60 % of its path the centre lies 10 mm more medially and 2 mm further forward than the wanted
        # centres of docs/geometry.md first gave, and the section is less deep front to back (aspect 0.8, was 0.5),
        # so the belly lies on the fibula's lateral surface (it stood 10-11.5 mm off it at 55-65 % of the leg) and
        # clear of flexor hallucis longus behind the fibula.
        offset=(
            (0.0, 0.0, 0.0),
            (0.153, 0.0015, -0.0072),
            (0.306, 0.0069, -0.0004),
            (0.472, 0.0078, 0.0001),
            (0.625, 0.0035, 0.003),
            (0.725, -0.0021, 0.0),
            (0.785, 0.0, 0.0),
            (1.0, 0.0, 0.0),
        ),
        # The lateral surface of the fibula at a third of its length, where the origin's lower two-thirds begin.
        origin=((-0.0252, -0.141, 0.028),),
        # In the malleolar groove against the bone, in front of longus (Gray's Anatomy 42e), then on the lateral
        # calcaneus above the fibular trochlea under the inferior fibular retinaculum: MyoLeg's sites
        # perbrev-P2/P3/P4 are 9.0, 7.9 and 5.4 mm off the bone.
        held=(
            (0, "tibia", FIBULAR_GROOVE["brevis"][0]),
            (0, "tibia", FIBULAR_GROOVE["brevis"][1]),
            (3, "calcn", FIBULAR_GROOVE["brevis"][2]),
        ),
        dropped=(1, 2, 3),
    ),
}
SPECS.update(ANTERIOR_LATERAL_SPECS)
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
            (or dorsal) of the metatarsal shaft and head and of the proximal and middle phalanges.
        dorsal: runs over the top of the foot (the extensor's slips) rather than under the sole: its end sits above
            the insertion and its section lies flat on the dorsum.
    """

    insertion: int
    branch: float
    side: float
    via: tuple[tuple[str, tuple[float, float, float]], ...]
    dorsal: bool = False


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
#: Extensor digitorum longus's slips to toes 2, 4 and 5 (toe 3 is the model path, edl-P6): Gray's Anatomy 42e has
#: its tendon divide into four on the dorsum of the foot, in front of the ankle, beyond the inferior extensor
#: retinaculum. Via points: 2.2 mm above the highest point of the bone across a 4 mm slice at 50 % and 93 % of the
#: metatarsal's length and at the middle of the proximal and middle phalanges (measured on the stored bone meshes
#: along the body's x, rounded to 0.1 mm); each ends over its catalogue insertion on the base of the distal phalanx,
#: passing over the middle phalanx's. They leave the tendon on the tarsus ~1 cm past MyoLeg's edl-P3 on the lateral
#: cuneiform, the fifth's 1 cm before the others (a fan: the slips to toes 4 and 5 start on the same side). The
#: first via point of the slip to toe 2 is 5.8 mm medial of the top of the shaft: over the top it grazed the main
#: tendon (0.2 mm into it, which the stored-mesh check refuses).
SLIPS["extensor_digitorum_longus"] = (
    SlipSpec(
        insertion=3,
        branch=0.125,
        side=-1.0,
        dorsal=True,
        via=(
            ("calcn", (0.1401, 0.0238, -0.0110)),
            ("calcn", (0.1736, 0.0098, -0.0008)),
            ("toes", (0.0206, 0.0045, 0.0036)),
            ("toes", (0.0518, 0.0031, 0.0092)),
        ),
    ),
    SlipSpec(
        insertion=5,
        branch=0.125,
        side=1.0,
        dorsal=True,
        via=(
            ("calcn", (0.1182, 0.0210, 0.0246)),
            ("calcn", (0.1484, 0.0106, 0.0277)),
            ("toes", (-0.0088, 0.0062, 0.0315)),
            ("toes", (0.0166, 0.0021, 0.0361)),
        ),
    ),
    SlipSpec(
        insertion=7,
        branch=0.135,
        side=1.0,
        dorsal=True,
        via=(
            ("calcn", (0.1039, 0.0181, 0.0343)),
            ("calcn", (0.1362, 0.0100, 0.0405)),
            ("toes", (-0.0209, 0.0067, 0.0432)),
            ("toes", (0.0037, 0.0019, 0.0484)),
        ),
    ),
)
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
TOE_BEND = 0.015
"""Width (m) over which a tendon's or slip's share of the toe joint's turn goes from 0 to 1, centred on the plane
through the joint's axis (:mod:`calfviewer.geometry.toe_joint`): wide enough that a tendon 1-2 cm from the axis bends
round it without folding at 30 degrees."""
TOE_CARRY = (0.045, 0.025)
"""A tendon ending on the toes is carried round the toe joint from ``[0]`` (m) behind the plane through its axis,
wholly from ``[0] - [1]``; further back its rings follow the model's path as every tube's do."""


#: The order structures are built in: deepest first, so each layer can be pushed out of the ones beneath it.
@dataclass(frozen=True)
class WrapSpec:
    """How the soleus is wrapped round the deep compartment (:mod:`calfviewer.geometry.wrap`).

    Attributes:
        gap: room left beyond each obstacle's own margin (m): the layers slide on each other as the joints move.
        valley: grooves in the surface beneath narrower than this (degrees seen from the compartment's centre) are
            bridged, not followed.
        smooth: Gaussian smoothing of that surface (degrees).
        back: Gaussian smoothing (degrees) of the surface beneath for the sheet's back: the back is smooth and the
            sheet thicker over grooves beneath.
        least: the thinnest the sheet may be anywhere, as a share of its thickness where the back is smoothest.
        flat, round: the thickness across the sheet, ``(1 - |2u - 1| ** flat) ** round`` of its middle's: flat over
            most of the width, rounding off at the edges.
        samples: directions the surface beneath is found in.
        along: Gaussian smoothing of the wrapped rings along the muscle (rings).
        fade: lengths (m) over which the wrapped rings blend in below the top of the belly and out above its bottom
            (where the soleus arises from the fibula, and where it narrows onto the calcaneal tendon and flexor
            hallucis longus swells beneath it in plantarflexion).
        attach: ``(from, to, ramp)``, fractions of the leg from the knee: where the medial edge reaches round to the
            tibia's medial border (its middle third: Gray's Anatomy 42e; ending a little higher here, where the
            stretched and shortened soleus would slide onto flexor digitorum longus), ramping in and out over
            ``ramp``.
        bones: the bone whose medial border the sheet reaches round to, and the one whose lateral edge it starts at.
        edges: the muscles the sheet covers: it reaches round to their medial edge, and is wrapped only where the
            plane cuts one of them.
        slack: ``(muscle, metres)``: room taken off that muscle's sliding margin (:data:`SLIDING`) where the sheet
            is wrapped. The margin is for the lower belly, where the wrap has faded out and the pushed rings slide
            over the muscle as the foot moves; the wrapped middle keeps the room it had.
    """

    gap: float = 0.003
    valley: float = 16.0
    smooth: float = 6.0
    back: float = 30.0
    least: float = 0.5
    flat: float = 4.0
    round: float = 0.5
    samples: int = 181
    along: float = 2.0
    fade: tuple[float, float] = (0.04, 0.12)
    attach: tuple[float, float, float] = (0.3, 0.6, 0.08)
    bones: tuple[str, str] = ("tibia", "fibula")
    edges: tuple[str, ...] = ("tibialis_posterior", "flexor_digitorum_longus", "flexor_hallucis_longus")
    slack: tuple[tuple[str, float], ...] = ()


#: The soleus's wrap (docs/geometry.md, "The soleus wrapped round the deep compartment"). Its sliding margin off flexor
#: hallucis longus is 1.5 mm less where it is wrapped than where its pushed lower belly slides over the muscle: with
#: the whole 4.5 mm the room under the soleus at 60 % of the leg was 691 mm^2, with 3.5 mm 685 (test: at most 670;
#: 657 with 3 mm).
SOLEUS_WRAP = WrapSpec(slack=(("flexor_hallucis_longus", 0.0015),))


@dataclass(frozen=True)
class PackSpec:
    """How a muscle is packed against its neighbours (:mod:`calfviewer.geometry.packing`).

    Attributes:
        reach: the farthest a vertex moves out to meet a neighbour (m).
        gap: room left beyond each neighbour's own clearance margin (m).
        slope: the steepest the moves may change per unit length round the ring (m/m): 1 lets a move of 10 mm
            ramp in over 10 mm of outline.
        along: the steepest the moves may change per unit length along the muscle (m/m).
        fade: length (m) over which packing blends in below the top of the belly and out above its bottom, where
            the muscle narrows into its tendons.
        shrink: the most the free side may come in to give the area back, as a share of the ring's half
            thickness (the rest of the area is left: the volume stays within its window).
        smooth: Gaussian smoothing of the moves round the ring (vertices) before they are cut back to the room.
        smooth_along: Gaussian smoothing (rings) along the muscle of every move
            (:func:`calfviewer.geometry.packing.smooth_below`) and of the free side's move that gives the area back.
        towards: neighbours the whole ring first moves towards (in its plane, keeping its outline), up to
            :attr:`shift` and no further than the first contact with anything: where a gap is too wide to fill by
            reaching out alone.
        shift: the farthest a ring moves towards :attr:`towards` (m).
        press: how far that move may carry the ring into other neighbours (m): the face it presses into them is
            then flattened back onto them, as any vertex found inside a neighbour is.
        shift_along: the steepest those moves may change per unit length along the muscle (m/m).
        lead: length (m) beyond the end of :attr:`towards` over which those moves ramp in: the rings there move as
            the nearest ring that meets it does (no further than their own room), so a neighbour that ends (the
            round upper end of extensor hallucis longus) is met at its end, not a ramp's length below it.
    """

    reach: float = 0.012
    gap: float = 0.0
    slope: float = 0.6
    along: float = 0.25
    fade: float = 0.02
    shrink: float = 0.45
    smooth: float = 1.5
    smooth_along: float = 2.0
    towards: tuple[str, ...] = ()
    shift: float = 0.0
    press: float = 0.0
    shift_along: float = 0.4
    lead: float = 0.0


#: The muscles packed and how (docs/geometry.md, "The front and side muscles packed").
PACKED: dict[str, PackSpec] = {
    "extensor_hallucis_longus": PackSpec(reach=0.008),
    "fibularis_brevis": PackSpec(reach=0.008),
    # Moved whole, in each ring's plane, onto the back of the tibia's medial border (generator 32): it lay 5.2-7.5 mm
    # off the bone at 30-65 % of the leg beside tibialis posterior, and now 1.0-1.9 mm (the bone's 1 mm clearance
    # and a little more). Reaching out alone (reach 14 mm, no move of the whole ring) brought it to 1.3-2.5 mm but
    # bit a notch into its section where the cleft between tibialis posterior and the bone's corner lies.
    "flexor_digitorum_longus": PackSpec(reach=0.006, towards=("tibia",), shift=0.006, press=0.003, lead=0.02),
    "tibialis_anterior": PackSpec(reach=0.010),
    "extensor_digitorum_longus": PackSpec(
        reach=0.014, towards=("extensor_hallucis_longus",), shift=0.012, press=0.005, lead=0.02
    ),
    # Its moves smoothed less round the ring (0.6 vertices, was 1) so its front follows the small round upper end of
    # brevis at 35 % of the leg: with 1 it stood 1.6 mm off it once the soleus beside it was rebuilt round flexor
    # digitorum longus set onto the tibia (generator 27; 1.4 mm with 0.6, 0.7 once flexor hallucis longus's top was
    # tapered, generator 30). Less smoothing along the muscle (1 ring) brought it to 1.1 mm but folded its surface.
    "fibularis_longus": PackSpec(
        reach=0.018,
        slope=2.0,
        smooth=0.6,
        towards=("fibularis_brevis",),
        shift=0.014,
        press=0.009,
        lead=0.07,
    ),
}


@dataclass(frozen=True)
class Bridge:
    """How far a draped muscle's back may hollow along the muscle (:func:`calfviewer.geometry.drape.drape`).

    Attributes:
        radius: the sharpest curve (m) of what is bridged, along the muscle.
        hollow: the deepest trough (m) left in the back.
    """

    radius: float
    hollow: float


@dataclass(frozen=True)
class DrapeSpec:
    """How far and how closely a muscle is laid onto what lies beneath it (:mod:`calfviewer.geometry.drape`).

    Attributes:
        reach: the furthest a column moves forward (m).
        slope: the steepest the surface it lies on may be, across the ring (rise over run): lower leaves wider
            grooves unfilled.
        shear: the most a column's move may differ from its neighbour's, per unit of width: keeps the ring's
            outline smooth (its rounded edges are not tipped forward to chase the surface).
        gap: room left beyond each obstacle's own margin (m): the layers slide on each other as the joints move,
            and a belly that shortens swells.
        fade: lengths (m) over which the moves fade in from the top of the belly and out towards its bottom.
        step: column width (m).
        smooth: rings and columns over which the moves are made smooth (Gaussian sigma, in rings and columns).
        bridge: how the moved back may hollow along the muscle; ``None`` leaves it the dips that the surface
            beneath gives it.
    """

    reach: float
    slope: float = 0.8
    shear: float = 0.35
    gap: float = 0.0
    fade: tuple[float, float] = (0.012, 0.012)
    step: float = 1.0e-3
    smooth: tuple[float, float] = (2.0, 2.0)
    bridge: Bridge | None = None


#: The muscles laid onto what lies beneath them (:data:`UNDER`) after the clearance step: the gastrocnemius heads onto
#: the soleus (and the medial head's lateral edge onto the lateral head's), so no room is left between the superficial
#: and the intermediate layer (Gray's Anatomy 42e, leg: the heads lie on the soleus, the plantaris tendon between).
#: The lateral head's back is bridged where the soleus beneath it dips: laid on it unbridged, its back took a trough
#: 5.7 mm deep at 20-28 % of the leg, a dark band from behind (docs/geometry.md, 6b).
DRAPE: dict[str, DrapeSpec] = {
    "gastrocnemius_lateral_head": DrapeSpec(
        reach=0.05, fade=(0.10, 0.06), smooth=(3.0, 3.0), bridge=Bridge(radius=0.1, hollow=0.0015)
    ),
    "gastrocnemius_medial_head": DrapeSpec(reach=0.06, fade=(0.08, 0.06), smooth=(5.0, 3.0)),
    # Popliteus onto the back of the tibia, whose condyles stand 10-15 mm behind the shaft below them: steep and
    # sheared, little blurred along it (with the heads' settings the model's insertion lay 8.7 mm off it).
    "popliteus": DrapeSpec(reach=0.02, slope=2.0, shear=1.0, fade=(0.008, 0.001), smooth=(1.0, 2.0)),
}


@dataclass(frozen=True)
class TopLine:
    """A line on a bone that a muscle's top is brought down to (:mod:`calfviewer.geometry.top_line`).

    Attributes:
        body: the bone the line is on.
        points: ``(across, up)`` points of the line in that bone's frame (m; ``across`` its ``z``, lateral on the
            right leg; ``up`` its ``y``), in any order; beyond the outermost the line's height is held.
        depth: how far below the line (m) the muscle is squeezed to make room: lower down it is as built.
    """

    body: str
    points: tuple[tuple[float, float], ...]
    depth: float


#: Muscles whose top is brought down onto a line on the bone after packing. The soleus arises from the back of the
#: fibular head and, medially, from the soleal line, which runs down and medially from behind the tibia's facet for
#: the fibula to its medial border, popliteus filling the triangle above it (Gray's Anatomy, 1918, p. 258). Its
#: lateral point is where the soleus's top already was, behind the facet (5.4 cm below the tibia's origin, on the
#: stored bones); its medial one, 3 cm medial of the origin, is 8.2 cm below it, a little above where the popliteus
#: drawn above it ends (8.6 cm below, 0-2 cm medial), so no bone shows between them; not at the junction of the
#: tibia's upper and middle thirds where Gray's line reaches the medial border (about 14 cm): popliteus would have
#: to reach that far down too (docs/geometry.md, "The soleus's top").
TOP_LINES: dict[str, TopLine] = {
    "soleus": TopLine(body="tibia", points=((0.025, -0.054), (-0.030, -0.082)), depth=0.06),
}

BUILD_ORDER = (
    "popliteus",
    "tibialis_posterior",
    "flexor_digitorum_longus",
    "flexor_hallucis_longus",
    "soleus",
    # The front and side of the leg, deepest first: each compartment's deeper muscle, then those lying on it; before
    # the gastrocnemius heads, whose lateral head lies on fibularis longus where the soleus wrapped round the deep
    # flexors brings it forward.
    "extensor_hallucis_longus",
    "fibularis_brevis",
    "tibialis_anterior",
    "extensor_digitorum_longus",
    "fibularis_longus",
    "plantaris",
    "calcaneal_tendon",
    "gastrocnemius_lateral_head",
    "gastrocnemius_medial_head",
)
#: Which already-built structures each one must stay outside (bones always). Only the bellies count: the tendon
#: tails of the triceps lie inside the calcaneal tendon on purpose.
UNDER: dict[str, tuple[str, ...]] = {
    "flexor_digitorum_longus": ("popliteus", "tibialis_posterior"),
    "flexor_hallucis_longus": ("popliteus", "tibialis_posterior", "flexor_digitorum_longus"),
    "soleus": ("popliteus", "tibialis_posterior", "flexor_digitorum_longus", "flexor_hallucis_longus"),
    "plantaris": ("popliteus", "soleus"),
    "calcaneal_tendon": ("tibialis_posterior", "flexor_digitorum_longus", "flexor_hallucis_longus", "soleus"),
    "gastrocnemius_lateral_head": ("popliteus", "soleus", "plantaris", "fibularis_longus"),
    # The medial head's lower belly lies on the tendon's broad upper part (its aponeurosis), not in it: laid on the
    # soleus alone, it cut 1.8 % of itself into the tendon at rest and 3.8 % with the foot dorsiflexed 30 degrees
    # once the deep flexors were set side by side (generator 25; the soleus's lower belly then lies 1.5-2 mm further
    # forward).
    "gastrocnemius_medial_head": (
        "popliteus",
        "soleus",
        "plantaris",
        "gastrocnemius_lateral_head",
        "calcaneal_tendon",
    ),
    "extensor_hallucis_longus": ("tibialis_posterior", "flexor_hallucis_longus"),
    "fibularis_brevis": ("flexor_hallucis_longus", "soleus", "tibialis_posterior"),
    "tibialis_anterior": ("extensor_hallucis_longus", "tibialis_posterior"),
    "extensor_digitorum_longus": (
        "extensor_hallucis_longus",
        "tibialis_anterior",
        "tibialis_posterior",
        "fibularis_brevis",
    ),
    "fibularis_longus": ("fibularis_brevis", "extensor_digitorum_longus", "soleus", "flexor_hallucis_longus"),
}
#: Extra room (m) between pairs that slide past each other as the joints move, beyond the usual half clearance: the
#: soleus and the deep flexors are separated by the deep transverse fascia of the leg and, with the ankle moved
#: through its range, the flexors' bellies slide several millimetres along the soleus (their tendons cross the
#: ankle behind it); touching at rest, they cut into each other in the poses. Likewise the gastrocnemius heads,
#: carried by the femur, slide over the soleus (carried by the tibia) and past each other as the knee bends: the
#: two heads converge then, so they are built 5.5 mm apart in the midline (the shallow groove between them that the
#: calf-anatomy reference describes; 2 mm left them sharing 6 % of a volume at 90 degrees of knee flexion, and 5 mm
#: 3.0 % once the medial head was turned 32 degrees, its lateral edge further back). Each
#: margin is the smallest tried that keeps that pair under 3 % in the tested poses, or nearest it (measured with
#: tests/geometry/anatomy_measures.py): the lateral head off the soleus 4 mm (3.5 % at 120 degrees of knee flexion
#: with 3), the lateral head off plantaris 3 mm (5-6 % at 30-60 degrees with 1.5), plantaris off popliteus 5 mm
#: (3 % at 40 degrees of plantarflexion with none; 4.2 % at 120 degrees of knee flexion, 13.8 % with none; 3 mm was
#: enough until the plantaris was laid lower on popliteus at 10-20 % of the leg, then 3.1 % at 120 degrees of knee
#: flexion with the ankle plantarflexed 40), the soleus off flexor hallucis longus 3.5 mm (3.5 % at 40 degrees of
#: plantarflexion with 2.5). Generator 33, over a grid of plantarflexion -30..40 x knee 0/45/90/120 x inversion
#: -20/0/20 (28 of 84 poses had a pair over 3 %, 4 now): plantaris off the soleus 4 mm (none before: its tendon lay on
#: the soleus's medial edge, which eversion swings into it, 5.8 % at 20 degrees of plantarflexion, 90 of knee flexion
#: and 20 of eversion; 2.6 % at most now), the lateral head off plantaris 5 mm (3.2 % at 30 degrees of plantarflexion
#: with the knee at 45 with 3 mm; 2.8 % now), the soleus off flexor hallucis longus 4.5 mm where it is not wrapped
#: (`WrapSpec.slack`: 3 mm in the wrap, which left more room under the soleus than the tests allow with 4.5; 4.3 % at
#: 40 degrees of plantarflexion and 20 of inversion before, 3.2 % now, still over).
SLIDING: dict[tuple[str, str], float] = {
    ("gastrocnemius_lateral_head", "soleus"): 0.004,
    ("gastrocnemius_medial_head", "soleus"): 0.003,
    ("gastrocnemius_medial_head", "gastrocnemius_lateral_head"): 0.0055,
    ("gastrocnemius_medial_head", "plantaris"): 0.0015,
    # 7 mm since generator 36 (popliteus on the tibia; docs/geometry.md).
    ("gastrocnemius_lateral_head", "plantaris"): 0.007,
    ("plantaris", "popliteus"): 0.005,
    ("plantaris", "soleus"): 0.004,
    ("soleus", "flexor_hallucis_longus"): 0.0045,
    ("soleus", "flexor_digitorum_longus"): 0.0025,
    ("soleus", "tibialis_posterior"): 0.0025,
    # The soleus wrapped round the deep flexors reaches the fibula beside it; it swells sideways in plantarflexion.
    ("fibularis_longus", "soleus"): 0.004,
}
#: Which way (posterior, medial: along the ring's rest normal and binormal; right leg) a muscle is pushed out of one
#: it lies on, where that is not straight back (the calf's layers nest from the bones backwards; flexor digitorum
#: longus lies beside tibialis posterior on its medial side, so it goes medially, and a little back so that behind
#: the medial malleolus its tendon stays behind tibialis posterior's). In the front and
#: side of the leg the layers nest forwards and sideways: tibialis anterior lies in front of extensor hallucis
#: longus, extensor digitorum longus lateral to it, fibularis longus lateral to brevis and behind extensor digitorum
#: longus, the lateral compartment in front of the soleus and lateral to flexor hallucis longus.
PUSH: dict[tuple[str, str], tuple[float, float]] = {
    ("flexor_digitorum_longus", "tibialis_posterior"): (0.6, 0.8),
    ("extensor_hallucis_longus", "tibialis_posterior"): (-0.7, -0.7),
    ("extensor_hallucis_longus", "flexor_hallucis_longus"): (-0.7, -0.7),
    ("fibularis_brevis", "flexor_hallucis_longus"): (-0.5, -0.85),
    ("fibularis_brevis", "soleus"): (-1.0, 0.0),
    ("fibularis_brevis", "tibialis_posterior"): (0.0, -1.0),
    ("tibialis_anterior", "extensor_hallucis_longus"): (-1.0, 0.0),
    ("tibialis_anterior", "tibialis_posterior"): (-1.0, 0.0),
    ("extensor_digitorum_longus", "extensor_hallucis_longus"): (0.0, -1.0),
    ("extensor_digitorum_longus", "tibialis_anterior"): (0.5, -0.85),
    ("extensor_digitorum_longus", "tibialis_posterior"): (0.0, -1.0),
    ("extensor_digitorum_longus", "fibularis_brevis"): (-0.7, -0.7),
    ("fibularis_longus", "fibularis_brevis"): (0.0, -1.0),
    ("fibularis_longus", "extensor_digitorum_longus"): (0.5, -0.85),
    ("fibularis_longus", "soleus"): (-0.5, -0.85),
    ("fibularis_longus", "flexor_hallucis_longus"): (0.0, -1.0),
}
GASTROCNEMIUS = ("gastrocnemius_medial_head", "gastrocnemius_lateral_head")
TENDON_KEY = "calcaneal_tendon"
"""Stands for the catalogue's calcaneal tendon in :data:`BUILD_ORDER` and :data:`UNDER`, whatever its id."""
