"""The README's "Guarantees" name the tests that prove them: each named test must exist, so the list
cannot rot when a test is renamed or removed."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMED = re.compile(r"`(test_\w+\.py)::(test_\w+)`")


def guarantees() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Guarantees\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("- ")]


def functions_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def test_every_guarantee_names_a_test_that_exists():
    promises = guarantees()
    assert len(promises) >= 40, "the Guarantees section lost its promises"
    missing = []
    for line in promises:
        named = NAMED.findall(line)
        if not named:
            missing.append(f"names no test: {line}")
        for file, name in named:
            path = ROOT / "tests" / file
            if not path.exists() or name not in functions_in(path):
                missing.append(f"{file}::{name}")
    assert not missing, "README Guarantees name tests that do not exist:\n" + "\n".join(missing)
