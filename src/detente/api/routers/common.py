"""Query parameters shared by the list endpoints, parsed once into the store's
:class:`~detente.store.queries.Filters` (the CLI's filters).

A blank parameter means "not set": the dashboard's filter form submits every field."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Query

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


def filters(
    process: Annotated[str | None, Query(description="Peace process, e.g. russia-ukraine")] = None,
    event_type: Annotated[str | None, Query(description="PLOVER type, e.g. CONSULT")] = None,
    actor: Annotated[str | None, Query(description="Actor code, e.g. RUS")] = None,
    recipient: Annotated[str | None, Query(description="Recipient code (events)")] = None,
    issue: Annotated[str | None, Query(description="Issue (positions)")] = None,
    stance: Annotated[
        str | None, Query(description="favor, against, conditional or neutral (positions)")
    ] = None,
    since: Annotated[str | None, Query(description="First day, YYYY-MM-DD")] = None,
    until: Annotated[str | None, Query(description="Last day, YYYY-MM-DD")] = None,
    modality: Annotated[str | None, Query(description="asserted, reported, future…")] = None,
    min_confidence: Annotated[str | None, Query(description="0 to 1")] = None,
    source: Annotated[str | None, Query(description="Outlet name")] = None,
) -> Filters:
    if event_type and event_type.upper() not in EVENT_TYPES:
        raise HTTPException(400, f"unknown event type {event_type!r}")
    try:
        return Filters(
            process=process or None, event_type=event_type or None, actor=actor or None,
            recipient=recipient or None, issue=issue or None, stance=stance or None,
            since=since or None,
            until=until or None, modality=modality or None,
            min_confidence=_confidence(min_confidence), source=source or None,
        )  # fmt: skip
    except FilterError as exc:
        raise HTTPException(400, str(exc)) from exc


FiltersDep = Annotated[Filters, Depends(filters)]
Limit = Annotated[int, Query(ge=1, le=500, description="Rows per page")]
Cursor = Annotated[str | None, Query(description="next_cursor of the previous page")]
Since = Annotated[str | None, Query(pattern=DATE, description="First day, YYYY-MM-DD")]
Until = Annotated[str | None, Query(pattern=DATE, description="Last day, YYYY-MM-DD")]
