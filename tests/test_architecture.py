"""The layering the style guide asks for, checked in fresh interpreters.

The core (storage, splitting, embedding, matching, verdicts, export) never imports Textual, and the
command line starts without torch, sentence-transformers or Textual so `workbench --help` is instant.
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
    heavy = {"torch", "sentence_transformers", "textual", "transformers", "trafilatura"} & loaded
    assert not heavy, f"`workbench --help` imported {heavy}"
