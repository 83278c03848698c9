"""Flat tables of records and analysis rows, as plain dicts or pandas DataFrames.

Exports and ``--format csv`` need one scalar per cell, so nested record fields (actor
lists, evidence, conditions) are flattened: evidence and the first actor's code get
their own columns, everything else nested is kept as a JSON string. pandas is imported
only when a DataFrame is asked for.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel

from detente.store import queries
from detente.store.derived import event_quad, event_score
from detente.store.queries import ALL, Filters

QUAD_NUMBER = {
    "verbal_cooperation": 1,
    "material_cooperation": 2,
    "verbal_conflict": 3,
    "material_conflict": 4,
}
"""GDELT's QuadClass numbering."""


def scalar(value: Any) -> Any:
    """A cell value: scalars as they are, containers and models as compact JSON."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if isinstance(value, (list, tuple, dict, set)):
        return json.dumps(list(value) if isinstance(value, set) else value, default=str)
    return value


def flat_record(record: BaseModel) -> dict:
    data = record.model_dump(mode="json")
    evidence = data.pop("evidence", None) or {}
    row = {k: scalar(v) for k, v in data.items()}
    for key in ("sentence", "start", "end", "trigger"):
        if key in evidence:
            row[f"evidence_{key}"] = evidence[key]
    return row


def flat_rows(rows: Iterable[Any]) -> list[dict]:
    """Dataclass analysis rows (or dicts) → flat dicts; ``as_dict`` wins when defined."""
    out = []
    for row in rows:
        if hasattr(row, "as_dict"):
            data = row.as_dict()
        elif dataclasses.is_dataclass(row):
            data = dataclasses.asdict(row)
        else:
            data = dict(row)
        out.append({k: scalar(v) for k, v in data.items()})
    return out


def to_frame(rows: Iterable[Any]):
    import pandas as pd

    return pd.DataFrame(flat_rows(rows))


def records_frame(records: Iterable[BaseModel]):
    import pandas as pd

    return pd.DataFrame([flat_record(r) for r in records])


def gdelt_rows(conn: sqlite3.Connection, filters: Filters = ALL) -> Iterator[dict]:
    """GDELT-style flat events: one row per actor–recipient pair of each merged event,
    streamed from the store in batches.

    An event without a recipient (or actor) still gets one row, with that side blank;
    ``num_mentions`` is the size of the story behind it.
    """
    for batch in batches(queries.iter_merged_events(conn, filters), queries.STREAM_BATCH):
        docs = queries.documents(conn, [m.record.doc_id for m in batch])
        for m in batch:
            e = m.record
            doc = docs.get(e.doc_id)
            for a in e.actor or [None]:
                for r in e.recipient or [None]:
                    yield {
                        "date": m.date.replace("-", "") if m.date else None,
                        "actor1_code": a.code if a else None,
                        "actor1_sector": a.sector if a else None,
                        "actor1_text": a.text if a else None,
                        "actor2_code": r.code if r else None,
                        "actor2_sector": r.sector if r else None,
                        "actor2_text": r.text if r else None,
                        "event_type": e.event_type,
                        "mode": e.mode,
                        "quad_class": QUAD_NUMBER.get(event_quad(e)),
                        "score": event_score(e),
                        "modality": e.modality,
                        "num_mentions": m.mentions,
                        "source_url": doc.url if doc else None,
                        "doc_id": e.doc_id,
                        "event_id": e.id,
                        "sentence": e.evidence.sentence,
                    }


def batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
