"""The local engine: the driver reads, cleans and de-duplicates; a process pool codes.

With ``jobs == 1`` batches are coded in this process. Otherwise each of ``jobs``
worker processes loads the coder once (pool initializer) and codes whole batches,
writing their Parquet parts itself; the driver keeps at most two batches per worker
in flight, so memory stays flat however large the input.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

from detente.backfill.batches import BatchSummary, code_batch, order_key, part_name
from detente.backfill.sources import read_shard
from detente.coding.coder import EventCoder
from detente.ingest.models import Document, Rejection

Batch = tuple[str, list[Document], list[Rejection]]
_coder: EventCoder | None = None


def _load_coder() -> EventCoder:
    global _coder
    if _coder is None:
        from detente.pipeline import make_coder

        _coder = make_coder()
    return _coder


def _work(batch: Batch, out: str) -> BatchSummary:
    part, documents, rejections = batch
    return code_batch(_load_coder(), documents, rejections, out, part_name(part))


def unique_batches(shards: list[str], size: int, summary: BatchSummary) -> Iterator[Batch]:
    """Cleaned documents in input order, exact copies (same content hash) dropped, in
    batches of ``size``; each batch carries the rejections met while reading it."""
    seen: set[str] = set()
    documents: list[Document] = []
    rejections: list[Rejection] = []
    first = ""
    for index, shard in enumerate(shards):
        for number, item in enumerate(read_shard(shard)):
            if not documents and not rejections:
                first = order_key(index, number)
            if isinstance(item, Rejection):
                rejections.append(item)
                continue
            if item.content_hash in seen:
                summary.duplicates += 1
                continue
            seen.add(item.content_hash)
            documents.append(item)
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
    batches = unique_batches(shards, batch_size, total)
    done = on_batch or (lambda _: None)
    if jobs <= 1:
        for batch in batches:
            result = _work(batch, out)
            total.add(result)
            done(result)
        return total
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_load_coder) as pool:
        pending: set[Future] = set()
        for batch in batches:
            pending.add(pool.submit(_work, batch, out))
            if len(pending) >= 2 * jobs:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    total.add(future.result())
                    done(future.result())
        for future in pending:
            total.add(future.result())
            done(future.result())
    return total
