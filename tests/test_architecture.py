"""The layering the style guide asks for, checked in fresh interpreters.

The core (storage, splitting, embedding, matching, verdicts, export) never imports Textual, and the
command line starts without torch, sentence-transformers, Textual, sqlite-utils, numpy or rich, so
`workbench --help` is instant and the comments on late imports that say so stay true.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import workbench

CORE_MODULES = sorted(
    info.name for info in pkgutil.walk_packages(workbench.__path__, prefix="workbench.")
    if not info.name.startswith(("workbench.tui", "workbench.cli")) and info.name != "workbench.__main__"
)


def modules_after(code: str) -> set[str]:
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_never_imports_textual(module):
    loaded = modules_after(f"import {module}")
    assert "textual" not in loaded


def test_cli_starts_without_heavy_libraries():
    loaded = modules_after(
        "from click.testing import CliRunner\nfrom workbench.cli import main\n"
        "assert CliRunner().invoke(main, ['--help']).exit_code == 0\n"
        "for name in list(main.commands):\n"
        "    assert CliRunner().invoke(main, [name, '--help']).exit_code == 0, name"
    )
    heavy = {"torch", "sentence_transformers", "textual", "transformers", "trafilatura", "numpy", "sqlite_utils",
             "rich", "pysbd"} & loaded
    assert not heavy, f"`workbench --help` imported {heavy}"



# -- where SQL lives, and what a module may import from another ---------------------------------
import ast  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402

PACKAGE = Path(workbench.__file__).parent
# Statements, not words: "Select" (a Textual widget) and `.update(` are no SQL.
SQL = re.compile(r"\b(SELECT\s+(DISTINCT\s+)?[\w*(]|INSERT\s+(OR\s+\w+\s+)?INTO\b"
                 r"|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b)")


def python_files(*folders: Path) -> list[Path]:
    return sorted(path for folder in folders for path in folder.rglob("*.py"))


def test_no_sql_under_the_cli_or_the_desk_ui():
    """SQL lives in core query modules (workbench/queries, matching/store.py, ...) that return rows
    mapped by column name; cli/ and tui/ call functions, so a second storage engine needs no UI change."""
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}"
        for path in python_files(PACKAGE / "cli", PACKAGE / "tui")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if SQL.search(line)
    ]
    assert not found, "SQL outside the core:\n" + "\n".join(found)


def test_the_sql_check_sees_sql():
    assert SQL.search('db.execute("SELECT 1 FROM articles")')
    assert SQL.search("INSERT OR REPLACE INTO match_runs")
    assert SQL.search("UPDATE claims SET context = ?")
    assert SQL.search("DELETE FROM matches WHERE claim_id = ?")
    assert not SQL.search("yield Select([(f, f) for f in FORMATS])")
    assert not SQL.search("bar.update(total=total, progress=done)")


def private_imports(path: Path) -> list[str]:
    """`from x import _y`, and `x._y` where x was imported from the workbench, in one file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found, imported = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("workbench")):
            for alias in node.names:
                imported.add(alias.asname or alias.name)
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{path.name}:{node.lineno}: from {'.' * node.level}{node.module or ''} "
                                 f"import {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("workbench"):
                    imported.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name) and node.value.id in imported):
            found.append(f"{path.name}:{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_no_private_name_is_used_across_modules():
    """A name another module needs is public: no `from .x import _y`, no `x._y`."""
    found = [hit for path in python_files(PACKAGE) for hit in private_imports(path)]
    assert not found, "private names used across modules:\n" + "\n".join(found)


def test_the_private_import_check_sees_both_forms(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from .candidates import _Corpus\nfrom .. import desk\nfrom workbench import db\n"
                      "desk._neighbours('x', 0, 1)\ndb._refuse(1)\nfrom .scoring import day_number\n")
    assert private_imports(sample) == ["sample.py:1: from .candidates import _Corpus",
                                       "sample.py:4: desk._neighbours", "sample.py:5: db._refuse"]


def aliases(path: Path) -> list[str]:
    """Module-level `new_name = old_name` where old_name is a function, class or import of the module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    definitions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    known = {node.name for node in tree.body if isinstance(node, definitions)}
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            known |= {alias.asname or alias.name.split(".")[0] for alias in node.names}
    return [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {node.targets[0].id} = {node.value.id}"
        for node in tree.body
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Name) and node.value.id in known
    ]


def test_no_second_name_for_a_thing():
    """One name per thing: `content_hash = text_hash` made readers look for two functions."""
    found = [hit for path in python_files(PACKAGE) for hit in aliases(path)]
    assert not found, "aliases:\n" + "\n".join(found)


def positional_rows(path: Path) -> list[str]:
    """`SomeType(*row)`: a type built from a sequence by position, which a reordered SELECT breaks."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {node.func.id}(*...)"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id[:1].isupper()
        and any(isinstance(arg, ast.Starred) for arg in node.args)
    ]


def test_rows_are_mapped_by_column_name():
    """Query rows become types by column name (domain.from_row), never `ClaimRow(*row)`."""
    found = [hit for path in python_files(PACKAGE) for hit in positional_rows(path)]
    assert not found, "types built by position:\n" + "\n".join(found)


def uncommented_function_imports(path: Path) -> list[str]:
    """Imports inside functions with no comment saying why (start-up speed, or a cycle).

    The comment sits on the import's line or the line above; one comment covers the imports that
    follow it directly in the same block.
    """
    lines = path.read_text().splitlines()

    def commented(node: ast.stmt) -> bool:
        own = lines[node.lineno - 1:(node.end_lineno or node.lineno)]
        above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
        return any("#" in line for line in own) or above.startswith("#")

    where = path.relative_to(PACKAGE.parent) if path.is_relative_to(PACKAGE.parent) else path.name
    found = []
    for function in ast.walk(ast.parse("\n".join(lines), filename=str(path))):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for block in ast.walk(function):
            for field in ("body", "orelse", "finalbody", "handlers"):
                statements = getattr(block, field, None)
                if not isinstance(statements, list):
                    continue  # a lambda's body is one expression
                covered = False
                for node in statements:
                    is_import = isinstance(node, (ast.Import, ast.ImportFrom))
                    covered = is_import and (covered or commented(node))
                    if is_import and not covered:
                        found.append(f"{where}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return sorted(set(found))


def test_every_function_level_import_says_why():
    """An import inside a function keeps something heavy out of `workbench --help` or the desk's first
    paint, or dodges a cycle; a comment says which, so nobody moves it up (or leaves it) by mistake."""
    found = [hit for path in python_files(PACKAGE) for hit in uncommented_function_imports(path)]
    assert not found, "function-level imports without a comment saying why:\n" + "\n".join(found)


def test_the_import_comment_check_sees_a_bare_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os\n\n\ndef f():\n    # torch: start-up speed\n    import torch\n    import numpy\n\n"
                      "    import json\n    return os\n\n\ndef g():\n    if True:\n        from x import y  # a cycle\n"
                      "    else:\n        from x import z\n")
    assert uncommented_function_imports(sample) == ["sample.py:17: from x import z"]
