"""The muscles' plot styles tell every muscle apart without colour: each a unique (colour, pattern) pair, and any
two whose colours a deuteranope or protanope sees as one drawn in different patterns.

Which colours a dichromat confuses is the tests' own simulation (tests/colour_vision.py), from the papers.
"""

from __future__ import annotations

from itertools import combinations, pairwise

import numpy as np
import pytest

from calfviewer.musculoskeletal import shared_model
from calfviewer.scene.muscle_colours import muscle_styles
from colour_vision import CONFUSED_BELOW, confused, noticeable_differences, simulate


@pytest.fixture(params=["right", "left"])
def muscle_ids(request) -> tuple[str, ...]:
    return tuple(shared_model(request.param).muscle_ids)


def test_every_muscle_of_the_model_has_its_own_colour_and_pattern(muscle_ids):
    styles = muscle_styles(muscle_ids)
    assert list(styles) == list(muscle_ids)
    pairs = [(style.hex, style.dashes) for style in styles.values()]
    assert len(set(pairs)) == len(muscle_ids) == 13
    # The palette has ten colours: the three muscles past ten share a colour with one before, told apart by pattern.
    assert len({style.hex for style in styles.values()}) == 10


def test_muscles_whose_colours_a_dichromat_confuses_differ_in_pattern(muscle_ids):
    styles = muscle_styles(muscle_ids)
    confusions = {}
    for first, second in combinations(muscle_ids, 2):
        deficiency = confused(np.array(styles[first].color), np.array(styles[second].color))
        if deficiency is not None:
            confusions[first, second] = deficiency
    # The simulation finds the confusions the brief names (not a test that cannot fail for want of pairs): the
    # soleus' green and the lateral gastrocnemius' orange, the popliteus' purple and the medial gastrocnemius' blue.
    assert ("gastrocnemius_lateral_head", "soleus") in confusions
    assert ("gastrocnemius_medial_head", "popliteus") in confusions
    assert len(confusions) >= 10
    alike = [
        f"{first} and {second} ({deficiency}, {styles[first].pattern})"
        for (first, second), deficiency in confusions.items()
        if styles[first].dashes == styles[second].dashes
    ]
    assert not alike, f"confused colours (< {CONFUSED_BELOW} noticeable difference) in one pattern: {alike}"


def test_neighbours_in_the_catalogue_differ_in_pattern(muscle_ids):
    """Muscles next to each other in the catalogue are often plotted together (the two heads of the gastrocnemius,
    the two fibulares), and take neighbouring colours of the palette."""
    styles = muscle_styles(muscle_ids)
    same = [(a, b) for a, b in pairwise(muscle_ids) if styles[a].dashes == styles[b].dashes]
    assert not same


def test_a_pattern_is_at_least_two_kinds_of_line():
    """Every style other than solid has both dashes and gaps (pen widths), gaps of at least two widths so they stay
    open in a 2-pixel line, and the patterns are four different ones."""
    styles = muscle_styles(shared_model("right").muscle_ids).values()
    patterns = {style.dashes for style in styles}
    assert len(patterns) == 4 and () in patterns
    for dashes in patterns - {()}:
        assert len(dashes) % 2 == 0 and min(dashes[1::2]) >= 2.0


def test_the_simulation_keeps_greys_and_confuses_the_briefs_red_and_brown():
    """The tests' simulation against what is known of it: Machado's matrices' rows sum to one, so a grey stays that
    grey; and Tableau's red and brown, two colours to normal vision, are one to a protanope."""
    grey = np.array([0.5, 0.5, 0.5])
    for deficiency in ("deuteranopia", "protanopia"):
        assert simulate(grey, deficiency) == pytest.approx(grey, abs=1e-4)
    red, brown = np.array([0xD6, 0x27, 0x28]) / 255, np.array([0x8C, 0x56, 0x4B]) / 255
    assert noticeable_differences(red, brown) > 1.5
    assert noticeable_differences(red, brown, "protanopia") < CONFUSED_BELOW
