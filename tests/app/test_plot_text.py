"""Breaking the mechanics plot's title and x axis' name into lines as narrow as the plot."""

from __future__ import annotations

from calfviewer.app.plot_text import wrap_lines


def test_wrap_lines_breaks_after_a_comma_first_then_between_words():
    def fits(line: str) -> bool:
        return len(line) <= 26

    assert wrap_lines(["Ankle held at neutral (0°)"], fits) == ["Ankle held at neutral (0°)"]
    assert wrap_lines(["subtalar at 10° inversion, toes at 20° extension"], fits) == [
        "subtalar at 10° inversion,",
        "toes at 20° extension",
    ]
    assert wrap_lines(["Select a muscle in the tree or the 3D view to plot it"], fits) == [
        "Select a muscle in the",
        "tree or the 3D view to",
        "plot it",
    ]
    assert wrap_lines(["Plantarflexion (°, dorsiflexion negative)"], fits) == [
        "Plantarflexion (°,",
        "dorsiflexion negative)",
    ]
    assert wrap_lines(["Supercalifragilisticexpialidocious!"], fits) == ["Supercalifragilisticexpialidocious!"]


def test_short_latin_writes_m_for_musculus_as_anatomists_do():
    from calfviewer.app.plot_text import short_latin

    assert short_latin("Musculus tibialis posterior") == "M. tibialis posterior"
    assert short_latin("Caput mediale musculi gastrocnemii") == "Caput mediale m. gastrocnemii"
    assert short_latin("Musculi fibulares") == "Mm. fibulares"
    assert short_latin("Soleus") == "Soleus"  # an English name is left as it is


def test_the_y_axis_takes_the_longest_wording_that_fits_and_a_shorter_one_whole_rather_than_cut():
    from calfviewer.app.plot_text import Wording, fitting_title

    titles = Wording(("Muscle-tendon length", "Length"), "cm").titles
    assert titles == ("Muscle-tendon length (cm)", "Length (cm)")  # the unit kept in every wording
    assert Wording(("Stretch",), "").titles == ("Stretch",)  # a ratio has no unit to add

    def width(text: str) -> float:
        return 7.0 * len(text)

    assert fitting_title(titles, width, 400) == "Muscle-tendon length (cm)"
    assert fitting_title(titles, width, 7.0 * 25) == "Muscle-tendon length (cm)"  # exactly as long as the axis
    assert fitting_title(titles, width, 7.0 * 25 - 1) == "Length (cm)"
    assert fitting_title(titles, width, 20) == "Length (cm)"  # nothing fits: the narrowest, whole


def test_every_quantity_keeps_its_unit_and_names_itself_in_full_first():
    from calfviewer.app.plot_text import WORDINGS

    units = {"length": "(cm)", "normalised_length": "", "moment_arm_ankle": "(mm)", "moment_arm_knee": "(mm)"}
    assert set(WORDINGS) == set(units)
    for key, wording in WORDINGS.items():
        assert all(title.endswith(units[key]) for title in wording.titles), wording
        assert len(wording.titles) >= 2 and len(set(wording.titles)) == len(wording.titles), wording
    assert WORDINGS["moment_arm_ankle"].names[0] == "Ankle moment arm (+ plantarflexes)"  # the sign's meaning
    assert WORDINGS["moment_arm_knee"].names[0] == "Knee moment arm (+ flexes)"
