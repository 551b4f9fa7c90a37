"""Everything the scene draws, gathered in one object: bones, muscles and tendon, attachment footprints.

The scene should not know how a muscle is built or where a mesh file lives; it asks this object for rest meshes
once and for new muscle points each pose. Keeping the contract this small is what lets the geometry improve without
the scene changing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from calfviewer.errors import MeshDataError
from calfviewer.geometry.footprint import Footprint
from calfviewer.geometry.surface import Surface
from calfviewer.musculoskeletal import MusculoskeletalModel, PoseResult
from calfviewer.musculoskeletal.frames import to_world


@dataclass
class SceneGeometry:
    """The meshes of the whole scene.

    Attributes:
        bones: bone id -> closed surface in its model body's frame (move it with the body transform).
        bodies: bone id -> the model body stem it moves with (``"tibia"`` for the fibula too).
        soft: muscle or tendon id -> closed surface in world coordinates at the neutral pose.
        footprints: every origin and insertion patch (stored in ``meshes/footprints.json``).
        tendon_weight: muscle or tendon id -> per-vertex weight in ``soft``'s vertex order, 0 in a fleshy belly and
            1 in tendon, blended over a centimetre between them (``geometry/tendon_weights.py``).
    """

    bones: dict[str, Surface]
    bodies: dict[str, str]
    soft: dict[str, Surface]
    footprints: tuple[Footprint, ...]
    deformer: SoftTissueDeformer
    tendon_weight: dict[str, np.ndarray] = field(default_factory=dict)

    def soft_points(self, result: PoseResult) -> dict[str, np.ndarray]:
        """World vertex positions of every muscle and tendon in ``result``'s pose, in the rest meshes' order.

        Same vertex count and faces in every pose, so a renderer can update points in place.
        """
        return self.deformer.deform(result)


class SoftTissueDeformer(Protocol):
    """Moves muscle and tendon vertices to a pose (:class:`calfviewer.geometry.deformer.MuscleDeformer`)."""

    def deform(self, result: PoseResult) -> dict[str, np.ndarray]: ...


def _moved(mesh: Surface, transform: np.ndarray) -> Surface:
    """``mesh`` moved by ``transform`` (4 x 4), its winding flipped where the transform mirrors, to stay outward."""
    vertices = to_world(transform, mesh.vertices)
    faces = np.asarray(mesh.faces)
    return Surface(
        vertices, faces[:, ::-1].copy() if np.linalg.det(transform[:3, :3]) < 0 else faces, dict(mesh.metadata)
    )


def _mirror_z(mesh: Surface) -> Surface:
    """A right bone in its body frame turned into the left one (OpenSim body frames mirror across z)."""
    from calfviewer.geometry.sources import mirror_z

    return Surface(*mirror_z(mesh.vertices, mesh.faces), dict(mesh.metadata))


def load_scene_geometry(model: MusculoskeletalModel, directory: Path | None = None) -> SceneGeometry:
    """Everything the scene draws for ``model``'s leg, read from ``meshes/`` and bound to the model.

    The stored meshes are the right leg's (bones in their body frames, muscles and tendon in the world at the
    neutral pose); for the left leg they are mirrored (bones across their body z, soft tissue across world x and
    turned with MyoLeg's left leg: ``MusculoskeletalModel.from_right_leg``) and bound to the left model, so both legs
    share one set of files.

    Raises:
        MeshDataError: a file is missing, corrupt, stale, or does not fit the current generator (the message
            says to run ``calfviewer build-meshes``).
    """
    from calfviewer.geometry import footprint_store, mesh_store
    from calfviewer.geometry.deformer import MuscleDeformer
    from calfviewer.geometry.rig import build_context, make_rigs
    from calfviewer.geometry.tendon_weights import tendon_weights

    entries = mesh_store.read_manifest(directory)
    bones = mesh_store.load_meshes(directory, kind="bone")
    soft: dict[str, Surface] = {}
    for kind in ("tendon", "muscle"):
        if any(e.kind == kind for e in entries.values()):
            soft.update(mesh_store.load_meshes(directory, kind=kind))
    footprints = footprint_store.read_footprints({k: e for k, e in entries.items() if e.kind == "bone"}, directory)
    if model.side == "left":
        bones = {k: _mirror_z(m) for k, m in bones.items()}
        to_left = model.from_right_leg()  # the mirror across x and MyoLeg's small turn of the left leg
        soft = {k: _moved(m, to_left) for k, m in soft.items()}
        footprints = footprint_store.mirrored(footprints)
    bodies = {k: str(m.metadata.get("body") or model.catalogue.body_of(k)) for k, m in bones.items()}

    context = build_context(model)
    rigs = make_rigs(context)
    missing = [k for k in rigs if k not in soft]
    if missing:
        raise MeshDataError(f"meshes/ has no mesh for {', '.join(missing)}; {mesh_store.REBUILD_HINT}")
    deformer = MuscleDeformer(model, rigs, context.tendon_id)
    # The calcaneal tendon first: the triceps' tendon tails follow its centreline.
    order = sorted(rigs, key=lambda k: k != context.tendon_id)
    for structure_id in order:
        try:
            deformer.bind(structure_id, soft[structure_id].vertices)
        except ValueError as exc:
            raise MeshDataError(
                f"meshes/{structure_id}.ply does not fit the generator ({exc}); {mesh_store.REBUILD_HINT}"
            ) from None
    return SceneGeometry(
        bones=bones,
        bodies=bodies,
        soft={k: soft[k] for k in rigs},
        footprints=footprints,
        deformer=deformer,
        tendon_weight={k: tendon_weights(rigs[k]) for k in rigs},
    )
