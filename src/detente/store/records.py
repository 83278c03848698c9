"""Storage of coded records (events, positions, process candidates and records).

Each record is kept whole as JSON in ``record`` (the interchange format), with the
columns used for filtering copied beside it. Replacing a document's records is one
transaction, so re-coding never leaves a document with half its events.

Process records are derived data: each document's own reports (its *candidates*) are
stored beside its events, and the merged records of the kind and date window they touch
are recomputed from the stored candidates in that same transaction. A run killed at any
point therefore leaves records that equal the merge of every stored candidate, exactly
what an uninterrupted run leaves.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from detente.coding.models import Event
from detente.positions.collaborators import parse_day
from detente.positions.models import Position, ProcessRecord
from detente.store.db import transaction
from detente.store.derived import derive_docs, unroll_docs


def _codes(refs) -> str:
    return "|" + "|".join(r.code or "" for r in refs) + "|"


@dataclass(frozen=True)
class MergeRule:
    """How process candidates fold into records (``positions.process_records`` supplies it;
    the store only relies on this contract): ``merge`` never joins two candidates of
    different kinds, nor a dated with an undated one, nor two whose days are more than
    ``window_days`` apart. Merging every candidate within such closed windows therefore
    gives exactly the records a merge of all candidates gives."""

    merge: Callable[[list[ProcessRecord]], list[ProcessRecord]]
    window_days: int


def _day(value: str | None) -> str | None:
    day = parse_day(value)
    return day.isoformat() if day else None


def replace_doc_records(
    conn: sqlite3.Connection,
    doc_id: str,
    events: Iterable[Event],
    positions: Iterable[Position] = (),
    status: str = "coded",
    *,
    candidates: Iterable[ProcessRecord] = (),
    rule: MergeRule | None = None,
    note: str | None = None,
) -> None:
    """Atomically swap the events, positions and process candidates of one document, mark
    it ``status`` (releasing its lease) and recompute the process records it touches."""
    candidates = list(candidates)
    with transaction(conn):
        touched = [
            (row[0], row[1])
            for row in conn.execute(
                "SELECT kind, day FROM process_candidates WHERE doc_id = ?", (doc_id,)
            )
        ]
        unrolled = unroll_docs(conn, [doc_id])  # the old records leave the rollups
        for table in ("events", "positions", "process_candidates"):
            conn.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
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
        rows = [
            (doc_id, seq, c.kind, _day(c.date), c.model_dump_json())
            for seq, c in enumerate(candidates)
        ]
        conn.executemany(
            "INSERT INTO process_candidates (doc_id, seq, kind, day, record) VALUES (?,?,?,?,?)",
            rows,
        )
        conn.execute(
            "UPDATE documents SET status = ?, coding_note = ?, lease_owner = NULL,"
            " lease_expires = NULL WHERE doc_id = ?",
            (status, note, doc_id),
        )
        # Query columns are filled here too, so readers never have to write.
        derive_docs(conn, [doc_id], unrolled)
        touched += [(kind, day) for _, _, kind, day, _ in rows]
        if touched:
            if rule is None:
                raise ValueError("process candidates changed: a MergeRule is needed to merge them")
            refresh_process_records(conn, touched, rule)


def mark_not_coded(
    conn: sqlite3.Connection, doc_id: str, reason: str, status: str = "failed"
) -> None:
    """A document that could not be coded (``failed``) or is not coded by design
    (``skipped``, e.g. its language): records from an earlier run stay, its lease is
    released and it is not claimed again until ``--recode`` (failed only)."""
    with transaction(conn):
        conn.execute(
            "UPDATE documents SET status = ?, coding_note = ?, lease_owner = NULL,"
            " lease_expires = NULL WHERE doc_id = ?",
            (status, reason, doc_id),
        )


def refresh_process_records(
    conn: sqlite3.Connection, touched: Iterable[tuple[str, str | None]], rule: MergeRule
) -> int:
    """Recompute the process records of every (kind, day) window that ``touched`` reaches.

    Each touched day is widened to its *island*: the span of stored candidate days linked
    by gaps of at most ``rule.window_days``, found with indexed range queries. No candidate
    lies within the window outside an island, so no merged record crosses its edge, and
    re-merging the island's candidates alone is exact. Runs inside the caller's
    transaction; returns how many records the refreshed islands now hold.
    """
    days_by_kind: dict[str, set[str | None]] = {}
    for kind, day in touched:
        days_by_kind.setdefault(kind, set()).add(day)
    written = 0
    for kind, days in sorted(days_by_kind.items()):
        if None in days:
            written += _remerge(conn, rule, kind, None)
        islands: list[tuple[str, str]] = []
        for day in sorted(d for d in days if d):
            if islands and day <= islands[-1][1]:
                continue
            lo, hi = _island(conn, kind, day, rule.window_days)
            if islands and lo <= islands[-1][1]:
                lo = islands.pop()[0]
            islands.append((lo, hi))
        for island in islands:
            written += _remerge(conn, rule, kind, island)
    return written


def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def _island(conn: sqlite3.Connection, kind: str, day: str, window: int) -> tuple[str, str]:
    lo = hi = day
    while True:
        (lower,) = conn.execute(
            "SELECT MIN(day) FROM process_candidates WHERE kind = ? AND day >= ? AND day < ?",
            (kind, _shift(lo, -window), lo),
        ).fetchone()
        if lower is None:
            break
        lo = lower
    while True:
        (upper,) = conn.execute(
            "SELECT MAX(day) FROM process_candidates WHERE kind = ? AND day > ? AND day <= ?",
            (kind, hi, _shift(hi, window)),
        ).fetchone()
        if upper is None:
            break
        hi = upper
    return lo, hi


def _remerge(
    conn: sqlite3.Connection, rule: MergeRule, kind: str, island: tuple[str, str] | None
) -> int:
    where, args = ("kind = ? AND day IS NULL", (kind,))
    if island is not None:
        where, args = ("kind = ? AND day BETWEEN ? AND ?", (kind, *island))
    conn.execute(f"DELETE FROM process_records WHERE {where}", args)
    found = [
        ProcessRecord.model_validate_json(row[0])
        for row in conn.execute(
            f"SELECT record FROM process_candidates WHERE {where} ORDER BY doc_id, seq", args
        )
    ]
    merged = rule.merge(found)
    _insert_process_records(conn, merged)
    return len(merged)


def _insert_process_records(conn: sqlite3.Connection, records: Iterable[ProcessRecord]) -> None:
    conn.executemany(
        "INSERT INTO process_records (id, kind, process, date, day, record) VALUES (?,?,?,?,?,?)",
        [(r.id, r.kind, r.process, r.date, _day(r.date), r.model_dump_json()) for r in records],
    )


def replace_process_records(conn: sqlite3.Connection, records: Iterable[ProcessRecord]) -> None:
    """Replace the whole set of merged records (for records built outside ``code``)."""
    with transaction(conn):
        conn.execute("DELETE FROM process_records")
        _insert_process_records(conn, records)
