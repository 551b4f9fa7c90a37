"""Joint angles in the anatomical conventions a student reads in a textbook.

MyoLeg keeps OpenSim's coordinates (``ankle_angle`` is positive in dorsiflexion); everything above this layer speaks
in plantarflexion-positive degrees so that "plantarflex 30" means what it says.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from calfviewer.errors import PoseError


@dataclass(frozen=True)
class JointRange:
    """The allowed range of one pose angle, in degrees, as the model defines it."""

    name: str
    low: float
    high: float

    def check(self, value: float) -> float:
        """Return ``value`` as a float, or raise a one-line :class:`PoseError` that states the range."""
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise PoseError(
                f"{self.name} must be a number of degrees from {self.low:g} to {self.high:g}, not {value!r}"
            ) from None
        if not math.isfinite(number):
            raise PoseError(f"{self.name} must be a finite number of degrees from {self.low:g} to {self.high:g}")
        # A hair of tolerance so that the range ends, read back from radians, still count as inside.
        if number < self.low - 1e-6 or number > self.high + 1e-6:
            raise PoseError(f"{self.name} {number:g}° is out of range: use {self.low:g} to {self.high:g} degrees")
        return min(max(number, self.low), self.high)


@dataclass(frozen=True)
class Pose:
    """A pose of the leg in degrees.

    Attributes:
        plantarflexion: ankle angle; positive points the foot down (plantarflexion), negative is dorsiflexion.
        knee_flexion: knee angle; 0 is the straight knee, positive bends it.
        subtalar: subtalar angle; positive is inversion (sole turned in), negative eversion.
    """

    plantarflexion: float = 0.0
    knee_flexion: float = 0.0
    subtalar: float = 0.0


NEUTRAL = Pose()
