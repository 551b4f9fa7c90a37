"""Muscle and tendon meshes: closed and clean, the published volumes, outside the bones and each other, attached,
incompressible and of one topology across the range of motion. Reads the generated meshes in meshes/."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import trimesh

from calfviewer.geometry import SceneGeometry, load_scene_geometry, sweep
from calfviewer.geometry.bones import surface_problems
from calfviewer.geometry.clearance import SurfaceSamples, exact_depth
from calfviewer.geometry.muscles import (
    BONE_PROXIES,
    SLIPS,
    SPECS,
    MuscleDeformer,
    model_subject,
    nominal_tendon_volume,
    path_length,
    path_start,
)
from calfviewer.geometry.volumes import target_volumes
from calfviewer.musculoskeletal import MusculoskeletalModel, Pose, PoseResult, shared_model

#: The corners and the middle of the range of motion (plantarflexion x knee flexion).
RANGE = [Pose(p, k) for p in (-30, 40) for k in (0, 120)] + [Pose(5, 60)]
#: Where muscles come closest to bone: the ends of the ankle's range, deep knee flexion (the calf folds against
#: the thigh, the gastrocnemius heads turn up beside the femoral shaft), and dorsiflexion with eversion (the deep
#: flexor tendons press on the talus).
CLEARANCE_POSES = {
    "rest": Pose(),
    "plantarflexed": Pose(40, 0),
    "dorsiflexed": Pose(-20, 30),
    "fully-dorsiflexed": Pose(-30, 0),
    "knee90": Pose(0, 90),
    "knee120": Pose(0, 120),
    "plantarflexed-knee120": Pose(40, 120),
    "dorsiflexed-knee120": Pose(-30, 120),
    "dorsiflexed-everted": Pose(-30, 60, -20),
}
DEEP = ("popliteus", "tibialis_posterior", "flexor_digitorum_longus", "flexor_hallucis_longus")
GASTROCNEMIUS = ("gastrocnemius_medial_head", "gastrocnemius_lateral_head")


@pytest.fixture(scope="module")
def bone_samples(geometry: SceneGeometry) -> dict[str, SurfaceSamples]:
    return {bone_id: SurfaceSamples(mesh.trimesh) for bone_id, mesh in geometry.bones.items()}


def _tendon_id(geometry: SceneGeometry) -> str:
    return next(k for k, rig in geometry.deformer.rigs.items() if rig.kind == "tendon")


def _deepest_in_bone(
    points: np.ndarray, geometry: SceneGeometry, samples: dict[str, SurfaceSamples], result: PoseResult
) -> tuple[float, str]:
    """Deepest point inside any bone (m) and that bone: approximate search, exact where within 2 mm."""
    worst, where = -np.inf, ""
    for bone_id, sample in samples.items():
        transform = result.body_transforms[geometry.bodies[bone_id]]
        local = (points - transform[:3, 3]) @ transform[:3, :3]
        approx, _ = sample.depth(local)
        close = approx > -2e-3
        if close.any():
            depth = float(exact_depth(geometry.bones[bone_id].trimesh, local[close]).max())
            if depth > worst:
                worst, where = depth, bone_id
    return worst, where


def test_every_muscle_and_the_calcaneal_tendon_has_a_mesh(model, geometry):
    expected = {s.id for s in model.catalogue.structures if s.kind in ("muscle", "tendon")}
    assert set(geometry.soft) == expected
    assert _tendon_id(geometry) == "calcaneal_tendon"


@pytest.mark.parametrize("pose", [Pose(), Pose(40, 0)], ids=["rest", "plantarflexed"])
def test_meshes_are_closed_clean_surfaces(model, geometry, pose):
    """Watertight, outward, manifold and not crossing themselves, at rest and fully plantarflexed."""
    points = geometry.soft_points(model.pose(pose))
    for structure_id, mesh in geometry.soft.items():
        posed = trimesh.Trimesh(points[structure_id], mesh.faces, process=False)
        assert surface_problems(posed) == [], structure_id


def test_volumes_match_published_volumes(model, geometry):
    """Belly volume (mesh minus its thin tendon parts) within 15 % of Handsfield et al. 2014, scaled to the model."""
    targets = target_volumes(model_subject(model))
    assert set(targets) == set(geometry.soft) - {_tendon_id(geometry)}
    rest = model.pose(Pose())
    for structure_id, target in targets.items():
        rig = geometry.deformer.rigs[structure_id]
        # The tube alone: tendon slips (flexor digitorum longus) are extra components after it, all tendon.
        tube = sweep.signed_volume(geometry.soft[structure_id].vertices[: rig.topology.n_vertices], rig.topology.faces)
        belly = tube - nominal_tendon_volume(structure_id, path_length(rig, rest))
        assert belly == pytest.approx(target.volume, rel=0.15), structure_id
    # Sanity of the targets themselves: adult calf muscles, soleus the largest (cm^3).
    assert 350 < targets["soleus"].volume * 1e6 < 600
    assert targets["gastrocnemius_medial_head"].volume > targets["gastrocnemius_lateral_head"].volume


@pytest.mark.parametrize("pose", list(CLEARANCE_POSES.values()), ids=list(CLEARANCE_POSES))
def test_no_vertex_more_than_2_mm_inside_a_bone(model, geometry, bone_samples, pose):
    result = model.pose(pose)
    for structure_id, points in geometry.soft_points(result).items():
        depth, bone = _deepest_in_bone(points, geometry, bone_samples, result)
        assert depth <= 2e-3, f"{structure_id} is {depth * 1e3:.1f} mm inside the {bone}"


@pytest.mark.parametrize("index", range(len(BONE_PROXIES)), ids=[proxy.name for proxy in BONE_PROXIES])
def test_bone_proxies_are_skipped_only_where_they_would_move_little(model, geometry, index):
    """A bone proxy is not tested short of where it engages (that is what keeps posing fast); just short of there,
    switching it on anyway moves no vertex by more than 1.5 mm (the knee's proxies move nothing at all)."""
    deformer = geometry.deformer
    proxies = deformer.proxies.proxies  # what the viewer's deformer uses
    proxy = proxies[index]
    always = tuple(dataclasses.replace(p, engage=()) if i == index else p for i, p in enumerate(proxies))
    switched_on = MuscleDeformer(model, deformer.rigs, deformer.tendon_id, always)
    assert proxy.engage, f"{proxy.name} is always in play: nothing to check"
    for angle, begin, _ in proxy.engage:
        for others in (Pose(-30, 0, -20), Pose(40, 120, 20), Pose(-20, 60, -1), Pose()):
            pose = dataclasses.replace(others, **{angle: begin - math.copysign(1.0, begin)})
            result = model.pose(pose)
            gated, full = deformer.deform(result), switched_on.deform(result)
            moved = max(float(np.abs(gated[k] - full[k]).max()) for k in gated)
            assert moved <= 1.5e-3, f"{proxy.name} would move a muscle {moved * 1e3:.1f} mm at {pose}"


def test_layers_nest_at_rest(geometry):
    """Gastrocnemius over soleus and plantaris, soleus over the deep group: no vertex of an outer muscle more
    than 2 mm inside an inner muscle's belly (the triceps' tendon tails merge into the calcaneal tendon on purpose,
    so they are left out)."""
    rigs = geometry.deformer.rigs

    def belly(structure_id: str) -> np.ndarray:
        rig = rigs[structure_id]
        rings = geometry.soft[structure_id].vertices[: rig.rings * rig.topology.per_ring]
        free = np.repeat(rig.guide == 0, rig.topology.per_ring)
        return rings[free]

    def belly_tube(structure_id: str) -> trimesh.Trimesh:
        rig = rigs[structure_id]
        m = rig.topology.per_ring
        index = np.flatnonzero(rig.guide == 0)
        block = geometry.soft[structure_id].vertices[index[0] * m : (index[-1] + 1) * m].reshape(-1, m, 3)
        topology = sweep.TubeTopology.build(len(block), m)
        vertices = np.vstack([block.reshape(-1, 3), block[0].mean(axis=0), block[-1].mean(axis=0)])
        return trimesh.Trimesh(vertices, topology.faces, process=False)

    pairs = [(outer, "soleus") for outer in (*GASTROCNEMIUS, "plantaris")]
    pairs += [(outer, "plantaris") for outer in GASTROCNEMIUS]
    pairs += [("soleus", inner) for inner in DEEP]
    for outer, inner in pairs:
        tube = belly_tube(inner)
        points = belly(outer)
        approx, _ = SurfaceSamples(tube).depth(points)
        close = approx > -2e-3
        depth = float(exact_depth(tube, points[close]).max()) if close.any() else -np.inf
        assert depth <= 2e-3, f"{outer} is {depth * 1e3:.1f} mm inside {inner}"


@pytest.mark.parametrize("pose", [Pose(), *RANGE], ids=lambda p: f"pf{p.plantarflexion:g}-knee{p.knee_flexion:g}")
def test_every_muscle_stays_attached_at_both_ends(model, geometry, pose):
    """The model path's origin and insertion lie on or inside what is drawn (within 5 mm), in every pose.

    The triceps surae inserts through the calcaneal tendon: its muscles' insertion is on the tendon's mesh. A muscle
    drawn up to an origin above the model's (the soleus, from the fibular head: ``ShapeSpec.origin``) is held to
    where its tube starts and to its catalogue landmark origins instead (MyoLeg's soleal-line site then lies in
    front of the belly, which passes behind the fibula; ``test_soleus_arises_from_the_fibular_head`` puts the
    start on the bone).
    """
    result = model.pose(pose)
    points = geometry.soft_points(result)
    tendon = _tendon_id(geometry)

    def outside(structure_id: str, where: np.ndarray) -> np.ndarray:
        mesh = trimesh.Trimesh(points[structure_id], geometry.soft[structure_id].faces, process=False)
        return -trimesh.proximity.signed_distance(mesh, where)  # trimesh: positive inside

    for structure_id, path in result.muscles.items():
        origin, insertion = path.points[[0]], path.points[[-1]]
        if structure_id in SPECS and SPECS[structure_id].origin:
            landmarks = [
                model.attachment_world(result, attachment)
                for attachment in model.catalogue.get(structure_id).origins
                if attachment.landmark is not None
            ]
            origin = np.array([path_start(geometry.deformer.rigs[structure_id], result), *landmarks])
        gap = float(outside(structure_id, origin).max())
        assert gap <= 5e-3, f"{structure_id} is {gap * 1e3:.1f} mm from its origin"
        guided = geometry.deformer.rigs[structure_id].guide.any()
        gap = min(outside(structure_id, insertion)[0], outside(tendon, insertion)[0] if guided else np.inf)
        assert gap <= 5e-3, f"{structure_id} is {gap * 1e3:.1f} mm from its insertion"
    # The calcaneal tendon ends on the calcaneal tuberosity (MyoLeg's site soleus-P2).
    body, local = model.site_local("soleus-P2")
    transform = result.body_transforms[body]
    tuberosity = transform[:3, :3] @ local + transform[:3, 3]
    assert outside(tendon, tuberosity[None, :])[0] <= 3e-3
    assert np.linalg.norm(points[tendon][-1] - tuberosity) < 6e-3  # the end cap's centre


def test_soleus_arises_from_the_fibular_head(model, geometry):
    """The soleus is drawn up to its origin on the back of the fibular head, just below the knee (Gray's Anatomy),
    not from MyoLeg's single origin point on the soleal line ~3 cm lower, which left the upper back of the leg bare
    seen from the side: its tube starts on the fibula's surface within 2.5 cm of the fibula's apex, and the belly
    reaches up there."""
    rest = model.pose(Pose())
    start = path_start(geometry.deformer.rigs["soleus"], rest)
    transform = rest.body_transforms[geometry.bodies["fibula"]]
    fibula = geometry.bones["fibula"].trimesh
    depth = float(exact_depth(fibula, ((start - transform[:3, 3]) @ transform[:3, :3])[None, :])[0])
    assert abs(depth) <= 1.5e-3, f"the soleus starts {depth * 1e3:.1f} mm from the fibula's surface"
    apex = float((fibula.vertices @ transform[:3, :3].T + transform[:3, 3])[:, 2].max())
    assert apex - start[2] <= 0.025
    soleal_line = rest.muscles["soleus"].points[0]
    assert start[2] - soleal_line[2] >= 0.03
    assert geometry.soft["soleus"].vertices[:, 2].max() >= start[2] - 5e-3


def test_volume_is_kept_across_the_range_of_motion(model, geometry):
    """Muscle is incompressible: every structure keeps its rest volume within 3 % at the corners of the range."""
    rest = {
        k: sweep.signed_volume(v, geometry.soft[k].faces) for k, v in geometry.soft_points(model.pose(Pose())).items()
    }
    for pose in RANGE:
        for structure_id, points in geometry.soft_points(model.pose(pose)).items():
            volume = sweep.signed_volume(points, geometry.soft[structure_id].faces)
            assert volume == pytest.approx(rest[structure_id], rel=0.03), (structure_id, pose)


def test_shorter_bellies_are_thicker(model, geometry):
    """Plantarflexion shortens the gastrocnemius belly; to keep its volume its sections grow."""
    rig = geometry.deformer.rigs["gastrocnemius_medial_head"]
    m = rig.topology.per_ring
    peak = int(np.argmax(rig.area))

    def section_width(pose: Pose) -> float:
        ring = geometry.soft_points(model.pose(pose))["gastrocnemius_medial_head"][peak * m : (peak + 1) * m]
        return float(np.ptp(ring @ np.linalg.svd(ring - ring.mean(axis=0))[2][0]))

    assert section_width(Pose(40, 0)) > section_width(Pose(-30, 0)) * 1.02


def test_same_topology_and_finite_points_in_every_pose(model, geometry):
    for pose in RANGE:
        points = geometry.soft_points(model.pose(pose))
        assert set(points) == set(geometry.soft)
        for structure_id, vertices in points.items():
            assert vertices.shape == geometry.soft[structure_id].vertices.shape, structure_id
            assert np.all(np.isfinite(vertices)), structure_id


def test_rest_pose_reproduces_the_stored_meshes(model, geometry):
    points = geometry.soft_points(model.pose(Pose()))
    for structure_id, mesh in geometry.soft.items():
        assert np.allclose(points[structure_id], mesh.vertices, atol=1e-6), structure_id


@pytest.fixture(scope="module")
def left_leg() -> tuple[MusculoskeletalModel, SceneGeometry]:
    model = MusculoskeletalModel("left")
    return model, load_scene_geometry(model)


@pytest.mark.parametrize("pose", [Pose(20, 45), Pose(-30, 120, -20)], ids=["mid-range", "deep-flexion-everted"])
def test_left_leg_is_the_mirror_image(geometry, left_leg, pose):
    """Also where the bone proxies move muscles (deep knee flexion, an everted foot): they mirror too."""
    left_model, left = left_leg
    points = left.soft_points(left_model.pose(pose))
    right = geometry.soft_points(shared_model("right").pose(pose))
    for structure_id, vertices in points.items():
        assert np.all(vertices[:, 0] > 0), structure_id  # the left leg is at world +x
        mirrored = right[structure_id] * np.array([-1.0, 1.0, 1.0])
        assert np.abs(vertices - mirrored).max() < 4e-3, structure_id
        assert left.soft[structure_id].trimesh.volume == pytest.approx(
            geometry.soft[structure_id].trimesh.volume, rel=1e-6
        )


FDL = "flexor_digitorum_longus"
#: Poses for the slips: rest, the ends of the ankle's range, deep knee flexion, inversion and eversion.
SLIP_POSES = [Pose(), Pose(40, 0), Pose(-30, 120), Pose(20, 60, 20), Pose(-30, 60, -20)]


def _slip_points(geometry: SceneGeometry, points: np.ndarray) -> np.ndarray:
    """The vertices of the flexor digitorum longus's slips: everything after its tube's."""
    return points[geometry.deformer.rigs[FDL].topology.n_vertices :]


@pytest.mark.parametrize(
    "pose", SLIP_POSES, ids=lambda p: f"pf{p.plantarflexion:g}-knee{p.knee_flexion:g}-st{p.subtalar:g}"
)
def test_flexor_digitorum_longus_reaches_all_four_lesser_toes(model, geometry, pose):
    """Its tendon divides in the sole into four (Gray's Anatomy); MyoLeg's path reaches only the third toe. The
    mesh reaches within 3 mm of each catalogue insertion on distal phalanges 2-5, and each of the three slips is
    its own closed component that ends at its own toe (not, say, all three at one)."""
    result = model.pose(pose)
    points = geometry.soft_points(result)[FDL]
    mesh = trimesh.Trimesh(points, geometry.soft[FDL].faces, process=False)
    insertions = model.catalogue.get(FDL).insertions
    assert [a.bone for a in insertions] == [f"distal_phalanx_{n}" for n in (2, 3, 4, 5)]
    ends = np.array([model.attachment_world(result, a) for a in insertions])
    gap = -trimesh.proximity.signed_distance(mesh, ends)  # trimesh: positive inside
    assert gap.max() <= 3e-3, f"{gap.max() * 1e3:.1f} mm from {insertions[int(gap.argmax())].bone}"
    slips = geometry.deformer.rigs[FDL].slips
    assert slips is not None and len(slips.rings) == len(SLIPS[FDL]) == 3
    assert len(mesh.split(only_watertight=True)) == 4  # the tube and three closed slips
    offset = geometry.deformer.rigs[FDL].topology.n_vertices
    for spec, (first, k, m) in zip(SLIPS[FDL], slips.rings, strict=True):
        last_ring = points[offset + first + (k - 1) * m : offset + first + k * m]
        nearest = np.linalg.norm(ends[:, None, :] - last_ring.mean(axis=0), axis=2).argmin()
        assert nearest == spec.insertion
        assert np.linalg.norm(ends[spec.insertion] - last_ring.mean(axis=0)) <= 3e-3


@pytest.mark.parametrize(
    "pose", SLIP_POSES, ids=lambda p: f"pf{p.plantarflexion:g}-knee{p.knee_flexion:g}-st{p.subtalar:g}"
)
def test_slips_run_under_the_foot_bones_not_through_them(model, geometry, bone_samples, pose):
    """The slips move rigidly with the foot, so the clearance they are built with (1 mm outside every bone) holds
    in every pose: none of their vertices is inside a bone (a straight line from the branch to a toe would cut
    through the metatarsals by several millimetres)."""
    result = model.pose(pose)
    slips = _slip_points(geometry, geometry.soft_points(result)[FDL])
    assert len(slips) > 0
    depth, bone = _deepest_in_bone(slips, geometry, bone_samples, result)
    assert depth <= -0.5e-3, f"a slip is {depth * 1e3:.1f} mm inside the {bone}"
