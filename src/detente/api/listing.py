"""Filtered, newest-first pages of stored records, with keyset (cursor) pagination.

Filters become SQL conditions so a page costs the same on a store of 20 documents or
20,000; the cursor is the sort key of the last row shown, so pages stay stable while new
records arrive. Records come back as the models every stage shares (``Event``,
``Position``, ``ProcessRecord``), parsed from the stored JSON.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field

from detente.analysis.membership import process_parties
from detente.coding.models import Event
from detente.positions.models import Position, ProcessRecord
from detente.store.backends import json_number

MAX_LIMIT = 500


class BadCursor(ValueError):
    """The cursor was not issued by this API (or was edited)."""


def encode_cursor(key: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadCursor("invalid cursor") from exc
    if not (isinstance(key, list) and len(key) == 2 and all(isinstance(k, str) for k in key)):
        raise BadCursor("invalid cursor")
    return key


@dataclass
class Filters:
    """What an analyst narrows a list by; unset fields do not filter."""

    process: str | None = None
    event_type: str | None = None
    actor: str | None = None
    recipient: str | None = None
    issue: str | None = None
    stance: str | None = None
    kind: str | None = None
    since: str | None = None
    until: str | None = None
    modality: str | None = None
    min_confidence: float | None = None
    source: str | None = None
    doc_id: str | None = None
    q: str | None = None


@dataclass
class Page:
    items: list = field(default_factory=list)
    next_cursor: str | None = None


def _like_code(column: str, code: str) -> tuple[str, list]:
    return f"{column} LIKE ?", [f"%|{code.upper()}|%"]


def _process_condition(name: str, coded: list[str], label_table: str | None) -> tuple[str, list]:
    """A record belongs to a process when a belligerent takes part, or a third party does
    in a document that has a position labelled with the process (analysis.membership, in
    SQL); a name without a process file matches its label only."""
    parties = process_parties(name)
    linked = "doc_id IN (SELECT doc_id FROM positions WHERE process = ?)"
    parts, args = [], []
    if label_table:
        parts.append("process = ?")
        args.append(name)
    if parties:
        for code in sorted(parties.belligerents):
            for column in coded:
                sql, a = _like_code(column, code)
                parts.append(sql)
                args += a
        others = []
        for code in sorted(parties.others):
            for column in coded:
                sql, a = _like_code(column, code)
                others.append(sql)
                args += a
        if others:
            parts.append(f"(({' OR '.join(others)}) AND {linked})")
            args.append(name)
    if not parts:
        return linked, [name]
    return "(" + " OR ".join(parts) + ")", args


def _date_conditions(f: Filters, column: str) -> list[tuple[str, list]]:
    out = []
    if f.since:
        out.append((f"{column} >= ?", [f.since[:10]]))
    if f.until:
        out.append((f"{column} <= ?", [f.until[:10] + "\uffff"]))
    return out


def _common(conn, f: Filters, date_column: str) -> list[tuple[str, list]]:
    out = _date_conditions(f, date_column)
    if f.modality:
        out.append(("modality = ?", [f.modality]))
    if f.min_confidence is not None:
        out.append((f"{json_number(conn, 'record', 'confidence')} >= ?", [f.min_confidence]))
    if f.source:
        out.append(("doc_id IN (SELECT doc_id FROM documents WHERE source = ?)", [f.source]))
    if f.doc_id:
        out.append(("doc_id = ?", [f.doc_id]))
    if f.q:
        out.append(("LOWER(record) LIKE ?", [f"%{f.q.lower()}%"]))
    return out


def _page(conn, table: str, columns: str, key: str, id_col: str, conditions, limit, cursor):
    limit = max(1, min(limit, MAX_LIMIT))
    where = [c for c, _ in conditions]
    args = [a for _, arg in conditions for a in arg]
    if cursor:
        last_key, last_id = decode_cursor(cursor)
        where.append(f"({key} < ? OR ({key} = ? AND {id_col} < ?))")
        args += [last_key, last_key, last_id]
    sql = f"SELECT {columns}, {key} AS page_key, {id_col} AS page_id FROM {table}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {key} DESC, {id_col} DESC LIMIT ?"
    rows = conn.execute(sql, [*args, limit + 1]).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor([rows[-1]["page_key"], rows[-1]["page_id"]]) if more else None
    return rows, next_cursor


DATE_KEY = "COALESCE(date, '')"


def events(conn, f: Filters, limit: int = 50, cursor: str | None = None) -> Page:
    conditions = _common(conn, f, "date")
    if f.event_type:
        conditions.append(("event_type = ?", [f.event_type.upper()]))
    if f.actor:
        conditions.append(_like_code("actor_codes", f.actor))
    if f.recipient:
        conditions.append(_like_code("recipient_codes", f.recipient))
    if f.process:
        conditions.append(_process_condition(f.process, ["actor_codes", "recipient_codes"], None))
    rows, nxt = _page(conn, "events", "record", DATE_KEY, "id", conditions, limit, cursor)
    return Page([Event.model_validate_json(r["record"]) for r in rows], nxt)


def positions(conn, f: Filters, limit: int = 50, cursor: str | None = None) -> Page:
    conditions = _common(conn, f, "date")
    if f.issue:
        conditions.append(("issue = ?", [f.issue]))
    if f.actor:
        conditions.append(("actor_code = ?", [f.actor.upper()]))
    if f.stance:
        conditions.append(("stance = ?", [f.stance]))
    if f.process:
        actor_codes = "('|' || COALESCE(actor_code, '') || '|')"
        conditions.append(_process_condition(f.process, [actor_codes], "positions"))
    rows, nxt = _page(conn, "positions", "record", DATE_KEY, "id", conditions, limit, cursor)
    return Page([Position.model_validate_json(r["record"]) for r in rows], nxt)


def process_records(conn, f: Filters, limit: int = 50, cursor: str | None = None) -> Page:
    conditions = _date_conditions(f, "date")
    if f.kind:
        conditions.append(("kind = ?", [f.kind]))
    if f.process:
        conditions.append(("process = ?", [f.process]))
    if f.q:
        conditions.append(("LOWER(record) LIKE ?", [f"%{f.q.lower()}%"]))
    rows, nxt = _page(conn, "process_records", "record", DATE_KEY, "id", conditions, limit, cursor)
    return Page([ProcessRecord.model_validate_json(r["record"]) for r in rows], nxt)


DOC_COLUMNS = "doc_id, title, source, url, published, language, status, cluster_id, ingested"


def documents(conn, f: Filters, limit: int = 50, cursor: str | None = None) -> Page:
    conditions = _date_conditions(f, "published")
    if f.source:
        conditions.append(("source = ?", [f.source]))
    if f.q:
        needle = f"%{f.q.lower()}%"
        conditions.append(("(LOWER(title) LIKE ? OR LOWER(clean_text) LIKE ?)", [needle, needle]))
    key = "COALESCE(published, '')"
    rows, nxt = _page(conn, "documents", DOC_COLUMNS, key, "doc_id", conditions, limit, cursor)
    names = DOC_COLUMNS.split(", ")
    return Page([{n: r[n] for n in names} for r in rows], nxt)


def distinct(conn, table: str, column: str) -> list[str]:
    """The values a filter can take (for the dashboard's drop-downs)."""
    rows = conn.execute(
        f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY {column}"
    )
    return [r[0] for r in rows]


def process_records_of_doc(conn, doc_id: str) -> list[ProcessRecord]:
    """Process records one of whose sources is the document (they are merged across
    documents, so the id sits in their ``doc_ids`` list)."""
    rows = conn.execute(
        "SELECT record FROM process_records WHERE record LIKE ? ORDER BY date, id",
        (f'%"{doc_id}"%',),
    )
    found = [ProcessRecord.model_validate_json(r[0]) for r in rows]
    return [r for r in found if doc_id in r.doc_ids]


def record_by_id(conn, record_id: str) -> tuple[str, Event | Position | ProcessRecord] | None:
    """``(kind, record)`` for an event, position or process record id."""
    for kind, table, model in (
        ("event", "events", Event),
        ("position", "positions", Position),
        ("process", "process_records", ProcessRecord),
    ):
        row = conn.execute(f"SELECT record FROM {table} WHERE id = ?", (record_id,)).fetchone()
        if row:
            return kind, model.model_validate_json(row[0])
    return None
