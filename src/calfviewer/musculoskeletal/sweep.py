"""Muscle mechanics over a joint's range: every muscle's length and moment arms while one joint moves and the other
is held, for the window's plots and ``calfviewer measure --sweep``.

The numbers come from :meth:`MusculoskeletalModel.mechanics`, which shares its arithmetic with
:meth:`MusculoskeletalModel.pose`, so a sweep and ``calfviewer measure`` at the same pose print the same digits.
Moment arms are the total derivative of the length (through MyoLeg's coupled knee joints), positive where tension
plantarflexes the ankle or flexes the knee.

No Qt and no VTK: the plot panel, the command line and the 3D view's stretch colours all read this.
"""

from __future__ import annotations

import csv
import math
import re
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TextIO

import numpy as np

from calfviewer.errors import CalfviewerError
from calfviewer.musculoskeletal.pose import NEUTRAL, Pose, fixed_text, parse_degrees, shown, significant_text

if TYPE_CHECKING:
    from calfviewer.musculoskeletal.model import MusculoskeletalModel, PoseResult

#: The joints a sweep can move, and the :class:`Pose` field each one sets.
JOINTS: dict[str, str] = {"ankle": "plantarflexion", "knee": "knee_flexion"}
#: A sweep longer than this is a typing mistake (``step 0.0001``), not a plot: it is refused before any work.
MAX_POSES = 10_000
#: Degrees between the poses the window's plots sample (ankle: 141 poses over -30..40; knee: 241 over 0..120).
PLOT_STEP = 0.5
#: Columns of ``measure --csv`` and of the plot panel's CSV: the pose (as ``measure --json``'s ``pose``), then
#: the muscle's fields as ``measure --json`` names them, in the same units (degrees, metres).
CSV_FIELDS = (
    "plantarflexion",
    "knee_flexion",
    "subtalar",
    "toes",
    "id",
    "name",
    "length",
    "moment_arm_ankle",
    "moment_arm_knee",
    "moment_arm_subtalar",
    "moment_arm_toes",
)
#: The plot panel's CSV adds each row's length over the muscle's length at neutral (dimensionless).
PLOT_CSV_FIELDS = (*CSV_FIELDS, "normalised_length")
#: Digits kept after the point, as ``measure`` prints them (a micrometre).
DIGITS = 6

_SPEC = re.compile(r"\s*([^=\s]*)\s*=\s*([^:]*):([^:]*):([^:]*)\s*")


@dataclass(frozen=True)
class SweepSpec:
    """A sweep as typed: ``ankle=-30:40:5`` is the ankle from 30° dorsiflexion to 40° plantarflexion in 5° steps.

    Attributes:
        joint: ``"ankle"`` or ``"knee"`` (a key of :data:`JOINTS`).
        start, stop: degrees in the pose's convention (plantarflexion or knee flexion), start <= stop.
        step: degrees between poses, above 0; the stop is included when a whole number of steps reaches it.
    """

    joint: str
    start: float
    stop: float
    step: float

    @property
    def angles(self) -> np.ndarray:
        count = math.floor((self.stop - self.start) / self.step + 1e-9) + 1
        return np.round(self.start + self.step * np.arange(count), 9) + 0.0

    @property
    def short_of_stop(self) -> str | None:
        """A note when whole steps do not reach the stop (``ankle=0:10:3`` ends at 9; ``0:10:20`` is the one pose
        0), with the step that would; None when the last pose is the stop."""
        last = float(self.angles[-1])
        if last >= self.stop - 1e-9:
            return None
        start, stop = _degrees(self.start), _degrees(self.stop)
        said = (
            f"--sweep {self.joint}: steps of {_degrees(self.step)}° from {start} end at {_degrees(last)}, "
            f"short of the stop {stop}"
        )
        reaching = _reaching_step(self.stop - self.start, self.step)
        if reaching is None:
            return f"{said}; a step that divides {_degrees(self.stop - self.start)}° reaches it"
        return f"{said}; a step of {reaching}° ({self.joint}={start}:{stop}:{reaching}) reaches it"


def _degrees(value: float) -> str:
    """Degrees as a message shows them: every digit a typed number may carry (``10.00001``, not ``10``: a stop
    of 10.00001 was "short of the stop 10" at 10), rounded to 9 places (0.1 x 3 is 0.3), never -0 or an exponent."""
    return fixed_text(value, 9)  # 0.00001, not 1e-05


def _reaching_step(span: float, step: float) -> str | None:
    """The largest step below ``step``, as typed with at most four significant digits, that reaches ``span`` in
    whole steps (10 by 3: 2.5; 120 by 7: 6, not 6.667, whose 18 steps stop short); None when none is that short."""
    for count in range(math.ceil(span / step - 1e-9), MAX_POSES):
        typed = significant_text(span / count, 4)
        if abs(float(typed) * count - span) < 1e-9:
            return typed
    return None


def _round_up(value: float) -> float:
    """``value`` rounded up to three significant figures: a step a message suggests must itself be accepted."""
    if value <= 0:
        return value
    scale = 10 ** (math.floor(math.log10(value)) - 2)
    return math.ceil(value / scale - 1e-9) * scale


def parse_sweep(text: str, model: MusculoskeletalModel) -> SweepSpec:
    """``JOINT=START:STOP:STEP`` -> :class:`SweepSpec`, checked against the model's range for that joint.

    Raises a one-line :class:`CalfviewerError` that says what to type instead.
    """
    example = "e.g. --sweep ankle=-30:40:5 or --sweep knee=0:120:10"
    match = _SPEC.fullmatch(text)
    if not match:
        raise CalfviewerError(f"--sweep {text!r} is not JOINT=START:STOP:STEP ({example})")
    joint = match[1]
    if joint not in JOINTS:
        raise CalfviewerError(f"--sweep: unknown joint {joint!r}; use one of {', '.join(JOINTS)} ({example})")
    joint_range = model.ranges[JOINTS[joint]]
    numbers = []
    for label, value in zip(("start", "stop", "step"), match.groups()[1:], strict=True):
        number = parse_degrees(value)
        if number is None or not math.isfinite(number):
            raise CalfviewerError(f"--sweep {joint}: {label} {value.strip()!r} is not a number of degrees ({example})")
        numbers.append(number)
    start, stop, step = numbers
    for value, typed in zip((start, stop), match.groups()[1:3], strict=True):
        if not joint_range.holds(value, typed=typed):
            raise CalfviewerError(
                f"--sweep {joint}: {typed.strip()}° is out of range; {joint_range.name} runs from "
                f"{joint_range.low:g} to {joint_range.high:g} degrees"
            )
    if start > stop:
        raise CalfviewerError(
            f"--sweep {joint}: start {_degrees(start)} is above stop {_degrees(stop)}; a sweep runs from the lower "
            f"angle up (--sweep {joint}={_degrees(stop)}:{_degrees(start)}:{_degrees(abs(step))})"
        )
    if step <= 0:
        raise CalfviewerError(f"--sweep {joint}: step {_degrees(step)} must be above 0 degrees ({example})")
    spec = SweepSpec(joint, start, stop, step)
    steps = (stop - start) / step  # a step of 1e-320 degrees makes this infinite: too many, not a traceback
    if not math.isfinite(steps) or math.floor(steps + 1e-9) + 1 > MAX_POSES:
        smallest = _round_up((stop - start) / (MAX_POSES - 1))
        raise CalfviewerError(
            f"--sweep {joint}: a step of {match[4].strip()}° gives too many poses from {_degrees(start)} to "
            f"{_degrees(stop)} (at most {MAX_POSES}); take a step of at least {significant_text(smallest, 3)}°"
        )
    return spec


@dataclass(frozen=True)
class Sweep:
    """Every muscle's mechanics at a series of poses.

    Attributes:
        poses: the poses, in order (checked against the model's ranges).
        muscle_ids: the columns of the arrays, in the model's (and ``measure``'s) order.
        length: (poses, muscles) muscle-tendon length, metres.
        moment_arm_ankle: (poses, muscles) metres, positive where tension plantarflexes the ankle.
        moment_arm_knee: (poses, muscles) metres, positive where tension flexes the knee.
        moment_arm_subtalar: (poses, muscles) metres, positive where tension inverts the foot (0 where the muscle
            does not cross the subtalar joint).
        moment_arm_toes: (poses, muscles) metres, positive where tension flexes the toes (0 where it does not
            cross MyoLeg's one toe joint).
        neutral_length: (muscles,) length at the neutral pose (ankle 0°, knee 0°), metres: what normalised
            length divides by.
    """

    poses: tuple[Pose, ...]
    muscle_ids: tuple[str, ...]
    length: np.ndarray
    moment_arm_ankle: np.ndarray
    moment_arm_knee: np.ndarray
    moment_arm_subtalar: np.ndarray
    moment_arm_toes: np.ndarray
    neutral_length: np.ndarray

    @property
    def normalised_length(self) -> np.ndarray:
        """(poses, muscles) length over the length at neutral: 1 at neutral, above 1 stretched, below 1 shortened."""
        return self.length / self.neutral_length

    def angles(self, joint: str) -> np.ndarray:
        """(poses,) the angle of ``joint`` (``"ankle"`` or ``"knee"``) at each pose, degrees."""
        return np.array([getattr(pose, JOINTS[joint]) for pose in self.poses])

    def column(self, muscle_id: str) -> int:
        return self.muscle_ids.index(muscle_id)


_NEUTRAL_LENGTHS: weakref.WeakKeyDictionary[MusculoskeletalModel, np.ndarray] = weakref.WeakKeyDictionary()


def neutral_lengths(model: MusculoskeletalModel) -> np.ndarray:
    """(muscles,) every muscle's length at the neutral pose, metres, in :attr:`muscle_ids` order (worked out once
    per model: every frame of the stretch colours divides by it)."""
    lengths = _NEUTRAL_LENGTHS.get(model)
    if lengths is None:
        lengths = model.mechanics([NEUTRAL])[0][0]
        lengths.setflags(write=False)
        _NEUTRAL_LENGTHS[model] = lengths
    return lengths


def sweep_poses(poses: Sequence[Pose], model: MusculoskeletalModel) -> Sweep:
    """The mechanics of every muscle at each of ``poses`` (out-of-range angles raise :class:`PoseError`)."""
    length, arms = model.mechanics(poses)
    checked = tuple(model.check_pose(pose) for pose in poses)
    # arms' last axis is in musculoskeletal.JOINTS order: ankle, knee, subtalar, toes.
    ankle, knee, subtalar, toes = (arms[..., index] for index in range(4))
    return Sweep(checked, model.muscle_ids, length, ankle, knee, subtalar, toes, neutral_lengths(model))


def sweep_joint(joint: str, angles: Iterable[float], held: Pose, model: MusculoskeletalModel) -> Sweep:
    """``joint`` at each of ``angles`` (degrees), the other joints as in ``held``."""
    field = JOINTS[joint]
    return sweep_poses([replace(held, **{field: float(angle)}) for angle in angles], model)


def full_range(joint: str, model: MusculoskeletalModel, step: float = PLOT_STEP) -> np.ndarray:
    """The joint's whole range in the model, every ``step`` degrees, both ends included.

    The model's ends are read back from radians (40.000017°): they are taken to the thousandth of a degree inside
    them, so a plot's axis and samples fall on whole degrees."""
    joint_range = model.ranges[JOINTS[joint]]
    low, high = math.ceil(joint_range.low * 1000) / 1000, math.floor(joint_range.high * 1000) / 1000
    return SweepSpec(joint, low, high, step).angles


def normalised_lengths(result: PoseResult, model: MusculoskeletalModel) -> dict[str, float]:
    """Muscle id -> length over its length at neutral, in ``result``'s pose (what the stretch colours show)."""
    neutral = neutral_lengths(model)
    return {
        muscle_id: result.muscles[muscle_id].length / float(neutral[index])
        for index, muscle_id in enumerate(model.muscle_ids)
    }


def csv_rows(
    sweep: Sweep, names: dict[str, str], muscle_ids: Sequence[str] | None = None, *, normalised: bool = False
) -> list[dict[str, str | float]]:
    """One row per pose and muscle (poses in order, muscles in ``muscle_ids`` order, default all), with the
    fields of :data:`CSV_FIELDS` (and ``normalised_length`` with ``normalised``), rounded as ``measure`` rounds
    them."""
    ids = sweep.muscle_ids if muscle_ids is None else tuple(muscle_ids)
    columns = [sweep.column(muscle_id) for muscle_id in ids]
    rows: list[dict[str, str | float]] = []
    for p, pose in enumerate(sweep.poses):
        for muscle_id, c in zip(ids, columns, strict=True):
            rows.append(
                {
                    "plantarflexion": pose.plantarflexion + 0.0,
                    "knee_flexion": pose.knee_flexion + 0.0,
                    "subtalar": pose.subtalar + 0.0,
                    "toes": pose.toes + 0.0,
                    "id": muscle_id,
                    "name": names[muscle_id],
                    "length": shown(float(sweep.length[p, c]), DIGITS),
                    "moment_arm_ankle": shown(float(sweep.moment_arm_ankle[p, c]), DIGITS),
                    "moment_arm_knee": shown(float(sweep.moment_arm_knee[p, c]), DIGITS),
                    "moment_arm_subtalar": shown(float(sweep.moment_arm_subtalar[p, c]), DIGITS),
                    "moment_arm_toes": shown(float(sweep.moment_arm_toes[p, c]), DIGITS),
                }
            )
            if normalised:
                rows[-1]["normalised_length"] = shown(float(sweep.length[p, c] / sweep.neutral_length[c]), DIGITS)
    return rows


def write_csv(rows: Iterable[Mapping[str, object]], stream: TextIO, fields: Sequence[str] = CSV_FIELDS) -> None:
    """The rows as CSV with a header line (RFC 4180 quoting, ``\\n`` line ends), each number as Python writes it
    (``-30.0``, ``0.480931``) but in fixed notation where that is an exponent: -0.000038, not -3.8e-05 (below 0.0001),
    to the 9 decimals an angle keeps."""
    writer = csv.DictWriter(stream, fieldnames=list(fields), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(
        {key: _csv_number(value) if isinstance(value, float) else value for key, value in row.items()} for row in rows
    )


def _csv_number(value: float) -> str:
    written = repr(value)
    return fixed_text(value, 9) if "e" in written else written
