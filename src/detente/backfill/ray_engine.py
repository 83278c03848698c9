"""The Ray Data engine: shards read in parallel, copies dropped by a shuffle, coding in
an actor pool (each actor loads the coder once), parts written by the actors.

Ray is an optional extra and is imported only here, when ``--engine ray`` asks for it.
On a cluster every node needs detente installed and ``--out`` must be storage every
node can write (``s3://``, ``gs://``, a shared mount); see docs/scaling.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pyarrow as pa

from detente.backfill import parquet
from detente.backfill.batches import (
    BatchSummary,
    codable_only,
    order_key,
    part_name,
    write_batch,
)
from detente.backfill.sources import read_shard
from detente.ingest.models import Rejection

ROW_SCHEMA = parquet.DOCUMENT_SCHEMA.append(pa.field("order", pa.string())).append(
    pa.field("rejected", pa.string())
)
"""A document row, its place in the input, and the reason when the row is a rejection."""
ROWS_PER_BLOCK = 512


class RayNotInstalled(RuntimeError):
    pass


def import_ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise RayNotInstalled('the Ray engine needs Ray Data: pip install "detente[ray]"') from exc
    return ray


def _rows(shard_index: int, url: str) -> Iterator[dict]:
    for number, item in enumerate(read_shard(url)):
        order = order_key(shard_index, number)
        if isinstance(item, Rejection):
            # a unique hash keeps a rejection out of the copy-dropping shuffle's way
            yield {"origin": item.origin, "content_hash": f"!{order}", "order": order,
                   "rejected": item.reason}  # fmt: skip
        else:
            yield {**parquet.document_row(item), "order": order, "rejected": None}


def read_shards(batch: pa.Table) -> Iterator[pa.Table]:
    """Shard URLs in, document rows out, a block at a time (a big shard is not held whole)."""
    for shard_index, url in zip(
        batch.column("index").to_pylist(), batch.column("shard").to_pylist(), strict=True
    ):
        rows: list[dict] = []
        for row in _rows(shard_index, url):
            rows.append(row)
            if len(rows) >= ROWS_PER_BLOCK:
                yield pa.Table.from_pylist(rows, schema=ROW_SCHEMA)
                rows = []
        if rows:
            yield pa.Table.from_pylist(rows, schema=ROW_SCHEMA)


def first_copy(group: pa.Table) -> pa.Table:
    """Of the documents with one content hash, the first in input order (as ingest keeps)."""
    first = group.sort_by("order").slice(0, 1)
    return first.append_column("copies", pa.array([group.num_rows], pa.int64()))


class CodingActor:
    """One per worker slot: the coder is loaded in ``__init__``, once per actor."""

    def __init__(self, out: str):
        from detente.pipeline import CodingOptions, make_coder

        self.out = out
        self.coder = make_coder()
        self.options = CodingOptions()

    def __call__(self, batch: pa.Table) -> pa.Table:
        rows = batch.to_pylist()
        documents, rejections = [], []
        for row in rows:
            reason = row.pop("rejected")
            del row["copies"], row["order"]
            if reason is not None:
                rejections.append(Rejection(row["origin"], reason))
            else:
                documents.append(parquet.row_document(row))
        part = part_name(min(batch.column("order").to_pylist()))
        from detente.pipeline import code_stream

        documents, skipped = codable_only(documents)
        rejections.extend(skipped)
        coded = list(code_stream(documents, self.coder, options=self.options))
        summary = write_batch(self.out, part, coded, rejections)
        summary.duplicates = sum(batch.column("copies").to_pylist()) - len(rows)
        return pa.Table.from_pylist([vars(summary)])


def run_ray(
    shards: list[str],
    out: str,
    jobs: int = 1,
    batch_size: int = 64,
    address: str | None = None,
    on_batch: Callable[[BatchSummary], None] | None = None,
) -> BatchSummary:
    ray = import_ray()
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False)
    items = [{"index": i, "shard": url} for i, url in enumerate(shards)]
    rows = ray.data.from_items(items).map_batches(read_shards, batch_size=1, batch_format="pyarrow")
    # The shuffle is a barrier anyway; materialising it before the actor pool starts keeps
    # idle actors from holding the CPUs the reading and shuffling tasks need.
    unique = rows.groupby("content_hash", num_partitions=max(2 * jobs, len(shards)))
    unique = unique.map_groups(first_copy, batch_format="pyarrow")
    unique = unique.materialize()
    summaries = unique.map_batches(
        CodingActor,
        fn_constructor_kwargs={"out": out},
        compute=ray.data.ActorPoolStrategy(size=jobs),
        batch_size=batch_size,
        batch_format="pyarrow",
        num_cpus=1,
    )
    total = BatchSummary()
    for row in summaries.iter_rows():
        result = BatchSummary(**row)
        total.add(result)
        if on_batch is not None:
            on_batch(result)
    return total
