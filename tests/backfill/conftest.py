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
    from detente.backfill.parquet import MODELS

    def table(name: str, model) -> list:
        rows = conn.execute(f"SELECT record FROM {name}")
        return sorted((model.model_validate_json(r[0]) for r in rows), key=lambda r: r.id)

    return {
        "events": table("events", MODELS["events"]),
        "positions": table("positions", MODELS["positions"]),
        "process": table("process_records", MODELS["process"]),
    }


def backfill_records(out: str) -> dict[str, list]:
    from detente.backfill.parquet import read_records

    return {
        table: sorted(read_records(out, table), key=lambda r: r.id)
        for table in ("events", "positions", "process")
    }
