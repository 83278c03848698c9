"""Filters, pages and merged items, as the database answers them."""

import random

import pytest

from detente.store import queries
from detente.store.db import connect
from detente.store.derived import MODALITY_RANK
from detente.store.queries import FilterError, Filters
from tests.analysis.peace_talks import peace_talks
from tests.analysis.records_factory import Scenario
from tests.api.support import BACKENDS, store_url


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


def _random_store(seed: int) -> Scenario:
    """Records with every filtered field drawn at random (undated ones included), so that
    the indexed page and matrix queries meet ties, NULLs and rows of other processes."""
    rng = random.Random(seed)
    s = Scenario()
    codes, modalities = ["RUS", "UKR", "USA", "TUR", "ISR"], list(MODALITY_RANK)
    for i in range(40):
        published = rng.choice([None, f"2025-0{rng.randint(1, 4)}-{rng.randint(10, 12)}"])
        d = s.doc(f"doc{i:02d}", published=published, source=rng.choice(["A", "B", None]))
        for _ in range(rng.randint(0, 4)):
            a, b = rng.sample(codes, 2)
            s.event(d, f"{a} and {b} {i}.", rng.choice(["CONSULT", "ASSAULT", "AGREE"]), [a],
                    [b], modality=rng.choice(modalities), confidence=rng.choice([0.5, 0.8, 0.9]),
                    date=rng.choice([published, None, "2025-03-11"]))  # fmt: skip
        for _ in range(rng.randint(0, 3)):
            s.position(d, f"Stance {i}.", rng.choice(["ceasefire", "territory"]),
                       rng.choice(codes), "propose", rng.choice(["favor", "against"]),
                       rng.choice([None, 20.0, 70.0]), modality=rng.choice(modalities),
                       confidence=rng.choice([0.5, 0.7]), sub_issue=rng.choice([None, "x"]),
                       process=rng.choice(["russia-ukraine", None, "israel-hamas"]),
                       date=rng.choice([published, None, "2025-02-11"]))  # fmt: skip
    return s


SELECTIONS = [
    {}, {"event_type": "ASSAULT"}, {"actor": "RUS"}, {"recipient": "UKR"},
    {"process": "russia-ukraine"}, {"since": "2025-02-11", "until": "2025-03-11"},
    {"until": "2025-02-11"}, {"since": "2025-03-12"}, {"min_confidence": 0.8},
    {"modality": "reported", "source": "A"}, {"issue": "territory", "source": "B"},
    {"event_type": "CONSULT", "process": "russia-ukraine", "firm_only": True},
]  # fmt: skip


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pages_walk_the_same_rows_as_a_full_ordered_selection(seed):
    conn = _random_store(seed).db()
    queries.derive_pending(conn)
    for table in ("events", "positions"):
        fetch = queries.list_events if table == "events" else queries.list_positions
        for kw in SELECTIONS:
            condition, params = queries.where(Filters(**kw), table, "t")
            ordered = f"SELECT t.id FROM {table} t WHERE {condition} ORDER BY t.page_key"
            expected = [r[0] for r in conn.execute(ordered, params)]
            seen, cursor = [], None
            while True:
                page = fetch(conn, Filters(**kw), limit=3, cursor=cursor)
                seen += [r.id for r in page.items]
                if not (cursor := page.next_cursor):
                    break
            assert seen == expected, (table, kw)
        assert conn.execute(f"SELECT COUNT(*) FROM {table} WHERE day IS NULL").fetchone()[0]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matrix_cells_are_those_of_a_window_over_every_position(seed, backend, tmp_path):
    """Every way a matrix is read (from the cell rollup for a whole process, from the
    positions for any other selection; valued, hedged) picks, per cell, what one window
    query over every position picks, and counts what it counts — on SQLite and PostgreSQL."""
    conn = connect(store_url(backend, tmp_path))
    _random_store(seed).store(conn)
    queries.derive_pending(conn)
    rolled_up = 0
    for kw in ({}, {"process": "russia-ukraine"}, {"process": "russia-ukraine", "firm_only": True},
               {"since": "2025-02-11", "firm_only": True}):  # fmt: skip
        rolled_up += queries._cells_rolled_up(Filters(**kw)) and queries.rollups_ready(conn)
        condition, params = queries.where(Filters(**kw), "positions", "p")
        spoke = {
            (party, issue): n
            for party, issue, n in conn.execute(
                "SELECT p.party, p.issue, COUNT(*) FROM positions p WHERE p.party IS NOT NULL"
                f" AND {condition} GROUP BY p.party, p.issue",
                params,
            )
        }
        assert queries.positions_per_party(conn, Filters(**kw)) == spoke
        for valued, hedged in ((False, False), (True, False), (False, True), (True, True)):
            extra = (" AND p.value IS NOT NULL" if valued else "") + (
                "" if hedged else " AND p.modality NOT IN ('hypothetical', 'speculative')"
            )
            window = conn.execute(
                "SELECT party, id, n FROM (SELECT p.party AS party, p.id AS id,"
                " COUNT(*) OVER (PARTITION BY p.party, p.issue) AS n, ROW_NUMBER() OVER"
                " (PARTITION BY p.party, p.issue, p.sub_issue ORDER BY p.firm DESC,"
                " COALESCE(p.date, '') DESC, p.value IS NOT NULL DESC, p.confidence DESC, p.id)"
                f" AS rn FROM positions p WHERE p.party IS NOT NULL AND {condition}{extra}) x"
                " WHERE rn = 1",
                params,
            ).fetchall()
            found = queries.position_candidates(conn, Filters(**kw), valued=valued, hedged=hedged)
            assert window, kw
            cells = sorted((c.party, c.position.id, c.records) for c in found)
            assert cells == sorted(tuple(r) for r in window), (kw, valued, hedged)
    assert rolled_up == 2  # the two whole-process selections were read from the rollup
    conn.close()


