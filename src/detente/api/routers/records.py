"""Documents and the records coded from them: lists with filters and cursors, one document
with its records, and search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from detente.api import listing
from detente.api.deps import Db, can_read
from detente.api.formats import as_data, respond
from detente.api.listing import BadCursor, Filters
from detente.api.routers.common import Cursor, FiltersDep, Limit
from detente.store import documents as doc_store

router = APIRouter(dependencies=[Depends(can_read)])


def _page(request: Request, fetch, db, f: Filters, limit: int, cursor: str | None):
    try:
        page = fetch(db, f, limit, cursor)
    except BadCursor as exc:
        raise HTTPException(400, str(exc)) from exc
    return respond(request, page.items, page.next_cursor)


@router.get("/documents", summary="Documents, newest first; q searches title and text")
def list_documents(
    request: Request, db: Db, f: FiltersDep, limit: Limit = 50, cursor: Cursor = None
):
    return _page(request, listing.documents, db, f, limit, cursor)


def document_with_records(db, doc_id: str) -> dict:
    doc = doc_store.get(db, doc_id)
    if doc is None:
        raise HTTPException(404, f"no document {doc_id!r}")
    mine = Filters(doc_id=doc_id)
    return {
        "document": {
            k: getattr(doc, k)
            for k in (
                "doc_id",
                "title",
                "author",
                "url",
                "source",
                "language",
                "published",
                "published_evidence",
                "origin",
                "status",
                "cluster_id",
                "clean_text",
            )
        },  # fmt: skip
        "events": listing.events(db, mine, listing.MAX_LIMIT).items,
        "positions": listing.positions(db, mine, listing.MAX_LIMIT).items,
        "process_records": listing.process_records_of_doc(db, doc_id),
    }


@router.get("/documents/{doc_id}", summary="One document with its events, positions and records")
def get_document(db: Db, doc_id: str):
    found = document_with_records(db, doc_id)
    return {
        "document": found["document"],
        **{k: [as_data(r) for r in found[k]] for k in ("events", "positions", "process_records")},
    }


@router.get("/events", summary="PLOVER events, newest first")
def list_events(request: Request, db: Db, f: FiltersDep, limit: Limit = 50, cursor: Cursor = None):
    return _page(request, listing.events, db, f, limit, cursor)


@router.get("/positions", summary="Negotiation positions, newest first")
def list_positions(
    request: Request, db: Db, f: FiltersDep, limit: Limit = 50, cursor: Cursor = None
):
    return _page(request, listing.positions, db, f, limit, cursor)


@router.get("/process-records", summary="Exchanges, ceasefires and talks, newest first")
def list_process_records(
    request: Request, db: Db, f: FiltersDep, limit: Limit = 50, cursor: Cursor = None
):
    return _page(request, listing.process_records, db, f, limit, cursor)


def search_all(db, q: str, limit: int) -> dict:
    f = Filters(q=q)
    return {
        "documents": listing.documents(db, f, limit).items,
        "events": listing.events(db, f, limit).items,
        "positions": listing.positions(db, f, limit).items,
        "process_records": listing.process_records(db, f, limit).items,
    }


@router.get("/search", summary="Documents and records containing the text")
def search(
    db: Db,
    q: Annotated[str, Query(min_length=2, max_length=200)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
):
    found = search_all(db, q, limit)
    return {"q": q, **{k: [as_data(r) for r in v] for k, v in found.items()}}
