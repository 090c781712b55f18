"""Ingest from inside the desk: the dialog, a worker with the real model, the new claims appear."""

import pytest

import desk_corpus
from tui_helpers import settle, verdict_rows
from workbench.config import DEFAULT_MODEL
from workbench.db import open_database
from workbench.tui.app import make_app

ARTICLE = ("Officials said a drone strike hit an energy facility in Kherson on April 1. "
           "The strike cut electricity to five districts of the city, the governor said.\n")


@pytest.mark.model
async def test_ingest_dialog_splits_embeds_and_matches_with_the_real_model(tmp_path):
    corpus = desk_corpus.build(tmp_path / "desk.db", matches=False)
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE)
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "IngestDialog"
        await pilot.press(*str(article), "tab", *"Southern Herald", "ctrl+s")
        await settle(pilot, app)
        assert app.screen.id == "review"
        db = open_database(corpus)
        new = db.execute("SELECT a.id, s.name FROM articles a JOIN sources s ON s.id = a.source_id "
                         "WHERE s.name = 'Southern Herald'").fetchall()
        assert len(new) == 1
        claims = [r[0] for r in db.execute("SELECT id FROM claims WHERE article_id = ?", [new[0][0]])]
        assert claims
        assert db.execute("SELECT COUNT(*) FROM embeddings WHERE model = ?", [DEFAULT_MODEL]).fetchone()[0] >= 8
        matched = db.execute(f"SELECT COUNT(*) FROM matches WHERE claim_id IN ({','.join(map(str, claims))})"
                             ).fetchone()[0]
        db.close()
        assert matched > 0
        # the new article is open, its claims are there, and its evidence shows a match
        assert app.screen.article.id == new[0][0]
        assert app.screen.matches


async def test_ingest_dialog_asks_for_a_source_for_pasted_text(tmp_path):
    corpus = desk_corpus.build(tmp_path / "desk.db")
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await settle(pilot, app)
        app.screen.query_one("#ingest-text").text = "Some pasted article text."
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "IngestDialog"
        assert "needs a source" in str(app.screen.query_one("#ingest-error").render())
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen.id == "review"


SIZES = [(80, 24), (120, 40)]
LOGIN_PAGE = ("<html><head><title>Sign in</title></head><body><nav><a href='/'>Home</a> <a href='/news'>News</a>"
              "</nav><h1>Sign in</h1><form><label>Email</label><input><label>Password</label><input></form>"
              "<p>Forgot your password?</p><p>No account yet? Register now.</p></body></html>")


def article_count(path) -> int:
    db = open_database(path)
    try:
        return db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    finally:
        db.close()


def field(app, name: str) -> str:
    return app.screen.query_one(f"#ingest-{name}").value


def error_line(app) -> str:
    return str(app.screen.query_one("#ingest-error").render())


async def fill(pilot, app, *, path="", source="", title="", url="", published="", context="") -> None:
    """Type into the form as a user does: a field, then Tab to the next (kind and the claims box are passed)."""
    await pilot.press("i")
    await settle(pilot, app)
    await pilot.press(*path, "tab", *source, "tab", "tab", "tab", *title, "tab", *url, "tab", *published, "tab")
    if context:
        await pilot.press("backspace", *context)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_mistyped_path_keeps_the_form_and_says_what_is_wrong(tmp_path, size):
    """Issue 12 #7: the dialog used to close and drop the form; now it stays, filled, with one line."""
    corpus = desk_corpus.build(tmp_path / "desk.db")
    app = make_app(corpus, reviewer="alice")
    missing = tmp_path / "artcle.txt"
    async with app.run_test(size=size) as pilot:
        await fill(pilot, app, path=str(missing), source="Southern Herald", title="Bridge reopens",
                   url="https://herald.example/bridge", published="2025-04-02", context="3")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "IngestDialog"
        assert f"{missing}: no such file or directory" in error_line(app)
        assert (field(app, "path"), field(app, "source"), field(app, "title"), field(app, "url"),
                field(app, "published"), field(app, "context")) == (
            str(missing), "Southern Herald", "Bridge reopens", "https://herald.example/bridge", "2025-04-02", "3")
        # every field and both buttons are on screen at this size
        for widget in app.screen.query("Input, Checkbox, Select, TextArea, Button"):
            region = widget.region
            assert region.height and region.bottom <= size[1] and region.right <= size[0], widget
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen.id == "review"
    assert article_count(corpus) == 3


async def test_a_login_page_is_refused_on_the_form_and_nothing_is_stored(tmp_path):
    corpus = desk_corpus.build(tmp_path / "desk.db")
    page = tmp_path / "login.html"
    page.write_text(LOGIN_PAGE)
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await fill(pilot, app, path=str(page), source="Southern Herald")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "IngestDialog"
        assert f"{page}: no article text" in error_line(app)
        # pasted, the same page's words are refused too
        app.screen.query_one("#ingest-path").value = ""
        app.screen.query_one("#ingest-text").text = "Sign in\nEmail\nPassword\nForgot your password?\n"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "The pasted text has no article text" in error_line(app)
    assert article_count(corpus) == 3


async def test_a_folder_with_nothing_to_ingest_names_what_it_skipped(tmp_path):
    corpus = desk_corpus.build(tmp_path / "desk.db")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "notes.json").write_text('{"note": "call the port authority"}')
    (inbox / "login.html").write_text(LOGIN_PAGE)
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await fill(pilot, app, path=str(inbox), source="Southern Herald")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "IngestDialog"
        line = error_line(app)
        assert f"{inbox}: holds no article to ingest" in line
        assert "login.html: no article text" in line and "notes.json: .json is not a type" in line
    assert article_count(corpus) == 3


@pytest.mark.parametrize("form, says", [
    (dict(path="checks.tsv", title="A title", claims=True), "A claims file gives each claim its url and date"),
    (dict(path="a.txt", text="The port said 300 ships docked."), "not both"),
    (dict(text="The port said 300 ships docked.", source="Port", claims=True), "come from a file"),
    (dict(path="a.txt", context="12"), "from 0 to 10"),
    (dict(text="The port said 300 ships docked."), "needs a source"),
    (dict(), "Give a file or folder path"),
    (dict(path="a.txt", source="Port", published="last Tuesday"), "Published 'last Tuesday' is not a date"),
    (dict(text="The port said 300 ships docked on Monday.", source="Port", url="javascript:alert(1)"),
     "not an http(s) url"),
])
async def test_the_form_says_what_does_not_fit_together(tmp_path, form, says):
    (tmp_path / "a.txt").write_text("The port said 300 ships docked on Monday, up from 250 a year earlier.")
    corpus = desk_corpus.build(tmp_path / "desk.db")
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await settle(pilot, app)
        screen = app.screen
        for name in ("path", "source", "title", "url", "published", "context"):
            if name in form:
                value = form[name]
                screen.query_one(f"#ingest-{name}").value = str(tmp_path / value) if name == "path" else value
        screen.query_one("#ingest-text").text = form.get("text", "")
        screen.query_one("#ingest-claims").value = form.get("claims", False)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "IngestDialog"
        assert says in error_line(app)
    assert article_count(corpus) == 3


async def test_verdict_keys_typed_in_the_form_stay_text(tmp_path):
    """Typing c, d, u, z or n in a field writes the letter; no claim is marked (issue 12 #1 and #7)."""
    corpus = desk_corpus.build(tmp_path / "desk.db")
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await fill(pilot, app, path="cduzn", source="cduzn", title="cduzn", url="cduzn", published="cduzn")
        await pilot.press("tab", *"cduzn", "tab", *"cduzn")  # the context field takes digits only; the text area
        await settle(pilot, app)
        assert type(app.screen).__name__ == "IngestDialog"
        for name in ("path", "source", "title", "url", "published"):
            assert field(app, name) == "cduzn"
        assert app.screen.query_one("#ingest-text").text == "cduzn"
    assert verdict_rows(corpus) == []


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_ingest_dialog_with_a_mistyped_path(snap_compare, tmp_path, size):
    """The form keeps what was typed and shows the problem on its error line (a relative path: the
    snapshot must not hold the test's temporary folder)."""
    corpus = desk_corpus.build(tmp_path / "desk.db")

    async def type_and_check(pilot) -> None:
        await fill(pilot, pilot.app, path="inbox/artcle.txt", source="Southern Herald", title="Bridge reopens",
                   published="2025-04-02")
        await pilot.press("ctrl+s")
        await settle(pilot, pilot.app)

    assert snap_compare(make_app(corpus, reviewer="alice"), terminal_size=size, run_before=type_and_check)


@pytest.mark.model
async def test_the_dialog_does_what_the_cli_does(tmp_path):
    """Earlier fact-checks (--claims), one article's url, date and transcript context (--context), and
    a folder whose left-out files the notice names: the one pipeline, the real model, at 80x24."""
    corpus = desk_corpus.build(tmp_path / "desk.db")
    checks = tmp_path / "checks.tsv"
    checks.write_text("id\ttext\tsource\turl\tdate\trating\n"
                      "tc-1\tThe ferry carried 900 passengers on its first day.\tTideCheck\thttps://tide.example/1"
                      "\t2025-03-01\tFalse\n")
    debate = tmp_path / "debate.txt"
    debate.write_text("HOST: The harbour tunnel opened to traffic on March 3, the city said.\n"
                      "GUEST: That cost 40 million euros more than planned.\n"
                      "HOST: The ferry carried 900 passengers on its first day.\n")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "notes.json").write_text('{"note": "ask the ferry company"}')
    (inbox / "login.html").write_text(LOGIN_PAGE)
    (inbox / "debate-copy.txt").write_text(debate.read_text())
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("i")
        await settle(pilot, app)
        await pilot.press(*str(checks), "tab", "tab", "tab", "space", "ctrl+s")
        await settle(pilot, app)
        assert app.screen.id == "review"
        await fill(pilot, app, path=str(debate), source="Town Radio", url="https://radio.example/debate",
                   published="2025-03-04", context="1")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen.id == "review"
        await fill(pilot, app, path=str(inbox), source="Town Radio")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen.id == "review"
        notice = [n.message for n in app._notifications if n.title == "Ingested"][-1]
    db = open_database(corpus)
    try:
        imported = db.execute("SELECT c.external_id, c.rating, s.kind FROM claims c JOIN sources s ON s.id = c.source_id "
                              "WHERE s.name = 'TideCheck'").fetchall()
        assert imported == [("tc-1", "False", "fact-check")]
        [(article_id, url, published)] = db.execute(
            "SELECT a.id, a.url, a.published FROM articles a JOIN sources s ON s.id = a.source_id "
            "WHERE s.name = 'Town Radio'").fetchall()
        assert (url, published) == ("https://radio.example/debate", "2025-03-04")
        contexts = [row[0] for row in db.execute("SELECT context FROM claims WHERE article_id = ? ORDER BY position",
                                                 [article_id])]
        assert len(contexts) == 3 and contexts[0] is None and contexts[1] and contexts[2]
        assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 3 + 1 + 1  # login page: none
    finally:
        db.close()
    assert "Skipped 3 files:" in notice
    assert "notes.json: .json is not a type ingest reads" in notice
    assert "login.html: no article text" in notice
    assert f"debate-copy.txt: already stored as article {article_id}" in notice


@pytest.mark.model
async def test_welcome_screen_loads_the_demo(tmp_path):
    app = make_app(tmp_path / "empty.db", reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.screen.id == "welcome"
        await pilot.press("d")
        await settle(pilot, app)
        assert app.screen.id == "review"
        assert len(app.screen.order.ids) >= 10
        db = open_database(tmp_path / "empty.db")
        assert db.execute("SELECT COUNT(*) FROM matches").fetchone()[0] > 0
        db.close()
        await pilot.press("c")
    db = open_database(tmp_path / "empty.db")
    assert db.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0] == 1
    db.close()


@pytest.mark.model
async def test_start_up_finishes_what_an_interrupted_ingest_left_unmatched(tmp_path, real_embedder):
    from click.testing import CliRunner

    from workbench.cli import main
    from workbench.pipeline import unfinished_claims

    path = tmp_path / "claims.db"
    for name, text in [("Southern Herald", ARTICLE), ("City Wire", ARTICLE.replace("five", "six"))]:
        article = tmp_path / f"{name}.txt"
        article.write_text(text)
        stored = CliRunner().invoke(main, ["ingest", str(article), "--source", name, "--db", str(path), "--no-match"])
        assert stored.exit_code == 0, stored.output
    db = open_database(path)
    left = unfinished_claims(db)
    assert len(left) >= 4
    app = make_app(path, reviewer="alice", finish_earlier=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert unfinished_claims(db) == []
        assert any(f"finished {len(left)} claims left unmatched by an earlier run" in n.message
                   for n in app._notifications)
        assert app.screen.id == "review"
    db.close()
