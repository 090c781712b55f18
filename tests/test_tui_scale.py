"""The desk on a database of many articles: the article list is built a page at a time, counts agree
with the rows, the record's start-up checks run after the first paint (issue 13 #4, issue 12 leftovers)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import desk_corpus
from tui_helpers import open_queue, settle, verdict_rows
from workbench.db import open_database, timestamp, write
from workbench.vocab import EVIDENCE
from workbench.tui.app import make_app
from workbench.tui.widgets.article_list import ArticleList

ARTICLES = 150
CLAIMS = 3  # per article


def many_articles(path: Path) -> Path:
    """ARTICLES articles of CLAIMS claims each from one source, one a day, written as the corpus
    builder writes them; article i (1-based) is published i days into 2025 and listed newest first."""
    db = open_database(path)
    with write(db):
        db.execute("INSERT INTO sources (id, name, kind) VALUES (1, 'Daily Ledger', 'outlet')")
        for number in range(1, ARTICLES + 1):
            sentences = [f"Council report {number} counted {number + k} new buses on route {k}." for k in range(CLAIMS)]
            body = " ".join(sentences)
            article_id = db.execute(
                """INSERT INTO articles (source_id, title, published, text, content_hash, ingested_at)
                   VALUES (1, ?, date('2025-01-01', ?), ?, ?, ?)""",
                [f"Buses {number}", f"+{number} days", body, hashlib.sha256(body.encode()).hexdigest(),
                 timestamp()]).lastrowid
            start = 0
            for position, sentence in enumerate(sentences):
                db.execute("""INSERT INTO claims (article_id, source_id, position, span_start, span_end, text,
                              worthiness) VALUES (?, 1, ?, ?, ?, ?, 0.5)""",
                           [article_id, position, start, start + len(sentence), sentence])
                start += len(sentence) + 1
    db.close()
    return path


def article_options(app) -> list[str | None]:
    return [option.id for option in app.screen.query_one(ArticleList).options]


async def test_the_article_list_holds_a_page_and_turns_it(tmp_path):
    path = many_articles(tmp_path / "many.db")
    app = make_app(path, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.screen.article.id == ARTICLES  # the newest, its first claim pending
        options = article_options(app)
        span = ArticleList.SPAN
        # the open article and SPAN after it, then one line for the rest: never all 150
        assert options[0] == f"article-{ARTICLES}" and options[-1] == "page-after"
        assert len(options) == 2 * span + 2 and options.count("page-after") == 1
        assert str(app.screen.query_one(ArticleList).options[-1].prompt).startswith(
            f"── ↓ {ARTICLES - 2 * span - 1} more")
        # j past the last claim of an article opens the next one; the page stays while the open
        # article is inside it, and follows it near its end
        await pilot.press(*["j"] * CLAIMS)
        await settle(pilot, app)
        assert app.screen.article.id == ARTICLES - 1 and article_options(app) == options
        far = 2 * span - ArticleList.MARGIN + 1
        await pilot.press(*["right_square_bracket"] * (far - 1))
        await settle(pilot, app)
        assert app.screen.article.id == ARTICLES - far
        options = article_options(app)
        assert options[0] == "page-before" and f"article-{ARTICLES - far}" in options
        assert len(options) <= 2 * span + 4  # a page, its two ends, the divider at most
        highlighted = app.screen.query_one(ArticleList).highlighted_option
        assert highlighted is not None and highlighted.id == f"article-{ARTICLES - far}"
        # arrowing onto "↓ N more" in the list shows the next page, the article after it highlighted
        await pilot.press("a", "end")
        await settle(pilot, app)
        highlighted = app.screen.query_one(ArticleList).highlighted_option
        assert highlighted is not None and highlighted.id is not None and highlighted.id.startswith("article-")
        await pilot.press("enter")
        await settle(pilot, app)
        assert f"article-{app.screen.article.id}" == highlighted.id


async def test_a_verdict_updates_its_article_row_and_the_header(tmp_path):
    path = many_articles(tmp_path / "many.db")
    app = make_app(path, reviewer="alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        before = app.screen.query_one("#counts").counts["pending"]
        await pilot.press("c", "d")
        await settle(pilot, app)
        assert [(r["claim_id"], r["label"]) for r in verdict_rows(path)] == [
            (ARTICLES * CLAIMS - 2, "corroborated"), (ARTICLES * CLAIMS - 1, "disputed")]
        counts = app.screen.query_one("#counts").counts
        assert counts["pending"] == before - 2 and counts["corroborated"] == counts["disputed"] == 1
        row = app.screen.query_one(ArticleList).get_option(f"article-{ARTICLES}")
        assert "2/3" in str(row.prompt)


async def test_the_header_counts_claims_an_editor_returned_as_pending(tmp_path):
    path = desk_corpus.build(tmp_path / "desk.db")
    db = open_database(path)
    from workbench.verdicts import record_verdict

    verdict = record_verdict(db, 1, "disputed", "alice")
    with write(db):
        db["editor_decisions"].insert({
            "claim_id": 1, "verdict_id": verdict.id, "decision": "return", "note": "which source?",
            "editor": "ed", "decided_at": "2025-04-05T00:00:00+00:00", "row_hash": "a"})
    db.close()
    app = make_app(path, reviewer="alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        header = app.screen.query_one("#counts").counts
        await pilot.press("w")
        await settle(pilot, app)
        queue = app.screen
        assert 1 in [row.id for row in queue.rows]  # the editor asked again: work
        # five never judged, one returned (the header said 5 before: it left the returned claim out)
        assert header["pending"] == queue.total == len(queue.rows) == 6
        assert header["disputed"] == 1  # and it still holds its verdict


async def test_an_imported_claim_reads_evidence_on_the_review_screen(tmp_path):
    path = desk_corpus.build(tmp_path / "desk.db")
    app = make_app(path, reviewer="alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("right_square_bracket", "right_square_bracket")  # the imported fact-check
        await settle(pilot, app)
        assert app.screen.claim.id == 8
        summary = str(app.screen.query_one("#claim-summary").render())
        assert summary.startswith("Claim 1/1 evidence") and "pending" not in summary


async def test_a_damaged_file_is_named_after_the_first_paint_and_nothing_is_written(tmp_path):
    """The start-up checks run in a worker; one that finds damage leaves the first write's own
    quick_check in place, so a verdict key still appends nothing."""
    path = desk_corpus.build(tmp_path / "desk.db")
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'embeddings'").fetchone()[0]
    conn.close()
    with path.open("r+b") as handle:  # damage in a page the first paint never reads
        handle.seek((page - 1) * 4096)
        handle.write(os.urandom(4096))
    app = make_app(path, reviewer="alice")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot, app)
        assert any("is damaged" in n.message and n.severity == "error" for n in app._notifications)
        assert not app.db.checked
        await pilot.press("c")
        await settle(pilot, app)
    conn = sqlite3.connect(str(path))
    assert conn.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0] == 0
    conn.close()


async def test_a_sound_file_is_checked_in_the_background_and_then_written(tmp_path):
    path = desk_corpus.build(tmp_path / "desk.db")
    app = make_app(path, reviewer="alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert app.db.checked  # by the worker: the first verdict need not read the whole file
        await pilot.press("c")
        await settle(pilot, app)
    assert [r["claim_id"] for r in verdict_rows(path)] == [1]


def test_evidence_is_the_queue_word_too():
    assert EVIDENCE == "evidence"


async def test_the_queue_reads_a_page_at_a_time_and_counts_them_all(tmp_path):
    from workbench.tui.screens.queue import PAGE

    path = many_articles(tmp_path / "many.db")
    app = make_app(path, reviewer="alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        queue = await open_queue(pilot, app)
        table = queue.query_one("ClaimTable")
        assert queue.total == ARTICLES * CLAIMS and len(queue.rows) == table.row_count == PAGE
        assert str(queue.query_one("#queue-filters").render()).startswith(f" {ARTICLES * CLAIMS} claims")
        await pilot.press("ctrl+end")  # the last row read: the next page is read
        await settle(pilot, app)
        assert len(queue.rows) == table.row_count == 2 * PAGE
        ids = [row.id for row in queue.rows]
        assert len(set(ids)) == len(ids)  # no claim twice
        for _ in range(-(-ARTICLES * CLAIMS // PAGE) - 2):  # a page more at each end reached, to the last
            await pilot.press("ctrl+end")
            await settle(pilot, app)
        assert len(queue.rows) == ARTICLES * CLAIMS
