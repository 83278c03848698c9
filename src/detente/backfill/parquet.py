"""The backfill's Parquet layout: one folder per table, one part file per coded batch.

Record tables hold the rows of ``detente export --format parquet``
(:func:`detente.analysis.frames.flat_record`: nested fields as JSON strings, evidence
in ``evidence_*`` columns). Their Arrow schema is derived from the record models, so
every part file has the same column types even when a batch leaves a column empty,
and :func:`read_records` can rebuild the records exactly. A part is written under a
temporary name and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, Literal

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from detente.analysis.frames import flat_record
from detente.coding.models import Event
from detente.ingest.models import Document, Rejection
from detente.positions.models import Position, ProcessRecord

MODELS: dict[str, type[BaseModel]] = {
    "events": Event,
    "positions": Position,
    "process_candidates": ProcessRecord,
    "process": ProcessRecord,
}
"""Record tables → their record model (``process``: merged; ``_candidates``: per document)."""
DOCUMENTS = "documents"
REJECTIONS = "rejections"
SCALARS = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}


def _arrow_type(annotation: Any) -> pa.DataType | None:
    """The Arrow type of a scalar annotation (``str | None``, ``Literal[...]``); None when
    the field is nested and therefore stored as a JSON string."""
    if typing.get_origin(annotation) is Literal:
        return pa.string()
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        kinds = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _arrow_type(kinds[0]) if len(kinds) == 1 else None
    return SCALARS.get(annotation)


@lru_cache(maxsize=8)
def record_schema(model: type[BaseModel]) -> tuple[pa.Schema, frozenset[str]]:
    """The flat-row schema of ``model`` and the names of its JSON-string columns."""
    fields, nested = [], set()
    for name, info in model.model_fields.items():
        if name == "evidence":
            evidence = typing.get_args(info.annotation) or (info.annotation,)
            for key, sub in evidence[0].model_fields.items():
                fields.append(pa.field(f"evidence_{key}", _arrow_type(sub.annotation)))
            continue
        kind = _arrow_type(info.annotation)
        if kind is None:
            nested.add(name)
        fields.append(pa.field(name, kind or pa.string()))
    return pa.schema(fields), frozenset(nested)


def records_table(table: str, records: Iterable[BaseModel]) -> pa.Table:
    schema, _ = record_schema(MODELS[table])
    return pa.Table.from_pylist([flat_record(r) for r in records], schema=schema)


def from_row(model: type[BaseModel], row: dict) -> BaseModel:
    """Rebuild a record from its flat row (the inverse of ``flat_record``)."""
    _, nested = record_schema(model)
    data: dict[str, Any] = {}
    evidence: dict[str, Any] = {}
    for key, value in row.items():
        if key.startswith("evidence_"):
            if value is not None:
                evidence[key.removeprefix("evidence_")] = value
        elif key in nested and isinstance(value, str):
            data[key] = json.loads(value)
        elif value is not None or key not in nested:
            data[key] = value
    if evidence:
        data["evidence"] = evidence
    return model.model_validate(data)


DOCUMENT_SCHEMA = pa.schema(
    [pa.field(f.name, pa.string()) for f in dataclasses.fields(Document) if f.name != "meta"]
    + [pa.field("meta", pa.string())]
)
REJECTION_SCHEMA = pa.schema([pa.field("origin", pa.string()), pa.field("reason", pa.string())])


def document_row(doc: Document) -> dict:
    row = dataclasses.asdict(doc)
    row["meta"] = json.dumps(doc.meta, default=str, ensure_ascii=False)
    return row


def row_document(row: dict) -> Document:
    data = dict(row)
    data["meta"] = json.loads(data.get("meta") or "{}")
    return Document(**data)


def documents_table(documents: Iterable[Document]) -> pa.Table:
    return pa.Table.from_pylist([document_row(d) for d in documents], schema=DOCUMENT_SCHEMA)


def rejections_table(rejections: Iterable[Rejection]) -> pa.Table:
    rows = [{"origin": r.origin, "reason": r.reason} for r in rejections]
    return pa.Table.from_pylist(rows, schema=REJECTION_SCHEMA)


def _fs(out: str):
    import fsspec

    return fsspec.core.url_to_fs(out)


class PartWriter:
    """``out/table/part.parquet`` written a table at a time (a part too big to hold), under
    a temporary name renamed on a clean exit: a reader sees it whole or not at all."""

    def __init__(self, out: str, table: str, part: str, schema: pa.Schema) -> None:
        self._fs, root = _fs(out)
        folder = f"{root.rstrip('/')}/{table}"
        self._fs.makedirs(folder, exist_ok=True)
        self._final = f"{folder}/{part}.parquet"
        self._temporary = f"{folder}/.{part}.parquet.tmp"
        self._schema = schema

    def __enter__(self) -> PartWriter:
        self._handle = self._fs.open(self._temporary, "wb")
        self._writer = pq.ParquetWriter(self._handle, self._schema)
        return self

    def write(self, data: pa.Table) -> None:
        self._writer.write_table(data)

    def __exit__(self, error_type, *_) -> None:
        self._writer.close()
        self._handle.close()
        if error_type is None:
            self._fs.mv(self._temporary, self._final)
        else:
            self._fs.rm(self._temporary)


def write_part(out: str, table: str, part: str, data: pa.Table) -> None:
    """``out/table/part.parquet``, written whole or not at all."""
    with PartWriter(out, table, part, data.schema) as writer:
        writer.write(data)


def parts(out: str, table: str) -> list[str]:
    """Part names of a table, sorted (names sort in input order, see ``batches.part_name``)."""
    fs, root = _fs(out)
    folder = f"{root.rstrip('/')}/{table}"
    if not fs.isdir(folder):
        return []
    names = (p.rsplit("/", 1)[-1] for p in fs.ls(folder, detail=False))
    return sorted(n.removesuffix(".parquet") for n in names if n.endswith(".parquet"))


def read_part(out: str, table: str, part: str, columns: list[str] | None = None) -> pa.Table:
    fs, root = _fs(out)
    with fs.open(f"{root.rstrip('/')}/{table}/{part}.parquet", "rb") as handle:
        return pq.read_table(handle, columns=columns)


def read_batches(out: str, table: str, part: str, rows: int) -> Iterator[pa.RecordBatch]:
    """One part in batches of at most ``rows`` rows, never the whole part at once."""
    fs, root = _fs(out)
    with fs.open(f"{root.rstrip('/')}/{table}/{part}.parquet", "rb") as handle:
        yield from pq.ParquetFile(handle).iter_batches(batch_size=rows)


def read_records(out: str, table: str, part: str | None = None) -> Iterator[BaseModel]:
    """Records of one part (or of every part, in order) of a record table."""
    model = MODELS[table]
    for name in [part] if part else parts(out, table):
        for row in read_part(out, table, name).to_pylist():
            yield from_row(model, row)


def read_documents(out: str, part: str) -> list[Document]:
    return [row_document(r) for r in read_part(out, DOCUMENTS, part).to_pylist()]
