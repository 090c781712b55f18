"""Keys shared by the desk's screens."""

from __future__ import annotations

from textual.binding import Binding

# key, verdict label, footer word
VERDICT_KEYS = (("c", "corroborated", "Corrob."), ("d", "disputed", "Disputed"), ("u", "unverified", "Unverif."))


def mark_bindings(what: str, *, then: str = "", show: bool = True, id_prefix: str = "") -> list[Binding]:
    """c / d / u: mark `what` ("the claim", "the highlighted claim") corroborated / disputed / unverified;
    `then` ends the tooltip (what happens next, in brackets: the palette leaves it out)."""
    return [
        Binding(key, f"mark('{label}')", word, show=show, id=f"{id_prefix}mark-{label}",
                tooltip=f"Mark {what} {label}{then}")
        for key, label, word in VERDICT_KEYS
    ]
