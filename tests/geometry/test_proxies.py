"""The bone proxies (:mod:`calfviewer.geometry.proxies`): posed muscles stay outside the real bone surfaces where
they come closest, and a proxy is skipped only where switching it on would move little."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from calfviewer.geometry.deformer import MuscleDeformer
from calfviewer.geometry.proxies import BONE_PROXIES
from calfviewer.musculoskeletal import Pose

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


@pytest.mark.parametrize("pose", list(CLEARANCE_POSES.values()), ids=list(CLEARANCE_POSES))
def test_no_vertex_more_than_2_mm_inside_a_bone(model, geometry, deepest_in_bone, pose):
    result = model.pose(pose)
    for structure_id, points in geometry.soft_points(result).items():
        depth, bone = deepest_in_bone(points, result)
        assert depth <= 2e-3, f"{structure_id} is {depth * 1e3:.1f} mm inside the {bone}"


GATED = [i for i, proxy in enumerate(BONE_PROXIES) if proxy.engage]


@pytest.mark.parametrize("index", GATED, ids=[BONE_PROXIES[i].name for i in GATED])
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


def test_proxies_without_an_engage_are_out_of_play_at_rest_and_in_plantarflexion(model):
    """Those gated by their fades alone (the dorsiflexed soleus sets) cost nothing where the app spends most frames:
    at rest and with the foot pointed, at any knee angle."""
    ungated = [proxy for proxy in BONE_PROXIES if not proxy.engage]
    assert ungated, "no proxy is gated by its fade alone: nothing to check"
    for pose in (Pose(), Pose(0, 120), Pose(40, 60, 20), Pose(20, 0, -20)):
        result = model.pose(pose)
        playing = [proxy.name for proxy in ungated if proxy.engaged(result) > 0.0]
        assert not playing, f"in play at {pose}: {playing}"


def test_some_soleus_set_is_wholly_in_play_at_every_ankle_angle(model):
    """The soleus's stand-ins hand over from the rest set to the dorsiflexed ones with overlapping fades: a ring takes
    the largest move of the proxies in play, so two sets each half in play would leave plantaris half-way into the
    soleus (4 % of it with the knee bent 120 degrees and the foot dorsiflexed 10, before the overlap)."""
    soleus = [proxy for proxy in BONE_PROXIES if proxy.name.startswith("back of the soleus")]
    low, high = model.ranges["plantarflexion"].low, model.ranges["plantarflexion"].high
    for angle in np.arange(low, high + 0.01, 0.5):
        result = model.pose(Pose(float(angle), 90))
        best = max(proxy.engaged(result) for proxy in soleus)
        assert best == pytest.approx(1.0), f"no soleus stand-in wholly in play at {angle:g} degrees ({best:.2f})"
