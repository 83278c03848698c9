"""Ingest: read inputs, drop exact copies, cluster near copies, store the rest.

Each document is checked and written in one ``BEGIN IMMEDIATE`` transaction: the
exact-copy lookup, the near-copy lookup and the insert see the same store, so two
runs ingesting the same input at once serialise per document (the second finds the
first's copy) and an interrupted run keeps every document completed before the
interruption and nothing half-written.

The near-duplicate index is the ``lsh_buckets`` table: a new document's band keys are
looked up there (one indexed query), never an index rebuilt from every stored
signature, so adding 100 documents costs the same on a store of 1,000 or 1,000,000.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from detente.ingest import fingerprint
from detente.ingest.models import Document, IngestReport, Rejection
from detente.ingest.reader import iter_documents
from detente.store import documents as store
from detente.store.db import point_lookups, transaction

Outcome = str
"""``ingested`` | ``duplicate`` | ``near-duplicate`` | ``rejected``."""
BACKFILL_BATCH = 500
COUNTS = {"ingested": "ingested", "duplicate": "duplicates", "near-duplicate": "near_duplicates"}
"""The :class:`IngestReport` count each stored outcome adds to."""


@dataclass(frozen=True)
class NearDuplicateIndex:
    """The store's LSH buckets seen as the near-duplicate index (no copy in memory)."""

    conn: sqlite3.Connection
    threshold: float = fingerprint.NEAR_DUPLICATE_THRESHOLD

    def best_match(self, signature, buckets: list[int]) -> tuple[str, float] | None:
        """The stored document most similar to ``signature`` at or above the threshold
        (ties to the greatest id). Candidates stream past one at a time: a bucket shared by
        thousands of stored documents costs time, never memory."""
        best: tuple[float, str] | None = None
        for doc_id, blob in store.near_duplicate_candidates(self.conn, buckets):
            score = fingerprint.similarity(signature, blob)
            if score >= self.threshold and (best is None or (score, doc_id) > best):
                best = (score, doc_id)
        return None if best is None else (best[1], best[0])


def load_index(
    conn: sqlite3.Connection, threshold: float = fingerprint.NEAR_DUPLICATE_THRESHOLD
) -> NearDuplicateIndex:
    """The index of ``conn``, after bucketing any documents stored without buckets.

    Those come from a detente older than the buckets (or a bulk loader): indexing them
    happens once per store, since every document stored afterwards is bucketed with it.
    """
    while batch := store.unbucketed(conn, BACKFILL_BATCH):
        with transaction(conn):
            for doc_id, blob in batch:
                store.add_buckets(conn, doc_id, fingerprint.band_keys(fingerprint.from_bytes(blob)))
    return NearDuplicateIndex(conn, threshold)


def store_document(
    conn: sqlite3.Connection, doc: Document, index: NearDuplicateIndex
) -> tuple[Outcome, Document | Rejection]:
    """Store one document (or count it as a mention of the story it copies).

    The look-ups and the write share one ``BEGIN IMMEDIATE`` transaction.
    """
    signature = fingerprint.minhash(doc.clean_text)
    buckets = fingerprint.band_keys(signature)
    with transaction(conn):
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
        match = index.best_match(signature, buckets)
        cluster_id = store.cluster_of(conn, match[0]) if match else None
        if match:
            doc.meta["near_duplicate_of"] = match[0]
            doc.meta["similarity"] = round(match[1], 3)
        store.insert_document(conn, doc, fingerprint.to_bytes(signature), cluster_id, buckets)
    return ("near-duplicate" if match else "ingested"), doc


def ingest(
    conn: sqlite3.Connection,
    inputs: Iterable[str],
    *,
    threshold: float = fingerprint.NEAR_DUPLICATE_THRESHOLD,
    on_item: Callable[[Outcome, Document | Rejection], None] | None = None,
    **read_options,
) -> IngestReport:
    """Ingest ``inputs`` (paths, URLs, ``-``) into ``conn``.

    ``read_options`` are those of :class:`detente.ingest.reader.ReadOptions` (glob, feeds,
    size cap, private addresses, symlinks, download deadline). ``on_item`` is called
    after each item is settled (for progress and messages).
    """
    report = IngestReport()
    with point_lookups(conn):
        index = load_index(conn, threshold)
        for item in iter_documents(list(inputs), **read_options):
            if isinstance(item, Rejection):
                outcome, result = "rejected", item
            else:
                outcome, result = store_document(conn, item, index)
            if outcome == "rejected":
                report.rejected.append(result)
            else:
                field = COUNTS[outcome]
                setattr(report, field, getattr(report, field) + 1)
            if on_item is not None:
                on_item(outcome, result)
    return report
