"""Opening claims.db: refuse what is not ours, apply migrations, set the connection up for a desk.

The schema lives in the migrations below; every table is described where it is created.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from .errors import DatabaseError
from .vocab import EDITOR_DECISIONS, SOURCE_KINDS, VERDICT_ACTIONS, VERDICT_LABELS

migrations = Migrations("workbench")


@migrations()
def m001_sources_articles_claims(db: Database) -> None:
    kinds = ", ".join(f"'{k}'" for k in SOURCE_KINDS)
    db.execute(
        f"""
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL DEFAULT 'other' CHECK (kind IN ({kinds})),
            url TEXT
        )"""
    )
    # content_hash is the sha256 of the article text: the same text is never stored twice.
    db.execute(
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id),
            title TEXT,
            url TEXT,
            published TEXT,
            text TEXT NOT NULL,
            content_hash TEXT NOT NULL UNIQUE,
            origin TEXT,
            ingested_at TEXT NOT NULL
        )"""
    )
    # A claim is a span of its article: articles.text[span_start:span_end] == claims.text.
    # source_id is copied from the article so that matching can exclude a source cheaply.
    # context holds neighbouring text that helps retrieval (e.g. the previous sentence of a
    # transcript); it is embedded with the claim but never shown as the claim.
    db.execute(
        """
        CREATE TABLE claims (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            source_id INTEGER NOT NULL REFERENCES sources(id),
            position INTEGER NOT NULL,
            span_start INTEGER NOT NULL,
            span_end INTEGER NOT NULL,
            text TEXT NOT NULL,
            claimant TEXT,
            worthiness REAL NOT NULL DEFAULT 0,
            features TEXT NOT NULL DEFAULT '{}',
            context TEXT,
            external_id TEXT,
            rating TEXT,
            CHECK (span_end > span_start)
        )"""
    )
    db.execute("CREATE INDEX claims_article ON claims(article_id, position)")
    db.execute("CREATE INDEX claims_source ON claims(source_id)")
    db.execute("CREATE INDEX claims_external ON claims(external_id)")


@migrations()
def m002_embeddings_matches(db: Database) -> None:
    # Vectors are little-endian float32 blobs; content_hash says which text they embed, so an
    # unchanged claim is never embedded twice for the same model.
    db.execute(
        """
        CREATE TABLE embeddings (
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            model TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            dimensions INTEGER NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (claim_id, model)
        )"""
    )
    # Matches are derived data (recomputed by `workbench match`), unlike verdicts.
    db.execute(
        """
        CREATE TABLE matches (
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            other_claim_id INTEGER NOT NULL REFERENCES claims(id),
            rank INTEGER NOT NULL,
            score REAL NOT NULL,
            method TEXT NOT NULL,
            dense_score REAL,
            lexical_score REAL,
            rerank_score REAL,
            model TEXT,
            matched_at TEXT NOT NULL,
            PRIMARY KEY (claim_id, other_claim_id)
        )"""
    )
    db.execute("CREATE INDEX matches_rank ON matches(claim_id, rank)")
    db.execute("CREATE INDEX matches_other ON matches(other_claim_id)")


@migrations()
def m003_verdicts(db: Database) -> None:
    labels = ", ".join(f"'{label}'" for label in VERDICT_LABELS)
    actions = ", ".join(f"'{action}'" for action in VERDICT_ACTIONS)
    # Append-only history. action is 'mark' (label set), 'clear' (label NULL) or 'undo'
    # (restores the label before the row named by `undoes`). The current verdict of a claim is its latest row.
    # evidence and settings are JSON: the matched claims / urls that decided it and the model and
    # matching settings in force.
    db.execute(
        f"""
        CREATE TABLE verdicts (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            label TEXT CHECK (label IS NULL OR label IN ({labels})),
            action TEXT NOT NULL DEFAULT 'mark' CHECK (action IN ({actions})),
            reviewer TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            evidence TEXT NOT NULL DEFAULT '[]',
            settings TEXT NOT NULL DEFAULT '{{}}',
            undoes INTEGER REFERENCES verdicts(id)
        )"""
    )
    db.execute("CREATE INDEX verdicts_claim ON verdicts(claim_id, id)")
    # The history is enforced by the database itself, not only by the code that writes it.
    db.execute(
        """CREATE TRIGGER verdicts_no_update BEFORE UPDATE ON verdicts
           BEGIN SELECT RAISE(ABORT, 'verdict history is append-only'); END"""
    )
    db.execute(
        """CREATE TRIGGER verdicts_no_delete BEFORE DELETE ON verdicts
           BEGIN SELECT RAISE(ABORT, 'verdict history is append-only'); END"""
    )


@migrations()
def m004_editor_decisions(db: Database) -> None:
    # An editor's answer to one verdict, imported from an exported CSV. row_hash makes a second
    # import of the same file a no-op.
    decisions = ", ".join(f"'{decision}'" for decision in EDITOR_DECISIONS)
    db.execute(
        f"""
        CREATE TABLE editor_decisions (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            verdict_id INTEGER REFERENCES verdicts(id),
            decision TEXT NOT NULL CHECK (decision IN ({decisions})),
            note TEXT NOT NULL DEFAULT '',
            editor TEXT,
            decided_at TEXT NOT NULL,
            origin TEXT,
            row_hash TEXT NOT NULL UNIQUE
        )"""
    )
    db.execute("CREATE INDEX editor_decisions_claim ON editor_decisions(claim_id, id)")


@migrations()
def m005_claims_fts(db: Database) -> None:
    # Lexical retrieval and the TUI's full-text search both read this index.
    db.execute(
        """CREATE VIRTUAL TABLE claims_fts USING fts5(
               text, content='claims', content_rowid='id', tokenize='porter unicode61')"""
    )
    db.execute(
        """CREATE TRIGGER claims_fts_ai AFTER INSERT ON claims BEGIN
               INSERT INTO claims_fts(rowid, text) VALUES (new.id, new.text); END"""
    )
    db.execute(
        """CREATE TRIGGER claims_fts_ad AFTER DELETE ON claims BEGIN
               INSERT INTO claims_fts(claims_fts, rowid, text) VALUES ('delete', old.id, old.text); END"""
    )
    db.execute(
        """CREATE TRIGGER claims_fts_au AFTER UPDATE OF text ON claims BEGIN
               INSERT INTO claims_fts(claims_fts, rowid, text) VALUES ('delete', old.id, old.text);
               INSERT INTO claims_fts(rowid, text) VALUES (new.id, new.text); END"""
    )


@migrations()
def m006_matching(db: Database) -> None:
    # Lexical retrieval reads the claim's text and its context (a fact-check's headline, the previous
    # sentence of a transcript); claims_fts stays text-only for the desk's search box.
    db.execute(
        """CREATE VIRTUAL TABLE claims_lexical USING fts5(
               text, context, content='claims', content_rowid='id', tokenize='porter unicode61')"""
    )
    db.execute(
        """CREATE TRIGGER claims_lexical_ai AFTER INSERT ON claims BEGIN
               INSERT INTO claims_lexical(rowid, text, context) VALUES (new.id, new.text, new.context); END"""
    )
    db.execute(
        """CREATE TRIGGER claims_lexical_ad AFTER DELETE ON claims BEGIN
               INSERT INTO claims_lexical(claims_lexical, rowid, text, context)
               VALUES ('delete', old.id, old.text, old.context); END"""
    )
    db.execute(
        """CREATE TRIGGER claims_lexical_au AFTER UPDATE OF text, context ON claims BEGIN
               INSERT INTO claims_lexical(claims_lexical, rowid, text, context)
               VALUES ('delete', old.id, old.text, old.context);
               INSERT INTO claims_lexical(rowid, text, context) VALUES (new.id, new.text, new.context); END"""
    )
    db.execute("INSERT INTO claims_lexical(claims_lexical) VALUES ('rebuild')")
    # Which claims have been matched under which model (and with what settings): a claim with no
    # match at all (nothing from another source yet) is still "matched", so this cannot live in matches.
    db.execute(
        """
        CREATE TABLE match_runs (
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            model TEXT NOT NULL,
            settings TEXT NOT NULL DEFAULT '{}',
            matched_at TEXT NOT NULL,
            PRIMARY KEY (claim_id, model)
        )"""
    )


@migrations()
def m007_current_verdict_views(db: Database) -> None:
    # Each reviewer's own state of a claim is their latest row (label NULL after a clear or an undo
    # back to nothing). The claim's current verdict is the most recent labelled state among its
    # reviewers, so one reviewer clearing or undoing never hides another reviewer's verdict; a claim
    # whose every state is NULL is pending. Every module reads these views instead of re-deriving them.
    db.execute(
        """CREATE VIEW reviewer_verdicts AS
           SELECT v.* FROM verdicts v
           JOIN (SELECT claim_id, reviewer, MAX(id) AS id FROM verdicts GROUP BY claim_id, reviewer) latest
             ON latest.id = v.id"""
    )
    db.execute(
        """CREATE VIEW current_verdicts AS
           SELECT v.* FROM verdicts v
           JOIN (SELECT claim_id,
                        COALESCE(MAX(CASE WHEN label IS NOT NULL THEN id END), MAX(id)) AS id
                 FROM reviewer_verdicts GROUP BY claim_id) chosen
             ON chosen.id = v.id"""
    )


@migrations()
def m008_match_settings(db: Database) -> None:
    # The settings of the last explicit `workbench match` per model, used by every later match that
    # names none (ingest, the desk), so older claims are never re-matched with other settings.
    db.execute(
        """CREATE TABLE match_settings (
               model TEXT PRIMARY KEY,
               settings TEXT NOT NULL,
               saved_at TEXT NOT NULL
           )"""
    )
    # The score (in the run's own scale: fused, cosine or bm25) a newcomer must reach to enter a claim's
    # matches; NULL when any newcomer would. Incremental matching compares new claims against it.
    db.execute("ALTER TABLE match_runs ADD COLUMN entry_score REAL")
    # A claim's matches are those of its last run, whatever the model: keep only that run's record.
    db.execute(
        """DELETE FROM match_runs WHERE rowid NOT IN (
               SELECT (SELECT r2.rowid FROM match_runs r2 WHERE r2.claim_id = r.claim_id
                       ORDER BY r2.matched_at DESC, r2.rowid DESC LIMIT 1)
               FROM match_runs r GROUP BY r.claim_id)"""
    )


@migrations()
def m013_match_relation(db: Database) -> None:
    # What a match is to its claim (relation.py): supports, conflicts or related, computed when the
    # matches are written; NULL for matches written before. The desk's conflicts-first queue reads it.
    db.execute("ALTER TABLE matches ADD COLUMN relation TEXT CHECK (relation IN ('supports', 'conflicts', 'related'))")
    # The match this one is a copy of (the same story from another outlet, a repeated headline): the
    # evidence shows one row per independent source and folds its copies under it (matching/copies.py).
    db.execute("ALTER TABLE matches ADD COLUMN copy_of INTEGER")

def timestamp() -> str:
    """Now, in UTC, as every table stores it (ISO 8601 to the second)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


SQLITE_MAGIC = b"SQLite format 3\x00"


def _refuse_foreign_file(path: Path) -> None:
    """A file that exists but is not SQLite is somebody else's: never open (and so overwrite) it."""
    if not path.exists():
        return
    if path.is_dir():
        raise DatabaseError("is a directory, not a database; pass a file path with --db", path=str(path))
    if path.stat().st_size == 0:
        return  # an empty file is what sqlite3 itself creates; it holds nothing to lose
    with path.open("rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            raise DatabaseError(
                "is not a SQLite database; refusing to touch it (choose another path with --db)",
                path=str(path),
            )


def open_database(path: str | Path, *, migrate: bool = True) -> Database:
    """Open (creating if needed) claims.db with WAL, foreign keys and a busy timeout."""
    path = Path(path)
    _refuse_foreign_file(path)
    if not path.exists() and not path.parent.exists():
        raise DatabaseError("its folder does not exist; create it or choose another --db", path=str(path))
    try:
        conn = sqlite3.connect(str(path), timeout=10, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 10000")
        db = Database(conn)
        if db.journal_mode != "wal":
            db.enable_wal()
        if migrate:
            migrations.apply(db)
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"cannot open the database ({error}); check the path and its permissions",
                            path=str(path)) from error
    return db


def memory_database() -> Database:
    """A migrated in-memory database, for evaluation runs and fast tests."""
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    db = Database(conn)
    migrations.apply(db)
    return db
