"""Write records and the GDELT-style table to files other tools read (Parquet, CSV, JSONL).

JSONL keeps records whole (the interchange format); Parquet and CSV get flat rows. Every
table is streamed from the store in keyset batches and written batch by batch, so an
export of millions of records needs the memory of one batch, not of the store.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from detente.analysis.frames import batches, flat_record, gdelt_rows
from detente.store import queries
from detente.store.queries import ALL, Filters

TABLES = ("events", "positions", "process", "gdelt")
FORMATS = ("parquet", "csv", "jsonl")


def _rows(conn: sqlite3.Connection, table: str, filters: Filters, whole: bool) -> Iterator[dict]:
    if table == "gdelt":
        yield from gdelt_rows(conn, filters)
        return
    if table == "process":
        records: Iterable = queries.list_process_records(conn, filters)
    else:
        records = queries.iter_records(conn, table, filters)
    for r in records:
        yield r.model_dump(mode="json") if whole else flat_record(r)


def _write_jsonl(rows: Iterator[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _write_csv(rows: Iterator[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = None
        for row in rows:
            if writer is None:
                writer = csv.DictWriter(fh, fieldnames=list(row), extrasaction="ignore")
                writer.writeheader()
            writer.writerow(row)
        if writer is None:
            fh.write("id\n")


def write_parquet(rows: Iterator[dict], path: Path) -> None:
    """Batch by batch through one ParquetWriter; the first batch fixes the schema (a
    column with no value there is text, and later values in it are written as text)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer, schema = None, None
    try:
        for batch in batches(rows, queries.STREAM_BATCH):
            if schema is None:
                inferred = pa.Table.from_pylist(batch).schema
                schema = pa.schema(
                    pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f
                    for f in inferred
                )
                writer = pq.ParquetWriter(path, schema)
            text = [f.name for f in schema if pa.types.is_string(f.type)]
            for row in batch:
                for name in text:
                    value = row.get(name)
                    if value is not None and not isinstance(value, str):
                        row[name] = str(value)
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
        if writer is None:
            pq.write_table(pa.table({"id": pa.array([], pa.string())}), path)
    finally:
        if writer is not None:
            writer.close()


WRITERS = {"jsonl": _write_jsonl, "csv": _write_csv, "parquet": write_parquet}


def export_tables(
    conn: sqlite3.Connection,
    out_dir: str | Path,
    fmt: str = "jsonl",
    tables: tuple[str, ...] = TABLES,
    filters: Filters = ALL,
) -> list[Path]:
    """Write one file per table into ``out_dir`` (created); returns the paths written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    unknown = set(tables) - set(TABLES)
    if unknown:
        raise ValueError(f"unknown table(s) {sorted(unknown)}: use {', '.join(TABLES)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables:
        path = out / f"{table}.{fmt}"
        WRITERS[fmt](_rows(conn, table, filters, whole=fmt == "jsonl"), path)
        written.append(path)
    return written
