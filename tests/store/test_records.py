"""Writing coded records: process candidates stay beside their document and the merged
process records are recomputed, in the same transaction, for exactly the windows touched."""

from __future__ import annotations

import json
import random

import pytest

from detente.coding.models import ActorRef
from detente.ingest.fingerprint import content_hash
from detente.ingest.models import Document
from detente.positions.models import PositionEvidence, ProcessRecord
from detente.positions.process_records import DATE_WINDOW_DAYS, merge_process_records
from detente.store import documents
from detente.store.db import connect
from detente.store.records import MergeRule, mark_not_coded, replace_doc_records

RULE = MergeRule(merge_process_records, DATE_WINDOW_DAYS)
PARTIES = ["UKR", "RUS", "USA", "TUR"]


def stored(conn) -> list[dict]:
    rows = conn.execute("SELECT record FROM process_records")
    return sorted((json.loads(r[0]) for r in rows), key=lambda r: r["id"])


def merged(candidates: dict[str, list[ProcessRecord]]) -> list[dict]:
    every = [c for found in candidates.values() for c in found]
    return sorted(
        (r.model_dump(mode="json") for r in merge_process_records(every)), key=lambda r: r["id"]
    )


def candidate(rng: random.Random, doc_id: str, n: int) -> ProcessRecord:
    kind = rng.choice(["exchange", "talks", "ceasefire"])
    day = rng.randrange(0, 40)
    date = (
        None
        if rng.random() < 0.1
        else f"2025-03-{1 + day % 28:02d}"
        if day < 28
        else (f"2025-04-{day - 27:02d}")
    )
    if date and rng.random() < 0.05:
        date = "sometime in spring"  # unreadable: merges like an undated one
    parties = [ActorRef(text=c, code=c) for c in rng.sample(PARTIES, rng.randint(1, 2))]
    numbers = (
        {p.code: float(rng.choice([50, 51, 100, 215])) for p in parties}
        if kind == "exchange"
        else {}
    )
    return ProcessRecord(
        id=f"{kind[:2]}_{doc_id}_{n}",
        kind=kind,
        parties=parties,
        date=date,
        status=rng.choice(["held", "planned", None]),
        numbers=numbers,
        venue=rng.choice([None, None, "Istanbul", "Riyadh"]),
        sources=[PositionEvidence(sentence=f"{doc_id} {n}", start=n, end=n + 1)],
        doc_ids=[doc_id],
    )


@pytest.fixture
def conn():
    connection = connect(":memory:")
    for i in range(30):
        text = f"Document {i}."
        doc = Document(doc_id=f"d{i:02d}", clean_text=text, raw_text=text, origin=f"{i}.txt",
                       content_hash=content_hash(text))  # fmt: skip
        documents.insert_document(connection, doc, None)
    return connection


@pytest.mark.parametrize("seed", range(6))
def test_incremental_records_equal_a_merge_of_every_candidate(conn, seed):
    """Documents stored, recoded with other findings and recoded empty, in random order:
    after every single write the store holds what merging all current candidates gives."""
    rng = random.Random(seed)
    current: dict[str, list[ProcessRecord]] = {}
    for step in range(60):
        doc_id = f"d{rng.randrange(30):02d}"
        found = [candidate(rng, f"{doc_id}s{step}", n) for n in range(rng.choice([0, 1, 1, 2, 3]))]
        replace_doc_records(conn, doc_id, [], [], candidates=found, rule=RULE)
        current[doc_id] = found
        assert stored(conn) == merged(current), f"step {step}"
    assert stored(conn)


def test_a_document_and_its_records_commit_together(conn):
    rng = random.Random(1)
    first = [candidate(rng, "d00", 0)]
    replace_doc_records(conn, "d00", [], [], candidates=first, rule=RULE)
    before = stored(conn)

    class Boom(RuntimeError):
        pass

    def failing_merge(records):
        raise Boom

    with pytest.raises(Boom):
        replace_doc_records(
            conn, "d00", [], [], candidates=[candidate(rng, "d00", 1)],
            rule=MergeRule(failing_merge, DATE_WINDOW_DAYS),
        )  # fmt: skip
    assert stored(conn) == before
    rows = conn.execute("SELECT record FROM process_candidates WHERE doc_id = 'd00'").fetchall()
    assert [json.loads(r[0])["id"] for r in rows] == [first[0].id]


def test_a_failed_document_is_marked_and_keeps_its_earlier_records(conn):
    rng = random.Random(2)
    replace_doc_records(conn, "d01", [], [], candidates=[candidate(rng, "d01", 0)], rule=RULE)
    mark_not_coded(conn, "d01", "coding failed (ValueError: bad)")
    row = conn.execute("SELECT status, coding_note FROM documents WHERE doc_id = 'd01'").fetchone()
    assert tuple(row) == ("failed", "coding failed (ValueError: bad)")
    assert len(stored(conn)) == 1
