"""The one extractor of quantities, dates, places and names, and what worthiness and signals make of it.

Every sentence here is written for this test; none comes from a corpus.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.facts import dates, names, places, quantities
from workbench.signals import compare, has_conflict, numbers_in
from workbench.worthiness import assess


def counted(text: str) -> list[tuple[float, str | None]]:
    return [(q.value, q.unit) for q in quantities(text)]


def test_a_compound_number_word_is_one_quantity():
    (days,) = quantities("The ferry strike ended after forty-two days of talks.")
    assert (days.value, days.unit, days.text) == (42, "days", "forty-two days")
    assert counted("Twenty one lorries and four vans were stopped.") == [(21, "lorries"), (4, "vans")]


def test_scale_words_and_currencies_multiply_out():
    (grant,) = quantities("The city council approved 130 million euros for the new tram line.")
    assert grant.value == 130_000_000 and grant.unit == "EUR" and grant.text == "130 million euros"
    assert counted("a loan of $1.5 billion, or £2bn, and 3.2% interest") == [
        (1_500_000_000, "USD"), (2_000_000_000, "GBP"), (3.2, "%")]


def test_what_a_number_counts_follows_it():
    assert counted("Roughly 45,000 consumers lost their gas supply.") == [(45_000, "consumers")]
    assert quantities("Roughly 45,000 consumers lost their gas supply.")[0].approximate
    assert counted("Police made 15 arrests; 8 injured and two industrial sheds burned.") == [
        (15, "arrests"), (8, "injured"), (2, "sheds")]
    assert counted("The new bypass is 17.2 km long.") == [(17.2, "km")]
    # A preposition after the number says nothing about what it counts.
    (votes, against) = quantities("The motion passed by 31 votes to 12 after midnight.")
    assert (votes.unit, against.unit, against.text) == ("votes", None, "12")


def test_clock_times_are_times_not_counts():
    text = "By 6 a.m. nine shops were shut, and at 14:30 or 2:09 a.m. the count was still nine."
    assert counted(text) == [(9, "shops"), (9, None)]
    assert [(d.text, d.kind) for d in dates(text)] == [("6 a.m.", "time"), ("14:30", "time"), ("2:09 a.m.", "time")]
    assert quantities("The ferry left at 7.15 pm and docked at 9:40 AM, flight 4K2290 at 11pm.") == []


def test_model_designations_ordinals_and_years_are_not_counts():
    assert quantities("Pilots trained on the F-16 while Su-34 bombers and S-300 batteries moved.") == []
    assert quantities("It was the mayor's 11th visit to the harbour, her 3rd this spring.") == []
    text = "The bridge, opened in 1998, was closed in 2024."
    assert quantities(text) == []
    assert [(d.kind, d.year) for d in dates(text)] == [("year", 1998), ("year", 2024)]


def test_one_as_a_pronoun_is_not_a_quantity():
    assert quantities("No one wants another winter without heating.") == []
    assert quantities("It was one of the coldest nights, and they helped one another.") == []
    assert counted("Police said that one person was taken to hospital.") == [(1, "person")]


def test_vague_amounts_are_marked():
    (crowd,) = quantities("Hundreds of residents gathered outside the town hall.")
    assert crowd.vague and crowd.value == 100
    assert numbers_in("Hundreds of residents gathered outside the town hall.") == []


@pytest.mark.parametrize(("text", "month_day", "span"), [
    ("The ferry resumed on April 1 after repairs.", "April 1", "April 1"),
    ("Flooding began on the night of April 1 in the valley.", "April 1", "on the night of April 1"),
    ("The tariff was announced on March 25.", "March 25", "March 25"),
    ("Talks resume on Friday, April 4, in the capital.", "April 4", "Friday, April 4"),
    ("The vote is set for 4 April 2025.", "April 4", "4 April 2025"),
    ("Fireworks are planned for the 4th of July.", "July 4", "4th of July"),
    ("The depot reopened on Sept. 3.", "September 3", "Sept. 3"),
])
def test_dates_name_a_month_and_day(text, month_day, span):
    (found,) = [d for d in dates(text) if d.kind == "date"]
    assert (found.month_day, found.text) == (month_day, span)
    assert quantities(text) == []


def test_other_time_anchors():
    found = dates("Yesterday the port said work stops this week, from Monday, and resumes in June 2026.")
    assert [(d.text, d.kind) for d in found] == [
        ("this week", "relative"), ("Monday", "weekday"), ("June 2026", "month")]
    # "may" is a verb, not a month, unless a day or a year stands next to it.
    assert dates("Officials may close the road.") == []
    assert dates("May 9 is a holiday.")[0].month_day == "May 9"


def test_places_and_names():
    text = "The mayor of Eastmere met Transport Minister Ana Rossi in Valdora on Tuesday."
    assert places(text) == ["Valdora"]
    assert names(text) == ["Eastmere", "Transport Minister Ana Rossi", "Valdora"]
    # A number word opening a sentence is a quantity, not a name.
    assert names("Seven ministers met in Valdora.") == ["Valdora"]


def test_worthiness_and_signals_read_the_same_numbers():
    sentence = "After forty-two days the strike ended with 1,200 jobs saved."
    assert assess(sentence).features["numbers"] == ["forty-two days", "1,200 jobs"]
    assert numbers_in(sentence) == ["42", "1200"]


def test_forty_two_written_two_ways_is_not_a_numbers_conflict():
    ours = "The blockade was lifted after forty-two days."
    theirs = "The blockade was lifted after 42 days."
    assert [s.message for s in compare(ours, theirs)] == ["same numbers: 42"]
    assert not has_conflict(ours, theirs)


def test_clock_times_and_designations_do_not_make_a_numbers_conflict():
    assert not has_conflict("By 6 a.m. eight people were wounded.", "As of 2:09 a.m., eight people were wounded.")
    assert not has_conflict("Two F-16 jets crashed.", "Two jets crashed.")
    numbers = [s.message for s in compare("No one was hurt when 3 cars collided.", "3 cars collided; nobody was hurt.")
               if s.kind == "numbers"]
    assert numbers == ["same numbers: 3"]


def test_different_counts_still_conflict():
    found = compare("The storm cut power to 12,000 homes.", "The storm cut power to 15,000 homes.")
    assert [s.message for s in found if s.conflict] == ["numbers differ: 12000 vs 15000"]
    assert [s.message for s in compare("Aid of 130 million euros was pledged.", "Aid of 150 million euros was pledged.")
            if s.conflict] == ["numbers differ: 130 million vs 150 million"]


ALPHABET = "0123456789,.:-$€% aAbmMpPstnhdyof"
WORDS = ["one", "forty", "two", "no", "of", "million", "euros", "April", "May", "Friday", "a.m.", "pm", "F-16",
         "11th", "2024", "people", "about", "in", "Kyiv", "the", "dozens", "per cent", "km", "night"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(ALPHABET, max_size=6)), max_size=12).map(" ".join))
def test_every_finding_is_an_exact_span_and_never_overlaps(text):
    found = quantities(text)
    for q in found:
        assert text[q.start:q.end] == q.text and q.text.strip() == q.text and q.value >= 0
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
    for d in dates(text):
        assert text[d.start:d.end] == d.text
        assert not any(q.start < d.end and d.start < q.end for q in found)  # a date is never also a count
