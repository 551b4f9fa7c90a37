"""The refined bones: one closed, smooth surface per bone, true to MyoLeg's meshes, and ``meshes/`` in sync.

The originals are recomputed from the installed myo-sim (split, identified and closed in well under a second);
the refined bones checked are the ones stored in ``meshes/``, because those are what the app draws. The sync
test rebuilds every bone into a temporary folder (about 8 s) and compares bytes.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
import trimesh
from scipy.spatial import cKDTree

from calfviewer.geometry import bones, mesh_store, sources
from calfviewer.geometry.bones import BoneSplitError, identify_foot_bones, identify_toe_bones, split_pieces

EXPECTED_BODIES = {
    "femur": "femur",
    "patella": "patella",
    "tibia": "tibia",
    "fibula": "tibia",
    "talus": "talus",
    "calcaneus": "calcn",
    "navicular": "calcn",
    "cuboid": "calcn",
    "medial_cuneiform": "calcn",
    "intermediate_cuneiform": "calcn",
    "lateral_cuneiform": "calcn",
    **{f"metatarsal_{i}": "calcn" for i in range(1, 6)},
    **{f"proximal_phalanx_{i}": "toes" for i in range(1, 6)},
    **{f"middle_phalanx_{i}": "toes" for i in range(2, 6)},
    **{f"distal_phalanx_{i}": "toes" for i in range(1, 6)},
}
LONG_BONES = ("femur", "tibia", "fibula")
CLOSE_UP_BONES = ("patella", "talus", "calcaneus")  # refined one level further
MAX_DEVIATION = 2e-3  # m: every refined vertex this close to the original surface
MAX_VOLUME_CHANGE = 0.03
MAX_JOINT_CHANGE = 1e-3  # m: gap or overlap at a joint may change this much

# Joints checked in the rest pose: the knee, both tibiofibular contacts, the ankle, subtalar and midtarsal joints,
# and one joint of each kind further out in the foot.
JOINTS = [
    ("femur", "tibia"),
    ("femur", "patella"),
    ("tibia", "fibula"),
    ("tibia", "talus"),
    ("fibula", "talus"),
    ("talus", "calcaneus"),
    ("talus", "navicular"),
    ("calcaneus", "cuboid"),
    ("navicular", "lateral_cuneiform"),
    ("medial_cuneiform", "metatarsal_1"),
    ("cuboid", "metatarsal_5"),
    ("metatarsal_1", "proximal_phalanx_1"),
    ("metatarsal_4", "proximal_phalanx_4"),
    ("proximal_phalanx_3", "middle_phalanx_3"),
    ("proximal_phalanx_1", "distal_phalanx_1"),
]


@pytest.fixture(scope="module")
def originals() -> dict[str, bones.OriginalBone]:
    return bones.original_bones("right")


@pytest.fixture(scope="module")
def stored() -> dict[str, trimesh.Trimesh]:
    return {k: m.trimesh for k, m in mesh_store.load_meshes(mesh_store.meshes_dir(), kind="bone").items()}


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("meshes")
    calls: list[tuple[int, int, str]] = []
    bones.build_bones_into(directory, progress=lambda done, total, bone: calls.append((done, total, bone)))
    assert [c[0] for c in calls] == list(range(1, len(EXPECTED_BODIES) + 1))
    assert {c[2] for c in calls} == set(EXPECTED_BODIES)
    return directory


@pytest.fixture(scope="module")
def rest_pose():
    """World transform of every right-leg body at the neutral pose, the knee's coupled joints satisfied."""
    import mujoco
    import myo_sim

    model = myo_sim.FRAGMENT_SPEC_BUILDERS["myolegs"]().compile()
    data = mujoco.MjData(model)
    for i in range(model.neq):  # qpos0 leaves the patella and tibia coupling at zero; apply the polynomials
        if model.eq_type[i] == mujoco.mjtEq.mjEQ_JOINT:
            driven, driver = model.eq_obj1id[i], model.eq_obj2id[i]
            x = data.qpos[model.jnt_qposadr[driver]] if driver >= 0 else 0.0
            data.qpos[model.jnt_qposadr[driven]] = sum(c * x**k for k, c in enumerate(model.eq_data[i][:5]))
    mujoco.mj_forward(model, data)

    def place(bone: str, mesh: trimesh.Trimesh) -> trimesh.Trimesh:
        body = data.body(sources.body_name(sources.bone_body(bone), "right"))
        vertices = np.asarray(mesh.vertices) @ body.xmat.reshape(3, 3).T + body.xpos
        return trimesh.Trimesh(vertices, mesh.faces, process=False)

    return place


# --- sources, split, identify ----------------------------------------------------------------------------------


def test_every_bone_has_its_id_body_and_source() -> None:
    assert tuple(EXPECTED_BODIES) == sources.BONE_IDS
    assert {bone: sources.bone_body(bone) for bone in sources.BONE_IDS} == EXPECTED_BODIES
    assert sources.source_of("calcaneus").relative_path("right") == "meshes/r_foot.stl"
    assert sources.source_of("distal_phalanx_5").relative_path("left") == "meshes/l_bofoot.stl"
    assert sources.body_name("calcn", "left") == "calcn_l"
    for source in sources.SOURCE_MESHES:
        assert source.path("right").is_file() and source.path("left").is_file()


@pytest.mark.parametrize(("stem", "count"), [("foot", 11), ("bofoot", 14), ("femur", 1), ("tibia", 1), ("fibula", 1)])
def test_source_files_split_into_the_expected_pieces(stem: str, count: int) -> None:
    source = next(s for s in sources.SOURCE_MESHES if s.stem == stem)
    pieces = split_pieces(*sources.read_stl(source.path("right")))
    assert len(pieces) == count
    assert min(len(p.faces) for p in pieces) >= bones.MIN_PIECE_FACES


def _pieces_by_union_find(faces: np.ndarray) -> list[set[int]]:
    """The sets of face indices connected through shared vertices, found by a plain union-find (the oracle)."""
    parent = list(range(int(faces.max()) + 1))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b, c in faces.tolist():
        for u, v in ((a, b), (b, c)):
            ru, rv = root(u), root(v)
            if ru != rv:
                parent[ru] = rv
    groups: dict[int, set[int]] = {}
    for index, face in enumerate(faces.tolist()):
        groups.setdefault(root(face[0]), set()).add(index)
    return list(groups.values())


@pytest.mark.parametrize("stem", [s.stem for s in sources.SOURCE_MESHES])
def test_every_source_piece_is_one_vertex_connected_component(stem: str) -> None:
    """trimesh's component labelling splits each source file into exactly the pieces a union-find finds: the same
    triangles, largest first (equal sizes in the order of their first vertex), each piece's vertices in their
    original order."""
    vertices, faces = sources.read_stl(next(s for s in sources.SOURCE_MESHES if s.stem == stem).path("right"))
    expected = sorted(
        (g for g in _pieces_by_union_find(faces) if len(g) >= bones.MIN_PIECE_FACES),
        key=lambda g: (-len(g), int(faces[sorted(g)].min())),
    )
    pieces = split_pieces(vertices, faces)
    assert len(pieces) == len(expected)
    for piece, group in zip(pieces, expected, strict=True):
        want = faces[sorted(group)]
        used = np.unique(want)
        assert np.array_equal(piece.vertices, vertices[used])
        assert np.array_equal(used[piece.faces], want)


def test_originals_are_every_bone_closed(originals: dict[str, bones.OriginalBone]) -> None:
    assert list(originals) == list(EXPECTED_BODIES)
    for bone, original in originals.items():
        assert original.body == EXPECTED_BODIES[bone]
        assert original.closed.is_watertight and original.closed.is_winding_consistent, bone
        assert original.closed.volume > 0, bone
    # the tibia's loose and doubled triangles are gone, and what is left still covers the raw surface
    assert len(originals["tibia"].raw.faces) == 390
    assert len(originals["tibia"].closed.faces) < 390


def test_identification_does_not_depend_on_file_order(originals: dict[str, bones.OriginalBone]) -> None:
    for ids, identify in ((sources.FOOT_BONE_IDS, identify_foot_bones), (sources.TOE_BONE_IDS, identify_toe_bones)):
        pieces = [originals[bone].closed for bone in ids]
        assert identify(pieces) == {bone: i for i, bone in enumerate(ids)}
        order = list(range(len(pieces)))
        random.Random(7).shuffle(order)
        shuffled = [pieces[i] for i in order]
        named = identify(shuffled)
        assert {bone: order[i] for bone, i in named.items()} == {bone: i for i, bone in enumerate(ids)}


def test_identification_fails_loudly_on_a_different_split(originals: dict[str, bones.OriginalBone]) -> None:
    foot = [originals[bone].closed for bone in sources.FOOT_BONE_IDS]
    toes = [originals[bone].closed for bone in sources.TOE_BONE_IDS]
    with pytest.raises(BoneSplitError, match="11"):
        identify_foot_bones(foot[:-1])
    with pytest.raises(BoneSplitError, match="14"):
        identify_toe_bones([*toes, toes[0]])
    with pytest.raises(BoneSplitError):
        identify_toe_bones([t.copy().apply_translation([0, 0, 0.05 * i]) for i, t in enumerate(toes)])


def test_identified_bones_sit_where_anatomy_puts_them(originals: dict[str, bones.OriginalBone], rest_pose) -> None:
    """In the calcn and toes frames x is anterior and z lateral (right foot): check the names against that."""
    c = {bone: o.closed.center_mass for bone, o in originals.items()}
    foot = sources.FOOT_BONE_IDS
    assert min(foot, key=lambda b: c[b][0]) == "calcaneus"
    assert max(foot, key=lambda b: originals[b].closed.volume) == "calcaneus"
    metatarsals = [f"metatarsal_{i}" for i in range(1, 6)]
    assert sorted(metatarsals, key=lambda b: c[b][2]) == metatarsals  # medial (-z) to lateral
    assert max(metatarsals, key=lambda b: originals[b].closed.volume) == "metatarsal_1"  # the hallux's is stoutest
    cuneiforms = ["medial_cuneiform", "intermediate_cuneiform", "lateral_cuneiform"]
    assert sorted(cuneiforms, key=lambda b: c[b][2]) == cuneiforms
    assert c["cuboid"][2] > c["lateral_cuneiform"][2]
    assert c["navicular"][0] < min(c[b][0] for b in cuneiforms)
    for toe in range(1, 6):
        ray = [f"proximal_phalanx_{toe}", *([f"middle_phalanx_{toe}"] if toe > 1 else []), f"distal_phalanx_{toe}"]
        assert [c[b][0] for b in ray] == sorted(c[b][0] for b in ray)  # proximal to distal runs anterior
    # across bodies, in the rest pose: each metatarsal head meets the proximal phalanx of its own toe
    world = {b: rest_pose(b, originals[b].closed) for b in EXPECTED_BODIES}
    for toe in range(1, 6):
        head = world[f"metatarsal_{toe}"].vertices
        nearest = min(range(1, 6), key=lambda j: cKDTree(world[f"proximal_phalanx_{j}"].vertices).query(head)[0].min())
        assert nearest == toe


# --- the stored, refined bones ---------------------------------------------------------------------------------


def test_stored_bones_are_every_bone(stored: dict[str, trimesh.Trimesh]) -> None:
    assert set(stored) == set(EXPECTED_BODIES)
    for bone, mesh in stored.items():
        assert mesh.metadata["body"] == EXPECTED_BODIES[bone]
        assert mesh.metadata["frame"] == "body" and mesh.metadata["units"] == "m"


@pytest.mark.parametrize("bone", list(EXPECTED_BODIES))
def test_stored_bone_is_a_clean_closed_surface(stored: dict[str, trimesh.Trimesh], bone: str) -> None:
    """Watertight, consistently wound, outward (positive volume), a valid manifold3d manifold, no self-crossing."""
    assert bones.surface_problems(stored[bone]) == []


@pytest.mark.parametrize("bone", list(EXPECTED_BODIES))
def test_stored_bone_stays_true_to_the_original(
    stored: dict[str, trimesh.Trimesh], originals: dict[str, bones.OriginalBone], bone: str
) -> None:
    mesh, original = stored[bone], originals[bone]
    # every refined vertex within 2 mm of the closed original and of the file's own triangles
    assert trimesh.proximity.closest_point(original.closed, mesh.vertices)[1].max() < MAX_DEVIATION
    assert trimesh.proximity.closest_point(original.raw, mesh.vertices)[1].max() < MAX_DEVIATION
    # and nothing of the original is lost: its corners are within 3 mm of the refined surface
    assert trimesh.proximity.closest_point(mesh, original.closed.vertices)[1].max() < 3e-3
    assert abs(mesh.volume / original.closed.volume - 1) < MAX_VOLUME_CHANGE


def test_triangle_counts_fit_the_bone(stored: dict[str, trimesh.Trimesh]) -> None:
    """Tens of thousands for the long bones, finer for the bones in the knee and heel close-ups, fewer for the rest."""
    counts = {bone: len(mesh.faces) for bone, mesh in stored.items()}
    for bone, count in counts.items():
        if bone in LONG_BONES:
            assert 10_000 <= count <= 80_000, (bone, count)
        elif bone in CLOSE_UP_BONES:
            assert 5_000 <= count <= 30_000, (bone, count)
        else:
            assert 1_000 <= count <= 5_000, (bone, count)
    assert sum(counts.values()) < 250_000
    total_bytes = sum((mesh_store.meshes_dir() / f"{bone}.ply").stat().st_size for bone in counts)
    assert total_bytes < 6_000_000


def test_stored_bones_are_smooth(stored: dict[str, trimesh.Trimesh], originals: dict[str, bones.OriginalBone]) -> None:
    """No facets where the close-ups look: across nine in ten edges the surface turns by under 10 degrees."""
    for bone in (*LONG_BONES, *CLOSE_UP_BONES):
        refined = np.degrees(stored[bone].face_adjacency_angles)
        coarse = np.degrees(originals[bone].closed.face_adjacency_angles)
        assert np.percentile(refined, 90) < min(10.0, np.percentile(coarse, 90) / 5), bone


@pytest.mark.parametrize(("a", "b"), JOINTS, ids=[f"{a}-{b}" for a, b in JOINTS])
def test_joints_meet_as_before(
    stored: dict[str, trimesh.Trimesh], originals: dict[str, bones.OriginalBone], rest_pose, a: str, b: str
) -> None:
    """The gap (or MyoLeg's own overlap) between neighbouring bones at rest changes by under a millimetre."""
    before = _clearance(rest_pose(a, originals[a].closed), rest_pose(b, originals[b].closed))
    after = _clearance(rest_pose(a, stored[a]), rest_pose(b, stored[b]))
    assert abs(before) < 0.01, "not neighbours"
    assert abs(after - before) < MAX_JOINT_CHANGE, (before, after)


def test_meshes_folder_is_in_sync_with_the_generator(rebuilt: Path) -> None:
    """A fresh build gives the same bytes as meshes/ (else: run `calfviewer build-meshes` and commit)."""
    fresh = {k: e for k, e in mesh_store.read_manifest(rebuilt).items() if e.kind == "bone"}
    repo = {k: e for k, e in mesh_store.read_manifest(mesh_store.meshes_dir()).items() if e.kind == "bone"}
    hint = "meshes/ is stale; run `calfviewer build-meshes`"
    assert set(repo) == set(fresh), hint
    for bone, entry in fresh.items():
        assert entry.generator == bones.BONES_GENERATOR
        assert repo[bone].generator_version == bones.BONES_GENERATOR_VERSION, hint
        assert repo[bone].source == entry.source, hint  # same myo-sim version and source file bytes
        assert repo[bone].sha256 == entry.sha256, f"{bone}: {hint}"
        assert (rebuilt / entry.file).read_bytes() == (mesh_store.meshes_dir() / repo[bone].file).read_bytes()


# --- the checks themselves, and the left side ------------------------------------------------------------------


def test_self_intersection_check_finds_crossings_and_nothing_else() -> None:
    sphere = trimesh.creation.icosphere(subdivisions=3)
    assert len(bones.self_intersecting_pairs(sphere)) == 0
    shifted = sphere.copy().apply_translation([0.5, 0.2, 0.1])
    both = trimesh.util.concatenate([sphere, shifted])
    assert len(bones.self_intersecting_pairs(both)) > 0
    assert bones.surface_problems(both)  # two overlapping shells
    dented = sphere.copy()
    top = np.argmax(dented.vertices[:, 2])
    dented.vertices[top] = [0.03, 0.02, -1.5]  # pull one vertex through the far side (off-axis: no exact edge hits)
    assert len(bones.self_intersecting_pairs(dented)) > 0
    assert bones.surface_problems(trimesh.Trimesh(sphere.vertices, sphere.faces[:, ::-1])) == [
        f"volume {-sphere.volume:.3g} is not positive (normals point inward)"
    ]


def test_left_sources_are_not_exact_mirrors_so_left_is_built_from_them() -> None:
    """What the sources.py docstring claims: same vertices, but the left patella is triangulated differently."""
    assert sources.compare_left_to_right("femur").exact_mirror
    patella = sources.compare_left_to_right("patella")
    assert patella.same_vertices and not patella.exact_mirror


def test_left_originals_are_in_left_body_frames(originals: dict[str, bones.OriginalBone]) -> None:
    left = bones.original_bones("left")
    assert list(left) == list(EXPECTED_BODIES)
    for bone in ("femur", "calcaneus", "metatarsal_1", "distal_phalanx_5"):
        mirrored = left[bone].closed.vertices * [1, 1, -1]
        assert np.allclose(np.sort(mirrored, axis=0), np.sort(originals[bone].closed.vertices, axis=0), atol=1e-9)
        assert left[bone].closed.volume > 0


def _clearance(a: trimesh.Trimesh, b: trimesh.Trimesh, reach: float = 0.006) -> float:
    """Smallest gap between two closed surfaces, or minus the deepest overlap, from points 1.5 mm apart.

    Points of each surface within ``reach`` of the other are measured against its exact surface; whether a
    point is inside is decided by the winding number on coarse originals (their sharp corners fool normals)
    and by the nearest triangle's normal on the smooth refined ones.
    """
    dense = {id(m): _dense_points_near(m, o, reach) for m, o in ((a, b), (b, a))}
    gap, depth = np.inf, 0.0
    for x, y in ((a, b), (b, a)):
        dist, _ = cKDTree(dense[id(x)]).query(dense[id(y)], distance_upper_bound=reach)
        points = dense[id(y)][dist < reach]
        if not len(points):
            continue
        closest, dist, triangle = trimesh.proximity.closest_point(x, points)
        if len(x.faces) <= 3000:
            inside = _winding_number(x, points) > 0.5
        else:
            inside = np.einsum("ij,ij->i", points - closest, x.face_normals[triangle]) < 0
        if inside.any():
            depth = max(depth, float(dist[inside].max()))
        if (~inside).any():
            gap = min(gap, float(dist[~inside].min()))
    return -depth if depth > 0 else gap


def _dense_points_near(mesh: trimesh.Trimesh, other: trimesh.Trimesh, reach: float) -> np.ndarray:
    """Points 1.5 mm apart on the triangles of ``mesh`` whose bounding boxes come within ``reach`` of ``other``'s."""
    triangles = mesh.triangles
    lo, hi = other.bounds[0] - reach, other.bounds[1] + reach
    near = np.all((triangles.max(axis=1) >= lo) & (triangles.min(axis=1) <= hi), axis=1)
    if not near.any():
        return np.zeros((0, 3))
    used, inverse = np.unique(mesh.faces[near].ravel(), return_inverse=True)
    points, _ = trimesh.remesh.subdivide_to_size(mesh.vertices[used], inverse.reshape(-1, 3), 1.5e-3, max_iter=20)
    return np.asarray(points)


def _winding_number(mesh: trimesh.Trimesh, points: np.ndarray, chunk: int = 1000) -> np.ndarray:
    """Generalised winding number (Jacobson et al.): 1 inside a closed surface, 0 outside, robust at corners."""
    triangles = mesh.triangles
    result = np.empty(len(points))
    for start in range(0, len(points), chunk):
        p = points[start : start + chunk, None, :]
        a, b, c = (triangles[None, :, i] - p for i in range(3))
        la, lb, lc = (np.linalg.norm(v, axis=2) for v in (a, b, c))
        det = np.einsum("ijk,ijk->ij", a, np.cross(b, c))
        dots = (
            la * lb * lc
            + np.einsum("ijk,ijk->ij", a, b) * lc
            + np.einsum("ijk,ijk->ij", b, c) * la
            + np.einsum("ijk,ijk->ij", c, a) * lb
        )
        result[start : start + chunk] = np.arctan2(det, dots).sum(axis=1) / (2 * np.pi)
    return result
