"""The anatomy catalogue: the shipped file is complete and consistent, broken files fail with a message that
names the structure and the field, and what the loader returns cannot be changed."""

from __future__ import annotations

import dataclasses
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

from calfviewer.anatomy import (
    BODIES,
    Catalogue,
    CatalogueError,
    describe,
    load_catalogue,
    parse_catalogue,
    split_sentences,
)
from calfviewer.anatomy import catalogue as catalogue_module


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


# ------------------------------------------------------------------------------------------ the shipped file

LEG = {"femur": "femur", "patella": "patella", "tibia": "tibia", "fibula": "tibia"}
TARSALS = [
    "calcaneus",
    "navicular",
    "cuboid",
    "medial_cuneiform",
    "intermediate_cuneiform",
    "lateral_cuneiform",
]
METATARSALS = [f"metatarsal_{i}" for i in range(1, 6)]
PHALANGES = (
    [f"proximal_phalanx_{i}" for i in range(1, 6)]
    + [f"middle_phalanx_{i}" for i in range(2, 6)]
    + [f"distal_phalanx_{i}" for i in range(1, 6)]
)
#: id -> (kind, layer, MyoLeg tendon stem or None), the posterior compartment
SOFT = {
    "gastrocnemius_medial_head": ("muscle", "superficial", "gasmed"),
    "gastrocnemius_lateral_head": ("muscle", "superficial", "gaslat"),
    "calcaneal_tendon": ("tendon", "intermediate", None),  # with soleus, the deepest muscle inserting into it
    "soleus": ("muscle", "intermediate", "soleus"),
    "plantaris": ("muscle", "intermediate", None),
    "popliteus": ("muscle", "deep", None),
    "tibialis_posterior": ("muscle", "deep", "tibpost"),
    "flexor_digitorum_longus": ("muscle", "deep", "fdl"),
    "flexor_hallucis_longus": ("muscle", "deep", "fhl"),
}
#: The front and side of the leg: id -> (layer, compartment, MyoLeg tendon stem, nerve). Superficial muscles reach the
#: crural fascia; extensor hallucis longus and fibularis brevis lie deep to one of them (Gray's Anatomy 42e).
FRONT_AND_SIDE = {
    "tibialis_anterior": ("superficial", "anterior", "tibant", "deep fibular nerve"),
    "extensor_digitorum_longus": ("superficial", "anterior", "edl", "deep fibular nerve"),
    "extensor_hallucis_longus": ("intermediate", "anterior", "ehl", "deep fibular nerve"),
    "fibularis_longus": ("superficial", "lateral", "perlong", "superficial fibular nerve"),
    "fibularis_brevis": ("intermediate", "lateral", "perbrev", "superficial fibular nerve"),
}


def test_every_required_bone_is_present_with_its_body_and_group(cat):
    expected = {bone: (body, "leg") for bone, body in LEG.items()}
    expected["talus"] = ("talus", "tarsals")
    expected |= {bone: ("calcn", "tarsals") for bone in TARSALS}
    expected |= {bone: ("calcn", "metatarsals") for bone in METATARSALS}
    expected |= {bone: ("toes", "phalanges") for bone in PHALANGES}
    assert len(expected) == 30
    got = {s.id: (s.body, s.group) for s in cat.bones()}
    assert got == expected
    for bone in cat.bones():
        assert bone.layer == "bone"
        assert bone.name and bone.latin and bone.summary and bone.sources


def test_foot_has_eleven_pieces_on_calcn_and_fourteen_phalanges_on_toes(cat):
    on_calcn = [s.id for s in cat.bones() if s.body == "calcn"]
    on_toes = [s.id for s in cat.bones() if s.body == "toes"]
    assert sorted(on_calcn) == sorted(TARSALS + METATARSALS)
    assert len(on_calcn) == 11 and len(on_toes) == 14
    assert len(on_calcn) + len(on_toes) == 25
    assert len(cat.by_group()["tarsals"]) == 7  # six above plus the talus


def test_the_foot_s_bone_groups_have_their_names_and_the_long_bones_no_group(cat):
    """The groups a student sees are those anatomy names (TA: Ossa tarsi, Ossa metatarsi, Ossa digitorum pedis,
    written out here by hand); the femur, patella, tibia and fibula are in none, though their key stays "leg"."""
    assert [(g.key, g.name, g.latin) for g in cat.groups] == [
        ("tarsals", "Tarsal bones", "Ossa tarsi"),
        ("metatarsals", "Metatarsal bones", "Ossa metatarsi"),
        ("phalanges", "Phalanges of the foot", "Ossa digitorum pedis"),
    ]
    for bone in ("femur", "patella", "tibia", "fibula"):
        assert cat.get(bone).group == "leg" and cat.group_of(cat.get(bone)) is None
    assert cat.group_of(cat.get("talus")) == cat.group("tarsals")
    assert cat.group_of(cat.get("soleus")) is None
    with pytest.raises(CatalogueError, match=r"^unknown group 'leg'; the catalogue names 'tarsals', "):
        cat.group("leg")


def test_latin_names_follow_terminologia_anatomica_style(cat):
    assert cat.get("navicular").latin == "Os naviculare"
    assert cat.get("proximal_phalanx_2").latin == "Phalanx proximalis digiti II pedis"
    assert cat.get("distal_phalanx_1").latin == "Phalanx distalis hallucis"
    assert cat.get("soleus").latin == "Musculus soleus"
    assert cat.get("calcaneal_tendon").latin == "Tendo calcaneus"


def test_soft_tissues_have_required_kind_layer_and_model_tendon(cat):
    for sid, (kind, layer, tendon) in SOFT.items():
        s = cat.get(sid)
        assert (s.kind, s.layer, s.model_tendon) == (kind, layer, tendon), sid
        assert s.compartment == ("deep posterior" if layer == "deep" else "superficial posterior")
    assert {s.id for s in cat.muscles()} | {s.id for s in cat.tendons()} == set(SOFT) | set(FRONT_AND_SIDE)
    assert cat.get("gastrocnemius_medial_head").model_tendon_name() == "gasmed_r_tendon"
    assert cat.get("plantaris").model_tendon_name("left") is None


def test_every_muscle_has_attachments_actions_nerve_roots_blood_and_sources(cat):
    for m in cat.muscles():
        assert m.origins and m.insertions, m.id
        assert m.actions and all(a.description for a in m.actions), m.id
        assert m.innervation is not None and m.innervation.nerve and m.innervation.roots, m.id
        assert all(root[0] in "LS" and root[1:].isdigit() for root in m.innervation.roots), m.id
        assert m.blood_supply, m.id
        assert "gray42" in m.sources, m.id
        assert m.summary


def test_actions_are_at_the_joints_each_muscle_crosses(cat):
    def joints(sid):
        return {(a.joint, a.movement) for a in cat.get(sid).actions}

    assert joints("gastrocnemius_medial_head") == {("ankle", "plantarflexion"), ("knee", "flexion")}
    assert joints("soleus") == {("ankle", "plantarflexion")}  # soleus does not cross the knee
    assert ("subtalar", "inversion") in joints("tibialis_posterior")
    assert ("toes", "flexion") in joints("flexor_hallucis_longus")
    assert ("knee", "medial rotation") in joints("popliteus")


def test_front_and_side_muscles_are_complete_structures(cat):
    for sid, (layer, compartment, tendon, nerve) in FRONT_AND_SIDE.items():
        s = cat.get(sid)
        assert (s.kind, s.layer, s.compartment, s.model_tendon) == ("muscle", layer, compartment, tendon), sid
        assert s.latin.startswith("Musculus ") and s.name and s.summary and s.notes, sid
        assert s.innervation.nerve == nerve, sid
        # Roots as Gray's Anatomy 42e and Moore 9e give them: L4-L5 for tibialis anterior, L5-S1 for the others.
        assert set(s.innervation.roots) <= {"L4", "L5", "S1"} and "L5" in s.innervation.roots, sid
        assert "artery" in s.blood_supply and {"gray42", "moore9", "ta2", "myoleg"} <= set(s.sources), sid
        # The model's own first and last sites are attachments, so the drawn muscle and its moment arms agree.
        assert s.origins[0].site == f"{tendon}-P1", sid


def test_front_and_side_muscles_attach_and_act_as_the_texts_say(cat):
    def joints(sid):
        return {(a.joint, a.movement) for a in cat.get(sid).actions}

    assert joints("tibialis_anterior") == {("ankle", "dorsiflexion"), ("subtalar", "inversion")}
    # Extensor digitorum longus everts a little (Hintermann 1994's tendon travel; fibularis tertius, Moore 9e).
    assert joints("extensor_digitorum_longus") == {
        ("toes", "extension"),
        ("ankle", "dorsiflexion"),
        ("subtalar", "eversion"),
    }
    assert joints("extensor_hallucis_longus") == {("toes", "extension"), ("ankle", "dorsiflexion")}
    assert ("subtalar", "eversion") in joints("fibularis_longus")
    assert ("subtalar", "eversion") in joints("fibularis_brevis")
    assert {a.bone for a in cat.get("tibialis_anterior").insertions} == {"medial_cuneiform", "metatarsal_1"}
    # Four tendons to the lateral four toes, each to its middle and distal phalanx by the extensor expansion.
    edl = {a.bone for a in cat.get("extensor_digitorum_longus").insertions}
    assert edl == {f"{kind}_phalanx_{toe}" for kind in ("middle", "distal") for toe in range(2, 6)}
    assert [a.bone for a in cat.get("extensor_hallucis_longus").insertions] == ["distal_phalanx_1"]
    assert {a.bone for a in cat.get("fibularis_longus").insertions} == {"metatarsal_1", "medial_cuneiform"}
    assert "malleolus" in cat.get("fibularis_longus").notes and "cuboid" in cat.get("fibularis_longus").notes
    assert [a.bone for a in cat.get("fibularis_brevis").insertions] == ["metatarsal_5"]
    assert "tuberosity" in cat.get("fibularis_brevis").insertions[0].description
    assert all(a.bone == "fibula" for a in cat.get("fibularis_brevis").origins)


def test_calcaneal_tendon_is_formed_by_triceps_surae_and_inserts_on_calcaneus(cat):
    t = cat.get("calcaneal_tendon")
    assert t.formed_by == ("gastrocnemius_medial_head", "gastrocnemius_lateral_head", "soleus")
    assert t.origins == ()
    # A landmark on the middle of the calcaneus' posterior surface, not MyoLeg's site on its upper surface:
    # x is anterior in the calcaneus frame, so a posterior point has x below the site's (0.0044 m).
    assert [(a.bone, a.site) for a in t.insertions] == [("calcaneus", None)]
    assert t.insertions[0].landmark is not None and t.insertions[0].landmark[0] < 0.0


def test_the_calcaneal_tendon_says_its_layer_is_the_apps_grouping_not_its_depth(cat):
    """Its info panel reads "Layer: Intermediate layer", and intermediate means deep to one superficial muscle; but
    below the gastrocnemius bellies no muscle covers the tendon (it lies under the fascia and skin, where it is
    felt). The notes must say so, from the anatomy text, and cite only the app for the grouping: before, the only
    sentence on its layer gave the grouping, and the README listed it among the structures under a superficial one."""
    facts = [fact for name, fact in cat.get("calcaneal_tendon").all_facts() if name == "notes"]
    grouping = [f for f in facts if "intermediate layer" in f.text]
    assert len(grouping) == 1 and grouping[0].sources == ("calfviewer",)
    depth = [f for f in facts if "no muscle covers it" in f.text]
    assert len(depth) == 1 and "gray42" in depth[0].sources
    assert facts.index(depth[0]) < facts.index(grouping[0])  # the anatomy first, then why the app groups it


def test_attachments_follow_the_anatomy_and_the_model(cat):
    soleus = cat.get("soleus")
    assert [(a.bone, a.site) for a in soleus.origins] == [("fibula", None), ("tibia", "soleus-P1")]
    assert soleus.origins[0].landmark is not None
    fhl = cat.get("flexor_hallucis_longus")
    assert [(a.bone, a.site) for a in fhl.origins] == [("fibula", "fhl-P1")]
    assert [(a.bone, a.site) for a in fhl.insertions] == [("distal_phalanx_1", "fhl-P7")]
    tp = cat.get("tibialis_posterior")
    assert {a.bone for a in tp.origins} == {"tibia", "fibula"}
    assert [(a.bone, a.site) for a in tp.insertions] == [("navicular", "tibpost-P4")]
    fdl = cat.get("flexor_digitorum_longus")
    assert [a.bone for a in fdl.insertions] == [f"distal_phalanx_{i}" for i in range(2, 6)]


def test_muscles_outside_the_model_use_landmarks_and_via_points(cat):
    for sid in ("plantaris", "popliteus"):
        m = cat.get(sid)
        assert not m.in_model
        assert all(a.site is None and a.landmark is not None for a in m.attachments), sid
        assert len(m.via) >= 2, sid
        assert all(v.body in BODIES and v.landmark_source for v in m.via), sid


def test_points_are_sites_or_sourced_landmarks_in_metres(cat):
    points = 0
    for s in cat.structures:
        for a in s.attachments:
            assert cat.get(a.bone).is_bone
            assert (a.site is None) != (a.landmark is None), s.id
            if a.site is not None:
                assert not a.site.endswith(("_r", "_l")) and a.landmark_source is None
                assert a.site_name("left") == f"{a.site}_l"
            else:
                assert len(a.landmark) == 3 and all(math.isfinite(v) and abs(v) < 0.5 for v in a.landmark)
                assert "per Gray's Anatomy 42e" in a.landmark_source
            points += 1
    assert points >= 20


def test_every_cited_source_exists_with_a_full_reference(cat):
    keys = {src.key for src in cat.sources}
    assert {"gray42", "moore9"} <= keys
    for s in cat.structures:
        assert s.sources and set(s.sources) <= keys
        assert all(src.reference and src.short for src in cat.sources_of(s.id))


def _prose_fields(structure):
    """(field, plain text, its facts) for every text field of a structure that states facts."""
    yield "summary", structure.summary, structure.cited("summary")
    for role, attachments in (("origin", structure.origins), ("insertion", structure.insertions)):
        for index, attachment in enumerate(attachments):
            yield f"{role}[{index}]", attachment.description, attachment.facts
    for index, action in enumerate(structure.actions):
        yield f"action[{index}]", action.description, action.facts
    if structure.blood_supply:
        yield "blood_supply", structure.blood_supply, structure.cited("blood_supply")
    if structure.notes:
        yield "notes", structure.notes, structure.cited("notes")


def test_every_sentence_of_the_catalogue_has_its_own_source(cat):
    """Each text field is its cited sentences and nothing else, one citation per sentence, and every key resolves
    to a full reference that the structure lists; the five front and side muscles included."""
    keys = {src.key: src for src in cat.sources}
    sentences = 0
    for s in cat.structures:
        for name, text, facts in _prose_fields(s):
            assert facts, f"{s.id}.{name} has no cited facts"
            assert " ".join(f.text for f in facts) == text, f"{s.id}.{name}"
            for fact in facts:
                assert len(split_sentences(fact.text)) == 1, f"{s.id}.{name}: {fact.text!r}"
                assert fact.sources, f"{s.id}.{name}: {fact.text!r}"
                for key in fact.sources:
                    assert key in s.sources and keys[key].reference, f"{s.id}.{name}: {key}"
                sentences += 1
        if s.innervation:
            assert s.innervation.sources and set(s.innervation.sources) <= set(s.sources), s.id
    assert sentences == sum(1 for s in cat.structures for _ in s.all_facts())
    assert sentences > 200
    for sid in FRONT_AND_SIDE:  # the five anterior and lateral muscles
        assert sum(1 for _ in cat.get(sid).all_facts()) >= 10, sid


def test_a_model_file_named_in_the_text_is_named_for_both_legs(cat):
    """The text is the same for both legs (`calfviewer info --side left`, the window's left leg), so a MyoLeg mesh
    file it names must be named for each: before, the left leg's calcaneus and phalanges said their mesh was
    r_foot.stl and r_bofoot.stl, the right leg's files (MyoLeg's left leg uses l_foot.stl and l_bofoot.stl)."""
    named = 0
    for s in cat.structures:
        for field, text, _ in _prose_fields(s):
            for right in re.findall(r"\br_[a-z]+\.stl\b", text):
                named += 1
                assert f"l_{right[2:]}" in text, f"{s.id}.{field}: {right} without its left-leg twin"
    assert named >= 2  # the calcaneus' and the phalanges' notes name their meshes


#: Words that send the reader up or down the catalogue file, which the info panel and `calfviewer info` never show.
POINTS_INTO_THE_FILE = re.compile(r"\bpoints? (below|above)\b|\b(listed|given|shown|see) (below|above)\b")


def test_the_text_points_the_reader_at_nothing_the_app_does_not_show(cat):
    """The info panel and `calfviewer info` show each prose field on its own, not the catalogue file round it:
    plantaris' and popliteus' notes said their paths were drawn "through the via points below", points a reader is
    never shown (they are the file's via tables, under the notes)."""
    for s in cat.structures:
        for field, text, _ in _prose_fields(s):
            found = POINTS_INTO_THE_FILE.search(text)
            assert found is None, f"{s.id}.{field}: {found.group(0)!r} in {text[:80]!r}"


AUTHORS = {
    "Grieve": "grieve1978",
    "Hawkins": "hawkins1990",
    "Rugg": "rugg1990",
    "Maganaris": "maganaris1998",
    "Manal": "manal2013",
    "Spoor": "spoor1990",
    "Hintermann": "hintermann1994",
    "Moore": "moore9",
    "Gray's": "gray42",
}


def test_sentences_cite_what_they_name(cat):
    """A sentence that names a study or a text cites it; one about MyoLeg cites the model; one giving a number the
    app measures cites the app's own measurement (docs/biomechanics.md)."""
    for s in cat.structures:
        for name, fact in s.all_facts():
            where = f"{s.id}.{name}: {fact.text[:70]!r}"
            for author, key in AUTHORS.items():
                if author in fact.text:
                    assert key in fact.sources, where
            if "MyoLeg" in fact.text:
                assert {"myoleg", "calfviewer"} & set(fact.sources), where
            if "the app" in fact.text or "measured for this project" in fact.text:
                assert "calfviewer" in fact.sources, where


def test_each_bone_names_the_muscles_the_catalogue_attaches_to_it(cat):
    """A bone's summary names every muscle and tendon whose origin or insertion (slips included) the catalogue puts
    on it: before, the cuboid's text named only fibularis longus while the quiz asked for the muscle inserting on the
    cuboid (tibialis posterior, by a slip), and the fibula named none of the four front and side muscles it carries.
    A muscle is named by its first words ("Gastrocnemius, medial head" as gastrocnemius, "Fibularis longus
    (peroneus longus)" as fibularis longus)."""
    attached: dict[str, set[str]] = {}
    for s in cat.structures:
        for a in (*s.origins, *s.insertions):
            for bone in a.bones:
                attached.setdefault(bone, set()).add(s.name.split(",")[0].split(" (")[0].lower())
    unnamed = {
        bone: sorted(n for n in names if n not in cat.get(bone).summary.lower()) for bone, names in attached.items()
    }
    assert not {bone: names for bone, names in unnamed.items() if names}


def test_split_sentences_keeps_abbreviations_inside_a_sentence():
    assert split_sentences("Rises (Rugg et al. 1990). Falls, e.g. in MyoLeg. Holds.") == [
        "Rises (Rugg et al. 1990).",
        "Falls, e.g. in MyoLeg.",
        "Holds.",
    ]


def test_the_info_text_numbers_each_sentence_by_its_sources(cat):
    """`calfviewer info` and the info panel (same rows) end each sentence with the numbers of its sources, and the
    Sources row says which reference each number is."""
    text = " ".join(describe(cat.get("plantaris"), cat, width=10_000).split())
    assert "Sources: [1] Gray's Anatomy, 42nd ed.; [2] Moore's" in text
    assert "[5] calfviewer's own measurement or drawing" in text
    assert "missing altogether in some people [1]." in text
    assert "not because its leverage is poor [1, 5]." in text
    assert "tibial nerve (S1, S2) [1]" in text


def test_layers_group_every_structure_in_display_order(cat):
    layers = cat.by_layer()
    assert list(layers) == ["bone", "superficial", "intermediate", "deep"]
    assert sum(len(v) for v in layers.values()) == len(cat)
    assert [s.id for s in layers["intermediate"]] == [
        "soleus",
        "plantaris",
        "calcaneal_tendon",
        "extensor_hallucis_longus",
        "fibularis_brevis",
    ]
    assert {s.id for s in layers["deep"]} == {
        "popliteus",
        "tibialis_posterior",
        "flexor_digitorum_longus",
        "flexor_hallucis_longus",
    }


@pytest.mark.parametrize("layer", ["bone", "superficial", "intermediate", "deep"])
def test_a_layer_given_for_a_structure_is_named_a_layer(cat, layer):
    """`calfviewer info deep` said "unknown structure 'deep'", as if the word meant nothing here."""
    with pytest.raises(CatalogueError) as error:
        cat.get(layer)
    assert str(error.value) == (
        f"'{layer}' is a layer, not a structure; `calfviewer info` lists the structures in each layer"
    )


def test_a_very_long_unknown_id_is_not_echoed_whole(cat):
    """A 5,000-character id was repeated whole in the one-line error (5,075 characters on the terminal)."""
    with pytest.raises(CatalogueError) as error:
        cat.get("x" * 5000)
    assert str(error.value) == (f"unknown structure '{'x' * 40}… (5000 characters)'; run `calfviewer info` to list ids")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("SOLEUS", "'soleus'"),
        ("Musculus soleus", "'soleus'"),
        ("Achilles tendon", "'calcaneal_tendon'"),
        ("peroneus longus", "'fibularis_longus'"),
        ("gastrocnemius", "'gastrocnemius_medial_head' or 'gastrocnemius_lateral_head'"),
    ],
)
def test_a_name_given_for_an_id_is_answered_with_the_ids_it_names(cat, typed, meant):
    """`calfviewer info SOLEUS` or `info "Musculus soleus"` (the name the info panel shows) said only "unknown
    structure", with no suggestion: the hint compared the text with the ids letter by letter alone."""
    with pytest.raises(CatalogueError) as error:
        cat.get(typed)
    assert str(error.value) == f"unknown structure '{typed}'; did you mean {meant}? run `calfviewer info` to list ids"


def test_get_unknown_id_names_a_close_match_and_where_to_look(cat):
    with pytest.raises(CatalogueError, match=r"unknown structure 'solues'; did you mean 'soleus'\?.*calfviewer info"):
        cat.get("solues")
    assert "soleus" in cat and "solues" not in cat
    assert cat.body_of("fibula") == "tibia"
    with pytest.raises(CatalogueError, match="not a bone"):
        cat.body_of("soleus")


def test_default_catalogue_is_cached_and_a_path_is_read_fresh(tmp_path):
    assert load_catalogue() is load_catalogue()
    text = (Path(catalogue_module.__file__).parent / "data" / "catalogue.toml").read_text(encoding="utf-8")
    copy = tmp_path / "copy.toml"
    copy.write_text(text, encoding="utf-8")
    first, second = load_catalogue(copy), load_catalogue(copy)
    assert first is not second
    assert first == second == load_catalogue()


def _assert_deeply_frozen(value: object, where: str = "catalogue") -> None:
    """Every public field, all the way down, is a frozen dataclass, a tuple, or an immutable scalar."""
    if dataclasses.is_dataclass(value):
        assert type(value).__dataclass_params__.frozen, where  # type: ignore[attr-defined]
        for f in dataclasses.fields(value):
            if not f.name.startswith("_"):
                _assert_deeply_frozen(getattr(value, f.name), f"{where}.{f.name}")
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            _assert_deeply_frozen(item, f"{where}[{i}]")
    else:
        assert isinstance(value, str | int | float | type(None)), f"{where} is a {type(value).__name__}"


def test_catalogue_cannot_be_changed(cat):
    soleus = cat.get("soleus")
    with pytest.raises(dataclasses.FrozenInstanceError):
        cat.structures = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        soleus.name = "Calf"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        soleus.origins[0].bone = "femur"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        soleus.innervation.roots = ()  # type: ignore[misc, union-attr]
    with pytest.raises(TypeError):
        soleus.origins[0].landmark[0] = 1.0  # type: ignore[index]
    with pytest.raises(AttributeError):
        cat.structures.append(soleus)  # type: ignore[attr-defined]
    # A grouping handed out is the caller's own copy.
    cat.by_layer()["deep"] = ()
    assert cat.by_layer()["deep"]
    _assert_deeply_frozen(cat)


def test_anatomy_layer_imports_no_model_numerics_or_gui():
    code = (
        "import sys, calfviewer.anatomy as a; a.load_catalogue(); "
        "bad = [m for m in ('mujoco', 'myo_sim', 'numpy', 'trimesh', 'vtk', 'pyvista', 'PySide6') "
        "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


# --------------------------------------------------------------------------------------- broken catalogues

VALID = """
schema = 1
side = "right"

[sources.gray42]
short = "Gray's Anatomy, 42nd ed."
reference = "Standring S (ed.). Gray's Anatomy, 42nd edition. Elsevier, 2020."

[[nerve]]
name = "tibial nerve"
latin = "Nervus tibialis"
sources = ["gray42"]

[[compartment]]
key = "superficial posterior"
name = "Posterior compartment, superficial part"
latin = "Pars superficialis compartimenti cruris posterioris"
sources = ["gray42"]

[[group]]
key = "tarsals"
name = "Tarsal bones"
latin = "Ossa tarsi"
sources = ["gray42"]

[[structure]]
id = "tibia"
name = "Tibia"
latin = "Tibia"
kind = "bone"
layer = "bone"
body = "tibia"
group = "leg"
summary = "The shin bone. [gray42]"
sources = ["gray42"]

[[structure]]
id = "calcaneus"
name = "Calcaneus"
latin = "Calcaneus"
kind = "bone"
layer = "bone"
body = "calcn"
group = "tarsals"
summary = "The heel bone. [gray42]"
sources = ["gray42"]

[[structure]]
id = "soleus"
name = "Soleus"
latin = "Musculus soleus"
kind = "muscle"
layer = "intermediate"
compartment = "superficial posterior"
model_tendon = "soleus"
summary = "A flat calf muscle. [gray42]"
blood_supply = "Sural arteries. [gray42]"
innervation = { nerve = "tibial nerve", roots = ["S1", "S2"], sources = ["gray42"] }
sources = ["gray42"]

[[structure.origin]]
bone = "tibia"
description = "Soleal line. [gray42]"
site = "soleus-P1"

[[structure.insertion]]
bone = "calcaneus"
description = "Posterior calcaneus. [gray42]"
landmark = [-0.0026, 0.0177, -0.0102]
landmark_source = "placed by hand, per Gray's Anatomy 42e"

[[structure.action]]
joint = "ankle"
movement = "plantarflexion"
description = "Points the foot. [gray42]"

[[structure]]
id = "calcaneal_tendon"
name = "Calcaneal tendon"
latin = "Tendo calcaneus"
kind = "tendon"
layer = "superficial"
compartment = "superficial posterior"
formed_by = ["soleus"]
summary = "The heel cord. [gray42]"
sources = ["gray42"]

[[structure.insertion]]
bone = "calcaneus"
description = "Posterior calcaneus. [gray42]"
site = "soleus-P2"
"""


def _load_variant(tmp_path: Path, old: str, new: str) -> Catalogue:
    assert old in VALID, f"test bug: {old!r} is not in the template"
    path = tmp_path / "catalogue.toml"
    path.write_text(VALID.replace(old, new, 1), encoding="utf-8")
    return load_catalogue(path)


def test_the_template_itself_is_valid(tmp_path):
    small = _load_variant(tmp_path, "", "")
    assert small.ids == ("tibia", "calcaneus", "soleus", "calcaneal_tendon")
    assert small.get("soleus").insertions[0].landmark == (-0.0026, 0.0177, -0.0102)


BROKEN = {
    "duplicate id": ('id = "calcaneus"', 'id = "tibia"', "structure 'tibia', field 'id': duplicate id"),
    "bad bone reference": (
        'bone = "calcaneus"\ndescription = "Posterior calcaneus. [gray42]"\nlandmark',
        'bone = "calcaneum"\ndescription = "Posterior calcaneus. [gray42]"\nlandmark',
        "catalogue: structure 'soleus', field 'insertion[0].bone': 'calcaneum' is not a bone id",
    ),
    "bad also_on bone": (
        'bone = "calcaneus"\ndescription = "Posterior calcaneus. [gray42]"\nlandmark',
        'bone = "calcaneus"\nalso_on = ["cuboidd"]\ndescription = "Posterior calcaneus. [gray42]"\nlandmark',
        "structure 'soleus', field 'insertion[0].also_on[0]': 'cuboidd' is not a bone id",
    ),
    "disputed not a boolean": (
        'innervation = { nerve = "tibial nerve", roots = ["S1", "S2"], sources = ["gray42"] }',
        'innervation = { nerve = "tibial nerve", roots = ["S1", "S2"], sources = ["gray42"], disputed = "yes" }',
        "innervation.disputed",
    ),
    "muscle as bone": (
        'bone = "tibia"\ndescription = "Soleal line. [gray42]"',
        'bone = "soleus"\ndescription = "Soleal line. [gray42]"',
        "structure 'soleus', field 'origin[0].bone': 'soleus' is not a bone id",
    ),
    "missing blood supply": (
        'blood_supply = "Sural arteries. [gray42]"\n',
        "",
        "structure 'soleus', field 'blood_supply': missing",
    ),
    "missing innervation": (
        'innervation = { nerve = "tibial nerve", roots = ["S1", "S2"], sources = ["gray42"] }\n',
        "",
        "structure 'soleus', field 'innervation': missing",
    ),
    "empty roots": ('roots = ["S1", "S2"]', "roots = []", "structure 'soleus', field 'innervation.roots'"),
    "bad root": ('roots = ["S1", "S2"]', 'roots = ["S1", "S9"]', "field 'innervation.roots[1]': 'S9'"),
    "missing name": ('name = "Tibia"\n', "", "structure 'tibia', field 'name': missing"),
    "missing origin": (
        '[[structure.origin]]\nbone = "tibia"\ndescription = "Soleal line. [gray42]"\nsite = "soleus-P1"\n',
        "",
        "structure 'soleus', field 'origin': missing",
    ),
    "missing insertion": (
        '[[structure.insertion]]\nbone = "calcaneus"\n'
        'description = "Posterior calcaneus. [gray42]"\nsite = "soleus-P2"\n',
        "",
        "structure 'calcaneal_tendon', field 'insertion': missing",
    ),
    "missing action": (
        '[[structure.action]]\njoint = "ankle"\nmovement = "plantarflexion"\n'
        'description = "Points the foot. [gray42]"\n',
        "",
        "structure 'soleus', field 'action': missing",
    ),
    "misspelt field": (
        "[[structure.action]]",
        "[[structure.actoin]]",
        "structure 'soleus', field 'actoin': unknown field; did you mean 'action'?",
    ),
    "bone suggestion": (
        'bone = "tibia"\ndescription = "Soleal line. [gray42]"',
        'bone = "tibai"\ndescription = "Soleal line. [gray42]"',
        "field 'origin[0].bone': 'tibai' is not a bone id; did you mean 'tibia'?",
    ),
    "both site and landmark": (
        'site = "soleus-P1"',
        'site = "soleus-P1"\nlandmark = [0.0, 0.0, 0.0]',
        "structure 'soleus', field 'origin[0].site': give exactly one of 'site' and 'landmark'",
    ),
    "neither site nor landmark": (
        'site = "soleus-P1"',
        "",
        "structure 'soleus', field 'origin[0].site': give exactly one of 'site' and 'landmark'",
    ),
    "landmark without source": (
        'landmark_source = "placed by hand, per Gray\'s Anatomy 42e"\n',
        "",
        "structure 'soleus', field 'insertion[0].landmark_source': missing",
    ),
    "source on a site": (
        'site = "soleus-P1"',
        'site = "soleus-P1"\nlandmark_source = "by eye"',
        "field 'origin[0].landmark_source': only a landmark has a landmark_source",
    ),
    "landmark of two numbers": (
        "landmark = [-0.0026, 0.0177, -0.0102]",
        "landmark = [-0.0026, 0.0177]",
        "structure 'soleus', field 'insertion[0].landmark': must be a list of 3 numbers",
    ),
    "landmark not finite": (
        "landmark = [-0.0026, 0.0177, -0.0102]",
        "landmark = [-0.0026, nan, -0.0102]",
        "field 'insertion[0].landmark': coordinates must be finite",
    ),
    "landmark in millimetres": (
        "landmark = [-0.0026, 0.0177, -0.0102]",
        "landmark = [-2.6, 17.7, -10.2]",
        "field 'insertion[0].landmark': coordinates are metres",
    ),
    "landmark of text": (
        "landmark = [-0.0026, 0.0177, -0.0102]",
        'landmark = ["a", 0.0177, -0.0102]',
        "field 'insertion[0].landmark': must be a list of 3 numbers",
    ),
    "site with side suffix": (
        'site = "soleus-P1"',
        'site = "soleus-P1_r"',
        "structure 'soleus', field 'origin[0].site': 'soleus-P1_r' must be a MyoLeg name stem",
    ),
    "unknown source": (
        'summary = "The heel bone. [gray42]"\nsources = ["gray42"]',
        'summary = "The heel bone. [gray42]"\nsources = ["gray42", "grey41"]',
        "structure 'calcaneus', field 'sources[1]': 'grey41' is not a key of [sources]",
    ),
    "no sources": (
        'summary = "The shin bone. [gray42]"\nsources = ["gray42"]',
        'summary = "The shin bone. [gray42]"\nsources = []',
        "structure 'tibia', field 'sources': must be a non-empty list",
    ),
    "bad layer": (
        'layer = "intermediate"',
        'layer = "middle"',
        "structure 'soleus', field 'layer': 'middle' is not one of bone, superficial, intermediate, deep",
    ),
    "muscle in bone layer": ('layer = "intermediate"', 'layer = "bone"', "structure 'soleus', field 'layer'"),
    "bad kind": (
        'kind = "tendon"',
        'kind = "ligament"',
        "structure 'calcaneal_tendon', field 'kind': 'ligament'",
    ),
    "bad body": ('body = "calcn"', 'body = "calcaneus"', "structure 'calcaneus', field 'body': 'calcaneus'"),
    "bad group": ('group = "tarsals"', 'group = "tarsus"', "structure 'calcaneus', field 'group': 'tarsus'"),
    "bad joint": ('joint = "ankle"', 'joint = "hip"', "structure 'soleus', field 'action[0].joint': 'hip'"),
    "bad movement": (
        'movement = "plantarflexion"',
        'movement = "pointing"',
        "structure 'soleus', field 'action[0].movement': 'pointing'",
    ),
    "bad compartment": (
        'compartment = "superficial posterior"\nmodel_tendon',
        'compartment = "back"\nmodel_tendon',
        "structure 'soleus', field 'compartment': 'back'",
    ),
    "formed_by unknown": (
        'formed_by = ["soleus"]',
        'formed_by = ["solues"]',
        "structure 'calcaneal_tendon', field 'formed_by[0]': 'solues' is not a muscle id",
    ),
    "formed_by a bone": (
        'formed_by = ["soleus"]',
        'formed_by = ["tibia"]',
        "structure 'calcaneal_tendon', field 'formed_by[0]': 'tibia' is not a muscle id",
    ),
    "tendon with neither origin nor formed_by": (
        'formed_by = ["soleus"]\n',
        "",
        "structure 'calcaneal_tendon', field 'origin': a tendon needs an origin or formed_by",
    ),
    "bone with muscle field": (
        'group = "leg"',
        'group = "leg"\nblood_supply = "Nutrient artery."',
        "structure 'tibia', field 'blood_supply': unknown field",
    ),
    "placeholder text": (
        'summary = "The heel bone. [gray42]"',
        'summary = "TODO write this"',
        "structure 'calcaneus', field 'summary': contains placeholder text",
    ),
    "empty text": (
        'latin = "Tibia"',
        'latin = "  "',
        "structure 'tibia', field 'latin': must be non-empty text",
    ),
    "sentence without a citation": (
        'summary = "A flat calf muscle. [gray42]"',
        'summary = "A flat calf muscle. [gray42] It lies under gastrocnemius."',
        "structure 'soleus', field 'summary': 'It lies under gastrocnemius.' has no citation",
    ),
    "two sentences under one citation": (
        'description = "Points the foot. [gray42]"',
        'description = "Points the foot. It steadies the leg. [gray42]"',
        "structure 'soleus', field 'action[0].description': 2 sentences share one citation",
    ),
    "citation of an unknown key": (
        'description = "Soleal line. [gray42]"',
        'description = "Soleal line. [gray42, grey41]"',
        "structure 'soleus', field 'origin[0].description': cites 'grey41', which is not in the structure's sources",
    ),
    "citation with no sentence": (
        'summary = "The heel cord. [gray42]"',
        'summary = "The heel cord. [gray42] [gray42]"',
        "structure 'calcaneal_tendon', field 'summary': citation [gray42] has no sentence before it",
    ),
    "malformed citation": (
        'blood_supply = "Sural arteries. [gray42]"',
        'blood_supply = "Sural arteries [Gray]. [gray42]"',
        "structure 'soleus', field 'blood_supply': malformed citation",
    ),
    "innervation without sources": (
        ', sources = ["gray42"] }',
        " }",
        "structure 'soleus', field 'innervation.sources': missing",
    ),
    "bad id": (
        'id = "calcaneus"',
        'id = "Calcaneus Bone"',
        "field 'id': 'Calcaneus Bone' must be snake_case",
    ),
    "no id": ('id = "tibia"\n', "", "structure #1 (no id), field 'id': missing"),
    "schema version": ("schema = 1", "schema = 2", "field 'schema': must be 1"),
    "unknown source citation field": (
        'reference = "Standring',
        'citation = "Standring',
        "source 'gray42', field 'citation': unknown field",
    ),
    "not TOML": ('side = "right"', "side = right", "catalogue: not valid TOML"),
    # A nerve or compartment shown without its Latin name would leave a Latin round or the Latin names in English.
    "nerve without its names": (
        'name = "tibial nerve"\nlatin',
        'name = "tibial nerves"\nlatin',
        "structure 'soleus', field 'innervation.nerve': 'tibial nerve' has no [[nerve]] table; did you mean "
        "'tibial nerves'?",
    ),
    "nerve without a Latin name": (
        'latin = "Nervus tibialis"\n',
        "",
        "catalogue: nerve 'tibial nerve', field 'latin': missing",
    ),
    "compartment without its names": (
        'key = "superficial posterior"',
        'key = "deep posterior"',
        "structure 'soleus', field 'compartment': 'superficial posterior' has no [[compartment]] table",
    ),
    "unknown compartment": (
        'key = "superficial posterior"',
        'key = "posterior"',
        "compartment #1, field 'key': 'posterior' is not one of superficial posterior, deep posterior",
    ),
    "compartment named twice": (
        "[[compartment]]\n",
        '[[compartment]]\nkey = "superficial posterior"\nname = "Superficial"\nlatin = "Pars superficialis"\n'
        'sources = ["gray42"]\n\n[[compartment]]\n',
        "compartment 'superficial posterior', field 'key': 'superficial posterior' is given twice",
    ),
    "name cites an unknown source": (
        'latin = "Nervus tibialis"\nsources = ["gray42"]',
        'latin = "Nervus tibialis"\nsources = ["ta9"]',
        "nerve 'tibial nerve', field 'sources[0]': 'ta9' is not a key of [sources]",
    ),
    # A bone group shown without its names would print its key ("Group: tarsals") and stay English in Latin.
    "bone group without its names": (
        'key = "tarsals"',
        'key = "metatarsals"',
        "structure 'calcaneus', field 'group': 'tarsals' has no [[group]] table giving its names",
    ),
    "bone group without a Latin name": (
        'latin = "Ossa tarsi"\n',
        "",
        "catalogue: group 'tarsals', field 'latin': missing",
    ),
    # "leg" is the app's bucket for the long bones, not a group anatomy names: no table may name it.
    "the long bones named as a group": (
        'key = "tarsals"',
        'key = "leg"',
        "group #1, field 'key': 'leg' is not one of tarsals, metatarsals, phalanges",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_broken_catalogue_fails_naming_structure_and_field(tmp_path, case):
    old, new, message = BROKEN[case]
    with pytest.raises(CatalogueError) as error:
        _load_variant(tmp_path, old, new)
    text = str(error.value)
    assert message in text
    assert "\n" not in text  # one line, as the command line prints it


def test_missing_file_is_a_catalogue_error(tmp_path):
    with pytest.raises(CatalogueError, match=r"cannot read .*nowhere\.toml"):
        load_catalogue(tmp_path / "nowhere.toml")


def test_parse_catalogue_reads_text_without_a_file():
    assert parse_catalogue(VALID).get("calcaneal_tendon").formed_by == ("soleus",)
