"""Pleats (a muscle's surface folded back on itself between two rings): found, relaxed away, and absent from the
stored rest meshes and the posed ones over the poses a student uses most."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from calfviewer.geometry import SceneGeometry, sweep
from calfviewer.geometry.pleats import pleat_edges, unpleated
from calfviewer.musculoskeletal import MusculoskeletalModel, Pose

RINGS, PER_RING, SPACING, RADIUS = 30, 24, 0.005, 0.01


def _tube() -> tuple[np.ndarray, np.ndarray]:
    """A straight round tube along z: 30 rings 5 mm apart, 1 cm radius."""
    angles = np.linspace(0.0, 2.0 * np.pi, PER_RING, endpoint=False)
    rings = np.stack(
        [
            np.column_stack([RADIUS * np.cos(angles), RADIUS * np.sin(angles), np.full(PER_RING, k * SPACING)])
            for k in range(RINGS)
        ]
    )
    return rings, sweep.TubeTopology.build(RINGS, PER_RING).faces


def _pleated() -> tuple[np.ndarray, np.ndarray]:
    """The tube with rings 12-18 folded round one place: each ring's vertex 5 moved on past vertex 6, so the outline
    runs 4, 5 (beyond 6), back to 6, on to 7 (a Z-fold), and the fold runs along the tube as a crease."""
    rings, faces = _tube()
    beyond = 2.0 * np.pi * (6 + 0.6) / PER_RING
    rings[12:19, 5, 0] = RADIUS * np.cos(beyond)
    rings[12:19, 5, 1] = RADIUS * np.sin(beyond)
    return sweep.with_caps(rings), faces


def test_a_smooth_tube_has_no_pleat_and_is_left_as_it_is() -> None:
    rings, faces = _tube()
    vertices = sweep.with_caps(rings)
    assert len(pleat_edges(trimesh.Trimesh(vertices, faces, process=False), RINGS, PER_RING)) == 0
    np.testing.assert_array_equal(unpleated(vertices, faces, RINGS, PER_RING), vertices)


def test_a_folded_outline_is_found_and_relaxed_away_locally() -> None:
    vertices, faces = _pleated()
    found = pleat_edges(trimesh.Trimesh(vertices, faces, process=False), RINGS, PER_RING)
    assert len(found) > 0
    assert set((found // PER_RING).ravel().tolist()) <= set(range(11, 20))
    assert set((found % PER_RING).ravel().tolist()) <= {4, 5, 6}

    fixed = unpleated(vertices, faces, RINGS, PER_RING)
    assert len(pleat_edges(trimesh.Trimesh(fixed, faces, process=False), RINGS, PER_RING)) == 0
    moved = np.linalg.norm(fixed - vertices, axis=1)
    ring = np.arange(RINGS * PER_RING) // PER_RING
    far = np.concatenate([np.abs(ring - 15) > 8, [True, True]])  # the caps' centres are never moved
    assert moved[far].max() == 0.0
    # Only the folded side moved: the opposite side of the rings round it keeps its place.
    column = np.arange(RINGS * PER_RING) % PER_RING
    opposite = np.concatenate([(column >= 9) & (column <= 20), [False, False]])
    assert moved[opposite].max() < 1e-9


def _pleats(geometry: SceneGeometry, points: dict[str, np.ndarray]) -> dict[str, int]:
    counts = {}
    for structure_id, vertices in points.items():
        rig = geometry.deformer.rigs[structure_id]
        mesh = trimesh.Trimesh(vertices, geometry.soft[structure_id].faces, process=False)
        found = len(pleat_edges(mesh, rig.rings, rig.topology.per_ring))
        if found:
            counts[structure_id] = found
    return counts


def test_no_stored_rest_mesh_has_a_pleat(geometry: SceneGeometry) -> None:
    """The lateral head of gastrocnemius (4) and fibularis longus (5) had pleats left by the drape and the packing."""
    assert _pleats(geometry, {k: mesh.vertices for k, mesh in geometry.soft.items()}) == {}


@pytest.mark.parametrize(
    "pose",
    [
        Pose(knee_flexion=45.0),
        Pose(knee_flexion=90.0),
        Pose(plantarflexion=40.0),
        Pose(plantarflexion=-30.0),
        Pose(knee_flexion=60.0, plantarflexion=-20.0),
        Pose(knee_flexion=105.0),
        Pose(knee_flexion=120.0),
        Pose(knee_flexion=120.0, plantarflexion=-30.0),
        Pose(knee_flexion=90.0, plantarflexion=40.0),
        Pose(knee_flexion=110.0, plantarflexion=35.0, subtalar=20.0),
        Pose(knee_flexion=120.0, plantarflexion=40.0),
    ],
    ids=[
        "knee45",
        "knee90",
        "pf40",
        "df30",
        "knee60-df20",
        "knee105",
        "knee120",
        "knee120-df30",
        "knee90-pf40",
        "knee110-pf35-inv20",
        "knee120-pf40",
    ],
)
def test_no_muscle_is_pleated_in_a_common_pose(
    geometry: SceneGeometry, model: MusculoskeletalModel, pose: Pose
) -> None:
    """The lateral head's rest pleat grew into a crumpled patch with the knee bent 90 degrees; with the knee bent
    105-120 degrees the heads' tops twisted and folded where their paths leave the femur (19-36 fold edges) until
    the ring frames followed the path (docs/geometry.md, Posing, "Frames that follow the path"); with the foot
    plantarflexed 30-40 too, the lateral head's shortened upper belly folded on its inner edge (1-2 fold edges) until
    its rings leaned off the path only as far as at rest ("Rings that lean as far as at rest")."""
    assert _pleats(geometry, geometry.soft_points(model.pose(pose))) == {}
