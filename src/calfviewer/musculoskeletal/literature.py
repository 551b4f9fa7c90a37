"""Published numbers the model's knee and ankle mechanics are checked against (see docs/biomechanics.md).

Why a module: the tests, the benchmark's literature rows and the documentation compare the model with the same
regressions; keeping the coefficients in one place, each next to its source, stops the three from drifting apart.
Nothing here is computed from the model: these are the literature's values, the expected side of every comparison.

Regression coefficients are as published and widely reproduced in calf-muscle analysis code; both regressions give
the gastrocnemius muscle-tendon length change as a fraction of shank length (knee joint line to ankle), so they
apply to any leg once its shank length is known.
"""

from __future__ import annotations

from typing import Final

#: Grieve, Pheasant and Cavanagh 1978 (Biomechanics VI-A), gastrocnemius, knee term: per cent of shank length
#: = a0 + a1 k + a2 k^2, with k the knee flexion in degrees (0 = straight knee).
GRIEVE_1978_KNEE: Final = (6.46251, -0.07987, 0.00011)
#: Grieve et al. 1978, gastrocnemius, ankle term: per cent of shank length = a0 + a1 t + a2 t^2, with t the angle
#: between foot and shank in degrees (90 = neutral, larger = dorsiflexed).
GRIEVE_1978_ANKLE: Final = (-22.18468, 0.30141, -0.00061)
#: Hawkins and Hull 1990 (J Biomech 23:487), knee coefficient: shank lengths per degree of knee flexion.
HAWKINS_HULL_1990_KNEE: Final = {"gastrocnemius_medial_head": -0.00062, "gastrocnemius_lateral_head": -0.0005}
#: Hawkins and Hull 1990, ankle coefficient (both heads): shank lengths per degree of dorsiflexion.
HAWKINS_HULL_1990_ANKLE: Final = 0.00214


def _grieve(coefficients: tuple[float, float, float], angle: float) -> float:
    a0, a1, a2 = coefficients
    return (a0 + a1 * angle + a2 * angle**2) / 100.0


def knee_length_change(knee_from: float, knee_to: float) -> dict[str, float]:
    """Gastrocnemius length change (fraction of shank length) from ``knee_from`` to ``knee_to`` degrees of knee
    flexion, by each regression: negative is shortening."""
    changes = {"Grieve et al. 1978": _grieve(GRIEVE_1978_KNEE, knee_to) - _grieve(GRIEVE_1978_KNEE, knee_from)}
    for head, slope in HAWKINS_HULL_1990_KNEE.items():
        label = "medial" if "medial" in head else "lateral"
        changes[f"Hawkins and Hull 1990, {label} head"] = slope * (knee_to - knee_from)
    return changes


def ankle_length_change(plantarflexion_from: float, plantarflexion_to: float) -> dict[str, float]:
    """Gastrocnemius length change (fraction of shank length) between two plantarflexion angles in degrees, by
    each regression: negative is shortening."""
    t_from, t_to = 90.0 - plantarflexion_from, 90.0 - plantarflexion_to
    return {
        "Grieve et al. 1978": _grieve(GRIEVE_1978_ANKLE, t_to) - _grieve(GRIEVE_1978_ANKLE, t_from),
        "Hawkins and Hull 1990": HAWKINS_HULL_1990_ANKLE * (t_to - t_from),
    }


#: Gastrocnemius knee moment arm, each head, cm, at no stated angle: "12 mm < d < 20 mm" for gastrocnemius lateralis
#: and medialis in the table "Typical moment arms (d) of knee and ankle muscle-tendon systems" of a biomechanics text
#: (reproduced at guwsmedical.info/body-dynamics/c-moment-arms.html), which refers to Spoor et al. 1990 (J Biomech
#: 23:1247) and Spoor and van Leeuwen 1992 (J Biomech, doi:10.1016/0021-9290(92)90276-7), cadaver tendon travel, for
#: the curves. The papers' own curves were not available to us; this range is the only measured magnitude we had.
TABULATED_GASTROCNEMIUS_KNEE_ARM_CM: Final = (1.2, 2.0)

#: Hintermann, Nigg and Sommer 1994 (Foot Ankle Int 15:386), cadaver tendon excursion: each muscle's moment arm
#: about the foot's eversion-inversion axis relative to tibialis posterior's (1.00), positive inverting, negative
#: everting, foot in neutral. Their axis is the whole foot's, MyoLeg's is the subtalar joint's, so signs and order
#: compare directly and ratios only roughly.
HINTERMANN_1994_INVERSION_RELATIVE: Final = {
    "tibialis_posterior": 1.00,
    "flexor_digitorum_longus": 0.75,
    "flexor_hallucis_longus": 0.62,
    "tibialis_anterior": 0.59,
    "soleus": 0.24,
    "extensor_hallucis_longus": 0.22,
    "extensor_digitorum_longus": -0.26,
    "fibularis_longus": -0.82,
    "fibularis_brevis": -0.86,
}
#: Maganaris 2000 (J Biomech 33:375), MRI in vivo at rest: tibialis anterior's dorsiflexing moment arm falls from
#: about 4.5 cm in dorsiflexion to about 2.9 cm in plantarflexion. The ends are the study group's scan angles,
#: -15 and +30 degrees of plantarflexion (Maganaris et al. 1999, Eur J Appl Physiol 79:294, same protocol).
MAGANARIS_2000_TIBIALIS_ANTERIOR_CM: Final = {-15.0: 4.5, 30.0: 2.9}
#: Manal, Cowder and Buchanan 2013 (Physiol Rep 1:e00139, doi:10.1002/phy2.139), ultrasound and motion capture in ten
#: young men at rest: the Achilles tendon's moment arm averaged 34.6 mm at 20 degrees of dorsiflexion and rose to its
#: largest, 36.9 mm, at 10 degrees of plantarflexion (abstract). Keys are degrees of plantarflexion.
MANAL_2013_ACHILLES_CM: Final = {-20.0: 3.46, 10.0: 3.69}
