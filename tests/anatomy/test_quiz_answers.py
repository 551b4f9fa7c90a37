"""Every quiz question has exactly one right answer, judged by the anatomy texts, not by the catalogue or the quiz.

The oracle below is a table written out by hand from the texts the catalogue cites (each row's source in its
comment): /work/shared/calf-anatomy-reference.md (the project's anatomy reference, "reference" below) for the
compartments and the triceps surae's attachments; Gray's Anatomy 42nd ed. ("Gray's") and Moore's Clinically Oriented
Anatomy 9th ed. ("Moore") for actions, attachments, nerves and spinal segments; Terminologia Anatomica 2nd ed.
("TA2") for the Latin names, the nerves' and the compartments' too. Nothing in it is read from the catalogue or
computed by calfviewer.anatomy.quiz.

Over 500 seeds, in English and in Latin names, every question of every kind is checked: the answer marked right is
right by the table, no other choice (or, for a click, no other structure the scene draws) is also right, the
wording does not name the answer, no fact is asked twice in a round, and a Latin round names everything in Latin:
structures, nerves ("Nervus tibialis", not "tibial nerve") and compartments ("Compartimentum cruris laterale").
Both legs ask the same rounds: the window's left-leg scene has the same structures and attachment patches as the
right (tests/geometry/test_quiz_targets.py), so the targets here stand for either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from calfviewer.anatomy.quiz import Question, QuizTargets, make_round

SEEDS = range(500)

# --- the oracle --------------------------------------------------------------------------------------------------
#: English name -> TA2 Latin name, for every structure a question can name or a click can pick.
NAMES: dict[str, tuple[str, str]] = {
    "gastrocnemius_medial_head": ("Gastrocnemius, medial head", "Caput mediale musculi gastrocnemii"),  # TA2
    "gastrocnemius_lateral_head": ("Gastrocnemius, lateral head", "Caput laterale musculi gastrocnemii"),  # TA2
    "soleus": ("Soleus", "Musculus soleus"),  # TA2
    "plantaris": ("Plantaris", "Musculus plantaris"),  # TA2
    "calcaneal_tendon": ("Calcaneal tendon (Achilles tendon)", "Tendo calcaneus"),  # TA2
    "popliteus": ("Popliteus", "Musculus popliteus"),  # TA2
    "tibialis_posterior": ("Tibialis posterior", "Musculus tibialis posterior"),  # TA2
    "flexor_digitorum_longus": ("Flexor digitorum longus", "Musculus flexor digitorum longus"),  # TA2
    "flexor_hallucis_longus": ("Flexor hallucis longus", "Musculus flexor hallucis longus"),  # TA2
    "tibialis_anterior": ("Tibialis anterior", "Musculus tibialis anterior"),  # TA2
    "extensor_digitorum_longus": ("Extensor digitorum longus", "Musculus extensor digitorum longus"),  # TA2
    "extensor_hallucis_longus": ("Extensor hallucis longus", "Musculus extensor hallucis longus"),  # TA2
    "fibularis_longus": ("Fibularis longus (peroneus longus)", "Musculus fibularis longus"),  # TA2
    "fibularis_brevis": ("Fibularis brevis (peroneus brevis)", "Musculus fibularis brevis"),  # TA2
    "femur": ("Femur", "Femur"),  # TA2
    "tibia": ("Tibia", "Tibia"),  # TA2
    "fibula": ("Fibula", "Fibula"),  # TA2
    "calcaneus": ("Calcaneus", "Calcaneus"),  # TA2
    "navicular": ("Navicular", "Os naviculare"),  # TA2
    "cuboid": ("Cuboid", "Os cuboideum"),  # TA2
    "medial_cuneiform": ("Medial cuneiform", "Os cuneiforme mediale"),  # TA2
    "intermediate_cuneiform": ("Intermediate cuneiform", "Os cuneiforme intermedium"),  # TA2
    "lateral_cuneiform": ("Lateral cuneiform", "Os cuneiforme laterale"),  # TA2
    **{f"metatarsal_{n}": (f"{word} metatarsal", f"Os metatarsi {roman}")  # TA2 (Ossa metatarsi I-V)
       for n, word, roman in [(1, "First", "I"), (2, "Second", "II"), (3, "Third", "III"), (4, "Fourth", "IV"),
                              (5, "Fifth", "V")]},
    "proximal_phalanx_1": ("Proximal phalanx of the great toe", "Phalanx proximalis hallucis"),  # TA2
    "distal_phalanx_1": ("Distal phalanx of the great toe", "Phalanx distalis hallucis"),  # TA2
    **{f"{row}_phalanx_{n}": (f"{row.capitalize()} phalanx of the {word} toe", f"Phalanx {latin} digiti {roman} pedis")
       for row, latin in [("middle", "media"), ("distal", "distalis")]  # TA2 (Phalanx media, distalis; digiti pedis)
       for n, word, roman in [(2, "second", "II"), (3, "third", "III"), (4, "fourth", "IV"), (5, "fifth", "V")]},
}  # fmt: skip

SUPERFICIAL = ("gastrocnemius_medial_head", "gastrocnemius_lateral_head", "soleus", "plantaris")
DEEP = ("popliteus", "tibialis_posterior", "flexor_digitorum_longus", "flexor_hallucis_longus")
ANTERIOR = ("tibialis_anterior", "extensor_digitorum_longus", "extensor_hallucis_longus")
LATERAL = ("fibularis_longus", "fibularis_brevis")
#: The compartment of the leg each muscle lies in: the reference, "Compartments and what separates them". The
#: calcaneal tendon is the tendon of the superficial posterior group (gastrocnemius and soleus; reference, "70-90%").
COMPARTMENT: dict[str, str] = {
    **dict.fromkeys((*SUPERFICIAL, "calcaneal_tendon"), "superficial posterior"),
    **dict.fromkeys(DEEP, "deep posterior"),
    **dict.fromkeys(ANTERIOR, "anterior"),
    **dict.fromkeys(LATERAL, "lateral"),
}
#: The nerve that supplies each muscle: Gray's and Moore alike (tibial nerve for the posterior compartment, deep
#: fibular for the anterior, superficial fibular for the lateral); the reference names the deep fibular nerve with
#: the anterior compartment.
NERVE: dict[str, str] = {
    **dict.fromkeys((*SUPERFICIAL, *DEEP), "tibial nerve"),
    **dict.fromkeys(ANTERIOR, "deep fibular nerve"),
    **dict.fromkeys(LATERAL, "superficial fibular nerve"),
}
#: Each nerve's and compartment's name as a choice shows it: English, TA2 Latin. TA2 writes "fibularis" (with
#: "peroneus" as its synonym) and divides Compartimentum cruris posterius into Pars superficialis and Pars profunda,
#: a part named with its compartment in the genitive (as "Caput mediale musculi gastrocnemii" above).
TERMS: dict[str, tuple[str, str]] = {
    "tibial nerve": ("tibial nerve", "Nervus tibialis"),  # TA2
    "deep fibular nerve": ("deep fibular nerve", "Nervus fibularis profundus"),  # TA2 (N. peroneus profundus)
    "superficial fibular nerve": ("superficial fibular nerve", "Nervus fibularis superficialis"),  # TA2
    "superficial posterior": (
        "Posterior compartment, superficial part",
        "Pars superficialis compartimenti cruris posterioris",  # TA2: Compartimentum cruris posterius, its Pars
        # superficialis
    ),
    "deep posterior": (
        "Posterior compartment, deep part",
        "Pars profunda compartimenti cruris posterioris",  # TA2: Compartimentum cruris posterius, Pars profunda
    ),
    "anterior": ("Anterior compartment", "Compartimentum cruris anterius"),  # TA2
    "lateral": ("Lateral compartment", "Compartimentum cruris laterale"),  # TA2
}
#: The spinal cord segments each text gives. A choice is right if it is one of them, or inside or around one
#: (a text that adds a segment at one end says the same thing).
SEGMENTS: dict[str, tuple[frozenset[str], ...]] = {
    "gastrocnemius_medial_head": (frozenset({"S1", "S2"}),),  # Gray's; Moore
    "gastrocnemius_lateral_head": (frozenset({"S1", "S2"}),),  # Gray's; Moore
    "soleus": (frozenset({"S1", "S2"}),),  # Gray's; Moore
    "plantaris": (frozenset({"S1", "S2"}),),  # Gray's; Moore
    "popliteus": (frozenset({"L4", "L5", "S1"}),),  # Gray's; Moore
    "tibialis_posterior": (frozenset({"L4", "L5"}), frozenset({"L5", "S1"})),  # Moore; Gray's
    "flexor_digitorum_longus": (frozenset({"S2", "S3"}), frozenset({"S1", "S2"})),  # Moore; other texts (S1, S2)
    "flexor_hallucis_longus": (frozenset({"S2", "S3"}), frozenset({"S1", "S2"})),  # Moore; other texts (S1, S2)
    "tibialis_anterior": (frozenset({"L4", "L5"}),),  # Gray's; Moore
    "extensor_digitorum_longus": (frozenset({"L5", "S1"}),),  # Gray's; Moore
    "extensor_hallucis_longus": (frozenset({"L5", "S1"}),),  # Moore
    "fibularis_longus": (frozenset({"L5", "S1"}), frozenset({"L5", "S1", "S2"})),  # Gray's; Moore
    "fibularis_brevis": (frozenset({"L5", "S1"}), frozenset({"L5", "S1", "S2"})),  # Gray's; Moore
}
#: What each muscle does at each joint it acts on (Gray's; Moore): at the knee, ankle (talocrural), subtalar joint,
#: and the joints of the toes.
ACTIONS: dict[str, dict[str, frozenset[str]]] = {
    "gastrocnemius_medial_head": {"ankle": frozenset({"plantarflexion"}), "knee": frozenset({"flexion"})},
    "gastrocnemius_lateral_head": {"ankle": frozenset({"plantarflexion"}), "knee": frozenset({"flexion"})},
    "soleus": {"ankle": frozenset({"plantarflexion"})},
    "plantaris": {"ankle": frozenset({"plantarflexion"}), "knee": frozenset({"flexion"})},  # weakly, both
    "calcaneal_tendon": {"ankle": frozenset({"plantarflexion"})},  # the pull of triceps surae
    # Rotates the tibia medially on the femur (the femur laterally on a planted tibia), and weakly flexes.
    "popliteus": {"knee": frozenset({"medial rotation", "flexion"})},
    "tibialis_posterior": {"subtalar": frozenset({"inversion"}), "ankle": frozenset({"plantarflexion"})},
    "flexor_digitorum_longus": {"toes": frozenset({"flexion"}), "ankle": frozenset({"plantarflexion"})},
    "flexor_hallucis_longus": {"toes": frozenset({"flexion"}), "ankle": frozenset({"plantarflexion"})},
    "tibialis_anterior": {"ankle": frozenset({"dorsiflexion"}), "subtalar": frozenset({"inversion"})},
    # Everts with its lower part, fibularis tertius (Moore).
    "extensor_digitorum_longus": {
        "toes": frozenset({"extension"}),
        "ankle": frozenset({"dorsiflexion"}),
        "subtalar": frozenset({"eversion"}),
    },
    "extensor_hallucis_longus": {"toes": frozenset({"extension"}), "ankle": frozenset({"dorsiflexion"})},
    "fibularis_longus": {"subtalar": frozenset({"eversion"}), "ankle": frozenset({"plantarflexion"})},
    "fibularis_brevis": {"subtalar": frozenset({"eversion"}), "ankle": frozenset({"plantarflexion"})},
}
TOES = [f"{row}_phalanx_{n}" for row in ("middle", "distal") for n in (2, 3, 4, 5)]
#: The bones each muscle arises from (Gray's; Moore; for the triceps surae and plantaris also the reference,
#: "Level by level").
ORIGINS: dict[str, frozenset[str]] = {
    "gastrocnemius_medial_head": frozenset({"femur"}),
    "gastrocnemius_lateral_head": frozenset({"femur"}),
    "soleus": frozenset({"tibia", "fibula"}),
    "plantaris": frozenset({"femur"}),
    "calcaneal_tendon": frozenset(),
    "popliteus": frozenset({"femur"}),  # lateral femoral condyle (and the lateral meniscus)
    "tibialis_posterior": frozenset({"tibia", "fibula"}),  # and the interosseous membrane
    "flexor_digitorum_longus": frozenset({"tibia"}),
    "flexor_hallucis_longus": frozenset({"fibula"}),
    "tibialis_anterior": frozenset({"tibia"}),
    "extensor_digitorum_longus": frozenset({"tibia", "fibula"}),  # lateral tibial condyle, anterior fibula
    "extensor_hallucis_longus": frozenset({"fibula"}),
    "fibularis_longus": frozenset({"fibula"}),
    "fibularis_brevis": frozenset({"fibula"}),
}
#: The bones each muscle inserts on, slips included (Gray's; Moore; reference for the calcaneal tendon, plantaris).
INSERTIONS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("gastrocnemius_medial_head", "gastrocnemius_lateral_head", "soleus", "calcaneal_tendon"),
        frozenset({"calcaneus"}),
    ),
    "plantaris": frozenset({"calcaneus"}),  # beside the calcaneal tendon, medially, or blending with it
    "popliteus": frozenset({"tibia"}),  # above the soleal line
    # The navicular tuberosity, with slips to the sustentaculum tali, the cuneiforms, the cuboid and metatarsals 2-4.
    "tibialis_posterior": frozenset(
        {"navicular", "calcaneus", "medial_cuneiform", "intermediate_cuneiform", "lateral_cuneiform", "cuboid"}
        | {"metatarsal_2", "metatarsal_3", "metatarsal_4"}
    ),
    "flexor_digitorum_longus": frozenset(f"distal_phalanx_{n}" for n in (2, 3, 4, 5)),
    "flexor_hallucis_longus": frozenset({"distal_phalanx_1"}),
    "tibialis_anterior": frozenset({"medial_cuneiform", "metatarsal_1"}),
    "extensor_digitorum_longus": frozenset({*TOES, "metatarsal_5"}),  # fibularis tertius, its lower part
    "extensor_hallucis_longus": frozenset({"distal_phalanx_1", "proximal_phalanx_1"}),  # an expansion, often
    "fibularis_longus": frozenset({"metatarsal_1", "medial_cuneiform"}),
    "fibularis_brevis": frozenset({"metatarsal_5"}),
}
MUSCLES = tuple(ACTIONS)
JOINTS = {"the knee": "knee", "the ankle": "ankle", "the subtalar joint": "subtalar", "the joints of the toes": "toes"}
#: Words of a name that tell a student the answer without knowing it: (word in the name, word in the answer).
TELLTALES = [
    ("flexor", "flexion"),
    ("extensor", "extension"),
    ("anterior", "anterior"),
    ("tibialis", "tibial"),
    ("plantaris", "plantarflexion"),
    ("hallucis", "hallucis"),
    ("digiti", "digitorum"),
    ("tibia", "tibialis"),
    ("fibula", "fibularis"),
    # Latin: "Musculus tibialis posterior" and "Nervus tibialis" share the whole word, as do the fibular muscles and
    # nerves; "posterior" and "anterior" decline in a compartment's name.
    ("tibialis", "tibialis"),
    ("fibularis", "fibularis"),
    ("posterior", "posterius"),
    ("posterior", "posterioris"),
    ("anterior", "anterius"),
    ("lateral", "lateral"),
    ("laterale", "laterale"),
]


# --- reading a question --------------------------------------------------------------------------------------------
def name_of(structure_id: str, names: str) -> str:
    english, latin = NAMES[structure_id]
    return latin if names == "latin" else english


def term_of(key: str, names: str) -> str:
    english, latin = TERMS[key]
    return latin if names == "latin" else english


def by_name(text: str, names: str) -> str:
    """The id of the structure a choice or a question's text names (in the round's name style)."""
    (found,) = [sid for sid in NAMES if name_of(sid, names) == text]
    return found


def bone_in(text: str, names: str) -> str:
    """The bone a question names at its end ("... on the navicular belong to?", "... inserts on Os naviculare.")."""
    found = []
    for sid in NAMES:
        name = name_of(sid, names)
        shown = name if names == "latin" else f"the {name[0].lower()}{name[1:]}"
        if re.search(rf" on {re.escape(shown)}( belong to\?|\.)$", text):
            found.append(sid)
    assert len(found) == 1, text
    return found[0]


def joint_in(text: str) -> str:
    (joint,) = [j for words, j in JOINTS.items() if f" at {words}" in text]
    return joint


def segments_right(subject: str, choice: str) -> bool:
    chosen = frozenset(choice.split(", "))
    return any(chosen <= given or chosen >= given for given in SEGMENTS[subject])


def right_choices(q: Question, names: str) -> list[str]:
    """The choices the texts make right."""
    if q.kind == "attachment":
        bone = bone_in(q.text, names)
        role = ORIGINS if "highlighted origin" in q.text else INSERTIONS
        return [c for c in q.choices if bone in role[by_name(c, names)]]
    subject = q.subject
    if q.kind == "nerve":
        return [c for c in q.choices if c == term_of(NERVE[subject], names)]
    if q.kind == "roots":
        return [c for c in q.choices if segments_right(subject, c)]
    if q.kind == "compartment":
        return [c for c in q.choices if c == term_of(COMPARTMENT[subject], names)]
    assert q.kind == "action", q.kind
    return [c for c in q.choices if c in ACTIONS[subject].get(joint_in(q.text), frozenset())]


def fitting_clicks(q: Question, names: str, clickable: frozenset[str]) -> list[str]:
    """Every structure drawn that a click could rightly pick."""
    shown = [sid for sid in NAMES if sid in clickable]
    if q.kind in ("click_insertion", "click_origin"):
        bone = bone_in(q.text, names)
        role = INSERTIONS if q.kind == "click_insertion" else ORIGINS
        return [sid for sid in shown if sid in role and bone in role[sid]]
    if q.kind == "click_action":
        joint = joint_in(q.text)
        (movement,) = re.findall(r"actions include (.+) at ", q.text)
        return [sid for sid in shown if sid in ACTIONS and movement in ACTIONS[sid].get(joint, ())]
    assert q.kind == "click_name", q.kind
    other = "english" if names == "latin" else "latin"
    (name,) = re.findall(r"name is (.+)\.$", q.text)
    return [sid for sid in shown if name_of(sid, other) == name]


def fact(q: Question, names: str) -> tuple[str, str]:
    """(structure, what is asked of it): two questions with the same fact are the same question twice."""
    if q.kind == "attachment":
        return q.subject, "origin" if "highlighted origin" in q.text else "insertion"
    if q.kind in ("click_insertion", "click_origin"):
        return q.answer, q.kind.removeprefix("click_")
    if q.kind in ("click_action", "action"):
        return q.subject, f"action at {joint_in(q.text)}"
    return q.subject, q.kind


def rounds(catalogue, targets: QuizTargets) -> Iterator[tuple[str, int, tuple[Question, ...]]]:
    for names in ("english", "latin"):
        for seed in SEEDS:
            yield names, seed, make_round(catalogue, targets, seed, names).questions


@pytest.fixture(scope="module")
def all_rounds(catalogue, targets) -> list[tuple[str, int, tuple[Question, ...]]]:
    return list(rounds(catalogue, targets))


# --- the checks ----------------------------------------------------------------------------------------------------
def test_every_kind_is_asked(all_rounds):
    asked = {q.kind for _, _, questions in all_rounds for q in questions}
    assert asked >= {"click_insertion", "click_action", "click_name", "attachment", "nerve", "roots"}
    assert asked >= {"compartment", "action"}


def test_every_choice_question_has_exactly_one_right_choice_by_the_texts(all_rounds):
    wrong = set()
    for names, seed, questions in all_rounds:
        for q in questions:
            if not q.by_click and right_choices(q, names) != [q.answer]:
                wrong.add((names, seed, q.text, q.choices, q.answer, tuple(right_choices(q, names))))
    assert not wrong, sorted(wrong)[:5]


def test_every_click_question_fits_exactly_the_one_structure_it_takes(all_rounds, targets):
    wrong = set()
    for names, _, questions in all_rounds:
        for q in questions:
            if q.by_click and fitting_clicks(q, names, targets.clickable) != [q.answer]:
                wrong.add((q.text, q.answer, tuple(fitting_clicks(q, names, targets.clickable))))
    assert not wrong, sorted(wrong)


def test_no_wording_names_the_answer(all_rounds):
    """A name that points at the right choice and at no wrong one answers the question for the student: "Which
    compartment of the leg holds Tibialis anterior?" (anterior), "What does Flexor hallucis longus do at the joints
    of the toes?" (flexion), "... the highlighted insertion on Phalanx distalis hallucis ..." (Musculus flexor
    hallucis longus the only choice with hallucis). A name pointing at a wrong choice too is fair: it tests it."""
    given_away = set()
    for names, _, questions in all_rounds:
        for q in questions:
            if q.by_click:
                continue
            text = q.text.casefold()

            def pointed(choice: str, text: str = text) -> bool:
                return any(
                    re.search(rf"\b{clue}\b", text) and re.search(rf"\b{word}\b", choice.casefold())
                    for clue, word in TELLTALES
                )

            if pointed(q.answer) and not any(pointed(c) for c in q.choices if c != q.answer):
                given_away.add((names, q.text, q.answer))
    assert not given_away, "\n".join(map(str, sorted(given_away)))


def test_no_fact_is_asked_twice_in_a_round(all_rounds):
    """Two questions asking the same thing of the same structure: "click the muscle that inserts on the navicular"
    and "which muscle does the highlighted insertion on the navicular belong to?", or "... inserts on the middle
    phalanx of the third toe" and "... of the fourth toe" (both extensor digitorum longus)."""
    repeated = set()
    for names, seed, questions in all_rounds:
        facts = [fact(q, names) for q in questions]
        assert len({q.text for q in questions}) == len(questions), (names, seed)
        if len(set(facts)) != len(facts):
            repeated.add((names, seed, tuple(q.text for q in questions if facts.count(fact(q, names)) > 1)))
    assert not repeated, f"{len(repeated)} rounds, e.g. {sorted(repeated)[:3]}"


def test_a_latin_round_names_every_structure_in_latin(all_rounds):
    english_only = {english for english, latin in (*NAMES.values(), *TERMS.values()) if english != latin}
    for names, seed, questions in all_rounds:
        if names != "latin":
            continue
        for q in questions:
            words = [q.text.removesuffix(".").split("English name is ")[0], *q.choices]
            for text in words:
                assert not [e for e in english_only if re.search(rf"\b{re.escape(e)}\b", text)], (seed, q.text)
            if not q.by_click:
                assert q.kind == "attachment" or name_of(q.subject, "latin") in q.text, q.text
                if q.kind == "attachment":
                    assert all(c in {latin for _, latin in NAMES.values()} for c in q.choices), q.choices


def test_a_latin_round_words_nerves_and_compartments_in_latin(all_rounds):
    """A Latin round offered "tibial nerve", "deep fibular nerve" and "superficial posterior" as choices: every
    nerve and compartment it shows, as a choice or as the answer, is now its TA2 name, and the marking follows."""
    keys = {"nerve": set(NERVE.values()), "compartment": set(COMPARTMENT.values())}
    asked = set()
    for names, seed, questions in all_rounds:
        for q in questions:
            if q.kind in keys:
                shown = {term_of(key, names) for key in keys[q.kind]}
                assert set(q.choices) <= shown and q.answer in shown, (names, seed, q.text, q.choices)
                asked.add((names, q.kind))
    assert asked == {(names, kind) for names in ("english", "latin") for kind in ("nerve", "compartment")}
