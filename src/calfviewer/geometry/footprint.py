"""A footprint: the record of where on a bone's own surface a muscle or tendon attaches.

Why a module of its own: the scene draws footprints (:mod:`calfviewer.geometry.assembly`), the store reads and writes
them (:mod:`calfviewer.geometry.footprint_store`) and the build grows them (:mod:`calfviewer.geometry.footprints`);
all three import the record from here, so none of them has to import another to name it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Role = Literal["origin", "insertion"]


def as_role(role: str) -> Role:
    """``role`` as a :data:`Role`; ``ValueError`` for anything but "origin" or "insertion"."""
    if role == "origin":
        return "origin"
    if role == "insertion":
        return "insertion"
    raise ValueError(f"role {role!r} is neither origin nor insertion")


@dataclass(frozen=True)
class Footprint:
    """A patch of a bone's own surface where a muscle or tendon attaches.

    Attributes:
        structure_id: the muscle or tendon that attaches here.
        role: "origin" or "insertion".
        index: which of the structure's origins (or insertions) this is, in catalogue order.
        bone_id: the bone whose surface carries the patch.
        faces: indices into that bone mesh's faces: the patch is drawn by re-using the bone's own triangles.
        centre: the attachment point in the bone's (body) frame, metres.
        area: patch area in square metres.
    """

    structure_id: str
    role: Role
    index: int
    bone_id: str
    faces: np.ndarray
    centre: np.ndarray
    area: float
