"""Motions are pure functions of time: looping, holding, easing and the per-muscle actions."""

from __future__ import annotations

import pytest

from calfviewer.anatomy import load_catalogue
from calfviewer.anatomy.catalogue import JOINTS, MOVEMENTS, Action, Structure
from calfviewer.musculoskeletal import ANGLES, Pose
from calfviewer.musculoskeletal.motion import ACTION_POSES, MOTIONS, Motion, action_motion, action_movements


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


def test_standard_motions_stay_in_the_model_range(model):
    for motion in MOTIONS.values():
        for step in range(101):
            pose = motion.pose_at(motion.duration * step / 100)
            assert model.check_pose(pose) == pose, motion.id  # every angle, the model's own ranges
            assert -30 <= pose.plantarflexion <= 40 and 0 <= pose.knee_flexion <= 120, motion.id


def _extremes(motion: Motion, angle: str) -> tuple[float, float]:
    values = [getattr(motion.pose_at(motion.duration * step / 200, loop=False), angle) for step in range(201)]
    return min(values), max(values)


def test_every_joint_motion_is_offered():
    """The animation bar offers dorsiflexion, inversion and eversion, and toe flexion and extension, besides the
    motions it had; each moves only its own joint."""
    assert {"plantarflexion", "knee_flexion", "heel_raise"} <= set(MOTIONS)
    dorsiflexion = MOTIONS["dorsiflexion"]
    assert _extremes(dorsiflexion, "plantarflexion") == (pytest.approx(-25), 0)
    subtalar = MOTIONS["inversion_eversion"]
    assert _extremes(subtalar, "subtalar") == (pytest.approx(-20), pytest.approx(20))
    toes = MOTIONS["toe_flexion_extension"]
    assert _extremes(toes, "toes") == (pytest.approx(-30), pytest.approx(30))
    assert toes.moves_toes and "all five toes" in toes.label and "one toe joint" in toes.note
    for motion, own in ((dorsiflexion, "plantarflexion"), (subtalar, "subtalar"), (toes, "toes")):
        for angle in ANGLES:
            if angle != own:
                assert _extremes(motion, angle) == (0, 0), (motion.id, angle)
    assert not any(m.moves_toes for m in MOTIONS.values() if m is not toes)


def test_pose_at_eases_every_angle():
    motion = Motion("m", "m", (Pose(), Pose(plantarflexion=-20, knee_flexion=40, subtalar=10, toes=-30)), 1.0)
    middle = motion.pose_at(0.5)
    expected = {"plantarflexion": -10, "knee_flexion": 20, "subtalar": 5, "toes": -15}
    assert {angle: getattr(middle, angle) for angle in ANGLES} == pytest.approx(expected)


def _peaks(motion: Motion) -> list[Pose]:
    """The key poses away from neutral, in the order the motion plays them."""
    return [key for key in motion.keys if key != Pose()]


def test_clicked_muscles_play_every_movement_of_their_catalogue_actions():
    """Tibialis posterior inverts then plantarflexes (its catalogue order: main action first); the long toe flexors
    curl the toes and plantarflex; the motion starts and ends in neutral and passes through it between movements."""
    catalogue = load_catalogue()
    tibialis = action_motion(catalogue.get("tibialis_posterior"))
    assert tibialis is not None
    assert _peaks(tibialis) == [Pose(subtalar=20), Pose(plantarflexion=35)]
    assert tibialis.keys[0] == tibialis.keys[-1] == Pose() and not tibialis.moves_toes and tibialis.note == ""
    for flexor in ("flexor_digitorum_longus", "flexor_hallucis_longus"):
        motion = action_motion(catalogue.get(flexor))
        assert motion is not None
        assert _peaks(motion) == [Pose(toes=30), Pose(plantarflexion=35)], flexor
        assert motion.moves_toes and "all five toes" in motion.note
    assert action_movements(catalogue.get("popliteus")) == (("knee", "flexion"),)  # its rotation has no joint


def _structure(actions: tuple[tuple[str, str], ...]) -> Structure:
    """A muscle as the catalogue would hold one (only its actions matter to the motion)."""
    return Structure(
        id="test_muscle",
        name="Test muscle",
        latin="Musculus testis",
        kind="muscle",
        layer="superficial",
        summary="A muscle made for this test.",
        sources=("gray42",),
        actions=tuple(Action(joint, movement, "a movement") for joint, movement in actions),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("actions", "peaks"),
    [
        # As the anterior and lateral muscles' catalogue entries will say: tibialis anterior dorsiflexes and inverts,
        # the fibulares evert (and weakly plantarflex), the long extensors extend the toes and dorsiflex.
        ((("ankle", "dorsiflexion"), ("subtalar", "inversion")), [Pose(plantarflexion=-25), Pose(subtalar=20)]),
        ((("subtalar", "eversion"), ("ankle", "plantarflexion")), [Pose(subtalar=-20), Pose(plantarflexion=35)]),
        ((("toes", "extension"), ("ankle", "dorsiflexion")), [Pose(toes=-30), Pose(plantarflexion=-25)]),
        ((("knee", "medial rotation"),), None),
    ],
)
def test_every_joint_movement_of_the_catalogue_can_be_played(actions, peaks, model):
    motion = action_motion(_structure(actions))
    if peaks is None:
        assert motion is None
        return
    assert motion is not None and _peaks(motion) == peaks
    assert motion.moves_toes == any(joint == "toes" for joint, _ in actions)
    for key in motion.keys:
        assert model.check_pose(key) == key


@pytest.mark.parametrize(
    ("structure_id", "first"),
    [
        # Issue 21: "tibialis anterior dorsiflexes and inverts, the fibulares evert, extensor hallucis longus extends
        # the big toe" (the model's one toe joint moves all five toes).
        ("tibialis_anterior", [Pose(plantarflexion=-25), Pose(subtalar=20)]),
        ("fibularis_longus", [Pose(subtalar=-20)]),
        ("fibularis_brevis", [Pose(subtalar=-20)]),
        ("extensor_hallucis_longus", [Pose(toes=-30)]),
        ("extensor_digitorum_longus", [Pose(toes=-30)]),
    ],
)
def test_a_click_on_a_front_or_side_muscle_plays_its_main_actions_first(structure_id, first):
    motion = action_motion(load_catalogue().get(structure_id))
    assert motion is not None
    assert _peaks(motion)[: len(first)] == first, structure_id
    assert motion.keys[0] == motion.keys[-1] == Pose()
    assert motion.moves_toes == ("all five toes" in motion.note)


def test_every_catalogue_movement_has_a_pose_or_is_said_to_have_none():
    """Every (joint, movement) the catalogue may name either plays or is one the model cannot show."""
    playable = set(ACTION_POSES)
    unplayable = {
        ("knee", "medial rotation"),
        ("knee", "lateral rotation"),
        ("knee", "extension"),  # no muscle of the leg extends the knee; its neutral is the straight knee
    }
    for joint, movement, pose in ((j, m, p) for (j, m), p in ACTION_POSES.items()):
        assert joint in JOINTS and movement in MOVEMENTS
        assert pose != Pose()
    named = {(a.joint, a.movement) for s in load_catalogue().structures for a in s.actions}
    assert named <= playable | unplayable


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


@pytest.mark.parametrize("motion_id", list(MOTIONS))
def test_time_of_finds_the_time_of_every_pose_the_motion_shows(motion_id):
    """The inverse of pose_at, which a timeline needs to show a leg posed by other means (undo, a bookmark)."""
    motion = MOTIONS[motion_id]
    for step in range(97):
        t = motion.duration * step / 96
        pose = motion.pose_at(t, loop=False)
        found = motion.time_of(pose, near=t)
        assert 0.0 <= found <= motion.duration
        assert found == pytest.approx(t, abs=1e-6), (motion_id, t)  # the time it was shown at, of the times it is


def test_time_of_chooses_among_the_times_a_pose_is_shown_the_one_nearest():
    motion = MOTIONS["plantarflexion"]  # 0, 40, 0, -20, 0 degrees, 1.2 s apart
    assert motion.time_of(Pose(), near=0.65) == 0.0
    assert motion.time_of(Pose(), near=2.0) == pytest.approx(2.4)
    assert motion.time_of(Pose(), near=4.5) == pytest.approx(4.8)
    rising, falling = motion.time_of(Pose(plantarflexion=20), near=0.0), motion.time_of(Pose(plantarflexion=20), near=2)
    assert rising == pytest.approx(0.6) and falling == pytest.approx(1.8)  # half way in time is half way in angle


def test_time_of_a_pose_the_motion_never_shows_is_that_of_the_nearest_it_does():
    motion = MOTIONS["plantarflexion"]
    # The knee bent: the plantarflexion motion keeps it straight; the ankle's 20 degrees is the nearest it comes.
    t = motion.time_of(Pose(plantarflexion=20, knee_flexion=30), near=0.0)
    assert t == pytest.approx(0.6) and motion.pose_at(t).plantarflexion == pytest.approx(20)
    assert motion.time_of(Pose(plantarflexion=-30), near=0.0) == pytest.approx(3.6)  # past its end: that end
    assert Motion("still", "still", (Pose(toes=10),)).time_of(Pose()) == 0.0
