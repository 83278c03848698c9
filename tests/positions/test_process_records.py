"""Process records are aggregations of coded events: one path from sentence to record."""

from __future__ import annotations

import pytest

from detente.coding.coder import EventCoder
from detente.ingest.models import Document
from detente.positions.models import ProcessRecord
from detente.positions.process_records import extract_process_records, merge_process_records

SWAP = (
    "A mass prisoner swap led to the return of 215 POWs, including more than 100 Azov "
    "fighters, on September 22. Pro-Moscow bloggers were angry. In return, Ukraine "
    "released pro-Russia oligarch Viktor Medvedchuk and 55 Russian POWs."
)
RESPECTIVE = (
    "Russia and Ukraine exchanged 230 and 248 prisoners in a swap mediated by the "
    "United Arab Emirates."
)


@pytest.fixture(scope="module")
def coder(nlp):
    return EventCoder(nlp=nlp)


@pytest.fixture
def records(coder):
    def run(text, doc_id="d1", published="2022-09-23", process="russia-ukraine", kind=None):
        document = Document(doc_id=doc_id, clean_text=text, published=published)
        events = coder.code_text(text, doc_id=doc_id, published=published)
        found = extract_process_records(document, events, process=process)
        return [r for r in found if kind is None or r.kind == kind]

    return run


def test_exchange_told_over_several_sentences_is_one_record(records):
    (swap,) = records(SWAP, kind="exchange")
    assert swap.numbers == {"RUS": 215, "UKR": 55}
    assert {p.code for p in swap.parties} == {"RUS", "UKR"}
    assert "POWs" in swap.categories
    assert "named: Viktor Medvedchuk" in swap.categories
    assert len(swap.sources) == 2 and swap.doc_ids == ["d1"]
    assert swap.status == "implemented" and len(swap.event_ids) == 2


def test_respective_counts_and_mediator(records):
    (swap,) = records(RESPECTIVE, kind="exchange")
    assert swap.numbers == {"RUS": 230, "UKR": 248}
    assert swap.mediator is not None and swap.mediator.code == "ARE"


def test_counts_are_keyed_by_the_releasing_side_of_an_unknown_conflict(records):
    text = (
        "Forty-one Armenian detainees were freed from Azerbaijani custody after the UAE "
        "acted as an intermediary."
    )
    (swap,) = records(text, process=None, kind="exchange")
    assert swap.numbers == {"AZE": 41}
    assert swap.mediator is not None and swap.mediator.code == "ARE"
    assert swap.process == "auto:ARM-AZE"


def test_people_given_in_exchange_were_released_by_the_other_side(records):
    text = "Azerbaijan released 32 Armenian soldiers in exchange for two Azerbaijani soldiers."
    (swap,) = records(text, process=None, kind="exchange")
    assert swap.numbers == {"AZE": 32, "ARM": 2}


def test_an_agreed_formula_is_an_agreed_exchange(records):
    text = "Russia and Ukraine agreed on a 1,000 for 1,000 exchange of prisoners, officials said."
    (swap,) = records(text, kind="exchange")
    assert swap.numbers == {"RUS": 1000, "UKR": 1000}
    assert swap.status == "agreed"


def test_the_two_countries_is_not_a_count(records):
    text = "The two countries swapped 90 prisoners each, Russia and Ukraine said."
    (swap,) = records(text, kind="exchange")
    assert swap.numbers == {"RUS": 90, "UKR": 90}


def test_duplicate_reports_merge_and_keep_every_source(records):
    first = records(RESPECTIVE, "a", "2025-01-10")
    reworded = "Ukraine and Russia exchanged 248 and 230 prisoners on Sunday, officials said."
    second = records(reworded, "b", "2025-01-12")
    later = records(RESPECTIVE, "c", "2025-03-01")
    merged = merge_process_records(first + second + later)
    exchanges = [r for r in merged if r.kind == "exchange"]
    assert len(exchanges) == 2
    assert exchanges[0].doc_ids == ["a", "b"] and len(exchanges[0].sources) == 2
    assert exchanges[0].date == "2025-01-10"
    assert exchanges[1].doc_ids == ["c"]


def test_incompatible_numbers_are_different_exchanges():
    a = ProcessRecord(
        id="a", kind="exchange", date="2025-01-10", numbers={"RUS": 230}, doc_ids=["a"]
    )
    b = ProcessRecord(
        id="b", kind="exchange", date="2025-01-11", numbers={"RUS": 90}, doc_ids=["b"]
    )
    assert len(merge_process_records([a, b])) == 2


def test_declared_ceasefire_is_agreed_between_its_parties(records):
    text = "Russia and Ukraine declared an energy ceasefire monitored by the United Nations."
    (truce,) = records(text, kind="ceasefire")
    assert truce.status == "agreed"
    assert {p.code for p in truce.parties} == {"RUS", "UKR"}


def test_hypothetical_ceasefire_is_not_a_record(records):
    text = "Territorial concessions might precede a ceasefire that Russia could declare."
    assert not records(text, kind="ceasefire")


def test_an_offer_once_the_ceasefire_begins_does_not_put_it_in_effect(records):
    text = "One move might be to offer sanctions relief to Russia once the ceasefire begins."
    assert not [r for r in records(text, kind="ceasefire") if r.status == "in_effect"]


def test_a_ceasefire_is_dated_by_its_start_and_keeps_its_agreement_date(records):
    text = "Israel and Hamas agreed on Thursday to a ceasefire starting on Sunday."
    (truce,) = records(text, published="2025-01-17", process=None, kind="ceasefire")
    assert truce.status == "agreed"
    assert (truce.date, truce.start, truce.agreed) == ("2025-01-19", "2025-01-19", "2025-01-16")


def test_violations_make_a_violated_ceasefire(records):
    text = "Israel and Hezbollah accused each other of violating the ceasefire on Sunday."
    (truce,) = records(text, process=None, kind="ceasefire")
    assert truce.status == "violated"


def test_talks_participants_venue_and_status(records):
    text = "Trump also suggested that he will soon meet Putin in Saudi Arabia."
    (talks,) = records(text, kind="talks")
    assert {p.code for p in talks.parties} == {"USA", "RUS"}
    assert (talks.venue, talks.status) == ("Saudi Arabia", "planned")


def test_held_talks_give_a_consult_event_and_a_talks_record(records, coder):
    text = (
        "Armenia and Azerbaijan sent their foreign ministers to Switzerland. "
        "The two foreign ministers held six hours of talks in Geneva on Friday."
    )
    events = coder.code_text(text, published="2025-05-17")
    assert any(e.event_type == "CONSULT" and e.topic == "talks" for e in events)
    (talks,) = records(text, published="2025-05-17", process="auto:ARM-AZE", kind="talks")
    assert (talks.status, talks.venue, talks.level) == ("held", "Geneva", "ministers")
    assert {p.code for p in talks.parties} == {"ARM", "AZE"}


def test_each_gives_every_side_the_count(records):
    text = "Russia and Ukraine exchanged 120 prisoners each on Friday."
    (swap,) = records(text, published="2025-03-08", kind="exchange")
    assert swap.numbers == {"RUS": 120, "UKR": 120}
    assert swap.date == "2025-03-07"


def test_both_sides_are_the_belligerents(records):
    text = "Both sides agreed to exchange 500 prisoners of war each, the negotiator said."
    (swap,) = records(text, kind="exchange")
    assert swap.numbers == {"RUS": 500, "UKR": 500}
    assert swap.status == "agreed"
    assert not [c for c in swap.categories if c.startswith("named")]


def test_exchange_date_comes_from_its_sentence(records):
    (swap,) = records(SWAP, kind="exchange")
    assert swap.date == "2022-09-22"


def test_delegations_named_by_adjectives_meet_in_a_city(records):
    text = "Russian and Ukrainian delegations met in Geneva on Friday for two hours."
    (talks,) = records(text, published="2025-05-17", kind="talks")
    assert {p.code for p in talks.parties} == {"RUS", "UKR"}
    assert talks.venue == "Geneva" and talks.status == "held" and talks.date == "2025-05-16"


def test_willingness_to_negotiate_is_not_a_planned_meeting(records):
    text = "Putin expressed his willingness to negotiate with Ukraine."
    assert not records(text, kind="talks")


def test_planned_meeting_keeps_its_venue_apart_from_a_held_call(records):
    text = (
        "Trump and Putin talked by phone on Wednesday. "
        "Trump said he will meet Putin in Riyadh soon."
    )
    talks = merge_process_records(records(text, published="2025-02-13", kind="talks"))
    held = [r for r in talks if r.status == "held"]
    planned = [r for r in talks if r.status == "planned"]
    assert held and held[0].venue is None
    assert planned and planned[0].venue == "Riyadh"


def test_talks_about_a_ceasefire_do_not_put_it_in_effect(records):
    text = "Officials held talks in Riyadh on a possible ceasefire in the Black Sea."
    assert not records(text, kind="ceasefire")


def test_a_mediator_named_in_a_compound_is_no_party(records):
    text = (
        "Ethiopia and the TPLF held a third round of Kenyan-brokered talks in Nairobi on "
        "Monday. The talks took place in Nairobi."
    )
    (talks,) = records(text, published="2024-06-04", process="auto:ETH", kind="talks")
    assert talks.mediator is not None and talks.mediator.code == "KEN"
    assert {p.code for p in talks.parties} == {"ETH"}
    assert (talks.status, talks.venue) == ("held", "Nairobi")


@pytest.mark.parametrize(
    "text",
    [
        "Armenia and Azerbaijan pledged to stop all fighting along the border.",
        "Armenia and Azerbaijan said a cease-fire would begin at midnight.",
        "Armenia and Azerbaijan reached an agreement to end hostilities on the border.",
    ],
)
def test_ways_of_naming_a_ceasefire_agree_it(records, text):
    (truce,) = records(text, published="2024-06-04", process="auto:ARM-AZE", kind="ceasefire")
    assert truce.status == "agreed"
    assert {p.code for p in truce.parties} == {"ARM", "AZE"}


def test_a_ceasefire_only_the_headline_states_is_the_storys(records):
    text = (
        "Sudan and South Sudan agree to end border hostilities\n\n"
        "The two governments met in Addis Ababa on Tuesday, officials said."
    )
    (truce,) = records(text, published="2024-06-04", process=None, kind="ceasefire")
    assert truce.status == "agreed"
    assert {p.code for p in truce.parties} >= {"SDN", "SSD"}


def test_breaking_the_agreement_by_attacking_violates_the_truce(records):
    text = (
        "Armenia and Azerbaijan agreed to a ceasefire on 3 May. "
        "On 6 May Azerbaijan broke the agreement by attacking Armenian positions."
    )
    (truce,) = records(text, published="2024-06-04", process="auto:ARM-AZE", kind="ceasefire")
    assert truce.status == "violated"


def test_captives_headed_home_count_for_the_side_that_held_them(records):
    text = (
        "The long-awaited prisoner swap between Venezuela and Colombia happened on Monday. "
        "Four Colombian prisoners are headed home to Bogota. "
        "Meanwhile, the three Venezuelan detainees arrived in Caracas."
    )
    (swap,) = records(text, published="2024-06-04", process="auto:COL-VEN", kind="exchange")
    assert swap.numbers == {"VEN": 4, "COL": 3}


def test_talks_mentioned_beside_an_event_keep_their_place_not_its_actors(records):
    text = (
        "Zelensky accused Russia of stalling ahead of the next round of talks between "
        "Ukraine and Russia in Geneva."
    )
    talks = records(text, published="2025-06-01", kind="talks")
    planned = [r for r in talks if r.status == "planned"]
    assert planned and planned[0].venue == "Geneva"
    assert {p.code for p in planned[0].parties} == {"RUS", "UKR"}


def test_held_discussions_are_talks(records):
    text = "The army chiefs of India and Pakistan held discussions over the hotline on Tuesday."
    (talks,) = records(text, published="2021-02-25", process="auto:IND-PAK", kind="talks")
    assert talks.status == "held"
    assert {p.code for p in talks.parties} == {"IND", "PAK"}


def test_the_host_city_described_is_no_party(records):
    text = (
        "Two weeks of negotiations ended in the Kenyan capital Nairobi with an agreement "
        "between Ethiopia and the TPLF."
    )
    (talks,) = records(text, published="2024-06-04", process=None, kind="talks")
    assert "KEN" not in {p.code for p in talks.parties}
    assert talks.venue == "Nairobi"


def test_warring_parties_named_by_their_place_are_the_wars_sides(records):
    text = "The warring parties in Yemen agreed to a three-week truce, the UN envoy said."
    (truce,) = records(text, published="2022-06-02", process=None, kind="ceasefire")
    assert {p.code for p in truce.parties} == {"YEM", "SAU"}
    assert truce.process == "auto:SAU-YEM"


def test_a_ceasefire_binds_the_belligerents_not_who_urges_it(records):
    text = (
        "Norway said the ceasefire proposal was discussed with both parties. "
        "Sudan's rival factions agreed to a ceasefire on Tuesday, Norwegian officials said."
    )
    (truce,) = records(text, published="2023-06-01", process=None, kind="ceasefire")
    assert {p.code for p in truce.parties} == {"SDN"}


def test_a_ceasefire_keeps_its_scope_monitor_and_conditions(records):
    text = (
        "Russia and Ukraine declared an energy ceasefire monitored by the United Nations. "
        "The Kremlin said the truce would enter into force only after sanctions on its "
        "banks were lifted."
    )
    (truce,) = records(text, published="2025-03-25", kind="ceasefire")
    assert truce.scope == ["energy"]
    assert truce.monitoring == "United Nations"
    assert truce.conditions == ["only after sanctions on its banks were lifted"]


def test_a_halt_to_strikes_is_a_ceasefire_with_its_scope(records):
    text = "Kyiv and Moscow agreed on a 30-day halt to strikes on energy infrastructure."
    (truce,) = records(text, published="2025-03-19", kind="ceasefire")
    assert (truce.status, truce.scope) == ("agreed", ["energy"])


@pytest.mark.parametrize(
    "text",
    [
        "The United States freed five Iranians as part of the deal, while Iran released "
        "five Americans.",
        "Five American prisoners landed in Washington, and five Iranians were released by "
        "the US in return.",
    ],
)
def test_nationals_counted_on_both_sides(records, text):
    (swap,) = records(text, published="2023-09-19", process=None, kind="exchange")
    assert swap.numbers == {"USA": 5, "IRN": 5}


def test_each_clause_of_a_swap_keys_its_own_releaser(records):
    text = (
        "In the exchange, Ukraine returned 90 Russian servicemen, while Russia freed 95 "
        "Ukrainian soldiers."
    )
    (swap,) = records(text, published="2025-01-10", kind="exchange")
    assert swap.numbers == {"UKR": 90, "RUS": 95}


def test_talks_between_coordinated_adjectives_name_both_sides(records):
    text = "Saudi Arabia will host talks between US and Russian officials in Riyadh on Tuesday."
    (talks,) = records(text, published="2025-02-16", process=None, kind="talks")
    assert {p.code for p in talks.parties} == {"USA", "RUS"}
    assert talks.mediator is not None and talks.mediator.code == "SAU"
    assert (talks.status, talks.venue) == ("planned", "Riyadh")


def test_coordinated_mediators_are_no_parties(records):
    text = "The negotiations in Doha, mediated by Qatar and Egypt, stalled on Monday."
    (talks,) = records(text, published="2024-05-14", process="israel-hamas", kind="talks")
    assert {p.code for p in talks.parties} == {"ISR", "PSE"}
    assert talks.mediator is not None and talks.mediator.code == "QAT"


def test_a_collapse_later_in_the_story_ends_the_same_ceasefire(records):
    text = (
        "Armenia and Azerbaijan agreed to a ceasefire on 3 May. "
        "Azerbaijan pulled out of the truce on 9 May."
    )
    (truce,) = records(text, published="2024-06-04", process="auto:ARM-AZE", kind="ceasefire")
    assert (truce.status, truce.end) == ("collapsed", "2024-05-09")


def test_bodies_of_soldiers_are_a_repatriation_of_their_own(records):
    text = (
        "Russia returned the bodies of 600 Ukrainian soldiers, and Ukraine handed over 40 "
        "bodies of Russian servicemen."
    )
    (bodies,) = records(text, published="2025-06-14", kind="exchange")
    assert bodies.categories == ["bodies"]
    assert bodies.numbers == {"RUS": 600, "UKR": 40}


def test_a_formula_written_with_hyphens_is_each_sides_count(records):
    text = "The two sides agreed to exchange prisoners on a 1,100-for-1,100 basis."
    (swap,) = records(text, published="2025-06-14", kind="exchange")
    assert swap.numbers == {"RUS": 1100, "UKR": 1100}
    assert {p.code for p in swap.parties} == {"RUS", "UKR"}


def test_who_receives_people_got_them_from_the_other_side(records):
    text = "Under the deal, Ukraine will receive 300 prisoners and hand over 300 Russians."
    (swap,) = records(text, published="2025-06-14", kind="exchange")
    assert swap.numbers == {"RUS": 300, "UKR": 300}
