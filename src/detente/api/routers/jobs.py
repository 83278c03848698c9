"""Posting documents: the request is checked and queued, the answer is a job id at once,
and the background worker ingests and codes it (``GET /jobs/{id}`` shows progress)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse

from detente.api.deps import Db, can_read, can_write
from detente.ingest.fetch import FetchError, check_url
from detente.service.jobs import get_job, submit

router = APIRouter()

META_FIELDS = ("id", "title", "author", "url", "source", "language", "published")
JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/jsonlines")


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPException(400, "the body is not UTF-8 text") from exc


def _from_json(data: object) -> tuple[str, dict]:
    if isinstance(data, list):
        if not data or not all(isinstance(d, dict) for d in data):
            raise HTTPException(400, "a JSON array must hold document objects")
        return "jsonl", {"body": "\n".join(json.dumps(d) for d in data)}
    if not isinstance(data, dict):
        raise HTTPException(400, "expected a JSON object with text, html, jsonl or url")
    meta = {k: str(data[k]) for k in META_FIELDS if data.get(k) not in (None, "")}
    given = [k for k in ("text", "html", "jsonl") if data.get(k)]
    if len(given) > 1:
        raise HTTPException(400, f"give one of text, html or jsonl, not {', '.join(given)}")
    if given:
        if not isinstance(data[given[0]], str):
            raise HTTPException(400, f"{given[0]} must be a string")
        if given[0] == "text":
            return "text", {"text": data["text"], **meta}
        return given[0], {"body": data[given[0]], **({"url": meta["url"]} if "url" in meta else {})}
    if meta.get("url"):
        return "url", {"url": meta["url"]}
    raise HTTPException(400, "expected one of text, html, jsonl or url")


def parse_post(content_type: str, body: bytes) -> tuple[str, dict]:
    """The job kind and payload a POST body describes."""
    kind = content_type.split(";")[0].strip().lower()
    if not body.strip():
        raise HTTPException(400, "the request body is empty")
    if kind == "application/json" or not kind:
        try:
            return _from_json(json.loads(body))
        except json.JSONDecodeError as exc:
            raise HTTPException(400, f"invalid JSON: {exc.msg} at line {exc.lineno}") from exc
    if kind in JSONL_TYPES:
        return "jsonl", {"body": _text(body)}
    if kind == "text/html":
        return "html", {"body": _text(body)}
    if kind == "text/plain":
        return "text", {"text": _text(body)}
    raise HTTPException(
        415, f"unsupported content type {kind!r}: use JSON, JSONL, text/plain or text/html"
    )


@router.post(
    "/documents",
    status_code=202,
    dependencies=[Depends(can_write)],
    summary="Queue text, HTML, a JSONL batch or a URL for ingest and coding",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": {"type": "object", "example": {
                    "text": "Russia and Ukraine exchanged 300 prisoners on Friday.",
                    "title": "Prisoner swap", "source": "Wire", "published": "2025-05-16"}}},
                "application/x-ndjson": {"schema": {"type": "string"}},
                "text/plain": {"schema": {"type": "string"}},
                "text/html": {"schema": {"type": "string"}},
            },
        }
    },
)  # fmt: skip
async def post_documents(request: Request):
    body = await request.body()
    kind, payload = parse_post(request.headers.get("content-type", ""), body)
    settings = request.app.state.settings
    if kind == "url":
        try:
            check_url(payload["url"], allow_private=settings.allow_private_urls)
        except FetchError as exc:
            raise HTTPException(400, str(exc)) from exc
    return await _queue(request, kind, payload)


async def _queue(request: Request, kind: str, payload: dict) -> JSONResponse:
    from starlette.concurrency import run_in_threadpool

    def queue():
        return submit(request.app.state.stores.get(), kind, payload)

    job, created = await run_in_threadpool(queue)
    worker = request.app.state.worker
    if worker is not None:
        worker.wake()
    body = {**job.as_dict(), "status_url": f"/api/v1/jobs/{job.job_id}"}
    return JSONResponse(body, status_code=202 if created else 200)


@router.get("/jobs/{job_id}", dependencies=[Depends(can_read)], summary="A job's progress")
def job_status(db: Db, job_id: str):
    job = get_job(db, job_id)
    if job is None:
        raise HTTPException(404, f"no job {job_id!r}")
    return job.as_dict()
