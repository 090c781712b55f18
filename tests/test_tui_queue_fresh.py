"""The queue screen built in the background after start-up, and its line-API list: what it shows
when opened is read then, never what it was built with."""

import pytest

import desk_corpus
from tui_helpers import open_queue, settle, verdict_rows
from workbench.tui.app import make_app

# desk_corpus: claims 1-4 Kyiv Daily, 5-7 Wire Service, 8 an imported fact-check; the desk opens on
# claim 1. Pending review work, most check-worthy first: 1, 5, 2, 6, 7, 3.
PENDING = [1, 5, 2, 6, 7, 3]


@pytest.fixture
def corpus(tmp_path):
    return desk_corpus.build(tmp_path / "desk.db")


async def built_in_the_background(pilot, app):
    """What the review screen's timer runs once start-up is over, then every message handled."""
    app.review.settled()
    await settle(pilot, app)
    queue = app.review.claim_list
    assert queue is not None and queue.is_mounted and queue not in app.screen_stack
    return queue


async def test_a_verdict_given_on_the_review_screen_is_in_the_queue_built_before_it(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        queue = await built_in_the_background(pilot, app)
        assert queue.rows == [] and queue.total == 0  # built, nothing read
        await pilot.press("w")
        await settle(pilot, app)
        assert app.screen is queue and [c.id for c in queue.rows] == PENDING
        assert queue.query_one("CountsBar").counts["corroborated"] == 0
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("c")  # claim 1 corroborated on the review screen
        await settle(pilot, app)
        assert [(r["claim_id"], r["label"]) for r in verdict_rows(corpus)] == [(1, "corroborated")]
        await pilot.press("w")
        await settle(pilot, app)
        assert app.screen is queue and [c.id for c in queue.rows] == [5, 2, 6, 7, 3]
        assert queue.query_one("CountsBar").counts["corroborated"] == 1
        assert str(queue.query_one("#queue-filters").render()).startswith(" 5 claims")
        table = queue.query_one("ClaimTable")
        assert table.has_focus and table.cursor_row == 0 and table.row_count == 5
        await pilot.press("v", "home", "down", "down", "enter")  # all: claim 1 listed, with its verdict
        await settle(pilot, app)
        shown = {claim.id: str(table.get_row_at(i)[0]) for i, claim in enumerate(queue.rows)}
        assert shown[1] == "✔ corroborated" and shown[5] == "· pending"


async def test_the_queue_pressed_for_while_it_is_still_being_built_is_filled_when_mounted(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.review.build_claim_list()  # mounting now; w comes before its messages are handled
        queue = await open_queue(pilot, app)
        assert queue is app.review.claim_list and [c.id for c in queue.rows] == PENDING
        assert queue.query_one("ClaimTable").has_focus and queue.query_one("#queue-verdict").value == "pending"


async def test_a_click_on_a_row_of_the_queue_opens_that_claim(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await open_queue(pilot, app)
        await pilot.click("#queue-table", offset=(30, 3))  # the header, then rows 0, 1, 2: claim 2
        await settle(pilot, app)
        assert app.screen is app.review and app.review.claim.id == PENDING[2]


async def test_the_list_keys_move_the_cursor_and_keep_it_in_view(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        queue = await open_queue(pilot, app)
        table = queue.query_one("ClaimTable")
        await pilot.press("end")
        assert table.cursor_row == len(PENDING) - 1
        await pilot.press("up", "k")
        assert table.cursor_row == len(PENDING) - 3
        await pilot.press("pageup")
        assert table.cursor_row == 0
        await pilot.press("pagedown", "home", "j", "enter")
        await settle(pilot, app)
        assert app.screen is app.review and app.review.claim.id == PENDING[1]
