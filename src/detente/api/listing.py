"""What the API lists beyond the store's record queries (:mod:`detente.store.queries`):
documents (newest first, keyset pages, text search) and text search over records.

Events and positions are listed by :func:`detente.store.queries.list_events` and
``list_positions`` — the same pages the CLI prints.
"""

from __future__ import annotations

import base64
import json

from detente.coding.models import Event
from detente.positions.models import Position, ProcessRecord
from detente.store import queries
from detente.store.queries import FilterError, Page

DOC_COLUMNS = ("doc_id", "title", "source", "url", "published", "language", "status",
               "cluster_id", "ingested")  # fmt: skip
MAX_LIMIT = 500


def _encode(key: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


def _decode(cursor: str) -> list:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, UnicodeDecodeError):
        key = None
    if not (isinstance(key, list) and len(key) == 2 and all(isinstance(k, str) for k in key)):
        raise FilterError(f"cursor {cursor!r} is not one this server handed out")
    return key


def documents(
    conn,
    *,
    q: str | None = None,
    source: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> Page:
    """Documents, newest publication first; ``q`` matches title or text (case-insensitive)."""
    where, args = [], []
    for sql, value in (
        ("source = ?", source),
        ("published >= ?", since),
        ("published <= ?", until and until + "\uffff"),
    ):
        if value:
            where.append(sql)
            args.append(value)
    if q:
        where.append("(LOWER(title) LIKE ? OR LOWER(clean_text) LIKE ?)")
        args += [f"%{q.lower()}%"] * 2
    key = "COALESCE(published, '')"
    # The same range on the sort key (equal wherever a date is set): the index on it then
    # reads the range in order, newest first, and stops after one page.
    for sql, value in ((f"{key} >= ?", since), (f"{key} <= ?", until and until + "\uffff")):
        if value:
            where.append(sql)
            args.append(value)
    if cursor:
        last_key, last_id = _decode(cursor)
        where.append(f"({key} < ? OR ({key} = ? AND doc_id < ?))")
        args += [last_key, last_key, last_id]
    sql = f"SELECT {', '.join(DOC_COLUMNS)}, {key} FROM documents"
    if where:
        sql += " WHERE " + " AND ".join(where)
    limit = max(1, min(limit, MAX_LIMIT))
    sql += f" ORDER BY {key} DESC, doc_id DESC LIMIT {limit + 1}"
    rows = conn.execute(sql, args).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    items = [{name: r[i] for i, name in enumerate(DOC_COLUMNS)} for r in rows]
    return Page(items, _encode([rows[-1][-1], rows[-1][0]]) if more else None)


def search_records(conn, q: str, limit: int = 20) -> dict[str, list]:
    """Events, positions and process records whose stored record mentions ``q``."""
    needle = f"%{q.lower()}%"
    found: dict[str, list] = {}
    for name, table, model in (
        ("events", "events", Event),
        ("positions", "positions", Position),
        ("process_records", "process_records", ProcessRecord),
    ):
        rows = conn.execute(
            f"SELECT record FROM {table} WHERE LOWER(record) LIKE ?"
            f" ORDER BY COALESCE(date, '') DESC, id LIMIT {int(limit)}",
            (needle,),
        )
        found[name] = [model.model_validate_json(r[0]) for r in rows]
    return found


RECORDS_OF_DOC = (
    "SELECT record FROM process_records WHERE id IN"
    " (SELECT record_id FROM process_candidates WHERE doc_id = ?) ORDER BY date, id"
)


def process_records_of_doc(conn, doc_id: str) -> list[ProcessRecord]:
    """Process records one of whose sources is the document: the records its candidates
    went into (``process_candidates.record_id``, read through the document's key).

    A candidate stored before that link was kept has none until its group is next merged
    whole; for such a document the records naming it in ``doc_ids`` are searched instead."""
    links = [r[0] for r in conn.execute(
        "SELECT record_id FROM process_candidates WHERE doc_id = ?", (doc_id,)
    )]  # fmt: skip
    if None in links:
        rows = conn.execute(
            "SELECT record FROM process_records WHERE record LIKE ? ORDER BY date, id",
            (f'%"{doc_id}"%',),
        )
        found = [ProcessRecord.model_validate_json(r[0]) for r in rows]
        return [r for r in found if doc_id in r.doc_ids]
    rows = conn.execute(RECORDS_OF_DOC, (doc_id,))
    return [ProcessRecord.model_validate_json(r[0]) for r in rows]


def record_by_id(conn, record_id: str) -> tuple[str, Event | Position | ProcessRecord] | None:
    """``(kind, record)`` for an event, position or process record id."""
    record = queries.records_by_id(conn, [record_id]).get(record_id)
    if record is not None:
        return ("event" if isinstance(record, Event) else "position"), record
    row = conn.execute("SELECT record FROM process_records WHERE id = ?", (record_id,)).fetchone()
    return ("process", ProcessRecord.model_validate_json(row[0])) if row else None


def distinct(conn, table: str, column: str) -> list[str]:
    """The values a filter can take (for the dashboard's drop-downs)."""
    rows = conn.execute(
        f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY {column}"
    )
    return [r[0] for r in rows]
