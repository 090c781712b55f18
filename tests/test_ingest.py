"""Ingest through the CLI: good input lands, bad input gets one clear line and leaves claims.db as it was."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import main

ARTICLE = (
    "Harbour workers walked out on Monday, March 3, over unpaid overtime, the union said.\n\n"
    "About 1,200 dockworkers joined the strike, according to the port authority. "
    "The city council will vote on the new contract on March 12.\n"
)


def dump(path: Path) -> list[str]:
    """Every row of every table, so 'exactly as it was' can be compared."""
    if not path.exists():
        return []
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def stored(tmp_path, isolated_database):
    """A claims.db that already holds one article, to prove bad input does not disturb it."""
    article = tmp_path / "strike.txt"
    article.write_text(ARTICLE)
    result = run("ingest", str(article), "--source", "Harbour Gazette", "--kind", "outlet", "--no-match")
    assert result.exit_code == 0, result.output
    return isolated_database


def assert_refused(result, *, names: str, stored_before: list[str], db_path: Path, says: str = ""):
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert names in lines[0]
    assert says.lower() in lines[0].lower()
    assert dump(db_path) == stored_before


def test_ingest_stores_article_claims_with_exact_spans(stored):
    conn = sqlite3.connect(stored)
    (text,) = conn.execute("SELECT text FROM articles").fetchone()
    claims = conn.execute("SELECT span_start, span_end, text FROM claims ORDER BY position").fetchall()
    assert len(claims) >= 2
    for start, end, claim in claims:
        assert text[start:end] == claim
    assert any("1,200 dockworkers" in claim for _, _, claim in claims)
    (source, kind) = conn.execute("SELECT name, kind FROM sources").fetchone()
    assert (source, kind) == ("Harbour Gazette", "outlet")


def test_same_article_again_changes_nothing_and_says_so(stored, tmp_path):
    before = dump(stored)
    copy = tmp_path / "copy.txt"
    copy.write_text(ARTICLE)
    result = run("ingest", str(copy), "--source", "Other Name", "--no-match")
    assert result.exit_code == 0
    assert "already ingested" in result.output
    assert dump(stored) == before


@pytest.mark.parametrize(
    "name, content, says",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\n", "empty"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("broken.txt", b"Caf\xc3 au lait \x81\x8d costs 3 euros.", "not UTF-8"),
        ("notes.docx", b"PK\x03\x04 not an article", "unknown file type"),
    ],
)
def test_bad_files_are_refused_with_one_line(stored, tmp_path, name, content, says):
    before = dump(stored)
    bad = tmp_path / name
    bad.write_bytes(content)
    result = run("ingest", str(bad), "--source", "X", "--no-match")
    assert_refused(result, names=str(bad), stored_before=before, db_path=stored, says=says)


def test_missing_path_is_refused(stored, tmp_path):
    before = dump(stored)
    result = run("ingest", str(tmp_path / "nowhere.txt"), "--source", "X", "--no-match")
    assert_refused(result, names="nowhere.txt", stored_before=before, db_path=stored, says="no such file")


def test_huge_file_is_refused_before_reading(stored, tmp_path):
    before = dump(stored)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    result = run("ingest", str(huge), "--source", "X", "--no-match")
    assert_refused(result, names="huge.txt", stored_before=before, db_path=stored, says="50.0 MB")


def test_windows_1252_text_is_read_correctly(db, tmp_path):
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("The caf\u00e9 owner said prices rose by 12\u00a0% on May 2 \u2013 the first rise since 2019.".encode("cp1252"))
    result = run("ingest", str(legacy), "--source", "Courier", "--no-match")
    assert result.exit_code == 0, result.output
    (text,) = db.execute("SELECT text FROM articles").fetchone()
    assert "caf\u00e9" in text and "\u2013" in text


def test_a_bad_file_in_a_batch_stores_nothing(stored, tmp_path):
    before = dump(stored)
    good = tmp_path / "good.txt"
    good.write_text("The mayor said the bridge will reopen on June 1 after repairs costing 4 million euros.")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = run("ingest", str(good), str(bad), "--source", "X", "--no-match")
    assert_refused(result, names="bad.txt", stored_before=before, db_path=stored, says="empty")


def test_malformed_jsonl_line_refuses_the_whole_file(stored, tmp_path):
    before = dump(stored)
    feed = tmp_path / "feed.jsonl"
    good = {"text": "Police said 14 people were arrested on Saturday in Lyon.", "source": "Wire A"}
    feed.write_text(json.dumps(good) + "\n" + '{"text": "unterminated\n' + json.dumps(good) + "\n")
    result = run("ingest", str(feed), "--no-match")
    assert_refused(result, names=f"{feed}:2", stored_before=before, db_path=stored, says="nothing from the file")


def test_jsonl_articles_carry_their_metadata(db, tmp_path):
    feed = tmp_path / "feed.jsonl"
    rows = [
        {"text": "Police said 14 people were arrested on Saturday in Lyon.", "source": "Wire A",
         "title": "Arrests in Lyon", "url": "https://a.example/1", "published": "2025-04-02", "kind": "wire"},
        {"text": "The ministry said 3,000 homes lost power in Nice on Sunday.", "source": "Ministry B",
         "kind": "official"},
    ]
    feed.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = run("ingest", str(feed), "--no-match")
    assert result.exit_code == 0, result.output
    got = db.execute("SELECT s.name, s.kind, a.title, a.url, a.published FROM articles a "
                     "JOIN sources s ON s.id = a.source_id ORDER BY a.id").fetchall()
    assert got == [("Wire A", "wire", "Arrests in Lyon", "https://a.example/1", "2025-04-02"),
                   ("Ministry B", "official", None, None, None)]


def test_database_that_is_not_sqlite_is_never_touched(tmp_path):
    target = tmp_path / "claims.db"
    target.write_text("my shopping list\n")
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    result = run("ingest", str(article), "--source", "X", "--db", str(target), "--no-match")
    assert result.exit_code != 0
    assert "not a SQLite database" in result.output and str(target) in result.output
    assert target.read_text() == "my shopping list\n"


def test_unwritable_database_path_is_refused(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    result = run("ingest", str(article), "--source", "X", "--db", str(tmp_path / "no" / "such" / "claims.db"))
    assert result.exit_code != 0
    assert "folder does not exist" in result.output


def test_stdin_markdown_html_and_directories(db, tmp_path):
    folder = tmp_path / "inbox"
    (folder / "deeper").mkdir(parents=True)
    (folder / "one.md").write_text("# Bridge reopens\n\nThe mayor said the **bridge** will reopen on "
                                   "[June 1](https://x.example) after repairs costing 4 million euros.\n")
    (folder / "deeper" / "two.html").write_text(
        "<html><head><title>Flood</title></head><body><nav>Home | World | Sport</nav><article><h1>Flood "
        "warning</h1><p>The weather service said the river Loire rose by 2.5 metres on Tuesday, the "
        "highest level since 1982.</p><p>Officials evacuated 340 residents from two villages near "
        "Orleans, according to the prefecture.</p></article><footer>Subscribe now</footer></body></html>")
    (folder / ".hidden.txt").write_text("Secret drafts said 9 things.")
    (folder / "image.png").write_bytes(b"\x89PNG")
    result = run("ingest", str(folder), "--source", "Inbox", "--no-match")
    assert result.exit_code == 0, result.output
    texts = {row[0]: row[1] for row in db.execute("SELECT origin, text FROM articles")}
    assert len(texts) == 2
    markdown = texts[str(folder / "one.md")]
    html = texts[str(folder / "deeper" / "two.html")]
    assert "**" not in markdown and "](" not in markdown and "June 1" in markdown
    assert "Subscribe" not in html and "Home | World" not in html and "340 residents" in html
    piped = run("ingest", "-", "--source", "Reader mail", "--no-match",
                input="The school board said 45 teachers will be hired in September.")
    assert piped.exit_code == 0, piped.output
    assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 3


def test_claims_file_imports_without_splitting(db, tmp_path):
    checks = tmp_path / "checks.tsv"
    checks.write_text("id\ttext\tsource\turl\tdate\trating\n"
                      "fc-1\tThe outage lasted a week. Officials denied it.\tCheckers\thttps://c.example/1\t2025-04-04\tFalse\n")
    result = run("ingest", "--claims", str(checks), "--no-match")
    assert result.exit_code == 0, result.output
    rows = db.execute("SELECT text, external_id, rating FROM claims").fetchall()
    assert rows == [("The outage lasted a week. Officials denied it.", "fc-1", "False")]
    assert db.execute("SELECT kind FROM sources").fetchone()[0] == "fact-check"
    again = run("ingest", "--claims", str(checks), "--no-match")
    assert again.exit_code == 0
    assert db.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == 1


def test_claims_file_with_a_bad_row_names_the_line(db, tmp_path):
    checks = tmp_path / "checks.tsv"
    checks.write_text("id\ttext\tsource\nfc-1\tA fine claim about 3 ships.\tCheckers\nfc-2\t\tCheckers\n")
    result = run("ingest", "--claims", str(checks), "--no-match")
    assert result.exit_code != 0
    assert f"{checks}:3" in result.output
    assert db.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == 0


def test_bad_published_date_is_refused(db, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    result = run("ingest", str(article), "--source", "X", "--published", "last Tuesday", "--no-match")
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output


def test_transcript_context_is_stored_with_each_claim_but_not_shown_as_it(db, tmp_path):
    transcript = tmp_path / "debate.txt"
    transcript.write_text("MODERATOR: Unemployment fell to 4 percent in March, the ministry said.\n"
                          "SENATOR: That figure was 6 percent in 2019.\n"
                          "MODERATOR: The senator voted against the bill on May 2.\n")
    result = run("ingest", str(transcript), "--source", "Debate", "--context", "1", "--no-match")
    assert result.exit_code == 0, result.output
    rows = db.execute("SELECT text, context FROM claims ORDER BY position").fetchall()
    assert len(rows) == 3
    assert rows[0][1] is None
    assert rows[1][1] == rows[0][0] and rows[2][1] == rows[1][0]
    (text,) = db.execute("SELECT text FROM articles").fetchone()
    for start, end, claim in db.execute("SELECT span_start, span_end, text FROM claims"):
        assert text[start:end] == claim


def test_jsonl_with_an_unknown_kind_on_a_later_line_stores_nothing(stored, tmp_path):
    before = dump(stored)
    feed = tmp_path / "feed.jsonl"
    rows = [{"text": "Police said 14 people were arrested on Saturday in Lyon.", "source": "Wire A"},
            {"text": "The ministry said 3,000 homes lost power.", "source": "Blog B", "kind": "blog"}]
    feed.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = run("ingest", str(feed), "--no-match")
    assert_refused(result, names=f"{feed}:2", stored_before=before, db_path=stored, says="kind")


def test_claims_files_are_all_checked_before_any_is_stored(stored, tmp_path):
    before = dump(stored)
    good = tmp_path / "good.tsv"
    good.write_text("id\ttext\tsource\nfc-1\tThe outage lasted a week.\tCheckers\n")
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\ttext\tsource\nfc-2\t\tCheckers\n")
    result = run("ingest", "--claims", str(good), str(bad), "--no-match")
    assert_refused(result, names=f"{bad}:2", stored_before=before, db_path=stored)


def test_importing_claims_never_changes_a_known_sources_kind(db, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    assert run("ingest", str(article), "--source", "Reuters Desk", "--kind", "wire", "--no-match").exit_code == 0
    checks = tmp_path / "checks.tsv"
    checks.write_text("id\ttext\tsource\nr-1\tThe port handled 2 million containers in 2024.\tReuters Desk\n"
                      "c-1\tThe outage lasted a week.\tNew Checkers\n")
    assert run("ingest", "--claims", str(checks), "--no-match").exit_code == 0
    kinds = dict(db.execute("SELECT name, kind FROM sources").fetchall())
    assert kinds == {"Reuters Desk": "wire", "New Checkers": "fact-check"}


def test_blank_source_name_is_refused(stored, tmp_path):
    before = dump(stored)
    article = tmp_path / "a.txt"
    article.write_text("The mayor said the bridge will reopen on June 1.")
    result = run("ingest", str(article), "--source", "   ", "--no-match")
    assert_refused(result, names=str(article), stored_before=before, db_path=stored, says="blank")


def test_endless_stdin_is_refused(stored):
    before = dump(stored)
    result = run("ingest", "-", "--source", "Pipe", "--no-match", input="word " * (1_200_000))
    assert_refused(result, names="<stdin>", stored_before=before, db_path=stored, says="MB")


def test_a_path_sqlite_cannot_write_is_refused_with_one_line(tmp_path):
    # /proc accepts no new files, whoever we run as (root ignores permission bits, so chmod proves nothing).
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    result = run("ingest", str(article), "--source", "X", "--db", "/proc/claims.db", "--no-match")
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "/proc/claims.db" in lines[0] and "cannot open the database" in lines[0]


def test_matches_show_what_differs_with_the_other_sources_version(db, tmp_path, real_embedder):
    wire = tmp_path / "wire.txt"
    wire.write_text("A Russian drone struck an energy facility in the southern Ukrainian city of Kherson "
                    "on Tuesday, April 1, leaving several districts without electricity, officials said.")
    digest = tmp_path / "digest.txt"
    digest.write_text("A Russian drone hit an energy facility in Mykolaiv on April 1 and knocked out "
                      "power in parts of the city, according to Ukrainian officials.")
    assert run("ingest", str(wire), "--source", "Wire", "--kind", "wire").exit_code == 0
    assert run("ingest", str(digest), "--source", "Digest").exit_code == 0
    (claim,) = db.execute("SELECT c.id FROM claims c JOIN sources s ON s.id = c.source_id "
                          "WHERE s.name = 'Wire'").fetchone()
    shown = run("matches", str(claim))
    assert shown.exit_code == 0
    assert "Digest" in shown.output and "places differ: Kherson vs Mykolaiv" in shown.output
    (match,) = json.loads(run("matches", str(claim), "--json").output)
    assert match["source"] == "Digest"
    places = [s for s in match["signals"] if s["kind"] == "places"]
    assert places and places[0]["message"] == "places differ: Kherson vs Mykolaiv" and places[0]["conflict"]


@pytest.mark.model
def test_a_rerun_finishes_the_claims_an_earlier_run_left_unmatched(tmp_path, isolated_database, real_embedder):
    from workbench.db import open_database
    from workbench.pipeline import unfinished_claims

    article = tmp_path / "article.txt"
    article.write_text(ARTICLE)
    assert run("ingest", str(article), "--source", "Harbour Gazette", "--no-match").exit_code == 0
    other = tmp_path / "other.txt"
    other.write_text(ARTICLE.replace("1,200", "1,400"))
    assert run("ingest", str(other), "--source", "Port Wire", "--no-match").exit_code == 0
    db = open_database(isolated_database)
    left = len(unfinished_claims(db))
    assert left >= 4
    again = run("ingest", str(article), "--source", "Harbour Gazette")
    assert again.exit_code == 0
    assert "already ingested" in again.output and "nothing changed" in again.output
    assert f"Finished {left} claims left unmatched by an earlier run." in again.output
    assert unfinished_claims(db) == []
    assert db.execute("SELECT COUNT(*) FROM matches").fetchone()[0] > 0
    third = run("ingest", str(article), "--source", "Harbour Gazette")
    assert "left unmatched" not in third.output
    db.close()


# --- pages with no article text, and what a directory leaves out (issue 12 #7) ---------------------

LOGIN_HTML = ("<html><head><title>Sign in</title></head><body><nav><a href='/'>Home</a> <a href='/news'>News</a>"
              " <a href='/sport'>Sport</a></nav><h1>Sign in</h1><form><label>Email</label><input>"
              "<label>Password</label><input type='password'><button>Sign in</button></form>"
              "<p>Forgot your password?</p><p>No account yet? Register now.</p>"
              "<footer>© 2025 Harbour Media. All rights reserved.</footer></body></html>")
LOGIN_TEXT = "Sign in\n\nHome  News  Sport\n\nEmail\nPassword\nRemember me\nForgot your password?\n"
LOGIN_MARKDOWN = "# Sign in\n\n[Home](/) · [News](/news)\n\n**Email**\n\n**Password**\n\n[Forgot your password?](/r)\n"


@pytest.mark.parametrize("name, content", [("login.html", LOGIN_HTML), ("login.txt", LOGIN_TEXT),
                                           ("login.md", LOGIN_MARKDOWN)])
def test_a_page_with_no_article_text_is_refused_and_nothing_stored(stored, tmp_path, name, content):
    before = dump(stored)
    page = tmp_path / name
    page.write_text(content)
    result = run("ingest", str(page), "--source", "Harbour Media", "--no-match")
    assert_refused(result, names=str(page), stored_before=before, db_path=stored, says="no article text")


def test_piped_text_with_no_article_text_is_refused(stored):
    before = dump(stored)
    result = run("ingest", "-", "--source", "Harbour Media", "--no-match", input=LOGIN_TEXT)
    assert_refused(result, names="<stdin>", stored_before=before, db_path=stored, says="no article text")


def test_a_directory_lists_every_file_it_skips_and_stores_the_rest(stored, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "notes.json").write_text('{"note": "call the port authority"}')
    (folder / "login.html").write_text(LOGIN_HTML)
    (folder / "empty.txt").write_text("")
    (folder / ".draft.txt").write_text("The harbour master said 12 cranes were idle on Friday.")
    (folder / "again.txt").write_text(ARTICLE)  # already stored by the fixture
    (folder / "ferry.txt").write_text("The ferry company said 900 passengers travelled on its first day.")
    result = run("ingest", str(folder), "--source", "Harbour Gazette", "--no-match")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()

    def line(name: str) -> str:
        return next(text for text in lines if text.startswith(str(folder / name)))

    assert "skipped — .json is not a type ingest reads" in line("notes.json")
    assert "skipped — no article text" in line("login.html")
    assert "skipped — is empty" in line("empty.txt")
    assert "skipped — a hidden file" in line(".draft.txt")
    assert "already ingested (article 1)" in line("again.txt")
    assert "article 2 (Harbour Gazette)" in line("ferry.txt")
    conn = sqlite3.connect(stored)
    origins = [row[0] for row in conn.execute("SELECT origin FROM articles ORDER BY id")]
    conn.close()
    assert origins == [str(tmp_path / "strike.txt"), str(folder / "ferry.txt")]


def test_a_directory_with_nothing_to_ingest_says_why_in_one_line(stored, tmp_path):
    before = dump(stored)
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "notes.json").write_text("{}")
    (folder / "login.html").write_text(LOGIN_HTML)
    result = run("ingest", str(folder), "--source", "X", "--no-match")
    assert_refused(result, names=str(folder), stored_before=before, db_path=stored, says="holds no article to ingest")
    assert "login.html: no article text" in result.output and "notes.json" in result.output


def test_a_jsonl_line_with_no_article_text_is_listed_and_the_others_stored(db, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"text": "Police said 14 people were arrested on Saturday in Lyon.", "source": "Wire A"})
                    + "\n" + json.dumps({"text": LOGIN_TEXT, "title": "Sign in", "source": "Wire A"}) + "\n")
    result = run("ingest", str(feed), "--no-match")
    assert result.exit_code == 0, result.output
    assert f"{feed}:2: skipped — no article text" in result.output
    assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1


def test_no_demo_article_is_taken_for_a_page_without_article_text():
    """The rule refuses login pages, never an article: every demo article passes (as do all 42 pages of
    a real-news development set, measured outside the tests)."""
    from workbench.ingest import demo_articles
    from workbench.reading import has_article_text

    articles = demo_articles()
    assert len(articles) == 12
    assert all(has_article_text(a.text, a.title) for a in articles)
    assert not has_article_text(LOGIN_TEXT, "Sign in")


def test_pasted_text_takes_the_transcript_context_like_a_file(db):
    from workbench.pipeline import IngestRequest, store

    text = ("HOST: The harbour tunnel opened to traffic on March 3, the city said.\n"
            "GUEST: That cost 40 million euros more than planned.\n")
    results, cancelled = store(db, IngestRequest(text=text, source="Town Radio", context_window=1,
                                                 origin="<pasted>"))
    assert not cancelled
    contexts = [row[0] for row in db.execute("SELECT context FROM claims ORDER BY position")]
    assert contexts[0] is None and contexts[1] and "harbour tunnel" in contexts[1]
