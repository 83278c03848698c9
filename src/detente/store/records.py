"""Storage of coded records (events, positions, process records).

Each record is kept whole as JSON in ``record`` (the interchange format), with the
columns used for filtering copied beside it. Replacing a document's records is one
transaction, so re-coding never leaves a document with half its events.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from detente.coding.models import Event
from detente.positions.models import Position, ProcessRecord
from detente.store.db import transaction


def _codes(refs) -> str:
    return "|" + "|".join(r.code or "" for r in refs) + "|"


def replace_doc_records(
    conn: sqlite3.Connection,
    doc_id: str,
    events: Iterable[Event],
    positions: Iterable[Position] = (),
    status: str = "coded",
) -> None:
    """Atomically swap the events and positions of one document and mark it coded."""
    with transaction(conn):
        conn.execute("DELETE FROM events WHERE doc_id = ?", (doc_id,))
        conn.execute("DELETE FROM positions WHERE doc_id = ?", (doc_id,))
        conn.executemany(
            "INSERT INTO events (id, doc_id, sentence_index, event_type, modality, date,"
            " actor_codes, recipient_codes, record) VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (
                    e.id,
                    e.doc_id,
                    e.sentence_index,
                    e.event_type,
                    e.modality,
                    e.date,
                    _codes(e.actor),
                    _codes(e.recipient),
                    e.model_dump_json(),
                )
                for e in events
            ],
        )
        conn.executemany(
            "INSERT INTO positions (id, doc_id, process, issue, actor_code, stance, modality,"
            " date, record) VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (
                    p.id,
                    p.doc_id,
                    p.process,
                    p.issue,
                    p.actor.code,
                    p.stance,
                    p.modality,
                    p.date,
                    p.model_dump_json(),
                )
                for p in positions
            ],
        )
        conn.execute("UPDATE documents SET status = ? WHERE doc_id = ?", (status, doc_id))


def replace_process_records(conn: sqlite3.Connection, records: Iterable[ProcessRecord]) -> None:
    """Process records are merged across documents, so they are rebuilt as a whole."""
    with transaction(conn):
        conn.execute("DELETE FROM process_records")
        conn.executemany(
            "INSERT INTO process_records (id, kind, process, date, record) VALUES (?,?,?,?,?)",
            [(r.id, r.kind, r.process, r.date, r.model_dump_json()) for r in records],
        )


def query_events(
    conn: sqlite3.Connection,
    *,
    event_type: str | None = None,
    actor: str | None = None,
    recipient: str | None = None,
    since: str | None = None,
    until: str | None = None,
    modality: str | None = None,
    doc_id: str | None = None,
) -> list[Event]:
    where, args = [], []
    if event_type:
        where.append("event_type = ?")
        args.append(event_type.upper())
    if actor:
        where.append("actor_codes LIKE ?")
        args.append(f"%|{actor.upper()}|%")
    if recipient:
        where.append("recipient_codes LIKE ?")
        args.append(f"%|{recipient.upper()}|%")
    if since:
        where.append("date >= ?")
        args.append(since)
    if until:
        where.append("date <= ?")
        args.append(until)
    if modality:
        where.append("modality = ?")
        args.append(modality)
    if doc_id:
        where.append("doc_id = ?")
        args.append(doc_id)
    sql = "SELECT record FROM events"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY date, doc_id, sentence_index"
    return [Event.model_validate(json.loads(r[0])) for r in conn.execute(sql, args)]


def query_positions(
    conn: sqlite3.Connection,
    *,
    process: str | None = None,
    issue: str | None = None,
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[Position]:
    where, args = [], []
    for column, value in (("process", process), ("issue", issue)):
        if value:
            where.append(f"{column} = ?")
            args.append(value)
    if actor:
        where.append("actor_code = ?")
        args.append(actor.upper())
    if since:
        where.append("date >= ?")
        args.append(since)
    if until:
        where.append("date <= ?")
        args.append(until)
    sql = "SELECT record FROM positions"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY date, doc_id"
    return [Position.model_validate(json.loads(r[0])) for r in conn.execute(sql, args)]


def query_process_records(
    conn: sqlite3.Connection, *, kind: str | None = None, process: str | None = None
) -> list[ProcessRecord]:
    where, args = [], []
    if kind:
        where.append("kind = ?")
        args.append(kind)
    if process:
        where.append("process = ?")
        args.append(process)
    sql = "SELECT record FROM process_records"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY date"
    return [ProcessRecord.model_validate(json.loads(r[0])) for r in conn.execute(sql, args)]
