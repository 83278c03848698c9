"""Storage of coded records (events, positions, process candidates and records).

Each record is kept whole as JSON in ``record`` (the interchange format), with the
columns used for filtering copied beside it. Replacing a document's records is one
transaction, so re-coding never leaves a document with half its events.

Process records are derived data: each document's own reports (its *candidates*) are
stored beside its events, and the merged records they can change — same kind, linked
parties, over the days the change reaches — are recomputed from the stored candidates in
that same transaction (:func:`refresh_process_records`). A run killed at any point
therefore leaves records that equal the merge of every stored candidate, exactly what an
uninterrupted run leaves.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from detente.coding.models import Event
from detente.ingest.models import Document
from detente.positions.collaborators import parse_day
from detente.positions.models import Position, ProcessRecord
from detente.store.db import transaction
from detente.store.derived import derive_docs, unroll_docs


def _codes(refs) -> str:
    return "|" + "|".join(r.code or "" for r in refs) + "|"


@dataclass(frozen=True)
class MergeRule:
    """How process candidates fold into records (``positions.process_records`` supplies it;
    the store only relies on this contract): ``merge`` folds candidates one at a time in
    ``order``, each into the first record founded by an earlier one that it joins, else
    founding one; a record keeps its founder's id and day. It never joins two candidates of
    different kinds, a dated with an undated one, a candidate with a record whose day is
    more than ``window_days`` away, nor a candidate with a record whose party codes it
    shares none of (unless one of them names no party). Candidates linked by such possible
    joins form closed groups, and merging the groups a write touches gives exactly the
    records a merge of all candidates gives.

    ``members`` (with ``order``) is the same merge telling which record each candidate
    went into: the store keeps that, and then re-merges only the days a write can change
    (see :func:`refresh_process_records`)."""

    merge: Callable[[list[ProcessRecord]], list[ProcessRecord]]
    window_days: int
    members: Callable[[list[ProcessRecord]], tuple[list[ProcessRecord], list[int]]] | None = None
    order: Callable[[ProcessRecord], Any] | None = None


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
    with transaction(conn):
        touched = _swap(conn, doc_id, events, positions, status, list(candidates), note)
        _refresh(conn, touched, rule)


class CodingResult(Protocol):
    """What the store reads of one document's coding result (``pipeline.CodedRecords``,
    which the store cannot import: the pipeline imports the store)."""

    document: Document
    events: list[Event]
    positions: list[Position]
    process_records: list[ProcessRecord]
    note: str | None
    error: str | None


def write_documents(
    conn: sqlite3.Connection, results: Iterable[CodingResult], rule: MergeRule
) -> None:
    """Write several documents' coding results in one transaction and merge the process
    records they touch once: the stories of a batch share their days and parties, so one
    re-merge serves them all (one per document re-merged the same window again and again).
    A document whose coding failed is marked ``failed`` and keeps its earlier records."""
    with transaction(conn):
        touched: list[ProcessRecord] = []
        for r in results:
            doc_id = r.document.doc_id
            if r.error is not None:
                _finish(conn, doc_id, "failed", r.error)
            else:
                touched += _swap(
                    conn, doc_id, r.events, r.positions, "coded", r.process_records, r.note
                )
        _refresh(conn, touched, rule)


def _swap(
    conn: sqlite3.Connection,
    doc_id: str,
    events: Iterable[Event],
    positions: Iterable[Position],
    status: str,
    candidates: list[ProcessRecord],
    note: str | None,
) -> list[ProcessRecord]:
    """Inside the caller's transaction: replace one document's records and mark it; returns
    the process candidates it removed and added (what the merge must look at again)."""
    touched = [
        ProcessRecord.model_validate_json(row[0])
        for row in conn.execute("SELECT record FROM process_candidates WHERE doc_id = ?", (doc_id,))
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
    _finish(conn, doc_id, status, note)
    # Query columns are filled here too, so readers never have to write.
    derive_docs(conn, [doc_id], unrolled)
    return touched + candidates


def _refresh(
    conn: sqlite3.Connection, touched: list[ProcessRecord], rule: MergeRule | None
) -> None:
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
        return refresh_process_records(conn, [c for _, _, c in rows], rule, whole=True)


def mark_not_coded(
    conn: sqlite3.Connection, doc_id: str, reason: str, status: str = "failed"
) -> None:
    """A document that could not be coded (``failed``) or is not coded by design
    (``skipped``, e.g. its language): records from an earlier run stay, its lease is
    released and it is not claimed again until ``--recode`` (failed only)."""
    with transaction(conn):
        _finish(conn, doc_id, status, reason)


def _finish(conn: sqlite3.Connection, doc_id: str, status: str, note: str | None) -> None:
    """Mark a document ``status`` with why (``note``) and release its coding lease."""
    conn.execute(
        "UPDATE documents SET status = ?, coding_note = ?, lease_owner = NULL,"
        " lease_expires = NULL WHERE doc_id = ?",
        (status, note, doc_id),
    )


def refresh_process_records(
    conn: sqlite3.Connection,
    touched: Iterable[ProcessRecord],
    rule: MergeRule,
    whole: bool = False,
) -> int:
    """Recompute the merged records that the candidates ``touched`` (stored or just
    removed) can change. Runs inside the caller's transaction; returns how many records
    were written.

    Two bounds keep this from growing with the store:

    - *by parties*: from ``touched``, the candidates any of them could join under ``rule``
      are gathered through the party index — same kind, a shared code (or none named),
      days at most ``rule.window_days`` apart or both undated — then the ones *they* could
      join, and so on. Such a group is closed: no candidate outside it can join a record of
      one inside, so the records other dyads hold on the same days are neither read nor
      rewritten;
    - *by days* (when the rule tells members): a dyad reported every day links one group
      across the whole coverage, so the merge is replayed from the first touched candidate
      only, each live record restored from its stored members, and stops at the first day
      after which every candidate of the last ``window_days`` went where it went before:
      from there on the merge is what it was. See :func:`_replay`. ``whole`` merges the
      groups whole (a bulk load touching most days anyway).
    """
    _file_pending(conn)
    by_kind: dict[str, list[ProcessRecord]] = {}
    for candidate in touched:
        by_kind.setdefault(candidate.kind, []).append(candidate)
    written = 0
    for _, seeds in sorted(by_kind.items()):
        undated = [c for c in seeds if not _day(c.date)]
        if undated:
            written += _merge_group(conn, rule, undated)
        dated = [c for c in seeds if _day(c.date)]
        if whole or not (rule.members and rule.order):
            written += _merge_group(conn, rule, dated) if dated else 0
            continue
        for cluster in _clusters(dated, rule.window_days):
            replayed = _replay(conn, rule, cluster)
            written += _merge_group(conn, rule, cluster) if replayed is None else replayed
    return written


def _clusters(seeds: list[ProcessRecord], window: int) -> list[list[ProcessRecord]]:
    """Touched candidates by days, apart where their days are far apart (a document
    recoded with another date touches two stretches), in date order: each stretch is
    replayed on the merge the earlier ones left."""
    seeds = sorted(seeds, key=lambda c: _day(c.date) or "")
    clusters: list[list[ProcessRecord]] = []
    for seed in seeds:
        day = _day(seed.date) or ""
        if clusters and day <= _shift(_day(clusters[-1][-1].date) or "", 4 * window):
            clusters[-1].append(seed)
        else:
            clusters.append([seed])
    return clusters


Node = tuple[str, str | None, list[str]]
"""A candidate as the linking sees it: kind, day, party keys."""


def _nodes(candidates: Iterable[ProcessRecord]) -> list[Node]:
    return [(c.kind, _day(c.date), party_keys(c)) for c in candidates]


def _merge_group(conn: sqlite3.Connection, rule: MergeRule, seeds: list[ProcessRecord]) -> int:
    """Re-merge the whole closed group of ``seeds``."""
    keys = sorted(_linked(conn, _nodes(seeds), rule.window_days))
    found = [_read(conn, key)[0] for key in keys]
    # a merged record keeps the id of the candidate that founded it
    _delete_records(conn, [c.id for c in [*seeds, *found]])
    if rule.members is None:
        merged, went = rule.merge(found), [None] * len(found)
    else:
        merged, into = rule.members(found)
        went = [merged[i].id for i in into]
    _insert_process_records(conn, merged)
    _set_record_ids(conn, [(r, *key) for key, r in zip(keys, went, strict=True)])
    return len(merged)


def _replay(conn: sqlite3.Connection, rule: MergeRule, seeds: list[ProcessRecord]) -> int | None:
    """Re-merge a dated group from its first touched candidate on, as far as it changes.

    The merge folds in date order, and a record founded on day f only takes candidates of
    days f…f+w (w = ``rule.window_days``). So, with every stored candidate's record known:

    - before the first touched candidate (day d0) nothing changes, and the records still
      open then (founded on d0-w or later) are rebuilt from their members before it;
    - the candidates from there on are merged again onto those records, in a window
      [d0-w, hi] whose group is closed within it;
    - at the first day D after the last touched one + w such that every candidate of days
      D-w…D-1 went into the record it was in, the records open on D are what they were, so
      from D on the stored merge stands: records founded before D are rewritten, the rest
      kept. Without such a day in the window, the window grows (doubling) up to the end of
      the stored days.

    Returns how many records were written, or ``None`` when some candidate's record is not
    known (stored before it was kept): the caller then merges the whole group, which
    records it.
    """
    assert rule.members is not None and rule.order is not None
    w = rule.window_days
    days = sorted(date.fromisoformat(d) for c in seeds if (d := _day(c.date)))
    first, last = days[0], days[-1]
    start = min(rule.order(c) for c in seeds)
    seed_ids = {c.id for c in seeds}
    (end,) = conn.execute(
        "SELECT MAX(day) FROM process_candidates WHERE kind = ?", (seeds[0].kind,)
    ).fetchone()
    span = 4 * w
    while True:
        lo, hi = first - timedelta(days=w), last + timedelta(days=span)
        keys = sorted(_linked(conn, _nodes(seeds), w, (lo.isoformat(), hi.isoformat())))
        rows = [_read(conn, key) for key in keys]
        if any(was is None and c.id not in seed_ids for c, was in rows):
            return None
        before = {i for i, (c, _) in enumerate(rows) if rule.order(c) < start}
        live = {rows[i][1] for i in before if rows[i][0].id == rows[i][1]}
        inputs = [i for i, (c, was) in enumerate(rows) if rule.order(c) >= start or was in live]
        merged, into = rule.members([rows[i][0] for i in inputs])
        went = {i: merged[into[k]].id for k, i in enumerate(inputs)}
        moved = {_day(rows[i][0].date) for i in inputs if i not in before and went[i] != rows[i][1]}
        cut = _steady_day(moved, last, hi, w)
        if cut is not None or end is None or hi.isoformat() >= end:
            break
        span *= 2
    cut_day = cut.isoformat() if cut is not None else None

    def redone(day: str | None) -> bool:
        return cut_day is None or (day is not None and day < cut_day)

    changed = [i for i in inputs if i not in before and redone(_day(rows[i][0].date))]
    _delete_records(
        conn, [*live, *seed_ids, *(rows[i][1] for i in changed if rows[i][1] is not None)]
    )
    written = [m for m in merged if redone(_day(m.date))]
    _insert_process_records(conn, written)
    _set_record_ids(conn, [(went[i], *keys[i]) for i in changed])
    return len(written)


def _steady_day(moved: set[str | None], last: date, hi: date, w: int) -> date | None:
    """The first day D after ``last`` + w, with D + w within ``hi``, such that no
    candidate of days D-w…D-1 ``moved`` to another record."""
    day = last + timedelta(days=w + 1)
    while day + timedelta(days=w) <= hi:
        span = {(day - timedelta(days=k)).isoformat() for k in range(1, w + 1)}
        if not span & moved:
            return day
        day += timedelta(days=1)
    return None


def _read(conn: sqlite3.Connection, key: tuple[str, int]) -> tuple[ProcessRecord, str | None]:
    row = conn.execute(
        "SELECT record, record_id FROM process_candidates WHERE doc_id = ? AND seq = ?", key
    ).fetchone()
    return ProcessRecord.model_validate_json(row[0]), row[1]


def _delete_records(conn: sqlite3.Connection, ids: Iterable[str]) -> None:
    conn.executemany("DELETE FROM process_records WHERE id = ?", [(i,) for i in dict.fromkeys(ids)])


def _set_record_ids(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    conn.executemany(
        "UPDATE process_candidates SET record_id = ? WHERE doc_id = ? AND seq = ?", rows
    )


def _linked(
    conn: sqlite3.Connection,
    start: list[Node],
    window: int,
    bounds: tuple[str, str] | None = None,
) -> set[tuple[str, int]]:
    """The stored candidates (doc_id, seq) linked to ``start`` through possible joins
    (through candidates whose days lie within ``bounds`` only, when given)."""
    seen: set[tuple[str, int]] = set()
    asked: set[tuple] = set()
    todo = list(start)
    while todo:
        kind, day, keys = todo.pop()
        # many stories of one event share kind, day and parties: one query answers them all
        question = (kind, day, tuple(sorted(keys)))
        if question in asked:
            continue
        asked.add(question)
        when, args = ("day IS NULL", ())
        if day is not None:
            lo, hi = _shift(day, -window), _shift(day, window)
            if bounds is not None:
                lo, hi = max(lo, bounds[0]), min(hi, bounds[1])
            when, args = ("day BETWEEN ? AND ?", (lo, hi))
        if NO_PARTY in keys:  # joins any candidate of its window
            matching = f"SELECT doc_id, seq FROM process_candidates WHERE kind = ? AND {when}"
            args = (kind, *args)
        else:
            marks = ",".join("?" * (len(keys) + 1))
            matching = (
                "SELECT DISTINCT doc_id, seq FROM process_candidate_parties"
                f" WHERE kind = ? AND code IN ({marks}) AND {when}"
            )
            args = (kind, *keys, NO_PARTY, *args)
        # the matching candidates with their filed codes and day, in one query
        rows = conn.execute(
            "SELECT p.doc_id, p.seq, p.code, p.day FROM process_candidate_parties p"
            f" JOIN ({matching}) m ON p.doc_id = m.doc_id AND p.seq = m.seq",
            args,
        )
        found: dict[tuple[str, int], tuple[str | None, list[str]]] = {}
        for doc_id, seq, code, filed_day in rows:
            key = (doc_id, seq)
            if key not in seen:
                found.setdefault(key, (filed_day, []))[1].append(code)
        for key, (filed_day, codes) in found.items():
            seen.add(key)
            todo.append((kind, filed_day, codes))
    return seen


def _file_pending(conn: sqlite3.Connection) -> None:
    """File the candidates stored before the party index existed (once, on the first write)."""
    rows = conn.execute(
        "SELECT doc_id, seq, record FROM process_candidates WHERE linked IS NULL"
    ).fetchall()
    if rows:
        _file_parties(conn, [(r[0], r[1], ProcessRecord.model_validate_json(r[2])) for r in rows])
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
