"""Storage of coded records (events, positions, process candidates and records).

Each record is kept whole as JSON in ``record`` (the interchange format), with the
columns used for filtering copied beside it. Replacing a document's records is one
transaction, so re-coding never leaves a document with half its events.

Process records are derived data: each document's own reports (its *candidates*) are
stored beside its events, and the merged records they can touch — same kind, overlapping
parties, dates chained within the merge window — are recomputed from the stored candidates
in that same transaction. A run killed at any
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
    the store only relies on this contract): ``merge`` folds candidates in date order, each
    into a record founded by an earlier one, and never joins two candidates of different
    kinds, a dated with an undated one, a candidate with a record whose day is more than
    ``window_days`` away, nor a candidate with a record whose party codes it shares none of
    (unless one of them names no party). Candidates linked by such possible joins form
    closed groups, and merging the groups a write touches gives exactly the records a merge
    of all candidates gives."""

    merge: Callable[[list[ProcessRecord]], list[ProcessRecord]]
    window_days: int


NO_PARTY = "*"
"""The code a candidate naming no party is filed under: it may join any candidate."""


def party_keys(candidate: ProcessRecord) -> list[str]:
    """The codes a candidate is filed under (an uncoded party as ``''``)."""
    return list(dict.fromkeys(p.code or "" for p in candidate.parties)) or [NO_PARTY]


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
            ProcessRecord.model_validate_json(row[0])
            for row in conn.execute(
                "SELECT record FROM process_candidates WHERE doc_id = ?", (doc_id,)
            )
        ]
        unrolled = unroll_docs(conn, [doc_id])  # the old records leave the rollups
        for table in ("events", "positions", "process_candidates", "process_candidate_parties"):
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
        _insert_candidates(conn, [(doc_id, seq, c) for seq, c in enumerate(candidates)])
        conn.execute(
            "UPDATE documents SET status = ?, coding_note = ?, lease_owner = NULL,"
            " lease_expires = NULL WHERE doc_id = ?",
            (status, note, doc_id),
        )
        # Query columns are filled here too, so readers never have to write.
        derive_docs(conn, [doc_id], unrolled)
        touched += candidates
        if touched:
            if rule is None:
                raise ValueError("process candidates changed: a MergeRule is needed to merge them")
            refresh_process_records(conn, touched, rule)


def _insert_candidates(
    conn: sqlite3.Connection, rows: list[tuple[str, int, ProcessRecord]]
) -> None:
    conn.executemany(
        "INSERT INTO process_candidates (doc_id, seq, kind, day, record, linked)"
        " VALUES (?,?,?,?,?,1)",
        [(doc_id, seq, c.kind, _day(c.date), c.model_dump_json()) for doc_id, seq, c in rows],
    )
    _file_parties(conn, rows)


def _file_parties(conn: sqlite3.Connection, rows: list[tuple[str, int, ProcessRecord]]) -> None:
    conn.executemany(
        "INSERT INTO process_candidate_parties (kind, code, day, doc_id, seq) VALUES (?,?,?,?,?)",
        [
            (c.kind, code, _day(c.date), doc_id, seq)
            for doc_id, seq, c in rows
            for code in party_keys(c)
        ],
    )


def add_candidates(
    conn: sqlite3.Connection, found: dict[str, list[ProcessRecord]], rule: MergeRule
) -> int:
    """Store the process candidates of many documents that have none yet, and merge the
    groups they touch once (a bulk load; :func:`replace_doc_records` writes one document
    with its events). Returns how many records the refreshed groups hold."""
    rows = [(doc_id, seq, c) for doc_id, cs in found.items() for seq, c in enumerate(cs)]
    with transaction(conn):
        _insert_candidates(conn, rows)
        return refresh_process_records(conn, [c for _, _, c in rows], rule)


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
    conn: sqlite3.Connection, touched: Iterable[ProcessRecord], rule: MergeRule
) -> int:
    """Recompute the merged records that the candidates ``touched`` (stored or just
    removed) can be part of.

    Starting from ``touched``, the candidates any of them could join under ``rule`` are
    gathered through the party index — same kind, a shared code (or none named), days at
    most ``rule.window_days`` apart or both undated — and from those the ones *they* could
    join, until no more are found. Such a group is closed: no candidate outside it can join
    a record of one inside, so re-merging it alone is exact, and the records other dyads
    hold on the same days are neither read nor rewritten. Runs inside the caller's
    transaction; returns how many records the refreshed groups now hold.
    """
    _file_pending(conn)
    touched = list(touched)
    group = _linked(conn, [(c.kind, _day(c.date), party_keys(c)) for c in touched], rule)
    found = [
        ProcessRecord.model_validate_json(row[0])
        for key in sorted(group)
        for row in conn.execute(
            "SELECT record FROM process_candidates WHERE doc_id = ? AND seq = ?", key
        )
    ]
    # a merged record keeps the id of the candidate that founded it
    conn.executemany(
        "DELETE FROM process_records WHERE id = ?",
        [(i,) for i in dict.fromkeys(c.id for c in [*touched, *found])],
    )
    merged = rule.merge(found)
    _insert_process_records(conn, merged)
    return len(merged)


Node = tuple[str, str | None, list[str]]
"""A candidate as the merge sees it before reading it: kind, day, party keys."""


def _linked(conn: sqlite3.Connection, start: list[Node], rule: MergeRule) -> set[tuple]:
    """The stored candidates (doc_id, seq) linked to ``start`` through possible joins."""
    seen: set[tuple[str, int]] = set()
    todo = list(start)
    while todo:
        kind, day, keys = todo.pop()
        when, args = ("day IS NULL", ())
        if day is not None:
            when = "day BETWEEN ? AND ?"
            args = (_shift(day, -rule.window_days), _shift(day, rule.window_days))
        if NO_PARTY in keys:  # joins any candidate of its window
            sql = f"SELECT doc_id, seq FROM process_candidates WHERE kind = ? AND {when}"
            rows = conn.execute(sql, (kind, *args))
        else:
            marks = ",".join("?" * (len(keys) + 1))
            sql = (
                "SELECT DISTINCT doc_id, seq FROM process_candidate_parties"
                f" WHERE kind = ? AND code IN ({marks}) AND {when}"
            )
            rows = conn.execute(sql, (kind, *keys, NO_PARTY, *args))
        for key in [(row[0], row[1]) for row in rows]:
            if key in seen:
                continue
            seen.add(key)
            filed = conn.execute(
                "SELECT code, day FROM process_candidate_parties WHERE doc_id = ? AND seq = ?",
                key,
            ).fetchall()
            todo.append((kind, filed[0][1], [row[0] for row in filed]))
    return seen


def _file_pending(conn: sqlite3.Connection) -> None:
    """File the candidates stored before the party index existed (once, on the first write)."""
    rows = conn.execute(
        "SELECT doc_id, seq, record FROM process_candidates WHERE linked IS NULL"
    ).fetchall()
    if rows:
        _file_parties(
            conn, [(r[0], r[1], ProcessRecord.model_validate_json(r[2])) for r in rows]
        )
        conn.execute("UPDATE process_candidates SET linked = 1 WHERE linked IS NULL")


def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


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
