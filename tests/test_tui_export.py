"""The export dialog: an existing file is never overwritten silently; source and verdict filters."""

import csv

import pytest

import desk_corpus
from tui_helpers import settle
from workbench.tui.app import make_app


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
