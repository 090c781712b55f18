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


# ---- like with like (issue 11): every signal kind, and the pairs that must not fire ----
from workbench.relation import assess, relation_of  # noqa: E402
from workbench.vocab import DEFAULT_MIN_SCORE  # noqa: E402
from workbench.signals import Signal  # noqa: E402


def conflicts(a, b, **kw):
    return [s.message for s in compare(a, b, **kw) if s.conflict]


def test_the_same_number_written_two_ways_is_not_a_conflict():
    assert conflicts("Twelve hundred homes lost power.", "1,200 homes lost power.") == []
    assert conflicts("The ferry carried 2.5 million passengers.", "The ferry carried 2,500,000 passengers.") == []


def test_rounding_and_hedges_are_not_conflicts():
    assert conflicts("The ridge is 17km long.", "The ridge is 17.2 km long.") == []
    assert conflicts("About 10,000 people are missing.", "Some 10,100 people are missing.") == []
    assert conflicts("Nearly 80 miners were trapped.", "77 miners were trapped.") == []
    assert conflicts("The plant employs 3,000 people.", "The plant employs 3,140 people.") == []
    # A hedge reaches half the figure's last place: "about 46" does not cover 43.
    assert conflicts("The epicentre was about 46 km north of the village.", "The epicentre was 43 km north of the village.") \
        == ["numbers differ: about 46 vs 43"]


def test_compatible_bounds_are_not_conflicts_and_incompatible_ones_are():
    assert conflicts("More than 3,000 people were hurt.", "Over 3,300 people were hurt.") == []
    assert conflicts("At least 40 houses were buried.", "Forty-four houses were buried.") == []
    assert conflicts("Six villages were cut off.", "More than six villages were cut off.") == \
        ["numbers differ: 6 vs more than 6"]
    assert conflicts("More than 300 people were killed.", "Up to 250 people were killed.")
    # A floor far below a later figure is another count: "at least 4 dead" and "nine dead".
    assert conflicts("At least four people died in the fire.", "Nine people died in the fire.")
    # "gone up to" is a figure reached, not a ceiling.
    assert conflicts("The toll has gone up to 1,742.", "The toll has risen to at least 2,050.")


def test_only_figures_counting_the_same_thing_are_compared():
    # Dead and injured in one sentence, a toll in the other: only the tolls meet.
    ours = "Officials said 1,140 people had died and 1,675 were injured."
    assert conflicts(ours, "The death toll has risen to 2,300.") == ["numbers differ: 1140 vs 2300"]
    assert conflicts(ours, "More than 1,600 people were injured.") == []
    assert conflicts("Her 11th visit brought 130 million euros.", "The aid totals 20 trucks.") == []
    assert conflicts("The toll passed 1,500.", "The toll from the quake that measured 6.1 on the Richter scale "
                     "rose to 1,742.") == ["numbers differ: 1500 vs 1742"]
    assert conflicts("The quake had a depth of 6.2 miles.", "Its origin was 10 kilometres deep.") == []
    assert conflicts("The quake had a depth of 6.2 miles.", "Its origin was 22.5 kilometres deep.")


def test_the_same_figure_for_different_things_is_reported_not_flagged():
    found = compare("The outage left 45,000 consumers without gas.", "The outage left 45,000 residents without gas.")
    counts = [s for s in found if s.kind == "counts"]
    assert counts and not counts[0].conflict
    assert (counts[0].ours, counts[0].theirs) == ("45,000 consumers", "45,000 residents")


def test_weekdays_are_resolved_against_the_publication_date():
    ours, theirs = "The strike hit the depot on Thursday evening.", "The strike hit the depot on Friday evening."
    found = [s for s in compare(ours, theirs, published="2025-04-05", other_published="2025-04-05") if s.conflict]
    assert [s.message for s in found] == ["dates differ: Thursday (April 3) vs Friday (April 4)"]
    assert found[0].days_apart == 1
    # The same day written two ways: a weekday in Saturday's paper and the date.
    assert conflicts("The depot was hit on Friday.", "The depot was hit on April 4.", published="2025-04-05") == []
    assert conflicts("The depot was hit yesterday.", "The depot was hit on 4 April.", published="2025-04-05") == []
    assert conflicts("The depot was hit on the night of April 4.", "The depot was hit on Friday night.",
                     published="2025-04-06", other_published="2025-04-06") == []
    # A date with its weekday against a weekday read from another paper's date.
    assert conflicts("The slope gave way on Friday, May 22.", "The slope gave way on Friday.",
                     other_published="2026-05-30") == ["dates differ: May 22 vs Friday (May 29)"]


def test_spelling_variants_of_a_place_are_one_place():
    for ours, theirs in [("Kryvyi Rih", "Kryvyi Rig"), ("Kryvyi Rih", "Krivoy Rog"), ("Kyiv", "Kiev"),
                         ("Odesa", "Odessa")]:
        assert conflicts(f"A missile hit a hotel in {ours}.", f"A missile hit a hotel in {theirs}.") == [], theirs
    assert conflicts("A missile hit a hotel in Kryvyi Rih.", "A missile hit a hotel in Dnipro.") == [
        "places differ: Kryvyi Rih vs Dnipro"]


def test_where_a_journey_started_and_which_airport():
    assert conflicts("The flight departed from Lisbon and landed at Porto Airport.",
                     "The flight from Madrid landed at Porto Airport.") == ["origins differ: Lisbon vs Madrid"]
    assert conflicts("The plane crashed at Corvo Airport.", "The plane crashed at Flores Airport.")
    # A route and a region are not two answers to where it happened.
    assert conflicts("The train from Alderton crashed near Brook station in Vale district.",
                     "The train crashed in Wexham.") == []


def test_parties_and_actors_are_compared_by_role():
    assert conflicts("The United States and Ukraine have agreed to a truce.",
                     "The United States and Russia have agreed to a truce.") == [
        "parties differ: United States and Ukraine vs United States and Russia"]
    # A capital standing for its country is the same party.
    assert conflicts("Moscow and Kyiv agreed to swap prisoners.", "Russia and Ukraine agreed to swap prisoners.") == []
    assert conflicts("Falling rocks killed a bus driver.", "A landslide killed a truck driver.") == [
        "actors differ: bus driver vs truck driver"]
    assert conflicts("Falling rocks killed a bus driver.", "A bus driver was killed by rocks.") == []


def test_a_denial_against_an_assertion():
    found = compare("The ministry confirmed the plant was shut down.", "The ministry denied the plant was shut down.")
    assert [(s.kind, s.theirs) for s in found if s.conflict] == [("negation", "denied")]
    # "no one" is a count of zero, not a denial; unrelated sentences do not make a denial signal.
    assert conflicts("No one was hurt in the blaze at the plant.", "Nobody was hurt in the blaze at the plant.") == []
    assert conflicts("The mayor did not attend.", "Rain flooded the market square on Sunday.") == []


def test_a_range_is_one_figure_pair_and_a_vote_is_not_a_rate():
    assert conflicts("The bank set its rate at 4.75-5%.", "Eleven of 12 members backed a rate of 4.75% to 5%.") == []
    assert conflicts("The bank set its rate at 4.75-5%.", "The bank set its rate at 4.5 to 4.75 percent.")


def test_a_paraphrase_gives_no_conflict():
    assert conflicts("Rescuers pulled 12 survivors from the rubble on Monday.",
                     "On Monday, twelve survivors were pulled out of the rubble by rescue teams.") == []


def test_each_conflict_names_both_values():
    for signal in compare("A drone strike in Kherson on April 1 killed 4 people.",
                          "A drone strike near Mykolaiv on April 2 killed five people."):
        assert signal.conflict and signal.ours and signal.theirs and signal.ours in signal.message


# ---- relation: a conflict needs one shown event ----

def test_relation_needs_a_shown_match_and_one_event():
    ours, theirs = "The fire destroyed 40 homes on Tuesday.", "The fire destroyed 55 homes on Tuesday."
    assert assess(ours, theirs, 0.7).relation == "conflicts"
    below = assess(ours, theirs, DEFAULT_MIN_SCORE - 0.01)
    assert below.relation == "related" and not any(s.conflict for s in below.signals)
    # Published weeks apart: another fire.
    assert assess(ours, theirs, 0.7, published="2025-01-02", other_published="2025-03-02").relation == "related"
    # Two kinds of event: a flood and an earthquake.
    assert assess("The flood killed 12 people.", "The earthquake killed 30 people.", 0.6).relation == "related"
    # Dates far apart are two events, not one dated two ways.
    assert assess("Talks opened on April 3.", "Talks opened on March 25.", 0.6).relation == "related"
    assert assess(ours, "The fire destroyed 40 homes on Tuesday, the chief said.", 0.7).relation == "supports"
    assert assess("The mayor spoke.", "Rain fell.", 0.4).relation == "related"


def test_a_place_alone_conflicts_only_when_something_ties_the_reports():
    tied = assess("A drone hit a depot in Kherson on April 1.", "A drone hit a depot in Mykolaiv on April 1.", 0.5)
    assert tied.relation == "conflicts"
    loose = assess("The minister spoke in Kyiv.", "The minister left Berlin.", 0.5)
    assert loose.relation == "related"
    # Another place and another figure: another event.
    assert relation_of([Signal("places", "", True, "A", "B"), Signal("numbers", "", True, "1", "2")], 0.8) == "related"


def test_a_fact_check_rating_flags_a_claim_that_repeats_it_only():
    rated = "The dam burst without any warning."
    assert assess("The dam burst without any warning, residents said.", rated, 0.8, rating="False").relation \
        == "conflicts"
    neighbour = assess("Volunteers handed out water in the square.", rated, 0.4, rating="False")
    assert neighbour.relation == "related"
    # The rating itself stays flagged on a shown match: it is another desk's verdict.
    assert [s.kind for s in neighbour.signals if s.conflict] == ["rating"]
    assert not any(s.conflict for s in assess("Volunteers handed out water.", rated, 0.2, rating="False").signals)


# ---- independent sources: copies of one story are folded ----
import hashlib  # noqa: E402

import pytest  # noqa: E402

from workbench.matching import MatchSettings, match_claims, matches_for  # noqa: E402
from workbench.matching.copies import entry_bar, fold, is_copy  # noqa: E402
from workbench.matching.scoring import Candidate  # noqa: E402
from workbench.relation import conflicting_match_counts  # noqa: E402
from workbench.suggestion import suggest  # noqa: E402

WIRE = "A tanker ran aground off Port Elsby on Monday and 19 crew members were rescued, the coastguard said."


def test_a_copy_is_near_identical_text_with_the_same_figures():
    assert is_copy(WIRE, WIRE.replace("the coastguard said", "the coastguard told reporters"))
    assert is_copy("19 crew rescued after a tanker ran aground off Port Elsby on Monday",
                   "19 crew rescued after a tanker ran aground off Port Elsby on Monday, officials say")
    # The same words with another figure are two reports, not copies.
    assert not is_copy(WIRE, WIRE.replace("19", "18"))
    assert not is_copy(WIRE, "The coastguard said the tanker's owner would pay for the clean-up.")


def test_fold_keeps_k_independent_sources_and_puts_copies_after_them():
    texts = {1: WIRE, 2: WIRE + " ", 3: WIRE.replace("19", "18"), 4: "Oil reached the beach at Port Elsby.",
             5: WIRE.replace("Monday", "Monday morning")}
    ranked = [Candidate(c, 1 - c / 10, None, None) for c in (1, 2, 3, 5, 4)]
    # Down to the k-th independent source: what is kept depends on the scores alone (incremental
    # matching relies on it), so a copy ranked below the k-th source is left out.
    rows = fold(ranked, texts, 2)
    assert [(c.claim_id, copy_of) for c, copy_of in rows] == [(1, None), (3, None), (2, 1)]
    rows = fold(ranked, texts, 3)
    assert [(c.claim_id, copy_of) for c, copy_of in rows] == [(1, None), (3, None), (4, None), (2, 1), (5, 1)]


def test_an_outlets_third_sentence_does_not_count_towards_k():
    """Four sentences of one page near the top do not hide the other outlets: from its third on they
    are rows of their own (not copies) that k grows past, until k sources are counted."""
    texts = {1: "A second outlet says the ferry sank at noon.", 2: "The ferry sank at dawn.",
             3: "Its captain was rescued.", 4: "Divers searched the wreck.", 5: "The harbour stayed shut.",
             6: "A third outlet says it sank in the evening."}
    sources = {1: 20, 2: 10, 3: 10, 4: 10, 5: 10, 6: 30}
    ranked = [Candidate(c, 1 - c / 10, None, None) for c in texts]
    assert [c.claim_id for c, _ in fold(ranked, texts, 4)] == [1, 2, 3, 4]
    rows = fold(ranked, texts, 4, sources)
    assert [(c.claim_id, copy_of) for c, copy_of in rows] == [(1, None), (2, None), (3, None), (4, None),
                                                               (5, None), (6, None)]
    # Two sentences of one outlet still count as two.
    assert [c.claim_id for c, _ in fold(ranked, texts, 3, sources)] == [1, 2, 3]
    # A single outlet (a collection of fact-checks) has no other to make room for: k rows, as before.
    single = dict.fromkeys(texts, 10)
    assert [c.claim_id for c, _ in fold(ranked, texts, 4, single)] == [1, 2, 3, 4]
    # The fold stopped at its k-th counted source: the lowest kept score is the bar ...
    longer = [*ranked, Candidate(7, 0.2, None, None)]
    rows = fold(longer, {**texts, 7: "A fourth outlet."}, 4, {**sources, 7: 40})
    assert len(rows) == 6 and entry_bar(rows, len(longer), 4) == ranked[5].score
    # ... but a short pool used up while still short of k counted sources lets any newcomer in.
    assert entry_bar(fold(ranked, texts, 5, sources), len(ranked), 5) is None


def _add(db, source: str, sentences: list[str], published: str = "2026-03-02") -> list[int]:
    source_id = db["sources"].insert({"name": source, "kind": "outlet"}).last_pk
    text = " ".join(sentences)
    article_id = db["articles"].insert({
        "source_id": source_id, "title": f"{source} report", "text": text, "published": published,
        "content_hash": hashlib.sha256(f"{source}{text}".encode()).hexdigest(), "ingested_at": "2026-03-02",
    }).last_pk
    ids, start = [], 0
    for position, sentence in enumerate(sentences):
        ids.append(db["claims"].insert({
            "article_id": article_id, "source_id": source_id, "position": position,
            "span_start": start, "span_end": start + len(sentence), "text": sentence}).last_pk)
        start += len(sentence) + 1
    return ids


@pytest.mark.model
def test_wire_copies_fold_so_every_independent_source_is_seen(real_embedder, tmp_path):
    """Four outlets print one wire story, one reports another toll: with k=3 the other toll is seen,
    the copies are stored folded under the first, and counts are of independent sources."""
    from workbench.db import open_database

    db = open_database(tmp_path / "copies.db")
    (claim,) = _add(db, "Harbour Herald", ["The coastguard rescued 19 crew members after a tanker ran aground off "
                                           "Port Elsby on Monday."])
    for outlet in ("Wire A", "Paper B", "Paper C", "Paper D"):
        _add(db, outlet, [WIRE])
    (other,) = _add(db, "Coast Radio", ["A tanker ran aground off Port Elsby on Monday and 18 crew members were "
                                        "rescued, the coastguard said."])
    _add(db, "Farm Weekly", ["Wheat prices fell for the third month in a row."])
    match_claims(db, real_embedder, settings=MatchSettings(k=3, model=real_embedder.name))
    rows = matches_for(db, claim)
    shown = [m for m in rows if m.copy_of is None]
    assert other in {m.other_claim_id for m in shown}
    copies = [m for m in rows if m.copy_of is not None]
    assert len(copies) == 3 and {m.copy_of for m in copies} == {shown[0].other_claim_id}
    assert [m.rank for m in rows] == sorted(m.rank for m in rows) and max(m.rank for m in shown) < min(
        m.rank for m in copies)
    # The stored relation: the 18 is a conflict, the copies of the 19 support it.
    relation = {m.other_claim_id: m.relation for m in rows}
    assert relation[other] == "conflicts"
    assert {relation[m.other_claim_id] for m in copies} == {"supports"}
    assert conflicting_match_counts(db, [claim]) == {claim: 1}
    db.close()


class _Row:
    """What suggest() reads of a match (desk.MatchRow has these)."""

    def __init__(self, source, relation, signals=(), score=0.6, copy_of=None):
        self.source, self.relation, self.signals, self.score, self.copy_of = source, relation, list(signals), score, \
            copy_of


def test_suggestion_counts_independent_sources_and_says_why():
    agree = [_Row("Wire A", "supports"), _Row("Paper B", "supports", copy_of=1), _Row("Radio C", "supports")]
    assert suggest(agree).label == "corroborated" and suggest(agree).reason == "2 independent sources agree"
    one = suggest([_Row("Wire A", "supports"), _Row("Wire A", "supports")])
    assert one.label == "unverified" and one.reason.startswith("only one other source reports it")
    differ = suggest([_Row("Coast Radio", "conflicts", [Signal("numbers", "numbers differ: 19 vs 18", True, "19", "18")]),
                      _Row("Wire A", "supports")])
    assert differ.label == "disputed" and differ.reason == "Coast Radio says 18, this says 19; 1 agrees"
    assert suggest([]).reason == "no other source reports it"
    # A match below the display minimum is not evidence.
    assert suggest([_Row("Wire A", "supports", score=0.2), _Row("Radio C", "supports", score=0.2)]).label == "unverified"


# ---- meaning-level differences: an activity said to have stopped, a condition denied ----

def test_an_activity_said_to_have_stopped_against_a_report_of_it_going_on():
    found = compare("The council has stopped publishing its budget figures.",
                    "The council's budget figures were published on its website, the clerk said.")
    assert [(s.kind, s.ours, s.theirs) for s in found if s.conflict] == [
        ("ceased", "stopped publishing", "figures were published")]
    # A thing, not an action: "stopped all food deliveries" against "sent food deliveries".
    assert [s.kind for s in compare("The charity stopped all food deliveries to the valley.",
                                    "Volunteers said food deliveries reached the valley on Monday.") if s.conflict] \
        == ["ceased"]
    # Handing over is one family of verbs: "stopped sharing" against "gave".
    assert [s.theirs for s in compare("The agency stopped sharing flood data with the towns.",
                                      "The agency gave the towns its flood data.") if s.conflict] == ["The agency gave"]


def test_an_agreement_to_stop_and_a_paraphrase_are_not_a_stop():
    # "agreed to stop" is a promise, not an end; both sides say the same.
    assert conflicts("The two sides agreed to stop shelling the port.",
                     "Both sides have agreed to halt shelling of the port.") == []
    # Both sides say it stopped, in other words.
    assert conflicts("The mill has stopped producing paper.", "The mill no longer produces paper.") == []
    # The other side denies that it goes on: no contradiction either.
    assert conflicts("The mill has stopped producing paper.", "The mill did not produce paper this year.") == []
    # What stopped is not mentioned on the other side.
    assert conflicts("The mill has stopped producing paper.", "The mill employs 40 people.") == []


def test_a_condition_denied_against_a_condition_named():
    found = compare("The union accepted the offer without any conditions.",
                    "The union said it would accept the offer only if night shifts were paid double.")
    assert [(s.kind, s.ours, s.theirs) for s in found if s.conflict] == [
        ("conditions", "without any conditions", "only if night shifts were paid double")]
    assert [s.kind for s in compare("The loan was granted unconditionally.",
                                    "The loan will depend on new budget cuts, the ministry said.") if s.conflict] \
        == ["conditions"]
    # The same condition (or none) on both sides, in other words: no signal.
    assert conflicts("The union accepted the offer without any conditions.",
                     "The union accepted the offer unconditionally.") == []
    assert conflicts("It will sign only if the tariffs are lifted.",
                     "Its signature depends on lifting the tariffs.") == []


def test_what_is_left_is_counted_apart_from_the_whole():
    # "one ward still to count" is not a number of wards won.
    assert conflicts("With one ward still to count, the Greens are ahead on the council.",
                     "The Greens won 14 wards on the council.") == []
    assert conflicts("With two wards remaining, the Greens are ahead.",
                     "With three wards remaining, the Greens are ahead.") == ["numbers differ: 2 vs 3"]


def test_a_sentence_about_another_years_event_is_related_not_a_conflict():
    past = assess("It was the worst storm since the one of 1987, when winds reached 160 km an hour.",
                  "Winds reached 140 km an hour, the forecasters said.", 0.6, other_published="2024-04-03")
    assert past.relation == "related" and not past.conflicts
    # A January article on last December's figure is the same event; the same year named twice too.
    assert assess("Prices rose 6% in December 2024.", "Prices rose 7% in December.", 0.6,
                  other_published="2025-01-03").relation == "conflicts"
    assert assess("In 2024 the port handled 40 ships.", "The port handled 45 ships in 2024.", 0.6).relation \
        == "conflicts"
    # Publication dates alone decide nothing here: that is the days-apart rule's call.
    assert assess("The fire destroyed 40 homes.", "The fire destroyed 55 homes.", 0.7, published="2024-12-30",
                  other_published="2025-01-02").relation == "conflicts"


def test_a_description_of_a_place_is_not_another_place():
    # "the Baltic city" describes the place the other names: the figures are compared, no place differs.
    assert places_in("A further 120 people are missing in the Baltic city.") == []
    assert places_in("Crews worked in the Kharkiv region overnight.") == ["Kharkiv"]
    assert conflicts("A further 120 people are missing in the Baltic city.",
                     "Officials say 80 people are still missing in Kaunas.") == ["numbers differ: 120 vs 80"]
