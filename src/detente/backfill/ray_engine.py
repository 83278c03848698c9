"""The Ray Data engine: shards read in parallel, copies dropped, coding in an actor pool
(each actor loads the coder once), parts written by the actors.

Copies are found in two passes, so that the documents' text streams: the first reads the
shards for each document's content hash and place in the input only (tens of bytes a
document) and groups them, with Ray Data's own aggregation, into the hashes read more than
once and their first place; the second reads the shards again and, as each block is read,
drops every copy after the first of those hashes, its rows going on to the coding actors
as they come (Ray Data fuses this reading into the actors: each reads a shard — or every
k-th record of one, when there are fewer shards than twice the actors — and codes its
rows). The text is never all in the object store at once, whatever the backfill's size.

Ray is an optional extra and is imported only here, when ``--engine ray`` asks for it.
On a cluster every node needs detente installed and ``--out`` must be storage every
node can write (``s3://``, ``gs://``, a shared mount); see docs/scaling.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pyarrow as pa
import pyarrow.compute as pc

from detente.backfill import parquet
from detente.backfill.batches import (
    BatchSummary,
    codable_only,
    order_key,
    part_name,
    write_batch,
)
from detente.backfill.sources import read_numbered
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


def _rows(shard_index: int, url: str, piece: int, pieces: int) -> Iterator[dict]:
    for number, item in read_numbered(url, piece, pieces):
        order = order_key(shard_index, number)
        if isinstance(item, Rejection):
            # a unique hash: a rejection is never taken for a copy (nor grouped)
            yield {"origin": item.origin, "content_hash": f"!{order}", "order": order,
                   "rejected": item.reason}  # fmt: skip
        else:
            yield {**parquet.document_row(item), "order": order, "rejected": None}


def read_shards(batch: pa.Table) -> Iterator[pa.Table]:
    """Pieces of shards in, document rows out, a block at a time (a big shard is not held
    whole)."""
    for piece in batch.to_pylist():
        rows: list[dict] = []
        for row in _rows(piece["index"], piece["shard"], piece["piece"], piece["pieces"]):
            rows.append(row)
            if len(rows) >= ROWS_PER_BLOCK:
                yield pa.Table.from_pylist(rows, schema=ROW_SCHEMA)
                rows = []
        if rows:
            yield pa.Table.from_pylist(rows, schema=ROW_SCHEMA)


KEY_COLUMNS = ["content_hash", "order"]


def read_keys(batch: pa.Table) -> Iterator[pa.Table]:
    """The first pass: each document's content hash and place, without its text."""
    for block in read_shards(batch):
        keys = block.filter(pc.invert(pc.starts_with(block.column("content_hash"), "!")))
        yield keys.select(KEY_COLUMNS)


def first_copies(ray, shards: list[str], jobs: int) -> tuple[dict[str, str], int]:
    """Each content hash read more than once, with the place of its first copy in input
    order (the copy ingest keeps), and how many copies the second pass will drop. Only such
    hashes are returned: the set is as small as the input's duplicates."""
    from ray.data.aggregate import Count, Min

    readers = _shard_list(ray, shards, jobs)
    keys = readers.map_batches(read_keys, batch_size=1, batch_format="pyarrow")
    groups = keys.groupby("content_hash", num_partitions=2 * max(1, jobs)).aggregate(
        Count(alias_name="copies"), Min("order", alias_name="first")
    )
    repeated = groups.map_batches(_repeated, batch_format="pyarrow")
    firsts: dict[str, str] = {}
    dropped = 0
    for block in repeated.iter_batches(batch_format="pyarrow", batch_size=None):
        firsts.update(zip(block.column("content_hash").to_pylist(),
                          block.column("first").to_pylist(), strict=True))  # fmt: skip
        dropped += pc.sum(block.column("copies")).as_py() - block.num_rows
    return firsts, dropped


def _repeated(groups: pa.Table) -> pa.Table:
    return groups.filter(pc.greater(groups.column("copies"), 1))


def read_unique(batch: pa.Table, firsts: dict[str, str]) -> Iterator[pa.Table]:
    """The second pass: document rows, every copy after a hash's first dropped."""
    for block in read_shards(batch):
        keep = [
            firsts.get(h, o) == o
            for h, o in zip(block.column("content_hash").to_pylist(),
                            block.column("order").to_pylist(), strict=True)  # fmt: skip
        ]
        kept = block.filter(pa.array(keep, pa.bool_()))
        if kept.num_rows:
            yield kept


def _shard_list(ray, shards: list[str], jobs: int):
    """One item per reader: a shard, or — when there are fewer shards than twice the
    actors — a shard's share of its records (every k-th), so that every actor has work
    whatever the shards' number (Ray Data runs the reading in the actors)."""
    pieces = max(1, -(-2 * jobs // max(1, len(shards))))
    return ray.data.from_items(
        [
            {"index": i, "shard": url, "piece": k, "pieces": pieces}
            for i, url in enumerate(shards)
            for k in range(pieces)
        ]
    )


class CodingActor:
    """One per worker slot: the coder is loaded in ``__init__``, once per actor. It is
    given whole blocks as they are read and codes them ``batch_size`` documents at a time,
    each batch written as one part."""

    def __init__(self, out: str, batch_size: int):
        from detente.pipeline import CodingOptions, make_coder

        self.out = out
        self.batch_size = batch_size
        self.coder = make_coder()
        self.options = CodingOptions()

    def __call__(self, block: pa.Table) -> pa.Table:
        summaries = [
            vars(self.code(block.slice(start, self.batch_size)))
            for start in range(0, block.num_rows, self.batch_size)
        ]
        return pa.Table.from_pylist(summaries)

    def code(self, batch: pa.Table) -> BatchSummary:
        from detente.pipeline import code_stream

        documents, rejections = [], []
        for row in batch.to_pylist():
            reason = row.pop("rejected")
            del row["order"]
            if reason is not None:
                rejections.append(Rejection(row["origin"], reason))
            else:
                documents.append(parquet.row_document(row))
        part = part_name(min(batch.column("order").to_pylist()))
        documents, skipped = codable_only(documents)
        rejections.extend(skipped)
        coded = list(code_stream(documents, self.coder, options=self.options))
        return write_batch(self.out, part, coded, rejections)


def run_ray(
    shards: list[str],
    out: str,
    jobs: int = 1,
    batch_size: int = 64,
    address: str | None = None,
    on_batch: Callable[[BatchSummary], None] | None = None,
) -> BatchSummary:
    ray = import_ray()
    if not shards:
        return BatchSummary()
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False)
    firsts, dropped = first_copies(ray, shards, jobs)
    rows = _shard_list(ray, shards, jobs).map_batches(
        read_unique, fn_kwargs={"firsts": firsts}, batch_size=1, batch_format="pyarrow"
    )
    # Whole blocks to the actors, one reader's blocks at a time each: Ray Data runs the
    # reading in the actors, and a fixed batch size would bundle many readers into one
    # actor's task while the others wait.
    summaries = rows.map_batches(
        CodingActor,
        fn_constructor_kwargs={"out": out, "batch_size": batch_size},
        compute=ray.data.ActorPoolStrategy(size=jobs, max_tasks_in_flight_per_actor=1),
        batch_size=None,
        batch_format="pyarrow",
        num_cpus=1,
    )
    total = BatchSummary(duplicates=dropped)
    for row in summaries.iter_rows():
        result = BatchSummary(**row)
        total.add(result)
        if on_batch is not None:
            on_batch(result)
    return total
