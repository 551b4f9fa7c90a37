"""Bone proxies: a few analytic stand-ins for bone that posing keeps the muscles out of, every frame.

Why: rings carried by the bones beside them would sink into other bones in deep poses (with the knee bent 120
degrees the gastrocnemius heads turn up beside the femoral shaft), so the last step of posing
(:meth:`calfviewer.geometry.deformer.MuscleDeformer.deform`) moves the rings that reach one of a few analytic bone
stand-ins (:data:`BONE_PROXIES`) back out, whole and within their own planes, and the belly bends around the bone.
Testing against the bone meshes every frame would cost far more than the deformation; against these shapes it is a
few array operations (:class:`BoneProxies`), and :class:`ClearBatch` fades the moves along each muscle. Each proxy
is only looked at in the part of the range where a muscle can reach it, so most poses skip the step entirely.

This is the runtime clearance; the build-time one, against the real bone meshes, is
:mod:`calfviewer.geometry.clearance`.

Over 500 lines on purpose: most of it is the fitted stand-ins themselves (tables, each with how and where it was
fitted and what it keeps out), beside the few array operations that use them; split apart, a stand-in's numbers
would sit away from the reason they are what they are.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from calfviewer.anatomy.side import mirror_z
from calfviewer.geometry import sweep
from calfviewer.geometry.specs import CLEARANCE
from calfviewer.musculoskeletal import PoseResult

if TYPE_CHECKING:
    from calfviewer.geometry.rig import Rig


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
            allows (``tests/geometry/test_proxies.py`` checks that switching it on there would move no vertex by
            more than 1.5 mm).
        muscles: when set, the proxy stands for another muscle's surface, not a bone's, and only these muscles'
            rings are kept out of it (the muscle it stands for, and any other, is left alone). Empty: a bone,
            which every muscle not carried by that bone is kept out of.
        fade: ``(pose angle, from, to)``: the proxy goes out of play as the joint moves from ``from`` to ``to``
            (its moves scaled from 1 to 0); with several, the furthest counts. For a stand-in of a muscle's
            surface, fitted at rest, where the muscle itself thins and moves away (a stretched soleus in
            dorsiflexion), so the stand-in no longer stands for it.
        out: when set, the one way rings are moved out of the proxy (a direction in ``body``'s frame), for a
            flat stand-in of a surface that muscles lie on one side of. Without it a ring is moved away from the
            axis through its own centre, which flips from one face to the other as the centre crosses a flat
            proxy's middle: plantaris, pressed against popliteus' back with the knee bent, jumped 28 mm through
            it between 112 and 112.5 degrees.
    """

    name: str
    body: str
    start: tuple[float, float, float]
    end: tuple[float, float, float]
    across: tuple[float, float, float]
    radii_start: tuple[float, float]
    radii_end: tuple[float, float]
    engage: tuple[tuple[str, float, float], ...] = ()
    muscles: tuple[str, ...] = ()
    fade: tuple[tuple[str, float, float], ...] = ()
    out: tuple[float, float, float] | None = None

    def mirrored(self) -> BoneProxy:
        """The same proxy for the other leg: body frames mirror across their z (as the bone meshes do)."""
        return BoneProxy(
            self.name,
            self.body,
            mirror_z(self.start, "left"),
            mirror_z(self.end, "left"),
            mirror_z(self.across, "left"),
            self.radii_start,
            self.radii_end,
            self.engage,
            self.muscles,
            self.fade,
            None if self.out is None else mirror_z(self.out, "left"),
        )

    def engaged(self, result: PoseResult) -> float:
        """How far the proxy is in play in ``result``'s pose, 0 to 1 (see :attr:`engage`)."""
        pose = result.pose
        play = 1.0
        if self.engage:
            play = max(
                float(sweep.smoothstep((getattr(pose, angle) - begin) / (end - begin)))
                for angle, begin, end in self.engage
            )
        if self.fade and play > 0.0:
            play *= 1.0 - max(
                float(sweep.smoothstep((getattr(pose, angle) - begin) / (end - begin)))
                for angle, begin, end in self.fade
            )
        return play


#: The muscles the soleus stand-ins keep out of it: those carried down the calf from the femur, which the knee's
#: flexion moves over the soleus (carried by the tibia).
SOLEUS_NEIGHBOURS = ("plantaris",)

#: The back of the stored soleus, level by level in the tibia's frame (right leg): ``(y, centre x, centre z, radius
#: along x, radius along z)``, metres. Ellipses fitted by least squares to the back of the middle 70 % of the soleus's
#: horizontal sections, where plantaris runs (within 1.6 mm from 9 to 14 cm, 2.4 mm at its narrow top, 5 mm at 19 cm),
#: their radii then 1.5 mm smaller; consecutive levels make one stand-in each (docs/geometry.md, "Keeping plantaris off
#: the soleus as the knee bends"). ``scripts/soleus-stand-ins`` prints each level's back beside the soleus's: run on the
#: meshes before and after a change, it gives how far each level is to move. When the deep flexors were set side by side
#: (generator 25), the soleus's back under plantaris came 1.5-2 mm forward at 16-19 cm and went 2 mm back at 9-11 cm
#: (measured in horizontal sections under plantaris, before and after): the 19 cm level of this set and of the
#: plantarflexed set moved 1.5 mm forward, the 8.7 and 11.3 cm levels of the 30-degree dorsiflexed set 2 mm back.
#: Tibialis posterior's top, raised 5 mm, then carried the soleus's back 0 / 1.3 / 0.6 / 0.3 mm further back at 6.2 /
#: 8.7 / 11.3 / 13.8 cm (at rest and plantarflexed 40 alike): every set's levels moved back by as much. Flexor hallucis
#: longus's tapered top, arising 12 mm higher (generator 30), carried it 0.4-0.5 / 0.8 / 0.5-0.8 mm further back at 11.3
#: / 13.8 / 18.9 cm at rest and dorsiflexed 15 and 30 (knee 4 degrees; 3.2 % of plantaris inside the soleus at 90
#: degrees of knee flexion before these sets followed); the plantarflexed set is left as it was (moved back 0.3-0.6 mm,
#: it stood plantaris 1.7 mm off at 4 degrees of knee flexion, where it is not yet in play). The 11.3 cm level of this
#: set and of the plantarflexed set then 2.0 and 2.5 mm further back: they stood 3.3 and 4.3 mm inside the soleus's
#: back at their centres (2.6-4.0 / 3.7-4.5 mm 6 mm either side, ``scripts/soleus-stand-ins``), and plantaris lay up to
#: 4.1 mm deep in the soleus 10 cm below the knee with the knee bent 90-120 degrees and the foot plantarflexed 10-40
#: (trimesh, over an audit's 84 poses); now 1.3 / 1.8 mm inside at their centres, plantaris at most 3.0 mm deep.
SOLEUS_BACK = (
    (-0.0620, -0.0388, 0.0257, 0.0053, 0.0128),
    (-0.0870, -0.0372, 0.0091, 0.0148, 0.0297),
    (-0.1130, -0.0386, -0.0027, 0.0210, 0.0325),
    (-0.1380, -0.0452, -0.0041, 0.0191, 0.0394),
    (-0.1890, -0.0515, 0.0006, 0.0209, 0.0471),
)
#: The same, fitted the same way to the soleus as posed with the foot dorsiflexed 15 and 30 degrees (30 is the end
#: of the range), where the stretched soleus is thinner. As the foot dorsiflexes, each set hands over to the next
#: (rest to 15 degrees, then to 30); without them, with the knee bent 120 degrees and the foot dorsiflexed 30, 9-10 %
#: of plantaris lay inside the soleus. The 15-degree set's 11.3 cm level, like the rest set's, then 2.0 mm further
#: back: it stood 3.2 mm inside the soleus's back at its centre (2.5-3.9 mm 6 mm either side,
#: ``scripts/soleus-stand-ins``), and plantaris lay up to 2.98 mm deep in the soleus with the knee bent 120 degrees
#: and the foot dorsiflexed 10 (trimesh, over an audit's 84 poses); now 1.2 mm inside at its centre, plantaris
#: 2.33 mm deep there.
SOLEUS_BACK_DORSIFLEXED_15 = (
    (-0.0620, -0.0389, 0.0261, 0.0052, 0.0124),
    (-0.0870, -0.0371, 0.0095, 0.0148, 0.0287),
    (-0.1130, -0.0383, -0.0026, 0.0208, 0.0312),
    (-0.1380, -0.0434, -0.0050, 0.0196, 0.0372),
    (-0.1890, -0.0521, -0.0004, 0.0206, 0.0451),
)
SOLEUS_BACK_DORSIFLEXED_30 = (
    (-0.0620, -0.0386, 0.0264, 0.0054, 0.0120),
    (-0.0870, -0.0387, 0.0098, 0.0150, 0.0278),
    (-0.1130, -0.0379, -0.0024, 0.0204, 0.0301),
    (-0.1380, -0.0407, -0.0056, 0.0207, 0.0354),
    (-0.1890, -0.0509, -0.0012, 0.0198, 0.0434),
)
#: The dorsiflexed sets are in play at any knee angle (their fades alone gate them, so at rest and in plantarflexion
#: they cost nothing): with the foot dorsiflexed, plantaris already lies against the soleus's back with the knee
#: straight, and a set switched on as the knee bends (as the rest set is, from 5 degrees) would push it 2-3.6 mm at
#: once where it starts.
DORSIFLEXED_SOLEUS_ENGAGE: tuple[tuple[str, float, float], ...] = ()
#: The same, fitted to the soleus as posed with the foot plantarflexed 40 degrees (the end of the range; its 19 cm level
#: 3 mm smaller than fitted, where the fit stands out of the section by up to 6 mm; its 13.8 and 18.9 cm levels 0.2 and
#: 0.3 mm further forward since generator 32, where flexor digitorum longus set onto the tibia left plantaris 1.65 mm
#: inside the 13.8-18.9 cm stand-in at 4 degrees of knee flexion, just short of its play; 1.36 mm now): the rest set
#: hands over to it from 20 degrees of plantarflexion (as the foot plantarflexes the soleus's lower belly follows the
#: calcaneal tendon forward, leaving the rest set standing 5-8 mm out of its back). Like the rest set, it comes into
#: play as the knee bends.
SOLEUS_BACK_PLANTARFLEXED_40 = (
    (-0.0620, -0.0395, 0.0242, 0.0051, 0.0145),
    (-0.0870, -0.0371, 0.0081, 0.0148, 0.0329),
    (-0.1130, -0.0378, -0.0028, 0.0219, 0.0370),
    (-0.1380, -0.0469, -0.0015, 0.0174, 0.0463),
    (-0.1890, -0.0472, 0.0043, 0.0215, 0.0518),
)


#: The back of fibularis longus, level by level in the tibia's frame (right leg): ``(y, centre x, centre z, radius along
#: x, radius along z)``, metres, for the stand-ins that keep the lateral head of gastrocnemius off it with the knee bent
#: (docs/geometry.md, "Neighbours that meet"). Ellipses fitted to the back of its horizontal sections at 9.75, 12.15 and
#: 14.5 cm below the tibia's origin (where the head lay in it: 9.8-14.2 cm; an earlier fit, its method not kept), then
#: 1.5 mm larger each way. Checked on the stored mesh, 4 mm either side of the back-most point of each section: the fits
#: lay 0.4-3.2 / 0.9-1.4 mm inside its back at 9.75 / 12.15 cm and stood 0.2-0.7 mm out of it at 14.5 cm; grown, within
#: 1.2 mm of its back at the upper two levels (its back-most point 0.0 / 0.1 mm out) and 1.8-2.5 mm out at 14.5 cm (the
#: lowest level as fitted, not grown, left it 0.1 mm deeper in the head). Fibularis longus is carried by the leg's
#: bones: its back here moves by at most 1.1 mm over the ankle's and the foot's range (measured dorsiflexed 30 degrees,
#: everted and inverted 20, and plantarflexed 40), so one set does for every ankle angle.
FIBULARIS_BACK = (
    (-0.0975, -0.0408, 0.0457, 0.0117, 0.0096),
    (-0.1215, -0.0489, 0.0444, 0.0102, 0.0111),
    (-0.1447, -0.0492, 0.0500, 0.0111, 0.0098),
)


def _backs(
    levels: tuple[tuple[float, float, float, float, float], ...],
    name: str,
    muscles: tuple[str, ...],
    engage: tuple[tuple[str, float, float], ...],
    fade: tuple[tuple[str, float, float], ...] = (),
) -> tuple[BoneProxy, ...]:
    """Stand-ins in the tibia's frame for the back of a muscle between consecutive ``levels`` (``(y, centre x, centre
    z, radius along x, radius along z)``), each moving ``muscles`` straight back off it (body x is anterior): what
    lies behind another muscle is pushed back, never through it sideways."""
    return tuple(
        BoneProxy(
            f"{name}, {-top[0] * 100:.1f}-{-bottom[0] * 100:.1f} cm below the tibia's origin",
            "tibia",
            start=(top[1], top[0], top[2]),
            end=(bottom[1], bottom[0], bottom[2]),
            across=(1.0, 0.0, 0.0),
            radii_start=top[3:],
            radii_end=bottom[3:],
            engage=engage,
            muscles=muscles,
            fade=fade,
            out=(-1.0, 0.0, 0.0),
        )
        for top, bottom in itertools.pairwise(levels)
    )


def _soleus_back(
    levels: tuple[tuple[float, float, float, float, float], ...],
    fade: tuple[tuple[str, float, float], ...],
    pose: str,
    engage: tuple[tuple[str, float, float], ...] = (("knee_flexion", 5.0, 15.0),),
) -> tuple[BoneProxy, ...]:
    """Stand-ins for the back of the soleus between consecutive ``levels``: in play as ``engage`` says (by default
    from 5 degrees of knee flexion), moving only plantaris (which lies behind the soleus), going out of play as
    ``fade`` says. A stretched soleus thins, so a stand-in fitted at rest would push plantaris off a surface no longer
    there in dorsiflexion, and one fitted in dorsiflexion would leave plantaris inside the thicker soleus at rest: each
    set is in play over the part of the ankle's range it fits."""
    return _backs(levels, f"back of the soleus ({pose})", SOLEUS_NEIGHBOURS, engage, fade)


#: The right leg's proxies: least-squares fits to the stored bone surfaces where the muscles reach them over the range
#: of motion (body frames: x anterior, y up, z lateral), rounded to 0.1 mm. ``tests/geometry/test_proxies.py``
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
    # The sets overlap in play (each is wholly in play where the next starts to fade in), so at every ankle angle
    # one set is wholly in play: the rings take the largest move of those in play, and two half-played sets would
    # leave plantaris half-way into the soleus.
    *_soleus_back(SOLEUS_BACK, (("plantarflexion", -7.5, -12.5), ("plantarflexion", 20.0, 30.0)), "at rest"),
    *_soleus_back(
        SOLEUS_BACK_PLANTARFLEXED_40,
        (("plantarflexion", 20.0, 10.0),),
        "foot plantarflexed 40 degrees",
    ),
    *_soleus_back(
        SOLEUS_BACK_DORSIFLEXED_15,
        (("plantarflexion", -7.5, -2.5), ("plantarflexion", -22.5, -27.5)),
        "foot dorsiflexed 15 degrees",
        DORSIFLEXED_SOLEUS_ENGAGE,
    ),
    # The 30-degree set comes in slowly, over 12.5 degrees: at its upper levels it stands further back than the
    # 15-degree set, so where its faded move overtakes that set's, plantaris follows its fade; brought in over 5
    # degrees (17.5-22.5), plantaris stepped 0.66-0.72 mm in half a degree there against 0.50 elsewhere.
    *_soleus_back(
        SOLEUS_BACK_DORSIFLEXED_30,
        (("plantarflexion", -22.5, -10.0),),
        "foot dorsiflexed 30 degrees",
        DORSIFLEXED_SOLEUS_ENGAGE,
    ),
    # The top of the lateral head of gastrocnemius, 1.5-4 cm down it, for plantaris: both arise on the femur side by
    # side, plantaris from the lateral supracondylar line just above and medial to the head (Gray's Anatomy 42e),
    # and with the knee bent the shortened head swells into plantaris's upper belly (the head's rings 2-4, 0.5-1.5 cm
    # below the tibia's origin, 4.0 mm deep at 45 degrees with the foot plantarflexed 40, 3.4 at 90, 2.1 at 45 with
    # the foot neutral, 1.4 at 0, 0.5 at 120; trimesh, over the audit's 84 poses). The head's top lies within the
    # 1.2 cm near its origin where moves fade to nothing, so plantaris is moved, medially (femur frame -z; in those
    # poses the two lie side by side across the limb, plantaris medial). Thin capsules on the head's axis (its ring
    # centres as posed with the foot plantarflexed 40 in the femur's frame: rings 2-4 at 45 degrees, 1-3 at 90,
    # which move by at most 1.5 mm over the ankle's range), 1 mm across and 2 mm deep, so plantaris's lateral edge
    # is kept 2 mm off the head's axis and the head's medial third may still lie in it: 4.0 -> 1.8 mm at 45 degrees,
    # 3.4 -> 1.4 at 90, plantaris moved by at most 4.7 mm. The 45-degree one comes into play from 10 degrees of knee
    # flexion (by 30) and hands over to the 90-degree one from 55 to 80; that one goes out of play from 95 to 110
    # (at 120 the head's top has swung 1-2 cm laterally off it and lies 0.5 mm in plantaris).
    BoneProxy(
        "top of the lateral head, knee 45",
        "femur",
        start=(-0.0210, -0.3800, 0.0280),
        end=(-0.0422, -0.3720, 0.0306),
        across=(0.0, 0.0, 1.0),
        radii_start=(0.0010, 0.0020),
        radii_end=(0.0010, 0.0020),
        engage=(("knee_flexion", 10.0, 30.0),),
        muscles=("plantaris",),
        fade=(("knee_flexion", 55.0, 80.0),),
        out=(0.0, 0.0, -1.0),
    ),
    BoneProxy(
        "top of the lateral head, knee 90",
        "femur",
        start=(-0.0093, -0.3759, 0.0281),
        end=(-0.0191, -0.3573, 0.0313),
        across=(0.0, 0.0, 1.0),
        radii_start=(0.0010, 0.0020),
        radii_end=(0.0010, 0.0020),
        engage=(("knee_flexion", 55.0, 80.0),),
        muscles=("plantaris",),
        fade=(("knee_flexion", 95.0, 110.0),),
        out=(0.0, 0.0, -1.0),
    ),
    # The back of fibularis longus, 9.75-14.5 cm below the knee (FIBULARIS_BACK), for the lateral head of
    # gastrocnemius: with the knee bent the head, carried from the femur, comes forward onto the lateral compartment,
    # and fibularis longus's back lay up to 5.0 mm inside it at 120 degrees with the foot dorsiflexed 30 and everted 20
    # (3.8 mm with the foot neutral, 1.7 mm at 90 degrees). The posterior intermuscular septum parts the two
    # compartments (Gray's Anatomy 42e), so only the head is moved, straight back off the septum (moved away from the
    # capsules' axes instead, or back and laterally, it was pressed further into the medial head). In play from 75
    # degrees of knee flexion, faded in by 95, like the knee's other stand-ins.
    *_backs(
        FIBULARIS_BACK, "back of fibularis longus", ("gastrocnemius_lateral_head",), (("knee_flexion", 75.0, 95.0),)
    ),
)
CLEAR_SPREAD = 0.016
"""How far along a muscle (m) a move off a bone fades out, so the belly bends around the bone instead of kinking."""
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
        out = np.array([(0.0, 0.0, 0.0) if p.out is None else p.out for p in proxies], dtype=float).reshape(n, 3)
        self.out = out / np.maximum(np.linalg.norm(out, axis=1), 1e-12)[:, None]  # zero rows: no fixed way out

    def __len__(self) -> int:
        return len(self.bodies)

    def placed(self, result: PoseResult) -> Placed:
        """The proxies in ``result``'s pose."""
        transforms = np.stack([result.body_transforms[body] for body in self.bodies])
        axes = transforms[:, :3, :3] @ self.axes
        starts = np.einsum("nij,nj->ni", transforms[:, :3, :3], self.start) + transforms[:, :3, 3]
        out = np.einsum("nij,nj->ni", transforms[:, :3, :3], self.out)
        return Placed(axes, starts, axes.transpose(1, 0, 2).reshape(3, -1), np.einsum("ni,nij->nj", starts, axes), out)

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
        # The way out: from the axis through the ring's centre (or the proxy's one way out), within the ring's plane.
        away = (q.mean(axis=1)[:, None, :] @ frame)[:, 0]  # world
        fixed = placed.out[proxy]
        away = np.where(np.any(fixed != 0.0, axis=1)[:, None], fixed, away)
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
        out: ``(n, 3)`` world direction of each proxy's one way out (:attr:`BoneProxy.out`); zero where it has none.
    """

    axes: np.ndarray
    starts: np.ndarray
    matrix: np.ndarray
    offset: np.ndarray
    out: np.ndarray


def largest_per_ring(moves: np.ndarray, pair: np.ndarray, rings: int) -> np.ndarray:
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
    """Every muscle's rings in one batch, as
    :meth:`calfviewer.geometry.deformer.MuscleDeformer._clear_bones` takes them.

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
