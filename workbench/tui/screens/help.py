"""Every key of the desk, read from the screens' bindings (F1 / ?)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def key_label(keys: str) -> str:
    names = {"question_mark": "?", "slash": "/", "left_square_bracket": "[", "right_square_bracket": "]",
             "space": "space", "down": "↓", "up": "↑"}
    return " ".join(names.get(k, k) for k in keys.split(","))


def keys_table(title: str, bindings: list[Binding]) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", box=None, show_header=False,
                  padding=(0, 1), expand=True)
    table.add_column("key", style="bold cyan", no_wrap=True)
    table.add_column("what")
    seen = set()
    for binding in bindings:
        if not binding.action or (binding.action, binding.key) in seen:
            continue
        seen.add((binding.action, binding.key))
        what = binding.tooltip or binding.description
        table.add_row(Text(key_label(binding.key)), Text(what))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def compose(self) -> ComposeResult:
        # Imported here: review.py opens this screen, so a top-level import would be a cycle.
        from .queue import QUEUE_BINDINGS
        from .review import REVIEW_BINDINGS

        main = [b for b in REVIEW_BINDINGS if not b.action.startswith("toggle_evidence(")]
        main.insert(next(i for i, b in enumerate(main) if b.action == "toggle_evidence"),
                    Binding("1-9", "toggle_evidence(n)", tooltip="Use match 1-9 as evidence (again: drop it)"))
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(keys_table("Review desk", main))
            yield Static(keys_table("Queue, filters and search (w, f, /)", QUEUE_BINDINGS))
            yield Static(keys_table("Everywhere", [
                Binding("ctrl+p", "command_palette", tooltip="Command palette: every action by name"),
                Binding("tab", "focus_next", tooltip="Move between articles, text and matches"),
                Binding("ctrl+q", "quit", tooltip="Quit"),
            ]))
            yield Static(Text("Verdicts are saved the moment you press c / d / u. Esc closes this.",
                              style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
