"""A document's process records are read through its candidates' links, on SQLite and
PostgreSQL, and equal the records naming it among their sources."""

from __future__ import annotations

import pytest

from detente.api import listing
from detente.coding.models import ActorRef
from detente.positions.models import PositionEvidence, ProcessRecord
from detente.positions.process_records import MERGE_RULE
from detente.store import records
from detente.store.db import connect
from tests.analysis.records_factory import Scenario
from tests.api.support import BACKENDS, store_url


def candidate(doc_id: str, kind: str, date: str, codes: list[str], n: int) -> ProcessRecord:
    return ProcessRecord(
        id=f"{kind[:2]}_{doc_id}_{n}",
        kind=kind,
        date=date,
        parties=[ActorRef(text=c, code=c) for c in codes],
        numbers={codes[0]: 100.0} if kind == "exchange" else {},
        status="held",
        sources=[PositionEvidence(sentence=f"{doc_id} {n}", start=n, end=n + 1)],
        doc_ids=[doc_id],
    )


REPORTS = {
    "a": [candidate("a", "exchange", "2025-05-02", ["UKR", "RUS"], 0),
          candidate("a", "talks", "2025-05-02", ["UKR", "RUS"], 1)],
    "b": [candidate("b", "exchange", "2025-05-03", ["RUS", "UKR"], 0)],
    "c": [candidate("c", "talks", "2025-09-20", ["ISR", "PSE"], 0)],
    "d": [],
}  # fmt: skip


@pytest.fixture(params=BACKENDS)
def conn(request, tmp_path):
    db = connect(store_url(request.param, tmp_path))
    scenario = Scenario()
    for doc_id in REPORTS:
        scenario.doc(doc_id, published="2025-05-02")
    scenario.store(db)
    for doc_id, found in REPORTS.items():
        records.replace_doc_records(db, doc_id, [], candidates=found, rule=MERGE_RULE)
    yield db
    db.close()


def naming(conn, doc_id: str) -> list[ProcessRecord]:
    """The definition: every merged record whose sources include the document."""
    rows = conn.execute("SELECT record FROM process_records ORDER BY date, id")
    return [r for row in rows if doc_id in (r := ProcessRecord.model_validate_json(row[0])).doc_ids]


def test_records_of_a_document_are_those_naming_it(conn):
    found = {doc_id: listing.process_records_of_doc(conn, doc_id) for doc_id in REPORTS}
    assert found == {doc_id: naming(conn, doc_id) for doc_id in REPORTS}
    (swap,) = [r for r in found["b"] if r.kind == "exchange"]
    assert swap.doc_ids == ["a", "b"] and swap in found["a"]
    assert len(found["a"]) == 2 and found["d"] == []


def test_candidates_stored_before_the_link_still_find_their_records(conn):
    conn.execute("UPDATE process_candidates SET record_id = NULL WHERE doc_id = 'a'")
    assert listing.process_records_of_doc(conn, "a") == naming(conn, "a")


def test_the_lookup_reads_by_key_not_by_scan(tmp_path):
    db = connect(str(tmp_path / "plan.db"))
    plan = " ".join(str(r[-1]) for r in db.execute(
        "EXPLAIN QUERY PLAN " + listing.RECORDS_OF_DOC, ("a",)
    ))  # fmt: skip
    assert "SCAN" not in plan.replace("SCAN CONSTANT", ""), plan
