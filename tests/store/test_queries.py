"""Filters, pages and merged items, as the database answers them."""

import pytest

from detente.store import queries
from detente.store.db import connect
from detente.store.queries import FilterError, Filters
from tests.analysis.peace_talks import peace_talks
from tests.analysis.records_factory import Scenario


def _all(conn, table="events", **kw):
    return list(queries.iter_records(conn, table, Filters(**kw)))


def test_dates_are_checked_not_silently_unmatched():
    assert Filters(since="2025-05-16T10:00").since == "2025-05-16"
    for bad in ("yesterday", "2025-13-01", "05/2025"):
        with pytest.raises(FilterError, match="not a date: use YYYY-MM-DD"):
            Filters(since=bad)
    with pytest.raises(FilterError, match="modality"):
        Filters(modality="certain")


def test_filter_by_process_keeps_events_of_its_belligerents():
    conn = peace_talks().db()
    assert _all(conn, process="sudan") == []
    ru = _all(conn, process="russia-ukraine")
    # Every event of the story has Russia or Ukraine on one side, including kyiv-0505,
    # whose document holds no position or process record.
    assert len(ru) == len(_all(conn)) == 17
    assert "kyiv-0505" in {e.doc_id for e in ru}
    assert _all(conn, process="israel-hamas") == []


def test_filter_by_process_needs_a_document_link_for_third_parties():
    s = Scenario()
    kyiv = s.doc("kyiv", published="2025-03-03")
    s.position(kyiv, "Kyiv proposed talks.", "talks", "UKR", "propose", "favor", 80)
    s.event(kyiv, "The US agreed to host them.", "AGREE", ["USA"], ["TUR"])
    gaza = s.doc("gaza", published="2025-03-03")
    s.position(gaza, "Israel accepted.", "ceasefire", "ISR", "accept", "favor", 60,
               process="israel-hamas")  # fmt: skip
    s.event(gaza, "The US pressed Qatar.", "REQUEST", ["USA"], ["QAT"])
    loose = s.doc("loose", published="2025-03-03")
    s.event(loose, "The US met Turkish officials.", "CONSULT", ["USA"], ["TUR"])
    s.position(loose, "Russia rejects it.", "talks", "RUS", "reject", "against", 10,
               process=None)  # fmt: skip
    conn = s.db()
    assert {e.doc_id for e in _all(conn, process="russia-ukraine")} == {"kyiv", "loose"}
    ru_positions = _all(conn, "positions", process="russia-ukraine")
    assert {p.doc_id for p in ru_positions} == {"kyiv", "loose"}
    assert {e.doc_id for e in _all(conn, process="israel-hamas")} == {"gaza"}


def test_filters_on_dates_codes_modality_confidence_and_source():
    conn = peace_talks().db()
    day = _all(conn, since="2025-05-16", until="2025-05-16")
    assert day and all(e.doc_id.endswith("0516") for e in day)
    assert [r.kind for r in queries.list_process_records(conn, Filters(since="2025-05-16",
                                                                       until="2025-05-16"))] == [
        "talks"
    ]  # fmt: skip
    assert all(e.event_type == "ASSAULT" for e in _all(conn, event_type="assault"))
    assert all("RUS" in [a.code for a in e.actor] for e in _all(conn, actor="rus"))
    assert all("UKR" in [a.code for a in e.recipient] for e in _all(conn, recipient="UKR"))
    assert {e.modality for e in _all(conn, modality="reported")} == {"reported"}
    assert len(_all(conn, min_confidence=0.8)) == 17 and _all(conn, min_confidence=0.81) == []
    kyiv = _all(conn, source="Kyiv Ledger")
    assert kyiv and len(kyiv) < 17 and queries.count(conn, "events", Filters(source="Nobody")) == 0


def test_pages_follow_a_keyset_cursor_without_gaps_or_repeats():
    conn = peace_talks().db()
    everything = [e.id for e in _all(conn)]
    seen, cursor = [], None
    while True:
        page = queries.list_events(conn, limit=5, cursor=cursor, count=True)
        assert page.total == 17 and len(page.items) <= 5
        seen += [e.id for e in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == everything
    by_offset = queries.list_events(conn, limit=5, offset=5).items
    assert [e.id for e in by_offset] == everything[5:10]
    with pytest.raises(FilterError):
        queries.list_events(conn, cursor="not-a-cursor!")


def test_one_story_in_two_outlets_counts_once_with_mentions():
    conn = peace_talks().db()
    merged = queries.merged_events(conn, Filters(event_type="CONSULT"), limit=None)
    (talks,) = [m for m in merged if m.date == "2025-05-16"]
    assert talks.mentions == 2 and talks.doc_ids == ["anka-0516", "wire-0516"]


def test_same_event_in_different_stories_stays_separate_and_firmness_splits():
    s = Scenario()
    for doc_id in ("a", "b"):
        d = s.doc(doc_id, published="2025-01-01")
        s.event(d, "Russia and Ukraine held talks.", "CONSULT", ["RUS"], ["UKR"])
    s.event(d, "They could meet again.", "CONSULT", ["RUS"], ["UKR"], modality="speculative")
    merged = queries.merged_events(s.db(), Filters(), limit=None)
    assert sorted(m.record.modality for m in merged) == ["asserted", "asserted", "speculative"]


def test_merged_item_keeps_its_firmest_report():
    s = Scenario()
    for doc_id, modality in (("a", "reported"), ("b", "asserted")):
        d = s.doc(doc_id, published="2025-01-01", cluster_id="c1")
        s.event(d, "They met.", "CONSULT", ["RUS"], ["UKR"], modality=modality)
    (merged,) = queries.merged_events(s.db(), Filters(), limit=None)
    assert merged.record.modality == "asserted" and len(merged.ids) == 2


def test_timeline_buckets_count_merged_key_events_per_period():
    conn = peace_talks().db()
    weekly = queries.timeline_buckets(conn, Filters(firm_only=True), "week")
    talks = [b for b in weekly if b.kind == "talks" and b.period_start == "2025-05-12"]
    assert talks and talks[0].records > talks[0].items
    monthly = queries.timeline_buckets(conn, Filters(firm_only=True), "month")
    assert {b.period_start for b in monthly} <= {"2025-05", "2025-06"}
    assert sum(b.items for b in monthly) == sum(b.items for b in weekly)
    with pytest.raises(FilterError):
        queries.timeline_buckets(conn, Filters(), "fortnight")


def test_summary_and_empty_store():
    summary = queries.summary(peace_talks().db(), Filters())
    assert (summary.events, summary.positions) == (17, 11)
    empty = connect(":memory:")
    assert queries.summary(empty, Filters()).events == 0
    assert queries.list_events(empty).items == [] and queries.list_process_records(empty) == []
