"""Published adult muscle volumes, scaled to the size of the MyoLeg model: the targets the muscle meshes match.

Source
------
Handsfield GG, Meyer CH, Hart JM, Abel MF, Blemker SS (2014). Relationships of 35 lower limb muscles to height and
body mass quantified using MRI. J Biomech 47(3):631-638. doi:10.1016/j.jbiomech.2013.12.002

From MRI of 24 young adults, Handsfield et al. found that total lower-limb muscle volume follows body mass times
height, ``V_total = 47 * m * h + 1285`` (cm^3, kg, m; their Fig. 5A), and gave each muscle's volume as a linear
function of that total, ``V = b1 * V_total + b2`` (their Table 3). We use both, so the volumes are those of a
person of the model's size rather than of the study's mean subject. The paper itself was not at hand here: the
coefficients below are Table 3 as transcribed in public research code that reuses it for OpenSim strength scaling,
checked on 2026-12-02 against a second, independent transcription (a Python muscle-volume calculator for OpenSim
models), which gives the same b1 and b2 for all seven calf muscles. As a sanity check, for the study's mean
subject (total ~7000 cm^3) they give soleus ~433 cm^3 and medial gastrocnemius ~253 cm^3, the sizes adult MRI
studies report. Check them against the paper before citing the numbers elsewhere.

The model's size
----------------
MyoLeg does not state a stature or body mass, so we estimate both from the model itself with the standard
anthropometric ratios of Winter (2009), Biomechanics and Motor Control of Human Movement, 4th ed., Table 4.1: the
leg (knee to ankle) is 0.246 of stature and weighs 0.0465 of body mass. MyoLeg's knee-to-ankle distance (0.400 m)
and shank mass (3.8 kg) give 1.63 m and 81.7 kg; for comparison the Rajagopal et al. (2016) model MyoLeg derives from
is described as a 1.70 m, 75 kg adult, for which every volume below would be about 3 % smaller.

The front and side of the leg
-----------------------------
Handsfield et al. give tibialis anterior on its own but the two long toe extensors (extensor digitorum longus and
extensor hallucis longus) together and the two fibulares together, as they segmented them. Each pair is split in
the ratio of the mean cadaver masses of Ward et al. (2009), 21 lower limbs: EDL 41.0 g to EHL 20.9 g, fibularis
longus 57.7 g to brevis 24.2 g. Their b1 and b2 come from the same transcription as the calf muscles' (it lists
``tibialis anterior``, ``extensors (EDL/EHL)`` and ``peroneals (brev/long)``); as above, check them against the paper
before quoting them elsewhere.

Plantaris
---------
Not measured by Handsfield et al. (it is absent in some people and hard to segment). Its volume is an estimate
from its textbook dimensions (Standring, Gray's Anatomy 42e: a fusiform belly 7-10 cm long, of about the
cross-section of a finger, ending in a long slender tendon): a belly of about 8 cm with about 1 cm^2 mean section,
i.e. about 8 cm^3. Treat it as an order of magnitude, not a measurement.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

HANDSFIELD_2014 = (
    "Handsfield GG et al. (2014) Relationships of 35 lower limb muscles to height and body mass quantified using "
    "MRI. J Biomech 47:631-638 (total volume, Fig. 5A; per-muscle regression, Table 3)"
)
WINTER_2009 = "Winter DA (2009) Biomechanics and Motor Control of Human Movement, 4th ed., Table 4.1"
WARD_2009 = (
    "Ward SR, Eng CM, Smallwood LH, Lieber RL (2009) Are current measurements of lower extremity muscle "
    "architecture accurate? Clin Orthop Relat Res 467:1074-1082 (cadaver muscle masses, Table 1)"
)
PLANTARIS_ESTIMATE = (
    "estimate from textbook dimensions (Standring, Gray's Anatomy 42e): belly ~8 cm long, ~1 cm^2 mean section"
)

#: Total lower-limb muscle volume = SLOPE * mass[kg] * height[m] + INTERCEPT, in cm^3 (Handsfield 2014, Fig. 5A).
TOTAL_SLOPE = 47.0
TOTAL_INTERCEPT = 1285.0

#: Winter (2009) Table 4.1: leg (femoral condyles to medial malleolus) length and mass as fractions of the body.
LEG_LENGTH_FRACTION = 0.246
LEG_MASS_FRACTION = 0.0465


@dataclass(frozen=True)
class VolumeRegression:
    """``V = b1 * V_total + b2`` in cm^3 for one muscle (Handsfield 2014, Table 3)."""

    b1: float
    b2: float
    source: str = HANDSFIELD_2014

    def volume_cm3(self, total_cm3: float) -> float:
        return self.b1 * total_cm3 + self.b2


REGRESSIONS: dict[str, VolumeRegression] = {
    "gastrocnemius_medial_head": VolumeRegression(0.0348, 9.42),
    "gastrocnemius_lateral_head": VolumeRegression(0.0199, 8.21),
    "soleus": VolumeRegression(0.0507, 78.2),
    "popliteus": VolumeRegression(0.00298, 2.11),
    "tibialis_posterior": VolumeRegression(0.0104, 30.8),
    "flexor_digitorum_longus": VolumeRegression(0.00259, 11.6),
    "flexor_hallucis_longus": VolumeRegression(0.0137, -18.9),
}

#: Handsfield et al. segmented some neighbours together: the two long extensors of the toes ("extensors (EDL/EHL)")
#: and the two fibulares ("peroneals (brev/long)"). Table 3 as transcribed in the same public code as above.
GROUP_REGRESSIONS: dict[str, VolumeRegression] = {
    "extensors": VolumeRegression(0.0132, 8.7),
    "fibulares": VolumeRegression(0.0194, -7.43),
}
REGRESSIONS["tibialis_anterior"] = VolumeRegression(0.0161, 20.3)

#: How each group's volume is split: mean cadaver muscle masses in grams (Ward et al. 2009, 21 specimens), whose
#: ratio is the ratio of volumes (one density for all muscle). Extensor digitorum longus 41.0 g and extensor
#: hallucis longus 20.9 g; fibularis longus 57.7 g and fibularis brevis 24.2 g.
GROUP_SPLITS: dict[str, dict[str, float]] = {
    "extensors": {"extensor_digitorum_longus": 41.0, "extensor_hallucis_longus": 20.9},
    "fibulares": {"fibularis_longus": 57.7, "fibularis_brevis": 24.2},
}

PLANTARIS_CM3 = 8.0


@dataclass(frozen=True)
class Subject:
    """The body size the volumes are scaled to.

    Attributes:
        height: stature in metres. mass: body mass in kg.
        how: one line saying where the numbers came from.
    """

    height: float
    mass: float
    how: str

    @property
    def total_muscle_cm3(self) -> float:
        """Handsfield's total lower-limb muscle volume for this body, cm^3."""
        return TOTAL_SLOPE * self.mass * self.height + TOTAL_INTERCEPT


def subject_from_leg(leg_length: float, leg_mass: float) -> Subject:
    """Stature and mass of the body a leg of this length (m) and mass (kg) belongs to, by Winter's ratios."""
    if not (leg_length > 0 and leg_mass > 0 and math.isfinite(leg_length * leg_mass)):
        raise ValueError("leg length and mass must be positive")
    return Subject(
        height=leg_length / LEG_LENGTH_FRACTION,
        mass=leg_mass / LEG_MASS_FRACTION,
        how=f"from the model's leg length {leg_length:.3f} m and mass {leg_mass:.2f} kg by {WINTER_2009}",
    )


@dataclass(frozen=True)
class VolumeTarget:
    """A muscle's target volume and where it comes from.

    Attributes:
        structure_id: the muscle.
        volume: target muscle (belly) volume in m^3.
        source: the reference or the estimate's basis.
    """

    structure_id: str
    volume: float
    source: str


def target_volumes(subject: Subject) -> dict[str, VolumeTarget]:
    """Target volume (m^3) of every calf muscle for a body of ``subject``'s size."""
    total = subject.total_muscle_cm3
    targets = {
        muscle: VolumeTarget(muscle, regression.volume_cm3(total) * 1e-6, regression.source)
        for muscle, regression in REGRESSIONS.items()
    }
    for group, regression in GROUP_REGRESSIONS.items():
        masses = GROUP_SPLITS[group]
        for muscle, mass in masses.items():
            share = mass / sum(masses.values())
            targets[muscle] = VolumeTarget(
                muscle,
                regression.volume_cm3(total) * share * 1e-6,
                f"{regression.source}, {group} together; split {share:.3f} by mass, {WARD_2009}",
            )
    # Scale the plantaris estimate like the muscles around it (relative to Handsfield's ~7000 cm^3 mean total).
    targets["plantaris"] = VolumeTarget("plantaris", PLANTARIS_CM3 * total / 7000.0 * 1e-6, PLANTARIS_ESTIMATE)
    return targets
