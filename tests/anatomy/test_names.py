"""English or Latin names: one switch, the same wording in every place that names a structure."""

from __future__ import annotations

import pytest

from calfviewer.anatomy import describe, fact_rows
from calfviewer.anatomy.names import display_name, other_name


def test_display_name_picks_the_style(catalogue):
    soleus = catalogue.get("soleus")
    assert display_name(soleus) == "Soleus"
    assert display_name(soleus, "latin") == "Musculus soleus"
    assert other_name(soleus, "latin") == ("English", "Soleus")
    with pytest.raises(ValueError, match="english, latin"):
        display_name(soleus, "klingon")


def test_facts_in_latin_name_the_bones_and_parts_in_latin(catalogue):
    rows = fact_rows(catalogue.get("tibialis_posterior"), catalogue, "latin")
    assert (rows[0].label, rows[0].text) == ("English", "Tibialis posterior")
    insertion = next(r for r in rows if r.label == "Insertion")
    assert insertion.text.startswith("Os naviculare: ")
    tendon = fact_rows(catalogue.get("calcaneal_tendon"), catalogue, "latin")
    formed_by = next(r for r in tendon if r.label == "Formed by").text
    assert "Musculus soleus" in formed_by and "Caput mediale musculi gastrocnemii" in formed_by
    english = fact_rows(catalogue.get("tibialis_posterior"), catalogue)
    assert (english[0].label, english[0].text) == ("Latin", "Musculus tibialis posterior")


def test_describe_heads_with_the_chosen_name(catalogue):
    assert describe(catalogue.get("soleus"), catalogue, names="latin").splitlines()[0] == "Musculus soleus (soleus)"
    assert describe(catalogue.get("soleus"), catalogue).splitlines()[0] == "Soleus (soleus)"
