"""The schema of claims.db: one migration per change, applied in order when the database opens.

Every table, view and trigger is described where it is created. A migration that has run on a
user's database is never edited: a change is a new migration (vocab.py says which of its words the
CHECK constraints were built from).
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from . import integrity
from .vocab import EDITOR_DECISIONS, SOURCE_KINDS, VERDICT_ACTIONS, VERDICT_LABELS

migrations = Migrations("workbench")


def known_migrations() -> set[str]:
    """The names of the migrations this version knows (a database with others is from a newer one)."""
    # sqlite-utils keeps the registered migrations here and offers no public list of them.
    return {m.name for m in migrations._migrations}


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
def m009_history_chain(db: Database) -> None:
    # Tamper evidence: each verdict and editor decision carries a SHA-256 over its content and the
    # previous row's chain_hash (workbench/integrity.py), back-filled here in id order. The
    # append-only trigger is lifted for the back-fill only, inside this migration's transaction.
    db.execute("DROP TRIGGER IF EXISTS verdicts_no_update")
    for table in integrity.CHAINED_TABLES:
        db.execute(f"ALTER TABLE {table} ADD COLUMN chain_hash TEXT")
        integrity.backfill(db, table)
    # Editor decisions are a record too: append-only like the verdicts.
    for name, sql in APPEND_ONLY_TRIGGERS.items():
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
        db.execute(sql)


def _append_only(table: str, action: str) -> str:
    what = "verdict history" if table == "verdicts" else "editor decisions"
    return (f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{what} is append-only'); END")


# The database's own guard of the record; recreated whenever one is found missing on open.
APPEND_ONLY_TRIGGERS = {
    f"{table}_no_{action.lower()}": _append_only(table, action)
    for table in integrity.CHAINED_TABLES for action in ("UPDATE", "DELETE")
}


@migrations()
def m010_editor_sign_off_and_drafts(db: Database) -> None:
    # The one rule for "the editor signed off (or returned) this verdict": a claim's latest editor
    # decision applies only to the exact verdict row it names, and only while that row is the claim's
    # current verdict. The desk, the exports and stats read `on_current_verdict` instead of comparing ids.
    db.execute(
        """CREATE VIEW current_editor_decisions AS
           SELECT d.*, (c.id IS NOT NULL AND c.label IS NOT NULL AND d.verdict_id = c.id) AS on_current_verdict
           FROM editor_decisions d
           JOIN (SELECT claim_id, MAX(id) AS id FROM editor_decisions GROUP BY claim_id) latest
             ON latest.id = d.id
           LEFT JOIN current_verdicts c ON c.claim_id = d.claim_id"""
    )
    # What a reviewer has typed or chosen for a claim but not yet recorded with a verdict key, so
    # nothing is lost on quit, crash or a locked database. NULL note / evidence: the recorded one stands.
    # evidence is a JSON list of claim ids. Recording the verdict deletes the row in the same transaction.
    db.execute(
        """CREATE TABLE drafts (
               claim_id INTEGER NOT NULL REFERENCES claims(id),
               reviewer TEXT NOT NULL,
               note TEXT,
               evidence TEXT,
               updated_at TEXT NOT NULL,
               PRIMARY KEY (claim_id, reviewer)
           )"""
    )


@migrations()
def m011_article_furniture(db: Database) -> None:
    # The page furniture the splitter kept out of the claims (headline, captions, credits, prompts ...):
    # a JSON list of {"start", "end", "kind"} spans of articles.text, shown dimmed on the desk and never
    # queued. NULL for articles stored before the splitter knew furniture.
    db.execute("ALTER TABLE articles ADD COLUMN furniture TEXT")


@migrations()
def m012_claimant_key(db: Database) -> None:
    # One key per person or body across articles ("Zelenskyy", "Zelensky" -> "zelensky"), so the desk can
    # group and filter by who said it; claimant_keys.py says how. Existing claims get theirs here.
    # Start-up speed: claimant.py's patterns are compiled only by the one run of this migration.
    from .claimant_keys import claimant_key

    db.execute("ALTER TABLE claims ADD COLUMN claimant_key TEXT")
    db.execute("CREATE INDEX claims_claimant_key ON claims(claimant_key)")
    rows = db.execute("SELECT id, claimant FROM claims WHERE claimant IS NOT NULL").fetchall()
    db.conn.executemany("UPDATE claims SET claimant_key = ? WHERE id = ?",
                        [(claimant_key(claimant), claim_id) for claim_id, claimant in rows])


@migrations()
def m013_match_relation(db: Database) -> None:
    # What a match is to its claim (relation.py): supports, conflicts or related, computed when the
    # matches are written; NULL for matches written before. The desk's conflicts-first queue reads it.
    db.execute("ALTER TABLE matches ADD COLUMN relation TEXT CHECK (relation IN ('supports', 'conflicts', 'related'))")
    # The match this one is a copy of (the same story from another outlet, a repeated headline): the
    # evidence shows one row per independent source and folds its copies under it (matching/copies.py).
    db.execute("ALTER TABLE matches ADD COLUMN copy_of INTEGER")


@migrations()
def m014_desk_claims_by_worth_and_current_views(db: Database) -> None:
    # The desk's queue pages through claims most check-worthy first (review_queue.filter_claims): with
    # this index a page of 200 is read in index order instead of sorting every claim per key press.
    db.execute("CREATE INDEX claims_by_worth ON claims(worthiness DESC, article_id, position)")
    # The same two rules as m007, written so that SQLite can look a claim up: m007's GROUP BY
    # subqueries were computed over the whole history for every look-up (the desk asks for one
    # article's claims on every key; with 10,000 verdicts that took 130 ms, and 11 s for a page of
    # the article list). Each reviewer's state of a claim: their latest row. The claim's current
    # verdict: the most recent labelled state among its reviewers, else the most recent state.
    db.execute("DROP VIEW current_verdicts")
    db.execute("DROP VIEW reviewer_verdicts")
    db.execute(
        """CREATE VIEW reviewer_verdicts AS
           SELECT v.* FROM verdicts v
           WHERE v.id = (SELECT MAX(w.id) FROM verdicts w WHERE w.claim_id = v.claim_id AND w.reviewer = v.reviewer)"""
    )
    db.execute(
        """CREATE VIEW current_verdicts AS
           SELECT r.* FROM reviewer_verdicts r
           WHERE r.id = (SELECT COALESCE(MAX(CASE WHEN s.label IS NOT NULL THEN s.id END), MAX(s.id))
                         FROM reviewer_verdicts s WHERE s.claim_id = r.claim_id)"""
    )


@migrations()
def m015_match_entry_bar_index(db: Database) -> None:
    # Incremental matching finds the older claims a new claim could enter by their entry bar
    # (matching/incremental.py): "bar <= x" under one model must be an index range, not a scan.
    db.execute("CREATE INDEX match_runs_model_entry ON match_runs (model, entry_score)")


@migrations()
def m016_match_entry_bar_index_covers_claim(db: Database) -> None:
    # The bar query of one new article into 100k claims returns tens of thousands of rows: with the
    # claim id in the index it is read from the index alone, not looked up row by row in the table
    # (0.11 s against 0.45-0.9 s for 57k rows). It replaces m015's index, of which it is a superset.
    db.execute("CREATE INDEX match_runs_model_entry_claim ON match_runs (model, entry_score, claim_id)")
    db.execute("DROP INDEX match_runs_model_entry")
