"""The desk's first build of the int8 model shows its steps on the progress strip (workbench.tui.jobs).

A real build from the packaged weights into an empty models folder: about a minute.
"""

from __future__ import annotations

from workbench.config import FP32_MODEL, INT8_MODEL
from workbench.embedding import verify_int8_folder
from workbench.tui.jobs import build_model_first


def test_the_first_int8_build_reports_each_step_then_never_again(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.delenv("WORKBENCH_MODEL", raising=False)
    seen: list[tuple[str, int, int | None]] = []

    build_model_first(None, lambda label, done, total: seen.append((label, done, total)))

    assert seen == [("Building the int8 model (once, about a minute)", 0, None),
                    ("Building the int8 model (once): step 1 of 3", 0, 3),
                    ("Building the int8 model (once): step 2 of 3", 1, 3),
                    ("Building the int8 model (once): step 3 of 3", 2, 3)]
    verify_int8_folder(tmp_path / "models" / INT8_MODEL)  # a sound model, checksummed
    seen.clear()
    build_model_first(None, lambda label, done, total: seen.append((label, done, total)))
    assert seen == []  # built: loading it says "Loading the model" as before
    build_model_first(FP32_MODEL, lambda label, done, total: seen.append((label, done, total)))
    assert seen == []  # the fp32 model is never built
