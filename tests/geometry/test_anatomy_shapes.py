"""The calf's shapes held to the anatomy issue's numbers, measured on the stored meshes posed through the public
``SceneGeometry`` (never on the code that builds them). The measures and their definitions are in
``anatomy_measures.py`` (run it for a full report); every threshold below is quoted from the issue ("the issue")
or from docs' calf-anatomy reference it rests on, with the issue's words in a comment.

These are targets for the atlas-like rebuild: several fail on the meshes built before it, by design.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import trimesh
from anatomy_measures import (
    DEEP,
    GASTROCNEMIUS,
    SEEN_FROM_BEHIND,
    TENDON,
    TUCKED_INTO_TENDON,
    back_hollow,
    back_ripple,
    belly_end,
    belly_overlaps_tendon,
    bone_back_mask,
    calf_rays,
    calf_width_mask,
    contact_share,
    first_hits_from_behind,
    free_area_behind_bones,
    leg_levels,
    pairwise_overlaps,
    penetration_depth,
    section,
    section_gap,
    soleus_beside_gastrocnemius,
    tendon_sections,
    to_manifold,
    widest_section,
    world_meshes,
)

from calfviewer.musculoskeletal import Pose

# Issue: "overlap between any two structures at most a few percent of the smaller one's volume, in every pose".
MAX_OVERLAP = 0.03
POSES = {
    "neutral": Pose(),
    "plantarflexed-40": Pose(plantarflexion=40),
    "dorsiflexed-30": Pose(plantarflexion=-30),
    "knee-90": Pose(knee_flexion=90),
    "knee-120": Pose(knee_flexion=120),
}
#: The corners of the ankle's and knee's ranges together, where the calf is folded and the soleus stretched or
#: bunched at once (the overlap test also runs here: "in every pose").
CORNERS = {
    "dorsiflexed-30-knee-120": Pose(plantarflexion=-30, knee_flexion=120),
    "dorsiflexed-10-knee-120": Pose(plantarflexion=-10, knee_flexion=120),
    "plantarflexed-40-knee-120": Pose(plantarflexion=40, knee_flexion=120),
    "dorsiflexed-30-knee-60-everted": Pose(plantarflexion=-30, knee_flexion=60, subtalar=-20),
    # The subtalar joint with the ankle and knee (an audit's grid of plantarflexion -30..40 x knee 0/45/90/120 x
    # inversion -20/0/20): the worst before the sliding margins of generator 33 (docs/geometry.md, step 6).
    # Plantaris inside the soleus 5.8 % (now 2.1 %), and 5.7 % (now 2.2 %) everted; the lateral head and plantaris
    # 3.2 % (now 2.8 %) with the knee at 45.
    "plantarflexed-20-knee-90-everted": Pose(plantarflexion=20, knee_flexion=90, subtalar=-20),
    "plantarflexed-10-knee-45-everted": Pose(plantarflexion=10, knee_flexion=45, subtalar=-20),
    "plantarflexed-30-knee-45": Pose(plantarflexion=30, knee_flexion=45),
}
#: Poses where a pair is still over the limit (docs/geometry.md, Limits): flexor hallucis longus and the soleus share
#: 3.2 % of the smaller volume with the foot plantarflexed 40 degrees and inverted 20 (4.3 % before generator 33).
OPEN = {"plantarflexed-40-inverted-20": Pose(plantarflexion=40, subtalar=20)}
#: The one pair allowed over :data:`MAX_OVERLAP` there, and by how much at most: the departure may not grow.
OPEN_PAIR, OPEN_LIMIT = frozenset(("flexor_hallucis_longus", "soleus")), 0.033
#: The pose of an audit's grid (plantarflexion -30..40 x knee 0/45/90/120 x inversion -20/0/20; docs/geometry.md,
#: Posing) where the pairs below lay deepest, besides the poses above.
DEPTH = {
    "plantarflexed-40-knee-90-inverted-20": Pose(plantarflexion=40, knee_flexion=90, subtalar=20),
    "dorsiflexed-30-knee-120-everted": Pose(plantarflexion=-30, knee_flexion=120, subtalar=-20),
    "plantarflexed-40-knee-120-everted": Pose(plantarflexion=40, knee_flexion=120, subtalar=-20),
    "dorsiflexed-20-knee-120-everted": Pose(plantarflexion=-20, knee_flexion=120, subtalar=-20),
    "plantarflexed-40-knee-45": Pose(plantarflexion=40, knee_flexion=45),
}
#: (pose, pair, depth before the fix in mm): the two gastrocnemius heads into each other with the knee bent, the
#: soleus's lateral edge into fibularis longus with the foot plantarflexed, the medial head's tendon of origin into
#: popliteus at full knee flexion, fibularis longus's back into the lateral head at full knee flexion with the foot
#: dorsiflexed and everted, plantaris into the soleus's back with the knee bent and the foot plantarflexed (where the
#: soleus stand-ins stood 3-4.5 mm inside the soleus's back 11 cm below the knee), plantaris into popliteus at full
#: knee flexion, the lateral head's top into plantaris's upper belly with the knee bent.
DEEPEST = (
    ("knee-90", ("gastrocnemius_medial_head", "gastrocnemius_lateral_head"), 6.8),
    ("plantarflexed-40-knee-90-inverted-20", ("gastrocnemius_medial_head", "gastrocnemius_lateral_head"), 8.1),
    ("plantarflexed-40", ("soleus", "fibularis_longus"), 5.2),
    ("plantarflexed-40-knee-90-inverted-20", ("soleus", "fibularis_longus"), 6.6),
    ("knee-120", ("popliteus", "gastrocnemius_medial_head"), 4.5),
    ("dorsiflexed-30-knee-120-everted", ("gastrocnemius_lateral_head", "fibularis_longus"), 5.0),
    ("plantarflexed-40-knee-120-everted", ("plantaris", "soleus"), 4.1),
    ("plantarflexed-20-knee-90-everted", ("plantaris", "soleus"), 4.0),
    ("dorsiflexed-20-knee-120-everted", ("plantaris", "popliteus"), 2.4),
    ("plantarflexed-40-knee-45", ("plantaris", "gastrocnemius_lateral_head"), 4.0),
    ("dorsiflexed-10-knee-120", ("plantaris", "soleus"), 2.98),
)
#: How deep one soft structure may lie inside another in those poses (m): a sliver a student rotating the view does
#: not see as one muscle pushed through the other.
MAX_DEPTH = 0.003
RAY_STEP = 0.002  # 2 mm between rays from behind
FHL = "flexor_hallucis_longus"


@pytest.fixture(scope="module")
def posed(model, geometry):
    """pose name -> (result, soft meshes, bone meshes), each pose built once."""
    cache = {}

    def get(name: str):
        if name not in cache:
            result = model.pose({**POSES, **CORNERS, **OPEN, **DEPTH}[name])
            cache[name] = (result, *world_meshes(geometry, result))
        return cache[name]

    return get


@pytest.fixture(scope="module")
def neutral(posed):
    result, soft, bones = posed("neutral")
    return leg_levels(result), soft, bones


def assert_lies_on(neutral, name: str, other: str, fractions: tuple[float, ...], limit: float) -> None:
    """``name``'s horizontal sections at each of ``fractions`` of the leg are cut and lie within ``limit`` (m) of
    ``other``'s (a soft structure or a bone) at the neutral pose."""
    levels, soft, bones = neutral
    meshes = {**bones, **soft}
    gaps = {f: section_gap(meshes[name], meshes[other], levels.z(f)) for f in fractions}
    missed = [f for f, g in gaps.items() if g is None]
    assert not missed, f"{name} and {other} are not cut together at {', '.join(f'{f:.1%}' for f in missed)}"
    wide = {f: g for f, g in gaps.items() if g is not None and g > limit}
    assert not wide, f"{name} stands off {other} (at most {limit * 1e3:.1f} mm): " + ", ".join(
        f"{f:.1%} {g * 1e3:.1f} mm" for f, g in wide.items()
    )


@pytest.fixture(scope="module")
def medial_sign(model) -> float:
    # Measured on the data: at the neutral pose the fibula (lateral) lies at smaller world x than the tibia, so +x
    # is medial for the right leg; the left leg mirrors world x.
    return 1.0 if model.side == "right" else -1.0


def test_medial_is_plus_x_for_the_right_leg(neutral, medial_sign):
    levels, _, bones = neutral
    z = levels.z(0.5)
    tibia, fibula = section(bones["tibia"], z), section(bones["fibula"], z)
    assert (tibia.centroid[0] - fibula.centroid[0]) * medial_sign > 0.01, (
        f"the tibia is not medial of the fibula: tibia x {tibia.centroid[0]:.3f}, fibula x {fibula.centroid[0]:.3f}"
    )


# --- No interpenetration --------------------------------------------------------------------------------------


@pytest.mark.parametrize("pose", [*POSES, *CORNERS, *OPEN])
def test_no_two_soft_structures_overlap(posed, pose):
    # Issue: "No muscle inside another or inside a bone: overlap between any two structures at most a few percent
    # of the smaller one's volume, in every pose." A few percent: 3 %.
    # Excluded by design: the tendon tails of the gastrocnemius heads and of the soleus run inside the calcaneal
    # tendon (docs/geometry.md, "the tendon tails ... blend onto its centreline over 8 cm and run inside it to the
    # calcaneus"), which is how the issue's "the aponeuroses join to form the calcaneal tendon" is drawn; their
    # overlap is the tails' whole volume in every shape, so the 3 % rule on whole meshes cannot tell a good shape
    # from a bad one there. For those pairs the rule applies to the muscle's fleshy belly instead: the muscle is cut
    # where its belly ends (section area below 25 % of its largest, perpendicular to the shank) and the part above
    # may overlap the tendon by at most 3 % (``test_tendon_stays_out_of_the_triceps_bellies``).
    # In the OPEN poses one pair is held to its documented departure instead (docs/geometry.md, Limits).
    _, soft, _ = posed(pose)
    excluded = {frozenset((TENDON, k)) for k in TUCKED_INTO_TENDON}

    def limit(pair: frozenset[str]) -> float:
        return OPEN_LIMIT if pose in OPEN and pair == OPEN_PAIR else MAX_OVERLAP

    bad = [
        o
        for o in pairwise_overlaps(soft)
        if frozenset((o.a, o.b)) not in excluded and o.fraction > limit(frozenset((o.a, o.b)))
    ]
    assert not bad, f"pairs overlapping more than {MAX_OVERLAP:.0%} of the smaller one's volume ({pose}): " + ", ".join(
        f"{o.a}/{o.b} {o.fraction:.1%} ({o.volume * 1e6:.2f} cm^3)" for o in sorted(bad, key=lambda o: -o.fraction)
    )


@pytest.mark.parametrize(("pose", "pair", "before"), DEEPEST, ids=[f"{p}-{a}-{b}" for p, (a, b), _ in DEEPEST])
def test_no_muscle_pushed_deep_into_another(posed, pose, pair, before):
    # Issue: "No muscle inside another". The overlap test above holds volumes; a thin sliver of a percent can still
    # be 5-8 mm deep, one muscle visibly pushed through another when the view is turned (docs/geometry.md, Posing).
    _, soft, _ = posed(pose)
    depth = penetration_depth(soft[pair[0]], soft[pair[1]])
    assert depth <= MAX_DEPTH, (
        f"{pair[0]} and {pair[1]} lie {depth * 1e3:.1f} mm inside each other ({pose}; at most "
        f"{MAX_DEPTH * 1e3:.0f} mm, {before} mm before)"
    )


@pytest.mark.parametrize("pose", list(POSES))
def test_tendon_stays_out_of_the_triceps_bellies(posed, pose):
    # Issue: "overlap between any two structures at most a few percent of the smaller one's volume, in every pose",
    # for the three pairs left out above: the calcaneal tendon against the fleshy part of each muscle whose tail
    # runs inside it by design (the muscle cut where its belly ends).
    result, soft, _ = posed(pose)
    found = {k: belly_overlaps_tendon(soft[TENDON], soft[k], result) for k in TUCKED_INTO_TENDON}
    bad = {k: v for k, v in found.items() if v[0] > MAX_OVERLAP}
    assert not bad, (
        f"the calcaneal tendon overlaps muscle bellies by more than {MAX_OVERLAP:.0%} ({pose}): "
        + ", ".join(f"{k} {fraction:.1%} (belly cut at {end:.0%} of the shank)" for k, (fraction, end) in bad.items())
    )


@pytest.mark.parametrize("pose", list(POSES))
def test_no_muscle_or_tendon_inside_a_bone(posed, pose):
    # Issue: "No muscle inside another or inside a bone: ... at most a few percent of the smaller one's volume, in
    # every pose." A few percent: 3 %.
    _, soft, bones = posed(pose)
    bad = [o for o in pairwise_overlaps(soft, bones) if o.fraction > MAX_OVERLAP]
    assert not bad, f"muscle/bone pairs overlapping more than {MAX_OVERLAP:.0%} ({pose}): " + ", ".join(
        f"{o.a}/{o.b} {o.fraction:.1%} ({o.volume * 1e6:.2f} cm^3)" for o in sorted(bad, key=lambda o: -o.fraction)
    )


def _gap_below_the_knee(result, soft, a: str, b: str, depth: float) -> float:
    """The gap (m) between two soft structures' sections ``depth`` m below the knee, square to the tibia (its body
    frame's y axis), whatever the knee's angle."""
    from scipy.spatial import cKDTree

    to_tibia = np.linalg.inv(result.body_transforms["tibia"])
    outlines = []
    for name in (a, b):
        mesh = soft[name].copy()
        mesh.apply_transform(to_tibia)
        cut = mesh.section(plane_origin=[0.0, -depth, 0.0], plane_normal=[0.0, 1.0, 0.0])
        assert cut is not None, f"{name} is not cut {depth * 100:.0f} cm below the knee"
        outlines.append(np.asarray(cut.vertices))
    return float(cKDTree(outlines[0]).query(outlines[1])[0].min())


@pytest.mark.parametrize("pose", ["knee-90", "knee-120"])
@pytest.mark.parametrize("depth", [0.11, 0.14])
def test_the_medial_head_is_not_lifted_off_the_soleus_when_the_knee_bends(posed, depth, pose):
    # Gray's Anatomy 42e: the heads' bellies lie on the soleus in every posture; as the knee bends their upper ends
    # curve round the back of the femoral condyles. Placed along its own path from the femur, the medial head's belly
    # slid 2-3 cm down over the soleus with the knee bent and stood 18.3 / 9.2 mm off it 11 / 14 cm below the knee at
    # 90 degrees, 16.2 / 9.5 at 120 (11.0 / 3.9 mm at rest). Kept at its level on the soleus (ShapeSpec.stays_on),
    # 14.2 / 6.2 and 14.3 / 6.2: it may stand off at most 4 mm more than at rest.
    rest = _gap_below_the_knee(posed("neutral")[0], posed("neutral")[1], "gastrocnemius_medial_head", "soleus", depth)
    result, soft, _ = posed(pose)
    bent = _gap_below_the_knee(result, soft, "gastrocnemius_medial_head", "soleus", depth)
    assert bent <= rest + 0.004, f"{bent * 1e3:.1f} mm off the soleus at {pose}, {rest * 1e3:.1f} mm at rest"


# --- Layer order seen from behind ---------------------------------------------------------------------------------


def _shares(ids: np.ndarray) -> str:
    names, counts = np.unique(ids, return_counts=True)
    return ", ".join(
        f"{n or 'nothing'} {c / len(ids):.1%}" for n, c in sorted(zip(names, counts, strict=True), key=lambda x: -x[1])
    )


def test_from_behind_only_the_superficial_and_intermediate_layers_show(neutral):
    # Issue: "Soleus: broad and flat, deep to gastrocnemius"; "Deep group ... no gap through which one can see them
    # from behind"; "layer order seen from behind". Over the calf from 5 % to 60 % of the leg, within its width (the
    # outermost hits on gastrocnemius, soleus, plantaris and the tendon in each row), the first structure hit from
    # behind is one of those, never a deep muscle or a bone, for at least 97 % of the rays that hit anything.
    levels, soft, bones = neutral
    grid = calf_rays(soft, bones, levels, (0.05, 0.60), RAY_STEP)
    hits = grid.ids[calf_width_mask(grid, SEEN_FROM_BEHIND) & (grid.ids != "")]
    share = float(np.mean(np.isin(hits, SEEN_FROM_BEHIND)))
    assert share >= 0.97, (
        f"{share:.1%} of {len(hits)} rays from behind first hit a superficial/intermediate structure (target >= 97 %);"
        f" first hits: {_shares(hits)}"
    )


def test_deep_group_covers_the_back_of_tibia_and_fibula(neutral, medial_sign):
    # Issue: "Deep group ... together they cover the back of the tibia and fibula from the soleal line down to the
    # lower quarter of the leg, leaving no bare bone there and no gap through which one can see them from behind."
    # With only the deep muscles and the bones, rays from behind between the tibia's medial border and the fibula's
    # lateral border (2 mm inside each, to leave out grazing rays), from the soleal line (15 % of the leg) to 75 %,
    # first hit a deep muscle for at least 95 % of them; a ray hitting bone (bare bone) or nothing (a gap) fails.
    # On the fibula the line below which the deep group lies is lower than on the tibia: the calf-anatomy reference
    # has the soleus arising from "the back of the fibular head and upper fibula" (10-30 % of the leg) and flexor
    # hallucis longus from "the lower two-thirds of the back of the fibula"; above flexor hallucis longus' origin the
    # fibula's back is the soleus' origin, covered by the soleus, not by the deep group. So rays that meet the
    # fibula above the top of flexor hallucis longus are left out (they are the soleus' to cover).
    levels, soft, bones = neutral
    meshes = {k: soft[k] for k in DEEP} | {k: bones[k] for k in ("femur", "tibia", "fibula", "talus")}
    lo = np.min([m.bounds[0] for m in meshes.values()], axis=0)
    hi = np.max([m.bounds[1] for m in meshes.values()], axis=0)
    grid = first_hits_from_behind(meshes, (lo[0], hi[0]), (levels.z(0.15), levels.z(0.75)), RAY_STEP)
    soleus_origin = (grid.ids == "fibula") & (grid.z[:, None] > soft["flexor_hallucis_longus"].bounds[1][2])
    rays = grid.ids[bone_back_mask(grid, bones["tibia"], bones["fibula"], medial_sign) & ~soleus_origin]
    share = float(np.mean(np.isin(rays, DEEP)))
    assert share >= 0.95, (
        f"{share:.1%} of {len(rays)} rays onto the back of the tibia and fibula (15-75 % of the leg) first hit a deep"
        f" muscle (target >= 95 %); first hits: {_shares(rays)}"
    )


def test_soleus_lies_on_the_deep_group_without_a_gap(neutral):
    # Issue: "Deep group packed in the deep posterior compartment"; "Neighbours touch along shared surfaces (like
    # intermuscular septa)". The soleus's front follows the deep transverse fascia over the deep flexors (Gray's
    # Anatomy 42e; axial MRI sections of the mid-calf show no room between the layers). Measured: the area between the
    # back of the tibia and fibula and the front of the soleus that no deep muscle fills, at 40, 50 and 60 % of the
    # leg. A soleus held off the deep group by its most posterior point alone left 677 / 752 / 701 mm^2 there; wrapped
    # round the deep group (geometry/wrap.py) 630 / 648 / 654 mm^2, most of it the few millimetres left between the
    # layers all round for sliding as the joints move (geometry/specs.py SLIDING, WrapSpec.gap), the rest the groove
    # between the deep flexors where the posterior tibial vessels and the tibial nerve run.
    levels, soft, bones = neutral
    deep = [soft[k] for k in DEEP]
    for fraction in (0.4, 0.5, 0.6):
        free = free_area_behind_bones([bones["tibia"], bones["fibula"]], deep, soft["soleus"], levels.z(fraction))
        assert free * 1e6 <= 670, f"{free * 1e6:.0f} mm^2 of empty room under the soleus at {fraction:.0%} of the leg"


def test_deep_flexors_lie_side_by_side_with_flexor_digitorum_longus_medially(neutral, medial_sign):
    # Issue: "flexor digitorum longus on the posterior tibia medially"; the reference's mid-calf level: "FDL medially,
    # TP in the middle, FHL laterally". With MyoLeg's fibula almost straight behind the tibia the back of the tibia
    # has room for tibialis posterior alone (docs/geometry.md, Limits), so flexor digitorum longus lies beside it on
    # its medial side at the same depth, on the back of the tibia's medial border. At 40-60 % of the leg: its
    # section's centre lies medial of tibialis posterior's and no further back than it; at 35-60 % it lies on the
    # tibia, within 2.5 mm of it (the bone's clearance is 1 mm; measured 1.0-1.9 mm since generator 32, where packing
    # moves it onto the bone; 5.7-7.3 mm before; 11-14 mm when it stood clear of tibialis posterior 14-18 mm medial of
    # its path; 20-33 mm when it lay behind tibialis posterior, whose centre it then stood 17-20 mm behind).
    levels, soft, _ = neutral
    for fraction in (0.4, 0.5, 0.6):
        fdl = section(soft["flexor_digitorum_longus"], levels.z(fraction))
        tp = section(soft["tibialis_posterior"], levels.z(fraction))
        assert fdl is not None and tp is not None, f"a deep flexor is not cut at {fraction:.0%} of the leg"
        medial = (fdl.centroid[0] - tp.centroid[0]) * medial_sign
        behind = fdl.centroid[1] - tp.centroid[1]
        assert medial > 0.0 and behind <= 0.0, (
            f"at {fraction:.0%} of the leg flexor digitorum longus's centre is {medial * 1e3:.1f} mm medial of"
            f" tibialis posterior's and {behind * 1e3:.1f} mm behind it"
        )
    assert_lies_on(neutral, "flexor_digitorum_longus", "tibia", (0.35, 0.4, 0.45, 0.5, 0.55, 0.6), 0.0025)


def test_soleus_covers_the_deep_group_seen_from_the_medial_side(neutral, medial_sign):
    # Issue: "tibialis posterior shows on the surface in a posteromedial view" (what a new user saw). The soleus
    # arises from the middle third of the tibia's medial border (Gray's Anatomy 42e), so over the middle of the leg a
    # medial view shows the tibia, the soleus and the medial head, not the deep flexors between them. Rays from the
    # medial side at 35-55 % of the leg: at most 3 % first meet tibialis posterior or flexor digitorum longus (a
    # soleus standing behind the deep group let 27 % through to them: 18 % to tibialis posterior; wrapped round the
    # deep group to the tibia's medial border, none).
    levels, soft, bones = neutral
    meshes = {**soft, **bones}
    y = np.arange(0.02, 0.20, RAY_STEP)
    gy, gz = np.meshgrid(y, np.arange(levels.z(0.55), levels.z(0.35), RAY_STEP))
    origins = np.stack([np.full(gy.size, 0.3 * medial_sign), gy.ravel(), gz.ravel()], axis=1)
    ids = _first_hits(meshes, origins, np.array([-medial_sign, 0.0, 0.0]))
    hits = ids[ids != ""]
    share = float(np.mean(np.isin(hits, ("tibialis_posterior", "flexor_digitorum_longus"))))
    assert share <= 0.03, (
        f"{share:.1%} of {len(hits)} rays from the medial side first meet a deep flexor: {_shares(hits)}"
    )


def test_soleus_shows_at_both_sides_of_gastrocnemius(neutral, medial_sign):
    # Issue: "Soleus: ... widest in the lower half of the calf, its fleshy belly extending lower than gastrocnemius'
    # and visible at both sides of it in a posterior view." At 55-65 % of the leg, every row of rays from behind
    # hits soleus both medial and lateral of the gastrocnemius heads and the calcaneal tendon they form.
    levels, soft, _ = neutral
    lo = np.min([m.bounds[0] for m in soft.values()], axis=0)
    hi = np.max([m.bounds[1] for m in soft.values()], axis=0)
    grid = first_hits_from_behind(soft, (lo[0], hi[0]), (levels.z(0.55), levels.z(0.65)), RAY_STEP)
    rows = soleus_beside_gastrocnemius(grid, medial_sign)
    missing = [f"{levels.fraction(z):.1%} ({'medial' if not m else 'lateral'})" for z, m, la in rows if not (m and la)]
    assert not missing, f"soleus not seen at both sides from behind in {len(missing)}/{len(rows)} rows: {missing}"


# --- Gastrocnemius heads --------------------------------------------------------------------------------------

# Issue: "medial head about 1.5-2.5 cm thick and 6-10 cm wide along its curve, lateral head about 1-2 cm thick and
# 4-8 cm wide" where widest; "several times wider than thick where widest" (at least 3 x).
HEADS = {
    "gastrocnemius_medial_head": {"thickness": (0.015, 0.025), "width": (0.060, 0.100)},
    "gastrocnemius_lateral_head": {"thickness": (0.010, 0.020), "width": (0.040, 0.080)},
}


@pytest.fixture(scope="module")
def widest(neutral):
    levels, soft, _ = neutral
    # The widest section is looked for between 10 % and 60 % of the leg (the belly's range); the test below holds
    # where in that range it lies.
    return {head: widest_section(soft[head], levels, (0.10, 0.60)) for head in GASTROCNEMIUS}


@pytest.mark.parametrize("head", GASTROCNEMIUS)
def test_gastrocnemius_head_thickness_where_widest(widest, head):
    s, (low, high) = widest[head].section, HEADS[head]["thickness"]
    assert low <= s.thickness <= high, (
        f"{head} at its widest section ({widest[head].level:.1%} of the leg) is {s.thickness * 1e3:.1f} mm thick"
        f" (largest inscribed circle; target {low * 1e3:.0f}-{high * 1e3:.0f} mm); {s.describe()}"
    )


@pytest.mark.parametrize("head", GASTROCNEMIUS)
def test_gastrocnemius_head_width_along_its_curve_where_widest(widest, head):
    s, (low, high) = widest[head].section, HEADS[head]["width"]
    assert low <= s.width <= high, (
        f"{head} at its widest section ({widest[head].level:.1%} of the leg) is {s.width * 1e3:.1f} mm wide along its"
        f" curve (medial axis; target {low * 1e3:.0f}-{high * 1e3:.0f} mm); {s.describe()}"
    )


@pytest.mark.parametrize("head", GASTROCNEMIUS)
def test_gastrocnemius_head_is_a_flat_sheet_where_widest(widest, head):
    # Issue: "each a curved sheet ... several times wider than thick where widest": width >= 3 x thickness.
    s = widest[head].section
    assert s.width >= 3 * s.thickness, (
        f"{head} at its widest section is {s.width / s.thickness:.1f} x wider than thick (target >= 3): {s.describe()}"
    )


@pytest.mark.parametrize("head", GASTROCNEMIUS)
def test_gastrocnemius_head_is_widest_in_the_upper_middle_calf(widest, head):
    # Issue: "widest in the upper-middle part of the calf (not right below the condyles)"; the reference: "30-50 %
    # (the widest calf): the gastrocnemius heads are at their largest here". Below 15 % and above 50 % of the leg.
    level = widest[head].level
    assert 0.15 < level < 0.50, (
        f"{head}'s largest horizontal section is at {level:.1%} of the leg from the knee (target 15-50 %)"
    )


#: Where each head's back is measured for bands (fractions of its height from the top): from below its origin to
#: above where its fleshy belly ends (the medial head's ends lower, Gray's 42e), whose edge turns the surface for real.
BACK_RIPPLE_SPAN = {"gastrocnemius_medial_head": (0.2, 0.55), "gastrocnemius_lateral_head": (0.2, 0.45)}


@pytest.mark.parametrize("head", GASTROCNEMIUS)
def test_gastrocnemius_head_back_has_no_band_across_it(neutral, head):
    # Issue: "the soleus shows shading bands"; the heads showed them too, at the same heights on both, where the moves
    # that pushed them clear of the soleus fell off steeply (geometry/clearance.py, smooth_envelope's shoulders) and
    # where the offset tables bent the tube's axis. Along vertical lines seen from behind, the back of each head may
    # depart from a parabola fitted over any 2 cm by at most 0.45 mm (measured before: medial 0.82 and lateral
    # 0.52 mm; now 0.35 and 0.13).
    _, soft, _ = neutral
    ripple = back_ripple(soft[head], *BACK_RIPPLE_SPAN[head])
    assert ripple <= 0.45e-3, f"the back of {head} departs {ripple * 1000:.2f} mm from a smooth curve (a band)"


@pytest.mark.parametrize("head", GASTROCNEMIUS)
def test_gastrocnemius_head_back_has_no_trough_across_it(neutral, head):
    # Issue: the heads are "each a curved sheet ... that follows the round back of the calf"; a bulging belly's back
    # rises and falls once along the leg. Laid onto the soleus column by column in a trial (docs/geometry.md,
    # Limits), each head kept its thickness but took on the soleus's unevenness: a trough 6-9 mm deep across its
    # back at 20-28 % of the leg, a dark band from behind that the 2 cm ripple test above does not see; the lateral
    # head's back is now bridged where the soleus dips (specs.DRAPE). At most 4.5 mm (measured now: medial 1.3,
    # lateral 1.1 mm).
    _, soft, _ = neutral
    hollow = back_hollow(soft[head], *BACK_RIPPLE_SPAN[head])
    assert hollow <= 4.5e-3, f"the back of {head} has a trough {hollow * 1000:.1f} mm deep across it (a band)"


#: Where each head is laid onto the soleus (geometry/drape.py) and how far off it (m) it may stand there.
ON_SOLEUS = {
    "gastrocnemius_medial_head": (0.30, 0.35, 0.4, 0.45),
    "gastrocnemius_lateral_head": (0.2, 0.25, 0.3, 0.35, 0.4, 0.45),
}


@pytest.mark.parametrize("head", GASTROCNEMIUS)
def test_head_lies_on_the_soleus(neutral, head):
    # Issue: "Neighbours touch along shared surfaces"; Gray's Anatomy 42e: the heads lie on the soleus, the plantaris
    # tendon between them. Pushed clear of the soleus ring by ring by its deepest point, the medial head stood 21-23 mm
    # behind it over 35-45 % of the leg (empty room a student saw at 90 degrees of knee flexion as a head floating
    # over the calf) and the lateral head 12-21 mm over 15-45 %. Laid onto it (geometry/drape.py): medial 6.8 / 2.9 /
    # 3.2 / 4.2 mm at 30-45 % (14.6 mm at 30 % before), lateral 5.6 / 4.2 / 5.9 / 4.7 / 5.3 / 7.6 mm at 20-45 %, most of
    # it the room left for sliding (specs.SLIDING). At most 10 mm. Above these levels the medial head still stands off
    # (docs/geometry.md, Limits).
    assert_lies_on(neutral, head, "soleus", ON_SOLEUS[head], 0.010)


def test_medial_belly_ends_lower_than_the_lateral(neutral):
    # Issue: "the medial head larger and its fleshy belly ending lower than the lateral head's (about 2 cm on
    # average, 1-5 cm)". The belly ends at the lowest level below its largest section before the horizontal section
    # area first falls below 25 % of the largest (below that is the head's tendon tail or aponeurosis).
    levels, soft, _ = neutral
    ends = {head: belly_end(widest_section(soft[head], levels, (0.0, 1.0)).areas) for head in GASTROCNEMIUS}
    drop = (ends["gastrocnemius_medial_head"] - ends["gastrocnemius_lateral_head"]) * levels.length
    assert 0.010 <= drop <= 0.050, (
        f"the medial head's belly ends {drop * 1e3:.0f} mm lower than the lateral's (target 10-50 mm); bellies end at"
        f" {ends['gastrocnemius_medial_head']:.1%} (medial) and {ends['gastrocnemius_lateral_head']:.1%} (lateral)"
    )


def test_flexor_hallucis_longus_belly_reaches_lowest(neutral):
    # Reference, 70-90 % of the leg: "FHL is still fleshy (its belly reaches lowest of all, almost to the ankle)";
    # soleus' fleshy fibres reach the calcaneal tendon "to within a few cm of the heel". Each belly ends, as for the
    # heads above, at the lowest level below its largest section before the horizontal section area first falls
    # below 25 % of the largest. Flexor hallucis longus's ends lower than every other posterior muscle's (soleus,
    # the heads, plantaris, tibialis posterior, flexor digitorum longus) and still within that 70-90 % level: at
    # least 80 % of the leg down. Measured 85.0 % (soleus 80.5 %); its belly ended at 77.0 % before (85 % of the
    # leg by the tendon colour's measure, under soleus's 91.5 %).
    levels, soft, _ = neutral
    posterior = (*GASTROCNEMIUS, "soleus", "plantaris", "tibialis_posterior", "flexor_digitorum_longus")
    ends = {k: belly_end(widest_section(soft[k], levels, (0.0, 1.0)).areas) for k in (*posterior, FHL)}
    lower = {k: e for k, e in ends.items() if k != FHL and e >= ends[FHL]}
    assert not lower and ends[FHL] >= 0.80, (
        f"flexor hallucis longus's belly ends at {ends[FHL]:.1%} of the leg (target: at least 80 %, below every other"
        " posterior muscle's); " + ", ".join(f"{k} {e:.1%}" for k, e in sorted(ends.items(), key=lambda x: -x[1]))
    )


@pytest.mark.parametrize("pose", ["neutral", "plantarflexed-40", "dorsiflexed-30"])
def test_gastrocnemius_bellies_end_without_a_tendon_stub(posed, pose):
    # Issue: the heads taper "into a broad aponeurosis", and the calcaneal tendon "meets each belly without a gap".
    # Each head's tendon tail carries its line of action on into the calcaneal tendon, which is what is drawn for it;
    # drawn 1.2 x 3 mm (about 3 mm^2 in horizontal sections), its first 1-2 cm below each belly, before it had moved
    # into the tendon, showed from behind and from the medial side as a white spigot. Going down from each head's
    # largest section: once the section falls below 5 mm^2 (the belly has ended) and 1 % of the leg lower (the last
    # sliver of its rounded lower edge), no section down to the heel is larger than a hair's, 0.01 mm^2.
    result, soft, _ = posed(pose)
    levels = leg_levels(result)
    for head in GASTROCNEMIUS:
        profile = widest_section(soft[head], levels, (0.0, 1.0)).areas
        below = profile[int(np.argmax(profile[:, 1])) :]
        ended = below[below[:, 1] < 5e-6]
        assert len(ended), f"{head} ({pose}): its sections never fall below 5 mm^2 under its largest"
        tail = below[(below[:, 0] >= ended[0, 0] + 0.01) & (below[:, 0] < 0.95)]
        assert len(tail), f"{head} ({pose}): no levels between its belly's end ({ended[0, 0]:.1%}) and the heel"
        largest = int(np.argmax(tail[:, 1]))
        assert tail[largest, 1] <= 0.01e-6, (
            f"{head} ({pose}): {tail[largest, 1] * 1e6:.2f} mm^2 at {tail[largest, 0]:.1%} of the leg, below where"
            f" its belly ends at {ended[0, 0]:.1%} (a hair: at most 0.01 mm^2)"
        )


def test_medial_head_is_the_larger(neutral):
    # Issue: "the medial head larger". Larger in volume and at its largest section.
    levels, soft, _ = neutral
    medial, lateral = soft["gastrocnemius_medial_head"], soft["gastrocnemius_lateral_head"]
    area = {h: widest_section(soft[h], levels, (0.0, 1.0)).section.area for h in GASTROCNEMIUS}
    assert medial.volume > lateral.volume and area[GASTROCNEMIUS[0]] > area[GASTROCNEMIUS[1]], (
        f"medial head {medial.volume * 1e6:.0f} cm^3, largest section {area[GASTROCNEMIUS[0]] * 1e6:.0f} mm^2;"
        f" lateral {lateral.volume * 1e6:.0f} cm^3, {area[GASTROCNEMIUS[1]] * 1e6:.0f} mm^2 (target: medial larger)"
    )


# --- Calcaneal tendon -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tendon(neutral):
    _, soft, bones = neutral
    return tendon_sections(soft[TENDON], bones["calcaneus"])


def _tendon_levels(tendon) -> str:
    return "; ".join(
        f"{h * 100:.0f} cm: "
        + (f"{s.area * 1e6:.0f} mm^2, {s.width * 1e3:.1f} x {s.thickness * 1e3:.1f} mm" if s else "-")
        for h, s in zip(tendon.heights, tendon.sections, strict=True)
    )


def test_tendon_is_a_free_cord_from_2_to_6_cm_above_its_insertion(tendon):
    # Issue: "narrowing to a rounded-flat cord (2-6 cm above its insertion ...)": one section at every level.
    broken = [
        f"{h * 100:.0f} cm" for h, s in zip(tendon.heights, tendon.sections, strict=True) if s is None or s.pieces != 1
    ]
    assert not broken, f"no single section of the tendon at {broken} above its insertion ({_tendon_levels(tendon)})"


@pytest.mark.parametrize(
    ("measure", "low", "high", "scale", "unit"),
    [
        # Issue: "(2-6 cm above its insertion: cross-section about 50-90 mm^2, roughly 10-20 mm wide and 3.5-8 mm
        # thick)"; measured at the narrowest level between 2 and 6 cm (sections perpendicular to the centreline).
        ("area", 50e-6, 90e-6, 1e6, "mm^2"),
        ("width", 0.010, 0.020, 1e3, "mm"),
        ("thickness", 0.0035, 0.008, 1e3, "mm"),
    ],
)
def test_tendon_size_at_its_narrowest(tendon, measure, low, high, scale, unit):
    value = getattr(tendon.narrowest, measure)
    assert low <= value <= high, (
        f"calcaneal tendon {measure} at its narrowest level ({tendon.narrowest_height * 100:.0f} cm above the"
        f" insertion) is {value * scale:.1f} {unit} (target {low * scale:g}-{high * scale:g} {unit});"
        f" levels: {_tendon_levels(tendon)}"
    )


def test_tendon_widens_at_its_insertion(tendon):
    # Issue: "then widening (to about 1.5-2 times its narrowest width) and thinning into a crescent-shaped
    # insertion". Insertion width: the widest horizontal section of the tendon at the heights where it touches the
    # calcaneus (within 1.5 mm).
    ratio = tendon.insertion_width / tendon.narrowest.width
    assert 1.5 <= ratio <= 2.0, (
        f"the tendon is {tendon.insertion_width * 1e3:.1f} mm wide at its insertion, {ratio:.2f} x its narrowest width"
        f" {tendon.narrowest.width * 1e3:.1f} mm (target 1.5-2 x)"
    )


def test_tendon_inserts_on_the_posterior_surface_of_the_calcaneus(tendon):
    # Issue: "insertion on the posterior surface of the calcaneus ... below the smooth upper part". Where the tendon
    # touches the bone (within 1.5 mm) the bone's outward normal points posteriorly, not up: the mean normal over
    # the contact is within 45 degrees of posterior, and less than 10 % of the contact faces up (normal within 45
    # degrees of +z).
    ins = tendon.insertion
    angle = math.degrees(math.acos(np.clip(ins.mean_normal[1], -1, 1)))
    assert angle <= 45 and ins.top_share < 0.10, (
        f"the bone's normal at the tendon's contact is {angle:.0f} degrees from posterior (target <= 45; mean normal"
        f" {np.round(ins.mean_normal, 2)}), {ins.top_share:.0%} of the contact faces up (target < 10 %),"
        f" {ins.posterior_share:.0%} faces posteriorly; contact z {ins.z_range[0]:.4f}..{ins.z_range[1]:.4f} m"
    )


def test_tendon_inserts_in_the_lower_two_thirds_of_the_posterior_surface(tendon):
    # Issue: "on the posterior surface of the calcaneus, mostly its middle third, below the smooth upper part": the
    # contact's centre lies between the bottom (0) and two thirds (2/3) of the posterior surface's height (the part
    # of the bone seen from behind whose normal is within 45 degrees of posterior).
    ins = tendon.insertion
    assert 0.0 <= ins.height_fraction <= 2 / 3, (
        f"the insertion's centre is at {ins.height_fraction:.0%} of the calcaneus' posterior surface height (target"
        f" 0-67 %, mostly 33-67 %); posterior surface z {ins.posterior_surface_z[0]:.4f}.."
        f"{ins.posterior_surface_z[1]:.4f} m, contact centre z {ins.centre[2]:.4f} m"
    )


# --- The deep tendons behind the medial malleolus ----------------------------------------------------------------


@pytest.mark.parametrize("pose", ["neutral", "plantarflexed-40"])
def test_deep_tendons_in_order_behind_the_medial_malleolus(posed, pose):
    # Issue: "the deep tendons behind the medial malleolus (tibialis posterior in front, then flexor digitorum
    # longus, flexor hallucis longus behind the talus)". Measured in the tibia's frame (x anterior, z lateral on the
    # right leg), 1 cm above the tip of the medial malleolus (the tibia's lowest point), on each tendon's vertices
    # within 4 cm behind the malleolus there (so nothing of the foot is counted), in a band 9 mm tall: more than the
    # 8 mm between tendon rings, so every tube has a ring in it (a 6 mm band fell between two of flexor hallucis
    # longus's rings once its belly reached lower).
    result, soft, bones = posed(pose)
    frame = result.body_transforms["tibia"]
    tibia = (bones["tibia"].vertices - frame[:3, 3]) @ frame[:3, :3]
    level = tibia[:, 1].min() + 0.010
    back = tibia[np.abs(tibia[:, 1] - level) < 0.003, 0].min()
    centres = {}
    for name in ("tibialis_posterior", "flexor_digitorum_longus", "flexor_hallucis_longus"):
        local = (soft[name].vertices - frame[:3, 3]) @ frame[:3, :3]
        near = local[(np.abs(local[:, 1] - level) < 0.0045) & (local[:, 0] > back - 0.04) & (local[:, 0] < back + 0.02)]
        assert len(near), f"{name} does not pass behind the medial malleolus ({pose})"
        centres[name] = near.mean(axis=0)
    tp, fdl, fhl = (centres[k] for k in ("tibialis_posterior", "flexor_digitorum_longus", "flexor_hallucis_longus"))
    described = ", ".join(f"{k} x {v[0] * 1e3:.1f} z {v[2] * 1e3:.1f} mm" for k, v in centres.items())
    assert tp[0] > fdl[0] > fhl[0], f"not in order front to back ({pose}): {described}"
    assert fhl[2] > tp[2], f"flexor hallucis longus is not lateral to tibialis posterior ({pose}): {described}"


# --- Popliteus ------------------------------------------------------------------------------------------------


def _above(mesh: trimesh.Trimesh, z: float) -> float:
    """The volume of a closed mesh above the height ``z`` (m^3), cut with manifold3d."""
    return float(to_manifold(mesh, "popliteus").trim_by_plane([0.0, 0.0, 1.0], z).volume())


def test_popliteus_lies_on_the_tibia_below_the_joint_line(neutral, medial_sign):
    """Gray's Anatomy 42e and Moore 9e: popliteus is a thin triangular sheet on the back of the tibia above the soleal
    line; only its tendon rises to the lateral femoral condyle, inside the capsule. Its fibres run from that tendon,
    upper lateral, down and medially to the bone. Drawn along its model path, which passes 18 mm above the tibial
    plateau behind the femoral condyle, 12 % of it stood above the top of the tibia, a band across the back of the
    knee; drawn through its own points on the tibia (``ShapeSpec.held``), only the tendon is left there."""
    _, soft, bones = neutral
    popliteus = soft["popliteus"]
    top = float(bones["tibia"].vertices[:, 2].max())
    share = _above(popliteus, top) / popliteus.volume
    assert share <= 0.04, f"{share:.1%} of popliteus lies above the top of the tibia (its tendon alone: at most 4 %)"
    # The sheet reaches from just below the condyles to the soleal line, 6-8 cm below them: its bulk lies well down.
    depth = top - float(popliteus.center_mass[2])
    assert depth >= 0.025, f"popliteus' centroid is {depth * 1e3:.1f} mm below the top of the tibia (at least 25)"
    # Oblique: its long axis (of least inertia) runs from upper lateral to lower medial, not across the leg.
    _, axes = np.linalg.eigh(popliteus.moment_inertia)
    axis = axes[:, 0] if axes[2, 0] < 0 else -axes[:, 0]  # pointing down
    angle = math.degrees(math.atan2(-axis[2], math.hypot(axis[0], axis[1])))
    assert 25 <= angle <= 65 and axis[0] * medial_sign > 0, (
        f"popliteus' long axis {np.round(axis, 2)} runs {angle:.0f} degrees below the horizontal (25-65, medially)"
    )


def test_soleus_top_runs_down_medially_from_the_fibular_head(neutral, medial_sign):
    """Gray's Anatomy (1918, p. 258): the soleal line, from which the soleus arises on the tibia, runs down and
    medially from behind the tibia's facet for the fibula, popliteus filling the triangle above it; the soleus's
    highest origin is the back of the fibular head. Swept along a path that leaves the fibular head down and
    medially, the belly's rings tilt the other way, and its top ran nearly level across the back of the tibia: 1.3
    cm lower 2-3 cm medial of the tibia's middle than behind the fibula (docs/geometry.md, "The soleus's top")."""
    levels, soft, bones = neutral
    middle = section(bones["tibia"], levels.z(0.15)).centroid[0]
    vertices = soft["soleus"].vertices
    across = (vertices[:, 0] - middle) * medial_sign

    def top(start: float, end: float) -> float:
        return float(vertices[(across >= start) & (across < end), 2].max())

    behind_fibula, medial = top(-0.025, -0.015), top(0.02, 0.03)
    assert behind_fibula - medial >= 0.018, (
        f"the soleus's top 2-3 cm medial of the tibia's middle is {(behind_fibula - medial) * 100:.1f} cm below its "
        "top behind the fibula (at least 1.8 cm: it runs down medially along the soleal line)"
    )


# --- Plantaris ------------------------------------------------------------------------------------------------


def test_plantaris_has_a_thin_tendon(neutral):
    # Issue: "Plantaris: a small fusiform belly ... then a long thin tendon (a few mm wide)": somewhere between 40 %
    # and 80 % of the leg its section is at most 6 mm wide.
    levels, soft, _ = neutral
    widths = [
        (s.width, f)
        for f in np.arange(0.40, 0.8001, 0.01)
        if (s := section(soft["plantaris"], float(levels.z(f)))) is not None
    ]
    assert widths, "the plantaris has no section between 40 % and 80 % of the leg"
    narrowest, level = min(widths)
    assert narrowest <= 0.006, (
        f"the plantaris is at least {narrowest * 1e3:.1f} mm wide between 40 % and 80 % of the leg (narrowest at"
        f" {level:.0%}; target <= 6 mm)"
    )


def test_plantaris_tendon_leaves_its_belly_without_a_jog(neutral, geometry):
    # Issue: the plantaris tendon "running between the medial head and soleus", following them; a tendon runs on in
    # a smooth curve. Its belly was pushed about a centimetre further back than its tendon, which stepped forward
    # onto the soleus within a ring or two: a Z seen from the medial side. Along the centreline (ring centres,
    # resampled every 5 mm) from 8 to 30 cm down the muscle, the bend (second difference) is at most 1.5 mm (4.7 mm
    # before; 0.9 mm now, specs.ShapeSpec.envelope_tail).
    _, soft, _ = neutral
    per_ring = geometry.deformer.rigs["plantaris"].topology.per_ring
    rings = np.asarray(soft["plantaris"].vertices)
    count = (len(rings) - 2) // per_ring
    centre = rings[: count * per_ring].reshape(count, per_ring, 3).mean(axis=1)
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(centre, axis=0), axis=1))])
    along = np.arange(0.0, arc[-1], 0.005)
    line = np.stack([np.interp(along, arc, centre[:, i]) for i in range(3)], axis=1)
    bend = np.linalg.norm(line[2:] - 2 * line[1:-1] + line[:-2], axis=1)
    span = (along[1:-1] > 0.08) & (along[1:-1] < 0.30)
    worst = int(np.argmax(np.where(span, bend, 0.0)))
    assert bend[worst] <= 1.5e-3, (
        f"the plantaris's centreline bends {bend[worst] * 1e3:.1f} mm in 5 mm at {along[worst + 1] * 100:.0f} cm down"
        " the muscle (a jog; target <= 1.5 mm)"
    )


# --- The measures themselves, on shapes whose answers are known ------------------------------------------------


def _bent_strip(radius: float, length: float, thickness: float, height: float = 0.02):
    """A strip ``length`` x ``thickness`` (x, y) bent round the z axis at ``radius``: an annular-sector prism."""
    import trimesh

    box = trimesh.creation.box((length, thickness, height)).subdivide_to_size(0.002)
    x, y, z = box.vertices.T
    angle, r = x / radius, radius + y
    return trimesh.Trimesh(np.stack([r * np.sin(angle), r * np.cos(angle), z], axis=1), box.faces)


def test_section_measures_known_shapes():
    import trimesh

    strip = section(_bent_strip(0.08, 0.08, 0.02), 0.0)
    # Width along the mid-line 80 mm (+ up to half the thickness at square ends: the medial axis runs into the
    # corners, the outer ones further on a bent strip), thickness 20, area 1600 mm^2.
    assert 0.080 <= strip.width <= 0.080 + 0.5 * 0.02 and abs(strip.thickness - 0.02) < 5e-4, strip.describe()
    assert abs(strip.area - 0.08 * 0.02) < 1e-5, strip.describe()
    ellipse = trimesh.creation.cylinder(radius=0.0075, height=0.02, sections=256)
    ellipse.apply_scale((1.0, 0.4, 1.0))  # 15 x 6 mm
    s = section(ellipse, 0.0)
    assert abs(s.width - 0.015) < 5e-4 and abs(s.thickness - 0.006) < 3e-4, s.describe()
    assert abs(s.area - math.pi * 0.0075 * 0.003) < 1e-6 and s.pieces == 1, s.describe()
    assert section(ellipse, 0.02) is None


def test_overlap_and_rays_on_known_shapes():
    import trimesh
    from anatomy_measures import overlap_fraction

    a, b = trimesh.creation.box((0.02, 0.02, 0.02)), trimesh.creation.box((0.01, 0.01, 0.01))
    b.apply_translation((0.01, 0.0, 0.0))  # half of the small box inside the big one
    assert abs(overlap_fraction(a, b) - 0.5) < 1e-9
    behind = trimesh.creation.box((0.02, 0.02, 0.02))
    behind.apply_translation((0.0, 0.05, 0.0))  # further posterior (+y): seen first from behind
    grid = first_hits_from_behind({"front": a, "back": behind}, (-0.015, 0.015), (-0.005, 0.005), 0.005)
    assert set(grid.ids[:, 1:-1].ravel()) == {"back"} and set(grid.ids[:, [0, -1]].ravel()) == {""}


def test_back_ripple_on_known_shapes():
    import trimesh

    # A smooth ellipsoid's back follows a smooth curve; the same with a 3 mm groove across it departs from one.
    smooth = trimesh.creation.icosphere(subdivisions=5, radius=1.0)
    smooth.apply_scale((0.03, 0.02, 0.1))
    grooved = smooth.copy()
    z = grooved.vertices[:, 2]
    grooved.vertices[:, 1] -= 0.003 * np.exp(-0.5 * (z / 0.005) ** 2) * (grooved.vertices[:, 1] > 0)
    assert back_ripple(smooth, 0.3, 0.7) < 0.05e-3
    assert back_ripple(grooved, 0.3, 0.7) > 0.6e-3
    # A line may pass beside a belly's narrowing ends (those samples are left out), but not beside its middle: two
    # bellies one above the other, 2 cm apart, are not one belly with a smooth back.
    assert np.isfinite(back_ripple(smooth, 0.0, 1.0, lines=(0.05, 0.95)))
    upper, lower = smooth.copy(), smooth.copy()
    upper.apply_translation((0.0, 0.0, 0.11))
    lower.apply_translation((0.0, 0.0, -0.11))
    with pytest.raises(ValueError, match="beside the mesh"):
        back_ripple(trimesh.util.concatenate([upper, lower]), 0.3, 0.7)


# --- The front and side of the leg (issue 21) ----------------------------------------------------------------------

FRONT_AND_SIDE = (
    "tibialis_anterior",
    "extensor_digitorum_longus",
    "extensor_hallucis_longus",
    "fibularis_longus",
    "fibularis_brevis",
)
#: Gray's Anatomy 42e: tibialis anterior, extensor digitorum longus and fibularis longus reach the crural fascia;
#: extensor hallucis longus lies deep between the first two and fibularis brevis deep to longus, each reaching the
#: surface only in the lower leg.
FRONT_AND_SIDE_SUPERFICIAL = ("tibialis_anterior", "extensor_digitorum_longus", "fibularis_longus")
FOOT_POSES = {**POSES, "inverted-20": Pose(subtalar=20), "everted-20": Pose(subtalar=-20)}


@pytest.fixture(scope="module")
def posed_foot(model, geometry):
    cache = {}

    def get(name: str):
        if name not in cache:
            cache[name] = world_meshes(geometry, model.pose(FOOT_POSES[name]))
        return cache[name]

    return get


@pytest.mark.parametrize("pose", list(FOOT_POSES))
def test_front_and_side_muscles_overlap_nothing(posed_foot, pose):
    # Issue: "no overlap with each other or with the posterior muscles", in every pose, the foot's too; the
    # posterior muscles' own pairs are held (or marked not yet met) above. At most 3 % of the smaller one's volume,
    # and at most 3 % of a muscle inside a bone.
    soft, bones = posed_foot(pose)
    pairs = [o for o in pairwise_overlaps(soft) if {o.a, o.b} & set(FRONT_AND_SIDE)]
    pairs += pairwise_overlaps({k: soft[k] for k in FRONT_AND_SIDE}, bones)
    bad = [o for o in pairs if o.fraction > MAX_OVERLAP]
    assert not bad, f"overlaps over {MAX_OVERLAP:.0%} ({pose}): " + ", ".join(
        f"{o.a}/{o.b} {o.fraction:.1%}" for o in bad
    )


def _first_hits(meshes, origins: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """Per ray, the id of the first structure it meets (``""`` for none)."""
    import trimesh
    from trimesh.ray.ray_triangle import RayMeshIntersector

    names = list(meshes)
    combined = trimesh.util.concatenate([meshes[k] for k in names])
    owner = np.repeat(np.arange(len(names)), [len(meshes[k].faces) for k in names])
    faces, rays, locations = RayMeshIntersector(combined).intersects_id(
        origins, np.tile(direction, (len(origins), 1)), multiple_hits=True, return_locations=True
    )
    order = np.lexsort(((locations - origins[rays]) @ direction, rays))
    rays, faces = rays[order], faces[order]
    first = np.r_[True, rays[1:] != rays[:-1]]
    ids = np.full(len(origins), "", dtype=object)
    ids[rays[first]] = [names[owner[face]] for face in faces[first]]
    return ids


@pytest.mark.parametrize("view", ["anterior", "lateral"])
def test_front_and_side_layers_seen_from_the_front_and_the_side(neutral, medial_sign, view):
    # Issue: "the superficial, intermediate and deep layers mean the same thing on every side of the leg (tibialis
    # anterior, extensor digitorum longus and fibularis longus superficial; extensor hallucis longus and fibularis
    # brevis deeper)". Seen from the front or the side over the upper leg (10-45 % of the way down), at least 95 %
    # of the rays that first meet one of the five meet a superficial one; lower down the deeper two show too.
    levels, soft, bones = neutral
    meshes = {**soft, **bones}
    step = 0.002

    def hits(low: float, high: float) -> np.ndarray:
        z = np.arange(levels.z(high), levels.z(low), step)
        if view == "anterior":  # rays from in front (-y), pointing back, over the front of the leg
            x = np.arange(-0.14, -0.05, step) * medial_sign
            gx, gz = np.meshgrid(x, z)
            origins = np.stack([gx.ravel(), np.full(gx.size, -0.2), gz.ravel()], axis=1)
            ids = _first_hits(meshes, origins, np.array([0.0, 1.0, 0.0]))
        else:  # rays from the lateral side, pointing medially
            y = np.arange(0.02, 0.12, step)
            gy, gz = np.meshgrid(y, z)
            origins = np.stack([np.full(gy.size, -0.3 * medial_sign), gy.ravel(), gz.ravel()], axis=1)
            ids = _first_hits(meshes, origins, np.array([medial_sign, 0.0, 0.0]))
        return ids[np.isin(ids, FRONT_AND_SIDE)]

    upper = hits(0.10, 0.45)
    share = float(np.mean(np.isin(upper, FRONT_AND_SIDE_SUPERFICIAL)))
    assert len(upper) > 500 and share >= 0.95, f"{view}, upper leg: {share:.1%} superficial; {_shares(upper)}"
    lower = hits(0.45, 0.80)
    deeper = "fibularis_brevis" if view == "lateral" else "extensor_hallucis_longus"
    assert np.isin(lower, (deeper,)).any(), f"{view}, lower leg: {deeper} never shows; {_shares(lower)}"


# --- Fibularis longus across the sole (issue 21) -------------------------------------------------------------------

#: Bones the tendon runs against from the cuboid to its insertion (Gray's Anatomy 42e: in the cuboid's groove, then
#: across the sole deep to the flexor tendons, to the medial cuneiform and the base of the first metatarsal).
SOLE_BONES = ("calcaneus", "cuboid", "lateral_cuneiform", "intermediate_cuneiform", "medial_cuneiform", "navicular")
SOLE_BONES += tuple(f"metatarsal_{i}" for i in range(1, 6))
SOLE_GAP = 0.005  # 5 mm: a tendon held against the bones by its fibrous sheath, not one hanging in the sole


@pytest.fixture(scope="module")
def longus_sole_gaps(model, geometry):
    """pose name -> per ring of fibularis longus across the sole (the tube's last rings whose centres lie in front
    of the calcaneus body's origin by 7 to 11.8 cm, the ring at the insertion left out), the ring centre's
    distance to the nearest foot bone minus the ring's mean radius (m)."""
    import trimesh

    rig = geometry.deformer.rigs["fibularis_longus"]
    per_ring = rig.topology.per_ring
    cache = {}

    def get(name: str) -> np.ndarray:
        if name not in cache:
            result = model.pose(FOOT_POSES[name])
            soft, bones = world_meshes(geometry, result)
            vertices = np.asarray(soft["fibularis_longus"].vertices)[: rig.topology.n_vertices]
            rings = vertices[: len(vertices) // per_ring * per_ring].reshape(-1, per_ring, 3)
            centres = rings.mean(axis=1)
            radii = np.linalg.norm(rings - centres[:, None], axis=2).mean(axis=1)
            transform = result.body_transforms["calcn"]
            forward = ((centres - transform[:3, 3]) @ transform[:3, :3])[:, 0]
            # the run of rings at the tube's end (in dorsiflexion the calcaneus' frame tilts and the belly's
            # rings lie in front of its origin too)
            behind = np.flatnonzero(forward <= 0.07)
            sole = (np.arange(len(forward)) > behind.max()) & (forward < 0.118)
            foot = trimesh.util.concatenate([bones[b] for b in SOLE_BONES])
            _, distance, _ = trimesh.proximity.closest_point(foot, centres[sole])
            cache[name] = distance - radii[sole]
        return cache[name]

    return get


def _gaps_mm(gaps: np.ndarray) -> str:
    return " ".join(f"{g * 1e3:.1f}" for g in gaps)


@pytest.mark.parametrize("pose", ["neutral", "plantarflexed-40", "dorsiflexed-30"])
def test_fibularis_longus_hugs_the_tarsal_bones_from_cuboid_to_cuneiforms(longus_sole_gaps, pose):
    # Issue: fibularis longus runs "under the cuboid, across the sole to the medial cuneiform and the first
    # metatarsal", deep to the flexor tendons. The first part of the crossing (the first five rings past 7 cm) lies
    # within 5 mm of the bones (FIBULAR_SOLE lifted these rings 2-5 mm towards them: docs/geometry.md).
    gaps = longus_sole_gaps(pose)[:5]
    assert len(gaps) == 5 and gaps.max() <= SOLE_GAP, f"{pose}: gaps {_gaps_mm(gaps)} mm"


@pytest.mark.parametrize("pose", ["neutral", "plantarflexed-40", "dorsiflexed-30", "inverted-20", "everted-20"])
def test_fibularis_longus_hugs_the_bones_up_to_its_insertion(longus_sole_gaps, pose):
    # The same, the whole way to the insertion (Gray's Anatomy 42e: it inserts on the lateral side of the base of
    # the first metatarsal and the medial cuneiform, reaching them along the plantar surface of the tarsus), in
    # the foot's poses too.
    gaps = longus_sole_gaps(pose)
    assert gaps.max() <= SOLE_GAP, f"{pose}: gaps {_gaps_mm(gaps)} mm"


# --- The front and side muscles packed (issue 21) ------------------------------------------------------------------

#: Levels of the leg (fractions from the knee) over the middle of the leg, where the bellies of the front and side
#: muscles lie side by side.
PACKED_LEVELS = (0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70)
#: Gray's Anatomy 42e: in the lower two-thirds of the leg extensor hallucis longus lies deep between tibialis
#: anterior and extensor digitorum longus, the extensors side by side on the fibula and the interosseous membrane;
#: no space lies between them in an axial section. Held over the lower two-thirds (from 35 %: at 30 % the section
#: cuts the round upper end of extensor hallucis longus, which arises from the fibula just above). 2 mm: our own bound
#: (the build's 0.5 mm margin round a neighbouring muscle plus 1.5 mm for the outlines' facets; the meshes stood
#: 8.6-11.3 mm apart at 35-60 % before the packing step, docs/geometry.md).
EXTENSOR_LEVELS = PACKED_LEVELS[1:]
EXTENSOR_GAP = 0.002


def test_long_extensors_meet_over_the_middle_of_the_leg(neutral):
    assert_lies_on(neutral, "extensor_digitorum_longus", "extensor_hallucis_longus", EXTENSOR_LEVELS, EXTENSOR_GAP)


#: Where extensor hallucis longus's belly begins (it arises from the middle half of the fibula's anterior surface;
#: in the stored rig its rounded upper end lies at 28 % of the leg): Gray's Anatomy 42e, the two long extensors meet
#: along a shared face from there down. 1.5 mm: our own bound, as for the fibulares below (the meshes stood 5.2 mm apart
#: here after the first packing step, 7.9 mm at 28 %; docs/geometry.md).
EXTENSOR_TOP = 0.30
TOP_GAP = 0.0015


def test_long_extensors_meet_where_hallucis_longus_begins(neutral):
    assert_lies_on(neutral, "extensor_digitorum_longus", "extensor_hallucis_longus", (EXTENSOR_TOP,), TOP_GAP)


#: Gray's Anatomy 42e: fibularis brevis lies on the lower two-thirds of the fibula's lateral surface, deep to
#: fibularis longus, which covers it; in an axial section the two meet along a shared face with no space between
#: them. Held where brevis has belly beside longus's (40-45 % of the leg; brevis arises at 35.3 % in the stored rig,
#: so the 35 % plane cuts only its rounded upper end, held by the test after this one). 1.5 mm: our own bound, the
#: 0.5 mm margin the build keeps round a neighbouring muscle plus a millimetre for the outlines' facets and rounding
#: (after the first packing step longus stood 6.1 and 3.7 mm off brevis at 40 and 45 %, 11.8 at 35 %).
FIBULARIS_LEVELS = (0.40, 0.425, 0.45)
FIBULARIS_GAP = 0.0015


def test_fibularis_longus_lies_on_brevis(neutral):
    assert_lies_on(neutral, "fibularis_longus", "fibularis_brevis", FIBULARIS_LEVELS, FIBULARIS_GAP)


def test_fibularis_longus_lies_on_the_upper_end_of_brevis(neutral):
    # 11.8, 7.3, 1.8 and 1.7 mm in the meshes before each of issue 21's passes; 0.4 once brevis's fleshy upper end
    # was drawn as fleshy (6 x 10 mm, not a 4 x 8 mm tendon).
    assert_lies_on(neutral, "fibularis_longus", "fibularis_brevis", (0.35,), FIBULARIS_GAP)


#: Gray's Anatomy 42e: fibularis brevis arises from the lower two-thirds of the fibula's lateral surface, so its belly
#: lies on the bone wherever it is fleshy beside it. 2.5 mm: the bones' 1 mm clearance margin plus room for the
#: outline's rounding against the bone's ridges. The meshes before issue 21's fourth pass stood 5.4, 10.2, 11.5 and
#: 10.9 mm off the bone at 50, 55, 60 and 65 %.
BREVIS_ON_FIBULA_LEVELS = (0.45, 0.5, 0.55, 0.6, 0.65)
BREVIS_ON_FIBULA_GAP = 0.0025


def test_fibularis_brevis_lies_on_the_fibula(neutral):
    assert_lies_on(neutral, "fibularis_brevis", "fibula", BREVIS_ON_FIBULA_LEVELS, BREVIS_ON_FIBULA_GAP)


#: Gray's Anatomy 42e: tibialis anterior's tendon lies on the anterior surface of the lower tibia, held there by the
#: superior extensor retinaculum. 3 mm: the bones' 1 mm clearance margin plus room for a sheath. The meshes drawn on
#: MyoLeg's straight line from tibant-P2 to tibant-P3 stood 8.9, 10.5 and 9.5 mm off the bone at 80, 85 and 90 %.
TENDON_ON_TIBIA_LEVELS = (0.80, 0.85, 0.90)
TENDON_ON_TIBIA_GAP = 0.003


def test_tibialis_anterior_tendon_lies_on_the_lower_tibia(neutral):
    assert_lies_on(neutral, "tibialis_anterior", "tibia", TENDON_ON_TIBIA_LEVELS, TENDON_ON_TIBIA_GAP)


#: Floors on the share of each section's outline that lies within 2 mm of a neighbour or a bone, averaged over
#: PACKED_LEVELS where the muscle is cut (anatomy_measures.contact_share). In an axial MRI of the mid-leg every face of
#: these muscles but the one under the crural fascia lies on a neighbour, a septum or a bone (Gray's Anatomy 42e;
#: Moore's Clinically Oriented Anatomy 8e, transverse section of the leg), so a real section's share is well over
#: half. The plain convex rings built before the packing step touched over 9-19 % (tibialis anterior 13.8 %,
#: extensor digitorum longus 10.9 %, extensor hallucis longus 14.2 %, fibularis longus 8.8 %, fibularis brevis
#: 18.9 %; 13.3 % together); these floors hold the packed shapes (15-48 %, 30 % together: docs/geometry.md) from
#: sliding back.
CONTACT_FLOOR = 0.12
CONTACT_FLOOR_ALL = 0.25


def test_front_and_side_muscles_meet_their_neighbours(neutral):
    levels, soft, bones = neutral
    meshes = {**soft, **bones}
    shares = {}
    for name in FRONT_AND_SIDE:
        found = [contact_share(name, meshes, levels.z(f)) for f in PACKED_LEVELS]
        shares[name] = float(np.mean([s for s in found if s is not None]))
    low = {k: v for k, v in shares.items() if v < CONTACT_FLOOR}
    report = ", ".join(f"{k} {v:.1%}" for k, v in shares.items())
    assert not low, f"sections touching their neighbours over less than {CONTACT_FLOOR:.0%}: {report}"
    together = float(np.mean(list(shares.values())))
    assert together >= CONTACT_FLOOR_ALL, f"together {together:.1%} < {CONTACT_FLOOR_ALL:.0%}: {report}"
