"""The rigs (:mod:`calfviewer.geometry.rig`): the soleus drawn up to its origin on the fibular head, the flexor
digitorum longus's slips to the lesser toes and under the foot bones."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from calfviewer.geometry import SceneGeometry
from calfviewer.geometry.clearance import exact_depth
from calfviewer.geometry.rig import path_start
from calfviewer.geometry.specs import SLIPS
from calfviewer.musculoskeletal import Pose


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
def test_slips_run_under_the_foot_bones_not_through_them(model, geometry, deepest_in_bone, pose):
    """The slips move rigidly with the foot, so the clearance they are built with (1 mm outside every bone) holds
    in every pose: none of their vertices is inside a bone (a straight line from the branch to a toe would cut
    through the metatarsals by several millimetres)."""
    result = model.pose(pose)
    slips = _slip_points(geometry, geometry.soft_points(result)[FDL])
    assert len(slips) > 0
    depth, bone = deepest_in_bone(slips, result)
    assert depth <= -0.5e-3, f"a slip is {depth * 1e3:.1f} mm inside the {bone}"


def test_belly_weights_leave_attachments_and_tendons_alone(geometry, tendon_id):
    rig = geometry.deformer.rigs["gastrocnemius_medial_head"]
    weights = rig.belly_weights(0.04, 0.06)
    assert weights.shape == (rig.rings,) and np.all((weights >= 0.0) & (weights <= 1.0))
    assert weights[0] == 0.0 and weights[-1] == 0.0  # origin and tendon end as designed
    assert np.all(weights[rig.guide[: rig.rings] > 0] == 0.0)  # tails that follow the calcaneal tendon
    belly = np.flatnonzero(rig.belly[: rig.rings] > 0)
    middle = belly[len(belly) // 2]
    assert weights[middle] == pytest.approx(1.0)
    # Fading over 4 cm below the belly's top: a ring 2 cm below it is part-way.
    below = rig.arc[: rig.rings] - rig.arc[belly[0]]
    partway = np.flatnonzero((below > 0.015) & (below < 0.025))
    assert len(partway) and np.all((weights[partway] > 0.0) & (weights[partway] < 1.0))
    assert not geometry.deformer.rigs[tendon_id].belly_weights(0.04, 0.06).any()
