"""Claiming documents to code, so that concurrent ``code`` runs never code the same one.

A run claims a few pending documents at a time in one ``BEGIN IMMEDIATE`` transaction by
writing its owner tag and an expiry into their lease columns; storing a document's records
clears its lease in the same transaction. A lease is free again when it expires or, on
this machine, as soon as the process that took it is gone, so a killed run's documents
are picked up by the next run without waiting (once the free ones are claimed: finding
the dead runs reads every pending row, too slow to do for each claim of a large queue).
"""

from __future__ import annotations

import os
import socket
import sqlite3
import uuid
from collections.abc import Iterable
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
        rows = _free(conn, now, limit)
        # Looking for dead runs reads every pending row, so only when free ones run short:
        # a dead run's documents are then taken over by this run before it ends.
        if len(rows) < limit and _release_dead(conn, owner):
            rows = _free(conn, now, limit)
        conn.executemany(
            "UPDATE documents SET lease_owner = ?, lease_expires = ? WHERE doc_id = ?",
            [(owner, expires, row["doc_id"]) for row in rows],
        )
    return [_from_row(row) for row in rows]


def _free(conn: sqlite3.Connection, now: str, limit: int) -> list[sqlite3.Row]:
    return conn.execute(
        f"SELECT {COLUMNS} FROM documents WHERE status = 'new'"
        " AND (lease_owner IS NULL OR lease_expires < ?) LIMIT ?",
        (now, limit),
    ).fetchall()


def _release_dead(conn: sqlite3.Connection, owner: str) -> bool:
    """Free the leases of runs on this host that are gone; whether there were any."""
    holders = [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT lease_owner FROM documents"
            " WHERE status = 'new' AND lease_owner IS NOT NULL"
        )
    ]
    dead = [holder for holder in holders if holder != owner and not alive(holder)]
    for holder in dead:
        _release(conn, holder)
    return bool(dead)


def _release(conn: sqlite3.Connection, owner: str) -> None:
    conn.execute(
        "UPDATE documents SET lease_owner = NULL, lease_expires = NULL WHERE lease_owner = ?",
        (owner,),
    )


def release(conn: sqlite3.Connection, owner: str, doc_ids: Iterable[str] | None = None) -> None:
    """Give back what ``owner`` claimed but did not store (an interrupted run): the
    documents ``doc_ids`` when the run knows them (by key, where finding them by owner
    reads every row of the store), else all of the owner's."""
    with transaction(conn):
        if doc_ids is None:
            _release(conn, owner)
            return
        conn.executemany(
            "UPDATE documents SET lease_owner = NULL, lease_expires = NULL"
            " WHERE doc_id = ? AND lease_owner = ?",
            [(doc_id, owner) for doc_id in doc_ids],
        )


def pending(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COUNT(*) FROM documents WHERE status = 'new'").fetchone()[0]


def requeue(conn: sqlite3.Connection) -> int:
    """Queue every coded or failed document for coding again (``code --recode``)."""
    with transaction(conn):
        return conn.execute(
            "UPDATE documents SET status = 'new' WHERE status IN ('coded', 'failed')"
        ).rowcount
