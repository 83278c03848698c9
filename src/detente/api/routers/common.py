"""Query parameters shared by the list endpoints, parsed once into the store's
:class:`~detente.store.queries.Filters` (the CLI's filters).

A blank parameter means "not set": the dashboard's filter form submits every field."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request

from detente.coding.models import EVENT_TYPES
from detente.store.queries import FilterError, Filters

DATE = r"^\d{4}-\d{2}-\d{2}$"


def _confidence(value: str | None) -> float | None:
    """Empty means unset (a blank form field); otherwise a number from 0 to 1."""
    if value is None or not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 <= number <= 1:
        raise HTTPException(400, f"min_confidence must be a number from 0 to 1, not {value!r}")
    return number


FILTERS: dict[str, str] = {
    "process": "Peace process, e.g. russia-ukraine",
    "event_type": "PLOVER type, e.g. CONSULT",
    "actor": "Actor code, e.g. RUS",
    "recipient": "Recipient code (events)",
    "issue": "Issue (positions)",
    "stance": "favor, against, conditional or neutral (positions)",
    "since": "First day, YYYY-MM-DD",
    "until": "Last day, YYYY-MM-DD",
    "modality": "asserted, reported, future…",
    "min_confidence": "0 to 1",
    "source": "Outlet name",
}
"""The filter parameters, named as the store's :class:`Filters` fields."""

FILTER_DOCS = {
    "parameters": [
        {"name": name, "in": "query", "required": False, "description": text,
         "schema": {"type": "string"}}
        for name, text in FILTERS.items()
    ]
}  # fmt: skip
"""The filters in the OpenAPI schema (``openapi_extra`` of each route that takes them)."""


async def filters(request: Request) -> Filters:
    """The filters of the query string. Read here in one step rather than declared as eleven
    FastAPI parameters, each validated on every request: on a list page that validation
    cost more than the query. The routes document them with :data:`FILTER_DOCS`. (A
    coroutine that never waits, so FastAPI does not hand it to its thread pool.)"""
    query = request.query_params
    values = {name: query.get(name) or None for name in FILTERS}
    event_type = values["event_type"]
    if event_type and event_type.upper() not in EVENT_TYPES:
        raise HTTPException(400, f"unknown event type {event_type!r}")
    values["min_confidence"] = _confidence(values["min_confidence"])
    try:
        return Filters(**values)
    except FilterError as exc:
        raise HTTPException(400, str(exc)) from exc


FiltersDep = Annotated[Filters, Depends(filters)]
Limit = Annotated[int, Query(ge=1, le=500, description="Rows per page")]
Cursor = Annotated[str | None, Query(description="next_cursor of the previous page")]
Since = Annotated[str | None, Query(pattern=DATE, description="First day, YYYY-MM-DD")]
Until = Annotated[str | None, Query(pattern=DATE, description="Last day, YYYY-MM-DD")]
