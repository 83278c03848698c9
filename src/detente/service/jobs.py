"""A job queue kept in the store, so a job survives a restart and any server process sharing
the database can run it.

A job's id is a hash of what was posted: posting the same story twice returns the same job
(and the ingest stage would count it as a duplicate anyway). Workers claim a queued job with
a conditional UPDATE, so two workers never run the same job. A claim names its worker: a job
left 'running' by a worker that is gone (a crash or restart of this host's server, or no
progress for :data:`STALE_AFTER` from elsewhere) is queued again, so a posted story is never
stuck. A finished job keeps its result but not the posted body, which the documents hold, so
the table stays small on a server left running for months.
"""

from __future__ import annotations

import hashlib
import json
import logging
import socket
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from detente.service.batch import BatchCoder
from detente.store.db import transaction
from detente.store.leases import alive, owner_tag

log = logging.getLogger("detente.jobs")

KINDS = ("text", "html", "jsonl", "url")
MAX_BYTES = 20_000_000
STALE_AFTER = timedelta(hours=1)
"""A running job with no progress for this long, on a worker this host cannot check, is
queued again (progress is recorded after every document)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass
class Job:
    job_id: str
    kind: str
    status: str
    done: int
    total: int
    result: dict | None
    error: str | None
    created: str
    updated: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "kind": self.kind,
            "status": self.status,
            "progress": {"done": self.done, "total": self.total},
            "result": self.result,
            "error": self.error,
            "created": self.created,
            "updated": self.updated,
        }


def job_id_for(kind: str, payload: dict) -> str:
    digest = hashlib.sha256(kind.encode() + json.dumps(payload, sort_keys=True).encode())
    return "j-" + digest.hexdigest()[:20]


def _from_row(row) -> Job:
    return Job(
        job_id=row["job_id"],
        kind=row["kind"],
        status=row["status"],
        done=row["done"],
        total=row["total"],
        result=json.loads(row["result"]) if row["result"] else None,
        error=row["error"],
        created=row["created"],
        updated=row["updated"],
    )


def get_job(conn, job_id: str) -> Job | None:
    row = conn.execute(
        "SELECT job_id, kind, status, done, total, result, error, created, updated"
        " FROM jobs WHERE job_id = ?",
        (job_id,),
    ).fetchone()
    return _from_row(row) if row else None


def submit(conn, kind: str, payload: dict) -> tuple[Job, bool]:
    """Queue a job; returns it and whether it is new. A failed job posted again is re-queued."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    job_id = job_id_for(kind, payload)
    now = _now()
    with transaction(conn):
        row = conn.execute("SELECT status FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO jobs (job_id, kind, payload, status, created, updated)"
                " VALUES (?,?,?,?,?,?)",
                (job_id, kind, json.dumps(payload), "queued", now, now),
            )
            created = True
        else:
            created = False
            if row["status"] == "failed":
                conn.execute(
                    "UPDATE jobs SET status = 'queued', error = NULL, updated = ? WHERE job_id = ?",
                    (now, job_id),
                )
    return get_job(conn, job_id), created  # type: ignore[return-value]


def recover(conn) -> list[str]:
    """Queue again the jobs left running by workers that are gone; returns their ids."""
    stale = (datetime.now(UTC) - STALE_AFTER).isoformat(timespec="milliseconds")
    rows = conn.execute(
        "SELECT job_id, owner, updated FROM jobs WHERE status = 'running'"
    ).fetchall()
    here = socket.gethostname()
    lost = [r["job_id"] for r in rows
            if not r["owner"] or not alive(r["owner"])
            or (not r["owner"].startswith(f"{here}:") and r["updated"] < stale)]  # fmt: skip
    if lost:
        with transaction(conn):
            conn.executemany(
                "UPDATE jobs SET status = 'queued', owner = NULL, updated = ?"
                " WHERE job_id = ? AND status = 'running'",
                [(_now(), job_id) for job_id in lost],
            )
        log.warning("queued again %d job(s) whose worker is gone: %s", len(lost), lost)
    return lost


def claim_next(conn, owner: str | None = None) -> tuple[str, str, dict] | None:
    """Take the oldest queued job for ``owner``: ``(job_id, kind, payload)``, or None."""
    with transaction(conn):
        row = conn.execute(
            "SELECT job_id, kind, payload FROM jobs WHERE status = 'queued'"
            " ORDER BY created LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        conn.execute(
            "UPDATE jobs SET status = 'running', owner = ?, updated = ? WHERE job_id = ?",
            (owner or owner_tag(), _now(), row["job_id"]),
        )
    return row["job_id"], row["kind"], json.loads(row["payload"])


def _update(conn, job_id: str, **fields) -> None:
    fields["updated"] = _now()
    assignments = ", ".join(f"{k} = ?" for k in fields)
    with transaction(conn):
        conn.execute(f"UPDATE jobs SET {assignments} WHERE job_id = ?", (*fields.values(), job_id))


def job_items(kind: str, payload: dict, job_id: str, *, allow_private: bool):
    """The documents (or rejections) a job's payload holds, read by ingest's own reader."""
    from detente.ingest.reader import ReadOptions, _Reader

    reader = _Reader(ReadOptions(allow_private=allow_private, max_bytes=MAX_BYTES))
    origin = payload.get("origin") or f"api:{job_id}"
    try:
        if kind == "url":
            yield from reader.url(payload["url"])
        elif kind == "jsonl":
            yield from reader.content(payload["body"].encode(), origin, suffix=".jsonl")
        elif kind == "html":
            data = payload["body"].encode()
            yield from reader.content(data, origin, suffix=".html", url=payload.get("url"))
        else:
            record = {k: v for k, v in payload.items() if k != "origin"}
            line = json.dumps(record)
            yield from reader.content(line.encode(), origin, suffix=".jsonl")
    finally:
        reader.close()


def run_job(conn, batch: BatchCoder, job_id: str, kind: str, payload: dict, **kw) -> None:
    """Run one claimed job to the end, recording progress; a failure is stored, not raised."""

    def progress(done: int, total: int) -> None:
        _update(conn, job_id, done=done, total=total)

    try:
        items = job_items(kind, payload, job_id, allow_private=kw.get("allow_private", False))
        result = batch.run(conn, items, progress)
    except Exception as exc:  # one bad job must not stop the worker
        log.exception("job %s failed", job_id)
        _update(conn, job_id, status="failed", error=f"{type(exc).__name__}: {exc}")
        return
    _update(conn, job_id, status="done", result=json.dumps(result.as_dict()), payload="{}")
    for hook in kw.get("after", ()):
        hook(conn, result)


class Worker:
    """A background thread that runs queued jobs one at a time.

    ``wake()`` starts the next job at once; otherwise the queue is polled every ``poll_s``
    seconds, which also picks up jobs queued by other processes on a shared database.
    """

    def __init__(self, connect, *, allow_private: bool = False, poll_s: float = 2.0, after=()):
        self._connect = connect
        self.allow_private = allow_private
        self.poll_s = poll_s
        self.after = list(after)
        self.batch = BatchCoder()
        self.owner = owner_tag()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="detente-jobs", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)

    def run_pending(self, conn) -> int:
        """Run every queued job now (the loop's body); returns how many ran."""
        ran = 0
        recover(conn)
        while not self._stop.is_set() and (claimed := claim_next(conn, self.owner)):
            job_id, kind, payload = claimed
            run_job(conn, self.batch, job_id, kind, payload,
                    allow_private=self.allow_private, after=self.after)  # fmt: skip
            ran += 1
        return ran

    def prepare(self, conn) -> None:
        """Let the after-batch hooks read the store as it is at start (the alert rules set
        their baselines here, so the first job's changes do alert)."""
        for hook in self.after:
            prepare = getattr(hook, "prepare", None)
            if prepare is not None:
                prepare(conn)

    def _loop(self) -> None:
        conn = self._connect()
        try:
            try:
                self.prepare(conn)
            except Exception:  # the store was busy: the rules set their baselines on first use
                log.exception("alert rules could not be prepared")
            while not self._stop.is_set():
                try:
                    self.run_pending(conn)
                    for hook in self.after:  # e.g. alerts a webhook refused, when due again
                        if tick := getattr(hook, "tick", None):
                            tick(conn)
                except Exception:  # the database was busy or gone: retry on the next tick
                    log.exception("job worker error")
                self._wake.wait(self.poll_s)
                self._wake.clear()
        finally:
            conn.close()
