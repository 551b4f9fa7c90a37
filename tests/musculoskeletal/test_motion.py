"""Motions are pure functions of time: looping, holding, easing and the per-muscle actions."""

from __future__ import annotations

import pytest

from calfviewer.anatomy import load_catalogue
from calfviewer.musculoskeletal import Pose
from calfviewer.musculoskeletal.motion import MOTIONS, Motion, action_motion


def test_motion_passes_through_its_keys_and_loops():
    motion = Motion("m", "m", (Pose(), Pose(plantarflexion=40), Pose()), leg_seconds=1.0)
    assert motion.duration == 2.0
    assert motion.pose_at(0.0) == Pose()
    assert motion.pose_at(1.0).plantarflexion == pytest.approx(40)
    assert motion.pose_at(0.5).plantarflexion == pytest.approx(20)
    assert motion.pose_at(3.0).plantarflexion == pytest.approx(40)  # looped: 3 s is 1 s into the next pass
    assert motion.pose_at(3.0, loop=False) == motion.pose_at(2.0)  # held at the end


def test_easing_starts_and_ends_slowly():
    motion = Motion("m", "m", (Pose(), Pose(knee_flexion=90)), leg_seconds=1.0)
    early = motion.pose_at(0.1).knee_flexion
    middle = motion.pose_at(0.5).knee_flexion
    assert early < 0.1 * 90 and middle == pytest.approx(45)


def test_standard_motions_stay_in_the_model_range():
    for motion in MOTIONS.values():
        for step in range(101):
            pose = motion.pose_at(motion.duration * step / 100)
            assert -30 <= pose.plantarflexion <= 40 and 0 <= pose.knee_flexion <= 120, motion.id


def test_actions_follow_the_catalogue():
    catalogue = load_catalogue()
    gastrocnemius = action_motion(catalogue.get("gastrocnemius_medial_head"))
    assert gastrocnemius is not None
    peaks = [gastrocnemius.pose_at(t, loop=False) for t in (0.9, 2.7)]
    assert peaks[0].plantarflexion > 30 and peaks[0].knee_flexion == 0  # first the ankle...
    assert peaks[1].knee_flexion > 60 and peaks[1].plantarflexion == 0  # ...then the knee
    soleus = action_motion(catalogue.get("soleus"))
    assert soleus is not None and max(k.knee_flexion for k in soleus.keys) == 0
    popliteus = action_motion(catalogue.get("popliteus"))
    assert popliteus is not None and max(k.plantarflexion for k in popliteus.keys) == 0
    assert action_motion(catalogue.get("calcaneal_tendon")) is not None
    assert action_motion(catalogue.get("tibia")) is None
