"""Claimants as newsrooms write them, their cross-article keys, and the query that groups by them.

Every sentence here is written for this test (invented places and people); none comes from real articles.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from workbench.claimant import find_claimant
from workbench.claimant_keys import claimant_key
from workbench.claimant_resolution import attribute_article
from workbench.db import open_database
from workbench.ingest import ingest_text
from workbench.queries import claimant_groups, claims_by_claimant
from workbench.splitting import split_claims


@pytest.mark.parametrize(
    "sentence, claimant",
    [
        # quote, then attribution: the most common wire pattern, curly and straight quotes alike
        ("“The bridge will reopen in May,” Mayor Lena Ortiz said on Tuesday.", "Lena Ortiz"),
        ('"The bridge will reopen in May," Mayor Lena Ortiz said.', "Lena Ortiz"),
        ("“We counted 40 boats in the bay,” said Tomas Berg of the harbour authority.", "Tomas Berg"),
        ("Flooding cut power to 3,000 homes, the regional grid operator said on Monday.", "regional grid operator"),
        ("The death toll rose to 30, state television reported.", "state television"),
        ("“We followed the law,” District Attorney Ann Vale told reporters after the ruling.", "Ann Vale"),
        ('"Crews are still digging," the spokesman of the governor, Omar Feld, told Valdor Radio, adding that '
         "12 villages were hit.", "Omar Feld"),
        ("The tremor shook two provinces, according to regional press reports.", "regional press reports"),
        # a sentence opener inside the quote is not the speaker ("From" was, before)
        ("“From what we saw in the valley, the flood buried 300 houses,” Mr Tamba said.", "Tamba"),
        # apposition, including one that holds a comma of its own ("Valdor" was taken before)
        ("Rita Mensah, the head of the water board, said the reservoir was at 12 percent.", "Rita Mensah"),
        ("Mr Olsen, who spoke by phone from the capital, Valdor, said that 30 homes were lost.", "Olsen"),
        # possessive titles, straight and curly apostrophes alike
        ("Freedonia's defence minister Karl Haas said 12 drones were shot down overnight.", "Karl Haas"),
        ("Freedonia’s defence minister Karl Haas said 12 drones were shot down overnight.", "Karl Haas"),
        ("Freedonia’s defence ministry said 12 drones were shot down overnight.", "Freedonia's defence ministry"),
        # according to / a report in an outlet / a role after an intro phrase
        ("The dam holds 2 million cubic metres of water, according to the national water agency.",
         "national water agency"),
        ("Press review: A report published in the Daily Courier said the levee failed at 3 am.", "Daily Courier"),
        ("Sadly, officials in Norvale district have reported that 50 people are missing.",
         "officials in Norvale district"),
        ("Local station KRTV reported that 14 people were rescued.", "KRTV"),
        # nobody named: the outlet states it itself
        ("The dam burst at dawn, according to initial reports.", None),
        ("Preliminary figures show 40 homes were destroyed.", None),
        ("Hundreds of residents were feared dead after the landslide.", None),
        ("The attack came a day after the Harbour Board said the port was safe.", None),
        ("Governments in the Nordic states have not said whether they would send troops.", None),
    ],
)
def test_find_claimant_newsroom_patterns(sentence, claimant):
    assert find_claimant(sentence) == claimant


def claimants_of(text: str) -> list[str | None]:
    return [c.claimant for c in split_claims(text)]


def test_pronouns_resolve_to_a_person_a_body_or_a_group():
    text = (
        "Rita Mensah, the head of the water board, said the reservoir was at 12 percent on Monday. "
        "She added that rationing would start in June.\n\n"
        "The Norvale Water Agency said 200 wells had run dry. "
        "It said repairs would take three weeks.\n\n"
        "Army officials have set up a field clinic near the river. "
        "They say the camp needs more tents and 40 more nurses."
    )
    assert claimants_of(text) == [
        "Rita Mensah", "Rita Mensah", "Norvale Water Agency", "Norvale Water Agency",
        None, "army officials",
    ]


def test_titles_resolve_to_the_person_the_article_names():
    text = (
        "Foreign Minister Ann Kowal met her counterparts in Valdor on Friday to discuss 3 border crossings. "
        "The outgoing Freedonian foreign minister announced that 2 crossings would reopen in May.\n\n"
        "After the Foreign Minister had left the summit, she said the talks had lasted 9 hours."
    )
    assert claimants_of(text) == [None, "Ann Kowal", "Ann Kowal"]


def test_a_quotation_shares_its_speaker_named_at_its_start_or_its_end():
    text = (
        "“The river rose 4 metres in one night, the highest since 1987.\n\n"
        "“We have moved 300 families to the school,” Mayor Lena Ortiz said.\n\n"
        "“Two of the shelters are already full.”\n\n"
        "Heavy rain damaged 40 homes in the valley. Crews worked through the night to clear 3 roads. "
        "All shelters are open,” the regional governor said on Sunday."
    )
    assert claimants_of(text) == ["Lena Ortiz", "Lena Ortiz", "Lena Ortiz",
                                  "regional governor", "regional governor", "regional governor"]


def test_attribute_article_takes_spans_of_the_text():
    text = "“Three roads are closed,” said Tomas Berg. He said 2 bridges were also shut."
    spans = [(0, 42), (43, len(text))]
    assert attribute_article(text, spans) == ["Tomas Berg", "Tomas Berg"]


@pytest.mark.parametrize(
    "names, key",
    [
        (["Volodymyr Zelenskyy", "Zelenskyy", "Zelensky", "Zelenskiy"], "zelensky"),
        (["the Ukrainian Emergency Service", "Ukrainian Emergency Service", "Emergency Service"], "emergency service"),
        (["The Harbour Protection Agency (HPA)", "HPA"], "hpa"),
        (["Freedonia's Ministry of Energy", "Freedonia’s Ministry of Energy", "Ministry of Energy"],
         "ministry energy"),
        (["Mayor Abdel al-Rahim", "al-Rahim", "Mr Rahim"], "rahim"),
        (["regional officials"], "regional officials"),
    ],
)
def test_one_key_for_the_spellings_of_one_claimant(names, key):
    assert {claimant_key(name) for name in names} == {key}


def test_no_claimant_has_no_key():
    assert claimant_key(None) is None and claimant_key("  ") is None


def test_the_desk_can_group_claims_by_claimant_across_sources(tmp_path):
    db = open_database(tmp_path / "claims.db")
    ingest_text(db, "President Volodymyr Zelenskyy said 12 drones were shot down on Monday.", source="Wire A")
    ingest_text(db, "“We shot down 12 drones,” Zelensky said on Monday.", source="Paper B")
    ingest_text(db, "The Norvale Water Agency said 200 wells had run dry.", source="Paper B")
    groups = {g.claimant_key: g for g in claimant_groups(db)}
    assert groups["zelensky"].claims == 2 and groups["zelensky"].sources == 2
    assert groups["zelensky"].names == ["Volodymyr Zelenskyy", "Zelensky"]
    assert [c.source for c in claims_by_claimant(db, "zelensky")] == ["Wire A", "Paper B"]
    assert claims_by_claimant(db, "nobody") == []
    # The CLI filters by any spelling of the claimant.
    done = subprocess.run([sys.executable, "-m", "workbench", "claims", "--claimant", "Zelenskiy", "--json",
                           "--db", str(tmp_path / "claims.db")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert [c["source"] for c in json.loads(done.stdout)] == ["Wire A", "Paper B"]


def test_migration_gives_existing_claims_their_keys_in_another_process(tmp_path):
    path = tmp_path / "claims.db"
    db = open_database(path)
    ingest_text(db, "Mayor Lena Ortiz said the bridge will reopen on 3 May.", source="Wire A")
    db.close()
    # Make the file what a database from before m012 looked like: no key column, m012 not applied.
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX claims_claimant_key")
        conn.execute("ALTER TABLE claims DROP COLUMN claimant_key")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm012_claimant_key'")
    # Another process opens it (and so migrates it) as any command would.
    done = subprocess.run([sys.executable, "-m", "workbench", "claims", "--json", "--db", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT claimant, claimant_key FROM claims").fetchall() == [("Lena Ortiz", "ortiz")]


def test_a_claimant_is_shown_by_its_most_common_spelling(tmp_path):
    import desk_corpus  # the desk's test corpora (tests/desk_corpus.py)

    db = open_database(desk_corpus.build_quoted(tmp_path / "quoted.db"))
    first = claimant_groups(db)[0]
    # "Kovalenko" twice beats the fuller "Anna Kovalenko" once; every spelling is still listed
    assert (first.claimant_key, first.name, first.names) == ("kovalenko", "Kovalenko", ["Anna Kovalenko", "Kovalenko"])
    assert (first.claims, first.articles, first.sources) == (3, 2, 2)
    db.close()
