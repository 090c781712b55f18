"""The review desk's verdict keys: mark (c / d / u), clear (x), undo (z), evidence (1-9, space), note (n).

Evidence and notes are drafts (workbench.tui.drafts, saved in claims.db) until a verdict key records
them with the label. A database error in any of these keys is a one-line notice; the draft is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from sqlite_utils import Database
from textual.notifications import SeverityLevel

from ... import review_queue
from ...domain import Article
from ...errors import WorkbenchError
from ...verdicts import clear_verdict, undo_last
from ..drafts import Drafts
from ..notices import errors_as_notice
from ..keys import recorded

if TYPE_CHECKING:  # a cycle: the app imports this screen
    from ..app import ClaimWorkbench

KEPT = "your note and evidence are kept as a draft"
UNSAVED = "kept in the desk; saved to claims.db with your next change (q asks before dropping it)"


class DeskHost(Protocol):
    """What DecidingMixin needs from the screen it is mixed into (ReviewScreen provides each)."""

    claims: list[review_queue.ClaimRow]
    index: int
    matches: list[review_queue.MatchRow]
    article: Article | None

    @property
    def workbench(self) -> ClaimWorkbench: ...
    @property
    def db(self) -> Database: ...
    @property
    def reviewer(self) -> str: ...
    @property
    def drafts(self) -> Drafts: ...
    @property
    def claim(self) -> review_queue.ClaimRow | None: ...
    @property
    def highlighted_match(self) -> review_queue.MatchRow | None: ...

    def refresh_claim(self, *, reread: bool = False) -> None: ...
    def refresh_counts(self) -> None: ...
    async def open_article(self, article_id: int | None, claim_id: int | None = None, *,
                           last: bool = False) -> None: ...
    async def action_next_pending(self) -> bool: ...
    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None: ...


class DecidingMixin:
    """Mixed into ReviewScreen; each key handler's `self` is the DeskHost it declares."""

    async def action_mark(self: DeskHost, label: str) -> None:
        """Record the verdict with the draft note and evidence, then move on: the next claim of the
        article, after its last claim the next claim needing review anywhere, so an article is
        reviewed with verdict keys alone."""
        claim = self.claim
        if claim is None:
            return
        with errors_as_notice(self.notify, kept=KEPT):
            self.drafts.record(claim.id, label)
            self.workbench.clear_notifications()  # one toast at a time, however fast the keys come
            done = recorded(label, claim.id, claim.text)
            if self.index + 1 < len(self.claims):
                self.index += 1
                self.refresh_claim(reread=True)
                self.notify(done, timeout=2)
                return
            self.refresh_claim(reread=True)
            article = self.article.id if self.article else None
            if await self.action_next_pending():
                elsewhere = self.article is not None and self.article.id != article
                source = self.article.source if self.article is not None else ""
                self.notify(done + (f" · on to {source}" if elsewhere else ""), timeout=3)
            else:
                self.notify(done, timeout=2)

    def action_clear(self: DeskHost) -> None:
        """Withdraw this reviewer's own verdict; another reviewer's is never touched."""
        claim = self.claim
        if claim is None:
            return
        with errors_as_notice(self.notify):
            try:
                clear_verdict(self.db, claim.id, self.reviewer)  # spends the draft too
            except WorkbenchError:
                self.notify("You have no verdict on this claim to clear.", timeout=3)
                return
            self.drafts.forget(claim.id)
            self.refresh_claim(reread=True)

    async def action_undo(self: DeskHost) -> None:
        with errors_as_notice(self.notify):
            undone = undo_last(self.db, self.reviewer)  # spends the draft of the undone claim too
            if undone is None:
                self.notify("Nothing of yours to undo.", timeout=2)
                return
            self.drafts.forget(undone.claim_id)
            claim = review_queue.get_claim(self.db, undone.claim_id)
            self.notify(f"Undone: claim {undone.claim_id} is {undone.status} again.", timeout=3)
            await self.open_article(claim.article_id if claim else None, undone.claim_id)
            self.refresh_claim(reread=True)  # the header and the article list's tallies agree again

    def action_toggle_evidence(self: DeskHost, number: int | None = None) -> None:
        """Choose (or drop) a match as evidence: a draft until c / d / u records it."""
        claim = self.claim
        if claim is None:
            return
        if number is None:
            match = self.highlighted_match
        else:
            match = self.matches[number - 1] if 0 < number <= len(self.matches) else None
        if match is None:
            self.notify("No such match.", timeout=2)
            return
        with errors_as_notice(self.notify, kept=UNSAVED, title="Not saved yet"):
            self.drafts.toggle_evidence(claim.id, match.other_claim_id)
        self.refresh_claim()

    def action_note(self: DeskHost) -> None:
        claim = self.claim
        if claim is None:
            return
        from .note import NoteDialog  # start-up speed: the dialog is built on first use

        def saved(note: str | None) -> None:
            if note is None:
                return
            with errors_as_notice(self.notify, kept=UNSAVED, title="Not saved yet"):
                self.drafts.set_note(claim.id, note)
            if self.claim is not None and self.claim.id == claim.id:
                self.refresh_claim()

        self.workbench.push_screen(NoteDialog(claim.text, self.drafts.note(claim.id)), saved)
