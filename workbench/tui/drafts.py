"""The reviewer's unrecorded note and evidence per claim, and the one way the desk records a verdict.

Choosing evidence or editing a note only changes a draft: c / d / u (in the desk or in the queue)
record label, note and evidence together, so no other keypress adds a row to a claim's history.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from ..matching import settings_in_force
from ..verdicts import Verdict, evidence_from_claims, record_verdict, reviewer_state


@dataclass
class Draft:
    note: str | None = None  # None: the note of the recorded verdict stands
    evidence: set[int] | None = None  # None: the evidence of the recorded verdict stands


class Drafts:
    """One reviewer's drafts, kept for the whole session (the desk and the queue share them)."""

    def __init__(self, db: Database, reviewer: str, model: str | None) -> None:
        self.db, self.reviewer, self.model = db, reviewer, model
        self._drafts: dict[int, Draft] = {}

    def recorded(self, claim_id: int) -> Verdict | None:
        """This reviewer's labelled verdict on the claim, or None (never judged, cleared or undone)."""
        state = reviewer_state(self.db, claim_id, self.reviewer)
        return state if state is not None and state.label is not None else None

    def _recorded_note(self, claim_id: int) -> str:
        verdict = self.recorded(claim_id)
        return (verdict.note or "") if verdict else ""

    def _recorded_evidence(self, claim_id: int) -> set[int]:
        verdict = self.recorded(claim_id)
        if verdict is None:
            return set()
        return {e["claim_id"] for e in verdict.evidence if isinstance(e, dict) and e.get("claim_id")}

    def note(self, claim_id: int) -> str:
        draft = self._drafts.get(claim_id)
        return draft.note if draft and draft.note is not None else self._recorded_note(claim_id)

    def evidence(self, claim_id: int) -> set[int]:
        draft = self._drafts.get(claim_id)
        return set(draft.evidence) if draft and draft.evidence is not None else self._recorded_evidence(claim_id)

    def set_note(self, claim_id: int, note: str) -> None:
        self._drafts.setdefault(claim_id, Draft()).note = note

    def toggle_evidence(self, claim_id: int, other_claim_id: int) -> bool:
        """Choose or drop a match as evidence; True when it is chosen now."""
        chosen = self.evidence(claim_id) ^ {other_claim_id}
        self._drafts.setdefault(claim_id, Draft()).evidence = chosen
        return other_claim_id in chosen

    def changed(self, claim_id: int) -> bool:
        """The draft differs from what this reviewer recorded (or there is a draft and no verdict)."""
        if claim_id not in self._drafts:
            return False
        return (self.note(claim_id) != self._recorded_note(claim_id)
                or self.evidence(claim_id) != self._recorded_evidence(claim_id))

    def discard(self, claim_id: int) -> None:
        self._drafts.pop(claim_id, None)

    def record(self, claim_id: int, label: str) -> Verdict:
        """Record the verdict with the draft note and evidence (or the recorded ones) and the settings
        in force for the claim; the draft is then spent."""
        evidence = evidence_from_claims(self.db, sorted(self.evidence(claim_id)))
        verdict = record_verdict(self.db, claim_id, label, self.reviewer, note=self.note(claim_id),
                                 evidence=evidence, settings=settings_in_force(self.db, claim_id, self.model))
        self.discard(claim_id)
        return verdict
