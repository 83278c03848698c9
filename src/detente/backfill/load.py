"""``detente load``: bring a finished backfill into a store.

Documents go through the ingest stage's ``store_document`` (exact copies of stored
documents are skipped, near copies join their story's cluster), each with the events,
positions and process candidates of its part, written by ``detente code``'s own writer
(:func:`detente.pipeline.store_coded`): one transaction per document, process records
re-merged for the windows it touches. A loaded store is therefore the store ``ingest`` +
``code`` build.
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
        key = record.doc_ids[0] if hasattr(record, "doc_ids") else record.doc_id
        grouped.setdefault(key, []).append(record)
    return grouped


def load_backfill(out: str, db: Path, on_part: Callable[[int], None] | None = None) -> LoadSummary:
    from detente.ingest.pipeline import load_index, store_document
    from detente.pipeline import CodedRecords, store_coded
    from detente.store.db import connect, point_lookups

    if not parquet.parts(out, "process"):
        raise BackfillIncomplete(
            f"{out} is not a finished backfill (no process/ table): run detente backfill again"
        )
    conn = connect(db)
    with point_lookups(conn):  # memory flat in the store's size (store.db)
        index = load_index(conn)
        summary = LoadSummary()
        for part in parquet.parts(out, parquet.DOCUMENTS):
            events = _by_doc(parquet.read_records(out, "events", part))
            positions = _by_doc(parquet.read_records(out, "positions", part))
            candidates = _by_doc(parquet.read_records(out, "process_candidates", part))
            documents = parquet.read_documents(out, part)
            for doc in documents:
                doc.status = "new"
                outcome, result = store_document(conn, doc, index)
                if outcome == "rejected":
                    summary.rejected.append(result)
                elif outcome == "duplicate":
                    summary.duplicates += 1
                else:
                    found_events = events.get(doc.doc_id, [])
                    found_positions = positions.get(doc.doc_id, [])
                    found_candidates = candidates.get(doc.doc_id, [])
                    store_coded(
                        conn, CodedRecords(doc, found_events, found_positions, found_candidates)
                    )
                    summary.documents += 1
                    summary.events += len(found_events)
                    summary.positions += len(found_positions)
            if on_part is not None:
                on_part(len(documents))
    (summary.process_records,) = conn.execute("SELECT COUNT(*) FROM process_records").fetchone()
    conn.close()
    return summary
