"""A quiz generated from the catalogue: a seeded round of ten questions with one right answer each.

Why generated: every question comes from the catalogue's own facts (attachments, actions, nerves, compartments,
Latin names), so adding a muscle to the catalogue adds its questions, and no question can say something the info
panel does not.

Why here, below the scene: grading needs nothing but the answer. A question answered by a click holds the id of
the one structure that answers it (the window's pick decides); a question answered by a button holds the right
choice's text. What the scene can show is passed in as :class:`QuizTargets` (the ids a click can pick and the
attachment patches that can be highlighted), so a question is only asked where the window can take its answer.

Why each answer is unique: a click question is asked only where exactly one shown structure fits it, and says so
("of the structures shown, click the muscle that inserts on the navicular": the hamstrings insert on the tibia
too), and a choice question's wrong choices are drawn only from values that are not true of its subject (a nerve
that does not supply it, a muscle with no attachment of that kind on that bone, a set of spinal segments that is
neither part of its set nor holds it).

Why seeded: a teacher gives a class the same round by giving its seed; ``calfviewer quiz --seed N --json`` prints
it. The seed alone decides the questions, their choices and their order; the name style changes only the wording.

Why a Latin round is Latin all the way: every name a question shows, in its text or as a choice, is the name of a
structure, nerve or compartment in the round's style (:func:`calfviewer.anatomy.names.display_name`), so a student
drilling Terminologia Anatomica picks "Nervus fibularis profundus", not "deep fibular nerve". The words around the
names, and the movements and spinal segments, are the English of the app.
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final

from calfviewer.anatomy.catalogue import Catalogue, Structure, Term
from calfviewer.anatomy.names import DEFAULT_NAMES, check_names, display_name

__all__ = [
    "JOINT_MOVEMENTS",
    "KINDS",
    "MAX_CHOICES",
    "ROUND_SIZE",
    "SEED_MAX",
    "Highlight",
    "Question",
    "QuizRound",
    "QuizTargets",
    "all_questions",
    "make_round",
]

ROUND_SIZE: Final = 10
#: At most this many choices (the right one and up to three wrong ones), as in a printed multiple-choice test.
MAX_CHOICES: Final = 4
#: Seeds are whole numbers 0..SEED_MAX: what a 32-bit spin box holds, so the window takes any seed the CLI does.
SEED_MAX: Final = 2**31 - 1

#: Question kinds. ``click_*`` are answered by a click on the 3D view, the rest by a choice.
KINDS: Final[tuple[str, ...]] = (
    "click_insertion",
    "click_origin",
    "click_action",
    "click_name",
    "attachment",
    "nerve",
    "roots",
    "compartment",
    "action",
)

#: The movements each joint allows, the pool the action question's choices come from. Source: Standring S (ed.),
#: Gray's Anatomy, 42nd ed., 2020: knee (flexion, extension and the rotations of the flexed knee), talocrural joint
#: (plantarflexion, dorsiflexion), subtalar joint (inversion, eversion), metatarsophalangeal and interphalangeal
#: joints of the toes (flexion, extension).
JOINT_MOVEMENTS: Final[dict[str, tuple[str, ...]]] = {
    "knee": ("flexion", "extension", "medial rotation", "lateral rotation"),
    "ankle": ("plantarflexion", "dorsiflexion"),
    "subtalar": ("inversion", "eversion"),
    "toes": ("flexion", "extension"),
}
JOINT_TITLES: Final[dict[str, str]] = {
    "knee": "the knee",
    "ankle": "the ankle (talocrural joint)",
    "subtalar": "the subtalar joint",
    "toes": "the joints of the toes",
}
ROLE_VERBS: Final[dict[str, str]] = {"origin": "arises from", "insertion": "inserts on"}


@dataclass(frozen=True)
class QuizTargets:
    """What the scene shows, so a question is asked only where the window can take its answer.

    Attributes:
        clickable: ids of the structures the scene draws (a click on one picks its id).
        attachments: ``(structure id, role, index)`` of every origin or insertion patch the scene can highlight.
    """

    clickable: frozenset[str]
    attachments: frozenset[tuple[str, str, int]]


@dataclass(frozen=True)
class Highlight:
    """The attachment patch the window shows for an attachment question (the structure's origin or insertion)."""

    structure_id: str
    role: str
    index: int


@dataclass(frozen=True)
class Question:
    """One question and its one right answer.

    Attributes:
        kind: one of :data:`KINDS`.
        text: the question as a student reads it (names in the round's style).
        choices: the choices to click, in the order shown; empty where a click on the 3D view answers.
        answer: the id of the structure a click must pick, or the right choice's text.
        subject: the id of the structure the question is about (for a click question, the answer).
        asks: what the question asks of its subject ("insertion", "origin", "action at knee", "name", "nerve",
            "roots", "compartment"): a round asks each of these once per structure, so "click the muscle that
            inserts on the navicular" and "which muscle does the highlighted insertion on the navicular belong
            to?" (or the middle phalanges of two toes, both extensor digitorum longus) never meet in one round.
        highlight: the attachment patch to show (attachment questions only).
    """

    kind: str
    text: str
    choices: tuple[str, ...]
    answer: str
    subject: str
    asks: str
    highlight: Highlight | None = None

    @property
    def by_click(self) -> bool:
        """True where a click on the 3D view answers (the answer is a structure id)."""
        return not self.choices

    def is_correct(self, response: str | None) -> bool:
        """Whether ``response`` (the picked structure id, or the chosen text) is the right answer."""
        return response == self.answer

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "question": self.text,
            "choices": list(self.choices),
            "answer": self.answer,
            "highlight": (
                None
                if self.highlight is None
                else {
                    "structure": self.highlight.structure_id,
                    "role": self.highlight.role,
                    "index": self.highlight.index,
                }
            ),
        }


@dataclass(frozen=True)
class QuizRound:
    """A round: the seed it came from, the name style of its wording, and its questions in order."""

    seed: int
    names: str
    questions: tuple[Question, ...]

    def to_dict(self) -> dict[str, Any]:
        """The shape ``calfviewer quiz --json`` prints (documented in the README)."""
        return {"seed": self.seed, "names": self.names, "questions": [q.to_dict() for q in self.questions]}


def make_round(
    catalogue: Catalogue, targets: QuizTargets, seed: int, names: str = DEFAULT_NAMES, size: int = ROUND_SIZE
) -> QuizRound:
    """A round of ``size`` different questions (fewer only if the catalogue cannot make that many), decided by
    ``seed`` alone.

    Kinds take turns, so a round mixes clicking and choosing; within a kind, a structure not yet asked about
    comes first. No question is asked twice, in the same words or in other words (the same :attr:`Question.asks`
    of the same structure).
    """
    names = check_names(names)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= SEED_MAX:
        raise ValueError(f"seed {seed!r} is not a whole number from 0 to {SEED_MAX}")
    rng = random.Random(seed)
    by_kind: dict[str, list[Question]] = defaultdict(list)
    for question in _questions(catalogue, targets, names, rng):
        by_kind[question.kind].append(question)
    kinds = [kind for kind in KINDS if by_kind[kind]]
    for kind in kinds:
        rng.shuffle(by_kind[kind])
    rng.shuffle(kinds)
    chosen: list[Question] = []
    texts: set[str] = set()
    subjects: set[str] = set()
    facts: set[tuple[str, str]] = set()
    while len(chosen) < size and any(by_kind[kind] for kind in kinds):
        for kind in kinds:
            pool = [q for q in by_kind[kind] if q.text not in texts and (q.subject, q.asks) not in facts]
            by_kind[kind] = pool
            if not pool or len(chosen) >= size:
                continue
            question = next((q for q in pool if q.subject not in subjects), pool[0])
            pool.remove(question)
            chosen.append(question)
            texts.add(question.text)
            subjects.add(question.subject)
            facts.add((question.subject, question.asks))
    rng.shuffle(chosen)
    return QuizRound(seed=seed, names=names, questions=tuple(chosen))


def all_questions(catalogue: Catalogue, targets: QuizTargets, names: str = DEFAULT_NAMES) -> list[Question]:
    """Every question the catalogue allows (choices in one seeded order): what rounds are drawn from."""
    return list(_questions(catalogue, targets, check_names(names), random.Random(0)))


# --- generation ---------------------------------------------------------------------------------------------------
def _article(structure: Structure, names: str) -> str:
    """A bone's name inside a sentence: "the navicular" in English; the Latin name as it stands."""
    name = display_name(structure, names)
    return name if names == "latin" else f"the {name[0].lower()}{name[1:]}"


def _word(structure: Structure) -> str:
    return "tendon" if structure.kind == "tendon" else "muscle"


def _stems(texts: Iterable[str]) -> set[str]:
    """The first four letters of every word of four letters or more: "flexor" and "flexion", "tibia", "tibialis"
    and "tibial", "digiti" and "digitorum", "plantaris" and "plantarflexion" share theirs."""
    return {word[:4] for text in texts for word in re.findall(r"[a-z]+", text.casefold()) if len(word) >= 4}


def _clue(named: Iterable[str], labels: Callable[[str], Iterable[str]]) -> Callable[[str], set[str]]:
    """The word stems a choice (by its key) shares with a name the question says (``named``, in both name styles;
    ``labels`` gives a key's labels in both): what in the wording points at it."""
    stems = _stems(named)
    return lambda key: stems & _stems(labels(key))


def _choices(
    right: str,
    wrong: Iterable[str],
    rng: random.Random,
    label: Callable[[str], str] = str,
    clue: Callable[[str], set[str]] | None = None,
) -> tuple[str, ...] | None:
    """The right choice and up to MAX_CHOICES - 1 wrong ones, shuffled, as ``label`` shows them.

    Drawn from the keys (ids, nerve names) in sorted order, never from the shown labels, so the seed alone decides
    which and in what order: the same round in English and in Latin.

    Where the question's wording points at the right choice (``clue``: "Which compartment of the leg holds
    Tibialis anterior?", "What does Flexor hallucis longus do at the joints of the toes?", "... the highlighted
    insertion on Phalanx distalis hallucis", where Musculus flexor hallucis longus would be the only choice with
    hallucis), a wrong choice it points at by the same word is among the choices (Musculus flexor digitorum longus
    for Phalanx media digiti II pedis, whose answer is extensor digitorum longus), so the name is a test rather than
    the answer; where there is none, None: the name alone answers it, and it is not asked. ``clue`` looks at both
    name styles, so a question is asked in both or in neither.
    """
    pool = sorted(set(wrong) - {right})
    pointers = clue(right) if clue is not None else set()
    if pointers and clue is not None:
        decoys = [key for key in pool if clue(key) & pointers]
        if not decoys:
            return None
        decoy = rng.choice(decoys)
        pool.remove(decoy)
        picked = [decoy, *rng.sample(pool, min(len(pool), MAX_CHOICES - 2))]
    else:
        picked = rng.sample(pool, min(len(pool), MAX_CHOICES - 1))
    choices = [right, *picked]
    rng.shuffle(choices)
    return tuple(label(choice) for choice in choices)


def _both_names(named: Structure | Term) -> tuple[str, str]:
    """A structure's (nerve's, compartment's) English and Latin names: what a clue is looked for in (see
    :func:`_choices`). Both, whichever style the round is in: "Musculus tibialis posterior" and "Nervus tibialis"
    share the whole word "tibialis", as "Tibialis posterior" and "tibial nerve" share "tibi", so the question is left
    out in both styles and the seed still makes the same round in each."""
    return named.name, named.latin


def _questions(catalogue: Catalogue, targets: QuizTargets, names: str, rng: random.Random) -> Iterable[Question]:
    shown = [s for s in catalogue if s.id in targets.clickable]
    soft = [s for s in shown if s.kind in ("muscle", "tendon")]
    muscles = [s for s in shown if s.kind == "muscle"]
    yield from _click_attachment(catalogue, soft, "insertion", names)
    yield from _click_attachment(catalogue, soft, "origin", names)
    yield from _click_action(soft, names)
    yield from _click_name(catalogue, shown, names)
    yield from _attachment(catalogue, targets, muscles, names, rng)
    yield from _nerve(catalogue, muscles, names, rng)
    yield from _roots(catalogue, muscles, names, rng)
    yield from _compartment(catalogue, soft, names, rng)
    yield from _action(muscles, names, rng)


def _click_attachment(catalogue: Catalogue, soft: list[Structure], role: str, names: str) -> Iterable[Question]:
    """ "Of the structures shown, click the muscle that inserts on the navicular": asked for a bone exactly one
    shown structure attaches to in that role (slips included), where that attachment's own bone it is."""
    on_bone: dict[str, list[Structure]] = defaultdict(list)
    main: set[tuple[str, str]] = set()  # (structure, bone) where the bone is one of its attachments' own
    for structure in soft:
        attachments = structure.insertions if role == "insertion" else structure.origins
        for bone in dict.fromkeys(bone for a in attachments for bone in a.bones):  # slips count (also_on)
            on_bone[bone].append(structure)
        main.update((structure.id, a.bone) for a in attachments)
    for bone, owners in on_bone.items():
        # Asked only where the one owner's attachment is on the bone itself, not by a slip: tibialis posterior's
        # variable plantar slips (to the cuneiforms, the cuboid, the middle metatarsals) made half of these
        # questions, an atlas's detail rather than what a student is asked to know.
        if len(owners) != 1 or (owners[0].id, bone) not in main:
            continue
        (owner,) = owners
        # "Of the structures shown": outside the app more muscles fit (the hamstrings and quadriceps insert on the
        # tibia, flexor digitorum brevis on the middle phalanges), so the question is only true of what is drawn.
        bone_name = _article(catalogue.get(bone), names)
        text = f"Of the structures shown, click the {_word(owner)} that {ROLE_VERBS[role]} {bone_name}."
        yield Question(f"click_{role}", text, (), owner.id, owner.id, role)


def _click_action(soft: list[Structure], names: str) -> Iterable[Question]:
    """ "Of the structures shown, click the muscle whose actions include medial rotation at the knee": where
    exactly one shown structure has that action, and it is a muscle."""
    doers: dict[tuple[str, str], list[Structure]] = defaultdict(list)
    for structure in soft:
        for action in structure.actions:
            doers[(action.joint, action.movement)].append(structure)
    for (joint, movement), structures in doers.items():
        if len(structures) == 1 and structures[0].kind == "muscle":
            text = (
                f"Of the structures shown, click the muscle whose actions include {movement} at "
                f"{JOINT_TITLES[joint]}."  # gracilis, sartorius and the medial hamstrings rotate the knee too
            )
            yield Question("click_action", text, (), structures[0].id, structures[0].id, f"action at {joint}")


def _click_name(catalogue: Catalogue, shown: list[Structure], names: str) -> Iterable[Question]:
    """ "Click the structure whose Latin name is Musculus soleus" (in Latin mode, its English name): the muscles, the
    tendon and the bones of the leg whose two names differ (the small foot bones are too many to tell apart by a
    click)."""
    other = "english" if names == "latin" else "latin"
    counts = Counter(display_name(s, other) for s in catalogue)
    title = "English" if other == "english" else "Latin"
    for structure in shown:
        if structure.kind == "bone" and structure.group != "leg":
            continue
        name = display_name(structure, other)
        if counts[name] == 1 and structure.name.casefold() != structure.latin.casefold():  # "Tibia" asks nothing
            yield Question(
                "click_name",
                f"Click the structure whose {title} name is {name}.",
                (),
                structure.id,
                structure.id,
                "name",
            )


def _attachment(
    catalogue: Catalogue, targets: QuizTargets, muscles: list[Structure], names: str, rng: random.Random
) -> Iterable[Question]:
    """ "Which muscle does the highlighted insertion on the calcaneus belong to?", with the patch highlighted.

    The right muscle is the only choice with an attachment in that role on that bone, so the bone and the patch
    decide; an attachment several muscles share word for word (the calcaneal tendon's) is never asked.
    """
    described = Counter(
        (role, a.bone, a.description)
        for s in catalogue
        for role, attachments in (("origin", s.origins), ("insertion", s.insertions))
        for a in attachments
    )
    for muscle in muscles:
        for role, attachments in (("origin", muscle.origins), ("insertion", muscle.insertions)):
            for index, attachment in enumerate(attachments):
                if (muscle.id, role, index) not in targets.attachments:
                    continue
                if described[(role, attachment.bone, attachment.description)] != 1:
                    continue
                wrong = [
                    other.id
                    for other in muscles
                    if other.id != muscle.id
                    and all(  # a muscle whose slips reach the bone (also_on) attaches there too: not a wrong choice
                        attachment.bone not in a.bones
                        for a in (other.origins if role == "origin" else other.insertions)
                    )
                ]
                if not wrong:
                    continue
                clue = _clue(_both_names(catalogue.get(attachment.bone)), lambda sid: _both_names(catalogue.get(sid)))
                choices = _choices(muscle.id, wrong, rng, lambda sid: display_name(catalogue.get(sid), names), clue)
                if choices is None:  # "... on Fibula", "Tibialis anterior"; "... on Phalanx distalis hallucis"
                    continue
                bone = _article(catalogue.get(attachment.bone), names)
                text = f"Which muscle does the highlighted {role} on {bone} belong to?"
                yield Question(
                    "attachment",
                    text,
                    choices,
                    display_name(muscle, names),
                    muscle.id,
                    role,
                    Highlight(muscle.id, role, index),
                )


def _nerve(catalogue: Catalogue, muscles: list[Structure], names: str, rng: random.Random) -> Iterable[Question]:
    """ "Which nerve supplies soleus?", the wrong choices from the other nerves the catalogue names (asked only when
    it names more than one); the choices are the nerves' names in the round's style ("Nervus tibialis")."""
    nerves = {s.innervation.nerve for s in catalogue if s.innervation is not None}

    def label(key: str) -> str:
        return display_name(catalogue.nerve(key), names)

    for muscle in muscles:
        if muscle.innervation is None or len(nerves) < 2:
            continue
        right = muscle.innervation.nerve
        clue = _clue(_both_names(muscle), lambda key: _both_names(catalogue.nerve(key)))
        choices = _choices(right, nerves - {right}, rng, label, clue)
        if choices is None:  # Tibialis posterior: the tibial nerve (Musculus tibialis posterior: Nervus tibialis)
            continue
        text = f"Which nerve supplies {display_name(muscle, names)}?"
        yield Question("nerve", text, choices, label(right), muscle.id, "nerve")


def _roots(catalogue: Catalogue, muscles: list[Structure], names: str, rng: random.Random) -> Iterable[Question]:
    """ "From which spinal cord segments do the nerve fibres of soleus come?", the wrong choices from the other
    segment sets the catalogue names. Not asked where the texts disagree (``innervation.disputed``): a set another
    cited text gives would be marked wrong.

    A set inside the right one or holding it is never a wrong choice: "L4, L5" for popliteus (L4, L5, S1) is true as
    far as it goes, and "L4, L5, S1" for tibialis anterior (L4, L5) is what texts that add a segment at one end give,
    so either would be a second right answer."""
    sets = {s.innervation.roots for s in catalogue if s.innervation is not None}
    for muscle in muscles:
        if muscle.innervation is None or muscle.innervation.disputed or len(sets) < 2:
            continue
        segments = set(muscle.innervation.roots)
        wrong = [", ".join(other) for other in sets if not (set(other) <= segments or set(other) >= segments)]
        if not wrong:
            continue
        right = ", ".join(muscle.innervation.roots)
        text = f"From which spinal cord segments do the nerve fibres supplying {display_name(muscle, names)} come?"
        choices = _choices(right, wrong, rng)  # segments ("L5, S1") share no word with a name
        assert choices is not None
        yield Question("roots", text, choices, right, muscle.id, "roots")


def _compartment(catalogue: Catalogue, soft: list[Structure], names: str, rng: random.Random) -> Iterable[Question]:
    """ "Which compartment of the leg holds soleus?", the choices the compartments the catalogue uses, by their names
    in the round's style ("Posterior compartment, superficial part", "Pars superficialis compartimenti cruris
    posterioris"), as the structure tree and the info panel name them."""
    used = {s.compartment for s in catalogue if s.compartment}

    def label(key: str) -> str:
        return display_name(catalogue.compartment(key), names)

    for structure in soft:
        if structure.compartment is None or len(used) < 2:
            continue
        right = structure.compartment
        clue = _clue(_both_names(structure), lambda key: _both_names(catalogue.compartment(key)))
        choices = _choices(right, used - {right}, rng, label, clue)
        if choices is None:  # Tibialis anterior: the anterior compartment (Compartimentum cruris anterius)
            continue
        text = f"Which compartment of the leg holds {display_name(structure, names)}?"
        yield Question("compartment", text, choices, label(right), structure.id, "compartment")


def _action(muscles: list[Structure], names: str, rng: random.Random) -> Iterable[Question]:
    """ "What does soleus do at the ankle?", where the muscle has one action at that joint; the wrong choices are
    the joint's other movements."""
    for muscle in muscles:
        at_joint: dict[str, list[str]] = defaultdict(list)
        for action in muscle.actions:
            at_joint[action.joint].append(action.movement)
        for joint, movements in at_joint.items():
            if len(movements) != 1:
                continue
            (right,) = movements
            wrong = [m for m in JOINT_MOVEMENTS[joint] if m != right]
            choices = _choices(right, wrong, rng, clue=_clue(_both_names(muscle), lambda key: (key,)))
            if choices is None:  # flexor ... flexion, extensor ... extension, plantaris ... plantarflexion
                continue
            text = f"What does {display_name(muscle, names)} do at {JOINT_TITLES[joint]}?"
            yield Question("action", text, choices, right, muscle.id, f"action at {joint}")
