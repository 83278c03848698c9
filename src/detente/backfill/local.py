"""The local engine: the driver reads, cleans and de-duplicates; ``code``'s worker pool codes.

With ``jobs == 1`` batches are coded in this process. Otherwise the batches go to
:class:`detente.pipeline.CoderPool` (the long-lived workers of ``detente code -j N``,
each loading the model once) and come back to the driver, which writes their parts. The
pool keeps at most two batches per worker in flight, so memory stays flat however large
the input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from detente.backfill.batches import (
    BatchSummary,
    codable_only,
    order_key,
    part_name,
    write_batch,
)
from detente.backfill.sources import read_shard
from detente.ingest.models import Document, Rejection
from detente.pipeline import CoderPool, CodingOptions, code_stream, frozen_heap, make_coder

Batch = tuple[str, list[Document], list[Rejection]]
HASH_HEX = 22
"""Hex digits of the content hash a backfill keeps per distinct document: 88 bits fit a
small Python int (36 bytes, about 60 with its set slot, against 140 for the 64-digit
string), and two of ten million distinct documents share them with odds of about 1e-13."""


class SeenHashes:
    """The content hashes met so far, the one thing a local backfill keeps per distinct
    document (about 6 MB per 100,000 documents), so that exact copies are dropped."""

    def __init__(self) -> None:
        self._seen: set[int] = set()

    def add(self, content_hash: str) -> bool:
        """Remember ``content_hash``; False when it was met before."""
        key = int(content_hash[:HASH_HEX], 16)
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    def __len__(self) -> int:
        return len(self._seen)


def unique_batches(shards: list[str], size: int, summary: BatchSummary) -> Iterator[Batch]:
    """Cleaned documents in input order, exact copies (same content hash) dropped, in
    batches of ``size``; each batch carries the rejections met while reading it (at most
    ``size``)."""
    seen = SeenHashes()
    documents: list[Document] = []
    rejections: list[Rejection] = []
    first = ""
    for index, shard in enumerate(shards):
        for number, item in enumerate(read_shard(shard)):
            if not documents and not rejections:
                first = order_key(index, number)
            if isinstance(item, Rejection):
                rejections.append(item)
                if len(rejections) >= size:  # a run of bad lines is not held either
                    yield first, documents, rejections
                    documents, rejections = [], []
                continue
            if not seen.add(item.content_hash):
                summary.duplicates += 1
                continue
            kept, skipped = codable_only([item])
            documents.extend(kept)
            rejections.extend(skipped)
            if len(documents) >= size:
                yield first, documents, rejections
                documents, rejections = [], []
    if documents or rejections:
        yield first, documents, rejections


def run_local(
    shards: list[str],
    out: str,
    jobs: int = 1,
    batch_size: int = 64,
    on_batch: Callable[[BatchSummary], None] | None = None,
) -> BatchSummary:
    total = BatchSummary()
    options = CodingOptions()

    def done(result: BatchSummary) -> None:
        total.add(result)
        if on_batch is not None:
            on_batch(result)

    batches = unique_batches(shards, batch_size, total)
    if jobs <= 1:
        coder = make_coder()
        with frozen_heap():
            for first, documents, rejections in batches:
                coded = list(code_stream(documents, coder, options=options))
                done(write_batch(out, part_name(first), coded, rejections))
        return total
    waiting: dict[str, tuple[str, list[Rejection]]] = {}

    def chunks() -> Iterator[list[Document]]:
        for first, documents, rejections in batches:
            if not documents:
                done(write_batch(out, part_name(first), [], rejections))
                continue
            waiting[documents[0].doc_id] = (first, rejections)
            yield documents

    with CoderPool(jobs, options) as pool:
        for coded in pool.code(chunks()):
            first, rejections = waiting.pop(coded[0].document.doc_id)
            done(write_batch(out, part_name(first), coded, rejections))
    return total
