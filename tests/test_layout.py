"""The house rules docs/ARCHITECTURE.md states about the package's layout, checked on the code itself."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "calfviewer"
LONG = 500  # issue 22: "no module over about 500 lines without a reason written at its top"


def test_a_module_over_500_lines_says_why_at_its_top():
    unexplained = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") <= LONG:
            continue
        doc = ast.get_docstring(ast.parse(text)) or ""
        # "Over 500 lines on purpose: ..." or "Why it is still over 500 lines: ...", wrapped anywhere
        if "500 lines" not in " ".join(doc.split()):
            unexplained.append(f"{path.relative_to(ROOT)} ({text.count(chr(10))} lines)")
    assert not unexplained, "modules over 500 lines with no reason in their docstring: " + ", ".join(unexplained)


def _rows(table: str) -> list[tuple[str, str]]:
    """(module, first sentence) of each row of the module table; line counts left out, since they move each edit."""
    return [(m[1], m[2].strip()) for m in re.finditer(r"^  (\S+\.py)\s+\d+  (.*)$", table, flags=re.MULTILINE)]


def test_the_architecture_module_table_is_the_code_s_layout():
    """docs/ARCHITECTURE.md's "Modules" table lists every module with its docstring's first sentence, as
    ``scripts/module-map`` prints them from the code (issue 22: the doc once listed a command that did not exist)."""
    printed = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "module-map")], capture_output=True, text=True, check=True
    ).stdout
    doc = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    table = doc[doc.index("## Modules") :]
    table = table[table.index("```") + 3 :]
    table = table[: table.index("```")]
    assert len(_rows(printed)) > 80
    assert _rows(table) == _rows(printed), "run `.venv/bin/python scripts/module-map` and paste it into the table"
