"""The evidence panel: the current claim's verdicts and, for each match, its source, date, score, the
matched sentence with its neighbours, and the signals (e.g. "numbers differ: 4 vs 5")."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...desk import ClaimRow, MatchRow
from ...verdicts import Verdict
from ..styles import LABEL_COLOURS, status_text


def claim_summary(claim: ClaimRow | None, index: int, total: int, verdicts: list[Verdict],
                  draft_note: str | None) -> Text:
    text = Text()
    if claim is None:
        text.append("No claim selected.", style="dim")
        return text
    text.append(f"Claim {index + 1}/{total} ", style="bold")
    text.append_text(status_text(claim.status))
    text.append(f"  worth {claim.worthiness:.2f}", style="dim")
    if claim.claimant:
        text.append(f"  · claimant: {claim.claimant}", style="dim")
    for verdict in verdicts:
        text.append("\n  ")
        text.append_text(status_text(verdict.status))
        text.append(f" {verdict.reviewer} {verdict.decided_at[5:16].replace('T', ' ')}", style="dim")
        if verdict.action != "mark":
            text.append(f" ({verdict.action})", style="dim")
        if verdict.evidence:
            text.append(f" · {len(verdict.evidence)} evidence", style="dim")
        if verdict.note:
            text.append(f" — {verdict.note}", style="italic")
    if draft_note:
        text.append("\n  note (saved with your verdict): ", style="dim")
        text.append(draft_note, style="italic")
    if claim.editor is not None:
        text.append("\n  ")
        if claim.returned:
            text.append("↩ returned by the editor", style="bold magenta")
        elif claim.signed_off:
            text.append("✔ signed off by the editor", style="bold green3")
        else:
            text.append(f"editor: {claim.editor.decision} (an earlier verdict)", style="dim")
        if claim.editor.note:
            text.append(f" — {claim.editor.note}", style="italic")
    return text


def _clip(text: str, width: int, *, keep_end: bool = False) -> str:
    if len(text) <= width:
        return text
    return "…" + text[-width:].lstrip() if keep_end else text[:width].rstrip() + "…"


def match_prompt(number: int, match: MatchRow, chosen: bool, *, wide: bool = True) -> Text:
    """One match; on a narrow terminal the neighbours are clipped and the article title left out."""
    context = 160 if wide else 60
    text = Text()
    text.append(f"{number} ", style="bold")
    text.append("[x] " if chosen else "[ ] ", style="bold green3" if chosen else "dim")
    text.append(f"{match.score:.2f} ", style="bold")
    text.append(match.source, style="cyan")
    text.append(f" ({match.source_kind})", style="dim")
    if match.published:
        text.append(f" {match.published[:10]}", style="dim")
    if match.article_title and wide:
        text.append(f" · {match.article_title}", style="dim italic")
    text.append("\n")
    if match.before:
        text.append(_clip(match.before, context, keep_end=True) + " ", style="dim")
    text.append(match.text, style="bold")
    if match.after:
        text.append(" " + _clip(match.after, context), style="dim")
    for signal in match.signals:
        text.append("\n  ")
        if signal.conflict:
            text.append("⚠ " + signal.message, style=LABEL_COLOURS["disputed"])
        else:
            text.append("= " + signal.message, style=LABEL_COLOURS["corroborated"])
    if match.external_id:
        text.append(f"\n  fact-check {match.external_id}", style="dim")
    return text


class EvidenceList(OptionList):
    """The matches; space chooses the highlighted one as evidence, enter jumps to it."""

    BINDINGS = [
        Binding("space", "toggle", "Evidence", tooltip="Use the highlighted match as evidence"),
        Binding("escape", "leave", "Back to text", show=False),
    ]

    class Toggle(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def action_toggle(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Toggle(self.highlighted))

    def action_leave(self) -> None:
        self.screen.query_one("ArticleView").focus()


class EvidencePanel(Vertical):
    """Summary of the claim on top, its matches below."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.matches: list[MatchRow] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("No claim selected.", style="dim"), id="claim-summary")
        yield EvidenceList(id="matches")

    def show(self, summary: Text, matches: list[MatchRow], chosen: set[int]) -> None:
        self.query_one("#claim-summary", Static).update(summary)
        options = self.query_one(EvidenceList)
        keep = options.highlighted if [m.other_claim_id for m in matches] == [
            m.other_claim_id for m in self.matches] else None
        self.matches = matches
        options.clear_options()
        if not matches:
            options.add_option(Option(Text("No matches from other sources yet.", style="dim"),
                                      disabled=True))
            return
        options.add_options(
            Option(match_prompt(i + 1, m, m.other_claim_id in chosen, wide=self.screen.size.width >= 110),
                   id=f"match-{m.other_claim_id}")
            for i, m in enumerate(matches)
        )
        options.highlighted = keep if keep is not None and keep < len(matches) else 0

    @property
    def highlighted_match(self) -> MatchRow | None:
        index = self.query_one(EvidenceList).highlighted
        if index is None or not self.matches or index >= len(self.matches):
            return None
        return self.matches[index]
