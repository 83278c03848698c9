"""Claiming documents to code, so that concurrent ``code`` runs never code the same one.

A run claims a few pending documents at a time in one ``BEGIN IMMEDIATE`` transaction by
writing its owner tag and an expiry into their lease columns; storing a document's records
clears its lease in the same transaction. A lease is free again when it expires or, on
this machine, as soon as the process that took it is gone, so a killed run's documents
are picked up by the next run without waiting.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from detente.ingest.models import Document
from detente.store.db import transaction
from detente.store.documents import COLUMNS, _from_row

LEASE = timedelta(hours=1)
"""How long another machine waits for a claim whose owner it cannot check."""


def owner_tag() -> str:
    """``host:pid:nonce`` — unique per run, and checkable for liveness on this host."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def alive(owner: str) -> bool:
    """False only when ``owner`` ran on this host and its process is gone."""
    host, _, rest = owner.partition(":")
    if host != socket.gethostname():
        return True  # only its expiry can free it
    try:
        pid = int(rest.split(":", 1)[0])
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (ValueError, PermissionError):
        return True
    return True


def claim(conn: sqlite3.Connection, owner: str, limit: int) -> list[Document]:
    """Lease up to ``limit`` pending documents to ``owner`` and return them."""
    now = _now()
    expires = (datetime.now(UTC) + LEASE).isoformat(timespec="seconds")
    with transaction(conn):
        holders = [
            row[0]
            for row in conn.execute(
                "SELECT DISTINCT lease_owner FROM documents"
                " WHERE status = 'new' AND lease_owner IS NOT NULL"
            )
        ]
        for holder in holders:
            if holder != owner and not alive(holder):
                _release(conn, holder)
        rows = conn.execute(
            f"SELECT {COLUMNS} FROM documents WHERE status = 'new'"
            " AND (lease_owner IS NULL OR lease_expires < ?) LIMIT ?",
            (now, limit),
        ).fetchall()
        conn.executemany(
            "UPDATE documents SET lease_owner = ?, lease_expires = ? WHERE doc_id = ?",
            [(owner, expires, row["doc_id"]) for row in rows],
        )
    return [_from_row(row) for row in rows]


def claims(conn: sqlite3.Connection, owner: str, chunk: int) -> Iterator[list[Document]]:
    """Claim chunks lazily until no pending document is left: memory stays one chunk deep."""
    while documents := claim(conn, owner, chunk):
        yield documents


def _release(conn: sqlite3.Connection, owner: str) -> None:
    conn.execute(
        "UPDATE documents SET lease_owner = NULL, lease_expires = NULL WHERE lease_owner = ?",
        (owner,),
    )


def release(conn: sqlite3.Connection, owner: str) -> None:
    """Give back what ``owner`` claimed but did not store (an interrupted run)."""
    with transaction(conn):
        _release(conn, owner)


def pending(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COUNT(*) FROM documents WHERE status = 'new'").fetchone()[0]


def requeue(conn: sqlite3.Connection) -> int:
    """Queue every coded or failed document for coding again (``code --recode``)."""
    with transaction(conn):
        return conn.execute(
            "UPDATE documents SET status = 'new' WHERE status IN ('coded', 'failed')"
        ).rowcount
