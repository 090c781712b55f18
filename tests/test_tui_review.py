"""The review desk driven by real keys; every assertion is on claims.db afterwards."""

import json

import pytest

import desk_corpus
from tui_helpers import settle, verdict_rows
from workbench.tui.app import make_app

# Articles are listed newest first, imported fact-check claims after them: Kyiv Daily (claims 1-4),
# Wire Service (5-7), then VerifyDesk's imported claim 8. The desk opens on claim 1, the first pending one.


@pytest.fixture
def corpus(tmp_path):
    return desk_corpus.build(tmp_path / "desk.db")


async def test_mark_change_and_undo_write_to_claims_db(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")  # claim 1 disputed, and on to claim 2
        rows = verdict_rows(corpus)
        assert [(r["claim_id"], r["label"], r["reviewer"]) for r in rows] == [(1, "disputed", "alice")]
        assert rows[0]["decided_at"]
        assert json.loads(rows[0]["settings"])["model"] == "test-hashing"
        assert app.screen.claim.id == 2
        await pilot.press("k", "c")  # change of mind on claim 1: a new row, the old one stays
        await pilot.press("u")  # claim 2 unverified
        assert app.screen.claim.id == 3
        await pilot.press("z")  # undo claim 2: back on it
        await settle(pilot, app)
        rows = verdict_rows(corpus)
        assert [(r["claim_id"], r["label"], r["action"]) for r in rows] == [
            (1, "disputed", "mark"), (1, "corroborated", "mark"), (2, "unverified", "mark"), (2, None, "undo")]
        assert app.screen.claim.id == 2 and app.screen.claim.status == "pending"
        counts = app.screen.query_one("CountsBar").counts
        # 8 claims, 1 judged, the imported claim 8 and the 0.02 line 4 not review work (issue 12): 5
        assert counts["corroborated"] == 1 and counts["pending"] == 5


async def test_clear_puts_the_claim_back_to_pending(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u", "k", "x")
        await settle(pilot, app)
        rows = verdict_rows(corpus)
        assert [(r["label"], r["action"]) for r in rows] == [("unverified", "mark"), (None, "clear")]


async def test_note_is_saved_with_the_verdict(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot, app)
        await pilot.press(*"Only one source", "ctrl+s")
        await settle(pilot, app)
        assert verdict_rows(corpus) == []  # a note alone is not a verdict
        await pilot.press("d", "k")
        await pilot.press("n", "end", *" [bold]", "ctrl+s")  # a draft: nothing recorded yet
        await settle(pilot, app)
        assert len(verdict_rows(corpus)) == 1
        summary = str(app.screen.query_one("#claim-summary").render())
        assert "note/evidence changed — press c/d/u to record" in summary and "[bold]" in summary
        await pilot.press("d")  # recorded with the verdict
        await settle(pilot, app)
        rows = verdict_rows(corpus)
        assert [(r["label"], r["note"]) for r in rows] == [
            ("disputed", "Only one source"), ("disputed", "Only one source [bold]")]


async def test_chosen_evidence_is_frozen_into_the_verdict(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "d")  # claim 1: the fact-check (match 2) as evidence
        await pilot.press("k", "1")  # back to it, add the wire story: a draft until d
        await settle(pilot, app)
        assert len(verdict_rows(corpus)) == 1
        await pilot.press("d")
        await settle(pilot, app)
        rows = verdict_rows(corpus)
        assert [json.loads(r["evidence"])[0]["source"] for r in rows[:1]] == ["VerifyDesk"]
        last = json.loads(rows[-1]["evidence"])
        assert {e["claim_id"] for e in last} == {5, 8}
        assert {e["url"] for e in last} == {"https://wire.example/power", "https://verify.example/kherson"}
        assert rows[-1]["label"] == "disputed"
        # focus the matches, space drops the highlighted one again; d records it
        await pilot.press("k", "e", "space", "d")
        await settle(pilot, app)
        assert {e["claim_id"] for e in json.loads(verdict_rows(corpus)[-1]["evidence"])} == {8}


async def test_two_reviewers_on_one_claim_both_kept(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
    app = make_app(corpus, reviewer="bob")
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.claim.id == 2  # alice's verdict counts: bob starts on the first pending claim
        await pilot.press("k", "c", "k")
        await settle(pilot, app)
        summary = str(app.screen.query_one("#claim-summary").render())
        assert "alice" in summary and "bob" in summary
        await pilot.press("z")  # bob's undo never touches alice's verdict
        await settle(pilot, app)
    rows = verdict_rows(corpus)
    # bob's undo takes back only bob's own mark: his state is empty again, alice's verdict is current
    assert [(r["reviewer"], r["label"], r["action"]) for r in rows] == [
        ("alice", "disputed", "mark"), ("bob", "corroborated", "mark"), ("bob", None, "undo")]
    from workbench.db import open_database
    from workbench.verdicts import current_verdicts

    current = current_verdicts(open_database(corpus))[1]
    assert (current.reviewer, current.label) == ("alice", "disputed")


async def test_next_pending_jump_and_back(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "c")  # claims 1, 2 done, each key moves on
        assert app.screen.claim.id == 3
        await pilot.press("k", "k", "p")  # back on claim 1; the next pending one is claim 3
        await settle(pilot, app)
        assert app.screen.claim.id == 3
        await pilot.press("k", "k", "g")  # claim 1: go to its best match, in its own article
        await settle(pilot, app)
        assert (app.screen.article.id, app.screen.claim.id) == (2, 5)
        await pilot.press("b")
        await settle(pilot, app)
        assert app.screen.claim.id == 1


async def test_article_text_is_literal_and_every_claim_highlighted(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "j")  # the claim with [bold] and [/] in it
        await settle(pilot, app)
        view = app.screen.query_one("ArticleView")
        shown = "".join(str(p.render()) for p in view.query(".paragraph"))
        assert "[bold]this[/bold] and [/]" in shown
        styled = [p.render() for p in view.query(".paragraph")]
        assert sum(len(t.spans) for t in styled) == 4  # one highlight per claim


async def test_queue_filter_and_search_then_open(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await pilot.press("w")  # the pending queue
        await settle(pilot, app)
        queue = app.screen
        # 7 claims unjudged; the imported claim 8 and the 0.02 markup line 4 are not review work (issue 12)
        assert queue.id == "queue" and 1 not in [c.id for c in queue.rows] and len(queue.rows) == 5
        # Filters and the order are chosen from lists (v, s, o open them; enter chooses): no blind cycling.
        await pilot.press("o", "down", "enter")  # conflicts first
        assert queue.rows[0].id == 2
        await pilot.press("v", "down", "enter")  # all pending: evidence and low worth too
        assert {c.id for c in queue.rows} == {2, 3, 4, 5, 6, 7, 8}
        await pilot.press("v", "down", "enter")  # all verdicts (each list opens on the line in force)
        assert len(queue.rows) == 8
        await pilot.press("v", "down", "down", "enter")  # disputed
        assert [c.id for c in queue.rows] == [1]
        await pilot.press("v", "home", "enter", "s", "down", "enter")  # pending, first source (Kyiv Daily)
        assert {c.source for c in queue.rows} == {"Kyiv Daily"} and len(queue.rows) == 2
        await pilot.press("s", "home", "enter", "/", *"districts", "enter")  # all sources again, search
        await settle(pilot, app)
        assert [c.id for c in queue.rows] == [2, 6] or {c.id for c in queue.rows} == {2, 6}
        await pilot.press("down", "up")  # a claim chosen after a search: the verdict keys act on it
        await pilot.press("u")  # mark from the queue
        await pilot.press("enter")  # open the highlighted claim
        await settle(pilot, app)
        assert app.screen.id == "review" and app.screen.claim.id in (2, 6)
    assert [r["label"] for r in verdict_rows(corpus)] == ["disputed", "unverified"]


async def test_the_queue_opened_again_starts_afresh(corpus):
    """The desk keeps one queue screen (building it is most of w): w, f and / open it as if new,
    whatever filters, search and row were chosen the time before."""
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await settle(pilot, app)
        queue = app.screen
        pending = [c.id for c in queue.rows]
        await pilot.press("v", "down", "down", "enter", "o", "down", "enter", "/", *"districts", "enter", "down")
        await settle(pilot, app)
        assert queue.verdict is None and queue.conflict_first and queue.query_text == "districts"
        await pilot.press("escape")  # back to the article
        await settle(pilot, app)
        assert app.screen.id == "review"
        await pilot.press("w")
        await settle(pilot, app)
        table = queue.query_one("ClaimTable")
        assert app.screen is queue and [c.id for c in queue.rows] == pending
        assert (queue.verdict, queue.conflict_first, queue.query_text, queue.armed) == ("pending", False, "", True)
        assert queue.query_one("#queue-verdict").value == "pending" and queue.query_one("#queue-order").value == "worth"
        assert table.cursor_row == 0 and table.has_focus and not queue.query_one("#queue-query").display
        assert str(queue.query_one("#queue-filters").render()).startswith(f" {len(pending)} claims")
        await pilot.press("escape", "slash")  # the search: every claim, the box shown, empty and focused
        await settle(pilot, app)
        search = queue.query_one("#queue-query")
        assert app.screen is queue and queue.verdict is None and queue.query_one("#queue-verdict").value == "all"
        assert search.display and search.has_focus and search.value == "" and not queue.armed
        await pilot.press(*"districts", "enter")
        await settle(pilot, app)
        assert {c.id for c in queue.rows} == {2, 6}


async def test_help_and_every_action_in_the_command_palette(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for expected in ("claims: mark the claim disputed", "claims: undo your last verdict",
                         "claims: write a note", "claims: full-text search over claims",
                         "claims: export verdicts for editors", "claims: add an article: a file path or pasted text"):
            assert expected in titles
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "claims: mark the claim disputed")
        await command.callback()
        await settle(pilot, app)
    assert [(r["claim_id"], r["label"]) for r in verdict_rows(corpus)] == [(1, "disputed")]


async def test_editor_decisions_are_shown(corpus):
    from workbench.db import open_database
    from workbench.verdicts import record_verdict

    db = open_database(corpus)
    verdict = record_verdict(db, 8, "disputed", "alice")
    db["editor_decisions"].insert({"claim_id": 8, "verdict_id": verdict.id, "decision": "return",
                                   "note": "Name the source", "editor": "ed",
                                   "decided_at": "2025-04-05T00:00:00+00:00", "row_hash": "x"})
    db.close()
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right_square_bracket", "right_square_bracket")  # to the imported claims
        await settle(pilot, app)
        assert app.screen.claim.id == 8
        summary = str(app.screen.query_one("#claim-summary").render())
        assert "returned by the editor" in summary and "Name the source" in summary
        await pilot.press("w")
        await settle(pilot, app)
        assert 8 in [c.id for c in app.screen.rows]


async def test_export_dialog_writes_the_file(corpus, tmp_path):
    import csv

    out = tmp_path / "out" / "verdicts.csv"
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", *"see VerifyDesk", "ctrl+s", "d")
        await pilot.press("E")
        await settle(pilot, app)
        app.screen.query_one("#export-format").value = "csv"
        await pilot.pause()
        assert app.screen.query_one("#export-path").value == "exports/verdicts.csv"
        app.screen.query_one("#export-path").value = str(out)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen.id == "review"
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    disputed = [r for r in rows if r.get("verdict") == "disputed"]
    assert len(disputed) == 1 and "see VerifyDesk" in disputed[0]["note"]


async def test_verdict_keys_alone_walk_an_article_then_the_next_pending_one(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert (app.screen.article.id, app.screen.claim.id) == (1, 1)
        await pilot.press("c", "d", "u", "c")  # the four claims of the Kyiv Daily story
        await settle(pilot, app)
        assert (app.screen.article.id, app.screen.claim.id) == (2, 5)
    assert [(r["claim_id"], r["label"]) for r in verdict_rows(corpus)] == [
        (1, "corroborated"), (2, "disputed"), (3, "unverified"), (4, "corroborated")]


async def test_opens_on_the_first_pending_claim_of_the_first_article_with_one(corpus):
    from workbench.db import open_database
    from workbench.verdicts import record_verdict

    db = open_database(corpus)
    for claim_id in (1, 2, 3, 4, 5):
        record_verdict(db, claim_id, "corroborated", "alice")
    db.close()
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert (app.screen.article.id, app.screen.claim.id) == (2, 6)


async def test_imported_claims_come_after_the_articles_under_a_divider(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        options = app.screen.query_one("#articles").options
        assert [o.id for o in options] == ["article-1", "article-2", None, "article-3"]
        assert "Imported claims (1)" in str(options[2].prompt) and options[2].disabled
        assert str(options[3].prompt).count("\n") == 0  # one calm line per imported claim
        await pilot.press("right_square_bracket", "right_square_bracket", "left_square_bracket")
        assert app.screen.article.id == 2  # the divider is never an article


async def test_matches_are_compact_at_80x24(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        panel = app.screen.query_one("#evidence")
        lines = [str(o.prompt).splitlines() for o in app.screen.query_one("#matches").options]
        assert len(lines) == 2
        assert lines[0][0].startswith("1 [ ] 0.91 Wire Service (wire) 2025-04-02")
        assert lines[0][1].startswith("A drone struck an energy facility")  # no neighbours at 80x24
        assert any(line.strip().startswith("⚠ fact-check rated it False") for line in lines[1])
        assert all(len(line) <= panel.size.width for match in lines for line in match[:1] + match[2:])


async def test_no_matches_says_whether_matching_ran(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("j", "j", "j")  # claim 4: never matched
        await settle(pilot, app)
        assert app.screen.claim.id == 4
        message = str(app.screen.query_one("#matches").get_option_at_index(0).prompt)
        assert message.startswith("Not matched yet")
        app.min_score = 0.95
        await pilot.press("k")  # claim 3: matched, its one match scores 0.55
        await settle(pilot, app)
        message = str(app.screen.query_one("#matches").get_option_at_index(0).prompt)
        assert message == "No match from another source scores 0.95 or more."


async def test_moving_between_claims_leaves_the_counts_alone(corpus, monkeypatch):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        calls = []
        real = app.counts  # the header's one way to its counts (it keeps the review-work total)
        monkeypatch.setattr(app, "counts", lambda: calls.append(1) or real())
        await pilot.press("j", "j", "k", "right_square_bracket")
        await settle(pilot, app)
        assert calls == []
        await pilot.press("c")  # a verdict changes them
        await settle(pilot, app)
        assert calls and app.screen.query_one("#counts").counts["corroborated"] == 1
        await pilot.press("z")
        await settle(pilot, app)
        assert app.screen.query_one("#counts").counts.get("corroborated", 0) == 0


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_queue_is_review_work_in_the_named_order(corpus, size):
    """Pending leaves out the imported fact-check and the line under the floor, until "all pending" is
    chosen, where they read "evidence" and "not for review"; the header counts what the queue lists; a search keeps
    the order the order box names."""
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=size) as pilot:
        await pilot.press("w")
        await settle(pilot, app)
        queue = app.screen
        assert [c.id for c in queue.rows] == [1, 5, 2, 6, 7, 3]  # worth 0.9 .. 0.5; not 8, not 4
        assert queue.query_one("CountsBar").counts["pending"] == len(queue.rows)
        await pilot.press("v", "down", "enter")  # all pending
        await settle(pilot, app)
        table = queue.query_one("ClaimTable")
        shown = {claim.id: str(table.get_row_at(i)[0]) for i, claim in enumerate(queue.rows)}
        # the imported fact-check is evidence, the line under the floor not for review (issue 12: the
        # review screen's status line says the same words; this said "not for review" for both before)
        assert shown[8] == "evidence" and shown[4] == "not for review" and shown[1] == "· pending"
        assert len(shown) == 8
        assert queue.query_one("#queue-verdict").value == "all pending"
        await pilot.press("v", "home", "enter", "/", *"districts", "enter")
        await settle(pilot, app)
        assert queue.query_one("#queue-order").value == "worth"
        assert [c.worthiness for c in queue.rows] == [0.8, 0.7]  # bm25 would put 0.7 first
