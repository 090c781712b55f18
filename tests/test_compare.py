"""`workbench compare` (a real process) and the relation stored on the demo corpus with the real model."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from workbench.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True, timeout=120)


def test_compare_prints_the_relation_and_each_signal_with_both_values():
    done = run("compare", "A strike on Thursday evening killed 18 people in Kryvyi Rih.",
               "A strike on Friday evening killed 19 people in Krivoy Rog.", "--date-a", "2025-04-05",
               "--date-b", "2025-04-05", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["relation"] == "conflicts"
    found = {s["kind"]: s for s in out["signals"]}
    assert (found["dates"]["ours"], found["dates"]["theirs"], found["dates"]["conflict"]) == (
        "Thursday (April 3)", "Friday (April 4)", True)
    assert (found["numbers"]["ours"], found["numbers"]["theirs"]) == ("18", "19")
    assert found["places"]["conflict"] is False  # one city in two spellings


def test_compare_text_output_and_agreement():
    result = CliRunner().invoke(main, ["compare", "Over 3,000 people were hurt.",
                                       "More than 3,300 people were hurt."])
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "relation: supports"
    result = CliRunner().invoke(main, ["compare", "The mayor resigned.", "The mayor stepped down."])
    assert result.output.splitlines() == ["relation: related", "no signals: nothing comparable found in both"]


def test_compare_refuses_a_bad_date_in_one_line_and_prints_no_escape_sequences():
    result = CliRunner().invoke(main, ["compare", "a", "b", "--date-a", "2025-13-01"])
    assert result.exit_code == 2 and "'2025-13-01' is not a date; write it as YYYY-MM-DD" in result.output
    result = CliRunner().invoke(main, ["compare", "It hit \x1b[31mKherson\x1b[0m on April 1.",
                                       "It hit Mykolaiv on April 2."])
    assert result.exit_code == 0 and "\x1b" not in result.output


def test_compare_help_is_fast_and_loads_no_model():
    done = run("compare", "--help")
    assert done.returncode == 0 and "--date-a" in done.stdout
    probe = subprocess.run([sys.executable, "-c", "import sys; from workbench.cli import compare_command; "
                            "print('torch' in sys.modules, 'numpy' in sys.modules)"],
                           capture_output=True, text=True, check=True)
    assert probe.stdout.split() == ["False", "False"]


# ---- the demo corpus, matched with the real model ----

@pytest.mark.model
def test_demo_relations_flag_planted_conflicts_and_no_agreeing_pair(real_embedder, tmp_path):
    from workbench.db import open_database
    from workbench.ingest import load_demo
    from workbench.matching import match_claims, matches_for
    from workbench.relation import assess, claim_published

    db = open_database(tmp_path / "demo.db")
    load_demo(db)
    match_claims(db, real_embedder)
    claims = {row["id"]: row for row in db.query(
        "SELECT c.id, c.text, s.name AS source FROM claims c JOIN sources s ON s.id = c.source_id")}

    def claim_with(words: str) -> int:
        return next(i for i, c in claims.items() if words in c["text"] or words == c["source"])

    def conflicts_of(claim_id: int) -> dict[int, list]:
        text, published = claims[claim_id]["text"], claim_published(db, claim_id)
        found = {}
        for match in matches_for(db, claim_id, min_score=0.33):
            assessed = assess(text, match.text, match.score, published=published,
                              other_published=match.published, rating=match.rating)
            assert assessed.relation == match.relation  # what is stored is what is computed
            if match.relation == "conflicts":
                found[match.other_claim_id] = assessed.conflicts
        return found

    five = claim_with("Five people were injured")
    four = claim_with("In the northeastern city of Kharkiv")
    assert [(s.ours, s.theirs) for s in conflicts_of(five)[four]] == [("5", "4")]
    pledge_150 = claim_with("another 150 million euros")
    pledge_130 = claim_with("pledged a further 130 million euros")
    assert [(s.ours, s.theirs) for s in conflicts_of(pledge_150)[pledge_130]] == [("150 million", "130 million")]
    mykolaiv = claim_with("A Russian drone hit an energy facility in Mykolaiv")
    kherson = claim_with("A Russian drone struck an energy facility")
    assert [(s.ours, s.theirs) for s in conflicts_of(mykolaiv)[kherson]] == [("Mykolaiv", "Kherson")]
    thursday = claim_with("The attacks came ahead of a meeting")
    assert any(s.kind == "dates" and "April 3" in s.ours and "April 4" in s.theirs
               for found in conflicts_of(thursday).values() for s in found)
    # Meaning-level conflicts planted with fact-checks: an activity said to have stopped (aid to Ukraine,
    # reports to the US) against the articles that report it going on, flagged with both values.
    stopped_aid = claim_with("Germany has stopped all humanitarian aid")
    aid = claim_with("The money is meant for humanitarian aid")
    assert [(s.kind, s.ours, s.theirs) for s in conflicts_of(stopped_aid)[aid]] == [
        ("ceased", "stopped all humanitarian aid", "meant for humanitarian aid")]
    stopped_reports = claim_with("Ukraine has stopped passing information")
    report_to_us = claim_with("Ukrainian officials said they would report")
    assert [(s.ours, s.theirs) for s in conflicts_of(stopped_reports)[report_to_us]] == [
        ("stopped passing information", "they would report")]
    # Seen from the ministry's statement the fact-check conflicts too (its rating, and the values swapped).
    passed = claim_with("Information about the Kherson strike has been passed")
    assert [(s.kind, s.ours, s.theirs) for s in conflicts_of(passed)[stopped_reports]] == [
        ("rating", "", "False"), ("ceased", "has been passed", "stopped passing information")]
    # Agreeing pairs (demo README: corroborated facts in other words) are not flagged.
    for ours, theirs in [("The White House said on March 25", "On that day the White House said"),
                         ("The attack came a week after the White House said Moscow and Kyiv",
                          "The White House announced on March 25"),
                         ("Foreign Minister Annalena Baerbock is in Kyiv", "German Foreign Minister Annalena Baerbock")]:
        assert claim_with(theirs) not in conflicts_of(claim_with(ours)), (ours, theirs)
    # The unrelated near miss (a storm cutting power to 12,000 homes) conflicts with nothing.
    storm = claim_with("About 12,000 homes")
    assert conflicts_of(storm) == {}
    assert all(storm not in conflicts_of(c) for c in claims)
    db.close()
