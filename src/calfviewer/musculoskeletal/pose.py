"""Joint angles in the anatomical conventions a student reads in a textbook.

MyoLeg keeps OpenSim's coordinates (``ankle_angle`` is positive in dorsiflexion); everything above this layer speaks
in plantarflexion-positive degrees so that "plantarflex 30" means what it says. The toe angle is flexion-positive,
like the ankle: every angle that turns the foot or the toes towards the sole is positive. (MyoLeg's ``mtp_angle``
already is; its ``subtalar_angle`` is inversion-positive, kept as it is.)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from decimal import Decimal

from calfviewer.errors import PoseError
from calfviewer.typed_numbers import decimal_text, is_not_finite


def parse_degrees(value: object) -> float | None:
    """``value`` as a float when it is a number or a decimal as typed (``−10`` with a typographic minus included);
    None for anything else (``1_0``, full-width digits, a word, an integer too large for a float)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = decimal_text(value)  # digits 0-9 with a sign, a point, an exponent; not 1_0 or full-width digits
        if text is None:
            return None
        value = text
    elif not isinstance(value, int | float):
        return None
    try:
        return float(value)
    except (OverflowError, ValueError):
        return None


def _exact_degrees(number: float) -> str:
    """An angle read from a file, for a message: every digit it may carry, in fixed notation unless it is huge."""
    return fixed_text(number, 10) if abs(number) < 1e9 else f"{number:.10g}"


@dataclass(frozen=True)
class JointRange:
    """The allowed range of one pose angle, in degrees, as the model defines it."""

    name: str
    low: float
    high: float

    def holds(self, number: float, typed: str | None = None) -> bool:
        """Whether ``number`` degrees lie in the range. A hair of tolerance so that the range ends, read back from
        radians (a number: a view file saved by the window), still count as inside; none for degrees as typed on
        the command line (``typed``, the text of ``number``, which :func:`parse_degrees` took), so 40.000001 is
        refused as 40.0001 is (it was taken and measured as 40). The typed decimal itself is compared, not the float
        it rounds to: 40.0000000000000001 is the float 40.0, and was taken so."""
        if typed is None:
            return self.low - 1e-6 <= number <= self.high + 1e-6
        exact = Decimal(decimal_text(typed) or typed)
        return Decimal(self.low) <= exact <= Decimal(self.high)

    def check(self, value: float | str) -> float:
        """Return ``value`` (a number, or degrees as typed on the command line) as a float, or raise a one-line
        :class:`PoseError` that states the range."""
        number = parse_degrees(value)
        if number is None and is_not_finite(str(value)):
            number = math.inf  # refused just below, with the message that says why
        if number is None:
            shown = repr(value) if len(repr(value)) <= 30 else f"{repr(value)[:12]}…"
            raise PoseError(
                f"{self.name} must be a number of degrees from {self.low:g} to {self.high:g} "
                f"(digits 0-9, with a sign, a point or an exponent if wanted: -12.5, 1e1), not {shown}"
            )
        if not math.isfinite(number):
            raise PoseError(f"{self.name} must be a finite number of degrees from {self.low:g} to {self.high:g}")
        if not self.holds(number, typed=value if isinstance(value, str) else None):
            # 20.00001, not a rounded "20"; -0.00001, not -1e-05 (a huge number from a file keeps its exponent)
            typed = value.strip() if isinstance(value, str) else _exact_degrees(number)
            raise PoseError(f"{self.name} {typed}° is out of range: use {self.low:g} to {self.high:g} degrees")
        return min(max(number, self.low), self.high)


@dataclass(frozen=True)
class Pose:
    """A pose of the leg in degrees.

    Attributes:
        plantarflexion: ankle angle; positive points the foot down (plantarflexion), negative is dorsiflexion.
        knee_flexion: knee angle; 0 is the straight knee, positive bends it.
        subtalar: subtalar angle; positive is inversion (sole turned in), negative eversion.
        toes: metatarsophalangeal angle; positive curls the toes towards the sole (flexion, the same direction as
            plantarflexion), negative lifts them (extension). MyoLeg has one toe joint (``mtp_angle``) for all five
            toes, so they move together.
    """

    plantarflexion: float = 0.0
    knee_flexion: float = 0.0
    subtalar: float = 0.0
    toes: float = 0.0


NEUTRAL = Pose()

#: The angles of a :class:`Pose`, in field order: the keys of a view file's and ``measure --json``'s ``pose``.
ANGLES: tuple[str, ...] = tuple(f.name for f in fields(Pose))

#: Each angle in words (for messages and labels), with the direction its positive values take.
ANGLE_NAMES: dict[str, str] = {
    "plantarflexion": "plantarflexion",
    "knee_flexion": "knee flexion",
    "subtalar": "subtalar inversion",
    "toes": "toe flexion",
}

#: What the info panel and the animation bar say wherever the toes move: the model cannot curl one toe alone.
TOES_NOTE = "MyoLeg has one toe joint for all five toes (mtp_angle), so the toes move together."


def shown(value: float, digits: int) -> float:
    """``value`` rounded to ``digits`` decimals as it will be printed, never as a negative zero.

    Why: a quantity that rounds to zero (a moment arm of -0.00001 mm, an angle of -0.04 degrees) printed as ``-0.0``
    reads as a real, tiny negative value to a student. Adding 0.0 turns IEEE -0.0 into 0.0.
    """
    return round(value, digits) + 0.0


def fixed_text(value: float, digits: int) -> str:
    """``value`` as text in fixed notation, rounded to ``digits`` decimals with the zeros after the last digit that
    counts dropped (``12.5``, ``40``, ``-0.00001``), never a negative zero and never an exponent.

    Why: a number printed with ``:g`` or ``repr`` turns to scientific notation below 0.0001, so an angle of
    -0.00001 degrees printed as ``-1e-05°`` and a moment arm of -0.000038 m as ``-3.8e-05`` in a CSV. Every number
    the command line prints for a person (angles, moment arms, lengths, steps) goes through here or a fixed format
    such as ``:.4f`` after :func:`shown`.
    """
    text = f"{shown(value, digits):.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def significant_text(value: float, digits: int) -> str:
    """``value`` to ``digits`` significant digits in fixed notation (0.000015, not 1.5e-05; 12.5, not 12.50): for a
    number with no fixed number of decimals, such as a step a message suggests typing back."""
    return format(Decimal(f"{value:.{digits}g}") + 0, "f")


#: What separates two joints in :func:`angles_text`'s line.
JOINT_GAP = "  "


def angles_text(pose: Pose) -> str:
    """The joint angles in one line, as the animation bar and the info panel both print them (so they cannot
    disagree about the pose shown). Every joint is always listed, so the line does not change length as a motion
    passes through neutral."""
    return JOINT_GAP.join(
        (
            f"plantarflexion {shown(pose.plantarflexion, 1):5.1f}°",
            f"knee flexion {shown(pose.knee_flexion, 1):5.1f}°",
            f"inversion {shown(pose.subtalar, 1):5.1f}°",
            f"toe flexion {shown(pose.toes, 1):5.1f}°",
        )
    )


def angle_joints(angles: str) -> list[str]:
    """:func:`angles_text`'s line split into its joints ("knee flexion  30.0°"), for a reader that breaks it only
    between joints: the gap before a joint's name, not the spaces inside one (its name, the angle's padding)."""
    return re.split(JOINT_GAP + r"(?=[^\W\d_])", angles)


#: The joints a moment arm is reported for, in the order ``measure`` and the info panel print them, each with what
#: a positive arm does (tension turns the joint that way).
ARM_JOINTS: dict[str, str] = {
    "ankle": "plantarflexes",
    "knee": "flexes",
    "subtalar": "inverts",
    "toes": "flexes the toes",
}


def measurements_text(
    pose: Pose,
    length: float,
    moment_arm_ankle: float,
    moment_arm_knee: float,
    *,
    arms: dict[str, float] | None = None,
) -> str:
    """The info panel's live block: the pose, a muscle's length (cm) and its moment arms (mm), signs spelled out.

    ``arms`` (joint -> metres, keys from :data:`ARM_JOINTS`) lists the joints the muscle crosses; without it the
    ankle and knee are shown, as before. A muscle that crosses the toe joint gets :data:`TOES_NOTE`, since its arm
    there is about all five toes at once.

    Kept here, away from Qt, so a test can check every number it prints (no ``-0.0``) without a window.
    """
    if arms is None:
        arms = {"ankle": moment_arm_ankle, "knee": moment_arm_knee}
    lines = [angles_text(pose), f"Muscle-tendon length {shown(length * 100, 1):6.1f} cm"]
    lines += [
        f"Moment arm, {joint:<8} {shown(arms[joint] * 1000, 1):+5.1f} mm (+ {meaning})"
        for joint, meaning in ARM_JOINTS.items()
        if joint in arms
    ]
    if not any(joint in arms for joint in ARM_JOINTS):
        lines.append("Moment arm: none (the muscle crosses no joint the model moves)")
    if "toes" in arms:
        lines.append(TOES_NOTE)
    return "\n".join(lines)
