"""The reviewer's unrecorded note and evidence per claim, as the desk and the queue share them.

Choosing evidence or editing a note only changes a draft: c / d / u (in the desk or in the queue)
record label, note and evidence together through verdicts.decide, so no other keypress adds a row to
a claim's history. Each draft is saved to claims.db (workbench.draft_store) the moment it changes, so
nothing typed is lost on quit, crash or restart. When claims.db refuses the save (locked, say), the
draft stays here and `unsaved` says so until a later save succeeds.
"""

from __future__ import annotations

from sqlite_utils import Database

from ..draft_store import Draft, load_drafts, save_draft
from ..evidence import Reference, cited_claims, cited_urls
from ..verdicts import Verdict, decide, reviewer_state


class Drafts:
    """One reviewer's drafts, read from claims.db when the desk opens."""

    def __init__(self, db: Database, reviewer: str, model: str | None) -> None:
        self.db, self.reviewer, self.model = db, reviewer, model
        self._drafts: dict[int, Draft] = load_drafts(db, reviewer)
        self.unsaved: set[int] = set()  # claims whose draft claims.db has not taken yet

    def recorded(self, claim_id: int) -> Verdict | None:
        """This reviewer's labelled verdict on the claim, or None (never judged, cleared or undone)."""
        state = reviewer_state(self.db, claim_id, self.reviewer)
        return state if state is not None and state.label is not None else None

    def note(self, claim_id: int) -> str:
        draft = self._drafts.get(claim_id)
        if draft is not None and draft.note is not None:
            return draft.note
        return _note_of(self.recorded(claim_id))

    def evidence(self, claim_id: int) -> set[int]:
        draft = self._drafts.get(claim_id)
        if draft is not None and draft.evidence is not None:
            return set(draft.evidence)
        return _evidence_of(self.recorded(claim_id))

    def set_note(self, claim_id: int, note: str) -> None:
        """Keep the note (raises sqlite3.Error when claims.db refuses it; the draft is kept here)."""
        self._drafts.setdefault(claim_id, Draft()).note = note
        self._save(claim_id)

    def toggle_evidence(self, claim_id: int, other_claim_id: int) -> bool:
        """Choose or drop a match as evidence; True when it is chosen now (saved as set_note is)."""
        chosen = self.evidence(claim_id) ^ {other_claim_id}
        self._drafts.setdefault(claim_id, Draft()).evidence = chosen
        self._save(claim_id)
        return other_claim_id in chosen

    def _save(self, claim_id: int) -> None:
        self.unsaved.add(claim_id)
        save_draft(self.db, claim_id, self.reviewer, self._drafts[claim_id])
        self.unsaved.discard(claim_id)

    def save_unsaved(self) -> None:
        """Try again to save the drafts claims.db refused (raises on the first that it still refuses)."""
        for claim_id in sorted(self.unsaved):
            self._save(claim_id)

    def changed(self, claim_id: int) -> bool:
        """The draft differs from what this reviewer recorded (or there is a draft and no verdict)."""
        draft = self._drafts.get(claim_id)
        if draft is None:
            return False
        recorded = self.recorded(claim_id)
        return ((draft.note is not None and draft.note != _note_of(recorded))
                or (draft.evidence is not None and draft.evidence != _evidence_of(recorded)))

    def kept(self) -> int:
        """How many drafts differ from what is recorded (what quitting leaves for next time)."""
        return sum(1 for claim_id in self._drafts if self.changed(claim_id))

    def forget(self, claim_id: int) -> None:
        """Drop the draft here once claims.db has spent it (a new verdict row of this reviewer)."""
        self._drafts.pop(claim_id, None)
        self.unsaved.discard(claim_id)

    def record(self, claim_id: int, label: str) -> Verdict:
        """Record the verdict with the draft note and evidence (or the recorded ones: urls cited with
        `workbench mark` are kept) and the settings in force; the draft is then spent. On an error
        (WorkbenchError, sqlite3.Error) nothing is recorded and the draft is kept."""
        recorded = self.recorded(claim_id)
        draft = self._drafts.get(claim_id) or Draft()
        note = draft.note if draft.note is not None else _note_of(recorded)
        chosen = draft.evidence if draft.evidence is not None else _evidence_of(recorded)
        urls = cited_urls(recorded.evidence) if recorded else []
        references: list[Reference] = [*sorted(chosen), *urls]
        verdict = decide(self.db, claim_id, label, self.reviewer, note=note, evidence=references, model=self.model)
        self.forget(claim_id)
        return verdict


def _note_of(verdict: Verdict | None) -> str:
    return (verdict.note or "") if verdict else ""


def _evidence_of(verdict: Verdict | None) -> set[int]:
    return set(cited_claims(verdict.evidence)) if verdict else set()
