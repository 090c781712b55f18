"""User data (source names, file paths, error text) is shown as written, never parsed as markup."""

import pytest

import desk_corpus
from tui_helpers import settle
from workbench.db import open_database
from workbench.tui.app import make_app

NASTY = "[/]Wire [bold]Service"


@pytest.fixture
def corpus(tmp_path):
    path = desk_corpus.build(tmp_path / "desk.db")
    db = open_database(path)
    db.execute("UPDATE sources SET name = ? WHERE name = 'Wire Service'", [NASTY])
    db.conn.commit()
    db.close()
    return path


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_jump_to_a_source_named_with_markup(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("e", "g")  # claim 1's best match is in the wire story
        await settle(pilot, app)
        assert app.screen.article.source == NASTY
        assert any(NASTY in m for m in messages(app))
        await pilot.press("b", "c", "c", "c", "c")  # on from the last Kyiv claim into the wire story
        await settle(pilot, app)
        assert any(f"on to {NASTY}" in m for m in messages(app))
        assert str(app.screen.query_one("#counts").render())  # still painting


async def test_ingest_error_with_markup_in_the_path(corpus, tmp_path):
    missing = tmp_path / "[/]x [bold].txt"
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("i")
        await settle(pilot, app)
        await pilot.press(*str(missing), "ctrl+s")
        await settle(pilot, app)
        # The dialog stays open with the path as typed (issue 12 #7) and shows it literally.
        assert type(app.screen).__name__ == "IngestDialog"
        assert f"{missing}: no such file" in str(app.screen.query_one("#ingest-error").render())


async def test_export_to_a_path_with_markup(corpus, tmp_path):
    out = tmp_path / "[/]out [bold]" / "v.csv"
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("d", "E")
        await settle(pilot, app)
        app.screen.query_one("#export-path").value = str(out)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert any(str(out) in m for m in messages(app))
    assert out.exists()
