"""The backfill's last step: fold the per-document process candidates into records.

``merge_process_records`` is order-sensitive in which report founds a record, so the
candidates are fed in the order the store merges them (:func:`merge_order`: date and id;
among equals, document id, then each document's own order; see
``store.records.refresh_process_records``) and the backfill's ``process`` table equals
the process records ``detente code`` stores.

Neither the candidates nor the merged records are held whole:

- the candidates are spilled, ``SPILL_ROWS`` at a time, into one local file per month of
  their date (a date's first seven characters, so months sort as dates do), and each
  month is read, sorted and fed in turn: memory holds one month's candidates, however
  many months the backfill covers;
- :class:`ProcessMerge` keeps open only the merged records a later candidate may still
  join (those of the last ``DATE_WINDOW_DAYS`` days, and the undated ones), and the
  records it closes are written out a chunk at a time.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from detente.backfill import parquet
from detente.positions.models import ProcessRecord
from detente.positions.process_records import ProcessMerge, merge_order

CANDIDATES = "process_candidates"
MERGED = "process"
CHUNK_ROWS = 2048
"""Rows read from a part, and merged records written out, at a time."""
SPILL_ROWS = 4 * CHUNK_ROWS
"""Candidates held before they are spilled to their months' files."""


@dataclass
class MergeSummary:
    records: int = 0
    """Merged records written."""
    most_open: int = 0
    """The most merged records held open at once."""
    largest_month: int = 0
    """The most candidates held at once (one month's)."""


def _spill(out: str, folder: Path) -> list[Path]:
    """Every part's candidates into ``folder``, one Arrow stream per month in their input
    order (a stream keeps no per-batch metadata in memory, as a Parquet footer would);
    the files in month order. ``SPILL_ROWS`` rows at a time are sorted by month (a stable
    sort keeps their order within one) and go out as one slice per month."""
    writers: dict[str, tuple[Path, pa.ipc.RecordBatchStreamWriter]] = {}
    waiting: list[pa.RecordBatch] = []

    def flush() -> None:
        rows = pa.Table.from_batches(waiting).combine_chunks()
        waiting.clear()
        months = pc.utf8_slice_codeunits(pc.fill_null(rows.column("date"), ""), 0, 7)
        order = pc.sort_indices(months)  # stable
        rows, months = rows.take(order), months.take(order).to_pylist()
        start = 0
        for end in range(1, len(months) + 1):
            if end < len(months) and months[end] == months[start]:
                continue
            month = months[start]
            if month not in writers:
                path = folder / f"{len(writers)}.arrows"
                writers[month] = (path, pa.ipc.new_stream(str(path), rows.schema))
            writers[month][1].write_table(rows.slice(start, end - start))
            start = end

    try:
        held = 0
        for part in parquet.parts(out, CANDIDATES):
            for batch in parquet.read_batches(out, CANDIDATES, part, CHUNK_ROWS):
                waiting.append(batch)
                held += batch.num_rows
                if held >= SPILL_ROWS:
                    flush()
                    held = 0
        if held:
            flush()
    finally:
        for _, writer in writers.values():
            writer.close()
    return [writers[month][0] for month in sorted(writers)]


def _in_merge_order(months: list[Path], summary: MergeSummary) -> Iterator[ProcessRecord]:
    for path in months:
        with pa.ipc.open_stream(str(path)) as reader:
            table = reader.read_all()
        summary.largest_month = max(summary.largest_month, table.num_rows)
        records = [parquet.from_row(ProcessRecord, row) for row in table.to_pylist()]
        del table
        records.sort(key=lambda r: r.doc_ids[0] if r.doc_ids else "")  # stable: keeps seq
        records.sort(key=merge_order)
        yield from records


def merge_candidates(out: str) -> MergeSummary:
    """Merge every part's candidates and write them as the ``process`` table."""
    summary = MergeSummary()
    merge = ProcessMerge()
    done: list[ProcessRecord] = []
    with tempfile.TemporaryDirectory(prefix="detente-merge-") as spill:
        months = _spill(out, Path(spill))
        schema, _ = parquet.record_schema(ProcessRecord)
        with parquet.PartWriter(out, MERGED, "part-merged", schema) as writer:
            for candidate in _in_merge_order(months, summary):
                _, closed = merge.add(candidate)
                summary.most_open = max(summary.most_open, merge.open)
                done += (record for _, record in closed)
                if len(done) >= CHUNK_ROWS:
                    writer.write(parquet.records_table(MERGED, done))
                    summary.records += len(done)
                    done = []
            done += (record for _, record in merge.finish())
            writer.write(parquet.records_table(MERGED, done))
            summary.records += len(done)
    return summary
