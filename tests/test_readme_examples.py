"""The README's example outputs are what the commands print today: each example's JSON objects and CSV lines are
compared with a fresh run of the command written above it. Why: the examples had drifted (a quiz round of another
seed's questions, rounded numbers from an older model, a sweep's JSON described as a shape it does not have)."""

from __future__ import annotations

import json
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _block_after(heading: str) -> str:
    """The fenced block that follows the README line starting with ``heading``."""
    text = README.read_text(encoding="utf-8")
    start = text.index(heading)
    fence = text.index("```", start)
    body_start = text.index("\n", fence) + 1
    return text[body_start : text.index("```", body_start)]


def _objects_starting(block: str, first_key: str) -> list[dict]:
    """Every complete JSON object in ``block`` whose first key is ``first_key`` (the example elides the rest)."""
    decoder = json.JSONDecoder()
    return [decoder.raw_decode(block, m.start())[0] for m in re.finditer(r'\{"' + re.escape(first_key) + '"', block)]


def test_the_quiz_example_is_seed_4s_round(run_cli):
    block = _block_after("`calfviewer quiz --seed N --json`")
    code, out, err = run_cli("quiz", "--seed", "4", "--json")
    assert code == 0, err
    printed = json.loads(out)
    assert re.search(r'"seed": 4, "names": "english"', block)
    shown = _objects_starting(block, "kind")
    assert len(shown) >= 2
    # The round's first questions, in order: a reader takes the example's first question for the round's first.
    assert shown == printed["questions"][: len(shown)]


def test_the_measure_example_is_what_measure_prints_at_its_pose(run_cli):
    heading = "`calfviewer measure --plantarflexion 20 --knee-flexion 30 --json`"
    block = _block_after(heading)
    code, out, err = run_cli("measure", "--plantarflexion", "20", "--knee-flexion", "30", "--json")
    assert code == 0, err
    printed = json.loads(out)
    assert _objects_starting(block, "plantarflexion") == [printed["pose"]]
    assert _objects_starting(block, "id") == [printed["muscles"][0]]


def test_the_sweep_csv_example_is_the_sweep_s_first_lines(run_cli):
    block = _block_after("`calfviewer measure --sweep ankle=-30:40:5 --csv`")
    code, out, err = run_cli("measure", "--sweep", "ankle=-30:40:5", "--csv")
    assert code == 0, err
    lines = out.splitlines()
    shown = [line for line in block.splitlines() if line and line != "..."]
    assert shown == lines[: len(shown)]
    muscles = len(json.loads(run_cli("measure", "--json")[1])["muscles"])
    assert f"(15 poses x {muscles} muscles, one row each" in README.read_text(encoding="utf-8")
    assert len(lines) == 1 + 15 * muscles


def test_the_readme_states_the_bookmark_file_limit_the_code_keeps():
    """What a bookmark file holds is one number (scene/bookmarks.BOOKMARKS_LIMIT); the README states it to users."""
    from calfviewer.scene.bookmarks import BOOKMARKS_LIMIT

    assert BOOKMARKS_LIMIT % (1 << 20) == 0
    assert f"A bookmark file holds at most\n{BOOKMARKS_LIMIT >> 20} MB" in README.read_text(encoding="utf-8")
