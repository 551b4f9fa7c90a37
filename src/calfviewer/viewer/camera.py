"""Where the camera is, as plain data: a named standard view or an explicit placement, checked when it is made.

Its own module because every camera, from a view file, the settings, a mouse orbit or an attachment link, passes
through the same checks: a camera the scene could not apply (a zero ``view_up``, a 400-digit coordinate) is refused
with a message naming the field, never handed to VTK inside a signal handler.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from calfviewer.anatomy.side import mirror_x
from calfviewer.errors import CalfviewerError

#: The standard views the scene can frame.
VIEWS = ("posterior", "anterior", "medial", "lateral")

Vec3 = tuple[float, float, float]


class CameraError(CalfviewerError):
    """A camera the scene cannot apply; ``field`` names the camera's field (``view_up``, ``position``...)."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"camera {field_name}: {problem}")
        self.field = field_name
        self.problem = problem


#: Camera coordinates and scales beyond this many metres are refused (the leg is about one metre long; a camera a
#: thousand kilometres away shows nothing and loses float precision).
CAMERA_RANGE = 1e6
MIN_CAMERA_DISTANCE = 1e-9
MIN_UP_LENGTH = 1e-9
#: ``view_up`` is refused when the sine of its angle to the view direction is below this (parallel: no "up").
PARALLEL_SINE = 1e-6
MIN_VIEW_ANGLE = 1.0
MAX_VIEW_ANGLE = 120.0


def _camera_number(name: str, value: Any) -> float:
    """A finite float, or a :class:`CameraError` naming the field (a 400-digit integer does not fit a float)."""
    number = finite_number(value)
    if number is None:
        raise CameraError(name, f"expected a finite number, not {short_repr(value)}")
    return number


def _camera_vec3(name: str, value: Any) -> Vec3:
    if not isinstance(value, tuple | list) or len(value) != 3:
        raise CameraError(name, "expected 3 numbers")
    x, y, z = (_camera_number(f"{name}[{i}]", v) for i, v in enumerate(value))
    return (x, y, z)


def _cross(a: Vec3, b: tuple[float, ...]) -> Vec3:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _norm(v: tuple[float, ...]) -> float:
    return math.hypot(*v)


def as_vec3(values: Any) -> Vec3:
    """Three numbers (an array, a list, VTK's tuple) as a plain ``(x, y, z)`` of floats."""
    x, y, z = (float(v) for v in values)
    return (x, y, z)


def finite_number(value: Any) -> float | None:
    """``value`` as a finite float, or None: not a number, a bool, NaN, infinite, or too large for a float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def short_repr(value: Any) -> str:
    """A value for a one-line message, cut short (a 400-digit integer would fill the terminal)."""
    text = repr(value)
    return text if len(text) <= 30 else f"{text[:12]}…({len(text)} characters)"


@dataclass(frozen=True)
class Camera:
    """Where the camera is: a named standard view, or an explicit placement.

    A named view is resolved by the scene (it frames the calf in the current pose and window), so a saved file
    with ``"posterior"`` looks right in any window size. An explicit camera is what the user orbited to.

    Attributes:
        view: one of :data:`VIEWS`, or None for an explicit camera.
        position: camera position in world metres (explicit cameras only).
        focal_point: the point looked at, world metres.
        view_up: the direction that is up on screen.
        view_angle: vertical field of view in degrees (perspective projection).
        parallel_scale: half the visible height in metres for a parallel projection; None means perspective.
    """

    view: str | None = "posterior"
    position: Vec3 | None = None
    focal_point: Vec3 | None = None
    view_up: Vec3 | None = None
    view_angle: float = 30.0
    parallel_scale: float | None = None

    def __post_init__(self) -> None:
        """Refuse a camera the scene could not apply, here rather than later inside a signal handler.

        A zero or sideways-impossible ``view_up`` once reached VTK from a view file, was kept as the last view in
        the settings and stopped the window on every start; every number is checked when the camera is made.
        """
        angle = _camera_number("view_angle", self.view_angle)
        if not MIN_VIEW_ANGLE <= angle <= MAX_VIEW_ANGLE:
            raise CameraError("view_angle", f"expected degrees from {MIN_VIEW_ANGLE:g} to {MAX_VIEW_ANGLE:g}")
        if self.parallel_scale is not None:
            scale = _camera_number("parallel_scale", self.parallel_scale)
            if not 0.0 < scale <= CAMERA_RANGE:
                raise CameraError("parallel_scale", f"expected metres above 0 and at most {CAMERA_RANGE:g}, or null")
        if self.view is not None:
            if self.view not in VIEWS:
                raise CameraError("view", f"unknown view {self.view!r}: use one of {', '.join(VIEWS)}")
            return
        if self.position is None or self.focal_point is None or self.view_up is None:
            raise CameraError("position", "an explicit camera needs position, focal_point and view_up")
        position = _camera_vec3("position", self.position)
        focal = _camera_vec3("focal_point", self.focal_point)
        up = _camera_vec3("view_up", self.view_up)
        for name, vector in (("position", position), ("focal_point", focal)):
            if max(abs(v) for v in vector) > CAMERA_RANGE:
                raise CameraError(name, f"expected coordinates within ±{CAMERA_RANGE:g} metres")
        direction = tuple(f - p for f, p in zip(focal, position, strict=True))
        distance = math.hypot(*direction)
        if distance < MIN_CAMERA_DISTANCE:
            raise CameraError("position", "is the same point as focal_point; the camera must look at something")
        length = math.hypot(*up)
        if length < MIN_UP_LENGTH or length > CAMERA_RANGE:
            raise CameraError("view_up", "must be a direction (not zero), e.g. [0, 0, 1]")
        if _norm(_cross(up, direction)) < PARALLEL_SINE * length * distance:
            raise CameraError("view_up", "is parallel to the view direction (focal_point - position)")
        object.__setattr__(self, "position", position)
        object.__setattr__(self, "focal_point", focal)
        object.__setattr__(self, "view_up", up)

    @classmethod
    def named(cls, view: str) -> Camera:
        return cls(view=view)

    def mirrored(self) -> Camera:
        """The same view of the other leg: the left leg is the right one mirrored across the body's midline (world
        x = 0, see ``geometry.assembly``), so position, focal point and up have x negated. A named view stays
        named: the scene frames it for whichever leg it shows."""
        if self.view is not None:
            return self

        def flip(v: Vec3 | None) -> Vec3:
            return mirror_x(v or (0.0, 0.0, 0.0), "left")

        return Camera(
            view=None,
            position=flip(self.position),
            focal_point=flip(self.focal_point),
            view_up=flip(self.view_up),
            view_angle=self.view_angle,
            parallel_scale=self.parallel_scale,
        )

    def to_dict(self) -> dict[str, Any] | str:
        if self.view is not None:
            return self.view
        return {
            "position": list(self.position or ()),
            "focal_point": list(self.focal_point or ()),
            "view_up": list(self.view_up or ()),
            "view_angle": self.view_angle,
            "parallel_scale": self.parallel_scale,
        }
