"""Responses in the format a client asks for: ``?format=`` wins, then ``Accept``.

JSON wraps the rows as ``{"items": [...], "next_cursor": ...}``; JSONL (one record per
line) and CSV (flat columns, as ``detente export`` writes them) carry the cursor in the
``X-Next-Cursor`` header and a ``Link: <…>; rel="next"`` header.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from detente.analysis.frames import flat_record, flat_rows

FORMATS = {"json": "application/json", "jsonl": "application/x-ndjson", "csv": "text/csv"}
ACCEPT = {
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/jsonlines": "jsonl",
    "text/csv": "csv",
}


def choose(request: Request) -> str:
    asked = request.query_params.get("format")
    if asked:
        if asked not in FORMATS:
            raise HTTPException(400, f"unknown format {asked!r}: use json, jsonl or csv")
        return asked
    for part in request.headers.get("accept", "").split(","):
        kind = ACCEPT.get(part.split(";")[0].strip().lower())
        if kind:
            return kind
    return "json"


def as_data(item: Any) -> dict:
    if isinstance(item, BaseModel):
        return item.model_dump(mode="json")
    if hasattr(item, "as_dict"):
        return item.as_dict()
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return dataclasses.asdict(item)
    return dict(item)


def _flat(items: list[Any]) -> list[dict]:
    if items and isinstance(items[0], BaseModel):
        return [flat_record(i) for i in items]
    return flat_rows(items)


def _next_link(request: Request, cursor: str) -> str:
    return str(request.url.include_query_params(cursor=cursor))


def _cursor_headers(request: Request, next_cursor: str | None) -> dict[str, str]:
    if not next_cursor:
        return {}
    return {"X-Next-Cursor": next_cursor,
            "Link": f'<{_next_link(request, next_cursor)}>; rel="next"'}  # fmt: skip


def _json_body(texts: list[str], next_cursor: str | None, meta: dict) -> str:
    """``{"items": [...], "next_cursor": ...}`` around items already serialised to JSON."""
    tail = json.dumps({"next_cursor": next_cursor, **meta})[1:]
    return '{"items": [' + ",".join(texts) + "], " + tail


def respond_json_texts(
    request: Request, fmt: str, texts: list[str], next_cursor: str | None = None
) -> Response:
    """A page of records given as their JSON text (``fmt`` json or jsonl), sent as is:
    no parse into a model and no serialisation back."""
    headers = _cursor_headers(request, next_cursor)
    if fmt == "jsonl":
        body = "".join(text + "\n" for text in texts)
        return Response(body, media_type=FORMATS["jsonl"], headers=headers)
    body = _json_body(texts, next_cursor, {})
    return Response(body, media_type="application/json", headers=headers)


def respond(request: Request, items: list[Any], next_cursor: str | None = None, **meta) -> Response:
    fmt = choose(request)
    headers = _cursor_headers(request, next_cursor)
    if fmt == "json":
        if items and all(isinstance(i, BaseModel) for i in items):
            # Records serialise straight to JSON (pydantic-core), skipping a dict round trip.
            body = _json_body([i.model_dump_json() for i in items], next_cursor, meta)
            return Response(body, media_type="application/json", headers=headers)
        body = {"items": [as_data(i) for i in items], "next_cursor": next_cursor, **meta}
        return JSONResponse(body, headers=headers)
    if fmt == "jsonl":
        lines = "".join(json.dumps(as_data(i), ensure_ascii=False) + "\n" for i in items)
        return Response(lines, media_type=FORMATS["jsonl"], headers=headers)
    rows = _flat(items)
    buffer = io.StringIO()
    columns = list(dict.fromkeys(k for row in rows for k in row))
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
