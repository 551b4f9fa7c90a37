"""Motions: a pose for every moment, so that animation is a function of time and never accumulates drift.

A motion is a list of key poses joined by smooth (cosine) easing. The app's timer only asks ``pose_at(t)``; the same
call serves a scrub slider, a benchmark and a test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from calfviewer.anatomy import Structure
from calfviewer.musculoskeletal.pose import Pose


@dataclass(frozen=True)
class Motion:
    """Key poses visited in order, each leg of the journey taking ``leg_seconds`` at speed 1.

    Attributes:
        id: short name used in settings and the command line.
        label: what the user reads.
        keys: the key poses; a looping motion returns from the last to the first.
        leg_seconds: seconds from one key pose to the next.
    """

    id: str
    label: str
    keys: tuple[Pose, ...]
    leg_seconds: float = 1.2

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
            plantarflexion=a.plantarflexion + (b.plantarflexion - a.plantarflexion) * ease,
            knee_flexion=a.knee_flexion + (b.knee_flexion - a.knee_flexion) * ease,
            subtalar=a.subtalar + (b.subtalar - a.subtalar) * ease,
        )


NEUTRAL_POSE = Pose()

#: The motions offered in the animation bar. Angles stay inside MyoLeg's ranges (plantarflexion -30..40,
#: knee flexion 0..120).
MOTIONS: dict[str, Motion] = {
    motion.id: motion
    for motion in (
        Motion(
            "plantarflexion",
            "Ankle plantarflexion and dorsiflexion",
            (NEUTRAL_POSE, Pose(plantarflexion=40), NEUTRAL_POSE, Pose(plantarflexion=-20), NEUTRAL_POSE),
        ),
        Motion("knee_flexion", "Knee flexion", (NEUTRAL_POSE, Pose(knee_flexion=90), NEUTRAL_POSE), 1.6),
        Motion(
            # A heel raise: the ankle plantarflexes with the knee nearly straight, then returns.
            "heel_raise",
            "Heel raise (plantarflexion with a slight knee bend)",
            (NEUTRAL_POSE, Pose(plantarflexion=35, knee_flexion=10), NEUTRAL_POSE),
            1.4,
        ),
    )
}

_PLANTARFLEX = Pose(plantarflexion=35)
_KNEE_BEND = Pose(knee_flexion=70)


def action_motion(structure: Structure) -> Motion | None:
    """The movement a muscle produces, played once when the user clicks it; None when there is none to show.

    Read from the catalogue's actions, so the animation and the info panel cannot disagree: a muscle that
    plantarflexes the ankle shows a plantarflexion; one that also flexes the knee (the gastrocnemius heads,
    plantaris) then shows a knee flexion; one that acts only at the knee (popliteus) shows the knee. A tendon
    shows the action of the muscles that form it.
    """
    movements = {(action.joint, action.movement) for action in structure.actions}
    keys = [NEUTRAL_POSE]
    if ("ankle", "plantarflexion") in movements or structure.formed_by:
        keys += [_PLANTARFLEX, NEUTRAL_POSE]
    if ("knee", "flexion") in movements:
        keys += [_KNEE_BEND, NEUTRAL_POSE]
    if len(keys) == 1:
        return None
    return Motion(f"action:{structure.id}", f"Action of {structure.name}", tuple(keys), 0.9)
