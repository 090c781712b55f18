"""The evidence panel: the current claim's verdicts and, for each match, its source, date, score, the
matched sentence with its neighbours, and the signals (e.g. "numbers differ: 4 vs 5")."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...review_queue import ClaimRow, MatchRow
from ...suggestion import suggest
from ...verdicts import Verdict
from ..styles import LABEL_COLOURS, short_date, status_text


@dataclass(frozen=True)
class DraftSummary:
    """A note or evidence the reviewer changed but has not recorded yet (c / d / u records it)."""

    note: str
    evidence: int
    over_verdict: bool  # the reviewer has a recorded verdict that this draft differs from


def claim_summary(claim: ClaimRow | None, index: int, total: int, verdicts: list[Verdict],
                  draft: DraftSummary | None) -> Text:
    text = Text()
    if claim is None:
        text.append("No claim selected.", style="dim")
        return text
    text.append(f"Claim {index + 1}/{total} ", style="bold")
    text.append_text(status_text(claim.state))
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
    if draft is not None:
        text.append("\n  ")
        if draft.over_verdict:
            text.append("note/evidence changed — press c/d/u to record", style="bold yellow")
        else:
            text.append("draft — recorded with c/d/u", style="bold yellow")
        if draft.evidence:
            text.append(f" · {draft.evidence} evidence", style="dim")
        if draft.note:
            text.append(f" — {draft.note}", style="italic")
    if claim.editor is not None:
        text.append("\n  ")
        if claim.returned:
            text.append("↩ returned by the editor", style="bold magenta")
        elif claim.signed_off:
            text.append("✔ signed off by the editor", style="bold green3")
        else:
            text.append(f"editor: {claim.editor.decision} (about another verdict)", style="dim")
        if claim.editor.note:
            text.append(f" — {claim.editor.note}", style="italic")
    return text


def _clip(text: str, width: int, *, keep_end: bool = False) -> str:
    """At most `width` characters of the text, cut between words, with an ellipsis where it was cut."""
    if len(text) <= width:
        return text
    if keep_end:
        tail = text[-width:]
        return "…" + (tail.split(" ", 1)[1] if " " in tail[:width // 2] else tail).lstrip()
    head = text[:width]
    return (head.rsplit(" ", 1)[0] if " " in head[width // 2:] else head).rstrip() + "…"


def _line(text: Text, width: int) -> Text:
    """One screen line: cut with an ellipsis rather than wrapped."""
    text.no_wrap = True
    text.truncate(max(1, width), overflow="ellipsis")
    return text


def match_prompt(number: int, match: MatchRow, chosen: bool, *, width: int = 80, roomy: bool = True,
                 full: bool = True, copies: tuple[str, ...] = ()) -> Text:
    """One match, compact: a header line (number, chosen mark, score, source (kind), date), the matched
    sentence (at most two lines unless `roomy` or `full`), its neighbours only when `roomy` (dimmed,
    clipped), and the signals on one line."""
    header = Text()
    header.append(f"{number} ", style="bold")
    header.append("[x] " if chosen else "[ ] ", style="bold green3" if chosen else "dim")
    header.append(f"{match.score:.2f} ", style="bold")
    date = short_date(match.published, width - 20)
    kind_and_date = f" ({match.source_kind})" + (f" {date}" if date else "")
    header.append(_clip(match.source, max(8, width - len(header) - len(kind_and_date) - 1)), style="cyan")
    header.append(kind_and_date, style="dim")
    if match.copy_of is not None:
        header.append(f" · copy of claim {match.copy_of}", style="dim")
    elif match.relation:
        style = LABEL_COLOURS["disputed"] if match.relation == "conflicts" else (
            LABEL_COLOURS["corroborated"] if match.relation == "supports" else "dim")
        header.append(f" · {match.relation}", style=style)
    if match.external_id:
        header.append(f" · {match.external_id}", style="dim")
    if copies:  # the same story from other outlets, folded under this row (one independent source)
        header.append(f" · +{len(copies)} cop{'y' if len(copies) == 1 else 'ies'}: {', '.join(copies)}", style="dim")
    if match.article_title and roomy and len(header) + 15 < width:
        header.append(f" · {match.article_title}", style="dim italic")
    lines = [_line(header, width)]
    sentence = Text()
    if roomy and match.before:
        sentence.append(_clip(match.before, width - 2, keep_end=True) + " ", style="dim")
    sentence.append(match.text if roomy or full else _clip(match.text, 2 * width - 4), style="bold")
    if roomy and match.after:
        sentence.append(" " + _clip(match.after, width - 2), style="dim")
    lines.append(sentence)
    if match.signals:
        signals = Text("  ")
        # A fact-check's rating first (it is the verdict of another desk), then conflicts, then agreements.
        for i, signal in enumerate(sorted(match.signals, key=lambda s: (s.kind != "rating", not s.conflict))):
            if i:
                signals.append(" · ", style="dim")
            if signal.conflict:
                signals.append("⚠ " + signal.message, style=LABEL_COLOURS["disputed"])
            else:
                signals.append("= " + signal.message, style=LABEL_COLOURS["corroborated"])
        lines.append(_line(signals, width))
    return Text("\n").join(lines)


class EvidenceList(OptionList):
    """The matches; space chooses the highlighted one as evidence, enter jumps to it."""

    BINDINGS = [
        Binding("space", "toggle_evidence", "Evidence", tooltip="Use the highlighted match as evidence"),
        Binding("escape", "leave", "Back to text", show=False),
    ]

    class Toggle(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def action_toggle_evidence(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Toggle(self.highlighted))

    def action_leave(self) -> None:
        self.screen.query_one("ArticleView").focus()


class EvidencePanel(Vertical):
    """Summary of the claim on top, its matches below."""

    # Neighbours of a matched sentence are shown from this panel height up (a wide terminal).
    ROOMY_HEIGHT = 18

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.matches: list[MatchRow] = []
        self.chosen: set[int] = set()
        self.matched = True
        self._expanded: dict[int, bool] = {}  # match index -> shown with its whole sentence
        self.copies: dict[int, list[str]] = {}  # shown match's claim id -> sources of its folded copies

    def compose(self) -> ComposeResult:
        yield Static(Text("No claim selected.", style="dim"), id="claim-summary")
        yield EvidenceList(id="matches")

    def on_resize(self) -> None:
        if self.matches:
            self._fill(self.matches, self.chosen, keep=self.query_one(EvidenceList).highlighted)

    def show(self, summary: Text, matches: list[MatchRow], chosen: set[int], *, matched: bool = True) -> None:
        """`matched`: matching has run for the claim (matching.is_matched), so no matches means none
        reached the minimum score rather than none looked for yet."""
        self.matched = matched
        if matches:
            suggestion = suggest(matches)
            summary = summary.copy()
            summary.append(f"\n  suggests {suggestion.label} (never recorded by itself): {suggestion.reason}",
                           style="dim")
        # Copies of one story are listed after the independent sources (matching/copies.py), each
        # source naming its copies; a copy's row says which row it repeats.
        self.copies = {}
        for match in matches:
            if match.copy_of is not None:
                self.copies.setdefault(match.copy_of, []).append(match.source)
        self.query_one("#claim-summary", Static).update(summary)
        options = self.query_one(EvidenceList)
        keep = options.highlighted if [m.other_claim_id for m in matches] == [
            m.other_claim_id for m in self.matches] else None
        self._fill(matches, chosen, keep)

    def _fill(self, matches: list[MatchRow], chosen: set[int], keep: int | None) -> None:
        self.matches, self.chosen = matches, set(chosen)
        self._expanded = {}
        options = self.query_one(EvidenceList)
        options.clear_options()
        if not matches:
            # "Not looked for yet" and "nothing close enough" read the same to a reviewer unless said.
            floor = getattr(self.app, "min_score", None)
            if not self.matched:
                message = "Not matched yet (the model is loading / run `workbench match`)."
            elif floor:
                message = f"No match from another source scores {floor:.2f} or more."
            else:
                message = "No match from another source."
            options.add_option(Option(Text(message, style="dim"), disabled=True))
            return
        highlighted = keep if keep is not None and keep < len(matches) else 0
        options.add_options(Option(self._prompt(i, full=i == highlighted), id=f"match-{m.other_claim_id}")
                            for i, m in enumerate(matches))
        options.highlighted = highlighted
        self._expanded = {highlighted: True}

    def _prompt(self, index: int, *, full: bool) -> Text:
        match = self.matches[index]
        return match_prompt(index + 1, match, match.other_claim_id in self.chosen,
                            width=max(20, (self.size.width or 80) - 2),
                            roomy=self.size.height >= self.ROOMY_HEIGHT, full=full,
                            copies=tuple(self.copies.get(match.other_claim_id, ())))

    @on(OptionList.OptionHighlighted, "#matches")
    def expand_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Only the highlighted match shows its whole sentence on a small terminal."""
        options = self.query_one(EvidenceList)
        for index in range(len(self.matches)):
            expanded = index == event.option_index
            if self._expanded.get(index, False) != expanded:
                options.replace_option_prompt_at_index(index, self._prompt(index, full=expanded))
                self._expanded[index] = expanded

    @property
    def highlighted_match(self) -> MatchRow | None:
        index = self.query_one(EvidenceList).highlighted
        if index is None or not self.matches or index >= len(self.matches):
            return None
        return self.matches[index]
