"""The export dialog: an existing file is never overwritten silently; source and verdict filters; the scope
(the article on screen by default) and the count on the button, with snapshots at 80x24 and 120x40."""

import csv

import pytest

import desk_corpus
from tui_helpers import settle
from workbench.db import open_database
from workbench.tui.app import make_app
from workbench.verdicts import record_verdict
from workbench.tui.screens.export import ExportDialog


@pytest.fixture
def corpus(tmp_path):
    return desk_corpus.build(tmp_path / "desk.db")


async def test_existing_file_needs_a_second_ctrl_s(corpus, tmp_path):
    out = tmp_path / "verdicts.csv"
    out.write_text("keep me")
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d", "E")
        await settle(pilot, app)
        app.screen.query_one("#export-format").value = "csv"
        app.screen.query_one("#export-path").value = str(out)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "ExportDialog"
        assert "exists" in str(app.screen.query_one("#export-error").render())
        assert out.read_text() == "keep me"
        await pilot.press("ctrl+s")  # confirmed
        await settle(pilot, app)
        assert app.screen.id == "review"
    assert out.read_text() != "keep me"


async def test_changing_the_path_asks_again(corpus, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("a")
    second.write_text("b")
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("E")
        await settle(pilot, app)
        app.screen.query_one("#export-path").value = str(first)
        await pilot.pause()
        await pilot.press("ctrl+s")
        app.screen.query_one("#export-path").value = str(second)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "ExportDialog"
    assert (first.read_text(), second.read_text()) == ("a", "b")


async def test_source_and_verdict_filters(corpus, tmp_path):
    out = tmp_path / "filtered.csv"
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d", "c", "E")  # claim 1 disputed, claim 2 corroborated
        await settle(pilot, app)
        app.screen.query_one("#export-format").value = "csv"
        app.screen.query_one("#export-path").value = str(out)
        app.screen.query_one("#export-source").value = "Kyiv Daily"
        app.screen.query_one("#export-verdict").value = "disputed"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["verdict"] for r in rows] == ["disputed"]


SIZES = [(80, 24), (120, 40)]


def button(app) -> str:
    return str(app.screen.query_one("#submit").label)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_button_counts_what_the_file_will_hold(corpus, tmp_path, size):
    """The article on screen is the default scope; the count on the button follows the scope, the
    format and the pending box, and is the number of rows the file then holds."""
    out = tmp_path / "editors.csv"
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=size) as pilot:
        await pilot.press("d", "E")  # claim 1 of the Kyiv Daily article disputed
        await settle(pilot, app)
        assert app.screen.query_one("#export-this").value and not app.screen.query_one("#export-every").value
        assert button(app) == "Export 4 claims of this article (ctrl+s)"  # html: every claim of the article
        app.screen.query_one("#export-format").value = "csv"
        await settle(pilot, app)
        assert button(app) == "Export 1 claim of this article (ctrl+s)"  # csv: the decided one
        assert "csv holds decided claims" in str(app.screen.query_one("#export-holds").render())
        app.screen.query_one("#export-pending").value = True
        await settle(pilot, app)
        # + claims 2 and 3 waiting for review; the markup line under the review floor is not pending
        assert button(app) == "Export 3 claims of this article (ctrl+s)"
        app.screen.query_one("#export-every").value = True
        await settle(pilot, app)
        # every article: + the wire's three claims; the imported fact-check is evidence, not pending
        assert button(app) == "Export 6 claims (ctrl+s)"
        app.screen.query_one("#export-path").value = str(out)
        await settle(pilot, app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert len(rows) == 6 and sorted({r["verdict"] for r in rows}) == ["disputed", "pending"]


async def test_every_article_when_no_article_is_on_screen(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.push_screen(ExportDialog(None, None, ["Kyiv Daily"], db_path=app.db_path))
        await settle(pilot, app)
        assert app.screen.query_one("#export-this").disabled and app.screen.query_one("#export-every").value
        claims = sum(len(article["claims"]) for article in desk_corpus.ARTICLES)
        assert button(app) == f"Export {claims} claims (ctrl+s)"


@pytest.fixture
def decided(corpus):
    """The desk corpus with claim 1 disputed before the desk opens (no notice over the dialog)."""
    db = open_database(corpus)
    record_verdict(db, 1, "disputed", "alice")
    db.close()
    return corpus


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_export_dialog_on_an_article(snap_compare, decided, size):
    # the default: the article on screen, html, the count on the button
    assert snap_compare(make_app(decided, reviewer="alice"), terminal_size=size, press=["E"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_export_dialog_editors_csv_of_every_article(snap_compare, decided, size):
    async def choose(pilot):
        await pilot.press("E")
        await settle(pilot, pilot.app)
        pilot.app.screen.query_one("#export-format").value = "csv"
        await settle(pilot, pilot.app)
        pilot.app.screen.query_one("#export-every").value = True
        await settle(pilot, pilot.app)

    # csv of every article: decided claims only, the pending box enabled and what csv holds said
    assert snap_compare(make_app(decided, reviewer="alice"), terminal_size=size, run_before=choose)
