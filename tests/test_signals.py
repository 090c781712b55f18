"""Signals between a claim and its match: cheap heuristics, checked on hand-made pairs."""

from workbench.signals import compare, dates_in, has_conflict, numbers_in, places_in


def messages(a, b, **kw):
    return [s.message for s in compare(a, b, **kw)]


def test_numbers_dates_and_places_that_differ_are_conflicts():
    found = compare("A drone strike in Kherson on April 1 killed 4 people.",
                    "A drone strike near Mykolaiv on April 2 killed five people.")
    assert [s.message for s in found] == [
        "dates differ: April 1 vs April 2", "numbers differ: 4 vs 5", "places differ: Kherson vs Mykolaiv"]
    assert all(s.conflict for s in found)


def test_agreement_is_reported_and_not_a_conflict():
    found = compare("Officials will meet on Friday, April 4, in Kyiv.", "They meet in Kyiv on 4 April 2025.")
    assert {s.message for s in found} == {"same dates: April 4", "same places: Kyiv"}
    assert not has_conflict("Officials will meet on Friday, April 4.", "They meet on 4 April 2025.")


def test_extra_detail_on_one_side_is_not_a_conflict():
    assert messages("Prices rose 4 per cent.", "Prices rose 4% in 2024.") == []


def test_units_and_number_words():
    assert numbers_in("Prices rose 4.5 per cent to 1,200 in 2024; three officials") == ["4.5%", "1200", "2024", "3"]
    assert numbers_in("On April 3 nothing else") == []


def test_dates_and_places_extraction():
    assert dates_in("on Sept. 3 and on 4th of July, 2024") == ["September 3", "July 4"]
    assert places_in("Talks in Kyiv, a strike near the Zaporizhzhia Nuclear Plant, on Friday") == [
        "Kyiv", "Zaporizhzhia Nuclear Plant"]
    assert places_in("It happened in April") == []


def test_fact_check_rating_and_negation():
    found = compare("Russia agreed to stop attacking energy sites.",
                    "Russia did not agree to stop attacking energy sites.", rating="False")
    assert [s.kind for s in found] == ["rating", "negation"]
    assert compare("x", "y", rating="True")[0].conflict is False


def test_nothing_to_compare_gives_no_signal():
    assert compare("The minister resigned.", "The minister stepped down.") == []
    assert compare("Districts were left without power.", "Power was cut in districts.") == []


def test_a_place_named_as_city_of_is_compared():
    from workbench.signals import compare, places_in

    ours = "A Russian drone struck an energy facility in the southern Ukrainian city of Kherson on April 1."
    theirs = "A Russian drone hit an energy facility in Mykolaiv on April 1."
    assert places_in(ours) == ["Kherson"]
    messages = [signal.message for signal in compare(ours, theirs) if signal.conflict]
    assert messages == ["places differ: Kherson vs Mykolaiv"]
