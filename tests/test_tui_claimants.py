"""The queue filtered by who said it (issue 10 #2): one person, every spelling, every article and source,
chosen from a list with w."""

import os
import subprocess
import sys
import time

import desk_corpus
from tui_helpers import settle
from workbench.tui.app import LIVE_INTERVAL, make_app


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


async def test_a_claimant_quoted_in_another_process_joins_the_chosen_list(tmp_path):
    path = desk_corpus.build_quoted(tmp_path / "quoted.db")
    app = make_app(path, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w", "w", "down", "enter")
        await settle(pilot, app)
        queue = app.screen
        assert queue.claimant == "kovalenko" and len(queue.rows) == 3
        # a third source quotes her, written by another process while the desk is open
        script = ("import sys; from workbench.db import open_database; from workbench.ingest import ingest_text; "
                  "ingest_text(open_database(sys.argv[1]), 'Anna Kovalenko said 40 workers were on the site.', "
                  "source='Coast Radio')")
        done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}, timeout=120)
        assert done.returncode == 0, done.stderr
        start = time.monotonic()
        while len(queue.rows) < 4:
            assert time.monotonic() - start < 3, "the queue did not show the new claim"
            await pilot.pause(LIVE_INTERVAL / 5)
        assert {row.source for row in queue.rows} == {"Harbour Post", "Valley Wire", "Coast Radio"}
        select = queue.query_one("#queue-claimant")
        assert select.value == "kovalenko"
        # two spellings twice each now: the fuller name is shown
        assert "Anna Kovalenko · 4 claims · 3 sources" in [str(prompt) for prompt, _ in select._options]
