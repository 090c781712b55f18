"""How a batch of claims is matched: chunk by chunk, in this process or, for a large batch, in worker
processes on every core.

A claim's top-k reads only what is stored (its candidates, their texts, the vectors, the lexical
index) and writes only its own rows, so claims can be matched in any order, by any process, with the
same result. A day's batch (300,000 claims, ~6 ms a claim in Python) used one core of a laptop that
has several; worker processes each match whole chunks and write them, each chunk in its own
transaction (db.write), exactly as one process does: a run killed at any moment leaves every claim
either matched or not yet, and the same command finishes it.

Each worker is `python -m workbench.matching.batches` with the database's path: it reads the database
itself (nothing of this process's open connection, threads or index is copied), takes tasks (claim
ids, a JSON line each) on stdin and answers a JSON line per task on stdout. When its stdin closes (the
run is done, cancelled, or the process that started it was killed) it ends after its current task.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlite_utils import Database

from ..db import database_file, open_database
from .candidates import Corpus, Reach, dense_top, rank
from .index import open_index, wanted
from .lexicon import Lexicon
from .scoring import CANDIDATES, FUSION_WEIGHTS, QUERY_CHUNK, MatchSettings
from .store import write_matches

# Below this many claims one process matches them: starting a worker (imports, the vector index, the
# lexicon: ~10 s at 300k stored claims) costs what ~2,000 claims of matching cost.
PARALLEL_MIN = 10_000
# Claims per task handed to a worker: progress moves this often, and a cancel (or a killed run) ends
# the workers after at most this many claims each (a few seconds).
TASK = 2 * QUERY_CHUNK


@dataclass
class Plan:
    """What one process needs to match chunks: the run's settings and what it reads."""

    settings: MatchSettings
    corpus: Corpus
    reranker: object = None

    @property
    def depth(self) -> int:
        return CANDIDATES if self.settings.method != "lexical" else 0

    @property
    def time_weight(self) -> float:
        return FUSION_WEIGHTS["time"] / FUSION_WEIGHTS["dense"] if self.settings.method == "hybrid" else 0.0


def match_chunk(db: Database, plan: Plan, chunk: Sequence[int]) -> tuple[int, Reach | None]:
    """Match `chunk` (at most QUERY_CHUNK claims) and write their rows in one transaction: (rows
    written, what the chunk can give to older claims)."""
    corpus = plan.corpus
    corpus.load(chunk)
    dense, reach = dense_top(corpus, chunk, plan.depth, plan.time_weight) if plan.depth else ({}, None)
    results = {c: rank(db, corpus, c, dense.get(c), plan.settings, plan.reranker) for c in chunk}
    return write_matches(db, results, plan.settings, corpus.stories), reach


def jobs() -> int:
    """Processes a large batch may use: WORKBENCH_JOBS, else the cores this process may run on."""
    setting = os.environ.get("WORKBENCH_JOBS", "").strip()
    if setting.isdigit() and int(setting) >= 1:
        return int(setting)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def worth_parallel(db: Database, claims: int, settings: MatchSettings) -> bool:
    """Whether `claims` are matched by worker processes: a large batch, more than one core, a database
    file to share (not in memory), and no cross-encoder (a model per worker would not fit a laptop)."""
    return claims >= PARALLEL_MIN and jobs() > 1 and not settings.reranker and database_file(db) is not None


@dataclass
class Outcome:
    claim_ids: list[int]  # matched, in the order given
    rows: int
    cancelled: bool
    notices: list[str]


def match_in_workers(db: Database, ids: Sequence[int], settings: MatchSettings, *, lexicon: bool,
                     progress: Callable[[int], None] | None = None,
                     cancel: Callable[[], bool] | None = None) -> Outcome:
    """Match `ids` in jobs() worker processes, TASK claims at a time; `progress(done)` as tasks finish."""
    path = database_file(db)
    assert path is not None
    tasks = [list(ids[start:start + TASK]) for start in range(0, len(ids), TASK)]
    finished: dict[int, list[int]] = {}
    rows, notices, cancelled = 0, [], False
    checked = bool(getattr(db, "checked", False))
    workers = [_Worker.start(path, settings, lexicon, checked) for _ in range(min(jobs(), len(tasks)))]
    waiting = list(enumerate(tasks))
    selector = selectors.DefaultSelector()
    try:
        for worker in workers:  # no more workers than tasks
            worker.give(waiting.pop(0))
            selector.register(worker.process.stdout, selectors.EVENT_READ, worker)  # type: ignore[arg-type]
        busy = len(workers)
        while busy:
            for key, _ in selector.select(timeout=0.25):
                worker = key.data
                number, matched, written, said = worker.answer()
                finished[number] = matched
                rows += written
                notices += [n for n in said if n not in notices]
                if progress:
                    progress(sum(len(m) for m in finished.values()))
                if waiting and not cancelled:
                    worker.give(waiting.pop(0))
                else:
                    worker.finish()
                    selector.unregister(key.fileobj)
                    busy -= 1
            if cancel and not cancelled and cancel():
                cancelled = True  # the tasks under way end; no new one starts
                waiting.clear()
    finally:
        selector.close()
        for worker in workers:
            worker.close()
    matched_ids = [c for number in sorted(finished) for c in finished[number]]
    return Outcome(matched_ids, rows, cancelled or len(matched_ids) < len(ids), notices)


@dataclass
class _Worker:
    """One worker process, seen from the process that started it."""

    process: subprocess.Popen
    errors: IO[bytes]  # its stderr, in a file: read only to say why it stopped
    task: int | None = None

    @classmethod
    def start(cls, path: Path, settings: MatchSettings, lexicon: bool, checked: bool) -> "_Worker":
        package_root = str(Path(__file__).resolve().parents[2])  # this workbench, however it was imported
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in [package_root, os.environ.get("PYTHONPATH")] if p)}
        errors = tempfile.TemporaryFile()
        process = subprocess.Popen(
            [sys.executable, "-m", "workbench.matching.batches", str(path), json.dumps(settings.as_dict()),
             settings.model, "lexicon" if lexicon else "fts5", "checked" if checked else "unchecked"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, env=env, text=True)
        return cls(process, errors)

    def give(self, task: tuple[int, list[int]]) -> None:
        self.task = task[0]
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(task[1]) + "\n")
        self.process.stdin.flush()

    def answer(self) -> tuple[int, list[int], int, list[str]]:
        assert self.process.stdout is not None and self.task is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            self.errors.seek(0)
            said = self.errors.read().decode("utf-8", "replace").strip().splitlines()
            raise MatchWorkerError(f"a matching worker stopped (exit status {self.process.returncode}): "
                                   f"{said[-1] if said else 'no message'}; the claims it had not matched "
                                   "are matched by the same command run again")
        answer = json.loads(line)
        return self.task, answer["matched"], answer["rows"], answer["notices"]

    def finish(self) -> None:
        self.task = None
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()

    def close(self) -> None:
        self.finish()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        finally:
            if self.process.stdout:
                self.process.stdout.close()
            self.errors.close()


class MatchWorkerError(RuntimeError):
    """A worker process ended without answering (killed, out of memory, an error it printed)."""


def serve(path: str, settings: str, model: str, scorer: str, checked: str) -> None:
    """A worker: match each task read from stdin, answer on stdout, until stdin closes."""
    db = open_database(path, migrate=False)  # the starting process migrated it
    # The starting process ran quick_check before its first write in this run (db.write): a worker
    # need not read the whole file again (3 s at 300k claims) before its own.
    db.checked = checked == "checked"
    notices: list[str] = []
    index = open_index(db, model, notices) if wanted(db, model) else None
    corpus = Corpus(db, model, index)
    if scorer == "lexicon":
        corpus.lexicon = Lexicon(db)
    plan = Plan(MatchSettings.from_dict({**json.loads(settings), "model": model}), corpus)
    for line in sys.stdin:
        matched: list[int] = []
        rows = 0
        ids = json.loads(line)
        for start in range(0, len(ids), QUERY_CHUNK):
            chunk = corpus.load(ids[start:start + QUERY_CHUNK])
            written, _ = match_chunk(db, plan, chunk)
            rows += written
            matched += chunk
        sys.stdout.write(json.dumps({"matched": matched, "rows": rows, "notices": notices}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve(*sys.argv[1:6])
