"""The facts as text (anatomy/text.py): rows worded as the rest of the app words the same thing."""

from __future__ import annotations

from calfviewer.anatomy import Catalogue
from calfviewer.anatomy.text import fact_rows, structure_to_dict


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


def test_with_latin_names_the_nerve_and_the_compartment_are_named_in_latin(catalogue: Catalogue) -> None:
    """With Latin names on, the info panel and `calfviewer info --names latin` still said "tibial nerve" and
    "Posterior compartment, superficial part". A Latin atlas labels them by their Terminologia Anatomica names (TA2,
    written out here by hand); the English sentences of the summary and notes stay as written and checked."""
    expected = {
        "soleus": ("Pars superficialis compartimenti cruris posterioris", "Nervus tibialis (S1, S2) [1]"),
        "popliteus": ("Pars profunda compartimenti cruris posterioris", "Nervus tibialis (L4, L5, S1) [1]"),
        "tibialis_anterior": ("Compartimentum cruris anterius", "Nervus fibularis profundus (L4, L5) [1]"),
        "fibularis_brevis": ("Compartimentum cruris laterale", "Nervus fibularis superficialis (L5, S1) [1]"),
    }
    for structure_id, (compartment, nerve) in expected.items():
        structure = catalogue.get(structure_id)
        rows = {row.label: row.text for row in fact_rows(structure, catalogue, "latin")}
        assert (rows["Compartment"], rows["Innervation"]) == (compartment, nerve), structure_id
        english = {row.label: row.text for row in fact_rows(structure, catalogue)}
        assert "nerve (" in english["Innervation"] and "Nervus" not in english["Innervation"]
        assert rows["Summary"] == english["Summary"]


def test_the_long_bones_have_no_group_row(catalogue: Catalogue) -> None:
    """`calfviewer info femur` and the info panel said "Group: leg" for the femur and the patella, but the leg (crus)
    runs from knee to ankle and the femur is the thigh bone. Terminologia Anatomica names no group of the femur,
    patella, tibia and fibula, so their facts have no Group row at all, in either name style."""
    for structure_id in ("femur", "patella", "tibia", "fibula"):
        for names in ("english", "latin"):
            labels = [row.label for row in fact_rows(catalogue.get(structure_id), catalogue, names)]
            assert "Group" not in labels, (structure_id, names)
            assert labels[:2] == [("Latin" if names == "english" else "English"), "Layer"]


def test_a_foot_bone_s_group_is_named_as_anatomy_names_it_in_either_style(catalogue: Catalogue) -> None:
    """The Group row printed the catalogue's key ("tarsals", lower case) and stayed English with Latin names on. It
    reads the group's English name, and with Latin names its Terminologia Anatomica name (written out here by hand)."""
    expected = {
        "calcaneus": ("Tarsal bones", "Ossa tarsi"),
        "medial_cuneiform": ("Tarsal bones", "Ossa tarsi"),
        "metatarsal_5": ("Metatarsal bones", "Ossa metatarsi"),
        "proximal_phalanx_1": ("Phalanges of the foot", "Ossa digitorum pedis"),
        "distal_phalanx_4": ("Phalanges of the foot", "Ossa digitorum pedis"),
    }
    for structure_id, (english, latin) in expected.items():
        structure = catalogue.get(structure_id)
        rows = {row.label: row.text for row in fact_rows(structure, catalogue)}
        assert rows["Group"] == english, structure_id
        rows = {row.label: row.text for row in fact_rows(structure, catalogue, "latin")}
        assert rows["Group"] == latin, structure_id


def test_the_json_names_the_compartment_the_nerve_and_the_group_in_english_and_latin(catalogue: Catalogue) -> None:
    """`info ID --json` gave the compartment and the bone group as keys ("deep posterior", "tarsals") and the nerve in
    English alone, though the info panel and `info --names latin` name all three in English or in Latin. Each now has
    ``_name`` and ``_latin`` beside its key (written out here by hand, as TA2 spells them); the keys stay as they were,
    and a structure with no such thing has both as None."""
    expected_muscles = {
        "tibialis_posterior": (
            "deep posterior", "Posterior compartment, deep part", "Pars profunda compartimenti cruris posterioris",
            "tibial nerve", "tibial nerve", "Nervus tibialis",
        ),
        "fibularis_brevis": (
            "lateral", "Lateral compartment", "Compartimentum cruris laterale",
            "superficial fibular nerve", "superficial fibular nerve", "Nervus fibularis superficialis",
        ),
        "extensor_hallucis_longus": (
            "anterior", "Anterior compartment", "Compartimentum cruris anterius",
            "deep fibular nerve", "deep fibular nerve", "Nervus fibularis profundus",
        ),
    }  # fmt: skip
    for structure_id, (key, name, latin, nerve, nerve_name, nerve_latin) in expected_muscles.items():
        payload = structure_to_dict(catalogue.get(structure_id), catalogue)
        got = (payload["compartment"], payload["compartment_name"], payload["compartment_latin"])
        assert got == (key, name, latin), structure_id
        innervation = payload["innervation"]
        assert (innervation["nerve"], innervation["nerve_name"], innervation["nerve_latin"]) == (
            nerve, nerve_name, nerve_latin,
        ), structure_id  # fmt: skip
    tendon = structure_to_dict(catalogue.get("calcaneal_tendon"), catalogue)
    assert tendon["compartment_name"] == "Posterior compartment, superficial part"
    assert tendon["compartment_latin"] == "Pars superficialis compartimenti cruris posterioris"
    assert tendon["innervation"] is None
    expected_bones = {
        "navicular": ("tarsals", "Tarsal bones", "Ossa tarsi"),
        "metatarsal_2": ("metatarsals", "Metatarsal bones", "Ossa metatarsi"),
        "middle_phalanx_3": ("phalanges", "Phalanges of the foot", "Ossa digitorum pedis"),
        "femur": ("leg", None, None),
        "fibula": ("leg", None, None),
    }
    for structure_id, (key, name, latin) in expected_bones.items():
        payload = structure_to_dict(catalogue.get(structure_id), catalogue)
        assert (payload["group"], payload["group_name"], payload["group_latin"]) == (key, name, latin), structure_id
        assert "compartment_name" not in payload and "innervation" not in payload


def test_the_parts_a_tendon_is_formed_by_are_told_apart_though_their_names_hold_commas(catalogue: Catalogue) -> None:
    """Joined with ", ", "Gastrocnemius, medial head, Gastrocnemius, lateral head, Soleus" read as five parts."""
    rows = fact_rows(catalogue.get("calcaneal_tendon"), catalogue)
    formed_by = next(row.text for row in rows if row.label == "Formed by")
    assert formed_by.split("; ") == ["Gastrocnemius, medial head", "Gastrocnemius, lateral head", "Soleus"]
