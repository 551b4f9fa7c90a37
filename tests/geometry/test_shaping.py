"""The built rest meshes (:mod:`calfviewer.geometry.shaping`): one for every muscle and the calcaneal tendon, the
published volumes, the layers nested. Reads the generated meshes in meshes/."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from calfviewer.geometry import sweep
from calfviewer.geometry.clearance import SurfaceSamples, exact_depth
from calfviewer.geometry.rig import path_length
from calfviewer.geometry.shaping import model_subject, nominal_tendon_volume, solve_increasing
from calfviewer.geometry.volumes import target_volumes
from calfviewer.musculoskeletal import Pose

DEEP = ("popliteus", "tibialis_posterior", "flexor_digitorum_longus", "flexor_hallucis_longus")


GASTROCNEMIUS = ("gastrocnemius_medial_head", "gastrocnemius_lateral_head")


def test_every_muscle_and_the_calcaneal_tendon_has_a_mesh(model, geometry, tendon_id):
    expected = {s.id for s in model.catalogue.structures if s.kind in ("muscle", "tendon")}
    assert set(geometry.soft) == expected
    assert tendon_id == "calcaneal_tendon"


def test_volumes_match_published_volumes(model, geometry, tendon_id):
    """Belly volume (mesh minus its thin tendon parts) within 15 % of Handsfield et al. 2014, scaled to the model."""
    targets = target_volumes(model_subject(model))
    assert set(targets) == set(geometry.soft) - {tendon_id}
    rest = model.pose(Pose())
    for structure_id, target in targets.items():
        rig = geometry.deformer.rigs[structure_id]
        # The tube alone: tendon slips (flexor digitorum longus) are extra components after it, all tendon.
        tube = sweep.signed_volume(geometry.soft[structure_id].vertices[: rig.topology.n_vertices], rig.topology.faces)
        belly = tube - nominal_tendon_volume(structure_id, path_length(rig, rest))
        assert belly == pytest.approx(target.volume, rel=0.15), structure_id
    # Sanity of the targets themselves: adult calf muscles, soleus the largest (cm^3).
    assert 350 < targets["soleus"].volume * 1e6 < 600
    assert targets["gastrocnemius_medial_head"].volume > targets["gastrocnemius_lateral_head"].volume


def test_layers_nest_at_rest(geometry):
    """Gastrocnemius over soleus and plantaris, soleus over the deep group: no vertex of an outer muscle more
    than 2 mm inside an inner muscle's belly (the triceps' tendon tails merge into the calcaneal tendon on purpose,
    so they are left out)."""
    rigs = geometry.deformer.rigs

    def belly(structure_id: str) -> np.ndarray:
        rig = rigs[structure_id]
        rings = geometry.soft[structure_id].vertices[: rig.rings * rig.topology.per_ring]
        free = np.repeat(rig.guide == 0, rig.topology.per_ring)
        return rings[free]

    def belly_tube(structure_id: str) -> trimesh.Trimesh:
        rig = rigs[structure_id]
        m = rig.topology.per_ring
        index = np.flatnonzero(rig.guide == 0)
        block = geometry.soft[structure_id].vertices[index[0] * m : (index[-1] + 1) * m].reshape(-1, m, 3)
        topology = sweep.TubeTopology.build(len(block), m)
        vertices = np.vstack([block.reshape(-1, 3), block[0].mean(axis=0), block[-1].mean(axis=0)])
        return trimesh.Trimesh(vertices, topology.faces, process=False)

    pairs = [(outer, "soleus") for outer in (*GASTROCNEMIUS, "plantaris")]
    pairs += [(outer, "plantaris") for outer in GASTROCNEMIUS]
    pairs += [("soleus", inner) for inner in DEEP]
    for outer, inner in pairs:
        tube = belly_tube(inner)
        points = belly(outer)
        approx, _ = SurfaceSamples(tube).depth(points)
        close = approx > -2e-3
        depth = float(exact_depth(tube, points[close]).max()) if close.any() else -np.inf
        assert depth <= 2e-3, f"{outer} is {depth * 1e3:.1f} mm inside {inner}"


def test_solve_increasing_finds_the_value_in_a_dozen_evaluations():
    """Brent's method on a cube law (a volume grows with thickness cubed): 0.05 m gives 1.25e-4, to 1e-13 m."""
    calls = []

    def cube(x: float) -> float:
        calls.append(x)
        return x**3

    assert abs(solve_increasing(cube, 1.25e-4, 0.002, 0.08, "a test cube") - 0.05) < 1e-12
    assert len(calls) <= 15  # the bisection it replaced took 40


@pytest.mark.parametrize("goal", [1e-9, 1.0])
def test_solve_increasing_says_when_the_bracket_holds_no_answer(goal):
    with pytest.raises(RuntimeError, match=r"cannot size a test cube: no value in \[0.002, 0.08\] reaches"):
        solve_increasing(lambda x: x**3, goal, 0.002, 0.08, "a test cube")
