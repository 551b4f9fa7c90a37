"""The model's knee and ankle mechanics against anatomy texts and published regressions (docs/biomechanics.md).

Expected values come from the literature (signs from Gray's Anatomy 42e and Moore's Clinically Oriented Anatomy 9e;
length changes from the regressions in :mod:`calfviewer.musculoskeletal.literature`), never from the model itself.
Where the model departs from a source, the test pins the documented departure so that it cannot silently grow.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from calfviewer.musculoskeletal import Pose
from calfviewer.musculoskeletal.literature import (
    HINTERMANN_1994_INVERSION_RELATIVE,
    MAGANARIS_2000_TIBIALIS_ANTERIOR_CM,
    MANAL_2013_ACHILLES_CM,
    TABULATED_GASTROCNEMIUS_KNEE_ARM_CM,
    ankle_length_change,
    knee_length_change,
)
from calfviewer.musculoskeletal.pose import angles_text, measurements_text

KNEE_ANGLES = tuple(range(0, 121, 5))
HEADS = ("gastrocnemius_medial_head", "gastrocnemius_lateral_head")


def _shank_length(model) -> float:
    """Knee centre (tibia body origin) to ankle centre (talus body origin): the length the regressions scale by."""
    transforms = model.pose(Pose()).body_transforms
    return float(np.linalg.norm(transforms["tibia"][:3, 3] - transforms["talus"][:3, 3]))


@pytest.mark.parametrize("muscle", [*HEADS, "plantaris"])
def test_knee_flexors_flex_the_knee_throughout_its_range(model, muscle):
    """Both gastrocnemius heads and plantaris flex the knee (Gray's 42e; Moore 9e) at every angle from 0 to 120
    degrees: a negative (extending) arm in deep flexion was MyoLeg's path cutting through the condyles."""
    for knee in KNEE_ANGLES:
        arm = model.pose(Pose(knee_flexion=knee)).muscles[muscle].moment_arm_knee
        assert arm > 0.005, f"{muscle} at knee {knee}: {arm * 100:.2f} cm"


def test_plantaris_knee_arm_is_close_to_the_lateral_heads(model):
    """Plantaris arises just above the lateral head and runs beside it behind the knee (Gray's 42e), so its
    leverage is about the lateral head's; before the fix it was the largest of all (3.15 cm against 2.59)."""
    for knee in KNEE_ANGLES:
        muscles = model.pose(Pose(knee_flexion=knee)).muscles
        plantaris, lateral = muscles["plantaris"].moment_arm_knee, muscles["gastrocnemius_lateral_head"].moment_arm_knee
        assert abs(plantaris - lateral) < 0.010, f"knee {knee}: plantaris {plantaris:.4f}, lateral head {lateral:.4f}"


def test_popliteus_has_a_small_flexing_knee_arm(model):
    """Moore 9e lists popliteus as a weak knee flexor whose main action is rotation: its sagittal arm is small
    (here under 1.5 cm) and flexing at every angle."""
    for knee in KNEE_ANGLES:
        arm = model.pose(Pose(knee_flexion=knee)).muscles["popliteus"].moment_arm_knee
        assert 0.0 < arm < 0.015, f"knee {knee}: {arm * 100:.2f} cm"


@pytest.mark.parametrize("head", HEADS)
def test_gastrocnemius_knee_shortening_against_the_regressions(model, head):
    """Knee 0 to 90 degrees shortens gastrocnemius by 4.5-6.3 % of shank length (Grieve et al. 1978; Hawkins and
    Hull 1990). The model overstates this by about half (documented in docs/biomechanics.md and the info panel:
    MyoLeg's condyle cylinder keeps the path 2-2.6 cm from the knee axis); this pins the departure below 1.6 times
    the largest regression value, where before the fix MyoLeg's path already reached 1.5 times."""
    shank = _shank_length(model)
    straight = model.pose(Pose(knee_flexion=0)).muscles[head].length
    bent = model.pose(Pose(knee_flexion=90)).muscles[head].length
    shortening = (straight - bent) / shank
    predicted = [-change for change in knee_length_change(0, 90).values()]
    assert min(predicted) < shortening < 1.6 * max(predicted), (shortening, predicted)


@pytest.mark.parametrize("head", HEADS)
def test_gastrocnemius_ankle_shortening_matches_the_regressions(model, head):
    """Plantarflexing 0 to 30 degrees shortens gastrocnemius by 6.3-6.4 % of shank length (Grieve et al. 1978;
    Hawkins and Hull 1990); the model's ankle path is MyoLeg's and agrees within a quarter."""
    shank = _shank_length(model)
    neutral = model.pose(Pose()).muscles[head].length
    pointed = model.pose(Pose(plantarflexion=30)).muscles[head].length
    shortening = (neutral - pointed) / shank
    predicted = [-change for change in ankle_length_change(0, 30).values()]
    assert 0.75 * min(predicted) < shortening < 1.25 * max(predicted), (shortening, predicted)


def test_soleus_achilles_arm_holds_into_plantarflexion(model):
    """At rest the Achilles tendon's moment arm holds or grows from neutral into plantarflexion (Rugg et al. 1990;
    Maganaris et al. 1998). Soleus does so up to 30 degrees; the fall beyond 20 degrees that the gastrocnemius
    heads show is documented in the info panel's notes."""
    arms = [model.pose(Pose(plantarflexion=p)).muscles["soleus"].moment_arm_ankle for p in (0, 10, 20, 30)]
    assert all(later >= arms[0] for later in arms[1:]), arms


@pytest.mark.parametrize("head", HEADS)
def test_gastrocnemius_knee_arm_departure_is_pinned(model, head):
    """A biomechanics text's table gives 1.2-2.0 cm for each head's knee moment arm, from cadaver tendon travel
    (Spoor et al. 1990; Spoor and van Leeuwen 1992); the Grieve and Hawkins-Hull regressions imply 1.15-1.8 cm. The
    model's are 2.0-2.6 cm from 0 to 90 degrees: MyoLeg's origin sites lie 2.3-2.5 cm from its knee axis, and at 45
    and 60 degrees no bone-free straight line from them into the calf passes within 2.1 cm of the axis
    (scripts/gastrocnemius-knee-floor; docs/biomechanics.md; the info panel's notes say so). This keeps the
    departure from growing: at least the table's lowest value and at most 2.7 cm."""
    lowest, _ = TABULATED_GASTROCNEMIUS_KNEE_ARM_CM
    for knee in range(0, 91, 5):
        arm = model.pose(Pose(knee_flexion=knee)).muscles[head].moment_arm_knee * 100
        assert lowest <= arm <= 2.7, f"knee {knee}: {arm:.2f} cm"


def test_tibialis_anterior_arm_against_maganaris_2000(model):
    """At rest tibialis anterior's arm falls from about 4.5 cm in dorsiflexion to about 2.9 cm in plantarflexion
    (Maganaris 2000, MRI in vivo): the model falls the same way and is within a quarter at both ends."""
    arms = {
        angle: -model.pose(Pose(plantarflexion=angle)).muscles["tibialis_anterior"].moment_arm_ankle * 100
        for angle in MAGANARIS_2000_TIBIALIS_ANTERIOR_CM
    }
    for angle, measured in MAGANARIS_2000_TIBIALIS_ANTERIOR_CM.items():
        assert abs(arms[angle] / measured - 1) <= 0.25, (angle, arms[angle], measured)
    low, high = sorted(arms)
    assert arms[low] > arms[high]


@pytest.mark.parametrize("muscle", ["soleus", *HEADS])
def test_achilles_arm_against_manal_2013(model, muscle):
    """At rest the Achilles tendon's arm was 3.46 cm at 20 degrees of dorsiflexion and 3.69 cm at 10 degrees of
    plantarflexion (Manal et al. 2013, ultrasound in vivo): each triceps surae path is within a quarter of it at
    both angles and rises from the one to the other, as measured (the model rises more steeply: 3.4-3.8 to
    4.3-4.5 cm, docs/biomechanics.md)."""
    arms = {
        angle: model.pose(Pose(plantarflexion=angle)).muscles[muscle].moment_arm_ankle * 100
        for angle in MANAL_2013_ACHILLES_CM
    }
    for angle, measured in MANAL_2013_ACHILLES_CM.items():
        assert abs(arms[angle] / measured - 1) <= 0.25, (angle, arms[angle], measured)
    low, high = sorted(arms)
    assert arms[high] > arms[low]


def test_subtalar_arms_have_the_signs_hintermann_measured(model):
    """Hintermann et al. 1994 (cadaver tendon excursion) found tibialis posterior the strongest invertor, then flexor
    digitorum longus, flexor hallucis longus, tibialis anterior, soleus and extensor hallucis longus inverting, and
    extensor digitorum longus and the two fibulares everting. The model's subtalar arms, foot neutral, have every one
    of those signs and tibialis posterior's is the largest."""
    muscles = model.pose(Pose()).muscles
    reference = muscles["tibialis_posterior"].moment_arm_subtalar
    for muscle, ratio in HINTERMANN_1994_INVERSION_RELATIVE.items():
        relative = muscles[muscle].moment_arm_subtalar / reference
        assert (relative > 0) == (ratio > 0), (muscle, relative, ratio)
        assert relative <= 1.0, (muscle, relative)


@pytest.mark.parametrize(
    "muscle",
    ["tibialis_posterior", "flexor_digitorum_longus", "flexor_hallucis_longus", "fibularis_longus", "fibularis_brevis"],
)
def test_flexor_arms_grow_from_dorsiflexion_into_plantarflexion(model, muscle):
    """Hintermann et al. 1994 saw the flexors' moment arms increase as the foot turned from extension (dorsiflexion)
    to flexion; the deep flexors and the fibulares do so over the model's whole range."""
    arms = [model.pose(Pose(plantarflexion=p)).muscles[muscle].moment_arm_ankle for p in range(-30, 41, 10)]
    assert all(later > earlier > 0 for earlier, later in itertools.pairwise(arms)), arms


@pytest.mark.parametrize("muscle", [*HEADS, "plantaris", "popliteus"])
@pytest.mark.parametrize("knee", [10, 60, 110])
def test_knee_arm_is_the_total_derivative_of_length(model, muscle, knee):
    """With the new wraps and via points, the knee moment arm is still -dL/dθ through MyoLeg's coupled knee
    joints, in extension (path on the condyle cylinder) and in deep flexion (path off it)."""
    step = 0.05
    here = model.pose(Pose(plantarflexion=5, knee_flexion=knee)).muscles[muscle].moment_arm_knee
    up = model.pose(Pose(plantarflexion=5, knee_flexion=knee + step)).muscles[muscle].length
    down = model.pose(Pose(plantarflexion=5, knee_flexion=knee - step)).muscles[muscle].length
    assert here == pytest.approx(-(up - down) / np.radians(2 * step), abs=2e-4)


NEGATIVE_ZERO = re.compile(r"-0(?:\.0+)?(?![0-9.])")


@pytest.mark.parametrize("text", ["-0.0", "-0.0000", " -0 ", "x=-0.00 mm"])
def test_the_negative_zero_pattern_finds_negative_zeros(text):
    assert NEGATIVE_ZERO.search(text)


@pytest.mark.parametrize("text", ["-0.0012", "-0.5", "0.0000", "-10.0", "-0.01"])
def test_the_negative_zero_pattern_leaves_real_numbers_alone(text):
    assert not NEGATIVE_ZERO.search(text)


def test_no_printed_number_is_negative_zero(run_cli):
    """`measure` (text and JSON) at poses where some arms are zero or tiny prints no ``-0.0``: a student would read
    it as a real extending moment."""
    for plantarflexion in ("-0", "0", "20", "-30", "40"):
        for knee in ("0", "60", "120"):
            for extra in ((), ("--json",)):
                code, out, _ = run_cli("measure", "--plantarflexion", plantarflexion, "--knee-flexion", knee, *extra)
                assert code == 0
                assert not NEGATIVE_ZERO.search(out), (plantarflexion, knee, extra, out)


def test_live_block_prints_no_negative_zero():
    """The info panel's live block rounds tiny negative values to a plain zero."""
    text = measurements_text(Pose(plantarflexion=-0.04, knee_flexion=-0.0), 0.4, -1e-9, -4e-5)
    assert not NEGATIVE_ZERO.search(text), text
    assert not NEGATIVE_ZERO.search(angles_text(Pose(plantarflexion=-0.0, knee_flexion=-0.01))), "angles"


def _knee_arms_cm(model, muscle, knees):
    return [model.pose(Pose(knee_flexion=k)).muscles[muscle].moment_arm_knee * 100 for k in knees]


def _subtalar_cm(model, muscle):
    return abs(model.pose(Pose()).muscles[muscle].moment_arm_subtalar * 100)


#: (structure, words its notes print, the number the model gives for them): each note's number is the app's own.
NOTE_NUMBERS = [
    ("plantaris", "at the knee, 0.6 to 3.1 cm", lambda m: min(_knee_arms_cm(m, "plantaris", KNEE_ANGLES)), 0.6),
    ("plantaris", "at the knee, 0.6 to 3.1 cm", lambda m: max(_knee_arms_cm(m, "plantaris", KNEE_ANGLES)), 3.1),
    (
        "soleus",
        "about 4.3 cm at 10 degrees of plantarflexion",
        lambda m: m.pose(Pose(plantarflexion=10)).muscles["soleus"].moment_arm_ankle * 100,
        4.3,
    ),
    ("popliteus", "about 1.3 cm with the knee straight", lambda m: _knee_arms_cm(m, "popliteus", [0])[0], 1.3),
    (
        "popliteus",
        "under 0.3 cm beyond 60 degrees",
        lambda m: max(_knee_arms_cm(m, "popliteus", range(60, 121, 5))),
        0.25,
    ),
    *[
        (head, words, lambda m, h=head, f=f: f(_knee_arms_cm(m, h, range(0, 91, 5))), stated)
        for head, words, pairs in (
            ("gastrocnemius_medial_head", "2.1 to 2.6 cm from 0 to 90 degrees", ((min, 2.1), (max, 2.6))),
            ("gastrocnemius_lateral_head", "2.0 to 2.5 cm from 0 to 90 degrees", ((min, 2.0), (max, 2.5))),
        )
        for f, stated in pairs
    ],
    ("fibularis_longus", "about 2.5 cm with the foot neutral", lambda m: _subtalar_cm(m, "fibularis_longus"), 2.5),
    (
        "fibularis_longus",
        "is 1.4 times tibialis posterior's",
        lambda m: _subtalar_cm(m, "fibularis_longus") / _subtalar_cm(m, "tibialis_posterior"),
        1.4,
    ),
    ("fibularis_brevis", "about 2.6 cm with the foot neutral", lambda m: _subtalar_cm(m, "fibularis_brevis"), 2.6),
    (
        "fibularis_brevis",
        "is 1.5 times tibialis posterior's",
        lambda m: _subtalar_cm(m, "fibularis_brevis") / _subtalar_cm(m, "tibialis_posterior"),
        1.5,
    ),
    (
        "flexor_digitorum_longus",
        "about 1.7 cm with the foot neutral",
        lambda m: _subtalar_cm(m, "flexor_digitorum_longus"),
        1.7,
    ),
    (
        "flexor_digitorum_longus",
        "is 1.0 times tibialis posterior's",
        lambda m: _subtalar_cm(m, "flexor_digitorum_longus") / _subtalar_cm(m, "tibialis_posterior"),
        1.0,
    ),
    (
        "flexor_hallucis_longus",
        "about 1.5 cm with the foot neutral",
        lambda m: _subtalar_cm(m, "flexor_hallucis_longus"),
        1.5,
    ),
    (
        "flexor_hallucis_longus",
        "is 0.85 times tibialis posterior's",
        lambda m: _subtalar_cm(m, "flexor_hallucis_longus") / _subtalar_cm(m, "tibialis_posterior"),
        0.85,
    ),
    ("extensor_digitorum_longus", "about 1.5 cm", lambda m: _subtalar_cm(m, "extensor_digitorum_longus"), 1.5),
    (
        "extensor_digitorum_longus",
        "0.8 times tibialis posterior's",
        lambda m: _subtalar_cm(m, "extensor_digitorum_longus") / _subtalar_cm(m, "tibialis_posterior"),
        0.8,
    ),
]


@pytest.mark.parametrize(("muscle", "words", "compute", "stated"), NOTE_NUMBERS, ids=[n[1] for n in NOTE_NUMBERS])
def test_the_numbers_the_notes_print_are_the_models(model, catalogue, muscle, words, compute, stated):
    """The info panel's notes give the app's own moment arms; they must be what `measure` prints, within the
    rounding the note uses, so the text and the numbers never disagree (issue 20: plantaris' and popliteus' text)."""
    assert words in catalogue.get(muscle).notes
    assert compute(model) == pytest.approx(stated, abs=0.06)


def test_extensor_hallucis_longus_subtalar_note_is_the_models(model, catalogue):
    """Its note says the app's subtalar arm is under 0.1 cm, inverting, with the foot neutral and turns everting as
    the foot is everted (beside Hintermann et al. 1994's small inverting arm): the model's signed arms say so."""
    assert "under 0.1 cm, inverting, with the foot neutral and turns everting as the foot is everted" in (
        catalogue.get("extensor_hallucis_longus").notes
    )

    def arm(subtalar):
        return model.pose(Pose(subtalar=subtalar)).muscles["extensor_hallucis_longus"].moment_arm_subtalar * 100

    assert 0 < arm(0) < 0.1
    assert arm(-20) < 0
