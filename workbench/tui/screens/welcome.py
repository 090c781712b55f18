"""Shown when claims.db holds no article: load the demo corpus, or ingest a file."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from ..widgets.progress import ProgressStrip

if TYPE_CHECKING:  # a cycle: the app opens this screen
    from ..app import ClaimWorkbench

# One line per paragraph: the box wraps them to its width (hard breaks wrapped twice at 80 columns).
WELCOME = (
    "{db} has no articles yet.\n\n"
    "The desk splits articles into claims, matches each claim against claims from other sources, and lets you "
    "mark each one corroborated, disputed or unverified, with a note and evidence.\n\n"
    "Start with the demo corpus (12 articles from 10 sources, plus earlier fact-checks), or ingest your own "
    "article: a file path (.txt, .md, .html, .jsonl) or pasted text."
)


class WelcomeScreen(Screen):
    BINDINGS = [
        Binding("d", "app.load_demo", "Load the demo", id="welcome-demo", tooltip="Load the demo corpus"),
        Binding("i", "app.ingest", "Ingest a file", id="welcome-ingest",
                tooltip="Ingest an article from a file or pasted text"),
        Binding("q", "app.quit", "Quit", id="welcome-quit"),
    ]

    @property
    def workbench(self) -> ClaimWorkbench:
        return cast("ClaimWorkbench", self.app)

    def compose(self) -> ComposeResult:
        with Center(id="welcome-box"):
            with Vertical(id="welcome", classes="dialog"):
                yield Static(Text("Welcome to the Claim Workbench", style="bold"), classes="dialog-title")
                yield Static(Text(WELCOME.format(db=self.workbench.db_path.name)))
                with Horizontal(classes="dialog-buttons"):
                    yield Button("Load the demo (d)", id="demo", variant="primary")
                    yield Button("Ingest a file (i)", id="ingest")
        yield ProgressStrip(id="progress")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(ProgressStrip).hide()
        self.query_one("#demo", Button).focus()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        await self.app.run_action("load_demo" if event.button.id == "demo" else "ingest")
