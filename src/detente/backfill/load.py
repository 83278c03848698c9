"""``detente load``: bring a finished backfill into a store.

Documents go through the ingest stage's ``store_document`` (exact copies of stored
documents are skipped, near copies join their story's cluster), each with its events
and positions in the same part, so a document and its records arrive together. The
backfill's merged process records are merged once more with those already stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from detente.backfill import parquet
from detente.ingest.models import Rejection


class BackfillIncomplete(RuntimeError):
    pass


@dataclass
class LoadSummary:
    documents: int = 0
    duplicates: int = 0
    events: int = 0
    positions: int = 0
    process_records: int = 0
    rejected: list[Rejection] = field(default_factory=list)


def _by_doc(records) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for record in records:
        grouped.setdefault(record.doc_id, []).append(record)
    return grouped


def load_backfill(out: str, db: Path, on_part: Callable[[int], None] | None = None) -> LoadSummary:
    from detente.ingest.fingerprint import NEAR_DUPLICATE_THRESHOLD
    from detente.ingest.pipeline import load_index, store_document
    from detente.positions.process_records import merge_process_records
    from detente.store.db import connect
    from detente.store.records import (
        query_process_records,
        replace_doc_records,
        replace_process_records,
    )

    if not parquet.parts(out, "process"):
        raise BackfillIncomplete(
            f"{out} is not a finished backfill (no process/ table): run detente backfill again"
        )
    conn = connect(db)
    index = load_index(conn, NEAR_DUPLICATE_THRESHOLD)
    summary = LoadSummary()
    for part in parquet.parts(out, parquet.DOCUMENTS):
        events = _by_doc(parquet.read_records(out, "events", part))
        positions = _by_doc(parquet.read_records(out, "positions", part))
        documents = parquet.read_documents(out, part)
        for doc in documents:
            outcome, result = store_document(conn, doc, index)
            if outcome == "rejected":
                summary.rejected.append(result)
            elif outcome == "duplicate":
                summary.duplicates += 1
            else:
                found_events = events.get(doc.doc_id, [])
                found_positions = positions.get(doc.doc_id, [])
                replace_doc_records(conn, doc.doc_id, found_events, found_positions)
                summary.documents += 1
                summary.events += len(found_events)
                summary.positions += len(found_positions)
        if on_part is not None:
            on_part(len(documents))
    stored = list(query_process_records(conn))
    loaded = list(parquet.read_records(out, "process"))
    merged = merge_process_records(stored + loaded) if stored else loaded
    replace_process_records(conn, merged)
    summary.process_records = len(merged)
    return summary
