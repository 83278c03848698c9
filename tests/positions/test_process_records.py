from __future__ import annotations

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


def records(nlp, text, doc_id="d1", published="2022-09-23", process="russia-ukraine"):
    document = Document(doc_id=doc_id, clean_text=text, published=published)
    return extract_process_records(document, nlp(text), [], process=process)


def test_exchange_told_over_several_sentences_is_one_record(nlp):
    (swap,) = [r for r in records(nlp, SWAP) if r.kind == "exchange"]
    assert swap.numbers == {"RUS": 215, "UKR": 55}
    assert {p.code for p in swap.parties} == {"RUS", "UKR"}
    assert "POWs" in swap.categories
    assert "named: Viktor Medvedchuk" in swap.categories
    assert len(swap.sources) == 2 and swap.doc_ids == ["d1"]


def test_respective_counts_and_mediator(nlp):
    (swap,) = [r for r in records(nlp, RESPECTIVE) if r.kind == "exchange"]
    assert swap.numbers == {"RUS": 230, "UKR": 248}
    assert swap.mediator is not None and swap.mediator.code == "ARE"


def test_duplicate_reports_merge_and_keep_every_source(nlp):
    first = records(nlp, RESPECTIVE, "a", "2025-01-10")
    reworded = "Ukraine and Russia exchanged 248 and 230 prisoners on Sunday, officials said."
    second = records(nlp, reworded, "b", "2025-01-12")
    later = records(nlp, RESPECTIVE, "c", "2025-03-01")
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


def test_ceasefire_status_scope_and_parties(nlp):
    text = "Russia and Ukraine declared an energy ceasefire monitored by the United Nations."
    (truce,) = [r for r in records(nlp, text) if r.kind == "ceasefire"]
    assert (truce.status, truce.scope) == ("declared", ["energy"])
    assert {p.code for p in truce.parties} == {"RUS", "UKR"}
    assert truce.monitoring and "United Nations" in truce.monitoring


def test_hypothetical_ceasefire_is_not_a_record(nlp):
    text = "Territorial concessions might precede a ceasefire that Russia could declare."
    assert not [r for r in records(nlp, text) if r.kind == "ceasefire"]


def test_talks_participants_venue_level_and_status(nlp):
    text = "Trump also suggested that he will soon meet Putin in Saudi Arabia."
    (talks,) = [r for r in records(nlp, text) if r.kind == "talks"]
    assert {p.code for p in talks.parties} == {"USA", "RUS"}
    assert (talks.venue, talks.level, talks.status) == ("Saudi Arabia", "leaders", "planned")


def test_each_gives_every_side_the_count(nlp):
    text = "Russia and Ukraine exchanged 120 prisoners each on Friday."
    (swap,) = [r for r in records(nlp, text, published="2025-03-08") if r.kind == "exchange"]
    assert swap.numbers == {"RUS": 120, "UKR": 120}
    assert swap.date == "2025-03-07"


def test_both_sides_are_the_belligerents(nlp):
    text = "Both sides agreed to exchange 500 prisoners of war each, the negotiator said."
    (swap,) = [r for r in records(nlp, text) if r.kind == "exchange"]
    assert swap.numbers == {"RUS": 500, "UKR": 500}
    assert not [c for c in swap.categories if c.startswith("named")]


def test_exchange_date_comes_from_its_sentence(nlp):
    (swap,) = [r for r in records(nlp, SWAP) if r.kind == "exchange"]
    assert swap.date == "2022-09-22"


def test_delegations_named_by_adjectives_meet_in_a_city(nlp):
    text = "Russian and Ukrainian delegations met in Geneva on Friday for two hours."
    (talks,) = [r for r in records(nlp, text, published="2025-05-17") if r.kind == "talks"]
    assert {p.code for p in talks.parties} == {"RUS", "UKR"}
    assert talks.venue == "Geneva" and talks.status == "held" and talks.date == "2025-05-16"


def test_willingness_to_negotiate_is_not_a_planned_meeting(nlp):
    text = "Putin expressed his willingness to negotiate with Ukraine."
    assert not [r for r in records(nlp, text) if r.kind == "talks"]


def test_planned_meeting_keeps_its_venue_apart_from_a_held_call(nlp):
    text = (
        "Trump and Putin talked by phone on Wednesday. "
        "Trump said he will meet Putin in Riyadh soon."
    )
    talks = [r for r in merge_process_records(records(nlp, text, published="2025-02-13"))]
    held = [r for r in talks if r.kind == "talks" and r.status == "held"]
    assert held and held[0].venue is None


def test_talks_about_a_ceasefire_do_not_put_it_in_effect(nlp):
    text = "Officials held talks in Riyadh on a possible ceasefire in the Black Sea."
    assert not [r for r in records(nlp, text) if r.kind == "ceasefire"]
