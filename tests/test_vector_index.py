"""The vector index (matching/index.py): results equal to exact search and to `match --all`, kept in
step by two processes ingesting into one claims.db, rebuilt when deleted, never trusted when damaged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from test_matching import all_matches, cluster_sources
from workbench.db import open_database
from workbench.matching import MatchSettings, match_claims, pending_claim_ids
from workbench.matching.index import index_file, read_index, vector_count

ROOT = Path(__file__).resolve().parent.parent


def build(path: Path, embedder, batches=((0, 3), (3, 6)), settings=None) -> dict[int, list[int]]:
    """Clustered sources ingested in batches, each matched incrementally; returns every claim's matches."""
    db = open_database(path)
    for first, last in batches:
        cluster_sources(db, range(first, last))
        match_claims(db, embedder, pending_claim_ids(db, embedder.name), settings=settings)
    return all_matches(db)


def assert_in_step(db, model: str) -> None:
    index = read_index(db, model)
    count, top = vector_count(db, model)
    assert index is not None and (len(index), index.rows, index.max_rowid) == (count, count, top)
    ids = np.array([row[0] for row in db.execute("SELECT claim_id FROM embeddings WHERE model = ?", [model])])
    assert set(ids.tolist()) == set(index.ids().tolist())


@pytest.mark.model
def test_the_index_path_gives_the_results_of_exact_search_and_of_match_all(tmp_path, monkeypatch, real_embedder):
    """60 near-duplicates of six sources in two batches, through the index (forced on at this size):
    incremental results equal `match --all` through the index, and equal exact search."""
    exact = build(tmp_path / "exact.db", real_embedder)
    monkeypatch.setenv("WORKBENCH_INDEX", "always")
    db_path = tmp_path / "index.db"
    incremental = build(db_path, real_embedder)
    db = open_database(db_path)
    assert index_file(db, real_embedder.name).exists()
    assert_in_step(db, real_embedder.name)
    match_claims(db, real_embedder)
    full = all_matches(db)
    assert len(full) == 60 and all(len(ids) >= 5 for ids in full.values())
    assert incremental == full == exact


@pytest.mark.model
@pytest.mark.parametrize("damage", ["delete", "truncate", "garbage", "delete tail", "garbage tail"])
def test_a_deleted_or_damaged_index_is_rebuilt_and_never_gives_a_wrong_answer(tmp_path, monkeypatch, real_embedder,
                                                                             damage):
    exact = build(tmp_path / "exact.db", real_embedder, batches=((0, 2), (2, 3), (3, 4)))
    monkeypatch.setenv("WORKBENCH_INDEX", "always")
    db_path = tmp_path / "index.db"
    db = open_database(db_path)
    build(db_path, real_embedder, batches=((0, 2), (2, 3)))
    path = index_file(db, real_embedder.name)
    if damage.endswith("tail"):  # the second batch was appended beside the index file, not written into it
        path = path.with_suffix(".tail")
        assert path.exists()
    if damage.startswith("delete"):
        path.unlink()
    elif damage == "truncate":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    else:
        path.write_bytes(b"not an index" * 100)
    cluster_sources(db, range(3, 4))
    report = match_claims(db, real_embedder, pending_claim_ids(db, real_embedder.name))
    assert all_matches(db) == exact
    assert_in_step(db, real_embedder.name)
    if not damage.startswith("delete"):
        assert any("vector index" in notice for notice in report.notices)


ARTICLE = ("The harbour authority said {n} container ships waited outside the port of {place} on Tuesday. "
           "Dock workers in {place} began a {d}-day strike over pay and shift lengths. "
           "Officials expect the queue of ships to grow to {m} by the weekend.")
PLACES = ["Rotterdam", "Antwerp", "Hamburg", "Gdansk", "Genoa", "Valencia", "Piraeus", "Marseille"]


def write_articles(folder: Path, offset: int, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(offset, offset + count):
        path = folder / f"{i}.txt"
        path.write_text(ARTICLE.format(n=3 + i, place=PLACES[i % len(PLACES)], d=2 + i % 3, m=10 + i), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.mark.model
def test_two_processes_ingesting_into_one_database_keep_the_index_whole_and_in_step(tmp_path, real_embedder):
    """Two `workbench ingest` processes, each ingesting article after article into one claims.db with
    the index on: the index file is never damaged nor left behind claims.db."""
    db_path = tmp_path / "claims.db"
    open_database(db_path).conn.close()  # created first: the race under test is the index's, not the schema's
    env = {**os.environ, "WORKBENCH_INDEX": "always",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    script = ("import sys\nfrom workbench.cli import main\n"
              "for path in sys.argv[3:]:\n"
              "    main.main(['ingest', path, '--source', sys.argv[2], '--db', sys.argv[1]], standalone_mode=False)\n")
    workers = [subprocess.Popen([sys.executable, "-c", script, str(db_path), f"Outlet {tag}",
                                 *map(str, write_articles(tmp_path / tag, offset, 4))],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for tag, offset in (("a", 0), ("b", 4))]
    for worker in workers:
        _, err = worker.communicate(timeout=600)
        assert worker.returncode == 0, err
    db = open_database(db_path)
    assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 8
    assert_in_step(db, real_embedder.name)
    # Nothing half-written is left next to it.
    assert not [p for p in index_file(db, real_embedder.name).parent.iterdir() if p.suffix == ".tmp"]


@pytest.mark.model
def test_older_claims_beyond_the_indexs_reach_are_bounded_on_its_vectors_as_match_all_gives_them(
        tmp_path, monkeypatch, real_embedder):
    """With the index asked for only 5 neighbours, most older claims are beyond a new claim's reach: the
    index's own vectors bound them (VectorIndex.best_cosines) before any is read, and the results are
    still those of `match --all`."""
    from workbench.embedding import load_vectors
    from workbench.matching import batches, candidates
    from workbench.matching.index import VectorIndex

    monkeypatch.setenv("WORKBENCH_INDEX", "always")
    monkeypatch.setattr(batches, "CANDIDATES", 5)  # where a run reads its dense depth (batches.Plan)
    monkeypatch.setattr(candidates, "INDEX_DEPTH", 5)
    bounded: list[int] = []
    best_cosines = VectorIndex.best_cosines

    def recording(self, vectors, claim_ids):
        found = best_cosines(self, vectors, claim_ids)
        stored = {c: v for c, v in zip(*load_vectors(db, real_embedder.name, claim_ids))}
        assert np.allclose(found, [max(stored[c] @ vectors.T) for c in claim_ids], atol=1e-5)
        bounded.extend(claim_ids)
        return found

    monkeypatch.setattr(VectorIndex, "best_cosines", recording)
    db = open_database(tmp_path / "claims.db")
    incremental = build(tmp_path / "claims.db", real_embedder, batches=((0, 3), (3, 4), (4, 6)))
    assert bounded
    assert best_cosines(read_index(db, real_embedder.name), np.ones((1, 384), np.float32), [10**9])[0] == np.inf
    match_claims(db, real_embedder)
    assert incremental == all_matches(db)


@pytest.mark.model
def test_an_article_appends_its_vectors_beside_the_index_until_the_tail_is_full(tmp_path, monkeypatch,
                                                                                real_embedder):
    """The index file is not rewritten for a few new vectors: they go to `<model>.tail`, which every
    reader adds back, until TAIL_LIMIT of them are there; then the file is rewritten and the tail dropped."""
    from workbench.matching import index as vector_index

    monkeypatch.setenv("WORKBENCH_INDEX", "always")
    monkeypatch.setattr(vector_index, "TAIL_LIMIT", 15)
    db_path = tmp_path / "claims.db"
    db = open_database(db_path)
    build(db_path, real_embedder, batches=((0, 1),))
    path = index_file(db, real_embedder.name)
    tail = path.with_suffix(".tail")
    written = path.stat().st_mtime_ns
    build(db_path, real_embedder, batches=((1, 2),))
    assert path.stat().st_mtime_ns == written and tail.exists()
    assert_in_step(db, real_embedder.name)
    assert read_index(db, real_embedder.name).tail == 10
    incremental = build(db_path, real_embedder, batches=((2, 3),))  # 20 vectors beside it: over TAIL_LIMIT
    assert path.stat().st_mtime_ns != written and not tail.exists()
    assert_in_step(db, real_embedder.name)
    match_claims(db, real_embedder)
    assert incremental == all_matches(db)


@pytest.mark.model
def test_a_tail_longer_than_its_description_says_is_read_to_the_described_count(tmp_path, monkeypatch,
                                                                                 real_embedder):
    """A writer killed between replacing the tail and its description leaves vectors the description
    does not count; readers take only the counted ones, so the next sync adds no vector twice."""
    import json

    import numpy as np

    monkeypatch.setenv("WORKBENCH_INDEX", "always")
    db_path = tmp_path / "claims.db"
    db = open_database(db_path)
    build(db_path, real_embedder, batches=((0, 1),))
    build(db_path, real_embedder, batches=((1, 2),))
    tail = index_file(db, real_embedder.name).with_suffix(".tail")
    described = index_file(db, real_embedder.name).with_suffix(".json")
    about = json.loads(described.read_text())
    with open(tail, "rb") as handle:
        ids, vectors = np.load(handle), np.load(handle)
    with open(tail, "wb") as handle:  # the kill's leftover: the tail holds more than the description says
        np.save(handle, np.concatenate([ids, ids[:3]]))
        np.save(handle, np.vstack([vectors, vectors[:3]]))
    assert read_index(db, real_embedder.name).tail == about["tail"]
    build(db_path, real_embedder, batches=((2, 3),))
    held = read_index(db, real_embedder.name).ids()
    assert len(held) == len(set(held.tolist()))
    assert_in_step(db, real_embedder.name)


@pytest.mark.model
def test_the_next_run_in_a_process_takes_its_index_back_unless_the_files_changed(tmp_path, monkeypatch,
                                                                                  real_embedder):
    """A run hands its index back (keep_index); the next run in the same process takes it without
    reading the file, unless another writer (or damage) changed the files since."""
    from workbench.matching import index as vector_index

    monkeypatch.setenv("WORKBENCH_INDEX", "always")
    reads = []
    read = vector_index._read
    monkeypatch.setattr(vector_index, "_read", lambda folder, model: reads.append(folder) or read(folder, model))
    db_path = tmp_path / "claims.db"
    build(db_path, real_embedder, batches=((0, 1), (1, 2)))
    first = len(reads)
    build(db_path, real_embedder, batches=((2, 3),))
    assert len(reads) == first
    db = open_database(db_path)
    path = index_file(db, real_embedder.name)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))  # as if rewritten
    incremental = build(db_path, real_embedder, batches=((3, 4),))
    assert len(reads) > first
    assert_in_step(db, real_embedder.name)
    match_claims(db, real_embedder)
    assert incremental == all_matches(db)


def test_a_read_index_searches_its_tail_exactly_beside_the_graph(tmp_path, monkeypatch):
    """A reader keeps the appended tail beside the graph, not inserted into it (the first insertion costs
    faiss a copy of its arrays): searching both gives exact search's top-10, and each tail vector finds
    itself first with cosine 1; the bound on older claims reads tail vectors too."""
    from fakes import HashingEmbedder
    from workbench.embedding import load_vectors

    monkeypatch.setenv("WORKBENCH_INDEX", "always")
    embedder = HashingEmbedder()
    db_path = tmp_path / "claims.db"
    db = open_database(db_path)
    for batch in ((0, 3), (3, 4)):
        cluster_sources(db, range(*batch))
        match_claims(db, embedder, pending_claim_ids(db, embedder.name))
    index = read_index(db, embedder.name)
    assert index is not None and index.tail == 10 and index.inner.ntotal == 30
    assert_in_step(db, embedder.name)
    ids, matrix = load_vectors(db, embedder.name)
    row = {int(c): i for i, c in enumerate(ids)}
    for query in matrix:  # the cosines of exact search's top-10, each that of the claim it names (ties in any order)
        keys, cosines = index.search(query[None, :], 10)
        assert np.allclose(cosines[0], np.sort(matrix @ query)[::-1][:10], atol=1e-5)
        assert np.allclose(cosines[0], [matrix[row[int(c)]] @ query for c in keys[0]], atol=1e-5)
    for claim_id in index.tail_ids:
        query = matrix[ids.tolist().index(int(claim_id))]
        keys, cosines = index.search(query[None, :], 1)
        assert int(keys[0][0]) == int(claim_id) and cosines[0][0] == pytest.approx(1.0, abs=1e-5)
    bound = index.best_cosines(matrix[:2], ids.tolist())
    assert np.allclose(bound, (matrix @ matrix[:2].T).max(axis=1), atol=1e-5)


HOLDER = """import json, sys
import numpy as np
from workbench.db import open_database
from workbench.matching.index import read_index
db = open_database(sys.argv[1])
index = read_index(db, sys.argv[2])
print(json.dumps(index.ids().tolist()), flush=True)
sys.stdin.readline()  # meanwhile another process rewrites the file
queries = np.load(sys.argv[3])
keys, cosines = index.search(queries, 5)
print(json.dumps([keys.tolist(), cosines.tolist()]), flush=True)
"""


def test_a_process_holding_the_index_searches_it_whole_while_another_rewrites_the_file(tmp_path, monkeypatch):
    """One process reads the index and holds it; another ingests twice, folding its tail into the graph
    and rewriting the file whole (os.replace): the first still searches what it read (exact search's
    answers over the vectors it held), and the file on disk is the new one, in step with claims.db."""
    from fakes import HashingEmbedder
    from workbench.embedding import load_vectors
    from workbench.matching import index as vector_index

    monkeypatch.setenv("WORKBENCH_INDEX", "always")
    monkeypatch.setattr(vector_index, "TAIL_LIMIT", 0)  # every sync rewrites the file whole
    embedder = HashingEmbedder()
    db_path = tmp_path / "claims.db"
    db = open_database(db_path)
    cluster_sources(db, range(0, 3))
    match_claims(db, embedder, pending_claim_ids(db, embedder.name))
    ids, matrix = load_vectors(db, embedder.name)
    np.save(tmp_path / "queries.npy", matrix)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path), embedder.name,
                               str(tmp_path / "queries.npy")], env=env, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdin is not None
    held = json.loads(holder.stdout.readline())
    path = index_file(db, embedder.name)
    held_file = path.stat().st_ino
    for batch in ((3, 4), (4, 5)):
        cluster_sources(db, range(*batch))
        match_claims(db, embedder, pending_claim_ids(db, embedder.name))
    assert path.stat().st_ino != held_file and not path.with_suffix(".tail").exists()
    holder.stdin.write("search\n")
    holder.stdin.flush()
    out, err = holder.communicate(timeout=120)
    assert holder.returncode == 0, err
    assert sorted(held) == sorted(ids.tolist())
    keys, cosines = json.loads(out.splitlines()[0])
    assert np.allclose(cosines, -np.sort(-(matrix @ matrix.T), axis=1)[:, :5], atol=1e-5)  # ties in any order
    assert all(set(found) <= set(held) for found in keys)
    assert_in_step(db, embedder.name)
    assert len(read_index(db, embedder.name)) == 50
