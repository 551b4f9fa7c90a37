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
