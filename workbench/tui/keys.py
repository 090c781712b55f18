"""Keys shared by the desk's screens."""

from __future__ import annotations

from textual.binding import Binding

from .styles import LABEL_MARKS

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


def claim_named(claim_id: int, text: str, width: int = 40) -> str:
    """'claim 13 — 'On April 1, a Russian…'': how the desk names the claim a key acts on."""
    words = " ".join(text.split())
    if len(words) > width:
        words = words[:width].rsplit(" ", 1)[0].rstrip(",;:") + "…"  # cut between words
    return f"claim {claim_id} — '{words}'"


def recorded(label: str, claim_id: int, text: str) -> str:
    """The echo of a recorded verdict: '✔ corroborated: claim 13 — 'On April 1, a Russian…' · z undoes'."""
    return f"{LABEL_MARKS[label]} {label}: {claim_named(claim_id, text)} · z undoes"
