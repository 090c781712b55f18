"""Counted nouns, for every line the CLI, the desk and the reports write: "1 claim", "2 claims"."""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 claim', '2 claims', '3 matches' (many: the plural when it is not noun + s)."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"
