"""Shards in, cleaned documents out: JSONL or Parquet, local paths or any fsspec URL.

Every record goes through the ingest stage's own JSONL record builder
(:func:`detente.ingest.parse.from_jsonl_line`), so a backfilled document is cleaned,
dated and hashed exactly as ``detente ingest`` would. A shard that cannot be read
becomes one ``Rejection`` naming it, and the backfill goes on with the next one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from detente.ingest.models import Document, Rejection
from detente.ingest.parse import from_jsonl_line

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".jsonl.bz2", ".jsonl.zst")
PARQUET_SUFFIXES = (".parquet", ".pq")
PARQUET_BATCH = 256

Item = Document | Rejection


def _is_shard(path: str) -> bool:
    return path.lower().endswith(JSONL_SUFFIXES + PARQUET_SUFFIXES)


def expand_inputs(inputs: Iterable[str]) -> tuple[list[str], list[Rejection]]:
    """Shard URLs (folders walked, globs expanded, sorted) and the inputs that matched none."""
    import fsspec

    shards: list[str] = []
    missing: list[Rejection] = []
    for item in inputs:
        fs, path = fsspec.core.url_to_fs(item)
        if any(c in path for c in "*?["):
            found = sorted(fs.glob(path))
        elif fs.isdir(path):
            found = sorted(p for p in fs.find(path) if _is_shard(p))
        elif fs.exists(path):
            found = [path]
        else:
            found = []
        if not found:
            missing.append(Rejection(item, "no such shard, or a folder without .jsonl/.parquet"))
        shards.extend(fs.unstrip_protocol(p) if "://" in item else p for p in found)
    return shards, missing


def read_shard(url: str) -> Iterator[Item]:
    """The documents of one shard, streamed (a shard of any size is never read whole)."""
    for _, item in read_numbered(url):
        yield item


def read_numbered(url: str, piece: int = 0, pieces: int = 1) -> Iterator[tuple[int, Item]]:
    """The items of one shard with their rank in it, only those whose rank is ``piece``
    modulo ``pieces``: several readers share one big shard, each skipping the others'
    records before parsing or cleaning them. A shard that fails part-way yields one
    rejection, with the rank the next item would have had, to the reader of that rank."""
    ranks = [0]
    try:
        if url.lower().endswith(PARQUET_SUFFIXES):
            yield from _parquet(url, piece, pieces, ranks)
        else:
            yield from _jsonl(url, piece, pieces, ranks)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        if ranks[0] % pieces == piece:
            yield ranks[0], Rejection(url, f"cannot read the shard: {exc}")


def _jsonl(url: str, piece: int, pieces: int, ranks: list[int]) -> Iterator[tuple[int, Item]]:
    import fsspec

    with fsspec.open(url, "rt", encoding="utf-8", compression="infer") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():  # a blank line is no record (see from_jsonl_line)
                continue
            rank = ranks[0]
            if rank % pieces == piece:
                item = from_jsonl_line(line, f"{url}:{number}")
                if item is not None:
                    yield rank, item
            ranks[0] = rank + 1


def _parquet(url: str, piece: int, pieces: int, ranks: list[int]) -> Iterator[tuple[int, Item]]:
    """Parquet rows are the same records as JSONL lines (``text``, ``id``, ``title`` …);
    each is serialised back to one JSON line so that one builder cleans both formats."""
    import fsspec
    import pyarrow as pa
    import pyarrow.parquet as pq

    with fsspec.open(url, "rb") as handle:
        for batch in pq.ParquetFile(handle).iter_batches(batch_size=PARQUET_BATCH):
            first = ranks[0]
            mine = [i for i in range(batch.num_rows) if (first + i) % pieces == piece]
            rows = batch.take(pa.array(mine, pa.int64())).to_pylist()
            for i, row in zip(mine, rows, strict=True):
                rank = first + i
                item = from_jsonl_line(json.dumps(row, default=str), f"{url}:{rank + 1}")
                if item is not None:
                    yield rank, item
            ranks[0] = first + batch.num_rows
