"""Documents and the records coded from them: lists with filters and cursors, one document
with its records, and search."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from detente.api import listing
from detente.api.deps import Db, can_read
from detente.api.formats import as_data, choose, respond, respond_json_texts
from detente.api.routers.common import FILTER_DOCS, Cursor, FiltersDep, Limit
from detente.store import documents as doc_store
from detente.store import queries
from detente.store.queries import FilterError, Filters

router = APIRouter(dependencies=[Depends(can_read)])

DOCUMENT_FIELDS = (
    "doc_id", "title", "author", "url", "source", "language", "published",
    "published_evidence", "origin", "status", "cluster_id", "clean_text",
)  # fmt: skip


def page_of(fetch, *args, **kwargs):
    """Run a paged query; a cursor this server did not issue is a 400."""
    try:
        return fetch(*args, **kwargs)
    except FilterError as exc:
        raise HTTPException(400, str(exc)) from exc


@router.get("/documents", summary="Documents, newest first; q searches title and text",
            openapi_extra=FILTER_DOCS)
def list_documents(
    request: Request, db: Db, f: FiltersDep, limit: Limit = 50, cursor: Cursor = None,
    q: Annotated[str | None, Query(max_length=200, description="Text to find")] = None,
):  # fmt: skip
    page = page_of(listing.documents, db, q=q or None, source=f.source, since=f.since,
                   until=f.until, limit=limit, cursor=cursor)  # fmt: skip
    return respond(request, page.items, page.next_cursor)


def document_with_records(db, doc_id: str) -> dict:
    doc = doc_store.get(db, doc_id)
    if doc is None:
        raise HTTPException(404, f"no document {doc_id!r}")
    mine = Filters(doc_id=doc_id)
    return {
        "document": {k: getattr(doc, k) for k in DOCUMENT_FIELDS},
        "events": queries.list_events(db, mine, limit=None).items,
        "positions": queries.list_positions(db, mine, limit=None).items,
        "process_records": listing.process_records_of_doc(db, doc_id),
    }


@router.get("/documents/{doc_id}", summary="One document with its events, positions and records")
def get_document(db: Db, doc_id: str):
    found = document_with_records(db, doc_id)
    return {
        "document": found["document"],
        **{k: [as_data(r) for r in found[k]] for k in ("events", "positions", "process_records")},
    }


def record_page(request: Request, db, table, f: Filters, limit: int, cursor: str | None):
    """A page of events or positions. JSON and JSONL pass the stored record text through
    (records were validated when written); CSV flattens parsed records."""
    fmt = choose(request)
    if fmt == "csv":
        fetch = queries.list_events if table == "events" else queries.list_positions
        page = page_of(fetch, db, f, limit=limit, cursor=cursor)
        return respond(request, page.items, page.next_cursor)
    page = page_of(queries.page_json, db, table, f, limit=limit, cursor=cursor)
    return respond_json_texts(request, fmt, page.items, page.next_cursor)


@router.get("/events", summary="PLOVER events by resolved day (undated first), paged",
            openapi_extra=FILTER_DOCS)
def list_events(request: Request, db: Db, f: FiltersDep, limit: Limit = 50, cursor: Cursor = None):
    return record_page(request, db, "events", f, limit, cursor)


@router.get("/positions", summary="Negotiation positions by resolved day, paged",
            openapi_extra=FILTER_DOCS)
def list_positions(
    request: Request, db: Db, f: FiltersDep, limit: Limit = 50, cursor: Cursor = None
):
    return record_page(request, db, "positions", f, limit, cursor)


@router.get("/process-records", summary="Exchanges, ceasefires and talks, by date",
            openapi_extra=FILTER_DOCS)
def list_process_records(
    request: Request, db: Db, f: FiltersDep,
    kind: Annotated[str | None, Query(pattern="^(exchange|ceasefire|talks)$")] = None,
):  # fmt: skip
    selection = replace(f, event_type=None, actor=None, recipient=None)
    return respond(request, queries.list_process_records(db, selection, kind=kind))


def search_all(db, q: str, limit: int) -> dict:
    return {"documents": listing.documents(db, q=q, limit=limit).items,
            **listing.search_records(db, q, limit)}  # fmt: skip


@router.get("/search", summary="Documents and records containing the text")
def search(
    db: Db,
    q: Annotated[str, Query(min_length=2, max_length=200)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
):
    found = search_all(db, q, limit)
    return {"q": q, **{k: [as_data(r) for r in v] for k, v in found.items()}}
