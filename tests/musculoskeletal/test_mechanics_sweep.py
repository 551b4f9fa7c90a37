"""musculoskeletal/sweep.py: every muscle's length and moment arms over a joint's range, equal to posing the model
one pose at a time (what ``calfviewer measure`` prints), with the model's own pose left alone.

(Named apart from tests/geometry/test_sweep.py: test modules without packages share one namespace.)"""

from __future__ import annotations

import numpy as np
import pytest

from calfviewer.errors import PoseError
from calfviewer.musculoskeletal import Pose
from calfviewer.musculoskeletal.sweep import (
    full_range,
    neutral_lengths,
    normalised_lengths,
    parse_sweep,
    sweep_joint,
    sweep_poses,
)


@pytest.mark.parametrize(
    ("joint", "held"),
    [("ankle", Pose(knee_flexion=35.0)), ("knee", Pose(plantarflexion=-12.0)), ("knee", Pose(plantarflexion=40.0))],
)
def test_a_sweep_equals_posing_one_pose_at_a_time(model, joint, held):
    angles = full_range(joint, model)
    sweep = sweep_joint(joint, angles, held, model)
    assert sweep.length.shape == (len(angles), len(model.muscle_ids))
    for index in (0, 17, len(angles) // 2, len(angles) - 1):
        result = model.pose(sweep.poses[index])
        for column, muscle_id in enumerate(sweep.muscle_ids):
            path = result.muscles[muscle_id]
            assert sweep.length[index, column] == path.length
            assert sweep.moment_arm_ankle[index, column] == path.moment_arm_ankle
            assert sweep.moment_arm_knee[index, column] == path.moment_arm_knee


def test_the_full_range_runs_end_to_end_in_half_degrees(model):
    ankle, knee = full_range("ankle", model), full_range("knee", model)
    assert (ankle[0], ankle[-1], len(ankle)) == (-30.0, 40.0, 141)
    assert (knee[0], knee[-1], len(knee)) == (0.0, 120.0, 241)
    assert np.allclose(np.diff(ankle), 0.5)


def test_a_sweep_leaves_the_models_current_pose_alone(model):
    before = model.pose(Pose(plantarflexion=25.0, knee_flexion=70.0))
    wrap_before = model.data.ten_length.copy()
    sweep_joint("knee", full_range("knee", model), Pose(), model)
    assert np.array_equal(model.data.ten_length, wrap_before)
    assert before.pose == Pose(plantarflexion=25.0, knee_flexion=70.0)


def test_normalised_length_is_one_at_neutral_and_follows_the_length(model):
    sweep = sweep_poses([Pose(), Pose(plantarflexion=40.0), Pose(plantarflexion=-30.0)], model)
    neutral = np.array([model.pose(Pose()).muscles[m].length for m in model.muscle_ids])
    assert np.array_equal(neutral_lengths(model), neutral)
    assert np.allclose(sweep.normalised_length[0], 1.0)
    soleus = sweep.column("soleus")
    assert sweep.normalised_length[1, soleus] < 1.0 < sweep.normalised_length[2, soleus]  # plantarflexed: shorter
    result = model.pose(Pose(plantarflexion=40.0))
    assert normalised_lengths(result, model)["soleus"] == pytest.approx(sweep.normalised_length[1, soleus])


def test_the_other_joint_is_held(model):
    sweep = sweep_joint("ankle", [-10.0, 0.0, 10.0], Pose(knee_flexion=80.0), model)
    assert [p.knee_flexion for p in sweep.poses] == [80.0, 80.0, 80.0]
    assert list(sweep.angles("ankle")) == [-10.0, 0.0, 10.0]


def test_out_of_range_poses_are_refused_naming_the_range(model):
    with pytest.raises(PoseError, match="0 to 120"):
        sweep_joint("knee", [0.0, 130.0], Pose(), model)


def test_a_sweep_spec_includes_its_stop_when_the_steps_reach_it(model):
    assert list(parse_sweep("ankle=-30:40:5", model).angles) == list(range(-30, 41, 5))
    assert list(parse_sweep("knee=0:120:10", model).angles) == list(range(0, 121, 10))
    assert list(parse_sweep("ankle=0:10:3", model).angles) == [0, 3, 6, 9]
    assert list(parse_sweep(" knee = 0 : 0.3 : 0.1 ", model).angles) == [0.0, 0.1, 0.2, 0.3]
    assert list(parse_sweep("ankle=5:5:1", model).angles) == [5.0]
