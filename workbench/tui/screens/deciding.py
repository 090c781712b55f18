"""The review desk's verdict keys: mark (c / d / u), clear (x), undo (z), evidence (1-9, space), note (n).

Evidence and notes are drafts (workbench.tui.drafts) until a verdict key records them with the label.
"""

from __future__ import annotations

from ... import review_queue
from ...errors import WorkbenchError
from ...verdicts import clear_verdict, undo_last
from ..styles import LABEL_MARKS
from ..widgets.evidence import EvidencePanel


class DecidingMixin:
    """Mixed into ReviewScreen, which provides claim, claims, index, matches, refresh_claim and moving."""

    @property
    def drafts(self):
        return self.app.drafts

    async def action_mark(self, label: str) -> None:
        """Record the verdict with the draft note and evidence, then move on: the next claim of the
        article, after its last claim the next claim needing review anywhere, so an article is
        reviewed with verdict keys alone."""
        if self.claim is None:
            return
        self.drafts.record(self.claim.id, label)
        self.app.clear_notifications()  # one toast at a time, however fast the keys come
        done = f"{LABEL_MARKS[label]} {label} — z undoes"
        if self.index + 1 < len(self.claims):
            self.index += 1
            self.refresh_claim(reread=True)
            self.notify(done, timeout=2)
            return
        self.refresh_claim(reread=True)
        article = self.article.id if self.article else None
        if await self.action_next_pending():
            elsewhere = self.article is not None and self.article.id != article
            self.notify(done + (f" · on to {self.article.source}" if elsewhere else ""), timeout=3)
        else:
            self.notify(done, timeout=2)

    def action_clear(self) -> None:
        """Withdraw this reviewer's own verdict; another reviewer's is never touched."""
        claim = self.claim
        if claim is None:
            return
        try:
            clear_verdict(self.db, claim.id, self.reviewer)
        except WorkbenchError:
            self.notify("You have no verdict on this claim to clear.", timeout=3)
            return
        self.drafts.discard(claim.id)
        self.refresh_claim(reread=True)

    async def action_undo(self) -> None:
        undone = undo_last(self.db, self.reviewer)
        if undone is None:
            self.notify("Nothing of yours to undo.", timeout=2)
            return
        self.drafts.discard(undone.claim_id)
        claim = review_queue.get_claim(self.db, undone.claim_id)
        self.notify(f"Undone: claim {undone.claim_id} is {undone.status} again.", timeout=3)
        await self.open_article(claim.article_id, claim.id)
        self.refresh_counts()

    def action_toggle_evidence(self, number: int | None = None) -> None:
        """Choose (or drop) a match as evidence: a draft until c / d / u records it."""
        claim = self.claim
        if claim is None:
            return
        if number is None:
            match = self.query_one(EvidencePanel).highlighted_match
        else:
            match = self.matches[number - 1] if 0 < number <= len(self.matches) else None
        if match is None:
            self.notify("No such match.", timeout=2)
            return
        self.drafts.toggle_evidence(claim.id, match.other_claim_id)
        self.refresh_claim()

    def action_note(self) -> None:
        claim = self.claim
        if claim is None:
            return
        from .note import NoteDialog

        def saved(note: str | None) -> None:
            if note is None:
                return
            self.drafts.set_note(claim.id, note)
            if self.claim is not None and self.claim.id == claim.id:
                self.refresh_claim()

        self.app.push_screen(NoteDialog(claim.text, self.drafts.note(claim.id)), saved)
