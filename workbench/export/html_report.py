"""A self-contained HTML report for editors: inline CSS, no scripts, no external assets, prints well.

Every quoted string goes through html.escape, and a Content-Security-Policy that allows no script
sits on top: an article that contains `<script>` shows it as text and nothing runs. Links are only
made for http(s) urls, so a `javascript:` url stays inert text.
"""

from __future__ import annotations

from html import escape

from ..safe_text import is_web_url
from ..words import plural
from .common import (
    LABEL_SIGNS, LABEL_TITLES, STATUS_MEANINGS, article_meta, css_class, editor_words, filter_words,
    generated_at, settings_notes, short_time,
)
from ..vocab import PENDING
from .records import STATUSES, ExportData, has_verdicts, other_reviews, segments, status_counts

CSS = """
:root { --ink: #1b1b1b; --muted: #5a5a5a; --rule: #d0d0d0;
  --corroborated: #1e6b34; --corroborated-bg: #dcf2e1; --disputed: #a31515; --disputed-bg: #fbdcdc;
  --unverified: #8a5a00; --unverified-bg: #fff0c7; --pending: #666; --pending-bg: #eeeeee;
  --not-for-review: #777; --not-for-review-bg: #f7f7f7; }
* { box-sizing: border-box; }
body { font: 16px/1.55 Georgia, "Times New Roman", serif; color: var(--ink); max-width: 52rem;
  margin: 2rem auto; padding: 0 1.25rem; }
h1, h2, h3, h4, table, .meta, .badge, .facts, .legend, footer { font-family: "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.8rem; margin-bottom: .2rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 .3rem; border-top: 3px solid var(--ink); padding-top: .6rem; }
h3 { font-size: 1rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 1.4rem 0 .5rem; }
h4 { font-size: 1rem; margin: 0 0 .4rem; }
.meta { color: var(--muted); font-size: .9rem; margin: 0 0 .8rem; overflow-wrap: anywhere; }
a { color: #0b4f8a; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .6rem 0 1rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { border-bottom: 2px solid var(--ink); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; border-top: 2px solid var(--ink); }
.text { white-space: pre-wrap; overflow-wrap: break-word; margin: 0 0 1rem; }
mark { color: inherit; padding: 0 .1em; border-bottom: 2px solid; -webkit-box-decoration-break: clone;
  box-decoration-break: clone; }
mark sup { font: bold .7rem "Helvetica Neue", Arial, sans-serif; margin-left: .15em; }
mark sup a { color: inherit; text-decoration: none; }
mark.v-corroborated { background: var(--corroborated-bg); border-bottom-style: solid; border-color: var(--corroborated); }
mark.v-disputed { background: var(--disputed-bg); border-bottom-style: double; border-bottom-width: 3px; border-color: var(--disputed); }
mark.v-unverified { background: var(--unverified-bg); border-bottom-style: dashed; border-color: var(--unverified); }
mark.v-pending { background: transparent; border-bottom: 1px dotted #b0b0b0; }
mark.v-pending sup { color: var(--pending); font-weight: normal; }
mark.v-evidence, mark.v-not-for-review { background: transparent; border-bottom: none; }
mark.v-evidence sup, mark.v-not-for-review sup { color: var(--not-for-review); font-weight: normal; }
.badge { display: inline-block; font-size: .8rem; font-weight: bold; padding: .05rem .45rem; border-radius: .2rem;
  border: 1px solid; white-space: nowrap; }
.badge.v-corroborated { color: var(--corroborated); background: var(--corroborated-bg); }
.badge.v-disputed { color: var(--disputed); background: var(--disputed-bg); }
.badge.v-unverified { color: var(--unverified); background: var(--unverified-bg); }
.badge.v-pending { color: var(--pending); background: var(--pending-bg); }
.badge.v-evidence, .badge.v-not-for-review { color: var(--not-for-review); background: var(--not-for-review-bg); font-weight: normal; }
.claim { border-left: 4px solid var(--rule); padding: .5rem 0 .5rem 1rem; margin: 0 0 1.2rem; }
.claim.v-corroborated { border-left-color: var(--corroborated); }
.claim.v-disputed { border-left-color: var(--disputed); }
.claim.v-unverified { border-left-color: var(--unverified); }
.claim > blockquote { margin: 0 0 .5rem; font-size: 1.05rem; font-style: italic; }
td.date { white-space: nowrap; }
th.count { font-weight: normal; width: 2.2rem; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.facts { display: grid; grid-template-columns: 9.5rem 1fr; gap: .15rem .8rem; font-size: .9rem; margin: 0 0 .5rem; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.evidence blockquote { margin: .4rem 0 .6rem; padding: .3rem .8rem; background: #f6f6f6; border-left: 3px solid var(--rule); }
.evidence blockquote p { margin: 0; }
.evidence footer { font-size: .85rem; color: var(--muted); margin-top: .2rem; overflow-wrap: anywhere; }
.editor { font-size: .8rem; font-weight: normal; margin-left: .5rem; white-space: nowrap; }
.editor.signed { color: var(--corroborated); }
.editor.returned { color: var(--disputed); font-weight: bold; }
.other-review { margin: .6rem 0 0; padding-top: .4rem; border-top: 1px dashed var(--rule); }
.also, .also-note { font: .9rem "Helvetica Neue", Arial, sans-serif; margin: 0 0 .3rem; }
.legend { font-size: .85rem; color: var(--muted); }
.legend mark { margin-right: .6rem; }
.legend dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .6rem; margin: .4rem 0 0; }
.legend dd { margin: 0; }
.note a { color: var(--muted); font-size: .8rem; }
.notes { font: .9rem "Helvetica Neue", Arial, sans-serif; color: var(--muted); border-top: 1px solid var(--rule);
  margin-top: 2.5rem; padding-top: .6rem; }
.notes ol { padding-left: 1.4rem; }
@page { margin: 16mm 14mm; }
@media print {
  body { font-size: 10.5pt; max-width: none; margin: 0; padding: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .report-article { break-before: page; }
  h2, h3, h4 { break-after: avoid; }
  .claim, .evidence blockquote, tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  .evidence footer a[href^="http"]::after, .unreviewed a[href^="http"]::after { content: " <" attr(href) ">"; font-size: .8em; }
}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def link(text: str, url: str | None) -> str:
    """A link only for http(s) urls; anything else (javascript:, data:) is shown as text."""
    if url and is_web_url(url):
        return f'<a href="{e(url)}">{e(text)}</a>'
    return e(text)


def badge(status: str) -> str:
    return f'<span class="badge {css_class(status)}">{LABEL_SIGNS[status]} {LABEL_TITLES[status]}</span>'


def render(data: ExportData) -> str:
    articles = data.by_article()
    intro = (f"Generated {generated_at()}: {plural(len(data.records), 'claim')} from "
             f"{plural(len(articles), 'article')}.")
    if data.filters:
        intro += f" Filtered by {filter_words(data)}."
    if any(r["verdict"] for r in data.records):
        intro += " How the matches shown to the reviewers were found: see the note at the end."
    out = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Verdict report</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        "<header>", "<h1>Verdict report</h1>", f'<p class="meta">{e(intro)}</p>', "</header>",
    ]
    out += _summary(data, articles)
    notes, markers = settings_notes(data.records)
    for number, (article, records) in enumerate(articles, 1):
        if has_verdicts(records, data):
            out += _article(number, article, records, markers,
                            every_card=not any(r["verdict"] for r in data.records))
    unreviewed = [(n, a, r) for n, (a, r) in enumerate(articles, 1) if not has_verdicts(r, data)]
    if unreviewed:
        out += _unreviewed(unreviewed)
    out += _notes(notes, len([r for r in data.records if r["verdict"]]))
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _unreviewed(rows) -> list[str]:
    out = ['<section class="report-article unreviewed" id="unreviewed">',
           "<h2>Articles with no verdict yet</h2>",
           '<p class="meta">Their claims are listed in the summary; none has been judged.</p>',
           "<table>", '<thead><tr><th class="n">#</th><th>Article</th><th>Source</th><th>Published</th>'
           '<th class="n">Claims</th></tr></thead>', "<tbody>"]
    for number, article, records in rows:
        out.append(f'<tr id="article-{article["id"]}"><td class="n">{number}</td>'
                   f"<td>{link(article['display_title'], article['url'])}</td><td>{e(article['source'])}</td>"
                   f'<td class="date">{e(article["published"] or "")}</td><td class="n">{len(records)}</td></tr>')
    out += ["</tbody></table>", "</section>"]
    return out


def _summary(data: ExportData, articles) -> list[str]:
    counts = status_counts(data.records)
    out = ['<section class="summary">', "<h2>Summary</h2>", "<table>",
           '<thead><tr><th>Verdict</th><th class="n">Claims</th></tr></thead>', "<tbody>"]
    out += [f'<tr><td>{badge(s)}</td><td class="n">{counts[s]}</td></tr>' for s in STATUSES]
    out += [f'<tr class="total"><td>Total</td><td class="n">{len(data.records)}</td></tr>', "</tbody></table>"]
    out.append('<div class="legend">In the article texts: '
               + "".join(f'<mark class="{css_class(s)}">{LABEL_SIGNS[s]} {LABEL_TITLES[s].lower()}</mark>'
                         for s in STATUSES)
               + " \u2014 the number after each claim leads to its verdict.<dl>"
               + "".join(f"<dt>{LABEL_TITLES[s]}</dt><dd>{e(STATUS_MEANINGS[s])}</dd>" for s in STATUS_MEANINGS)
               + "</dl></div>")
    if articles:
        out += ["<table>", "<thead><tr><th>#</th><th>Article</th><th>Source</th><th>Published</th>"
                # The signs of the summary's badges just above, the words on hover and for screen
                # readers: six worded headers took 31 of the page's 52rem from the titles.
                + "".join(f'<th class="n count" title="{LABEL_TITLES[s]}">{LABEL_SIGNS[s]}'
                          f'<span class="sr"> {LABEL_TITLES[s]}</span></th>' for s in STATUSES)
                + "</tr></thead>", "<tbody>"]
        for number, (article, records) in enumerate(articles, 1):
            per = status_counts(records)
            title = article["display_title"]
            out.append(
                f'<tr><td class="n">{number}</td><td><a href="#article-{article["id"]}">{e(title)}</a></td>'
                f"<td>{e(article['source'])}</td><td class=\"date\">{e(article['published'] or '')}</td>"
                + "".join(f'<td class="n">{per[s] or ""}</td>' for s in STATUSES) + "</tr>")
        out += ["</tbody></table>"]
    out.append("</section>")
    return out


def _notes(notes, decided: int) -> list[str]:
    """The matching settings, once for the report: note 1 holds most verdicts; a card whose verdict was
    made with other settings carries the number of its note."""
    if not notes:
        return []
    out = ['<section class="notes" id="notes">', "<p>How the matches shown to the reviewers were found:</p>", "<ol>"]
    for note in notes:
        scope = (f"every verdict in this report ({note.applies_to()})" if len(note.claim_ids) == decided
                 else note.applies_to())
        out.append(f'<li id="note-{note.number}">{e(note.words)} \u2014 applies to {e(scope)}.</li>')
    out += ["</ol>", "</section>"]
    return out


def _article(number: int, article: dict, records: list[dict], markers: dict[int, int],
             every_card: bool = False) -> list[str]:
    title = article["display_title"]
    meta = article_meta(article, e, link)
    out = [f'<section class="report-article" id="article-{article["id"]}">',
           f"<h2>{number}. {e(title)}</h2>", '<p class="meta">' + " \u00b7 ".join(meta) + "</p>",
           "<h3>Article text</h3>", f'<div class="text">{_highlighted(article["text"], records)}</div>',
           "<h3>Claims and verdicts</h3>"]
    for record in records:
        if record["verdict"] or every_card:
            out += _claim(record, markers.get(record["claim"]["id"]))
    if not every_card:
        for status in STATUS_MEANINGS:
            waiting = [r["claim"]["id"] for r in records if r["status"] == status]
            if waiting:
                out.append(f'<p class="meta">{LABEL_TITLES[status]} ({e(STATUS_MEANINGS[status].split(":")[0])}): '
                           f'claim{"s" if len(waiting) > 1 else ""} {", ".join(str(i) for i in waiting)}.</p>')
    out.append("</section>")
    return out


def _highlighted(text: str, records: list[dict]) -> str:
    # Cut the text as stored (the spans count from its first character) and only then trim the blank
    # lines at its ends, from the plain pieces: stripping first would shift every span.
    pieces = segments(text, records)
    parts = []
    for index, (piece, record) in enumerate(pieces):
        if record is None:
            if index == 0:
                piece = piece.lstrip("\n")
            if index == len(pieces) - 1:
                piece = piece.rstrip("\n")
            parts.append(e(piece))
            continue
        claim_id, status = record["claim"]["id"], record["status"]
        parts.append(f'<mark class="{css_class(status)}" title="claim {claim_id}: {status}">{e(piece)}'
                     f'<sup><a href="#claim-{claim_id}">{claim_id}\u00a0{LABEL_SIGNS[status]}</a></sup></mark>')
    return "".join(parts)


def _claim(record: dict, note: int | None = None) -> list[str]:
    claim, verdict, status = record["claim"], record["verdict"], record["status"]
    out = [f'<div class="claim {css_class(status)}" id="claim-{claim["id"]}">',
           f"<h4>{badge(status)} Claim {claim['id']}{_editor_badge(record['editor'])}</h4>",
           f"<blockquote>\u201c{e(claim['text'])}\u201d</blockquote>", '<dl class="facts">']
    facts: list[tuple[str, str]] = []
    if claim["claimant"]:
        facts.append(("Claimant", e(claim["claimant"])))
    if claim["rating"]:
        facts.append(("Rating published", e(claim["rating"])))
    if verdict:
        # Matches found with other settings than the report's first note: the card says which note.
        marker = (f' <span class="note"><a href="#note-{note}">matches found differently: note {note}</a></span>'
                  if note else "")
        facts.append(("Decided by", f"{e(verdict['reviewer'])}, {e(short_time(verdict['decided_at']))}{marker}"))
        facts.append(("Reviewer's note", e(verdict["note"]) if verdict["note"] else "<em>none</em>"))
    else:
        facts.append(("Decided by", f"<em>nobody yet ({e(STATUS_MEANINGS[status].split(':')[0])})</em>"))
    if record["editor"]:
        words = e(editor_words(record["editor"]))
        if record["editor"]["note"]:
            words += f": {e(record['editor']['note'])}"
        facts.append(("Editor", words))
    out += [f"<dt>{label}</dt><dd>{value}</dd>" for label, value in facts]
    out.append("</dl>")
    evidence = verdict["evidence"] if verdict else []
    if evidence:
        out.append(f'<div class="evidence"><p class="also">Evidence cited ({len(evidence)}):</p>')
        out += [_evidence(item) for item in evidence]
        out.append("</div>")
    elif verdict:
        out.append('<p class="meta">No evidence cited.</p>')
    for review in other_reviews(record):
        out += _other_review(review)
    out.append("</div>")
    return out


def _editor_badge(editor: dict | None) -> str:
    """Signed off / returned, beside the claim's heading; nothing once the verdict has changed since."""
    if not editor or not editor.get("current"):
        return ""
    if editor["decision"] == "approve":
        return ' <span class="editor signed">\u2714 signed off by the editor</span>'
    return ' <span class="editor returned">\u21a9 returned by the editor</span>'


def _other_review(review: dict) -> list[str]:
    status = review["label"] or PENDING
    what = badge(status) if review["label"] else "cleared it (withdrew their verdict)"
    out = ['<div class="other-review">',
           f'<p class="also">Also judged by {e(review["reviewer"])}, {e(short_time(review["decided_at"]))}: '
           f"{what}</p>"]
    if review["note"]:
        out.append(f'<p class="also-note">Note: {e(review["note"])}</p>')
    if review["evidence"]:
        out.append('<div class="evidence">')
        out += [_evidence(item) for item in review["evidence"]]
        out.append("</div>")
    out.append("</div>")
    return out


def _evidence(item: dict) -> str:
    source = item.get("source") or item.get("url") or "unknown source"
    where = [e(source) + (f" ({e(item['source_kind'])})" if item.get("source_kind") else "")]
    if item.get("article_title"):
        where.append(link(item["article_title"], item.get("url")))
    elif item.get("url") and item.get("text"):
        where.append(link(item["url"], item["url"]))
    if item.get("published"):
        where.append(e(item["published"]))
    if item.get("text"):
        body = f"<p>\u201c{e(item['text'])}\u201d</p>"
    else:
        body = f"<p>{link(item.get('url') or source, item.get('url'))}</p>"
        where = [e(item["note"])] if item.get("note") else ["external source cited by the reviewer"]
    return f"<blockquote>{body}<footer>\u2014 {', '.join(where)}</footer></blockquote>"
