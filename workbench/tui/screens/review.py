"""The review desk's main screen: articles, the article text with its claims, the evidence panel.

Every verdict is written to claims.db the moment its key is pressed (reviewer and time included).
"""

from __future__ import annotations

import gc
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from sqlite_utils import Database
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal
from textual.screen import Screen
from textual.widgets import OptionList

from ... import review_queue
from ...domain import Article, ArticleSummary
from ...queries import ArticleOrder, article_order, article_summaries, articles_stamp
from ...verdicts import verdicts_by_reviewer
from ..drafts import Drafts
from ..keys import mark_bindings
from ..notices import errors_as_notice
from ..widgets.article_list import ArticleList
from ..widgets.article_view import ArticleView
from ..widgets.counts import CountsBar
from ..widgets.keys import KeysFooter
from ..widgets.evidence import DraftSummary, EvidenceList, EvidencePanel, claim_summary
from ..widgets.progress import ProgressStrip
from .deciding import DecidingMixin
from .queue import QueueScreen

if TYPE_CHECKING:  # a cycle: the app imports this screen
    from ..app import ClaimWorkbench

# Every key of the desk, with id= and tooltip=; the help screen and the command palette read this list.
REVIEW_BINDINGS = [
    Binding("j,down", "next_claim", "Next", id="next-claim", tooltip="Next claim"),
    Binding("k,up", "previous_claim", "Prev", id="previous-claim", tooltip="Previous claim"),
    *mark_bindings("the claim", then=" (then on to the next claim)"),
    Binding("n", "note", "Note", id="note", tooltip="Write a note (recorded with your next c / d / u)"),
    Binding("p", "next_pending", "Pending", id="next-pending",
            tooltip="Jump to the next claim without a verdict (or returned by the editor)"),
    Binding("z", "undo", "Undo", id="undo", tooltip="Undo your last verdict"),
    Binding("question_mark,f1", "help", "Help", id="help", tooltip="Every key"),
    Binding("x", "clear", "Clear", show=False, id="clear", tooltip="Clear your verdict: pending again"),
    *[Binding(str(n), f"toggle_evidence({n})", f"Evidence {n}", show=False) for n in range(1, 10)],
    Binding("space", "toggle_evidence", "Evidence", show=False, id="toggle-evidence",
            tooltip="Use the highlighted match as evidence (recorded with c / d / u)"),
    Binding("e", "focus_evidence", "Matches", show=False, id="focus-evidence",
            tooltip="Move to the matches (arrows, space = evidence, enter = go there)"),
    Binding("g", "jump", "Go to match", show=False, id="jump",
            tooltip="Open the highlighted match in its own article"),
    Binding("b", "back", "Back", show=False, id="back", tooltip="Back to where you jumped from"),
    Binding("w", "queue", "Queue", show=False, id="queue",
            tooltip="All pending claims across articles, most check-worthy first"),
    Binding("slash", "search", "Search", show=False, id="search", tooltip="Full-text search over claims"),
    Binding("f", "filter", "Filter", show=False, id="filter",
            tooltip="Claims filtered by verdict, source and who said them"),
    Binding("a", "focus_articles", "Articles", show=False, id="focus-articles",
            tooltip="Move to the article list (arrows, enter)"),
    Binding("right_square_bracket", "next_article", "Next article", show=False, id="next-article",
            tooltip="Next article"),
    Binding("left_square_bracket", "previous_article", "Previous article", show=False,
            id="previous-article", tooltip="Previous article"),
    Binding("i", "app.ingest", "Ingest", show=False, id="ingest",
            tooltip="Add an article: a file path or pasted text"),
    Binding("E", "app.export", "Export", show=False, id="export", tooltip="Export verdicts for editors"),
    Binding("q", "quit", "Quit", show=False, id="quit", tooltip="Quit (verdicts and drafts are saved)"),
]


# Seconds after the desk opens when ReviewScreen.settled runs: after the start-up's last frames, before
# most reviewers press w.
SETTLED_AFTER = 1.0
# How many articles `p` (and the start-up) read at a time looking for the next claim needing review.
PENDING_BATCH = 8

# The keys that write: they need a claim in front of the reviewer.
DECIDING_ACTIONS = {"mark", "clear", "toggle_evidence", "note"}


@dataclass
class Place:
    article_id: int
    claim_id: int | None


class ReviewScreen(DecidingMixin, Screen):
    """Articles on the left, the article text and the evidence for the current claim on the right."""

    BINDINGS: ClassVar[list[BindingType]] = [*REVIEW_BINDINGS]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    AUTO_FOCUS = "#article"  # not the article list, Textual's first focusable widget: the footer's keys differ

    def __init__(self) -> None:
        super().__init__(id="review")
        self.order = ArticleOrder([], 0)  # every article id, in the list's order
        self.positions: dict[int, int] = {}  # article id -> its position in self.order
        self.article: Article | None = None
        self.claims: list[review_queue.ClaimRow] = []
        self.index: int = 0
        self.back_stack: list[Place] = []
        self.matches: list[review_queue.MatchRow] = []
        self.claim_list: QueueScreen | None = None  # the queue, built once the desk is idle (or by w, f, /)

    # -- layout ---------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield CountsBar(id="counts")
        with Horizontal(id="body"):
            yield ArticleList(id="articles")
            with Container(id="work"):
                yield ArticleView(id="article")
                yield EvidencePanel(id="evidence")
        yield ProgressStrip(id="progress")
        yield KeysFooter(keys_after_first_frame=True)

    @property
    def workbench(self) -> ClaimWorkbench:
        return cast("ClaimWorkbench", self.app)

    @property
    def db(self) -> Database:
        return self.workbench.db

    @property
    def reviewer(self) -> str:
        return self.workbench.reviewer

    @property
    def drafts(self) -> Drafts:
        return self.workbench.drafts

    @property
    def highlighted_match(self) -> review_queue.MatchRow | None:
        return self.query_one(EvidencePanel).highlighted_match

    @property
    def claim(self) -> review_queue.ClaimRow | None:
        return self.claims[self.index] if self.claims and 0 <= self.index < len(self.claims) else None

    async def on_mount(self) -> None:
        self.query_one(ProgressStrip).hide()
        self.query_one(CountsBar).reviewer = self.reviewer
        await self.reload()
        self.query_one(ArticleView).focus()
        self.call_after_refresh(self.workbench.check_record)  # after the first paint: it reads everything
        self.set_timer(SETTLED_AFTER, self.settled)

    async def reload(self, article_id: int | None = None, claim_id: int | None = None) -> None:
        """Re-read the article order and counts; open the given article (or keep the current one)."""
        self.read_order()
        if article_id is None and self.article is None:
            start = self._first_pending(self.order.ids)
            article_id, claim_id = start if start else (self.order.ids[0] if self.order.ids else None, None)
        elif article_id is None and self.article is not None:
            article_id = self.article.id
        if claim_id is None and self.claim is not None and self.article and self.article.id == article_id:
            claim_id = self.claim.id
        self.query_one(ArticleList).show(self.order, self.article_rows, article_id)
        await self.open_article(article_id, claim_id)
        self.refresh_counts()

    def read_order(self) -> None:
        self.order = article_order(self.db)
        self.positions = {article_id: position for position, article_id in enumerate(self.order.ids)}

    def article_rows(self, article_ids: list[int]) -> dict[int, ArticleSummary]:
        """The article list asks for the rows of the page it shows, never for every article."""
        return article_summaries(self.db, article_ids)

    async def open_article(self, article_id: int | None, claim_id: int | None = None, *, last: bool = False) -> None:
        self.article = review_queue.get_article(self.db, article_id) if article_id is not None else None
        self.claims = review_queue.article_claims(self.db, self.article.id) if self.article else []
        ids = [c.id for c in self.claims]
        self.index = ids.index(claim_id) if claim_id in ids else (len(ids) - 1 if last and ids else 0)
        self.query_one(ArticleList).move_to(article_id, self.positions)
        await self.query_one(ArticleView).show(self.article, self.claims, self.claim.id if self.claim else None)
        self.refresh_claim()

    def refresh_counts(self) -> None:
        """The header counts. Only verdicts (and ingest) change them, never moving between claims, so
        this runs after reload, reread, undo and the queue, not on every j / k."""
        self.query_one(CountsBar).counts = self.workbench.counts()

    def refresh_claim(self, *, reread: bool = False) -> None:
        """Show the current claim: its highlight, its verdicts and matches; after `reread` (the data
        changed) also the article list and the header counts."""
        if reread and self.article:
            current = self.claim.id if self.claim else None
            self.claims = review_queue.article_claims(self.db, self.article.id)
            ids = [c.id for c in self.claims]
            self.index = ids.index(current) if current in ids else 0
            self.query_one(ArticleList).refresh_rows([self.article.id])
        claim = self.claim
        view = self.query_one(ArticleView)
        view.claims = self.claims
        view.restyle(claim.id if claim else None)
        if claim is None:
            self.matches = []
            self.query_one(EvidencePanel).show(claim_summary(None, 0, 0, [], None), [], set())
        else:
            self.matches = review_queue.matches(self.db, claim.id, claim.text, min_score=self.workbench.min_score)
            summary = claim_summary(claim, self.index, len(self.claims), verdicts_by_reviewer(self.db, claim.id),
                                    self.draft_of(claim.id))
            matched = bool(self.matches) or review_queue.is_matched(self.db, claim.id)
            self.query_one(EvidencePanel).show(summary, self.matches, self.drafts.evidence(claim.id),
                                               matched=matched)
        if reread:
            self.refresh_counts()

    def show_others_work(self) -> None:
        """Another process committed (a verdict, a note, an editor's decision, an ingest): re-read the
        counts, the article order and the shown page of the list, this article's claims and the current claim."""
        if articles_stamp(self.db) != self.order.stamp:  # an ingest: the order reads every article
            self.read_order()
            self.query_one(ArticleList).show(self.order, self.article_rows, self.article.id if self.article else None)
        else:
            self.query_one(ArticleList).refresh_page()
        self.refresh_claim(reread=True)

    def draft_of(self, claim_id: int) -> DraftSummary | None:
        """What the summary says about an unrecorded note or evidence (None when there is none)."""
        if not self.drafts.changed(claim_id):
            return None
        return DraftSummary(self.drafts.note(claim_id), len(self.drafts.evidence(claim_id)),
                     self.drafts.recorded(claim_id) is not None)

    # -- moving ---------------------------------------------------------------------------------
    def _article_position(self) -> int:
        return self.positions.get(self.article.id, -1) if self.article else -1

    async def action_next_claim(self) -> None:
        if self.index + 1 < len(self.claims):
            self.index += 1
            self.refresh_claim()
            return
        position = self._article_position()
        if position + 1 < len(self.order.ids):
            await self.open_article(self.order.ids[position + 1])
        else:
            self.notify("This is the last claim of the last article.", timeout=2)

    async def action_previous_claim(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.refresh_claim()
            return
        position = self._article_position()
        if position > 0:
            await self.open_article(self.order.ids[position - 1], last=True)

    async def action_next_article(self) -> None:
        position = self._article_position()
        if position + 1 < len(self.order.ids):
            await self.open_article(self.order.ids[position + 1])

    async def action_previous_article(self) -> None:
        position = self._article_position()
        if position > 0:
            await self.open_article(self.order.ids[position - 1])

    def _first_pending(self, article_ids: list[int], skip: int | None = None) -> tuple[int, int] | None:
        """(article id, claim id) of the first claim needing review in these articles, `skip` left out.
        Read a batch of articles at a time: the next pending claim is nearly always close by."""
        start, batch = 0, PENDING_BATCH
        while start < len(article_ids):
            place = review_queue.first_needing_review(self.db, article_ids[start:start + batch], skip=skip)
            if place is not None:
                return place
            start, batch = start + batch, batch * 4  # a long reviewed stretch: bigger steps
        return None

    async def action_next_pending(self) -> bool:
        """The next claim needing review: later in this article, then in the following articles."""
        for claim in self.claims[self.index + 1:]:
            if claim.needs_review:
                self.index = self.claims.index(claim)
                self.refresh_claim()
                return True
        position = self._article_position()
        ids = self.order.ids
        place = self._first_pending(ids[position + 1:] + ids[:position + 1], skip=self.claim.id if self.claim else None)
        if place is None:
            self.notify("Every claim for review has a verdict.", title="Nothing pending", timeout=3)
            return False
        await self.open_article(*place)
        return True

    async def go_to_claim(self, claim_id: int, *, remember: bool = False) -> None:
        claim = review_queue.get_claim(self.db, claim_id)
        if claim is None:
            return
        if remember and self.article is not None:
            self.back_stack.append(Place(self.article.id, self.claim.id if self.claim else None))
        await self.open_article(claim.article_id, claim.id)

    async def action_jump(self) -> None:
        match = self.query_one(EvidencePanel).highlighted_match
        if match is None:
            self.notify("No match to go to.", timeout=2)
            return
        await self.go_to_claim(match.other_claim_id, remember=True)
        self.notify(f"In {match.source}. Press b to go back.", timeout=3)

    async def action_back(self) -> None:
        if not self.back_stack:
            self.notify("Nowhere to go back to.", timeout=2)
            return
        place = self.back_stack.pop()
        await self.open_article(place.article_id, place.claim_id)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Keys that decide act on the claim named in the evidence panel, and only while the article or
        its matches have the focus: in the article list, arrows and enter choose an article first."""
        if action in DECIDING_ACTIONS and isinstance(self.focused, ArticleList):
            return False
        return True

    def action_focus_evidence(self) -> None:
        self.query_one(EvidenceList).focus()

    def action_focus_articles(self) -> None:
        self.query_one(ArticleList).focus()

    @on(OptionList.OptionSelected, "#articles")
    async def article_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option_id is None or not event.option_id.startswith("article-"):
            return  # a page's end ("↓ N more") turns the page when it is highlighted
        article_id = int(event.option_id.split("-")[1])
        if not self.article or article_id != self.article.id:
            await self.open_article(article_id)
        self.query_one(ArticleView).focus()

    @on(OptionList.OptionSelected, "#matches")
    async def match_chosen(self, event: OptionList.OptionSelected) -> None:
        await self.action_jump()

    @on(EvidenceList.Toggle)
    def match_toggled(self, event: EvidenceList.Toggle) -> None:
        self.action_toggle_evidence(event.index + 1)

    # -- quitting -------------------------------------------------------------------------------
    def action_quit(self) -> None:
        """Quit; drafts are in claims.db already. One that claims.db refused so far is tried once more,
        and if it still cannot be saved, the reviewer is asked before it is lost."""
        drafts = self.drafts
        try:
            drafts.save_unsaved()
        except sqlite3.Error as error:
            from .quit import QuitDialog  # start-up speed: built only when needed

            def answered(quit_anyway: bool | None) -> None:
                if quit_anyway:
                    self.workbench.exit()

            self.workbench.push_screen(QuitDialog(len(drafts.unsaved), str(error)), answered)
            return
        kept = 0
        with errors_as_notice(self.notify, title="Quitting"):
            kept = drafts.kept()
        message = f"{kept} draft{'s' if kept != 1 else ''} kept in claims.db for next time." if kept else None
        self.workbench.exit(message=message)

    # -- other screens --------------------------------------------------------------------------
    def action_help(self) -> None:
        from .help import HelpScreen  # a cycle: help.py reads REVIEW_BINDINGS from this module

        self.app.push_screen(HelpScreen())

    def _open_claim_list(self, **options) -> None:
        async def opened(claim_id: int | None) -> None:
            if claim_id is not None:
                await self.go_to_claim(claim_id, remember=True)
            self.refresh_claim(reread=True)  # the queue's own verdict keys may have changed the counts
            self.query_one(ArticleList).refresh_page()  # ... and the tallies of any article shown

        if self.claim_list is None:
            self.claim_list = QueueScreen()
            self.app.install_screen(self.claim_list, "queue")  # kept when closed, to be opened again
        self.claim_list.reopen(**options)
        self.app.push_screen(self.claim_list, opened)

    def settled(self) -> None:
        """Start-up is over: the queue screen is built, and what start-up read is set aside from the
        garbage collector. It lives as long as the desk (at 100k claims millions of objects), and a
        full collection walked all of it, 90-145 ms in the middle of whatever key came then; frozen
        (gc.freeze), collections walk only what came after."""
        self.build_claim_list()
        gc.freeze()

    def build_claim_list(self) -> None:
        """Build the queue screen (four lists, the table, the footer's keys, each styled: 60 ms of
        CPU at 100k claims) while the desk is idle after start-up, so w, f and / only fill and show
        it. It reads nothing until it is opened: its rows and counts are read then."""
        if self.claim_list is not None:
            return
        self.claim_list = QueueScreen()
        self.app.install_screen(self.claim_list, "queue")
        # Textual mounts a screen when it is first pushed (App._get_screen calls _register); this is
        # that step alone. Textual is pinned (pyproject) and the queue's Pilot tests open it both ways.
        self.app._register(self.app, self.claim_list)

    def action_queue(self) -> None:
        self._open_claim_list(verdict="pending")

    def action_search(self) -> None:
        self._open_claim_list(verdict=None, search=True)

    def action_filter(self) -> None:
        self._open_claim_list(verdict=None)
