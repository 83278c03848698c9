"""Ingest and code one batch of documents through the same stages as ``detente ingest`` and
``detente code``: exact and near duplicates are recognised by :mod:`detente.ingest.pipeline`,
records come from :func:`detente.pipeline.code_stream`, and each document's records (and
the process records they touch) commit atomically through ``store.records``, so a crash
mid-batch leaves every finished document whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from detente.coding.coder import EventCoder
from detente.ingest import fingerprint
from detente.ingest.models import Document, Rejection
from detente.ingest.pipeline import load_index, store_document
from detente.pipeline import code_stream, make_coder, store_coded


@dataclass
class BatchResult:
    ingested: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    events: int = 0
    positions: int = 0
    process_records: int = 0

    def as_dict(self) -> dict:
        return {
            "ingested": self.ingested,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "events": self.events,
            "positions": self.positions,
            "process_records": self.process_records,
        }


class BatchCoder:
    """Holds one coder (the spaCy model loads once per process, on first use)."""

    def __init__(self, coder: EventCoder | None = None):
        self._coder = coder

    @property
    def coder(self) -> EventCoder:
        if self._coder is None:
            self._coder = make_coder()
        return self._coder

    def run(
        self,
        conn,
        items: Iterable[Document | Rejection],
        progress: Callable[[int, int], None] | None = None,
    ) -> BatchResult:
        """Store new documents, then code them; ``progress(done, total)`` after each."""
        result = BatchResult()
        index = load_index(conn, fingerprint.NEAR_DUPLICATE_THRESHOLD)
        todo: list[Document] = []
        for item in items:
            if isinstance(item, Rejection):
                result.rejected.append({"origin": item.origin, "reason": item.reason})
                continue
            outcome, stored = store_document(conn, item, index)
            if isinstance(stored, Rejection):
                result.rejected.append({"origin": stored.origin, "reason": stored.reason})
            elif outcome == "duplicate":
                result.duplicates.append(stored.meta.get("duplicate_of", stored.doc_id))
            else:
                result.ingested.append(stored.doc_id)
                todo.append(stored)
        if progress:
            progress(0, len(todo))
        for done, coded in enumerate(code_stream(todo, coder=self.coder), start=1):
            store_coded(conn, coded)
            if coded.error:
                result.rejected.append({"origin": coded.document.doc_id, "reason": coded.error})
            else:
                result.events += len(coded.events)
                result.positions += len(coded.positions)
                result.process_records += len(coded.process_records)
            if progress:
                progress(done, len(todo))
        return result
