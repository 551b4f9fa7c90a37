"""Motions: a pose for every moment, so that animation is a function of time and never accumulates drift.

A motion is a list of key poses joined by smooth (cosine) easing. The app's timer only asks ``pose_at(t)``; the same
call serves a scrub slider, a benchmark and a test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from calfviewer.anatomy import Structure
from calfviewer.musculoskeletal.pose import ANGLES, NEUTRAL, TOES_NOTE, Pose

#: Poses this close (squared degrees, summed over the angles) are the same pose to :meth:`Motion.time_of`: rounding
#: in :meth:`Motion.pose_at` and back must not choose between two times the motion shows the same pose at.
SAME_GAP = 1e-9


@dataclass(frozen=True)
class Motion:
    """Key poses visited in order, each leg of the journey taking ``leg_seconds`` at speed 1.

    Attributes:
        id: short name used in settings and the command line.
        label: what the user reads.
        keys: the key poses; a looping motion returns from the last to the first.
        leg_seconds: seconds from one key pose to the next.
        note: what the user should know about the motion beyond its label (the animation bar's tooltip), such as
            the model's one toe joint; empty when there is nothing to add.
    """

    id: str
    label: str
    keys: tuple[Pose, ...]
    leg_seconds: float = 1.2
    note: str = ""

    @property
    def moves_toes(self) -> bool:
        """Whether any key pose bends the toes (then :data:`TOES_NOTE` applies)."""
        return any(key.toes != 0 for key in self.keys)

    @property
    def duration(self) -> float:
        """Seconds for one pass through every key pose (back to the first)."""
        return self.leg_seconds * max(len(self.keys) - 1, 1)

    def pose_at(self, t: float, loop: bool = True) -> Pose:
        """The pose ``t`` seconds into the motion; past the end it loops or holds the last pose."""
        legs = len(self.keys) - 1
        if legs <= 0:
            return self.keys[0]
        if loop:
            t = t % self.duration
        t = min(max(t, 0.0), self.duration)
        position = t / self.leg_seconds
        index = min(int(position), legs - 1)
        fraction = position - index
        ease = 0.5 - 0.5 * math.cos(math.pi * fraction)
        a, b = self.keys[index], self.keys[index + 1]
        return Pose(
            **{
                angle: getattr(a, angle) + (getattr(b, angle) - getattr(a, angle)) * ease
                for angle in ANGLES  # every joint, so a new angle cannot be left out of playback
            }
        )

    def time_of(self, pose: Pose, near: float = 0.0) -> float:
        """The time in one pass (0 to :attr:`duration`) whose pose is nearest ``pose``: ``pose`` itself when the
        motion passes through it; of several such times (a looping motion passes neutral at its start, middle and
        end), the one nearest ``near``.

        The inverse of :meth:`pose_at`, for a timeline that must show where a leg posed by other means is (an undo,
        a bookmark, the plot's line), so that playing on from there starts where the leg is. Every angle of a leg of
        the journey moves by the same ease, so a leg's poses lie on the straight line between its two key poses (in
        degrees): the nearest is the projection onto it, and the ease is turned back into time exactly.
        """
        legs = len(self.keys) - 1
        if legs <= 0:
            return 0.0
        target = [getattr(pose, angle) for angle in ANGLES]
        best_gap, best_t = math.inf, 0.0  # squared distance from ``pose`` in degrees, and its time
        for index in range(legs):
            a = [getattr(self.keys[index], angle) for angle in ANGLES]
            span = [getattr(self.keys[index + 1], angle) - x for angle, x in zip(ANGLES, a, strict=True)]
            length = sum(d * d for d in span)
            along = sum((p - x) * d for p, x, d in zip(target, a, span, strict=True)) / length if length else 0.0
            ease = min(max(along, 0.0), 1.0)
            gap = sum((x + d * ease - p) ** 2 for x, d, p in zip(a, span, target, strict=True))
            t = (index + math.acos(1.0 - 2.0 * ease) / math.pi) * self.leg_seconds  # ease = (1 - cos(pi f)) / 2
            nearer = gap < best_gap - SAME_GAP
            as_near = gap <= best_gap + SAME_GAP and abs(t - near) < abs(best_t - near)
            if nearer or as_near:
                best_gap, best_t = gap, t
        return best_t


#: The motions offered in the animation bar. Angles stay inside MyoLeg's ranges (plantarflexion -30..40,
#: knee flexion 0..120, subtalar inversion -20..20, toe flexion -30..30; ``MusculoskeletalModel.ranges``).
MOTIONS: dict[str, Motion] = {
    motion.id: motion
    for motion in (
        Motion(
            "plantarflexion",
            "Ankle plantarflexion and dorsiflexion",
            (NEUTRAL, Pose(plantarflexion=40), NEUTRAL, Pose(plantarflexion=-20), NEUTRAL),
        ),
        Motion("knee_flexion", "Knee flexion", (NEUTRAL, Pose(knee_flexion=90), NEUTRAL), 1.6),
        Motion(
            # A heel raise: the ankle plantarflexes with the knee nearly straight, then returns.
            "heel_raise",
            "Heel raise (plantarflexion with a slight knee bend)",
            (NEUTRAL, Pose(plantarflexion=35, knee_flexion=10), NEUTRAL),
            1.4,
        ),
        Motion("dorsiflexion", "Ankle dorsiflexion", (NEUTRAL, Pose(plantarflexion=-25), NEUTRAL)),
        Motion(
            # The subtalar joint: the sole turns in (inversion) and out (eversion) to the ends of MyoLeg's range.
            "inversion_eversion",
            "Inversion and eversion (subtalar joint)",
            (NEUTRAL, Pose(subtalar=20), NEUTRAL, Pose(subtalar=-20), NEUTRAL),
        ),
        Motion(
            "toe_flexion_extension",
            "Toe flexion and extension (all five toes together)",
            (NEUTRAL, Pose(toes=30), NEUTRAL, Pose(toes=-30), NEUTRAL),
            note=TOES_NOTE,
        ),
    )
}

#: The key pose that shows each movement a muscle can do, by (joint, movement) as the catalogue names them
#: (``anatomy.catalogue.JOINTS`` and ``MOVEMENTS``). Each is played from neutral and back. A movement missing here
#: is not played: the knee's rotations (MyoLeg has no free joint for them) and knee extension (no muscle of the
#: leg does it; its neutral pose is the straight knee, so it would need another starting pose).
ACTION_POSES: dict[tuple[str, str], Pose] = {
    ("ankle", "plantarflexion"): Pose(plantarflexion=35),
    ("ankle", "dorsiflexion"): Pose(plantarflexion=-25),
    ("subtalar", "inversion"): Pose(subtalar=20),
    ("subtalar", "eversion"): Pose(subtalar=-20),
    ("toes", "flexion"): Pose(toes=30),
    ("toes", "extension"): Pose(toes=-30),
    ("knee", "flexion"): Pose(knee_flexion=70),
}


def action_movements(structure: Structure) -> tuple[tuple[str, str], ...]:
    """The (joint, movement) pairs of ``structure``'s catalogue actions that can be played, in the catalogue's
    order (its main action first), each once. A tendon formed by muscles and listing no action of its own shows
    plantarflexion, the calcaneal tendon's job."""
    movements = [(action.joint, action.movement) for action in structure.actions]
    if not movements and structure.formed_by:
        movements = [("ankle", "plantarflexion")]
    return tuple(dict.fromkeys(m for m in movements if m in ACTION_POSES))


def action_motion(structure: Structure) -> Motion | None:
    """The movements a muscle produces, played once when the user clicks it; None when there is none to show.

    Read from the catalogue's actions, so the animation and the info panel cannot disagree: every joint movement
    the muscle does (ankle plantarflexion or dorsiflexion, subtalar inversion or eversion, toe flexion or extension,
    knee flexion) is shown one after another, each from neutral and back, in the catalogue's order. Tibialis
    posterior inverts, then plantarflexes; the gastrocnemius heads plantarflex, then flex the knee; popliteus
    shows the knee. A tendon shows the action of the muscles that form it. One joint at a time, so the student
    sees which movement is which; the moment arms in the info panel say how strongly each is done.
    """
    movements = action_movements(structure)
    if not movements:
        return None
    keys = [NEUTRAL]
    for movement in movements:
        keys += [ACTION_POSES[movement], NEUTRAL]
    moves_toes = any(joint == "toes" for joint, _ in movements)
    return Motion(
        f"action:{structure.id}",
        f"Action of {structure.name}",
        tuple(keys),
        0.9,
        note=TOES_NOTE if moves_toes else "",
    )
