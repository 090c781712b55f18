"""The ingest dialog: what `workbench ingest` takes, as a form. Articles (a file or a folder), a claims
file of earlier fact-checks (`--claims`) or pasted text; the source and its kind; one article's title,
url and publication date; the transcript context (`--context`).

ctrl+s reads and checks everything in a worker, the same reading the pipeline does before it stores
anything; a problem is shown on one line and the form stays as typed. Only a request that reads
cleanly goes to the app's pipeline worker, which stores, embeds and matches with progress.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Footer, Input, Select, Static, TextArea
from textual.worker import Worker, WorkerState

from ...errors import InputError
from ...ingest import check_date, read_all
from ...pipeline import IngestRequest, PipelineResult, finished_message
from ...reading import NO_ARTICLE_TEXT, check_url, has_article_text, read_claims
from ...safe_text import visible
from ...vocab import SOURCE_KINDS
from ...words import plural
from .dialog import Dialog

PASTED = "<pasted in the desk>"
MAX_CONTEXT = 10  # as `workbench ingest --context`
LISTED = 6  # skipped files named in the notice; the CLI lists every one


def check_request(request: IngestRequest) -> str | None:
    """What stops the request, in one line naming the file, or None when it reads cleanly.

    The reading and checking the pipeline does before it stores anything (the same functions), here
    so that the form can stay open; nothing is stored.
    """
    try:
        check_date(request.published, "Published")
        if request.claims_file:
            for path in request.paths:
                claims = read_claims(path)
                if not request.source and any(not claim.source for claim in claims):
                    return f"{path}: a claim names no source; fill in Source (who checked it)."
        elif request.paths:
            articles = read_all(request.paths, title=request.title, url=request.url,
                                published=request.published)
            unnamed = next((a.origin for a in articles if not a.source), None)
            if unnamed and not request.source:
                return f"{unnamed}: names no source; fill in Source (who published it)."
        else:
            check_url(request.url, "Url")
            if not has_article_text(request.text, request.title):
                return f"The pasted text has {NO_ARTICLE_TEXT.split('; ')[0]}; paste the article's paragraphs."
    except InputError as error:
        return visible(str(error))  # a file name can hold terminal escapes
    return None


def ingested_notice(result: PipelineResult) -> str:
    """The notice after an ingest: what was stored, then each file left out and why (as the CLI lists)."""
    articles = len(result.article_ids) - result.duplicates
    words = plural(result.claims, "new claim") + (f" in {plural(articles, 'article')}" if articles else "")
    if result.finished:
        words += f", {finished_message(result.finished)}"
    if result.cancelled:
        words += " (cancelled: some claims are not matched yet; `workbench match` finishes)"
    lines = [f"{words}, {result.seconds:.1f} s."]
    left_out = [(r.origin or "-", r.skipped or f"already stored as article {r.article_id}")
                for r in result.stored if r.skipped or r.duplicate]
    if left_out:
        lines.append(f"Skipped {plural(len(left_out), 'file')}:")
        lines += [visible(f"{Path(origin).name}: {why.split(';')[0]}") for origin, why in left_out[:LISTED]]
        if len(left_out) > LISTED:
            lines.append(f"and {len(left_out) - LISTED} more (`workbench ingest` lists every one)")
    return "\n".join(lines)


class IngestDialog(Dialog[IngestRequest | None]):
    BINDINGS = [
        Binding("ctrl+s", "submit", "Ingest", id="ingest-submit", tooltip="Check, then split, embed and match"),
        Binding("escape", "cancel", "Cancel", id="ingest-cancel"),
    ]

    def compose(self) -> ComposeResult:
        # Scrolls when the terminal is too short for the form (focus keeps the field in view).
        with VerticalScroll(id="ingest-dialog", classes="dialog"):
            yield Static(Text("Ingest articles, or earlier fact-checks", style="bold"), classes="dialog-title")
            with Horizontal(classes="field"):
                yield Static("Path", classes="field-name")
                yield Input(placeholder="a file or a folder: .txt .md .html .jsonl", id="ingest-path", compact=True)
            with Horizontal(classes="field"):
                yield Static("Source", classes="field-name")
                yield Input(placeholder="who published it (a .jsonl may name it)", id="ingest-source",
                            compact=True)
                yield Select([(kind, kind) for kind in SOURCE_KINDS], prompt="kind", id="ingest-kind",
                             compact=True, allow_blank=True)
            yield Checkbox("Claims file: earlier fact-checks, one a line, not split", id="ingest-claims",
                           compact=True, tooltip="Like `workbench ingest --claims`: columns id, text, source, "
                                                 "url, date, rating")
            with Horizontal(classes="field"):
                yield Static("Title", classes="field-name")
                yield Input(placeholder="one article only; else from the page", id="ingest-title", compact=True)
            with Horizontal(classes="field"):
                yield Static("Url", classes="field-name")
                yield Input(placeholder="https://… (one article only)", id="ingest-url", compact=True)
            with Horizontal(classes="field"):
                yield Static("Published", classes="field-name")
                yield Input(placeholder="YYYY-MM-DD", id="ingest-published", compact=True, max_length=25)
                yield Static("Context", classes="field-name context-name")
                yield Input("0", id="ingest-context", type="integer", compact=True, max_length=2)
                yield Static(" claims before each (3: transcripts)", classes="field-hint")
            yield Static("Or paste the article's text (with a source):", classes="field-hint")
            yield TextArea(id="ingest-text", soft_wrap=True, compact=True)
            yield Static(id="ingest-error", classes="dialog-error")
            yield from self.buttons("Ingest")
        yield Footer()  # the desk's keys below stay hidden: here c, d, u are letters

    def on_mount(self) -> None:
        self.query_one("#ingest-path", Input).focus()

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def form_request(self) -> IngestRequest | str:
        """The form as an IngestRequest, or what is missing or contradictory in it (one line)."""
        path, source = self._value("#ingest-path"), self._value("#ingest-source")
        text = self.query_one(TextArea).text
        claims_file = self.query_one(Checkbox).value
        kind = self.query_one(Select).value
        title, url, published = (self._value(f"#ingest-{name}") or None for name in ("title", "url", "published"))
        context = self._value("#ingest-context") or "0"
        if not path and not text.strip():
            return "Give a file or folder path, or paste an article's text."
        if path and text.strip():
            return "Give a path or paste text, not both: clear one of them."
        if claims_file and not path:
            return "Earlier fact-checks come from a file: give its path (.tsv or .jsonl)."
        if claims_file and (title or url or published or context != "0"):
            return "A claims file gives each claim its url and date: clear Title, Url, Published and Context."
        if not context.isdigit() or int(context) > MAX_CONTEXT:
            return f"Context is a number of claims from 0 to {MAX_CONTEXT} (3 suits transcripts)."
        if text.strip() and not source:
            return "Pasted text needs a source name (who published it)."
        return IngestRequest(paths=[str(Path(path).expanduser())] if path else [], text=text,
                             source=source or None, kind=kind if isinstance(kind, str) else None,
                             title=title, url=url, published=published, claims_file=claims_file,
                             context_window=int(context), origin=None if path else PASTED)

    def action_submit(self) -> None:
        if any(worker.group == "ingest-check" and worker.is_running for worker in self.workers):
            return
        request = self.form_request()
        if isinstance(request, str):
            self.show_error(request)
            return
        self.query_one("#ingest-error", Static).update(Text("Checking…", style="italic"))
        self.check(request)

    @work(thread=True, exclusive=True, group="ingest-check", exit_on_error=False)
    def check(self, request: IngestRequest) -> tuple[IngestRequest, str | None]:
        return request, check_request(request)

    @on(Worker.StateChanged)
    def checked(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "ingest-check":
            return
        if event.state == WorkerState.ERROR:
            self.show_error(str(event.worker.error).splitlines()[0])
        elif event.state == WorkerState.SUCCESS and event.worker.result is not None:
            request, problem = event.worker.result
            if problem:
                self.show_error(problem)
            else:
                self.dismiss(request)
