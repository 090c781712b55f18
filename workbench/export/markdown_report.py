"""A Markdown report for editors: a summary first, then each article with its claims highlighted
and, for each claim, the verdict, the note and the evidence quoted with its source.

Everything quoted is escaped, so an article's own `*`, `[`, `<script>` and so on show as text.
"""

from __future__ import annotations

import re

from ..safe_text import is_web_url, visible
from ..words import plural
from .common import (
    LABEL_SIGNS, LABEL_TITLES, STATUS_MEANINGS, article_meta, editor_words, filter_words, generated_at,
    settings_notes, short_time,
)
from ..vocab import PENDING
from .records import STATUSES, ExportData, has_verdicts, other_reviews, segments, status_counts

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_LINE_START = re.compile(r"^(\s*)(#|>|[+-](?=\s)|\d+(?=[.)]\s))", re.MULTILINE)


def escape(text: str) -> str:
    """Markdown that shows `text` literally (inline); control characters shown as \\uXXXX, so the
    report is also safe to `cat` in a terminal."""
    text = _SPECIAL.sub(r"\\\1", text or "")
    text = visible(text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def cell(text: str) -> str:
    """A table cell: escaped, on one line."""
    return escape(re.sub(r"\s+", " ", text or "").strip())


def link(text: str, url: str | None) -> str:
    if url and is_web_url(url):
        return f"[{escape(text)}](<{url.replace('>', '%3E').replace(' ', '%20')}>)"
    return escape(text)


def render(data: ExportData) -> str:
    out: list[str] = ["# Verdict report", ""]
    articles = data.by_article()
    intro = (f"Generated {generated_at()}: {plural(len(data.records), 'claim')} from "
             f"{plural(len(articles), 'article')}.")
    if data.filters:
        intro += f" Filtered by {escape(filter_words(data))}."
    if any(r["verdict"] for r in data.records):
        intro += " How the matches shown to the reviewers were found: see the notes at the end."
    out += [intro, "", "## Summary", ""]
    counts = status_counts(data.records)
    out += ["| Verdict | Claims |", "|---|---:|"]
    out += [f"| {LABEL_SIGNS[s]} {LABEL_TITLES[s]} | {counts[s]} |" for s in STATUSES]
    out += [f"| **Total** | **{len(data.records)}** |", ""]
    if articles:
        out += ["| # | Article | Source | Published | " + " | ".join(LABEL_TITLES[s] for s in STATUSES) + " |",
                "|---:|---|---|---|" + "---:|" * len(STATUSES)]
        for number, (article, records) in enumerate(articles, 1):
            per = status_counts(records)
            title = article["display_title"]
            out.append(f"| {number} | {cell(title)} | "
                       f"{cell(article['source'])} | {cell(article['published'] or '')} | "
                       + " | ".join(str(per[s]) for s in STATUSES) + " |")
        out.append("")
    out += ["In the article texts a judged claim is **bold** with *\\[claim number: verdict\\]* after it; "
            "a claim not yet judged has only *\\[its number\\]*.", ""]
    out += [f"- **{LABEL_TITLES[s]}:** {escape(STATUS_MEANINGS[s])}" for s in STATUS_MEANINGS] + [""]
    every_card = not any(r["verdict"] for r in data.records)
    notes, markers = settings_notes(data.records)
    unreviewed = []
    for number, (article, records) in enumerate(articles, 1):
        if has_verdicts(records, data):
            out += _article(number, article, records, every_card, markers)
        else:
            unreviewed.append((number, article, records))
    if unreviewed:
        out += ["## Articles with no verdict yet", "", "| # | Article | Source | Published | Claims |",
                "|---:|---|---|---|---:|"]
        out += [f"| {n} | {link(a['display_title'], a['url'])} | {cell(a['source'])} | "
                f"{cell(a['published'] or '')} | {len(r)} |" for n, a, r in unreviewed]
        out.append("")
    out += _notes(notes, len([r for r in data.records if r["verdict"]]))
    return "\n".join(out).rstrip() + "\n"


def _notes(notes, decided: int) -> list[str]:
    """The matching settings once, as numbered notes at the end: a card whose verdict used other settings
    than note 1 names its note. (Not [^N] footnotes: a renderer drops a footnote no card refers to.)"""
    if not notes:
        return []
    out = ["---", "", "How the matches shown to the reviewers were found:", ""]
    for note in notes:
        scope = (f"every verdict in this report ({note.applies_to()})" if len(note.claim_ids) == decided
                 else note.applies_to())
        out.append(f"{note.number}. {escape(note.words)} \u2014 applies to {scope}.")
    return out


def _article(number: int, article: dict, records: list[dict], every_card: bool,
             markers: dict[int, int]) -> list[str]:
    title = article["display_title"]
    out = [f"## {number}. {cell(title)}", ""]
    meta = article_meta(article, escape, link)
    out += [" \u00b7 ".join(meta), "", "### Text", ""]
    out += [_highlighted(article["text"], records), "", "### Claims", ""]
    for record in records:
        if record["verdict"] or every_card:
            out += _claim(record, markers.get(record["claim"]["id"]))
    if not every_card:
        for status in STATUS_MEANINGS:
            waiting = [str(r["claim"]["id"]) for r in records if r["status"] == status]
            if waiting:
                out += [f"{LABEL_TITLES[status]} ({STATUS_MEANINGS[status].split(':')[0]}): "
                        f"claim{'s' if len(waiting) > 1 else ''} {', '.join(waiting)}.", ""]
    return out


def _highlighted(text: str, records: list[dict]) -> str:
    parts = []
    for piece, record in segments(text, records):
        if record is None:
            parts.append(escape(piece))
            continue
        judged = record["verdict"] is not None
        label = f": {record['status']}" if judged else ""
        marker = f" *\\[{record['claim']['id']}{label}\\]*"
        lines = piece.split("\n")
        if judged:
            # Bold each line of the claim on its own: Markdown emphasis cannot cross a line break.
            lines = [f"**{escape(line.strip())}**" if line.strip() else line for line in lines]
        else:
            lines = [escape(line) for line in lines]
        parts.append("\n".join(lines) + marker)
    return "".join(parts).strip()


def _claim(record: dict, note: int | None = None) -> list[str]:
    claim, verdict, status = record["claim"], record["verdict"], record["status"]
    out = [f"#### {LABEL_SIGNS[status]} Claim {claim['id']}: {LABEL_TITLES[status]}", "",
           f"> {cell(claim['text'])}", ""]
    facts = []
    if claim["claimant"]:
        facts.append(f"- **Claimant:** {cell(claim['claimant'])}")
    if claim["rating"]:
        facts.append(f"- **Rating already published:** {cell(claim['rating'])}")
    if verdict:
        # Matches found with other settings than the report's first note: the card points at its note.
        facts.append(f"- **Verdict:** {LABEL_TITLES[status].lower()}, by {cell(verdict['reviewer'])}, "
                     f"{short_time(verdict['decided_at'])}" + (f" (matches found differently: note {note})" if note else ""))
        facts.append(f"- **Reviewer's note:** {cell(verdict['note'])}" if verdict["note"]
                     else "- **Reviewer's note:** none")
    else:
        facts.append(f"- **Verdict:** none yet ({STATUS_MEANINGS[status].split(':')[0]})")
    if record["editor"]:
        facts.append(f"- **Editor:** {cell(editor_words(record['editor']))}"
                     + (f": {cell(record['editor']['note'])}" if record["editor"]["note"] else ""))
    out += facts
    evidence = verdict["evidence"] if verdict else []
    if evidence:
        out += ["- **Evidence:**", ""]
        for item in evidence:
            out += _evidence(item)
    elif verdict:
        out.append("- **Evidence:** none cited")
    for review in other_reviews(record):
        what = LABEL_TITLES[review["label"]].lower() if review["label"] else "cleared (withdrew their verdict)"
        out.append(f"- **Also judged by {cell(review['reviewer'])}**, {short_time(review['decided_at'])}: "
                   f"{LABEL_SIGNS[review['label'] or PENDING]} {what}"
                   + (f". Note: {cell(review['note'])}" if review["note"] else ""))
        if review["evidence"]:
            out.append("")
            for item in review["evidence"]:
                out += _evidence(item)
    out.append("")
    return out


def _evidence(item: dict) -> list[str]:
    source = item.get("source") or item.get("url") or "unknown source"
    if item.get("text"):
        where = [f"{escape(source)}"
                 + (f" ({escape(item['source_kind'])})" if item.get("source_kind") else "")]
        if item.get("article_title"):
            where.append(link(item["article_title"], item.get("url")))
        elif item.get("url"):
            where.append(link(item["url"], item["url"]))
        if item.get("published"):
            where.append(escape(item["published"]))
        return [f"  > \u201c{cell(item['text'])}\u201d", f"  > \u2014 {', '.join(where)}", ""]
    return [f"  - {link(item.get('url') or source, item.get('url'))}"
            + (f" ({escape(item['note'])})" if item.get("note") else ""), ""]
