"""``detente backfill`` as a function: find the shards, run an engine, merge process records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from detente.backfill import parquet
from detente.backfill.batches import BatchSummary
from detente.backfill.merge import merge_candidates
from detente.backfill.sources import expand_inputs
from detente.ingest.models import Rejection

ENGINES = ("local", "ray")


@dataclass
class BackfillResult:
    shards: int
    summary: BatchSummary
    process_records: int
    missing: list[Rejection] = field(default_factory=list)


def backfill(
    inputs: list[str],
    out: str,
    *,
    engine: str = "local",
    jobs: int = 1,
    batch_size: int = 64,
    address: str | None = None,
    on_batch: Callable[[BatchSummary], None] | None = None,
) -> BackfillResult:
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    shards, missing = expand_inputs(inputs)
    if missing:
        parquet.write_part(
            out, parquet.REJECTIONS, "part-inputs", parquet.rejections_table(missing)
        )
    if engine == "ray":
        from detente.backfill.ray_engine import run_ray

        summary = run_ray(shards, out, jobs, batch_size, address=address, on_batch=on_batch)
    else:
        from detente.backfill.local import run_local

        summary = run_local(shards, out, jobs, batch_size, on_batch=on_batch)
    summary.rejected += len(missing)
    merged = merge_candidates(out)
    return BackfillResult(len(shards), summary, merged.records, missing)


def rejections(out: str) -> list[Rejection]:
    """Every input the backfill could not read, for the closing message."""
    found = []
    for part in parquet.parts(out, parquet.REJECTIONS):
        for row in parquet.read_part(out, parquet.REJECTIONS, part).to_pylist():
            found.append(Rejection(row["origin"], row["reason"]))
    return found
