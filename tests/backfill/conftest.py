"""A small archive in two shards (one Parquet), and what ``detente code`` stores for it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = (
    ROOT / "examples" / "articles.jsonl",
    ROOT / "tests" / "fixtures" / "coding_articles.jsonl",
)


@pytest.fixture(scope="session")
def archive(tmp_path_factory) -> Path:
    """Shard 1: the example articles, a bad line and an exact copy of the first one;
    shard 2: the coding fixtures as Parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path_factory.mktemp("archive")
    lines = SOURCES[0].read_text(encoding="utf-8").splitlines()
    copy = {**json.loads(lines[0]), "id": "copy-of-first", "source": "Another Wire"}
    shard = "\n".join([*lines, "{not json", json.dumps(copy)]) + "\n"
    (folder / "a.jsonl").write_text(shard, encoding="utf-8")
    rows = [json.loads(line) for line in SOURCES[1].read_text(encoding="utf-8").splitlines()]
    pq.write_table(pa.Table.from_pylist(rows), folder / "b.parquet")
    return folder


@pytest.fixture(scope="session")
def coded_store(tmp_path_factory):
    """``detente ingest`` + ``detente code`` over the same articles: the reference."""
    from detente.ingest.pipeline import ingest
    from detente.pipeline import code_database
    from detente.store.db import connect

    db = tmp_path_factory.mktemp("reference") / "ref.db"
    ingest(connect(db), [str(p) for p in SOURCES])
    code_database(db)
    return connect(db)


def stored_records(conn) -> dict[str, list]:
    from detente.store.records import query_events, query_positions, query_process_records

    return {
        "events": sorted(query_events(conn), key=lambda r: r.id),
        "positions": sorted(query_positions(conn), key=lambda r: r.id),
        "process": sorted(query_process_records(conn), key=lambda r: r.id),
    }


def backfill_records(out: str) -> dict[str, list]:
    from detente.backfill.parquet import read_records

    return {
        table: sorted(read_records(out, table), key=lambda r: r.id)
        for table in ("events", "positions", "process")
    }
