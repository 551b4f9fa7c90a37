"""Posing muscles together gives what posing each alone gives: no step of the sweep leaks across two rigs."""

import numpy as np
import pytest

from calfviewer.geometry.rig_batch import RigBatch
from calfviewer.musculoskeletal import Pose, shared_model


@pytest.fixture(scope="module")
def deformer():
    from calfviewer.geometry import load_scene_geometry

    return load_scene_geometry(shared_model("right")).deformer


@pytest.mark.parametrize("pose", [Pose(), Pose(plantarflexion=35, knee_flexion=70, subtalar=-15)])
def test_a_batch_of_all_muscles_matches_each_muscle_alone(deformer, pose):
    result = deformer.model.pose(pose)
    rotations = deformer.rotations(result)
    tendon = deformer.calcaneal_tendon(result, rotations)
    assert tendon is not None
    tendon_centre = tendon[1]
    muscles = [rig for key, rig in deformer.rigs.items() if key != deformer.tendon_id]
    batch = RigBatch(muscles)
    frames = batch.frames(deformer.ring_samples(batch, result), rotations, tendon_centre)
    scale = batch.belly_scale(frames)
    weights = batch.volume_weights(frames, scale)
    together = batch.place(frames, scale)
    assert len(muscles) >= 8
    for n, rig in enumerate(muscles):
        # A muscle whose belly follows another's where they meet (ShapeSpec.follows), or stays on another's back
        # (ShapeSpec.stays_on), is posed with those.
        alone = RigBatch([rig, *(deformer.rigs[other] for other in (rig.follows, rig.stays_on) if other)])
        own = alone.frames(deformer.ring_samples(alone, result), rotations, tendon_centre)
        rows, mine = slice(batch.starts[n], batch.starts[n + 1]), slice(0, rig.rings)
        for name in ("centre", "tangent", "normal", "binormal"):
            assert np.allclose(getattr(frames, name)[rows], getattr(own, name)[mine], atol=1e-12), (
                rig.structure_id,
                name,
            )
        own_scale = alone.belly_scale(own)
        assert np.allclose(scale[rows], own_scale[mine], atol=1e-12), rig.structure_id
        assert np.allclose(weights[rows], alone.volume_weights(own, own_scale)[mine], atol=1e-15), rig.structure_id
        assert np.allclose(together[n], alone.place(own, own_scale)[0], atol=1e-12), rig.structure_id


def test_belly_scaling_keeps_each_muscles_volume(deformer):
    """A muscle whose length the pose changed has its belly rescaled, and each keeps its rest volume."""
    result = deformer.model.pose(Pose(plantarflexion=40, knee_flexion=90))
    rotations = deformer.rotations(result)
    batch = RigBatch([rig for key, rig in deformer.rigs.items() if key != deformer.tendon_id])
    frames = batch.frames(
        deformer.ring_samples(batch, result), rotations, deformer.calcaneal_tendon(result, rotations)[1]
    )
    scale = batch.belly_scale(frames)
    rest = np.array([rig.rest_estimate for rig in batch.rigs])
    unscaled = batch.sums(batch.volume_weights(frames, None))
    kept = batch.sums(batch.volume_weights(frames, scale))
    assert np.any(np.abs(unscaled / rest - 1.0) > 0.02)  # the pose changed some muscle's length enough to matter
    assert np.allclose(kept / rest, 1.0, atol=0.01)
    assert np.any(np.abs(scale - 1.0) > 0.01)


def test_a_ring_leans_off_its_path_as_far_as_at_rest_however_long_the_path(deformer):
    """The tube's axis is offset from the path by a length that changes along the muscle; shortened by a third, the
    rings leaned half as far again as at rest, and the lateral head of gastrocnemius, whose centre runs 12.5 mm
    laterally down its upper belly, folded on its wide sheet's inner edge with the knee bent and the foot
    plantarflexed (docs/geometry.md, Posing, "Rings that lean as far as at rest"). Here its path laid straight along
    z with its rings 4 mm apart at rest, then 2.6 mm and 5 mm, the bones not turned: the posed rings' tangents lean
    off the path (across over along) exactly as far as at rest."""
    batch = RigBatch([deformer.rigs["gastrocnemius_lateral_head"]])
    k = batch.rigs[0].rings
    still = np.repeat(np.eye(3)[None], batch.weights.shape[1], axis=0)  # no frame body turned

    def path(spacing: float) -> np.ndarray:
        points = np.zeros((k, 3))
        points[:, 2] = spacing * np.arange(k)
        return points

    def lean(spacing: float) -> np.ndarray:
        """Each ring's axis tangent's slope off the path (x and y across over z along)."""
        tangent = batch.frames(path(spacing), still, None).tangent
        return tangent[:, :2] / tangent[:, 2:]

    batch.rest_step = None  # no rest known: each ring's tangent is the offset axis's own
    axis_tangents = batch.frames(path(0.004), still, None).tangent
    batch.rest_step = batch.steps(batch.path_centre(path(0.004), None))  # the path at 0.004 is the one at rest
    at_rest = lean(0.004)
    assert np.abs(at_rest).max() > 0.2  # the belly's offset runs across the path: its rings lean off it
    # At rest, exactly the axis's own tangent.
    np.testing.assert_array_equal(batch.frames(path(0.004), still, None).tangent, axis_tangents)
    for spacing in (0.0026, 0.005):
        np.testing.assert_allclose(lean(spacing), at_rest, rtol=1e-9, atol=1e-12)
