"""Attachment footprints: the patch of a bone's own surface where a muscle or tendon attaches.

A footprint is drawn by re-using the bone's triangles, so it sits exactly on the bone and moves with it. Each one
is grown from the attachment point over the bone surface, in order of distance along the surface (Dijkstra on the
triangle adjacency), until it covers the anatomical area in :data:`AREAS`.

The patches are grown once, by ``calfviewer build-meshes``, and stored in ``meshes/footprints.json``
(:mod:`calfviewer.geometry.footprint_store`, which says why and how a stale file is caught).

Areas
-----
Approximate adult areas in cm^2, from the extent of each attachment as the anatomy texts describe it (Standring,
Gray's Anatomy 42e; Moore, Clinically Oriented Anatomy 8e), rounded: a small tendinous origin is about a finger-tip
(1-3 cm^2), a fleshy origin along a bone is its length times its width (for the soleal line ~ 6 cm x 1 cm), and an
insertion on a small bone is limited by the bone. The calcaneal tendon's footprint on the middle facet of the
calcaneal tuberosity is about 2 x 1.5 cm, ~3 cm^2, in line with cadaveric footprint studies (mean areas of 2-4 cm^2).
These are sizes for drawing a patch of the right size in the right place, not measurements.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import trimesh
from scipy import sparse
from scipy.sparse.csgraph import dijkstra

from calfviewer.anatomy import Attachment, Catalogue
from calfviewer.anatomy.side import mirror_z
from calfviewer.geometry import footprint_store, mesh_store
from calfviewer.geometry.footprint import Footprint, as_role
from calfviewer.geometry.surface import Surface
from calfviewer.musculoskeletal import MusculoskeletalModel

CM2 = 1e-4


@dataclass(frozen=True)
class AreaRule:
    """Footprint area of one attachment and why (cm^2 in the table, m^2 from :meth:`area`)."""

    cm2: float
    why: str

    @property
    def area(self) -> float:
        return self.cm2 * CM2


#: (structure id, role, bone id) -> area. Looked up with the bone, then without it, then by role.
AREAS: dict[tuple[str, str, str | None], AreaRule] = {
    ("gastrocnemius_medial_head", "origin", None): AreaRule(
        3.0, "posterior medial condyle above the articular surface"
    ),
    ("gastrocnemius_lateral_head", "origin", None): AreaRule(2.0, "lateral surface of the lateral condyle"),
    ("soleus", "origin", "fibula"): AreaRule(5.0, "back of the fibular head and upper quarter of the shaft"),
    ("soleus", "origin", "tibia"): AreaRule(6.0, "soleal line, ~6 cm long and ~1 cm wide"),
    ("plantaris", "origin", None): AreaRule(1.0, "lower lateral supracondylar line, above the lateral head"),
    ("popliteus", "origin", None): AreaRule(1.0, "groove on the lateral femoral condyle (tendinous)"),
    ("popliteus", "insertion", None): AreaRule(8.0, "triangular area of the posterior tibia above the soleal line"),
    ("tibialis_posterior", "origin", None): AreaRule(8.0, "upper posterior tibia / fibula and interosseous membrane"),
    ("flexor_digitorum_longus", "origin", None): AreaRule(8.0, "middle third of the posterior tibia"),
    ("flexor_hallucis_longus", "origin", None): AreaRule(8.0, "lower two thirds of the posterior fibula"),
    ("calcaneal_tendon", "insertion", None): AreaRule(3.0, "middle facet of the calcaneal tuberosity, ~2 x 1.5 cm"),
    ("gastrocnemius_medial_head", "insertion", None): AreaRule(3.0, "through the calcaneal tendon's footprint"),
    ("gastrocnemius_lateral_head", "insertion", None): AreaRule(3.0, "through the calcaneal tendon's footprint"),
    ("soleus", "insertion", None): AreaRule(3.0, "through the calcaneal tendon's footprint"),
    ("plantaris", "insertion", None): AreaRule(0.5, "medial to the calcaneal tendon on the tuberosity"),
    ("tibialis_posterior", "insertion", None): AreaRule(2.0, "tuberosity of the navicular"),
    ("flexor_digitorum_longus", "insertion", None): AreaRule(0.5, "plantar base of a distal phalanx"),
    ("flexor_hallucis_longus", "insertion", None): AreaRule(1.0, "plantar base of the hallux's distal phalanx"),
    ("tibialis_anterior", "origin", None): AreaRule(8.0, "upper half to two-thirds of the lateral tibial surface"),
    ("tibialis_anterior", "insertion", "medial_cuneiform"): AreaRule(1.5, "medial and plantar medial cuneiform"),
    ("tibialis_anterior", "insertion", "metatarsal_1"): AreaRule(
        1.0, "medial and plantar base of the first metatarsal"
    ),
    ("extensor_digitorum_longus", "origin", "fibula"): AreaRule(6.0, "upper three-quarters of the anterior fibula"),
    ("extensor_digitorum_longus", "origin", "tibia"): AreaRule(1.0, "lateral tibial condyle"),
    ("extensor_digitorum_longus", "insertion", None): AreaRule(0.3, "dorsal base of a middle or distal phalanx"),
    ("extensor_hallucis_longus", "origin", None): AreaRule(5.0, "middle half of the anterior fibula"),
    ("extensor_hallucis_longus", "insertion", None): AreaRule(0.8, "dorsal base of the hallux's distal phalanx"),
    ("fibularis_longus", "origin", None): AreaRule(6.0, "upper two-thirds of the lateral fibula"),
    ("fibularis_longus", "insertion", "metatarsal_1"): AreaRule(1.0, "lateral plantar base of the first metatarsal"),
    ("fibularis_longus", "insertion", "medial_cuneiform"): AreaRule(0.8, "lateral plantar medial cuneiform"),
    ("fibularis_brevis", "origin", None): AreaRule(6.0, "lower two-thirds of the lateral fibula"),
    ("fibularis_brevis", "insertion", None): AreaRule(1.5, "tuberosity of the fifth metatarsal"),
}
DEFAULT_AREAS = {"origin": AreaRule(2.0, "default origin"), "insertion": AreaRule(1.0, "default insertion")}
MAX_BONE_FRACTION = 0.35
"""A footprint never covers more than this share of its bone (the small phalanges)."""


def area_rule(structure_id: str, role: str, bone_id: str) -> AreaRule:
    """The area rule for one attachment (most specific entry of :data:`AREAS` first)."""
    for key in ((structure_id, role, bone_id), (structure_id, role, None)):
        if key in AREAS:
            return AREAS[key]
    return DEFAULT_AREAS[role]


def attachment_point(model: MusculoskeletalModel, attachment: Attachment) -> np.ndarray:
    """An attachment's point in its bone's body frame (sites from the model, landmarks mirrored for the left)."""
    if attachment.site is not None:
        return np.asarray(model.site_local(attachment.site)[1], dtype=float)
    assert attachment.landmark is not None
    return mirror_z(np.array(attachment.landmark, dtype=float), model.side)


class _Surface:
    """A bone mesh with the face graph footprints grow over (built once per bone)."""

    def __init__(self, mesh: trimesh.Trimesh) -> None:
        self.mesh = mesh
        centres = mesh.triangles_center
        pairs = mesh.face_adjacency
        lengths = np.linalg.norm(centres[pairs[:, 0]] - centres[pairs[:, 1]], axis=1)
        n = len(mesh.faces)
        self.graph = sparse.coo_matrix((lengths, (pairs[:, 0], pairs[:, 1])), shape=(n, n)).tocsr()
        self.areas = mesh.area_faces
        self.query = trimesh.proximity.ProximityQuery(mesh)

    def patch(self, point: np.ndarray, area: float) -> tuple[np.ndarray, np.ndarray, float]:
        """Faces nearest ``point`` along the surface covering ``area``; the surface point; the patch area."""
        closest, _, triangle = self.query.on_surface(point[None, :])
        seed = int(triangle[0])
        area = min(area, MAX_BONE_FRACTION * float(self.areas.sum()))
        # Search a little past the radius of a disc of this area (surfaces are curved, patches not quite round).
        limit = 3.0 * np.sqrt(area / np.pi) + 0.01
        distance = dijkstra(self.graph, directed=False, indices=seed, limit=limit)
        reached = np.flatnonzero(np.isfinite(distance))
        order = reached[np.argsort(distance[reached], kind="stable")]
        cumulative = np.cumsum(self.areas[order])
        count = int(np.searchsorted(cumulative, area)) + 1
        faces = np.sort(order[: min(count, len(order))])
        return faces, closest[0], float(self.areas[faces].sum())


def compute_footprints(
    model: MusculoskeletalModel, catalogue: Catalogue, bones: Mapping[str, Surface]
) -> tuple[Footprint, ...]:
    """Every origin and insertion of every muscle and tendon in the catalogue, as patches of its bone's mesh.

    Attachments on bones without a mesh are skipped (they cannot be drawn).
    """
    surfaces: dict[str, _Surface] = {}
    footprints: list[Footprint] = []
    for structure in catalogue.structures:
        if structure.kind == "bone":
            continue
        for role, attachments in (("origin", structure.origins), ("insertion", structure.insertions)):
            for index, attachment in enumerate(attachments):
                mesh = bones.get(attachment.bone)
                if mesh is None:
                    continue
                surface = surfaces.get(attachment.bone)
                if surface is None:
                    surface = surfaces[attachment.bone] = _Surface(mesh.trimesh)
                rule = area_rule(structure.id, role, attachment.bone)
                faces, centre, area = surface.patch(attachment_point(model, attachment), rule.area)
                footprints.append(
                    Footprint(
                        structure_id=structure.id,
                        role=as_role(role),
                        index=index,
                        bone_id=attachment.bone,
                        faces=faces,
                        centre=centre,
                        area=area,
                    )
                )
    return tuple(footprints)


def build_footprints_into(directory: Path | None = None, model: MusculoskeletalModel | None = None) -> Path:
    """Grow every footprint on the right-leg bones stored in ``directory`` and write ``footprints.json`` there."""
    from calfviewer.musculoskeletal import shared_model

    model = model if model is not None else shared_model("right")
    if model.side != "right":
        raise ValueError("footprints are stored for the right leg (the left mirrors them at load)")
    directory = Path(directory) if directory is not None else mesh_store.meshes_dir()
    entries = {k: e for k, e in mesh_store.read_manifest(directory).items() if e.kind == "bone"}
    footprints = compute_footprints(model, model.catalogue, mesh_store.load_meshes(directory, kind="bone"))
    return footprint_store.write_footprints(footprints, entries, directory)
