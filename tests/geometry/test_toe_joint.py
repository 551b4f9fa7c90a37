"""The tendons and slips that cross the toe joint (:mod:`calfviewer.geometry.toe_joint`), measured on the meshes as
the viewer poses them (``SceneGeometry.soft_points``): they bend round the joint, outside the bones, and their ends
stay on the toes.

MyoLeg has one metatarsophalangeal joint for all five toes (toe flexion -30..30 degrees). Before the tendons were
carried round it, extensor hallucis longus lay 3.0 mm inside the big toe's proximal phalanx with the toes flexed 30
degrees, flexor hallucis longus 2.6 mm with them extended 30, and the slips of the long flexor and extensor of the
toes 2.2-2.6 mm inside the phalanges of toes 4 and 5."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from calfviewer.geometry.bones import surface_problems
from calfviewer.musculoskeletal import Pose

#: The toes' range and half of it, with the ankle neutral, plantarflexed 40 and dorsiflexed 20 degrees.
TOE_POSES = [Pose(plantarflexion=p, toes=t) for p in (0, 40, -20) for t in (-30, -15, 15, 30)]
#: How deep a tendon or slip may lie in a metatarsal or a phalanx (m): built 1 mm clear of the bones, posed they
#: keep at most 0.22 mm inside them (docs/geometry.md).
MAX_DEPTH = 0.5e-3
#: How far from where the toes carry them the ends of the tendons may be (m).
END_SLACK = 0.2e-3


def _pose_id(pose: Pose) -> str:
    return f"pf{pose.plantarflexion:g}-toes{pose.toes:g}"


@pytest.fixture(scope="module")
def on_toes(model, geometry) -> list[str]:
    """The structures that end on the toes (the long flexors and extensors of the toes)."""
    catalogue = model.catalogue
    found = [
        structure_id
        for structure_id in geometry.soft
        if any(catalogue.body_of(a.bone) == "toes" for a in catalogue.get(structure_id).insertions)
    ]
    assert len(found) == 4, found
    return found


@pytest.fixture(scope="module")
def foot_bones(geometry) -> list[str]:
    """The bones the toe joint turns against: the metatarsals and the phalanges."""
    return [b for b, body in geometry.bodies.items() if b in geometry.bones and (body == "toes" or "metatarsal" in b)]


@pytest.mark.parametrize("pose", TOE_POSES, ids=_pose_id)
def test_tendons_bend_round_the_toe_joint_not_through_its_bones(
    model, geometry, deepest_in_bone, on_toes, foot_bones, pose
):
    result = model.pose(pose)
    points = geometry.soft_points(result)
    deep = {}
    for structure_id in on_toes:
        depth, bone = deepest_in_bone(points[structure_id], result, foot_bones)
        if depth > MAX_DEPTH:
            deep[structure_id] = f"{depth * 1e3:.2f} mm inside the {bone}"
    assert not deep, f"at most {MAX_DEPTH * 1e3:.1f} mm inside a metatarsal or phalanx: {deep}"


@pytest.mark.parametrize("pose", TOE_POSES, ids=_pose_id)
def test_tendons_end_on_their_toes_and_do_not_fold_as_the_toes_move(model, geometry, on_toes, pose):
    """Every vertex within 5 mm of an insertion on the toes at rest moves with the toes (the tubes' ends and the
    slips' alike), and no mesh crosses itself where it bends round the joint."""
    rest_result, result = model.pose(Pose()), model.pose(pose)
    rest, points = geometry.soft_points(rest_result), geometry.soft_points(result)
    before, after = rest_result.body_transforms["toes"], result.body_transforms["toes"]
    carry = after @ np.linalg.inv(before)
    for structure_id in on_toes:
        ends = np.array(
            [
                model.attachment_world(rest_result, a)
                for a in model.catalogue.get(structure_id).insertions
                if model.catalogue.body_of(a.bone) == "toes"
            ]
        )
        near = np.linalg.norm(rest[structure_id][:, None, :] - ends[None, :, :], axis=2).min(axis=1) < 5e-3
        assert near.sum() >= 16 * len(ends), structure_id  # at least a ring at each end
        carried = rest[structure_id][near] @ carry[:3, :3].T + carry[:3, 3]
        off = float(np.linalg.norm(points[structure_id][near] - carried, axis=1).max())
        assert off <= END_SLACK, f"{structure_id}'s ends are {off * 1e3:.2f} mm off the toes"
        posed = trimesh.Trimesh(points[structure_id], geometry.soft[structure_id].faces, process=False)
        assert surface_problems(posed) == [], structure_id
