"""Who is reviewing (issue 12 #4): asked once by the desk and remembered in the user's config directory
($XDG_CONFIG_HOME, pointed at tmp_path by conftest), `--reviewer` and WORKBENCH_REVIEWER override it,
and `workbench mark` never falls back to the login name silently."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import desk_corpus
from tui_helpers import settle, verdict_rows
from workbench.cli import main
from workbench.config import config_path, remember_reviewer, remembered_reviewer, reviewer_name
from workbench.errors import WorkbenchError
from workbench.tui.app import make_app


@pytest.fixture
def corpus(tmp_path):
    return desk_corpus.build(tmp_path / "desk.db")


@pytest.fixture
def nobody(monkeypatch):
    """A first run: no WORKBENCH_REVIEWER, nothing remembered."""
    monkeypatch.delenv("WORKBENCH_REVIEWER", raising=False)


def test_the_flag_then_the_environment_then_the_remembered_name(nobody, monkeypatch, tmp_path):
    assert config_path() == tmp_path / "config" / "workbench" / "config.toml"
    assert reviewer_name() is None
    remember_reviewer('Ana "the checker" Ruiz')  # quotes and spaces round-trip through TOML
    assert reviewer_name() == 'Ana "the checker" Ruiz'
    monkeypatch.setenv("WORKBENCH_REVIEWER", "bob")
    assert reviewer_name() == "bob"
    assert reviewer_name("carol") == "carol"


def test_an_unreadable_config_file_is_one_line_naming_it(nobody):
    config_path().parent.mkdir(parents=True)
    config_path().write_text("reviewer = \n", encoding="utf-8")
    with pytest.raises(WorkbenchError) as error:
        remembered_reviewer()
    assert str(error.value).startswith(f"{config_path()}: cannot read the settings")


def test_mark_without_a_name_says_how_to_give_one_and_records_nothing(nobody, corpus):
    result = CliRunner().invoke(main, ["mark", "1", "disputed", "--db", str(corpus)])
    assert result.exit_code == 1
    assert "pass --reviewer NAME, set WORKBENCH_REVIEWER" in result.output and "root" not in result.output
    assert verdict_rows(corpus) == []


def test_mark_uses_the_remembered_name_unless_told_otherwise(nobody, corpus, monkeypatch):
    remember_reviewer("ana")
    assert CliRunner().invoke(main, ["mark", "1", "disputed", "--db", str(corpus)]).exit_code == 0
    monkeypatch.setenv("WORKBENCH_REVIEWER", "bob")
    assert CliRunner().invoke(main, ["mark", "2", "disputed", "--db", str(corpus)]).exit_code == 0
    assert CliRunner().invoke(main, ["mark", "3", "disputed", "--db", str(corpus),
                                     "--reviewer", "carol"]).exit_code == 0
    assert [r["reviewer"] for r in verdict_rows(corpus)] == ["ana", "bob", "carol"]


async def test_the_desk_asks_once_and_remembers(nobody, corpus):
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.screen.id == "reviewer"
        await pilot.press("enter")  # no name: asked again
        await settle(pilot, app)
        assert app.screen.id == "reviewer"
        await pilot.press("c")  # a letter of the name here, never a verdict
        await settle(pilot, app)
        assert verdict_rows(corpus) == []
        await pilot.press("backspace", *"ana", "enter")
        await settle(pilot, app)
        assert app.screen.id == "review" and app.review.query_one("#counts").reviewer == "ana"
        await pilot.press("d")
        await settle(pilot, app)
    assert remembered_reviewer() == "ana" and [r["reviewer"] for r in verdict_rows(corpus)] == ["ana"]

    again = make_app(corpus)  # the next desk: no question, the remembered name in the header
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot, again)
        assert again.screen.id == "review" and again.reviewer == "ana"
        assert "ana" in str(again.review.query_one("#counts").render())


async def test_esc_at_the_question_closes_the_desk_and_records_nothing(nobody, corpus):
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
    assert app.return_code == 0 and remembered_reviewer() is None and verdict_rows(corpus) == []


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_reviewer_question_snapshot(snap_compare, nobody, corpus, size, monkeypatch, tmp_path):
    # The config path is shown in the dialog: keep it the same on every machine.
    monkeypatch.setenv("XDG_CONFIG_HOME", "/home/ana/.config")
    monkeypatch.setattr("workbench.tui.app.remember_reviewer", lambda name: tmp_path / "unused")

    async def steady_cursor(pilot) -> None:  # a blinking cursor would make the picture depend on timing
        await pilot.pause()
        pilot.app.screen.query_one("#reviewer-name").cursor_blink = False

    assert snap_compare(make_app(corpus), terminal_size=size, run_before=steady_cursor)
