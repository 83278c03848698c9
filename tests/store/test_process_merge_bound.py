"""A document's write re-merges only the process candidates its own can fold with: the
work does not grow with the records other dyads hold on the same days."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from detente.coding.models import ActorRef
from detente.ingest.fingerprint import content_hash
from detente.ingest.models import Document
from detente.pipeline import CodedRecords
from detente.positions.models import ProcessRecord
from detente.positions.process_records import (
    DATE_WINDOW_DAYS,
    MERGE_RULE,
    merge_order,
    merge_process_records,
    merge_with_members,
)
from detente.store import documents
from detente.store.db import connect
from detente.store.records import (
    MergeRule,
    add_candidates,
    replace_doc_records,
    write_documents,
)
from tests.store.test_records import RULE, candidate, merged, stored


def talks(doc_id: str, codes: list[str], date: str) -> ProcessRecord:
    return ProcessRecord(
        id=f"ta_{doc_id}", kind="talks", date=date, status="held",
        parties=[ActorRef(text=c, code=c) for c in codes], doc_ids=[doc_id],
    )  # fmt: skip


def store(n: int, url: str = ":memory:"):
    conn = connect(url)
    for i in range(n):
        text = f"Document {i}."
        doc = Document(doc_id=f"d{i:03d}", clean_text=text, raw_text=text, origin=f"{i}.txt",
                       content_hash=content_hash(text))  # fmt: skip
        documents.insert_document(conn, doc, None)
    return conn


@pytest.mark.parametrize("others", [20, 200])
def test_a_write_reads_only_its_dyads_candidates(others):
    """Busy days: every other document reports talks of another dyad on the same dates.
    Storing one more Russia–Ukraine report merges the three Russia–Ukraine candidates only,
    whether 20 or 200 other reports share its days."""
    conn = store(others + 3)
    for i in range(others):
        found = [talks(f"d{i:03d}", [f"X{i:03d}", f"Y{i:03d}"], f"2025-03-{10 + i % 3:02d}")]
        replace_doc_records(conn, f"d{i:03d}", [], [], candidates=found, rule=MERGE_RULE)
    for i, when in [(others, "2025-03-09"), (others + 1, "2025-03-11")]:
        found = [talks(f"d{i:03d}", ["RUS", "UKR"], when)]
        replace_doc_records(conn, f"d{i:03d}", [], [], candidates=found, rule=MERGE_RULE)
    read: list[int] = []
    last = f"d{others + 2:03d}"
    found = [talks(last, ["UKR", "RUS"], "2025-03-12")]
    replace_doc_records(conn, last, [], [], candidates=found, rule=counted(read))
    assert read == [3]
    ours = [r for r in stored(conn) if {p["code"] for p in r["parties"]} == {"RUS", "UKR"}]
    assert len(ours) == 1 and len(ours[0]["doc_ids"]) == 3
    assert len(stored(conn)) == others + 1


def counted(read: list[int]) -> MergeRule:
    """``MERGE_RULE``, noting how many candidates each merge is given."""

    def members(found: list[ProcessRecord]):
        read.append(len(found))
        return merge_with_members(found)

    return MergeRule(merge_process_records, DATE_WINDOW_DAYS, members=members, order=merge_order)


def day(n: int) -> str:
    return (date(2024, 1, 1) + timedelta(days=n)).isoformat()


def test_a_dyad_reported_every_day_is_re_merged_over_a_few_windows_only():
    """Russia–Ukraine talks reported every day for 200 days form one linked group; a new
    report in the middle re-merges the days it can change, not the 200 days, and the
    records stay a merge of every candidate."""
    conn = store(402)
    rng = random.Random(5)
    current: dict[str, list[ProcessRecord]] = {}
    for i in range(400):
        doc_id = f"d{i:03d}"
        current[doc_id] = [talks(doc_id, ["RUS", "UKR"], day(i // 2))]
        current[doc_id][0] = current[doc_id][0].model_copy(
            update={"venue": rng.choice(["Istanbul", "Riyadh", None])}
        )
    add_candidates(conn, current, MERGE_RULE)
    assert stored(conn) == merged(current)
    read: list[int] = []
    for doc_id, n in [("d400", 100), ("d401", 37), ("d123", 150)]:
        current[doc_id] = [talks(doc_id, ["UKR", "RUS"], day(n)).model_copy(
            update={"venue": "Geneva"})]  # fmt: skip
        replace_doc_records(conn, doc_id, [], [], candidates=current[doc_id], rule=counted(read))
        assert stored(conn) == merged(current)
    assert len(read) == 4 and max(read) < 60, read  # d123 moved: its old day and its new


@pytest.mark.parametrize("seed", range(4))
def test_writes_in_any_order_re_merge_windows_equal_to_a_merge_of_everything(seed):
    """The replay of a window (records known per candidate): documents written, rewritten
    and emptied in random order over a busy few months of a few dyads."""
    replay_in_random_order(store(60), seed)


@pytest.mark.postgres
def test_the_window_replay_runs_on_postgresql():
    from tests.api.support import pg_url

    replay_in_random_order(store(60, pg_url()), 0)


def replay_in_random_order(conn, seed: int) -> None:
    rng = random.Random(seed)
    current: dict[str, list[ProcessRecord]] = {}
    for step in range(150):
        doc_id = f"d{rng.randrange(60):03d}"
        found = [candidate(rng, f"{doc_id}s{step}", n) for n in range(rng.choice([0, 1, 2, 3]))]
        replace_doc_records(conn, doc_id, [], [], candidates=found, rule=MERGE_RULE)
        current[doc_id] = found
        assert stored(conn) == merged(current), f"step {step}"


def coded(doc_id: str, found: list[ProcessRecord], error: str | None = None) -> CodedRecords:
    text = f"Document {doc_id}."
    doc = Document(doc_id=doc_id, clean_text=text, raw_text=text, origin=f"{doc_id}.txt",
                   content_hash=content_hash(text))  # fmt: skip
    return CodedRecords(doc, [], [], found, error=error)


@pytest.mark.parametrize("seed", range(3))
def test_documents_written_a_chunk_per_transaction_merge_as_written_one_by_one(seed):
    """The pool's writer stores a chunk of documents and merges what they touch once: the
    records equal a merge of everything after every chunk, a document of the chunk
    rewritten, emptied or failed included."""
    rng = random.Random(seed)
    conn = store(60)
    current: dict[str, list[ProcessRecord]] = {}
    for step in range(40):
        writes = []
        for doc_id in rng.sample([f"d{n:03d}" for n in range(60)], rng.choice([1, 3, 4])):
            if rng.random() < 0.1:  # coding failed: what it had stays
                writes.append(coded(doc_id, [], error="boom"))
                continue
            found = [candidate(rng, f"{doc_id}s{step}", n) for n in range(rng.choice([0, 1, 2, 3]))]
            writes.append(coded(doc_id, found))
            current[doc_id] = found
        write_documents(conn, writes, MERGE_RULE)
        assert stored(conn) == merged(current), f"step {step}"
    failed = [w.document.doc_id for w in writes if w.error]
    for doc_id in failed:
        (status,) = conn.execute(
            "SELECT status FROM documents WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        assert status == "failed"


def test_candidates_stored_before_the_party_index_are_filed_by_the_next_write():
    """A store migrated from before the index: its candidates are not filed yet; the first
    write files them, and the records stay those of a merge of every candidate."""
    conn = store(30)
    rng = random.Random(7)
    current: dict[str, list[ProcessRecord]] = {}
    for i in range(30):
        doc_id = f"d{i:03d}"
        current[doc_id] = [candidate(rng, doc_id, n) for n in range(rng.choice([1, 2]))]
        replace_doc_records(conn, doc_id, [], [], candidates=current[doc_id], rule=RULE)
    conn.execute("DELETE FROM process_candidate_parties")
    conn.execute("UPDATE process_candidates SET linked = NULL, record_id = NULL")
    for step in range(20):
        doc_id = f"d{rng.randrange(30):03d}"
        current[doc_id] = [candidate(rng, f"{doc_id}s{step}", n) for n in range(2)]
        replace_doc_records(conn, doc_id, [], [], candidates=current[doc_id], rule=MERGE_RULE)
        assert stored(conn) == merged(current), f"step {step}"
    (pending,) = conn.execute(
        "SELECT COUNT(*) FROM process_candidates WHERE linked IS NULL"
    ).fetchone()
    assert pending == 0


@pytest.mark.parametrize("rule", [RULE, MERGE_RULE], ids=["groups", "windows"])
@pytest.mark.parametrize("seed", range(3))
def test_groups_of_parties_none_named_or_uncoded_merge_as_the_whole_store(seed, rule):
    """Candidates naming no party (which may join any) or an uncoded one, undated or not:
    after every write the records equal a merge of every stored candidate."""
    from tests.positions.test_process_records_merge import report

    conn = store(30)
    rng = random.Random(seed)
    current: dict[str, list[ProcessRecord]] = {}
    for step in range(50):
        doc_id = f"d{rng.randrange(30):03d}"
        found = [report(rng, 100 * step + n) for n in range(rng.choice([0, 1, 2, 3]))]
        found = [r.model_copy(update={"doc_ids": [doc_id]}) for r in found]
        replace_doc_records(conn, doc_id, [], [], candidates=found, rule=rule)
        current[doc_id] = found
        assert stored(conn) == merged(current), f"step {step}"
