"""Posing MyoLeg: the bones turn about the right axes and the calf muscles change length as anatomy says."""

from __future__ import annotations

import numpy as np
import pytest

from calfviewer.errors import PoseError
from calfviewer.musculoskeletal import BODIES, MusculoskeletalModel, Pose, shared_model

CALF_MUSCLES = (
    "gastrocnemius_medial_head",
    "gastrocnemius_lateral_head",
    "soleus",
    "plantaris",
    "popliteus",
    "tibialis_posterior",
    "flexor_digitorum_longus",
    "flexor_hallucis_longus",
)


def _point_in_world(transform: np.ndarray, local: np.ndarray) -> np.ndarray:
    return transform[:3, :3] @ local + transform[:3, 3]


def test_every_calf_muscle_has_a_path(model):
    result = model.pose(Pose())
    assert set(CALF_MUSCLES) <= set(result.muscles)
    for muscle_id, path in result.muscles.items():
        assert path.points.shape[1] == 3 and len(path.points) >= 2, muscle_id
        segment_sum = float(np.linalg.norm(np.diff(path.points, axis=0), axis=1).sum())
        # Wrapped arcs are sampled, so the polyline is a hair shorter than the true surface path.
        assert path.length == pytest.approx(segment_sum, rel=2e-3), muscle_id
        assert 0.03 < path.length < 0.7, muscle_id


def test_every_body_has_a_rigid_transform(model):
    result = model.pose(Pose(plantarflexion=20, knee_flexion=45))
    assert set(result.body_transforms) == set(BODIES)
    for stem, transform in result.body_transforms.items():
        rotation = transform[:3, :3]
        assert np.allclose(rotation @ rotation.T, np.eye(3), atol=1e-9), stem
        assert np.linalg.det(rotation) == pytest.approx(1.0), stem


def test_calcaneus_turns_about_the_ankle_axis(model):
    """Plantarflexion rotates the calcaneus about a fixed axis through the talocrural joint, leaving the tibia."""
    rest = model.pose(Pose())
    bent = model.pose(Pose(plantarflexion=30))
    assert np.allclose(rest.body_transforms["tibia"], bent.body_transforms["tibia"])
    relative = bent.body_transforms["calcn"] @ np.linalg.inv(rest.body_transforms["calcn"])
    angle = np.degrees(np.arccos((np.trace(relative[:3, :3]) - 1) / 2))
    assert angle == pytest.approx(30, abs=0.5)
    # The ankle axis runs roughly medio-laterally (world x): the rotation axis is mostly along x.
    rotation = relative[:3, :3]
    axis = np.array([rotation[2, 1] - rotation[1, 2], rotation[0, 2] - rotation[2, 0], rotation[1, 0] - rotation[0, 1]])
    axis /= np.linalg.norm(axis)
    assert abs(axis[0]) > 0.9
    # Points on the axis do not move: the talus origin lies on MyoLeg's ankle joint axis.
    talus_origin = rest.body_transforms["talus"][:3, 3]
    assert np.allclose(relative[:3, :3] @ talus_origin + relative[:3, 3], talus_origin, atol=1e-6)
    # Plantarflexion lifts the heel: the calcaneal tuberosity moves up and the toes move down.
    _, tuberosity = model.site_local("soleus-P2")
    heel_rest = _point_in_world(rest.body_transforms["calcn"], tuberosity)
    heel_bent = _point_in_world(bent.body_transforms["calcn"], tuberosity)
    assert heel_bent[2] > heel_rest[2] + 0.01
    assert bent.body_transforms["toes"][2, 3] < rest.body_transforms["toes"][2, 3] - 0.03


@pytest.mark.parametrize("head", ["gastrocnemius_medial_head", "gastrocnemius_lateral_head"])
def test_gastrocnemius_shortens_with_plantarflexion_and_with_knee_flexion(model, head):
    neutral = model.pose(Pose()).muscles[head]
    plantarflexed = model.pose(Pose(plantarflexion=30)).muscles[head]
    knee_flexed = model.pose(Pose(knee_flexion=60)).muscles[head]
    assert plantarflexed.length < neutral.length - 0.01
    assert knee_flexed.length < neutral.length - 0.005
    # A two-joint muscle: it plantarflexes the ankle and flexes the knee.
    assert neutral.moment_arm_ankle > 0.02
    assert knee_flexed.moment_arm_knee > 0.0


def test_soleus_ignores_the_knee(model):
    lengths = [model.pose(Pose(knee_flexion=k)).muscles["soleus"].length for k in (0, 45, 90, 120)]
    assert max(lengths) - min(lengths) < 1e-9
    assert model.pose(Pose(knee_flexion=60)).muscles["soleus"].moment_arm_knee == pytest.approx(0, abs=1e-9)
    assert model.pose(Pose()).muscles["soleus"].moment_arm_ankle > 0.02


@pytest.mark.parametrize("muscle", ["tibialis_posterior", "flexor_digitorum_longus", "flexor_hallucis_longus"])
def test_deep_flexors_plantarflex_but_do_not_cross_the_knee(model, muscle):
    result = model.pose(Pose(knee_flexion=30))
    assert result.muscles[muscle].moment_arm_ankle > 0.0
    assert result.muscles[muscle].moment_arm_knee == pytest.approx(0, abs=1e-9)


def test_popliteus_crosses_only_the_knee(model):
    result = model.pose(Pose(plantarflexion=10, knee_flexion=30))
    assert result.muscles["popliteus"].moment_arm_ankle == pytest.approx(0, abs=1e-9)
    assert result.muscles["popliteus"].length < 0.12


def test_plantaris_shortens_with_plantarflexion(model):
    assert model.pose(Pose(plantarflexion=30)).muscles["plantaris"].length < (
        model.pose(Pose()).muscles["plantaris"].length - 0.01
    )


def test_moment_arm_matches_a_finite_difference(model):
    """The analytic moment arm (through MyoLeg's coupled knee joints) agrees with -dL/dθ measured numerically."""
    step = 0.05
    for muscle in ("gastrocnemius_medial_head", "plantaris"):
        here = model.pose(Pose(plantarflexion=10, knee_flexion=40)).muscles[muscle]
        up = model.pose(Pose(plantarflexion=10, knee_flexion=40 + step)).muscles[muscle].length
        down = model.pose(Pose(plantarflexion=10, knee_flexion=40 - step)).muscles[muscle].length
        numeric_knee = -(up - down) / np.radians(2 * step)
        assert here.moment_arm_knee == pytest.approx(numeric_knee, abs=2e-4), muscle
        up = model.pose(Pose(plantarflexion=10 + step, knee_flexion=40)).muscles[muscle].length
        down = model.pose(Pose(plantarflexion=10 - step, knee_flexion=40)).muscles[muscle].length
        numeric_ankle = -(up - down) / np.radians(2 * step)
        assert here.moment_arm_ankle == pytest.approx(numeric_ankle, abs=2e-4), muscle


def test_knee_coupling_moves_tibia_and_patella_as_the_model_defines(model):
    """MyoLeg translates the tibia and swings the patella with knee angle; we apply its polynomials."""
    rest = model.pose(Pose())
    flexed = model.pose(Pose(knee_flexion=90))
    femur_inverse = np.linalg.inv(flexed.body_transforms["femur"])
    tibia_in_femur_rest = np.linalg.inv(rest.body_transforms["femur"]) @ rest.body_transforms["tibia"]
    tibia_in_femur = femur_inverse @ flexed.body_transforms["tibia"]
    shift = np.linalg.norm(tibia_in_femur[:3, 3] - tibia_in_femur_rest[:3, 3])
    assert 0.003 < shift < 0.03  # the tibia's knee translation, a few millimetres to centimetres
    patella_in_femur_rest = np.linalg.inv(rest.body_transforms["femur"]) @ rest.body_transforms["patella"]
    patella_in_femur = femur_inverse @ flexed.body_transforms["patella"]
    assert np.linalg.norm(patella_in_femur[:3, 3] - patella_in_femur_rest[:3, 3]) > 0.01


@pytest.mark.parametrize(
    ("pose", "words"),
    [
        (Pose(plantarflexion=55), "-30 to 40"),
        (Pose(plantarflexion=-31), "-30 to 40"),
        (Pose(knee_flexion=-5), "0 to 120"),
        (Pose(knee_flexion=121), "0 to 120"),
        (Pose(knee_flexion="abc"), "must be a number"),  # type: ignore[arg-type]
        (Pose(plantarflexion=float("nan")), "finite"),
    ],
)
def test_out_of_range_angles_name_the_range(model, pose, words):
    with pytest.raises(PoseError, match=words):
        model.pose(pose)


def test_range_ends_are_allowed(model):
    for pose in (Pose(plantarflexion=40, knee_flexion=120), Pose(plantarflexion=-30, knee_flexion=0)):
        assert model.pose(pose).pose == pose


def test_left_leg_mirrors_the_right():
    left = MusculoskeletalModel("left")
    right = shared_model("right")
    pose = Pose(plantarflexion=15, knee_flexion=30)
    left_result, right_result = left.pose(pose), right.pose(pose)
    for muscle in CALF_MUSCLES:
        assert left_result.muscles[muscle].length == pytest.approx(right_result.muscles[muscle].length, rel=2e-3)
    # The legs sit on either side of the pelvis: the right at world -x, the left at +x.
    assert right_result.body_transforms["tibia"][0, 3] < 0 < left_result.body_transforms["tibia"][0, 3]
