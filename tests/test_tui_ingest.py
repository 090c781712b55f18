"""Ingest from inside the desk: the dialog, a worker with the real model, the new claims appear."""

import pytest

import desk_corpus
from tui_helpers import settle
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


async def test_a_bad_path_is_a_visible_error_not_a_crash(tmp_path):
    corpus = desk_corpus.build(tmp_path / "desk.db")
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i", *str(tmp_path / "missing.txt"), "tab", *"X", "ctrl+s")
        await settle(pilot, app)
        assert app.screen.id == "review"
        assert any(n.severity == "error" for n in app._notifications)


@pytest.mark.model
async def test_welcome_screen_loads_the_demo(tmp_path):
    app = make_app(tmp_path / "empty.db", reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.screen.id == "welcome"
        await pilot.press("d")
        await settle(pilot, app)
        assert app.screen.id == "review"
        assert len(app.screen.articles) >= 10
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
