"""A large batch matched by worker processes writes exactly what one process writes, and a run killed
while its workers match leaves no worker behind and is finished by the same command.

Real processes (spawned workers, SIGKILL), the real model, a real claims.db file. The batch threshold
and task size are lowered (in this process, or in the killed process's own code) so a few hundred
claims make several tasks for two workers.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from test_batch_resume import assert_finished_as_match_all_gives, matched_so_far, stored_matches, write_feed
from test_resume import ROOT, assert_complete, state
from workbench.cli import main
from workbench.db import open_database
from workbench.matching import QUERY_CHUNK, match_claims
from workbench.matching import batches

ARTICLES = 400  # two claims each: 800 claims, several tasks of QUERY_CHUNK claims


def ingest_unmatched(feed: Path, path: Path) -> None:
    result = CliRunner().invoke(main, ["ingest", str(feed), "--db", str(path), "--no-match"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.mark.model
@pytest.mark.slow
def test_two_worker_processes_write_what_one_process_writes(tmp_path, real_embedder, monkeypatch):
    feed = write_feed(tmp_path / "feed.jsonl", count=ARTICLES)
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    ingest_unmatched(feed, one)
    with sqlite3.connect(one) as source, sqlite3.connect(two) as copy:  # the WAL's pages too
        source.backup(copy)

    monkeypatch.setenv("WORKBENCH_JOBS", "1")
    db = open_database(one)
    alone = match_claims(db, real_embedder)
    db.close()
    assert alone.processes == 1

    monkeypatch.setenv("WORKBENCH_JOBS", "2")
    monkeypatch.setattr(batches, "PARALLEL_MIN", 1)
    monkeypatch.setattr(batches, "TASK", QUERY_CHUNK)
    seen: list[tuple[int, int]] = []
    db = open_database(two)
    together = match_claims(db, real_embedder, progress=lambda done, total: seen.append((done, total)))
    db.close()

    assert together.processes == 2 and not together.cancelled
    assert together.matched == alone.matched == 2 * ARTICLES and together.rows == alone.rows
    assert sorted(together.claim_ids) == sorted(alone.claim_ids)
    assert len(seen) > 2 and seen[-1] == (2 * ARTICLES, 2 * ARTICLES)  # progress as tasks finish
    assert stored_matches(one) == stored_matches(two)
    assert_complete(two, ARTICLES)


def start_parallel_ingest(feed: Path, path: Path) -> subprocess.Popen:
    """`workbench ingest` in its own process, its batch matched by two workers (threshold lowered there)."""
    code = ("import sys; from workbench.matching import batches; from workbench.cli import main; "
            f"batches.PARALLEL_MIN = 1; batches.TASK = {QUERY_CHUNK}; "
            "main(['ingest', sys.argv[1], '--db', sys.argv[2]], prog_name='workbench')")
    env = {**os.environ, "WORKBENCH_JOBS": "2",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, "-c", code, str(feed), str(path)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads a process's children from /proc")
def test_a_run_killed_while_workers_match_leaves_no_worker_and_is_finished(tmp_path, real_embedder):
    feed = write_feed(tmp_path / "feed.jsonl", count=ARTICLES, seed=5)
    path = tmp_path / "claims.db"
    process = start_parallel_ingest(feed, path)
    deadline = time.monotonic() + 600
    while matched_so_far(path) == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, process.communicate()
    workers = children(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert len(workers) == 2
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if alive(pid)], "a worker outlived the killed run"

    left = state(path)
    assert left["integrity"] == "ok" and left["partial"] == [], left
    assert left["articles"] == ARTICLES and left["embedded"] == left["claims"], left
    assert QUERY_CHUNK <= left["matched"] < left["claims"], left  # whole chunks only

    assert_finished_as_match_all_gives(feed, path, left)


def workers_of(pid: int) -> list[int]:
    return [c for c in children(pid) if b"workbench.matching.batches" in Path(f"/proc/{c}/cmdline").read_bytes()]


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads a process's children from /proc")
def test_a_cancelled_or_broken_batch_keeps_whole_chunks_and_the_same_command_finishes_it(tmp_path, real_embedder,
                                                                                        monkeypatch):
    feed = write_feed(tmp_path / "feed.jsonl", count=ARTICLES, seed=8)
    path = tmp_path / "claims.db"
    ingest_unmatched(feed, path)
    monkeypatch.setenv("WORKBENCH_JOBS", "2")
    monkeypatch.setattr(batches, "PARALLEL_MIN", 1)
    monkeypatch.setattr(batches, "TASK", QUERY_CHUNK // 2)
    db = open_database(path)
    progress: list[int] = []
    cancelled = match_claims(db, real_embedder, progress=lambda done, total: progress.append(done),
                             cancel=lambda: len(progress) > 1)
    assert cancelled.cancelled and 0 < cancelled.matched < 2 * ARTICLES
    matched = db.execute("SELECT COUNT(*) FROM match_runs").fetchone()[0]
    assert matched == cancelled.matched and matched % (QUERY_CHUNK // 2) == 0  # whole tasks only

    def kill_a_worker(done: int, total: int) -> None:
        for pid in workers_of(os.getpid())[:1]:
            os.kill(pid, signal.SIGKILL)

    with pytest.raises(batches.MatchWorkerError, match="run again"):
        match_claims(db, real_embedder, progress=kill_a_worker)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert workers_of(os.getpid()) == []

    finished = match_claims(db, real_embedder)
    assert not finished.cancelled and finished.processes == 2
    db.close()
    assert_complete(path, ARTICLES)
