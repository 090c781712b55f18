"""claims.db shared by several processes: every verdict of every side ends up in the history.

Issue 9, seen 1: closing a Python file handle on claims.db dropped the desk's POSIX locks, so a
colleague's `workbench mark` deleted the WAL the desk was still writing to, and verdicts vanished.
Seen 2: writes began DEFERRED, so "database is locked" came at once instead of after the busy timeout.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import desk_corpus
from tui_helpers import settle
from workbench.db import open_database
from workbench.ingest import ingest_text
from workbench.tui.app import make_app
from workbench.verdicts import record_verdict

ROOT = Path(__file__).resolve().parent.parent
WORKER = Path(__file__).resolve().parent / "concurrency_worker.py"


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


def colleague_marks(db_path: Path, claim_id: int) -> None:
    """`workbench mark` in another process, which exits (and closes its connection) at once."""
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "mark", str(claim_id), "corroborated", "--reviewer", "colleague",
         "--db", str(db_path)], env=environment(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def reviewers_in_history(db_path: Path) -> list[tuple[str, int]]:
    db = open_database(db_path)
    try:
        return [(row["reviewer"], row["claim_id"]) for row in db.query("SELECT * FROM verdicts ORDER BY id")]
    finally:
        db.close()


def seed(db_path: Path, claims: int = 20) -> list[int]:
    db = open_database(db_path)
    text = " ".join(f"Claim {i} says the river rose {i + 2} metres in {1990 + i}." for i in range(claims))
    ids = ingest_text(db, text, source="Seed Wire").claim_ids
    db.close()
    return ids


def test_a_second_open_in_the_same_process_keeps_the_first_connections_locks(tmp_path):
    """Seen 1 without the desk: open, open again (as the desk's workers do), colleagues mark."""
    path = tmp_path / "claims.db"
    ids = seed(path)
    desk = open_database(path)
    open_database(path).close()  # the export worker's connection
    colleague_marks(path, ids[0])
    for claim_id in ids[1:4]:
        record_verdict(desk, claim_id, "disputed", "desk")
    for claim_id in ids[4:7]:
        colleague_marks(path, claim_id)
    desk.close()
    history = reviewers_in_history(path)
    assert history == [("colleague", ids[0]), *[("desk", c) for c in ids[1:4]],
                       *[("colleague", c) for c in ids[4:7]]]


DESK = """
import sys, time
from workbench.db import open_database
from workbench.verdicts import record_verdict
path, claims = sys.argv[1], [int(c) for c in sys.argv[2:]]
desk = open_database(path)
open_database(path).close()  # the desk's export worker
print("open", flush=True)
sys.stdin.readline()
for claim_id in claims:
    record_verdict(desk, claim_id, "disputed", "desk")
print("marked", flush=True)
time.sleep(600)
"""


def test_a_desk_killed_after_a_colleague_marked_keeps_its_verdicts(tmp_path):
    """Seen 1, second half: the desk is killed instead of quitting; its verdicts were lost."""
    import signal

    path = tmp_path / "claims.db"
    ids = seed(path)
    desk = subprocess.Popen([sys.executable, "-c", DESK, str(path), *map(str, ids[1:4])], env=environment(),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert desk.stdout.readline().strip() == "open"
        colleague_marks(path, ids[0])
        desk.stdin.write("go\n")
        desk.stdin.flush()
        assert desk.stdout.readline().strip() == "marked"
        for claim_id in ids[4:7]:
            colleague_marks(path, claim_id)
    finally:
        desk.send_signal(signal.SIGKILL)
        desk.wait(timeout=60)
    assert sorted(reviewers_in_history(path)) == sorted(
        [("colleague", ids[0]), *[("desk", c) for c in ids[1:4]], *[("colleague", c) for c in ids[4:7]]])


async def test_the_desk_exporting_and_ingesting_while_colleagues_mark_loses_nothing(tmp_path):
    """Seen 1 as reported: the desk exports (E) and ingests (i), a colleague marks, the desk marks."""
    path = desk_corpus.build(tmp_path / "desk.db")
    again = tmp_path / "again.txt"
    again.write_text("A drone strike hit an energy facility in Kherson on April 1, officials said.\n",
                     encoding="utf-8")
    claim_ids = [row[0] for row in open_database(path).execute("SELECT id FROM claims ORDER BY id")]
    app = make_app(path, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("E")
        await settle(pilot, app)
        app.screen.query_one("#export-format").value = "csv"
        app.screen.query_one("#export-path").value = str(tmp_path / "out.csv")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        await pilot.press("i", *str(again), "tab", *"Again Wire", "ctrl+s")
        await settle(pilot, app)
        await pilot.press("ctrl+s")  # a second ingest of the same article: only the worker's open
        await settle(pilot, app)
        while app.screen.id != "review":
            await pilot.press("escape")
            await settle(pilot, app)
        colleague_marks(path, claim_ids[-1])
        await pilot.press("d", "d", "d")
        await settle(pilot, app)
        for claim_id in claim_ids[-4:-1]:
            colleague_marks(path, claim_id)
    assert (tmp_path / "out.csv").exists()
    history = reviewers_in_history(path)
    assert sum(1 for reviewer, _ in history if reviewer == "alice") == 3, history
    assert sorted(c for reviewer, c in history if reviewer == "colleague") == sorted(claim_ids[-4:]), history


def test_eight_processes_marking_with_an_ingest_and_an_export_loop_lose_nothing(tmp_path):
    """Seen 2: 8 x 250 `workbench mark` beside an ingest and an export loop: 2,000 rows, 0 failures."""
    path = tmp_path / "claims.db"
    ids = [str(c) for c in seed(path, claims=40)]
    before = len(reviewers_in_history(path))
    jobs = [("mark", [f"reviewer-{n}", "250", *ids]) for n in range(8)]
    jobs += [("ingest", [str(tmp_path / "ingest"), "40"]), ("export", [str(tmp_path / "export"), "40"])]
    started = time.perf_counter()
    processes = [
        subprocess.Popen([sys.executable, str(WORKER), str(path), str(tmp_path / f"report-{n}.json"), kind, *args],
                         env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for n, (kind, args) in enumerate(jobs)
    ]
    errors = [process.communicate(timeout=900)[1] for process in processes]
    wall = time.perf_counter() - started
    assert [p.returncode for p in processes] == [0] * len(jobs), errors
    reports = [json.loads((tmp_path / f"report-{n}.json").read_text()) for n in range(len(jobs))]
    marks = [r for r in reports if r["kind"] == "mark"]
    latencies = sorted(x * 1000 for r in marks for x in r["latencies"])
    figures = {
        "new_rows": len(reviewers_in_history(path)) - before,
        "failures": sum(len(r["failures"]) for r in reports),
        "tracebacks": sum(len(r["tracebacks"]) for r in reports),
        "wall_s": round(wall, 1),
        "mark_median_ms": round(statistics.median(latencies), 1),
        "mark_p95_ms": round(latencies[int(0.95 * len(latencies))], 1),
        "mark_max_ms": round(latencies[-1], 1),
        "ingest_calls": next(r["calls"] for r in reports if r["kind"] == "ingest"),
        "export_calls": next(r["calls"] for r in reports if r["kind"] == "export"),
    }
    print("\nconcurrency figures:", json.dumps(figures))
    first_problem = next((p for r in reports for p in r["tracebacks"] + r["failures"]), None)
    assert (figures["new_rows"], figures["failures"], figures["tracebacks"]) == (2000, 0, 0), first_problem
    assert len(list((tmp_path / "export").glob("*.csv"))) == 40
