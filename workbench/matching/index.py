"""The approximate nearest-neighbour index over a model's stored vectors (faiss HNSW), derived from claims.db.

Exact search (a matrix product over every stored vector) is used while it is fast: up to EXACT_LIMIT
vectors. Beyond that a faiss HNSW index answers the top-N, so a match run never loads every vector.

The index is derived data, never the record and never required for correctness:
- where: next to the database, `claims.db.index/<model>.faiss`, with `<model>.json` saying what it
  holds (`rows`, and `max_rowid`: the highest embeddings rowid it has seen). An in-memory database
  keeps its index in memory for the life of the connection.
- in step: `sync` adds the vectors stored since `max_rowid` (every match run, ingest included, opens
  it right after embedding). Rewriting the whole file costs about 0.5 s at 100k vectors, so the few
  vectors one article adds are appended beside it instead (`<model>.tail`, ids and vectors) until
  TAIL_LIMIT of them have gathered; then the file is rewritten whole with them in the graph;
  a count that does not match the embeddings table (a vector deleted, a file from another database)
  rebuilds it from claims.db; a missing file is rebuilt.
- reading: inserting the first vectors into a graph read from its file costs 0.09 s at 100k vectors on
  an idle machine, 0.4-0.7 s on a loaded one (faiss grows its arrays), so the tail is never inserted on
  load, nor are the vectors stored since: they are held beside the graph and searched exactly with it
  (at most TAIL_LIMIT vectors, one matrix product), which is what the graph would answer for them, only
  exact. (Memory-mapping the file, faiss IO_FLAG_MMAP_IFC, reads it in 20 ms instead of 0.16 s, but the
  first product over the mapped vectors, the bound on older claims, then costs 0.13-0.4 s more: the first
  article of a process was slower.)
- concurrency: writers hold an exclusive lock on `<model>.lock`, re-read what is on disk, catch up and
  write the index and then its description each to a temporary file moved over the old one
  (os.replace), so a reader sees whole files only. A reader that loads an index newer than its
  description adds nothing twice (keys already held are skipped) and checks the count at the end.
- failure: anything that goes wrong reading or updating it (a truncated file, a missing library) makes
  `open_index` return None with a notice, and the caller searches exactly: slower, never wrong.

`WORKBENCH_INDEX=always|never|auto` (default auto) forces the index on (tests, the evaluation of the
index path on a small collection) or off.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from sqlite_utils import Database

from ..db import database_file, query_rows
from ..embedding import blob_to_vector

# Below this many vectors a matrix product is as fast as the index and exact (docs/matching.md).
EXACT_LIMIT = 30_000
# HNSW settings, chosen on a synthetic 50k corpus (docs/matching.md, "Why this index").
CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 128
ADD_BATCH = 50_000  # vectors read from claims.db at a time while building
# Vectors appended beside the index file before it is rewritten whole: each search scores them exactly
# (a matrix product over at most this many), each rewrite costs about 0.5 s.
TAIL_LIMIT = 500

_MEMORY: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # in-memory databases' indexes
# Indexes handed back by the run that used them (keep_index), by (folder, model): the next run in this
# process takes one (so no two runs share it) when the files on disk are still those it matches.
_KEPT: dict[tuple[str, str], "VectorIndex"] = {}
KEPT_AT_MOST = 2


def mode() -> str:
    value = os.environ.get("WORKBENCH_INDEX", "auto").strip().lower()
    return value if value in ("always", "never") else "auto"


def vector_count(db: Database, model: str) -> tuple[int, int]:
    """(how many vectors `model` has, the highest embeddings rowid among them): one indexed query."""
    count, top = db.execute("SELECT COUNT(*), MAX(rowid) FROM embeddings WHERE model = ?", [model]).fetchone()
    return int(count), int(top or 0)


def wanted(db: Database, model: str) -> bool:
    """Whether this collection is searched through the index (by size, unless WORKBENCH_INDEX says)."""
    if mode() != "auto":
        return mode() == "always"
    return vector_count(db, model)[0] > EXACT_LIMIT


def index_dir(db: Database) -> Path | None:
    """`claims.db.index/` next to the database file; None for an in-memory database."""
    path = database_file(db)
    return Path(f"{path}.index") if path else None


def _slug(model: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", model)[:120]


class VectorIndex:
    """A model's vectors in a faiss HNSW index, keyed by claim id (inner product of L2-normalised vectors),
    and its tail: vectors held beside the graph (as on disk, `<model>.tail`), searched exactly."""

    def __init__(self, inner, rows: int, max_rowid: int):
        self.inner = inner
        self.rows = rows
        self.max_rowid = max_rowid
        self.tail_ids = np.zeros(0, dtype=np.int64)
        self.tail_vectors = np.zeros((0, int(inner.d)), dtype=np.float32)
        self.about: dict | None = None  # the description it was read with
        self.stamp: tuple | None = None  # the files on disk it matches (_stamp)

    @property
    def tail(self) -> int:
        """How many vectors are held beside the graph, not in it."""
        return len(self.tail_ids)

    @classmethod
    def empty(cls, dimensions: int) -> "VectorIndex":
        import faiss  # only once a collection is large enough to want it (start-up speed)

        graph = faiss.IndexHNSWFlat(dimensions, CONNECTIVITY, faiss.METRIC_INNER_PRODUCT)
        graph.hnsw.efConstruction = EXPANSION_ADD
        return cls(faiss.IndexIDMap2(graph), 0, 0)

    def __len__(self) -> int:
        return int(self.inner.ntotal) + self.tail

    def graph_ids(self) -> np.ndarray:
        import faiss  # see empty()

        return faiss.vector_to_array(self.inner.id_map).astype(np.int64)

    def ids(self) -> np.ndarray:
        return np.concatenate([self.graph_ids(), self.tail_ids])

    def _new(self, ids: np.ndarray, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if len(ids) and len(self):
            held = np.isin(ids, self.ids())  # a reader that loaded an index newer than its description
            ids, vectors = ids[~held], vectors[~held]
        return ids.astype(np.int64), np.ascontiguousarray(vectors, dtype=np.float32)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Into the graph (building it, or writing it whole)."""
        ids, vectors = self._new(ids, vectors)
        if len(ids):
            self.inner.add_with_ids(vectors, ids)

    def extend(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Into the tail, beside the graph."""
        ids, vectors = self._new(ids, vectors)
        if len(ids):
            self.tail_ids = np.concatenate([self.tail_ids, ids])
            self.tail_vectors = np.vstack([self.tail_vectors, vectors])

    def best_cosines(self, vectors: np.ndarray, claim_ids: Sequence[int]) -> np.ndarray:
        """Each claim's highest cosine with any of `vectors` (+inf for a claim the index does not hold):
        one matrix product over the vectors the index keeps in memory, no claim read from claims.db."""
        import faiss  # see empty()

        ids = self.graph_ids()
        graph = faiss.downcast_index(self.inner.index)  # the IndexHNSWFlat; its flat storage holds the vectors
        storage = faiss.downcast_index(getattr(graph, "storage"))
        stored = faiss.rev_swig_ptr(getattr(storage, "get_xb")(), len(ids) * storage.d).reshape(len(ids), storage.d)
        best = np.full(len(claim_ids), np.inf, dtype=np.float32)
        if not len(claim_ids):
            return best
        wanted = np.asarray(claim_ids, dtype=np.int64)
        queries = np.ascontiguousarray(vectors, dtype=np.float32).T
        for held_ids, held_vectors in ((ids, stored), (self.tail_ids, self.tail_vectors)):
            if not len(held_ids):
                continue
            order = np.argsort(held_ids)
            at = np.minimum(np.searchsorted(held_ids, wanted, sorter=order), len(held_ids) - 1)
            held = held_ids[order[at]] == wanted
            rows = order[at[held]]
            if len(rows) * 4 > len(held_ids):  # most of them: one product over all beats copying the rows out
                best[held] = (held_vectors @ queries).max(axis=1)[rows]
            else:
                best[held] = (held_vectors[rows] @ queries).max(axis=1)
        return best

    def search(self, vectors: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
        """(claim ids, cosines) of the `count` nearest of each query vector, best first (rows padded with -1)."""
        import faiss  # see empty()

        count = max(1, min(count, len(self)))
        queries = np.ascontiguousarray(vectors, dtype=np.float32)
        keys = np.full((len(queries), 0), -1, dtype=np.int64)
        cosines = np.zeros((len(queries), 0), dtype=np.float32)
        if self.inner.ntotal:
            graph = faiss.downcast_index(self.inner.index)  # the IndexHNSWFlat (its stub says Index)
            getattr(graph, "hnsw").efSearch = max(EXPANSION_SEARCH, count)
            # One thread: OpenMP's hand-offs cost more than a query (27 ms median on a loaded 2-core
            # machine against 0.2 ms in one thread); building keeps every core.
            threads = faiss.omp_get_max_threads()
            faiss.omp_set_num_threads(1)
            try:
                cosines, keys = self.inner.search(queries, min(count, int(self.inner.ntotal)))
            finally:
                faiss.omp_set_num_threads(threads)
            keys = np.asarray(keys, dtype=np.int64)
            cosines = np.where(keys >= 0, cosines, -np.inf).astype(np.float32)
        if self.tail:  # exact over the tail, merged: a stable sort keeps the graph's order among equals
            keys = np.hstack([keys, np.broadcast_to(self.tail_ids, (len(queries), self.tail))])
            cosines = np.hstack([cosines, (queries @ self.tail_vectors.T).astype(np.float32)])
            order = np.argsort(-cosines, axis=1, kind="stable")[:, :count]
            keys, cosines = np.take_along_axis(keys, order, axis=1), np.take_along_axis(cosines, order, axis=1)
        return keys, cosines


def _catch_up(db: Database, model: str, index: VectorIndex | None) -> VectorIndex | None:
    """The index with every vector stored since it was written; rebuilt when the count disagrees."""
    count, top = vector_count(db, model)
    if index is not None and index.max_rowid == top and index.rows == count == len(index):
        return index
    for attempt in range(2):
        built = index is None or attempt > 0
        if built:
            if not count:
                return None
            dims = db.execute("SELECT dimensions FROM embeddings WHERE model = ? LIMIT 1", [model]).fetchone()[0]
            index = VectorIndex.empty(int(dims))
        assert index is not None
        since = index.max_rowid
        for ids, vectors, last in _vectors_since(db, model, since, top):
            if built:
                index.add(ids, vectors)
            else:  # a few vectors join the tail (inserting into a graph costs 0.4-0.7 s the first time at 100k)
                index.extend(ids, vectors)
            index.max_rowid = last
        index.max_rowid, index.rows = top, count
        if len(index) == count:
            return index
    raise ValueError(f"the rebuilt index holds {len(index) if index is not None else 0} vectors, claims.db {count}")


def _vectors_since(db: Database, model: str, since: int, top: int) -> Iterator[tuple[np.ndarray, np.ndarray, int]]:
    """The vectors with embeddings rowid in (since, top], ADD_BATCH at a time (rowid order: resumable)."""
    while since < top:
        rows = query_rows(db, """SELECT rowid AS position, claim_id, vector FROM embeddings
                                 WHERE model = ? AND rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?""",
                          [model, since, top, ADD_BATCH])
        if not rows:
            return
        ids = np.fromiter((row["claim_id"] for row in rows), dtype=np.int64, count=len(rows))
        yield ids, np.vstack([blob_to_vector(row["vector"]) for row in rows]), int(rows[-1]["position"])
        since = int(rows[-1]["position"])


@contextmanager
def _locked(folder: Path, model: str) -> Iterator[None]:
    folder.mkdir(exist_ok=True)
    with open(folder / f"{_slug(model)}.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def index_file(db: Database, model: str) -> Path | None:
    """Where the index of `model` is kept (None for an in-memory database)."""
    folder = index_dir(db)
    return folder / f"{_slug(model)}.faiss" if folder is not None else None


def read_index(db: Database, model: str) -> VectorIndex | None:
    """The index as stored on disk, without catching up (None when there is none); raises on a damaged file."""
    folder = index_dir(db)
    return _read(folder, model) if folder is not None else None


def _read(folder: Path, model: str) -> VectorIndex | None:
    """The index on disk with its appended tail, or None when there is none; raises on a damaged file."""
    import faiss  # only for a large collection (start-up speed)

    described = folder / f"{_slug(model)}.json"
    path = folder / f"{_slug(model)}.faiss"
    if not described.exists() or not path.exists():
        return None
    about = json.loads(described.read_text())  # read first: the files are replaced before it
    index = VectorIndex(faiss.read_index(str(path)), int(about["rows"]), int(about["max_rowid"]))
    tail = folder / f"{_slug(model)}.tail"
    # A tail gone (deleted, or dropped by a writer since the description was read) leaves the index
    # short of its count: the caller catches up under the lock, or rebuilds.
    if about.get("tail") and tail.exists():
        with open(tail, "rb") as handle:
            ids, vectors = np.load(handle), np.load(handle)
        # Only the vectors the description counts: a writer killed between replacing the tail and the
        # description leaves more, which the next sync appends again from the description's rowid.
        held = int(about["tail"])
        index.extend(ids[:held], vectors[:held])
    index.about = about
    return index


def _describe(folder: Path, model: str, index: VectorIndex) -> None:
    described = folder / f"{_slug(model)}.json"
    temporary = described.with_suffix(f".json.{os.getpid()}.tmp")
    index.about = {"rows": index.rows, "max_rowid": index.max_rowid, "model": model, "tail": index.tail}
    temporary.write_text(json.dumps(index.about))
    os.replace(temporary, described)


def _whole(db: Database, model: str, index: VectorIndex) -> VectorIndex:
    """The index with its tail inserted into the graph, to be written whole (rebuilt from claims.db should
    that not give the same vectors)."""
    if not index.tail:
        return index
    expected = np.sort(index.ids())
    tail_ids, tail_vectors = index.tail_ids, index.tail_vectors
    index.tail_ids, index.tail_vectors = tail_ids[:0], tail_vectors[:0]
    index.add(tail_ids, tail_vectors)
    if np.array_equal(np.sort(index.ids()), expected):
        return index
    rebuilt = _catch_up(db, model, None)
    assert rebuilt is not None
    return rebuilt


def _write(folder: Path, model: str, index: VectorIndex) -> None:
    """The whole index (its tail inserted into the graph: _whole), then its description; the tail file is dropped."""
    import faiss  # see _read

    path = folder / f"{_slug(model)}.faiss"
    temporary = path.with_suffix(f".faiss.{os.getpid()}.tmp")
    faiss.write_index(index.inner, str(temporary))
    os.replace(temporary, path)
    _describe(folder, model, index)
    (folder / f"{_slug(model)}.tail").unlink(missing_ok=True)


def _append(folder: Path, model: str, index: VectorIndex) -> None:
    """The tail (the vectors read with the index and those stored since) is written beside the index
    file, then the description says so (the index file itself is not rewritten)."""
    tail = folder / f"{_slug(model)}.tail"
    temporary = tail.with_suffix(f".tail.{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        np.save(handle, index.tail_ids)
        np.save(handle, index.tail_vectors.astype(np.float32))
    os.replace(temporary, tail)
    _describe(folder, model, index)


def sync(db: Database, model: str, known: VectorIndex | None = None) -> VectorIndex | None:
    """Bring the index of `model` in step with claims.db (adding the vectors stored since) and save it.

    `known`: the index as the caller just read it, used when the description on disk has not changed
    since (no second read). Raises on failure; `open_index` is the caller that turns a failure into
    exact search.
    """
    folder = index_dir(db)
    if folder is None:
        index = _catch_up(db, model, _MEMORY.get(db, {}).get(model))
        _MEMORY.setdefault(db, {})[model] = index
        return index
    with _locked(folder, model):
        try:
            described = folder / f"{_slug(model)}.json"
            current = json.loads(described.read_text()) if described.exists() else None
            on_disk = known if known is not None and known.about == current else _read(folder, model)
        except Exception:
            on_disk = None  # damaged: rebuilt from claims.db below
        before = (on_disk.rows, on_disk.max_rowid, on_disk.tail) if on_disk is not None else None
        index = _catch_up(db, model, on_disk)
        if index is None or (index is on_disk and before == (index.rows, index.max_rowid, index.tail)):
            return index
        if on_disk is not None and index is on_disk and before is not None and index.rows > before[0] \
                and index.tail <= TAIL_LIMIT:
            _append(folder, model, index)
        else:
            index = _whole(db, model, index)
            _write(folder, model, index)
        index.stamp = _stamp(folder, model)
        return index


def _stamp(folder: Path, model: str) -> tuple | None:
    """What is on disk now: the description, and which index file and tail (inode, size, time)."""
    try:
        parts: list = [(folder / f"{_slug(model)}.json").read_text()]
        for path in (folder / f"{_slug(model)}.faiss", folder / f"{_slug(model)}.tail"):
            found = path.stat() if path.exists() else None
            parts.append((found.st_ino, found.st_size, found.st_mtime_ns) if found else None)
    except OSError:
        return None
    return tuple(parts)


def keep_index(db: Database, model: str, index: VectorIndex | None) -> None:
    """Hand an index back when its run is done, for the next run in this process (no re-read: about
    0.35 s at 100k vectors, the file read and the first vector added after it)."""
    folder = index_dir(db)
    if folder is None or index is None or index.stamp is None:
        return
    _KEPT[(str(folder), model)] = index
    while len(_KEPT) > KEPT_AT_MOST:
        _KEPT.pop(next(iter(_KEPT)))


def open_index(db: Database, model: str, notices: list[str]) -> VectorIndex | None:
    """The index to search, in step with claims.db, or None (exact search) with a notice on failure."""
    try:
        folder = index_dir(db)
        if folder is not None:
            kept = _KEPT.pop((str(folder), model), None)
            stamp = _stamp(folder, model)
            try:
                index = kept if kept is not None and stamp is not None and kept.stamp == stamp else _read(folder, model)
            except Exception as error:
                notices.append(f"the vector index in {folder} could not be read ({type(error).__name__}); "
                               "rebuilding it")
                index = None
            if index is not None and index is not kept:
                index.stamp = stamp  # taken before the read: a file replaced since reads as changed
            count, top = vector_count(db, model)
            if index is not None and index.max_rowid == top and index.rows == count == len(index):
                return index
            return sync(db, model, index)
        return sync(db, model)
    except Exception as error:  # derived data: any failure means exact search, never a wrong answer
        notices.append(f"the vector index could not be used ({type(error).__name__}: {error}); searching exactly")
        return None


def nearest(index: VectorIndex, vectors: np.ndarray, count: int) -> Sequence[tuple[np.ndarray, np.ndarray]]:
    keys, cosines = index.search(vectors, count)
    return [(keys[i][keys[i] >= 0], cosines[i][keys[i] >= 0]) for i in range(len(vectors))]
