"""Where the bones come from: MyoLeg's simulation meshes in the installed ``myo-sim`` package.

Every bone mesh calfviewer shows is generated from one STL file under ``myo_sim.MODELS_DIR / "meshes"``. This
module names those files, the model body each one hangs on, and the bones each one holds, so the generator
(:mod:`calfviewer.geometry.bones`) and the manifest (:mod:`calfviewer.geometry.mesh_store`) agree on provenance.

Facts about the files (measured on myo-sim 0.2.4, checked again by ``tests/geometry/test_bones.py``):

* Vertices are in metres in the frame of the body the geom hangs on (the geoms sit at the body origin with the
  identity orientation and unit mesh scale), OpenSim convention: x anterior, y superior, z to the right. For the
  right leg +z is therefore lateral and -z medial.
* ``r_tibia.stl`` holds the tibia only; ``r_fibula.stl`` is a separate file but hangs on the same body ``tibia``.
  ``r_foot.stl`` (body ``calcn``) holds eleven bones: calcaneus, navicular, cuboid, three cuneiforms and five
  metatarsals. ``r_bofoot.stl`` (body ``toes``) holds the fourteen phalanges.

The left side
-------------
The ``l_*`` files are *not* exact mirror images of the ``r_*`` files, so the left side is generated from the
``l_*`` files themselves. What differs: every ``l_*`` vertex set is exactly the z-mirror of its ``r_*`` file and
femur, fibula, talus, foot and bofoot are triangle-for-triangle mirrors (with reversed winding), but ``l_patella``
triangulates 24 of its 140 triangles differently (other quad diagonals), and four of the stray triangles in
``l_tibia`` are wound the other way. Mirroring the right side would thus not reproduce the model's left patella
exactly. To keep one code path, :func:`calfviewer.geometry.bones.build_bone_meshes` mirrors the ``l_*`` geometry
into the right-side convention (z -> -z, winding flipped), runs the same split / identify / repair / refine steps,
and mirrors the result back. :func:`compare_left_to_right` re-measures these facts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import numpy as np

from calfviewer.anatomy import load_catalogue
from calfviewer.anatomy import side as sides
from calfviewer.anatomy.side import check_side, model_suffix

SOURCE_PACKAGE = "myo-sim"


def catalogue_bones(body: str) -> tuple[str, ...]:
    """The catalogue's bones on MyoLeg body ``body``, in catalogue order: the one list of bone ids (the foot's
    file holds the bones on ``calcn``, the toes' file those on ``toes``)."""
    return tuple(s.id for s in load_catalogue().structures if s.kind == "bone" and s.body == body)


# Bone ids of the multi-bone files, in catalogue order, read from the catalogue.
FOOT_BONE_IDS: tuple[str, ...] = catalogue_bones("calcn")
TOE_BONE_IDS: tuple[str, ...] = catalogue_bones("toes")


@dataclass(frozen=True)
class SourceMesh:
    """One MyoLeg STL file: its stem (``foot`` for ``r_foot.stl``), the body it hangs on, and its bones.

    Attributes:
        stem: file name without the side prefix and suffix (``r_<stem>.stl``).
        body: the model body stem the file's geom hangs on (``calcn`` means ``calcn_r`` / ``calcn_l``).
        bone_ids: the bones the file holds, in catalogue order; one id for a single-bone file.
    """

    stem: str
    body: str
    bone_ids: tuple[str, ...]

    def relative_path(self, side: str = "right") -> str:
        """The file relative to ``myo_sim.MODELS_DIR``, as written in the manifest (``meshes/r_foot.stl``)."""
        return f"meshes/{side_prefix(side)}_{self.stem}.stl"

    def path(self, side: str = "right") -> Path:
        """The absolute path of the file in the installed myo-sim package."""
        return models_dir() / self.relative_path(side)


SOURCE_MESHES: tuple[SourceMesh, ...] = (
    SourceMesh("femur", "femur", ("femur",)),
    SourceMesh("patella", "patella", ("patella",)),
    SourceMesh("tibia", "tibia", ("tibia",)),
    SourceMesh("fibula", "tibia", ("fibula",)),
    SourceMesh("talus", "talus", ("talus",)),
    SourceMesh("foot", "calcn", FOOT_BONE_IDS),
    SourceMesh("bofoot", "toes", TOE_BONE_IDS),
)

BONE_IDS: tuple[str, ...] = tuple(bone for source in SOURCE_MESHES for bone in source.bone_ids)
"""Every bone id calfviewer generates, proximal to distal."""

_SOURCE_OF_BONE: dict[str, SourceMesh] = {bone: src for src in SOURCE_MESHES for bone in src.bone_ids}


def side_prefix(side: str) -> str:
    """``"r"`` or ``"l"``; anything but ``"right"`` / ``"left"`` is a programming error."""
    return model_suffix(check_side(side))


def models_dir() -> Path:
    """``myo_sim.MODELS_DIR``, imported lazily so importing this module stays cheap."""
    import myo_sim

    return Path(myo_sim.MODELS_DIR)


def source_version() -> str:
    """The installed myo-sim version; generated meshes record it so a model upgrade shows up as stale."""
    return version(SOURCE_PACKAGE)


def source_of(bone_id: str) -> SourceMesh:
    """The source file a bone comes from; ``KeyError`` for an unknown id."""
    return _SOURCE_OF_BONE[bone_id]


def bone_body(bone_id: str) -> str:
    """The model body stem a bone hangs on (``tibia`` for the fibula, ``calcn`` for a metatarsal)."""
    return _SOURCE_OF_BONE[bone_id].body


def body_name(body: str, side: str = "right") -> str:
    """The MyoLeg body name for a body stem and side: ``body_name("calcn") == "calcn_r"``."""
    return f"{body}_{side_prefix(side)}"


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes (source files and generated files alike)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_stl(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Vertices (float64, metres) and faces (int64) of an STL, with coincident corners merged exactly.

    STL stores every triangle with its own three corners; merging corners that are bit-identical (not within a
    tolerance) recovers the connectivity without ever fusing two distinct model vertices.
    """
    import trimesh

    mesh = trimesh.load_mesh(Path(path), process=False)
    corners = np.asarray(mesh.vertices, dtype=np.float64)[np.asarray(mesh.faces)].reshape(-1, 3)
    unique, inverse = np.unique(corners, axis=0, return_inverse=True)
    return unique, inverse.reshape(-1, 3).astype(np.int64)


def mirror_z(vertices: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The z-mirror image of a mesh with its winding flipped, so outward normals stay outward."""
    return sides.mirror_z(np.asarray(vertices), "left"), np.asarray(faces)[:, ::-1].copy()


@dataclass(frozen=True)
class MirrorComparison:
    """How the ``l_*`` file of a stem compares with the z-mirrored ``r_*`` file.

    Attributes:
        stem: the source stem compared.
        same_vertices: the two vertex sets are identical after mirroring (bit for bit, after merging corners).
        triangles: number of triangles in the right file.
        unmatched_triangles: right triangles with no left triangle of the same corners and mirrored winding.
    """

    stem: str
    same_vertices: bool
    triangles: int
    unmatched_triangles: int

    @property
    def exact_mirror(self) -> bool:
        """True when the left file is exactly the right file mirrored in z with its winding flipped."""
        return self.same_vertices and self.unmatched_triangles == 0


def _oriented_triangle_keys(vertices: np.ndarray, faces: np.ndarray) -> list[tuple]:
    """Triangles as corner tuples, rotated to start at the smallest corner so orientation is kept."""
    keys = []
    for tri in np.asarray(vertices)[faces].tolist():
        corners = [tuple(c) for c in tri]
        start = corners.index(min(corners))
        keys.append(tuple(corners[start:] + corners[:start]))
    return keys


def compare_left_to_right(stem: str) -> MirrorComparison:
    """Compare ``l_<stem>.stl`` with the z-mirror of ``r_<stem>.stl`` (the basis of the left-side choice)."""
    from collections import Counter

    source = next(s for s in SOURCE_MESHES if s.stem == stem)
    rv, rf = read_stl(source.path("right"))
    lv, lf = mirror_z(*read_stl(source.path("left")))
    same_vertices = rv.shape == lv.shape and bool(np.array_equal(np.unique(lv, axis=0), rv))
    right = Counter(_oriented_triangle_keys(rv, rf))
    left = Counter(_oriented_triangle_keys(lv, lf))
    return MirrorComparison(
        stem=stem,
        same_vertices=same_vertices,
        triangles=len(rf),
        unmatched_triangles=sum((right - left).values()),
    )
