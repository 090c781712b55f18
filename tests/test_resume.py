"""Interrupted work resumes by itself: an ingest killed at any moment, or stopped by a broken model,
leaves whole articles, and the next run finishes embedding and matching what it left.

Real processes (SIGKILL), the real model, a real claims.db file.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import workbench
from workbench.cli import main
from workbench.db import open_database
from workbench.config import DEFAULT_MODEL
from workbench.embedding import claims_needing_embeddings, int8_folder
from workbench.pipeline import unfinished_claims
from workbench.splitting import split_claims

ROOT = Path(workbench.__file__).resolve().parent.parent
PLACES = ["Kherson", "Odesa", "Lviv", "Kharkiv", "Dnipro", "Poltava", "Sumy", "Mykolaiv"]
WHO = ["the governor", "the mayor", "the regional council", "the energy ministry", "the police"]
KILLS = 20


def write_feed(path: Path, count: int = 44, seed: int = 7) -> Path:
    """`count` short articles of varied sentences with numbers, dates and places, as JSONL."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            place, other = rng.sample(PLACES, 2)
            sentences = [
                f"A drone strike hit {rng.randint(2, 40)} buildings in {place} on March {rng.randint(1, 28)}, "
                f"{rng.choice(WHO)} said.",
                f"About {rng.randint(100, 9000):,} households in {place} lost power for {rng.randint(2, 30)} hours.",
                f"Repair crews from {other} restored {rng.randint(10, 95)} percent of the lines by Sunday.",
                f"The council of {place} will spend {rng.randint(1, 60)} million hryvnias on generators, "
                f"according to {rng.choice(WHO)}.",
            ]
            rng.shuffle(sentences)
            sentences = sentences[:2]  # short articles keep 20 kills and re-runs within minutes
            text = f"Report {n} from {place}\n\n" + " ".join(sentences) + "\n"
            out.write(json.dumps({"text": text, "source": f"Desk {n % 5}", "title": f"Report {n}"}) + "\n")
    return path


def start_ingest(feed: Path, db: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, "-m", "workbench", "ingest", str(feed), "--db", str(db)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def state(path: Path) -> dict:
    """What a killed run left: integrity, whole articles, and how far embedding and matching got."""
    conn = sqlite3.connect(path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        # A kill while the new database was being migrated leaves the later tables to the next run.
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

        def count(table: str, where: str = "", params: tuple = ()) -> int:
            return conn.execute(f"SELECT COUNT(*) FROM {table} {where}", params).fetchone()[0] if table in tables else 0

        articles = conn.execute("SELECT id, text FROM articles ORDER BY id").fetchall() if "articles" in tables else []
        partial = []
        for article_id, text in articles:
            stored = conn.execute("SELECT span_start, span_end, text FROM claims WHERE article_id = ? "
                                  "ORDER BY position", [article_id]).fetchall()
            expected = [(c.start, c.end, c.text) for c in split_claims(text)]
            if stored != expected:
                partial.append(article_id)
        claims = count("claims")
        embedded = count("embeddings", "WHERE model = ?", (DEFAULT_MODEL,))
        matched = count("match_runs", "WHERE model = ?", (DEFAULT_MODEL,))
        return {"integrity": integrity, "articles": len(articles), "partial": partial, "claims": claims,
                "embedded": embedded, "matched": matched}
    finally:
        conn.close()


def assert_complete(path: Path, articles: int) -> None:
    """Every article once, every claim embedded and matched once under the model in use."""
    db = open_database(path)
    try:
        assert unfinished_claims(db) == []
        assert claims_needing_embeddings(db, DEFAULT_MODEL) == []
        assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == articles
        assert db.execute("SELECT COUNT(*) FROM (SELECT text FROM articles GROUP BY text HAVING COUNT(*) > 1)"
                          ).fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM (SELECT article_id, position FROM claims "
                          "GROUP BY article_id, position HAVING COUNT(*) > 1)").fetchone()[0] == 0
        claims = db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
        assert db.execute("SELECT COUNT(*) FROM match_runs WHERE model = ?", [DEFAULT_MODEL]).fetchone()[0] == claims
        assert db.execute("SELECT COUNT(*) FROM embeddings WHERE model = ?", [DEFAULT_MODEL]).fetchone()[0] == claims
    finally:
        db.close()


@pytest.mark.model
@pytest.mark.slow
def test_an_ingest_killed_at_20_random_moments_is_finished_by_the_next_run(tmp_path, real_embedder):
    feed = write_feed(tmp_path / "feed.jsonl")
    articles = sum(1 for _ in feed.open())
    # A full run first: how long one takes, so that the kills are spread over all of it.
    started = time.perf_counter()
    full = start_ingest(feed, tmp_path / "full.db")
    assert full.wait(timeout=300) == 0, full.stderr.read() if full.stderr else ""
    seconds = time.perf_counter() - started
    assert_complete(tmp_path / "full.db", articles)

    rng = random.Random(20)
    seen = []
    for kill in range(KILLS):
        path = tmp_path / f"kill-{kill}.db"
        moment = seconds * (kill + rng.random()) / KILLS  # one moment in each twentieth of the run
        process = start_ingest(feed, path)
        time.sleep(moment)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        left = state(path) if path.exists() else {"integrity": "ok", "articles": 0, "partial": [], "claims": 0,
                                                  "embedded": 0, "matched": 0}
        seen.append({"moment": round(moment, 2), **left})
        assert left["integrity"] == "ok", seen[-1]
        assert left["partial"] == [], seen[-1]
        # The same command again (in this process: the model is loaded once for the test run).
        again = CliRunner().invoke(main, ["ingest", str(feed), "--db", str(path)], catch_exceptions=False)
        assert again.exit_code == 0, again.output
        assert_complete(path, articles)
        unfinished = left["claims"] - left["matched"]
        if left["articles"] and unfinished:
            assert f"Finished {unfinished} claims left unmatched by an earlier run." in again.output, again.output
    print(f"\nfull run {seconds:.1f} s; after each kill: " + json.dumps(seen))
    # The kills are worth something only if some left stored claims unmatched.
    assert any(0 < s["articles"] and s["matched"] < s["claims"] for s in seen)


@pytest.mark.model
def test_a_model_that_fails_its_checksum_after_storing_is_finished_by_the_next_run(tmp_path, real_embedder):
    feed = write_feed(tmp_path / "feed.jsonl", count=6)
    # A copy of the default model (the int8 build) whose weights are altered: its manifest refuses them.
    built = int8_folder()
    tampered = tmp_path / "tampered-models"
    # Every file is checked, so the copy is real: only the weights are replaced.
    shutil.copytree(built, tampered / built.name)
    (tampered / built.name / "openvino_model.bin").write_bytes(b"not the weights")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    path = tmp_path / "claims.db"
    broken = subprocess.run([sys.executable, "-m", "workbench", "ingest", str(feed), "--db", str(path)],
                            env={**env, "WORKBENCH_MODELS_DIR": str(tampered)}, capture_output=True, text=True,
                            timeout=300)
    assert broken.returncode != 0
    assert "SHA-256" in broken.stderr, broken.stderr
    left = state(path)
    assert left["integrity"] == "ok" and left["articles"] == 6 and left["partial"] == []
    assert left["claims"] > 0 and left["embedded"] == left["matched"] == 0

    again = subprocess.run([sys.executable, "-m", "workbench", "ingest", str(feed), "--db", str(path)],
                           env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("already ingested") == 6
    assert f"Finished {left['claims']} claims left unmatched by an earlier run." in again.stderr
    assert_complete(path, 6)
