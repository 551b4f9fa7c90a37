"""The pose's four joints: the subtalar and toe joints move the foot's bones the way anatomy names them, the
muscles follow, and every angle is checked against the model's own range."""

from __future__ import annotations

import math

import mujoco
import numpy as np
import pytest

from calfviewer.errors import PoseError
from calfviewer.musculoskeletal import ANGLES, MusculoskeletalModel, Pose, shared_model
from calfviewer.musculoskeletal.pose import TOES_NOTE, angles_text, measurements_text


def _world(transform: np.ndarray, local: np.ndarray) -> np.ndarray:
    return transform[:3, :3] @ local + transform[:3, 3]


def _rotation_angle(a: np.ndarray, b: np.ndarray) -> float:
    """Degrees between two body orientations."""
    relative = b[:3, :3] @ a[:3, :3].T
    return math.degrees(math.acos(min(1.0, max(-1.0, (np.trace(relative) - 1) / 2))))


def _toe_tip(result, model: MusculoskeletalModel) -> np.ndarray:
    """The end of MyoLeg's flexor hallucis longus path (site ``fhl-P7``, its insertion under the big toe)."""
    body, local = model.site_local("fhl-P7")
    assert body == "toes"
    return _world(result.body_transforms[body], local)


def test_the_pose_has_four_angles_in_order():
    assert ANGLES == ("plantarflexion", "knee_flexion", "subtalar", "toes")
    assert Pose() == Pose(0, 0, 0, 0)
    # Positional callers from before the toe joint still mean what they meant.
    assert Pose(20, 30) == Pose(plantarflexion=20, knee_flexion=30, subtalar=0, toes=0)


@pytest.mark.parametrize(
    ("angle", "joint", "sign"),
    [("subtalar", "subtalar_angle", 1), ("toes", "mtp_angle", 1), ("plantarflexion", "ankle_angle", -1)],
)
def test_ranges_come_from_the_model(model, angle, joint, sign):
    """Each range is the model joint's own, read here straight from mujoco (toes: MyoLeg's mtp_angle, whose
    positive direction is flexion as in Pose; the ankle: MyoLeg's dorsiflexion-positive ankle_angle)."""
    low, high = (math.degrees(v) for v in model.model.joint(f"{joint}{model.suffix}").range)
    expected = sorted((sign * low, sign * high))
    assert (model.ranges[angle].low, model.ranges[angle].high) == pytest.approx(expected)
    assert model.ranges["toes"].low == pytest.approx(-30, abs=1e-3)
    assert model.ranges["toes"].high == pytest.approx(30, abs=1e-3)


@pytest.mark.parametrize(
    ("pose", "words"),
    [
        (Pose(subtalar=25), "subtalar inversion 25° is out of range: use -20 to 20"),
        (Pose(subtalar=-21), "-20 to 20"),
        (Pose(toes=31), "toe flexion 31° is out of range: use -30 to 30"),
        (Pose(toes=-45), "-30 to 30"),
        (Pose(toes="up"), "toe flexion must be a number"),  # type: ignore[arg-type]
        (Pose(subtalar=float("inf")), "finite"),
    ],
)
def test_check_pose_refuses_subtalar_and_toes_out_of_range(model, pose, words):
    with pytest.raises(PoseError, match=words):
        model.check_pose(pose)
    with pytest.raises(PoseError, match=words):
        model.pose(pose)


def test_check_pose_keeps_every_angle(model):
    pose = model.check_pose(Pose(plantarflexion="-10", knee_flexion=30, subtalar="15", toes="−20"))  # type: ignore[arg-type]
    assert pose == Pose(plantarflexion=-10, knee_flexion=30, subtalar=15, toes=-20)
    assert model.pose(Pose(subtalar=20, toes=-30)).pose == Pose(subtalar=20, toes=-30)


@pytest.mark.parametrize("side", ["right", "left"])
def test_inversion_turns_the_sole_towards_the_midline(side):
    """Posing the subtalar joint turns the calcaneus and everything distal to it (the toes), not the talus or the
    tibia; inversion turns the sole medially, eversion laterally (Gray's 42e: inversion raises the medial border
    of the foot)."""
    model = shared_model("right") if side == "right" else MusculoskeletalModel("left")
    rest, inverted, everted = (model.pose(Pose(subtalar=s)) for s in (0, 15, -15))
    for stem in ("femur", "tibia", "talus"):
        assert np.allclose(rest.body_transforms[stem], inverted.body_transforms[stem]), stem
    for stem in ("calcn", "toes"):
        assert _rotation_angle(rest.body_transforms[stem], inverted.body_transforms[stem]) == pytest.approx(15, abs=0.2)
    # The sole's normal points down at rest; its sideways part is towards the midline (medial) in inversion.
    # The right leg's medial side is world +x, the left leg's -x (the legs sit either side of the pelvis).
    medial = 1.0 if side == "right" else -1.0
    down = np.array([0.0, -1.0, 0.0])  # minus the calcaneus body's superior axis (OpenSim: y superior)
    sole_rest = rest.body_transforms["calcn"][:3, :3] @ down
    sole_in = inverted.body_transforms["calcn"][:3, :3] @ down
    sole_out = everted.body_transforms["calcn"][:3, :3] @ down
    assert sole_rest[2] < -0.99
    assert medial * sole_in[0] > 0.15
    assert medial * sole_out[0] < -0.15


@pytest.mark.parametrize("side", ["right", "left"])
def test_toe_flexion_curls_the_toes_down_and_extension_lifts_them(side):
    """Only the toes body moves; flexion lowers the tip of the big toe, extension raises it."""
    model = shared_model("right") if side == "right" else MusculoskeletalModel("left")
    rest, flexed, extended = (model.pose(Pose(toes=t)) for t in (0, 25, -25))
    for stem in ("tibia", "talus", "calcn"):
        assert np.allclose(rest.body_transforms[stem], flexed.body_transforms[stem]), stem
    assert _rotation_angle(rest.body_transforms["toes"], flexed.body_transforms["toes"]) == pytest.approx(25, abs=0.2)
    tip = {name: _toe_tip(result, model) for name, result in (("rest", rest), ("in", flexed), ("up", extended))}
    assert tip["in"][2] < tip["rest"][2] - 0.005
    assert tip["up"][2] > tip["rest"][2] + 0.005


def test_muscles_follow_the_foot_bones(model):
    """A toe flexor's end rides on the toes body and a foot muscle's end on the calcaneus: the drawn path's last
    point moves with the bone, and muscles that end above the joint keep their paths."""
    rest = model.pose(Pose())
    flexed = model.pose(Pose(toes=25))
    inverted = model.pose(Pose(subtalar=15))
    assert np.allclose(flexed.muscles["flexor_hallucis_longus"].points[-1], _toe_tip(flexed, model))
    assert not np.allclose(
        flexed.muscles["flexor_hallucis_longus"].points[-1], rest.muscles["flexor_hallucis_longus"].points[-1]
    )
    assert np.allclose(flexed.muscles["soleus"].points, rest.muscles["soleus"].points)
    assert np.allclose(inverted.muscles["popliteus"].points, rest.muscles["popliteus"].points)
    # The soleus ends on the calcaneus, which inversion turns.
    assert np.linalg.norm(inverted.muscles["soleus"].points[-1] - rest.muscles["soleus"].points[-1]) > 0.002


def test_the_toes_joint_is_the_models_only_toe_joint(model):
    """One joint for all five toes, which is what the note says."""
    m = model.model
    toe_joints = [
        m.joint(j).name
        for j in range(m.njnt)
        if m.body(int(m.jnt_bodyid[j])).name == f"toes{model.suffix}" and m.jnt_type[j] == mujoco.mjtJoint.mjJNT_HINGE
    ]
    assert toe_joints == [f"mtp_angle{model.suffix}"]
    assert "one toe joint for all five toes" in TOES_NOTE


def test_angles_text_lists_every_joint():
    text = angles_text(Pose(plantarflexion=-20, knee_flexion=30, subtalar=12.5, toes=-30))
    assert "plantarflexion -20.0°" in text and "knee flexion  30.0°" in text
    assert "inversion  12.5°" in text and "toe flexion -30.0°" in text
    assert len(angles_text(Pose())) == len(text)  # neutral or not, the line keeps its length


def test_measurements_text_shows_the_arms_it_is_given():
    text = measurements_text(Pose(), 0.35, 0.0137, 0.0, arms={"ankle": 0.0137, "subtalar": 0.0147, "toes": 0.0058})
    lines = text.splitlines()
    assert "Moment arm, ankle    +13.7 mm (+ plantarflexes)" in lines
    assert "Moment arm, subtalar +14.7 mm (+ inverts)" in lines
    assert "Moment arm, toes      +5.8 mm (+ flexes the toes)" in lines
    assert not any("knee" in line and "Moment arm" in line for line in lines)
    assert lines[-1] == TOES_NOTE
    # Without arms, the ankle and knee as before, and no toes note.
    old = measurements_text(Pose(), 0.4, 0.04, 0.02).splitlines()
    assert old[2:] == ["Moment arm, ankle    +40.0 mm (+ plantarflexes)", "Moment arm, knee     +20.0 mm (+ flexes)"]
