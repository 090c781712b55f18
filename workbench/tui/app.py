"""The review desk application and its factory, `make_app`.

Start-up reads claims.db only: torch and the model are imported in a worker when something needs
embedding (ingest), so the first screen is painted at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

from textual import on, work
from textual.actions import ActionParseResult
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from ..config import config_path, model_name, remember_reviewer, reviewer_name
from ..db import DAMAGED, damage, open_database
from ..integrity import chain_warning
from ..live import ChangeWatch
from ..matching import DEFAULT_MIN_SCORE
from ..queries import has_articles
from ..verdicts import label_counts, review_work
from ..words import plural
from .drafts import Drafts
from ..pipeline import IngestRequest, unfinished_claims
from .notices import errors_as_notice
from .screens.ingest import IngestDialog, ingested_notice
from .screens.queue import QueueScreen
from .screens.review import REVIEW_BINDINGS, ReviewScreen
from .widgets.counts import CountsBar
from .widgets.progress import ProgressStrip


# How often the desk looks for other processes' commits (seconds): "within about a second".
LIVE_INTERVAL = 0.5


class JobProgress(Message):
    """A worker's progress: `done` of `total` (None: not known yet)."""

    def __init__(self, label: str, done: int, total: int | None) -> None:
        super().__init__()
        self.label, self.done, self.total = label, done, total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, JobProgress)


class JobDone(Message):
    def __init__(self, result) -> None:
        super().__init__()
        self.result = result


class RecordChecked(Message):
    """The start-up checks of claims.db (ClaimWorkbench.check_record) finished: what they found, or None."""

    def __init__(self, damage: str | None, altered: str | None) -> None:
        super().__init__()
        self.damage, self.altered = damage, altered


class ClaimWorkbench(App):
    """Claims in, verdicts out: the fact-checker's desk."""

    CSS_PATH = "workbench.tcss"
    TITLE = "Claim Workbench"
    BINDINGS = [
        Binding("escape", "cancel_job", "Cancel", show=False, id="cancel-job"),
    ]

    def __init__(self, db_path: str | Path, *, reviewer: str | None = None, model: str | None = None,
                 finish_earlier: bool = False) -> None:
        super().__init__()
        self.finish_earlier = finish_earlier  # match at start-up what an interrupted ingest left unmatched
        self.db_path = Path(db_path)
        self.db = open_database(self.db_path)
        self.reviewer = reviewer_name(reviewer) or ""  # "": nobody said; the desk asks when it opens
        self.model = model
        self.model_label = model_name(model)
        self.min_score: float | None = DEFAULT_MIN_SCORE
        self.cancel_event = threading.Event()
        self.drafts = Drafts(self.db, self.reviewer, self.model_label)
        self.review = ReviewScreen()
        self.work: int | None = None  # verdicts.review_work, kept until the claims may have changed
        self.versions = ChangeWatch(self.db)  # for counts(): has any connection written since?
        self.counted: tuple[tuple[int, int], dict[str, int]] | None = None  # (what was written, counts)

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = False) -> None:
        """Every notification is plain text: source names, file paths and error messages come from
        users and files, and a "[/]" in one must show as written, not crash the markup parser."""
        kwargs = {} if timeout is None else {"timeout": timeout}
        super().notify(message, title=title, severity=severity, markup=False, **kwargs)

    async def run_action(self, action: str | ActionParseResult, default_namespace: DOMNode | None = None,
                         namespaces: Mapping[str, DOMNode] | None = None) -> bool:
        """Every key runs here: a database error in any of them (even a read) is one line, never a crash."""
        with errors_as_notice(self.notify, title="claims.db"):
            return await super().run_action(action, default_namespace, namespaces)
        return True

    async def action_quit(self) -> None:
        """ctrl+q and the palette's Quit ask the review desk, which keeps (or asks about) the drafts."""
        self.review.action_quit()

    def on_mount(self) -> None:
        self.push_screen(self.review)
        self.changes = ChangeWatch(self.db)
        self.set_interval(LIVE_INTERVAL, self.show_others_work, name="live")
        if not has_articles(self.db):
            from .screens.welcome import WelcomeScreen  # only an empty database shows it (start-up speed)

            self.push_screen(WelcomeScreen(id="welcome"))
        elif self.finish_earlier and unfinished_claims(self.db):
            self._start_pipeline(IngestRequest())
        if not self.reviewer:
            self.ask_reviewer()

    @work(thread=True, group="record-check", exit_on_error=False)
    def check_record(self) -> None:
        """The file's quick_check and the verdict history's hash chain, on a connection of this thread
        after the first paint: both read the whole file or history (seconds at 100k claims). Until the
        file is found sound, the desk's first write runs quick_check itself (db.write), as before."""
        db = open_database(self.db_path, migrate=False, repair=False)
        try:
            self.post_message(RecordChecked(damage(db), chain_warning(db)))
        finally:
            db.close()

    def on_record_checked(self, message: RecordChecked) -> None:
        if message.damage:
            self.notify(f"{self.db_path} {DAMAGED.format(message.damage)}", severity="error", timeout=60)
        else:
            self.db.checked = True  # sound: the first write need not read the whole file again
        if message.altered:
            self.notify(message.altered, severity="error", timeout=60)

    def counts(self) -> dict[str, int]:
        """The header's counts. How many claims are review work is read again only when the claims may
        have changed (start-up, an ingest, another process's commit), never on a key press: this
        desk's own connection writes verdicts, drafts and notes, never claims."""
        if self.work is None:
            self.work = review_work(self.db)
        # Counted again only when something was written since: by this desk (its connection's
        # total_changes) or by another process (data_version). At 100k claims and 10k verdicts one
        # count is 90 ms, and the queue asks on every opening, filter and search.
        written = (self.versions.read(), self.db.conn.total_changes)
        if self.counted is None or self.counted[0] != written:
            self.counted = (written, label_counts(self.db, work=self.work))
        return dict(self.counted[1])

    def ask_reviewer(self) -> None:
        """Asked once: the name is remembered in the config file for every later desk and `mark`."""
        from .screens.reviewer import ReviewerDialog  # start-up speed: only a first run needs it

        def answered(name: str | None) -> None:
            if name is None:
                self.exit(message="Nothing recorded: the desk needs your name (--reviewer NAME or "
                                  "WORKBENCH_REVIEWER, or type it when asked).")
                return
            with errors_as_notice(self.notify, title="Your name is not remembered"):
                path = remember_reviewer(name)
                self.notify(f"Hello {name}: remembered in {path}.", timeout=4)
            self.set_reviewer(name)

        self.push_screen(ReviewerDialog(str(config_path())), answered)

    def set_reviewer(self, name: str) -> None:
        self.reviewer = name
        self.drafts = Drafts(self.db, name, self.model_label)
        for screen in self.screen_stack:
            for bar in screen.query(CountsBar):
                bar.reviewer = name
        if self.review.is_mounted:
            self.review.refresh_claim()

    def show_others_work(self) -> None:
        """Verdicts, notes and editor decisions another process committed: the screens re-read what they
        show (counts, the open article's claims, the current claim), never the whole desk."""
        with errors_as_notice(self.notify, title="claims.db"):
            if not self.changes.changed():
                return
            self.work = None  # another process committed: maybe claims (an ingest)
            for screen in self.screen_stack:
                if isinstance(screen, (ReviewScreen, QueueScreen)) and screen.is_mounted:
                    try:
                        screen.show_others_work()
                    except NoMatches:  # the desk is closing: its widgets are being removed
                        return

    # -- ingest ---------------------------------------------------------------------------------
    def action_ingest(self) -> None:
        if self._job_running():
            self.notify("Still busy with the last ingest; Esc cancels it.", timeout=3)
            return
        self.push_screen(IngestDialog(), self._start_pipeline)

    def action_load_demo(self) -> None:
        if self._job_running():
            return
        self._start_pipeline(IngestRequest(demo=True))

    def _start_pipeline(self, request: IngestRequest | None) -> None:
        if request is None:
            return
        self.cancel_event = threading.Event()
        self._show_progress("Starting…", 0, None)
        self.pipeline(request)

    def _job_running(self) -> bool:
        return any(w.group == "pipeline" and w.is_running for w in self.workers)

    @work(thread=True, exclusive=True, group="pipeline", exit_on_error=False)
    def pipeline(self, request: IngestRequest):
        # Imported in the worker: jobs.py loads the export screen and renderers (start-up speed).
        from .jobs import run_pipeline

        def report(label: str, done: int, total: int | None) -> None:
            self.post_message(JobProgress(label, done, total))

        result = run_pipeline(self.db_path, request, self.model, report, self.cancel_event)
        self.post_message(JobDone(result))
        return result

    def action_cancel_job(self) -> None:
        if self._job_running():
            self.cancel_event.set()
            self.notify("Cancelling after the current batch…", timeout=2)
        elif len(self.screen_stack) > 2 and not isinstance(self.screen, ReviewScreen):
            self.pop_screen()

    def _strips(self) -> Iterable[ProgressStrip]:
        for screen in self.screen_stack:
            yield from screen.query(ProgressStrip)

    def _show_progress(self, label: str, done: int, total: int | None) -> None:
        for strip in self._strips():
            strip.show(label, done, total)

    def on_job_progress(self, message: JobProgress) -> None:
        self._show_progress(message.label, message.done, message.total)

    async def on_job_done(self, message: JobDone) -> None:
        self.work = None  # the ingest stored claims
        for strip in self._strips():
            strip.hide()
        result = message.result
        self.notify(ingested_notice(result), title="Ingested", timeout=8 if len(result.stored) > 1 else 6)
        if self.screen.id == "welcome" and result.article_ids:
            self.pop_screen()
        first = result.article_ids[0] if result.article_ids else None
        await self.review.reload(article_id=first if first is not None else None)

    @on(Worker.StateChanged)
    def worker_failed(self, event: Worker.StateChanged) -> None:
        """Any worker error becomes a visible notification (one line), never a crash."""
        if event.state == WorkerState.ERROR:
            for strip in self._strips():
                strip.hide()
            error = event.worker.error
            self.notify(str(error).splitlines()[0] if str(error) else type(error).__name__,
                        title="That did not work", severity="error", timeout=10)

    # -- export ---------------------------------------------------------------------------------
    def action_export(self) -> None:
        # Imported when asked for: the export formats stay out of the first paint (start-up speed).
        from .screens.export import ExportDialog

        article = self.review.article
        from ..review_queue import sources  # cheap and no cycle (the review screen loads it): belongs at the top

        self.push_screen(ExportDialog(article.id if article else None, article.title if article else None,
                                      sources(self.db), db_path=self.db_path), self._start_export)

    def _start_export(self, request) -> None:
        if request is not None:
            self.export(request)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export(self, request) -> int:
        # Imported in the worker: the export formats stay out of the first paint (start-up speed).
        from ..export import nothing_decided
        from .jobs import run_export

        warnings: list[str] = []
        count = run_export(self.db_path, request, warnings)
        words = f"{plural(count, 'claim')} written to {request.path}"
        if nothing_decided(request.fmt, count, request.verdict, request.include_pending):
            words += ": no claim is decided yet; mark claims first" + (
                " or tick 'Also the claims waiting for review'" if request.fmt == "csv" else "")
        if warnings:
            words += "; the ClaimReview check has notes (`workbench export --format claimreview` prints them)"
        self.call_from_thread(self.notify, words, title="Exported", timeout=8)
        return count

    # -- command palette ------------------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        seen = set()
        for binding in REVIEW_BINDINGS:
            if not binding.tooltip or binding.action in seen:
                continue
            seen.add(binding.action)
            key = binding.key.split(",")[0]
            yield SystemCommand(f"claims: {binding.tooltip.split(' (')[0].lower()}",
                                f"key {key}", self._runner(binding.action))

    def _runner(self, action: str):
        async def run() -> None:
            if action.startswith("app."):
                await self.run_action(action[4:])
                return
            if self.screen is not self.review:
                return self.notify("Open the review desk first (Esc).", timeout=2)
            await self.run_action(action, self.review)

        return run


def make_app(db_path: str | Path, *, reviewer: str | None = None, model: str | None = None,
             finish_earlier: bool = False) -> ClaimWorkbench:
    """The review desk for a claims database (used by `workbench review` and by the tests).

    finish_earlier: match at start-up the claims an interrupted ingest left unmatched (`workbench
    review` asks for it; tests on hand-made corpora without match runs do not)."""
    return ClaimWorkbench(db_path, reviewer=reviewer, model=model, finish_earlier=finish_earlier)
