"""Storage of coded records (events, positions, process records).

Each record is kept whole as JSON in ``record`` (the interchange format), with the
columns used for filtering copied beside it. Replacing a document's records is one
transaction, so re-coding never leaves a document with half its events.
"""

from __future__ import annotations

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
