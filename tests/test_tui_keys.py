"""Keys that cannot fire by accident (issue 12 #1): verdict keys act only on a claim that is focused and
named on screen, text keeps its letters, every verdict is echoed, filters are chosen from lists."""

import pytest
from textual import events

import desk_corpus
from tui_helpers import settle, verdict_rows
from workbench.tui.app import make_app

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def corpus(tmp_path):
    return desk_corpus.build(tmp_path / "desk.db")


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_typing_after_a_search_is_more_search_not_verdicts(corpus, size):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=size) as pilot:
        await pilot.press("slash", *"Kherson", "enter")  # the results get the focus
        await settle(pilot, app)
        queue = app.screen
        order = [row.id for row in queue.rows]
        await pilot.press(*"Baerbock")  # the c of it must not corroborate, the o must not re-order
        await settle(pilot, app)
        assert verdict_rows(corpus) == []
        assert queue.query_one("#queue-query").value == "Baerbock" and queue.query_one("#queue-query").has_focus
        assert not queue.conflict_first
        await pilot.press("ctrl+u", *"Kherson", "enter")
        await settle(pilot, app)
        assert [row.id for row in queue.rows] == order
        assert "letters start a new search" in str(queue.query_one("#queue-preview").render())
        await pilot.press("down", "up", "c")  # a row chosen by the reviewer: now c acts, on the named claim
        await settle(pilot, app)
        [row] = verdict_rows(corpus)
        assert row["claim_id"] == order[0] and row["label"] == "corroborated"
        assert notices(app)[-1].startswith(f"✔ corroborated: claim {order[0]} — '")
        assert notices(app)[-1].endswith("· z undoes")


async def test_the_highlighted_claim_is_named_under_the_queue(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await settle(pilot, app)
        first = app.screen.rows[0]
        assert f"claim {first.id} — '{first.text}'" in str(app.screen.query_one("#queue-preview").render())


async def test_verdict_keys_in_the_article_list_do_nothing(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", "c", "d", "u", "x")  # the article list has the focus: no claim in front
        await settle(pilot, app)
        assert verdict_rows(corpus) == []
        await pilot.press("enter", "d")  # the article opened: its first claim is named, d records
        await settle(pilot, app)
        assert [r["label"] for r in verdict_rows(corpus)] == ["disputed"]
        assert notices(app)[-1] == ("✘ disputed: claim 1 — 'A drone strike hit an energy facility…' "
                                    "· z undoes")


async def test_filters_are_chosen_from_a_list_with_counts(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w", "s")
        await settle(pilot, app)
        select = app.screen.query_one("#queue-source")
        assert select.expanded
        prompts = [str(prompt) for prompt, _ in select._options]
        assert prompts[0] == "all sources" and "   4  Kyiv Daily" in prompts
        for _ in range(5):
            await pilot.press("s")  # stray presses: the list stays open, nothing is chosen
        await settle(pilot, app)
        # the pending queue: 8 claims less the imported one and the one under REVIEW_FLOOR (issue 12)
        assert app.screen.source is None and len(app.screen.rows) == 6
        await pilot.press("escape", "escape", "escape")  # the list closes, back to the rows, the queue closes
        await settle(pilot, app)
        assert app.screen.id == "review"


async def test_letters_faster_than_the_focus_all_reach_the_search_box(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"districts", "enter")
        await settle(pilot, app)
        queue = app.screen
        queue.query_one("#queue-table").focus()
        await pilot.pause()
        # Sent in one burst, as a terminal delivers a fast typist's keys: each one reaches the list
        # before the focus has moved, and the k of it is text, not "up".
        for character in "Baerbock":
            queue.on_key(events.Key(character, character))
        await settle(pilot, app)
        assert queue.query_one("#queue-query").value == "Baerbock" and not queue.armed
        assert verdict_rows(corpus) == []
