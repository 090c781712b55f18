"""A suggested verdict with its reason, from a claim's shown matches: never a verdict itself.

"3 independent sources agree", "Reuters says 19, this says 18", "only one other source reports it".
Only the reviewer's key records a verdict; the desk shows this next to the evidence so the reviewer
sees at once why the matches point one way. Sources are counted once however many copies of one
story (matching/copies.py) or sentences of one outlet are among the matches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from .signals import Signal
from .vocab import DEFAULT_MIN_SCORE


class Evidence(Protocol):
    """What a suggestion reads of a match (desk.MatchRow has it)."""

    @property
    def source(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def relation(self) -> str | None: ...
    @property
    def copy_of(self) -> int | None: ...
    @property
    def signals(self) -> list[Signal]: ...


@dataclass(frozen=True)
class Suggestion:
    label: str  # one of vocab.VERDICT_LABELS, as a hint
    reason: str


def _sources(matches: Sequence[Evidence], relation: str) -> list[Evidence]:
    """One match per independent source with this relation, best first."""
    seen: set[str] = set()
    found = []
    for match in matches:
        if match.relation == relation and match.source not in seen:
            seen.add(match.source)
            found.append(match)
    return found


def suggest(matches: Sequence[Evidence]) -> Suggestion:
    """What the shown, independent matches suggest: disputed when one reports the same event with
    another value, corroborated when two or more independent sources agree, else unverified."""
    shown = [m for m in matches if m.score >= DEFAULT_MIN_SCORE and m.copy_of is None]
    conflicting = _sources(shown, "conflicts")
    agreeing = _sources(shown, "supports")
    if conflicting:
        first = conflicting[0]
        signal = next(s for s in first.signals if s.conflict)
        if signal.kind == "rating":
            reason = f"{first.source}: fact-check rated it {signal.theirs}"
        elif signal.kind == "negation":
            reason = f"{first.source} denies or negates it ({signal.theirs})"
        else:
            reason = f"{first.source} says {signal.theirs}, this says {signal.ours}"
        if len(conflicting) > 1:
            reason += f"; {len(conflicting) - 1} more independent source{'s' if len(conflicting) > 2 else ''} differ"
        if agreeing:
            reason += f"; {len(agreeing)} agree{'s' if len(agreeing) == 1 else ''}"
        return Suggestion("disputed", reason)
    if len(agreeing) >= 2:
        return Suggestion("corroborated", f"{len(agreeing)} independent sources agree")
    reporting = {m.source for m in shown}
    if len(agreeing) == 1:
        return Suggestion("unverified", f"only one other source reports it ({agreeing[0].source} agrees)")
    if reporting:
        return Suggestion("unverified", f"{len(reporting)} related source{'s' if len(reporting) > 1 else ''}, "
                                        "none states the same fact")
    return Suggestion("unverified", "no other source reports it")
