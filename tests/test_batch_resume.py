"""A batch of articles killed while its claims are being matched: the same command again finishes it,
nothing stored twice or half, and the matches are what `workbench match --all` gives.

Real processes (SIGKILL), the real model, a real claims.db file. The kill is aimed (not timed): the
test watches the file until the first chunk of matches is committed, then kills the ingest at once.
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from test_resume import PLACES, WHO, assert_complete, start_ingest, state
from workbench.cli import main
from workbench.matching import QUERY_CHUNK

ARTICLES = 400  # two claims each: several QUERY_CHUNKs, each written in its own transaction


def write_feed(path: Path, count: int, seed: int = 11) -> Path:
    """`count` two-sentence articles, no sentence twice: two sources printing the same sentence tie
    exactly, and which copy leads is then float noise (see the report of this branch), not resuming."""
    rng = random.Random(seed)
    seen: set[str] = set()

    def sentence() -> str:
        while True:
            place, other = rng.sample(PLACES, 2)
            text = rng.choice([
                f"A drone strike hit {rng.randint(2, 400)} buildings in {place} on March {rng.randint(1, 28)}, "
                f"{rng.choice(WHO)} said.",
                f"About {rng.randint(100, 90000):,} households in {place} lost power for {rng.randint(2, 30)} hours.",
                f"Repair crews from {other} restored {rng.randint(10, 95)} percent of the lines in {place}.",
                f"The council of {place} will spend {rng.randint(1, 600)} million hryvnias on generators.",
            ])
            if text not in seen:
                seen.add(text)
                return text

    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            text = f"Report {n}\n\n{sentence()} {sentence()}\n"
            out.write(json.dumps({"text": text, "source": f"Desk {n % 5}", "title": f"Report {n}"}) + "\n")
    return path


def matched_so_far(path: Path) -> int:
    """Claims with a match run, read the way any reader of the file may (SQLite, read-only)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
    except sqlite3.OperationalError:
        return 0
    try:
        return conn.execute("SELECT COUNT(*) FROM match_runs").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet, or the file is being migrated
        return 0
    finally:
        conn.close()


def stored_matches(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT claim_id, other_claim_id, rank, relation, copy_of, score "
                            "FROM matches ORDER BY claim_id, rank").fetchall()
    finally:
        conn.close()


@pytest.mark.model
@pytest.mark.slow
def test_a_batch_killed_while_matching_is_finished_as_match_all_gives_it(tmp_path, real_embedder):
    feed = write_feed(tmp_path / "feed.jsonl", count=ARTICLES)
    path = tmp_path / "claims.db"
    process = start_ingest(feed, path)
    deadline = time.monotonic() + 600
    while matched_so_far(path) == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    left = state(path)
    assert left["integrity"] == "ok" and left["partial"] == [], left
    assert left["articles"] == ARTICLES and left["embedded"] == left["claims"], left
    # Killed between two chunks of matches: some claims matched, the rest left for the next run.
    assert QUERY_CHUNK <= left["matched"] < left["claims"], left

    assert_finished_as_match_all_gives(feed, path, left)


def assert_finished_as_match_all_gives(feed: Path, path: Path, left: dict) -> None:
    """The same ingest again finishes what a killed run `left`, and its matches are `match --all`'s."""
    again = CliRunner().invoke(main, ["ingest", str(feed), "--db", str(path)], catch_exceptions=False)
    assert again.exit_code == 0, again.output
    unfinished = left["claims"] - left["matched"]
    assert f"Finished {unfinished} claims left unmatched by an earlier run." in again.output, again.output
    assert_complete(path, ARTICLES)
    resumed = stored_matches(path)

    full = CliRunner().invoke(main, ["match", "--all", "--db", str(path)], catch_exceptions=False)
    assert full.exit_code == 0, full.output
    again_all = stored_matches(path)
    assert resumed and [row[:-1] for row in resumed] == [row[:-1] for row in again_all]
    # A cosine from a matrix product and from a vector product may differ in the 7th place.
    assert max(abs(a[-1] - b[-1]) for a, b in zip(resumed, again_all)) < 1e-5
