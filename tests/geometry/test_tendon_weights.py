"""Tendon weights: which of a muscle mesh's vertices are tendon (1) and which fleshy belly (0), for colouring."""

from __future__ import annotations

import numpy as np
import pytest

from calfviewer.geometry.tendon_weights import TENDON_BLEND, ring_tendon_weights


@pytest.fixture(scope="module")
def rigs(geometry):
    """The bound rigs the scene geometry deforms (ring layout, belly flags, rest sections)."""
    return geometry.deformer.rigs


def test_one_weight_per_vertex_between_0_and_1(geometry):
    assert set(geometry.tendon_weight) == set(geometry.soft)
    for sid, weight in geometry.tendon_weight.items():
        assert weight.shape == (len(geometry.soft[sid].vertices),), sid
        assert np.all((weight >= 0.0) & (weight <= 1.0)), sid


def test_the_calcaneal_tendon_is_all_tendon(geometry, catalogue):
    tendons = [sid for sid in geometry.soft if catalogue.get(sid).kind == "tendon"]
    assert tendons == ["calcaneal_tendon"]
    assert np.all(geometry.tendon_weight["calcaneal_tendon"] == 1.0)


def test_tendon_rings_are_1_and_the_belly_peak_is_0_for_every_muscle(geometry, rigs, catalogue):
    muscles = [sid for sid in geometry.soft if catalogue.get(sid).kind == "muscle"]
    assert len(muscles) == 13  # the calf's eight and the five of the front and side of the leg
    for sid in muscles:
        rig, weight = rigs[sid], geometry.tendon_weight[sid]
        k, m = rig.rings, rig.topology.per_ring
        rings = weight[: k * m].reshape(k, m)
        assert np.all(rings == rings[:, :1]), sid  # one weight per ring
        tendon = rig.belly == 0
        assert tendon.any() and (~tendon).any(), sid  # every muscle has both
        assert np.all(rings[tendon] == 1.0), sid
        peak = int(np.argmax(np.where(tendon, -np.inf, rig.area)))  # the belly's largest section
        assert rings[peak, 0] == 0.0, sid
        # Cap centres take their end ring's weight; slips are all tendon.
        assert weight[k * m] == rings[0, 0] and weight[k * m + 1] == rings[-1, 0], sid
        assert np.all(weight[k * m + 2 :] == 1.0), sid
        if rig.slips is not None:
            assert len(weight) - (k * m + 2) == rig.slips.count > 0


def test_belly_turns_to_tendon_over_a_centimetre_not_in_one_step(rigs):
    blended = 0
    for sid, rig in rigs.items():
        rings = ring_tendon_weights(rig)
        tendon = rig.belly == 0
        if rig.kind == "tendon":
            continue
        to_tendon = np.abs(rig.arc[:, None] - rig.arc[None, tendon]).min(axis=1)
        assert np.all(rings[~tendon & (to_tendon >= TENDON_BLEND)] == 0.0), sid
        between = (rings > 0.0) & (rings < 1.0)
        assert np.all(to_tendon[between] < TENDON_BLEND), sid
        blended += int(between.sum())
        assert np.abs(np.diff(rings)).max() < 0.8, sid  # a blend, not a hard step from 1 to 0
    assert blended >= 8  # at least one part-way ring at every belly-tendon junction
