"""Write records and the GDELT-style table to files other tools read (Parquet, CSV, JSONL).

JSONL keeps records whole (the interchange format); Parquet and CSV get flat rows.
"""

from __future__ import annotations

import json
from pathlib import Path

from detente.analysis.corpus import Corpus
from detente.analysis.frames import flat_record, gdelt_rows

TABLES = ("events", "positions", "process", "gdelt")
FORMATS = ("parquet", "csv", "jsonl")


def _rows(corpus: Corpus, table: str, whole: bool) -> list[dict]:
    if table == "gdelt":
        return gdelt_rows(corpus)
    records = {
        "events": corpus.events,
        "positions": corpus.positions,
        "process": corpus.process_records,
    }[table]
    if whole:
        return [r.model_dump(mode="json") for r in records]
    return [flat_record(r) for r in records]


def export_tables(
    corpus: Corpus, out_dir: str | Path, fmt: str = "jsonl", tables: tuple[str, ...] = TABLES
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
        rows = _rows(corpus, table, whole=fmt == "jsonl")
        path = out / f"{table}.{fmt}"
        if fmt == "jsonl":
            with path.open("w", encoding="utf-8") as fh:
                for row in rows:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            import pandas as pd

            frame = pd.DataFrame(rows)
            if fmt == "csv":
                frame.to_csv(path, index=False)
            else:
                frame.to_parquet(path, index=False)
        written.append(path)
    return written
