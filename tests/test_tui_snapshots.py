"""Snapshots of the desk's main screens at 80x24 and 120x40 (pytest-textual-snapshot).

Update after a deliberate change with `pytest tests/test_tui_snapshots.py --snapshot-update` and look at
the report. No snapshot shows a verdict's time, so they do not depend on the clock.
"""

import pytest

import desk_corpus
from workbench.tui.app import make_app

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def corpus(tmp_path):
    return desk_corpus.build(tmp_path / "desk.db")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review_screen(snap_compare, corpus, size):
    # claim 2 of the Kyiv Daily story: "4 districts" against the wire's "5 districts", chosen as evidence
    assert snap_compare(make_app(corpus, reviewer="alice"), terminal_size=size, press=["j", "1"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_queue_screen(snap_compare, corpus, size):
    # the order is chosen from its list (o opens it): conflicts first
    assert snap_compare(make_app(corpus, reviewer="alice"), terminal_size=size, press=["w", "o", "down", "enter"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_typing_after_a_search(snap_compare, corpus, size):
    # results of "Kherson", then "Baerbock" typed: a new search in the box, no verdict, the order unchanged
    assert snap_compare(make_app(corpus, reviewer="alice"), terminal_size=size,
                        press=["slash", *"Kherson", "enter", *"Baerbock"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_search_results_with_a_chosen_claim(snap_compare, corpus, size):
    # a row chosen after the search: the line under the list names the claim c / d / u would mark
    assert snap_compare(make_app(corpus, reviewer="alice"), terminal_size=size,
                        press=["slash", *"Kherson", "enter", "down"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_queue_by_claimant(snap_compare, tmp_path, size):
    # w, then w chooses who said it: Kovalenko in both sources, the line under the lists names her
    assert snap_compare(make_app(desk_corpus.build_quoted(tmp_path / "quoted.db"), reviewer="alice"),
                        terminal_size=size, press=["w", "w", "down", "enter"])


def test_claimant_list_open(snap_compare, tmp_path):
    assert snap_compare(make_app(desk_corpus.build_quoted(tmp_path / "quoted.db"), reviewer="alice"),
                        terminal_size=(80, 24), press=["w", "w"])


def test_source_list_open(snap_compare, corpus):
    assert snap_compare(make_app(corpus, reviewer="alice"), terminal_size=(80, 24), press=["w", "s"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_welcome_screen(snap_compare, tmp_path, size):
    assert snap_compare(make_app(tmp_path / "empty.db", reviewer="alice"), terminal_size=size)


def test_help_screen(snap_compare, corpus):
    assert snap_compare(make_app(corpus, reviewer="alice"), terminal_size=(80, 24), press=["question_mark"])


def test_ingest_dialog(snap_compare, corpus):
    assert snap_compare(make_app(corpus, reviewer="alice"), terminal_size=(80, 24), press=["i"])


def test_note_dialog(snap_compare, corpus):
    assert snap_compare(make_app(corpus, reviewer="alice"), terminal_size=(80, 24),
                        press=["j", "n", *"[bold] stays literal"])


def test_export_dialog(snap_compare, corpus):
    assert snap_compare(make_app(corpus, reviewer="alice"), terminal_size=(80, 24), press=["j", "E"])
