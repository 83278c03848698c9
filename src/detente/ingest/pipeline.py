"""Ingest: read inputs, drop exact copies, cluster near copies, store the rest.

Each document is written in its own transaction, so an interrupted run keeps every
document completed before the interruption and nothing half-written. The
near-duplicate index is rebuilt from the stored MinHash signatures at the start of
each run, so clustering works across runs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

from detente.ingest import fingerprint
from detente.ingest.models import Document, IngestReport, Rejection
from detente.ingest.reader import DEFAULT_MAX_BYTES, iter_documents
from detente.store import documents as store

Outcome = str
"""``ingested`` | ``duplicate`` | ``near-duplicate`` | ``rejected``."""


def load_index(conn: sqlite3.Connection, threshold: float) -> fingerprint.NearDuplicateIndex:
    index = fingerprint.NearDuplicateIndex(threshold)
    for doc_id, blob in store.minhashes(conn):
        index.add(doc_id, fingerprint.from_bytes(blob))
    return index


def store_document(
    conn: sqlite3.Connection, doc: Document, index: fingerprint.NearDuplicateIndex
) -> tuple[Outcome, Document | Rejection]:
    """Store one document (or count it as a mention of the story it copies)."""
    existing = store.find_by_hash(conn, doc.content_hash)
    if existing:
        doc_id, cluster_id = existing
        store.record_duplicate(conn, cluster_id, doc, doc_id)
        doc.cluster_id = cluster_id
        doc.meta["duplicate_of"] = doc_id
        return "duplicate", doc
    if store.doc_exists(conn, doc.doc_id):
        return "rejected", Rejection(
            doc.origin, f"id {doc.doc_id!r} is already used by a different text"
        )
    signature = fingerprint.minhash(doc.clean_text)
    match = index.best_match(signature)
    cluster_id = store.cluster_of(conn, match[0]) if match else None
    if match:
        doc.meta["near_duplicate_of"] = match[0]
        doc.meta["similarity"] = round(match[1], 3)
    store.insert_document(conn, doc, fingerprint.to_bytes(signature), cluster_id)
    index.add(doc.doc_id, signature)
    return ("near-duplicate" if match else "ingested"), doc


def ingest(
    conn: sqlite3.Connection,
    inputs: Iterable[str],
    *,
    glob: str | None = None,
    feeds: Iterable[str] = (),
    allow_private: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    threshold: float = fingerprint.NEAR_DUPLICATE_THRESHOLD,
    on_item: Callable[[Outcome, Document | Rejection], None] | None = None,
) -> IngestReport:
    """Ingest ``inputs`` (paths, URLs, ``-``) and ``feeds`` into ``conn``.

    ``on_item`` is called after each item is settled (for progress and messages).
    """
    report = IngestReport()
    index = load_index(conn, threshold)
    items = iter_documents(
        list(inputs), glob=glob, feeds=list(feeds), allow_private=allow_private,
        max_bytes=max_bytes,
    )  # fmt: skip
    for item in items:
        if isinstance(item, Rejection):
            outcome, result = "rejected", item
        else:
            outcome, result = store_document(conn, item, index)
        if outcome == "rejected":
            report.rejected.append(result)
        else:
            target = {
                "ingested": report.ingested,
                "duplicate": report.duplicates,
                "near-duplicate": report.near_duplicates,
            }[outcome]
            target.append(result.doc_id)
        if on_item is not None:
            on_item(outcome, result)
    return report
