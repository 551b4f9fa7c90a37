"""Where the leg is cut, as plain data: a standard plane at a fraction of the leg, or a free plane in the world.

Its own module (no VTK, no Qt) because a section is part of the view state: it is checked when it is made, read
from and written to view files and bookmarks, parsed from ``calfviewer render --section``, and only then drawn by
:mod:`calfviewer.scene.section_caps`.

The standard planes are placed in the leg's own frame (the tibia's body), so they move with the leg when the knee
bends:

- ``axial@F``: across the leg, F of the way from the knee (0, the top of the tibial plateau) down to the ankle (1,
  the tip of the medial malleolus, the lowest point of the tibia).
- ``sagittal@F``: front to back, F of the way across the leg from its medial (0) to its lateral (1) edge.
- ``coronal@F``: side to side, F of the way across the leg from its anterior (0) to its posterior (1) edge.

"Across the leg" is the extent of the tibia, fibula, muscles and tendons between the knee and ankle levels. What is
removed follows the radiological convention for reading slices (the viewer looks from the removed side): an axial
cut is seen from below, the foot side removed; a sagittal cut from the patient's left; a coronal cut from the front.
A ``free`` plane has a world ``origin`` (metres) and a ``normal`` pointing to the side that is removed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from calfviewer.anatomy.side import mirror_x
from calfviewer.errors import CalfviewerError
from calfviewer.viewer.camera import CAMERA_RANGE, Vec3, finite_number, short_repr

#: The standard planes (placed by a fraction of the leg) and the free one (placed by origin and normal).
STANDARD_KINDS = ("axial", "sagittal", "coronal")
SECTION_KINDS = (*STANDARD_KINDS, "free")
#: Where a standard plane cuts when none was chosen before (the Section slider's default): the session's first cut,
#: which the window's idle work prepares (``AnatomyScene.prepare_for_interaction``).
DEFAULT_POSITION = 0.35
MIN_NORMAL_LENGTH = 1e-9


class SectionError(CalfviewerError):
    """A section the scene cannot draw; ``field`` names the section's field (``kind``, ``position``...)."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"section {field_name}: {problem}")
        self.field = field_name
        self.problem = problem


def _vec3(name: str, value: Any) -> Vec3:
    if not isinstance(value, tuple | list) or len(value) != 3:
        raise SectionError(name, f"expected 3 numbers, not {short_repr(value)}")
    out = []
    for i, item in enumerate(value):
        number = finite_number(item)
        if number is None:
            raise SectionError(f"{name}[{i}]", f"expected a finite number, not {short_repr(item)}")
        if abs(number) > CAMERA_RANGE:
            raise SectionError(f"{name}[{i}]", f"{number:g} m is beyond ±{CAMERA_RANGE:g} m")
        out.append(number)
    return (out[0], out[1], out[2])


@dataclass(frozen=True)
class Section:
    """A cut through the leg.

    Attributes:
        kind: ``axial``, ``sagittal``, ``coronal`` (placed by ``position``) or ``free`` (``origin`` and ``normal``).
        position: for the standard kinds, the fraction 0..1 of the leg where the plane lies (see the module).
        origin: for ``free``, a point of the plane in world metres.
        normal: for ``free``, the direction (world) of the side that is cut away; stored as a unit vector.
    """

    kind: str
    position: float = 0.5
    origin: Vec3 | None = None
    normal: Vec3 | None = None

    def __post_init__(self) -> None:
        if self.kind not in SECTION_KINDS:
            raise SectionError("kind", f"unknown plane {short_repr(self.kind)}; use one of {', '.join(SECTION_KINDS)}")
        position = finite_number(self.position)
        if position is None or not 0.0 <= position <= 1.0:
            raise SectionError("position", f"expected a fraction from 0 to 1, not {short_repr(self.position)}")
        object.__setattr__(self, "position", position)
        if self.kind != "free":
            if self.origin is not None or self.normal is not None:
                raise SectionError("origin", f"a {self.kind} plane is placed by its position alone")
            return
        if self.origin is None or self.normal is None:
            raise SectionError("normal" if self.origin is not None else "origin", "a free plane needs both")
        origin = _vec3("origin", self.origin)
        normal = _vec3("normal", self.normal)
        length = math.hypot(*normal)
        if length < MIN_NORMAL_LENGTH:
            raise SectionError("normal", "must not be zero")
        object.__setattr__(self, "origin", origin)
        object.__setattr__(self, "normal", (normal[0] / length, normal[1] / length, normal[2] / length))

    @classmethod
    def standard(cls, kind: str, position: float) -> Section:
        if kind not in STANDARD_KINDS:
            raise SectionError("kind", f"unknown plane {short_repr(kind)}; use one of {', '.join(STANDARD_KINDS)}")
        return cls(kind, position)

    @classmethod
    def free(cls, origin: Vec3, normal: Vec3) -> Section:
        return cls("free", origin=origin, normal=normal)

    def mirrored(self) -> Section:
        """The same cut of the other leg (as :meth:`Camera.mirrored <calfviewer.viewer.camera.Camera.mirrored>`):
        a free plane has its origin and normal mirrored across the body's midline (world x = 0); a standard plane is
        placed in the leg's own frame, medial and lateral included, so it stays as it is."""
        if self.kind != "free" or self.origin is None or self.normal is None:
            return self
        return Section.free(mirror_x(self.origin, "left"), mirror_x(self.normal, "left"))

    def to_dict(self) -> dict[str, Any]:
        if self.kind == "free":
            return {"kind": "free", "origin": list(self.origin or ()), "normal": list(self.normal or ())}
        return {"kind": self.kind, "position": self.position}

    def describe(self) -> str:
        """How the section reads in a menu or a history step: ``axial at 35%`` or ``free plane``."""
        return "free plane" if self.kind == "free" else f"{self.kind} at {self.position * 100:.0f}%"


SECTION_FORMAT = "PLANE@FRACTION, e.g. axial@0.35 (planes: axial, sagittal, coronal; fraction 0 to 1)"


def parse_section(text: str) -> Section:
    """``axial@0.35`` -> ``Section("axial", 0.35)``; anything else is a one-line error saying what is valid.

    The fraction is typed with ASCII digits and a point (``1e-1`` and ``.5`` are accepted, ``nan`` is not).
    """
    match = re.fullmatch(r"\s*([A-Za-z]+)\s*@\s*([0-9.eE+-]+)\s*", text)
    if not match:
        raise CalfviewerError(f"--section {text!r} is not {SECTION_FORMAT}")
    kind, number = match[1].lower(), match[2]
    if kind not in STANDARD_KINDS:
        raise CalfviewerError(f"--section plane {match[1]!r} is unknown: use one of {', '.join(STANDARD_KINDS)}")
    try:
        position = float(number)
    except ValueError:
        raise CalfviewerError(f"--section fraction {number!r} is not a number: {SECTION_FORMAT}") from None
    if not (math.isfinite(position) and 0.0 <= position <= 1.0):
        raise CalfviewerError(f"--section fraction {number} is outside 0 to 1: {SECTION_FORMAT}")
    return Section(kind, position)
