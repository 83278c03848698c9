"""The rollups answer exactly what the records answer, after any writes, recodes, new
mentions and interrupted transactions."""

import random

import pytest

from detente.analysis.settings import signal_settings
from detente.coding.models import MODALITIES, ActorRef
from detente.ingest.models import Document
from detente.store import derived, documents, queries, records
from detente.store.db import connect, transaction
from detente.store.derived import mark_rollups_stale, rollups_ready, rollups_stale
from detente.store.queries import ALL, FREQS, Filters
from tests.analysis.records_factory import Scenario, actor
from tests.api.support import BACKENDS, store_url

CODES = ["RUS", "UKR", "USA", "TUR", "ISR", "PSE", "QAT", None]
TYPES = ["CONSULT", "AGREE", "ASSAULT", "THREATEN", "RETREAT", "ACCUSE", "AID", "REJECT"]
ACTS = ["propose", "demand", "reject", "accept", "threaten", "sign"]
PROCESSES = [None, "russia-ukraine", "israel-hamas"]


@pytest.fixture(params=BACKENDS)
def conn(request, tmp_path):
    connection = connect(store_url(request.param, tmp_path))
    yield connection
    connection.close()


def _side(rng: random.Random) -> list[str | None]:
    return rng.sample(CODES, rng.choice([0, 1, 1, 1, 2]))


def _ref(code: str | None) -> ActorRef:
    """A coded party, or a mention the dictionary could not resolve."""
    return actor(code) if code else ActorRef(text="their forces", code=None)


def _records(s: Scenario, doc, rng: random.Random, n: int) -> None:
    for i in range(n):
        published = doc.published
        date = rng.choice([published, published, "2025-05-0" + str(rng.randint(1, 9)), None])
        modality = rng.choice(MODALITIES)
        if rng.random() < 0.8:
            e = s.event(doc, f"Sentence {i} of {doc.doc_id}.", rng.choice(TYPES), [], [],
                        date=date, modality=modality,
                        confidence=round(rng.uniform(0.3, 0.95), 1),
                        mode=rng.choice(["release", "ceasefire", None]))  # fmt: skip
            for side in (e.actor, e.recipient):
                side.extend(_ref(c) for c in _side(rng))
        else:
            s.position(doc, f"Position {i} of {doc.doc_id}.", "talks",
                       rng.choice(["RUS", "UKR", "ISR", "USA"]), rng.choice(ACTS),
                       rng.choice(["favor", "against"]), rng.choice([10, 80]), date=date,
                       modality=modality, process=rng.choice(PROCESSES))  # fmt: skip


def _scenario(rng: random.Random, n_docs: int = 12) -> Scenario:
    s = Scenario()
    for i in range(n_docs):
        doc = s.doc(f"d{i}", published=f"2025-05-{rng.randint(3, 28):02d}",
                    source=rng.choice(["Wire A", "Wire B", None]),
                    cluster_id=rng.choice([None, "c1", "c2", f"own{i}"]))  # fmt: skip
        _records(s, doc, rng, rng.randint(0, 6))
    return s


def _recode(conn, s: Scenario, rng: random.Random) -> None:
    """Replace one document's records with new random ones (possibly none)."""
    doc = rng.choice(s.docs)
    s.events = [e for e in s.events if e.doc_id != doc.doc_id]
    s.positions = [p for p in s.positions if p.doc_id != doc.doc_id]
    _records(s, doc, rng, rng.randint(0, 5))
    records.replace_doc_records(
        conn, doc.doc_id,
        [e for e in s.events if e.doc_id == doc.doc_id],
        [p for p in s.positions if p.doc_id == doc.doc_id],
    )  # fmt: skip


def _mention(conn, rng: random.Random, n: int) -> None:
    """Another outlet carries a clustered story: its mentions grow through ingest's path."""
    cluster = rng.choice(["c1", "c2"])
    with transaction(conn):
        documents.add_mention(conn, cluster, Document("x", "x", url=f"https://o{n}.test/"), "x")


def _dyads(counts) -> list[tuple]:
    return sorted((c.period_start, c.actor, c.recipient, c.event_type, c.quad, c.firm, c.events,
                   round(c.score_sum, 6), c.mentions) for c in counts)  # fmt: skip


DYAD_SELECTIONS = [
    ALL,
    *(Filters(process=p) for p in PROCESSES[1:]),
    Filters(event_type="ASSAULT"),
    Filters(process="russia-ukraine", event_type="AGREE", firm_only=True),
    # Ranges that cut weeks and months, fall inside one week, or start on a Monday.
    Filters(since="2025-05-07", until="2025-05-21"),
    Filters(since="2025-05-08", until="2025-05-09"),
    Filters(process="russia-ukraine", since="2025-05-05"),
    Filters(process="israel-hamas", until="2025-05-18"),
    Filters(since="2025-05-01", until="2025-05-31"),
    Filters(until="2025-04-30"),
]
"""Selections the dyad rollups answer (whole periods from period sums, cut ones from days)."""


def _cells(groups) -> list[tuple]:
    return sorted((party, issue, sub or "", n) for party, issue, sub, n in groups)


def _signal(sums) -> list[tuple]:
    return sorted((s.process or "", s.week_start, round(s.cooperative, 6),
                   round(s.conflictual, 6), s.sources, s.items) for s in sums)  # fmt: skip


def assert_rollups_exact(conn) -> None:
    """Every rolled-up answer equals the same question summed over the records."""
    assert not rollups_stale(conn), "rollups must be maintained, not rebuilt, here"
    assert rollups_ready(conn)
    for freq in FREQS:
        for speculative in (False, True):
            for f in DYAD_SELECTIONS:
                fast = queries.dyad_counts(conn, f, freq, speculative)
                slow = queries._dyad_sql(conn, f, freq, speculative)
                assert _dyads(fast) == _dyads(slow), (f, freq, speculative)
    settings = signal_settings()
    polar = sorted(settings.event_polarity)
    args = (settings.event_polarity, settings.speech_act_polarity, settings.modality_weights)
    for process in PROCESSES:
        f = Filters(process=process)
        assert _signal(queries.signal_sums(conn, f, *args)) == _signal(
            queries._signal_sql(conn, f, *args)
        )
        fast = queries.signal_samples(conn, f, polar, 2)
        assert fast == queries._signal_samples_sql(conn, f, polar, 2)
    for process in PROCESSES[1:]:
        for f in (Filters(process=process), Filters(process=process, firm_only=True)):
            assert queries._cells_rolled_up(f)
            for valued in (False, True):
                for hedged in (False, True):
                    fast = queries._cell_groups(conn, f, valued, hedged, rolled=True)
                    slow = queries._cell_groups(conn, f, valued, hedged, rolled=False)
                    assert _cells(fast) == _cells(slow), (f, valued, hedged)


@pytest.mark.parametrize("seed", range(6))
def test_rollups_equal_the_records_after_random_writes_recodes_and_mentions(conn, seed):
    rng = random.Random(seed)
    s = _scenario(rng)
    s.store(conn)
    assert_rollups_exact(conn)
    for step in range(25):
        if rng.random() < 0.25:
            _mention(conn, rng, step)
        else:
            _recode(conn, s, rng)
        if step % 5 == 4:
            assert_rollups_exact(conn)
    assert_rollups_exact(conn)
    # A rebuild from scratch gives the tables the incremental path left (zero rows aside).
    before = _tables(conn)
    with transaction(conn):
        derived.rebuild_rollups(conn)
    assert _tables(conn) == before


def _tables(conn) -> dict[str, list]:
    counts = {"dyad_rollup": "events", "dyad_process_rollup": "events", "signal_items": "items",
              "signal_sources": "records", "position_cells": "records"}  # fmt: skip
    return {
        table: sorted(tuple(round(v, 6) if isinstance(v, float) else v for v in row)
                      for row in conn.execute(f"SELECT * FROM {table} WHERE {n} <> 0"))
        for table, n in counts.items()
    }  # fmt: skip


def test_a_transaction_killed_after_the_rollups_moved_loses_nothing(conn, monkeypatch):
    rng = random.Random(11)
    s = _scenario(rng)
    s.store(conn)
    before = _tables(conn)

    def killed(*_args, **_kw):
        raise KeyboardInterrupt

    # The old records are already out of the rollups when the kill comes.
    monkeypatch.setattr(derived, "roll_stories", killed)
    with pytest.raises(KeyboardInterrupt):
        _recode(conn, s, rng)
    monkeypatch.undo()
    assert _tables(conn) == before
    assert_rollups_exact(conn)


def test_a_stale_store_is_rebuilt_by_the_next_reader():
    """After the migration (or a bulk load) the first read rebuilds the rollups; writes in
    between leave them alone."""
    rng = random.Random(5)
    s = _scenario(rng)
    conn = connect(":memory:")
    s.store(conn)
    with transaction(conn):
        mark_rollups_stale(conn)
        for table in derived.ROLLUP_TABLES:
            conn.execute(f"DELETE FROM {table}")
    _recode(conn, s, rng)
    assert rollups_stale(conn)
    assert conn.execute("SELECT COUNT(*) FROM dyad_rollup").fetchone()[0] == 0
    queries.dyad_counts(conn, ALL, "week")
    assert not rollups_stale(conn)
    assert_rollups_exact(conn)


def test_a_filtered_selection_still_reads_the_records():
    conn = Scenario().db()
    queries.dyad_counts(conn, ALL, "week")
    with pytest.raises(queries.FilterError, match="frequency"):
        queries.dyad_counts(conn, ALL, "year")  # type: ignore[arg-type]
    assert queries.dyad_counts(conn, Filters(since="2025-01-01"), "week") == []
    assert queries.dyad_counts(conn, Filters(actor="RUS", since="2025-01-01"), "week") == []


def test_which_selections_the_dyad_rollups_answer():
    assert queries._dyads_rolled_up(Filters(process="russia-ukraine", event_type="ASSAULT",
                                            since="2025-01-01", until="2025-02-01"))  # fmt: skip
    for f in (Filters(actor="RUS"), Filters(recipient="UKR"), Filters(modality="asserted"),
              Filters(min_confidence=0.5), Filters(source="Wire A"), Filters(doc_id="d1")):
        assert not queries._dyads_rolled_up(f), f
        assert not queries._cells_rolled_up(f), f
    assert not queries._cells_rolled_up(Filters(process="israel-hamas", since="2025-05-01"))
    assert not queries._cells_rolled_up(ALL)
