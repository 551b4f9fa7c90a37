"""The facts as text (anatomy/text.py): rows worded as the rest of the app words the same thing."""

from __future__ import annotations

from calfviewer.anatomy import Catalogue
from calfviewer.anatomy.text import fact_rows


def test_the_compartment_row_reads_as_the_structure_tree_names_the_compartment(catalogue: Catalogue) -> None:
    """The info panel and `calfviewer info` printed the catalogue's key ("superficial posterior") where the tree
    says "Posterior compartment, superficial part"."""
    expected = {
        "soleus": "Posterior compartment, superficial part",
        "tibialis_posterior": "Posterior compartment, deep part",
        "tibialis_anterior": "Anterior compartment",
        "fibularis_brevis": "Lateral compartment",
    }
    for structure_id, title in expected.items():
        rows = {row.label: row.text for row in fact_rows(catalogue.get(structure_id), catalogue)}
        assert rows["Compartment"] == title
