"""One batch of documents coded and written: the unit of work of both engines.

Coding goes through :func:`detente.pipeline.code_stream` with ``detente code``'s own
:class:`~detente.pipeline.CodingOptions`, so a backfill's records are those ``detente
code`` stores for the same documents. Every batch writes one part of every table, named
after the batch's first document in input order, so part names sort like the input and
a part of one table always has its siblings in the others. A document the coder could
not code is not written; its reason goes to the ``rejections`` table.
"""

from __future__ import annotations

from dataclasses import dataclass

from detente.backfill import parquet
from detente.ingest.language import codable
from detente.ingest.models import Document, Rejection
from detente.pipeline import CodedRecords


@dataclass
class BatchSummary:
    documents: int = 0
    events: int = 0
    positions: int = 0
    candidates: int = 0
    rejected: int = 0
    duplicates: int = 0

    def add(self, other: BatchSummary) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def codable_only(documents: list[Document]) -> tuple[list[Document], list[Rejection]]:
    """The documents ``detente code`` would code, and a rejection naming each one it skips
    (its language) — both engines ask here, so a backfill codes what ``code`` codes."""
    kept, skipped = [], []
    for document in documents:
        ok, why = codable(document)
        if ok:
            kept.append(document)
        else:
            skipped.append(Rejection(document.origin, f"not coded: {why}"))
    return kept, skipped


def order_key(shard: int, number: int) -> str:
    """Sortable position of a document in the input: shard index, then rank in the shard."""
    return f"{shard:06d}-{number:09d}"


def part_name(first_order: str) -> str:
    return f"part-{first_order}"


def write_batch(
    out: str, part: str, coded: list[CodedRecords], rejections: list[Rejection]
) -> BatchSummary:
    events, positions, candidates, documents = [], [], [], []
    rejections = list(rejections)
    for records in coded:
        if records.error:
            rejections.append(Rejection(records.document.origin, records.error))
            continue
        records.document.status = "coded"
        documents.append(records.document)
        events.extend(records.events)
        positions.extend(records.positions)
        candidates.extend(records.process_records)
    parquet.write_part(out, "events", part, parquet.records_table("events", events))
    parquet.write_part(out, "positions", part, parquet.records_table("positions", positions))
    parquet.write_part(
        out, "process_candidates", part, parquet.records_table("process_candidates", candidates)
    )
    if rejections:
        parquet.write_part(out, parquet.REJECTIONS, part, parquet.rejections_table(rejections))
    # Documents last: a part with its documents file is complete (see load.py).
    parquet.write_part(out, parquet.DOCUMENTS, part, parquet.documents_table(documents))
    return BatchSummary(
        documents=len(documents),
        events=len(events),
        positions=len(positions),
        candidates=len(candidates),
        rejected=len(rejections),
    )
