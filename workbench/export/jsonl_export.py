"""JSONL for other tools: one complete `workbench.verdict/1` record per line (docs/exports.md)."""

from __future__ import annotations

import json

from .records import ExportData


def render(data: ExportData) -> str:
    return "".join(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n" for record in data.records)
