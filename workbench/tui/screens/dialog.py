"""What the desk's small modal forms share: submit (ctrl+s) and cancel (esc) buttons, an error line."""

from __future__ import annotations

from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Static

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A form that dismisses with its result on ctrl+s / the first button, or with None on esc."""

    def buttons(self, submit_label: str) -> ComposeResult:
        with Horizontal(classes="dialog-buttons"):
            yield Button(f"{submit_label} (ctrl+s)", id="submit", variant="primary", compact=True)
            yield Button("Cancel (esc)", id="cancel", compact=True)

    def show_error(self, message: str) -> None:
        self.query_one(".dialog-error", Static).update(Text(message, style="bold red"))

    def action_submit(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_submit() if event.button.id == "submit" else self.action_cancel()
