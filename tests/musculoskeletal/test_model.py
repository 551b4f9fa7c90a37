"""Posing MyoLeg: the bones turn about the right axes and the calf muscles change length as anatomy says."""

from __future__ import annotations

import mujoco
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


@pytest.mark.parametrize("pose", [Pose(), Pose(plantarflexion=40, knee_flexion=120), Pose(-30, 60, -20, 30)])
def test_from_right_leg_takes_every_right_body_onto_the_left_one(pose):
    """The left leg is the right one mirrored across x and turned as MyoLeg turns its whole left leg (0.091 degrees
    about the vertical): one transform for every body in every pose, read from the femurs at the neutral hip."""
    left, right = MusculoskeletalModel("left"), shared_model("right")
    to_left = left.from_right_leg()
    assert np.allclose(right.from_right_leg(), np.eye(4))
    mirror_z = np.diag([1.0, 1.0, -1.0, 1.0])  # MyoLeg's left body frames mirror the right's across z
    left_bodies, right_bodies = left.pose(pose).body_transforms, right.pose(pose).body_transforms
    for body, transform in right_bodies.items():
        assert np.allclose(to_left @ transform @ mirror_z, left_bodies[body], atol=1e-7), body
    turn = np.diag([-1.0, 1.0, 1.0]) @ to_left[:3, :3]  # what is left of it once the mirror is taken off
    angle = np.degrees(np.arccos(np.clip((np.trace(turn) - 1.0) / 2.0, -1.0, 1.0)))
    assert 0.05 < angle < 0.15


# --- the subtalar and toe joints ----------------------------------------------------------------------------------
#: The sign a catalogue movement gives the moment arm at its joint (the Pose conventions: + plantarflexes the ankle,
#: flexes the knee, inverts the foot, flexes the toes). Rotations have no joint of their own in MyoLeg.
MOVEMENT_SIGN = {
    ("ankle", "plantarflexion"): 1,
    ("ankle", "dorsiflexion"): -1,
    ("knee", "flexion"): 1,
    ("knee", "extension"): -1,
    ("subtalar", "inversion"): 1,
    ("subtalar", "eversion"): -1,
    ("toes", "flexion"): 1,
    ("toes", "extension"): -1,
}


def _raw_length(model: MusculoskeletalModel, muscle: str, qpos: dict[str, float]) -> float:
    """The muscle's length straight from mujoco, on a data of its own, with MyoLeg's joints (radians, MyoLeg's own
    signs) set by name: nothing of ``MusculoskeletalModel.pose`` is used."""
    m = model.model
    data = mujoco.MjData(m)
    data.qpos[:] = m.qpos0
    for joint, value in qpos.items():
        data.qpos[m.joint(f"{joint}{model.suffix}").qposadr[0]] = value
    # MyoLeg's knee equalities: each coupled joint is a quartic in the knee angle (joint 1 = poly(joint 2)).
    knee = m.joint(f"knee_angle{model.suffix}")
    for eq in range(m.neq):
        if m.eq_type[eq] == mujoco.mjtEq.mjEQ_JOINT and m.eq_obj2id[eq] == knee.id:
            angle = data.qpos[knee.qposadr[0]]
            data.qpos[m.jnt_qposadr[m.eq_obj1id[eq]]] = sum(m.eq_data[eq, i] * angle**i for i in range(5))
    mujoco.mj_kinematics(m, data)
    mujoco.mj_comPos(m, data)
    mujoco.mj_tendon(m, data)
    return float(data.ten_length[m.tendon(model.tendon_name(muscle)).id])


def _direction(model: MusculoskeletalModel, joint: str) -> int:
    """The sign of MyoLeg's ``joint`` angle that is the Pose's positive movement, found from the bones: inversion
    turns the calcaneus' sole (-y in its frame) towards the midline; toe flexion lowers the big toe's tip."""
    m = model.model
    data = mujoco.MjData(m)
    medial = 1.0 if model.side == "right" else -1.0

    def probe(value: float) -> float:
        data.qpos[:] = m.qpos0
        data.qpos[m.joint(f"{joint}{model.suffix}").qposadr[0]] = value
        mujoco.mj_kinematics(m, data)
        if joint == "subtalar_angle":
            rotation = data.xmat[m.body(f"calcn{model.suffix}").id].reshape(3, 3)
            return medial * float((rotation @ np.array([0.0, -1.0, 0.0]))[0])  # how medially the sole faces
        return -float(data.site_xpos[m.site(f"fhl-P7{model.suffix}").id][2])  # how far down the toe tip is

    return 1 if probe(0.1) > probe(-0.1) else -1


@pytest.mark.parametrize("side", ["right", "left"])
@pytest.mark.parametrize(
    "pose", [Pose(), Pose(plantarflexion=20, knee_flexion=30, subtalar=10, toes=-15), Pose(-20, 60, -12, 20)]
)
def test_foot_moment_arms_match_a_finite_difference_of_mujocos_length(side, pose):
    """Every muscle's subtalar and toe arm is minus the derivative of its length (mujoco's own, on a fresh data)
    along the anatomical movement the Pose calls positive, found from how the bones move."""
    model = shared_model("right") if side == "right" else MusculoskeletalModel("left")
    result = model.pose(pose)
    base = {
        "knee_angle": np.radians(pose.knee_flexion),
        "ankle_angle": -np.radians(pose.plantarflexion),  # MyoLeg's ankle is dorsiflexion-positive (tested above)
        "subtalar_angle": np.radians(pose.subtalar),
        "mtp_angle": np.radians(pose.toes),
    }
    step = 1e-4
    for joint, attribute in (("subtalar_angle", "moment_arm_subtalar"), ("mtp_angle", "moment_arm_toes")):
        direction = _direction(model, joint)
        # Along the positive movement: the MyoLeg angle moves by direction x step.
        for muscle, path in result.muscles.items():
            # The pose's angles reach mujoco as MyoLeg's (toes and subtalar with MyoLeg's own signs).
            assert _raw_length(model, muscle, base) == pytest.approx(path.length, abs=1e-9), muscle
            up = _raw_length(model, muscle, {**base, joint: base[joint] + direction * step})
            down = _raw_length(model, muscle, {**base, joint: base[joint] - direction * step})
            numeric = -(up - down) / (2 * step)
            assert getattr(path, attribute) == pytest.approx(numeric, abs=2e-5), (muscle, joint)


def test_every_catalogue_action_has_the_sign_of_its_moment_arm(model, catalogue):
    """Each movement the catalogue (Gray's 42e, Moore 9e) says a muscle makes is what the model's moment arm at
    that joint does: tibialis posterior inverts (+ subtalar), the long toe flexors flex the toes (+ toes), every
    plantarflexor has + ankle, every knee flexor + knee; a dorsiflexor would have - ankle, an evertor - subtalar, a
    toe extensor - toes. Checked in neutral and in a pose with every joint moved."""
    checked = set()
    for pose in (Pose(), Pose(plantarflexion=15, knee_flexion=30, subtalar=-8, toes=10)):
        result = model.pose(pose)
        for muscle_id, path in result.muscles.items():
            for action in catalogue.get(muscle_id).actions:
                sign = MOVEMENT_SIGN.get((action.joint, action.movement))
                if sign is None:
                    continue  # the knee's rotations: MyoLeg has no joint for them
                assert action.joint in path.crosses, (muscle_id, action.joint)
                arm = getattr(path, f"moment_arm_{action.joint}")
                assert sign * arm > 0.001, (muscle_id, action.joint, action.movement, arm, pose)
                checked.add((muscle_id, action.joint))
    assert {("tibialis_posterior", "subtalar"), ("flexor_hallucis_longus", "toes")} <= checked
    assert {("flexor_digitorum_longus", "toes"), ("soleus", "ankle"), ("popliteus", "knee")} <= checked


def test_the_joints_each_muscle_crosses(model):
    """Read from where each path's points sit: the soleus crosses the ankle and subtalar joints but no toe joint,
    so its toe arm is exactly 0 (not a rounding of one); the long toe flexors cross the toes; popliteus only the
    knee."""
    expected = {
        "gastrocnemius_medial_head": ("ankle", "knee", "subtalar"),
        "gastrocnemius_lateral_head": ("ankle", "knee", "subtalar"),
        "plantaris": ("ankle", "knee", "subtalar"),
        "soleus": ("ankle", "subtalar"),
        "tibialis_posterior": ("ankle", "subtalar"),
        "flexor_digitorum_longus": ("ankle", "subtalar", "toes"),
        "flexor_hallucis_longus": ("ankle", "subtalar", "toes"),
        "popliteus": ("knee",),
    }
    result = model.pose(Pose(plantarflexion=10, knee_flexion=40, subtalar=5, toes=-10))
    for muscle_id, joints in expected.items():
        path = result.muscles[muscle_id]
        assert path.crosses == joints == model.crosses(muscle_id), muscle_id
        assert tuple(path.arms) == joints
        for joint in ("ankle", "knee", "subtalar", "toes"):
            if joint not in joints:
                assert getattr(path, f"moment_arm_{joint}") == 0.0, (muscle_id, joint)
    soleus = result.muscles["soleus"]
    assert soleus.moment_arm_toes == 0.0 and "toes" not in soleus.arms
    lengths = [model.pose(Pose(toes=t)).muscles["soleus"].length for t in (-30, 0, 30)]
    assert max(lengths) - min(lengths) < 1e-12


def test_left_leg_foot_arms_mirror_the_right():
    left = MusculoskeletalModel("left")
    pose = Pose(plantarflexion=10, knee_flexion=20, subtalar=8, toes=-12)
    left_result, right_result = left.pose(pose), shared_model("right").pose(pose)
    for muscle in CALF_MUSCLES:
        for joint in ("subtalar", "toes"):
            right_arm = getattr(right_result.muscles[muscle], f"moment_arm_{joint}")
            left_arm = getattr(left_result.muscles[muscle], f"moment_arm_{joint}")
            assert left_arm == pytest.approx(right_arm, abs=5e-4), (muscle, joint)
