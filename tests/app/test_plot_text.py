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
