"""Everything the scene draws, gathered in one object: bones, muscles and tendon, attachment footprints.

The scene should not know how a muscle is built or where a mesh file lives; it asks this object for rest meshes
once and for new muscle points each pose. Keeping the contract this small is what lets the geometry improve without
the scene changing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
import trimesh

from calfviewer.musculoskeletal import PoseResult

Role = Literal["origin", "insertion"]


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


@dataclass
class SceneGeometry:
    """The meshes of the whole scene.

    Attributes:
        bones: bone id -> closed surface in its model body's frame (move it with the body transform).
        bodies: bone id -> the model body stem it moves with (``"tibia"`` for the fibula too).
        soft: muscle or tendon id -> closed surface in world coordinates at the neutral pose.
        footprints: every origin and insertion patch.
    """

    bones: dict[str, trimesh.Trimesh]
    bodies: dict[str, str]
    soft: dict[str, trimesh.Trimesh]
    footprints: tuple[Footprint, ...]
    deformer: SoftTissueDeformer

    def soft_points(self, result: PoseResult) -> dict[str, np.ndarray]:
        """World vertex positions of every muscle and tendon in ``result``'s pose, in the rest meshes' order.

        Same vertex count and faces in every pose, so a renderer can update points in place.
        """
        return self.deformer.deform(result)


class SoftTissueDeformer(Protocol):
    """Moves muscle and tendon vertices to a pose (implemented in the muscles module)."""

    def deform(self, result: PoseResult) -> dict[str, np.ndarray]: ...
