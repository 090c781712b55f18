"""The queue filtered by who said it (issue 10 #2): one person, every spelling, every article and source,
chosen from a list with w."""

import desk_corpus
from tui_helpers import settle
from workbench.tui.app import make_app


async def test_choosing_a_claimant_lists_their_claims_from_every_source(tmp_path):
    app = make_app(desk_corpus.build_quoted(tmp_path / "quoted.db"), reviewer="alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("w")  # the review desk opens the queue
        await settle(pilot, app)
        queue = app.screen
        assert len(queue.rows) == 5
        await pilot.press("w")  # the claimant list opens; nothing is chosen yet
        await settle(pilot, app)
        select = queue.query_one("#queue-claimant")
        assert select.expanded and queue.claimant is None
        prompts = [str(prompt) for prompt, _ in select._options]
        assert prompts[:2] == ["all claimants", "Kovalenko · 3 claims · 2 sources"]
        await pilot.press("down", "enter")  # Kovalenko, the claimant with the most claims
        await settle(pilot, app)
        assert queue.claimant == "kovalenko" and queue.query_one("#queue-table").has_focus
        assert sorted((row.source, row.claimant) for row in queue.rows) == [
            ("Harbour Post", "Anna Kovalenko"), ("Valley Wire", "Kovalenko"), ("Valley Wire", "Kovalenko")]
        assert "3 claims · said by: Kovalenko" in str(queue.query_one("#queue-filters").render())
        await pilot.press("w", "up", "enter")  # all claimants again
        await settle(pilot, app)
        assert queue.claimant is None and len(queue.rows) == 5
        assert "said by" not in str(queue.query_one("#queue-filters").render())
