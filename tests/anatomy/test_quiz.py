"""The quiz drawn from the catalogue: rounds of ten, seeded, every answer unique by the catalogue's own facts.

The targets here say "everything in the catalogue is drawn and every attachment has a patch"; which ones the real
scene shows is tested in tests/geometry/test_quiz_targets.py and, by picking, in tests/scene/test_quiz_reachable.py.
"""

from __future__ import annotations

import pytest

from calfviewer.anatomy.names import display_name
from calfviewer.anatomy.quiz import (
    KINDS,
    MAX_CHOICES,
    ROUND_SIZE,
    SEED_MAX,
    QuizTargets,
    all_questions,
    make_round,
)

SEEDS = range(60)


def test_a_round_is_ten_different_questions(catalogue, targets):
    for seed in SEEDS:
        quiz = make_round(catalogue, targets, seed)
        assert len(quiz.questions) == ROUND_SIZE
        assert len({q.text for q in quiz.questions}) == ROUND_SIZE, seed
        assert quiz.seed == seed


def test_the_seed_alone_decides_the_round(catalogue, targets):
    assert make_round(catalogue, targets, 42) == make_round(catalogue, targets, 42)
    rounds = {tuple(q.text for q in make_round(catalogue, targets, seed).questions) for seed in SEEDS}
    assert len(rounds) == len(SEEDS)  # sixty seeds, sixty different rounds


def test_a_round_mixes_clicks_and_choices(catalogue, targets):
    for seed in SEEDS:
        questions = make_round(catalogue, targets, seed).questions
        assert any(q.by_click for q in questions) and any(not q.by_click for q in questions), seed
        assert len({q.kind for q in questions}) >= 5, seed


def test_latin_words_the_same_round_in_latin(catalogue, targets):
    for seed in (0, 7, 1234):
        english = make_round(catalogue, targets, seed, "english").questions
        latin = make_round(catalogue, targets, seed, "latin").questions
        assert [(q.kind, q.subject) for q in english] == [(q.kind, q.subject) for q in latin]
        for e, la in zip(english, latin, strict=True):
            if e.kind == "attachment":  # choices are muscle names: the same muscles, in Latin
                to_latin = {s.name: s.latin for s in catalogue}
                assert [to_latin[c] for c in e.choices] == list(la.choices)
                assert to_latin[e.answer] == la.answer
            elif e.kind in ("nerve", "compartment"):  # the same nerves and compartments, by their Latin names
                to_latin = {t.name: t.latin for t in (*catalogue.nerves, *catalogue.compartments)}
                assert [to_latin[c] for c in e.choices] == list(la.choices)
                assert to_latin[e.answer] == la.answer
            elif e.by_click:
                assert e.answer == la.answer
    question = next(
        q for q in all_questions(catalogue, targets, "latin") if q.kind == "compartment" and q.subject == "soleus"
    )
    assert "Musculus soleus" in question.text


def test_known_questions_and_their_answers(catalogue, targets):
    """Spot checks against the anatomy (Gray's Anatomy, 42nd ed.), written out by hand."""
    by_text = {q.text: q for q in all_questions(catalogue, targets)}
    shown = "Of the structures shown, click the muscle"
    assert by_text[f"{shown} that inserts on the navicular."].answer == "tibialis_posterior"
    assert by_text[f"{shown} whose actions include medial rotation at the knee."].answer == "popliteus"
    # True only of what is drawn: the hamstrings, gracilis, sartorius and the quadriceps (through the patellar
    # ligament) insert on the tibia too (Gray's Anatomy 42e), so the question must say "of the structures shown".
    assert by_text[f"{shown} that inserts on the tibia."].answer == "popliteus"
    assert by_text["Click the structure whose Latin name is Musculus soleus."].answer == "soleus"
    roots = by_text["From which spinal cord segments do the nerve fibres supplying Popliteus come?"]
    assert roots.answer == "L4, L5, S1" and roots.answer in roots.choices
    compartment = by_text["Which compartment of the leg holds Tibialis posterior?"]
    assert compartment.answer == "Posterior compartment, deep part"
    assert "Posterior compartment, superficial part" in compartment.choices  # "posterior" points at both
    in_latin = {q.text: q for q in all_questions(catalogue, targets, "latin")}
    assert in_latin["Which nerve supplies Musculus soleus?"].answer == "Nervus tibialis"
    assert in_latin["Which nerve supplies Musculus extensor hallucis longus?"].answer == "Nervus fibularis profundus"
    compartment = in_latin["Which compartment of the leg holds Musculus fibularis brevis?"]
    assert compartment.answer == "Compartimentum cruris laterale"
    assert set(compartment.choices) == {
        "Pars superficialis compartimenti cruris posterioris",
        "Pars profunda compartimenti cruris posterioris",
        "Compartimentum cruris anterius",
        "Compartimentum cruris laterale",
    }
    action = by_text["What does Soleus do at the ankle (talocrural joint)?"]
    assert action.answer == "plantarflexion" and "dorsiflexion" in action.choices
    # Shared word for word by gastrocnemius and soleus (through the calcaneal tendon): never asked as a patch.
    assert not any(
        q.kind == "attachment" and q.highlight.structure_id == "soleus" and q.highlight.role == "insertion"
        for q in by_text.values()
    )
    # A bone's Latin name that is its English name asks nothing.
    assert "Click the structure whose Latin name is Tibia." not in by_text


def _soft(catalogue, targets):
    return [s for s in catalogue if s.kind in ("muscle", "tendon") and s.id in targets.clickable]


def test_every_click_answer_is_the_only_structure_that_fits(catalogue, targets):
    """Checked from the catalogue's facts, not from the generator: no other drawn structure fits the question."""
    questions = [q for q in all_questions(catalogue, targets) if q.by_click]
    assert {q.kind for q in questions} >= {"click_insertion", "click_action", "click_name"}
    for q in questions:
        answer = catalogue.get(q.answer)
        assert q.answer in targets.clickable and q.choices == ()
        if q.kind in ("click_insertion", "click_origin"):
            attachments = (lambda s: s.insertions) if q.kind == "click_insertion" else (lambda s: s.origins)
            bones = [
                bone
                for a in attachments(answer)
                for bone in a.bones
                if q.text.endswith(f"the {catalogue.get(bone).name.lower()}.")
            ]
            assert len(bones) == 1, q.text
            # A muscle whose slips reach the bone (also_on, from its description or notes) fits too.
            fits = [s.id for s in _soft(catalogue, targets) if any(bones[0] in a.bones for a in attachments(s))]
        elif q.kind == "click_action":
            named = [a for a in answer.actions if f" {a.movement} at " in q.text]
            assert named, q.text
            fits = [
                s.id
                for s in _soft(catalogue, targets)
                if any((a.joint, a.movement) == (named[0].joint, named[0].movement) for a in s.actions)
            ]
        else:
            assert q.text.endswith(f" {answer.latin}.")
            fits = [s.id for s in catalogue if q.text.endswith(f" {s.latin}.")]
        assert fits == [q.answer], q.text


def test_every_choice_question_has_exactly_one_true_choice(catalogue, targets):
    questions = [q for q in all_questions(catalogue, targets) if not q.by_click]
    assert {q.kind for q in questions} >= {"attachment", "roots", "compartment", "action"}
    names = {display_name(s): s for s in catalogue}
    for q in questions:
        subject = catalogue.get(q.subject)
        assert 2 <= len(q.choices) <= MAX_CHOICES and len(set(q.choices)) == len(q.choices), q.text
        assert q.answer in q.choices
        if q.kind == "attachment":
            role, index = q.highlight.role, q.highlight.index
            bone = (subject.origins if role == "origin" else subject.insertions)[index].bone
            assert q.highlight.structure_id == q.subject and (q.subject, role, index) in targets.attachments
            true = [
                c
                for c in q.choices
                if any(bone in a.bones for a in (names[c].origins if role == "origin" else names[c].insertions))
            ]
        elif q.kind == "nerve":
            true = [c for c in q.choices if c == catalogue.nerve(subject.innervation.nerve).name]
        elif q.kind == "roots":
            true = [c for c in q.choices if c == ", ".join(subject.innervation.roots)]
        elif q.kind == "compartment":
            true = [c for c in q.choices if c == catalogue.compartment(subject.compartment).name]
        else:
            joint = next(a.joint for a in subject.actions if a.movement == q.answer)
            true = [c for c in q.choices if any((a.joint, a.movement) == (joint, c) for a in subject.actions)]
        assert true == [q.answer], q.text


def test_nerve_questions_come_when_the_catalogue_names_more_than_one_nerve(catalogue, targets):
    nerves = {s.innervation.nerve for s in catalogue if s.innervation}
    asked = [q for q in all_questions(catalogue, targets) if q.kind == "nerve"]
    if len(nerves) < 2:
        assert asked == []  # every choice would be right
    else:
        # All but tibialis posterior, whose name says "tibial nerve" and no other choice (test_quiz_answers.py).
        assert {q.subject for q in asked} == {s.id for s in catalogue.muscles()} - {"tibialis_posterior"}
        assert all(set(q.choices) <= {catalogue.nerve(n).name for n in nerves} for q in asked)


def test_only_what_the_scene_shows_is_asked(catalogue, targets):
    shown = QuizTargets(
        clickable=frozenset(s.id for s in catalogue if s.id != "tibialis_posterior"),
        attachments=frozenset(a for a in targets.attachments if a[0] != "plantaris"),
    )
    questions = all_questions(catalogue, shown)
    assert all(q.subject != "tibialis_posterior" for q in questions)
    assert all(q.highlight is None or q.highlight.structure_id != "plantaris" for q in questions)


def test_json_shape(catalogue, targets):
    data = make_round(catalogue, targets, 5).to_dict()
    assert data["seed"] == 5 and data["names"] == "english"
    for item in data["questions"]:
        assert set(item) >= {"question", "choices", "answer"}
        assert item["kind"] in KINDS
        if item["choices"]:
            assert item["answer"] in item["choices"]
        else:
            assert item["answer"] in catalogue


@pytest.mark.parametrize("seed", [-1, SEED_MAX + 1, 1.5, True, "3"])
def test_a_seed_outside_the_range_is_refused(catalogue, targets, seed):
    with pytest.raises(ValueError, match="seed"):
        make_round(catalogue, targets, seed)


def test_unknown_names_are_refused(catalogue, targets):
    with pytest.raises(ValueError, match="english, latin"):
        make_round(catalogue, targets, 1, "klingon")


def test_no_roots_question_where_the_texts_give_different_segments(catalogue, targets):
    """Tibialis posterior's segments are L4, L5 in Moore 9e and L5, S1 in Gray's: a round offering L5, S1 as wrong
    (seed 2 did) marks a textbook answer wrong. Such muscles (innervation.disputed) are not asked."""
    disputed = {s.id for s in catalogue if s.innervation is not None and s.innervation.disputed}
    assert {"tibialis_posterior", "flexor_digitorum_longus", "flexor_hallucis_longus"} <= disputed
    asked = {q.subject for q in all_questions(catalogue, targets) if q.kind == "roots"}
    assert asked and not asked & disputed


def test_no_roots_choice_is_part_or_all_of_the_right_set(catalogue, targets):
    """A wrong choice that lies inside the right set is true as far as it goes (the fibres of popliteus, L4, L5,
    S1, do come from L4 and L5), and one that holds it is the set other texts give by adding a segment at one end
    (L4, L5, S1 for tibialis anterior, L4, L5): either is a second right answer. Before, seed 1 offered
    extensor hallucis longus L4, L5, S1 beside its L5, S1, and popliteus's question offered L4, L5 and L5, S1."""
    asked = [q for q in all_questions(catalogue, targets) if q.kind == "roots"]
    # Still asked of the muscles whose sets others contain or lie inside, so the check below is not empty for them.
    assert {"popliteus", "tibialis_anterior", "extensor_digitorum_longus", "extensor_hallucis_longus"} <= {
        q.subject for q in asked
    }
    for q in asked:
        right = set(", ".join(catalogue.get(q.subject).innervation.roots).split(", "))
        assert q.answer == ", ".join(catalogue.get(q.subject).innervation.roots)
        for choice in q.choices:
            if choice != q.answer:
                wrong = set(choice.split(", "))
                assert not wrong <= right and not wrong >= right, (q.text, choice)
        assert len(q.choices) >= 3, q.text  # the right set and at least two wrong ones


def test_slips_count_as_attachments_in_the_quiz(catalogue, targets):
    """Tibialis posterior sends slips to the sustentaculum tali and the cuneiforms, and fibularis tertius (part of
    extensor digitorum longus here) reaches the fifth metatarsal: before, seeds 116, 229 and 39 offered them as the
    wrong answers to which muscle attaches there."""
    questions = all_questions(catalogue, targets)
    for q in questions:
        if q.kind == "attachment" and q.text.endswith(("on the calcaneus belong to?", "medial cuneiform belong to?")):
            assert display_name(catalogue.get("tibialis_posterior")) not in q.choices, q.text
        if q.kind == "attachment" and "fifth metatarsal" in q.text:
            assert display_name(catalogue.get("extensor_digitorum_longus")) not in q.choices, q.text
    assert not [q for q in questions if q.kind == "click_insertion" and q.text.endswith("fifth metatarsal.")]
    # A click question asks for a main attachment, not a slip: nothing asks which muscle inserts on the cuboid.
    assert not [q for q in questions if q.kind == "click_insertion" and q.text.endswith(("cuboid.", "cuneiform."))]
