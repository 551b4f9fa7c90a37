"""`calfviewer quiz` and `--names`: the contracts as an independent check runs them, and their one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def quiz_json(*argv: str) -> dict:
    """The command run as a user runs it, in its own process."""
    done = subprocess.run(
        [sys.executable, "-m", "calfviewer", "quiz", *argv, "--json"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_quiz_json_is_a_round_of_ten_with_answers(catalogue):
    payload = quiz_json("--seed", "12")
    questions = payload["questions"]
    assert len(questions) == 10
    assert len({q["question"] for q in questions}) == 10
    for q in questions:
        assert isinstance(q["question"], str) and q["question"]
        assert isinstance(q["choices"], list)
        if q["choices"]:
            assert q["answer"] in q["choices"]
        else:
            assert q["answer"] in catalogue, q  # a structure id: the one a click must pick
    assert any(not q["choices"] for q in questions) and any(q["choices"] for q in questions)


def test_the_same_seed_gives_the_same_round_and_others_differ(run_cli):
    assert quiz_json("--seed", "12") == quiz_json("--seed", "12")
    rounds = []
    for seed in range(8):
        code, out, err = run_cli("quiz", "--seed", str(seed), "--json")
        assert code == 0, err
        rounds.append(json.dumps(json.loads(out)["questions"]))
    assert len(set(rounds)) == 8


def test_quiz_in_latin_is_the_same_round_in_latin_words(run_cli):
    _, english, _ = run_cli("quiz", "--seed", "3", "--json")
    _, latin, _ = run_cli("quiz", "--seed", "3", "--json", "--names", "latin")
    english_q, latin_q = json.loads(english)["questions"], json.loads(latin)["questions"]
    assert [q["kind"] for q in english_q] == [q["kind"] for q in latin_q]
    text = " ".join(q["question"] + " " + " ".join(q["choices"]) for q in latin_q)
    assert "Musculus" in text or "Caput" in text or "Tendo" in text or "Os " in text or "Phalanx" in text


def test_quiz_text_lists_the_questions_and_then_the_answers(run_cli):
    code, out, _ = run_cli("quiz", "--seed", "12")
    assert code == 0
    payload = json.loads(run_cli("quiz", "--seed", "12", "--json")[1])
    head, answers = out.split("\nAnswers:\n")
    assert "seed 12" in head.splitlines()[0]
    for number, q in enumerate(payload["questions"], start=1):
        assert f"{number:>2}. {q['question']}" in head
        if q["choices"]:
            letter = "abcd"[q["choices"].index(q["answer"])]
            assert f"{number:>2}. {letter}) {q['answer']}" in answers
        else:
            assert f", id {q['answer']}\n" in answers


@pytest.mark.parametrize(("names", "name"), [("english", "Popliteus"), ("latin", "Musculus popliteus")])
def test_the_answer_key_names_a_click_answer_and_letters_a_choice(run_cli, names, name):
    """A teacher marks a printed round by the letters beside the choices and the names the round uses; the key
    gave only the choice's text and, for a structure to click, its id (`popliteus`, `fibularis_brevis`)."""
    code, out, _ = run_cli("quiz", "--seed", "1", "--names", names)
    answers = out.split("\nAnswers:\n")[1].splitlines()
    assert code == 0 and len(answers) == 10
    assert answers[1] == " 2. b) inversion"  # seed 1: "What does Tibialis anterior do at the subtalar joint?"
    assert answers[2] == f" 3. {name}, id popliteus"  # seed 1: the muscle whose action is shown


def test_a_quiz_without_a_seed_says_its_seed(run_cli):
    code, out, _ = run_cli("quiz", "--json")
    payload = json.loads(out)
    assert code == 0 and isinstance(payload["seed"], int)
    assert json.loads(run_cli("quiz", "--json", "--seed", str(payload["seed"]))[1]) == payload


@pytest.mark.parametrize("names", ["english", "latin"])
def test_the_command_a_quiz_page_names_prints_that_page_again(run_cli, names):
    """A page in Latin named `calfviewer quiz --seed N`, which prints the round in English."""
    code, page, _ = run_cli("quiz", "--seed", "7", "--names", names)
    again = page.split("`")[1]
    assert code == 0 and again.startswith("calfviewer quiz ")
    assert run_cli(*again.split()[1:])[1] == page


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (("quiz", "--seed", "x"), "'x' is not a whole number from 0 to 2147483647"),
        (("quiz", "--seed", "-3"), "--seed"),
        (("quiz", "--seed", "99999999999"), "not a whole number from 0 to 2147483647"),
        (("quiz", "--seed", "１２"), "not a whole number"),
        # More digits than Python converts (4300): before, "invalid _seed value", the parser's private name.
        (("quiz", "--seed", "9" * 5000), "--seed: '99999999999… is not a whole number from 0 to 2147483647"),
        (("quiz", "--names", "klingon"), "invalid choice: 'klingon' (choose from 'english', 'latin')"),
        (("info", "--names", "klingon"), "invalid choice: 'klingon'"),
        (("render", "--out", "x.png", "--names", "klingon"), "invalid choice: 'klingon'"),
    ],
)
def test_bad_quiz_and_names_values_are_one_line_exit_2(run_cli, argv, says):
    code, out, err = run_cli(*argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert says in err


def test_info_in_latin(run_cli):
    code, out, _ = run_cli("info", "tibialis_posterior", "--names", "latin")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Musculus tibialis posterior (tibialis_posterior)"
    assert "  English: Tibialis posterior" in lines
    assert any(line.startswith("  Insertion: Os naviculare:") for line in lines)
    assert "  Compartment: Pars profunda compartimenti cruris posterioris" in lines
    assert any(line.startswith("  Innervation: Nervus tibialis (L4, L5) [") for line in lines)
    code, out, _ = run_cli("info", "--names", "latin", "--json")
    names = {s["id"]: s["name"] for layer in json.loads(out)["layers"] for s in layer["structures"]}
    assert names["soleus"] == "Musculus soleus" and names["navicular"] == "Os naviculare"


def test_info_names_a_bone_s_group_as_anatomy_does_and_gives_the_femur_none(run_cli):
    """`calfviewer info femur` printed "Group: leg" (the femur is the thigh bone; the leg, or crus, is knee to ankle)
    and `info calcaneus` "Group: tarsals", the raw key, in English even with --names latin. The femur has no Group
    line; the calcaneus' names its group in English or, with --names latin, by its TA name. --json keeps the keys."""
    code, out, _ = run_cli("info", "femur")
    assert code == 0 and out.startswith("Femur (femur)\n")
    assert not any(line.startswith("  Group:") for line in out.splitlines()), out
    code, out, _ = run_cli("info", "calcaneus")
    assert code == 0 and "  Group: Tarsal bones" in out.splitlines()
    code, out, _ = run_cli("info", "calcaneus", "--names", "latin")
    assert code == 0 and "  Group: Ossa tarsi" in out.splitlines()
    for structure_id, group in (("femur", "leg"), ("calcaneus", "tarsals"), ("metatarsal_1", "metatarsals")):
        code, out, _ = run_cli("info", structure_id, "--json")
        assert code == 0 and json.loads(out)["group"] == group
