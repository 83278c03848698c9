"""The read side of the store: filters, pages and aggregations, run as SQL.

Every analysis, CLI command, report and API endpoint reads records through this module, so
a question about a million events costs an indexed query, not a million objects. The
columns it reads beside each record's JSON (resolved day, story, outlet, merged-item key,
process membership…) are filled by :mod:`detente.store.derived`; each public function
first calls :func:`~detente.store.derived.derive_pending`, a single indexed probe when
nothing is pending.

Rollups: the whole-store dyad series and the signal index (of every process or one) sum
over every merged item of the store, so they are read from tables of pre-aggregated sums
that the write transaction keeps exact (:mod:`detente.store.derived`); any other selection
is summed from the records, and tests hold both answers equal.

Portability: the SQL uses only what SQLite and PostgreSQL both run (CTEs, window
functions, ``SUBSTR``, ``CASE``), with ``?`` placeholders; a PostgreSQL connection
wrapper translates them. Rows are read by position, never by name.

Merged items: one story told by several outlets counts once. Records share a
``merge_key`` when they come from the same story cluster with the same type (or, for
positions, actor, issue, speech act and stance), the same codes, the same resolved day and
the same firmness; the firmest, most confident of them is the item's ``lead``
(:mod:`detente.store.derived`). Aggregations count leads, so an item's score, modality and
date are those of its firmest report, and a filter on a field that can differ between
reports of one item (outlet, modality, confidence, document) selects the items whose
lead matches.
"""

from __future__ import annotations

import base64
import sqlite3
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Generic, Literal, NamedTuple, TypeVar, get_args

from detente.coding.models import Event
from detente.positions.models import Position, ProcessRecord, Stance
from detente.store.derived import (
    MODALITY_RANK,
    DocInfo,
    day,
    derive_pending,
    doc_info,
    process_parties,
    rollups_ready,
    week_start,
)

Freq = Literal["day", "week", "month"]
FREQS: tuple[str, ...] = ("day", "week", "month")
DEFAULT_PAGE = 50
"""Rows a list returns unless asked for more: a terminal shows a page, not a store."""
STREAM_BATCH = 2000
"""Rows fetched per keyset step when streaming everything (export, ``--all``)."""

T = TypeVar("T", Event, Position, str)
"""What a page holds: records, or their stored JSON (:func:`page_json`)."""


class FilterError(ValueError):
    """A filter value that cannot mean anything (a date that is not a date…)."""


def check_day(value: str | None, option: str = "date") -> str | None:
    """``value`` as ``YYYY-MM-DD``, or a FilterError that says what was expected.

    Accepts a full ISO date (a datetime is cut to its day); anything else ("yesterday",
    "2025-13-01", "05/2025") is refused rather than silently matching nothing."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        named = f"{option} " if option else ""
        raise FilterError(f"{named}{value!r} is not a date: use YYYY-MM-DD") from None


@dataclass(frozen=True)
class Filters:
    """What to select; every field left None selects everything.

    ``process`` selects records that belong to a peace process (a belligerent takes part,
    or a third party in an article about it: :func:`detente.store.derived.member_processes`);
    ``since``/``until`` are inclusive days compared with each record's resolved day (its
    own date, else its article's); ``firm_only`` keeps asserted and reported records.
    Fields that do not apply to a table (``event_type`` for positions, ``issue`` and
    ``stance`` for events) are ignored there.
    """

    process: str | None = None
    event_type: str | None = None
    actor: str | None = None
    recipient: str | None = None
    issue: str | None = None
    stance: str | None = None
    since: str | None = None
    until: str | None = None
    modality: str | None = None
    min_confidence: float | None = None
    source: str | None = None
    doc_id: str | None = None
    firm_only: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "since", check_day(self.since, "since"))
        object.__setattr__(self, "until", check_day(self.until, "until"))
        for name in ("event_type", "actor", "recipient"):
            value = getattr(self, name)
            if value:
                object.__setattr__(self, name, value.upper())
        if self.stance and self.stance not in STANCES:
            raise FilterError(f"stance {self.stance!r} is unknown: use {', '.join(STANCES)}")
        if self.modality and self.modality not in MODALITY_RANK:
            raise FilterError(
                f"modality {self.modality!r} is unknown: use {', '.join(MODALITY_RANK)}"
            )


STANCES = get_args(Stance)

ALL = Filters()
"""No filter: the whole store."""


def where(filters: Filters, table: Literal["events", "positions"], alias: str) -> tuple[str, list]:
    """``(SQL condition, parameters)`` selecting the rows of ``table`` (as ``alias``)."""
    a = alias
    clauses: list[tuple[str, object]] = [
        (f"{a}.day >= ?", filters.since),
        (f"{a}.day <= ?", filters.until),
        (f"{a}.modality = ?", filters.modality),
        (f"{a}.confidence >= ?", filters.min_confidence),
        (f"{a}.source = ?", filters.source),
        (f"{a}.doc_id = ?", filters.doc_id),
    ]
    if table == "events":
        clauses += [
            (f"{a}.event_type = ?", filters.event_type),
            (f"EXISTS (SELECT 1 FROM event_parties x WHERE x.event_id = {a}.id"
             " AND x.role = 'actor' AND x.code = ?)", filters.actor),
            (f"EXISTS (SELECT 1 FROM event_parties x WHERE x.event_id = {a}.id"
             " AND x.role = 'recipient' AND x.code = ?)", filters.recipient),
            (f"({a}.process1 = ? OR ({a}.nprocs > 1 AND EXISTS (SELECT 1 FROM"
             f" event_processes x WHERE x.event_id = {a}.id AND x.process = ?)))",
             [filters.process] * 2 if filters.process else None),
        ]  # fmt: skip
    else:
        clauses += [
            (f"{a}.issue = ?", filters.issue),
            (f"{a}.stance = ?", filters.stance),
            (f"{a}.actor_code = ?", filters.actor),
            (f"({a}.process1 = ? OR ({a}.nprocs > 1 AND EXISTS (SELECT 1 FROM"
             f" position_processes x WHERE x.position_id = {a}.id AND x.process = ?)))",
             [filters.process] * 2 if filters.process else None),
        ]  # fmt: skip
    active = [(sql, value) for sql, value in clauses if value is not None and value != ""]
    sql = [s for s, _ in active] + ([f"{a}.firm = 1"] if filters.firm_only else [])
    params = [x for _, v in active for x in (v if isinstance(v, list) else [v])]
    return (" AND ".join(sql) or "1 = 1"), params


# --- lists -----------------------------------------------------------------------------


@dataclass
class Page(Generic[T]):
    """One page of a list; pass ``next_cursor`` back to get the following one."""

    items: list[T]
    next_cursor: str | None
    total: int | None = None


def _encode(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).decode()


def _decode(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        raise FilterError(f"cursor {cursor!r} is not one this store handed out") from None


_MODELS = {"events": Event, "positions": Position}


def _page_texts(
    conn: sqlite3.Connection, table: Literal["events", "positions"], filters: Filters,
    limit: int | None, cursor: str | None, offset: int, count: bool,
) -> Page[str]:  # fmt: skip
    """One page of records as their stored JSON (what the model's ``model_dump_json``
    wrote), in page order: the page every list reads, before any record is parsed."""
    derive_pending(conn)
    condition, params = where(filters, table, "t")
    sql = f"SELECT t.id, t.page_key FROM {table} t WHERE {condition}"
    args = list(params)
    # A page key starts with the row's day, so a date range is also a page-key range: the
    # page index then reads only the range, in order, instead of the day index plus a sort.
    if filters.since:
        sql += " AND t.page_key >= ?"
        args.append(filters.since)
    if filters.until and filters.until < "9999-12-31":
        # Below the next day (not ``until`` plus a high character): true in any collation.
        sql += " AND t.page_key < ?"
        args.append((date.fromisoformat(filters.until) + timedelta(days=1)).isoformat())
    if cursor:
        sql += " AND t.page_key > ?"
        args.append(_decode(cursor))
    sql += " ORDER BY t.page_key"
    if limit is not None:
        sql += f" LIMIT {int(limit) + 1} OFFSET {int(offset)}"
    rows = conn.execute(sql, args).fetchall()
    more = limit is not None and len(rows) > limit
    rows = rows[:limit] if limit is not None else rows
    texts = _records(conn, table, [r[0] for r in rows])
    total = None
    if count:
        total = conn.execute(
            f"SELECT COUNT(*) FROM {table} t WHERE {condition}", params
        ).fetchone()[0]
    return Page(
        items=[texts[r[0]] for r in rows],
        next_cursor=_encode(rows[-1][1]) if more and rows else None,
        total=total,
    )


def _page(
    conn: sqlite3.Connection, table: Literal["events", "positions"], filters: Filters,
    limit: int | None, cursor: str | None, offset: int, count: bool,
) -> Page:  # fmt: skip
    page = _page_texts(conn, table, filters, limit, cursor, offset, count)
    model = _MODELS[table]
    return replace(page, items=[model.model_validate_json(text) for text in page.items])


def page_json(
    conn: sqlite3.Connection,
    table: Literal["events", "positions"],
    filters: Filters = ALL,
    *,
    limit: int | None = DEFAULT_PAGE,
    cursor: str | None = None,
) -> Page[str]:
    """The page :func:`list_events` (or :func:`list_positions`) returns, each record as its
    stored JSON text, unparsed: a server passing records on as JSON would otherwise
    validate each one into a model only to serialise it back to the same text. The text is
    what the write path stored (the model's ``model_dump_json``); a record stored before
    the model gained a field is passed through the model, which adds it."""
    if table not in _MODELS:
        raise FilterError(f"no list of {table!r}")
    page = _page_texts(conn, table, filters, limit, cursor, 0, False)
    model = _MODELS[table]
    keys = _field_keys(model)
    # A record stored before the model gained a field lacks it: that one goes through the
    # model, so every record of a page has every field of the current model.
    page.items = [
        text if _has_fields(text, keys) else model.model_validate_json(text).model_dump_json()
        for text in page.items
    ]
    return page


@lru_cache(maxsize=4)
def _field_keys(model: type[Event] | type[Position]) -> tuple[str, ...]:
    """``"name":`` of each field, in the model's order: in a record's JSON only a key reads
    so (a quote inside a string value is escaped)."""
    return tuple(f'"{name}":' for name in model.model_fields)


def _has_fields(text: str, keys: tuple[str, ...]) -> bool:
    """Whether the JSON holds every field key in the model's order (the order
    ``model_dump_json`` writes them in): one pass over the text, not one per field."""
    at = 0
    for key in keys:
        at = text.find(key, at)
        if at < 0:
            return False
    return True


def _records(conn: sqlite3.Connection, table: str, ids: list[str]) -> dict[str, str]:
    """The JSON of these records, fetched by primary key after the page is chosen (the
    ordering step then moves ids, not whole records)."""
    found: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(conn.execute(f"SELECT id, record FROM {table} WHERE id IN ({marks})", chunk))
    return found


def list_events(
    conn: sqlite3.Connection,
    filters: Filters = ALL,
    *,
    limit: int | None = DEFAULT_PAGE,
    cursor: str | None = None,
    offset: int = 0,
    count: bool = False,
) -> Page[Event]:
    """Events matching ``filters`` by resolved day (undated first), one page at a time.

    ``cursor`` (from the previous page's ``next_cursor``) is a keyset position: stable and
    as fast on page 10,000 as on page 1; ``offset`` also works, more slowly on deep pages.
    ``limit=None`` returns everything; ``count`` adds the total matching."""
    return _page(conn, "events", filters, limit, cursor, offset, count)


def list_positions(
    conn: sqlite3.Connection,
    filters: Filters = ALL,
    *,
    limit: int | None = DEFAULT_PAGE,
    cursor: str | None = None,
    offset: int = 0,
    count: bool = False,
) -> Page[Position]:
    """Positions matching ``filters``, paged like :func:`list_events`."""
    return _page(conn, "positions", filters, limit, cursor, offset, count)


def iter_records(
    conn: sqlite3.Connection,
    table: Literal["events", "positions"],
    filters: Filters = ALL,
    batch: int = STREAM_BATCH,
) -> Iterator[Event] | Iterator[Position]:
    """Every matching record, fetched in keyset batches: memory stays flat in store size."""
    cursor = None
    while True:
        page = _page(conn, table, filters, batch, cursor, 0, False)
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def count(conn: sqlite3.Connection, table: Literal["events", "positions"], filters: Filters) -> int:
    derive_pending(conn)
    condition, params = where(filters, table, "t")
    return conn.execute(f"SELECT COUNT(*) FROM {table} t WHERE {condition}", params).fetchone()[0]


def list_process_records(
    conn: sqlite3.Connection, filters: Filters = ALL, kind: str | None = None
) -> list[ProcessRecord]:
    """Process records (a few per process, merged across articles), by date.

    A record labelled with a process belongs to it; an unlabelled one belongs to every
    process one of whose belligerents is among its parties."""
    sql, args = "SELECT record, process FROM process_records WHERE 1 = 1", []
    if kind:
        sql += " AND kind = ?"
        args.append(kind)
    out = []
    for text, label in conn.execute(sql + " ORDER BY date, id", args):
        r = ProcessRecord.model_validate_json(text)
        if filters.process and label != filters.process:
            parties = process_parties(filters.process)
            codes = {p.code for p in r.parties if p.code}
            if label or not (parties and codes & parties.belligerents):
                continue
        when = day(r.date)
        if (filters.since or filters.until) and (
            when is None
            or (filters.since and when < filters.since)
            or (filters.until and when > filters.until)
        ):
            continue
        out.append(r)
    return out


def records_by_id(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, Event | Position]:
    """The events and positions with these ids (the evidence of the rows a view shows)."""
    found: dict[str, Event | Position] = {}
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for table, model in _MODELS.items():
            for (text,) in conn.execute(f"SELECT record FROM {table} WHERE id IN ({marks})", chunk):
                record = model.model_validate_json(text)
                found[record.id] = record
    return found


def documents(conn: sqlite3.Connection, doc_ids: Sequence[str]) -> dict[str, DocInfo]:
    """Outlet, URL, title, publication and story size of these documents."""
    unique = list(dict.fromkeys(doc_ids))
    found: dict[str, DocInfo] = {}
    for start in range(0, len(unique), 500):
        found.update(doc_info(conn, unique[start : start + 500]))
    return found


# --- aggregations ----------------------------------------------------------------------


def _period(freq: str, alias: str) -> str:
    """SQL for a row's period start: its day, the Monday of its week, or its month."""
    if freq == "day":
        return f"{alias}.day"
    if freq == "week":
        return f"{alias}.week"
    if freq == "month":
        return f"SUBSTR({alias}.day, 1, 7)"
    raise FilterError(f"unknown frequency {freq!r}: use {', '.join(FREQS)}")


@dataclass(frozen=True)
class Summary:
    """Sizes of a selection and the days its firm (or all) records span."""

    documents: int
    events: int
    positions: int
    firm: int
    first_day: str | None
    last_day: str | None


def summary(conn: sqlite3.Connection, filters: Filters) -> Summary:
    derive_pending(conn)
    ev, ev_args = where(filters, "events", "e")
    po, po_args = where(filters, "positions", "e")
    row = conn.execute(
        "SELECT COUNT(DISTINCT doc_id), SUM(is_event), SUM(1 - is_event), SUM(firm),"
        " MIN(day), MAX(day)"
        f" FROM (SELECT e.doc_id, 1 AS is_event, e.firm, e.day FROM events e WHERE {ev}"
        f" UNION ALL SELECT e.doc_id, 0, e.firm, e.day FROM positions e WHERE {po}) x",
        [*ev_args, *po_args],
    ).fetchone()
    return Summary(row[0] or 0, row[1] or 0, row[2] or 0, row[3] or 0, row[4], row[5])


@dataclass(frozen=True)
class KindBucket:
    """Merged key events of one kind in one period."""

    period_start: str
    kind: str
    items: int
    records: int
    score_sum: float


def timeline_buckets(
    conn: sqlite3.Connection, filters: Filters, freq: Freq = "week"
) -> list[KindBucket]:
    """Per period and timeline kind (talks, exchange, escalation…): merged key events
    naming a coded party, the records behind them, and the PLOVER score of their
    representative reports summed."""
    derive_pending(conn)
    condition, params = where(filters, "events", "e")
    period = _period(freq, "e")
    rows = conn.execute(
        f"SELECT e.kind, {period} AS period, SUM(e.lead), COUNT(*),"
        " SUM(CASE WHEN e.lead = 1 THEN e.score ELSE 0 END) FROM events e"
        " WHERE e.kind IS NOT NULL AND e.named = 1 AND e.day IS NOT NULL"
        f" AND {condition} GROUP BY e.kind, period",
        params,
    ).fetchall()
    buckets = [KindBucket(r[1], r[0], r[2], r[3], float(r[4] or 0)) for r in rows]
    return sorted(buckets, key=lambda b: (b.period_start, b.kind))


@dataclass
class MergedEvent:
    """One merged event: its best report, every record id behind it, and how widely told."""

    record: Event
    ids: list[str]
    date: str | None
    mentions: int
    doc_ids: list[str] = field(default_factory=list)


def _merged(
    conn: sqlite3.Connection, keys: list[str], condition: str, params: list
) -> list[MergedEvent]:
    """Items for these merge keys, best report first, members restricted to the selection."""
    members: dict[str, list[tuple[Event, str | None]]] = {k: [] for k in keys}
    for start in range(0, len(keys), 400):
        chunk = keys[start : start + 400]
        marks = ",".join("?" * len(chunk))
        for key, text, when in conn.execute(
            f"SELECT e.merge_key, e.record, e.day FROM events e WHERE e.merge_key IN ({marks})"
            f" AND {condition} ORDER BY e.merge_key, e.modality_rank, e.confidence DESC, e.id",
            [*chunk, *params],
        ):
            members[key].append((Event.model_validate_json(text), when))
    docs = documents(conn, [e.doc_id for found in members.values() for e, _ in found])
    out = []
    for key in keys:
        found = members[key]
        if not found:
            continue
        best, when = found[0]
        doc_ids = sorted({e.doc_id for e, _ in found})
        cluster = max((docs[d].mentions for d in doc_ids if d in docs), default=1)
        out.append(
            MergedEvent(best, [e.id for e, _ in found], when, max(cluster, len(doc_ids)), doc_ids)
        )
    return out


def merged_events(
    conn: sqlite3.Connection,
    filters: Filters,
    *,
    key_only: bool = False,
    order: Literal["date", "mentions"] = "date",
    limit: int | None = DEFAULT_PAGE,
    offset: int = 0,
) -> list[MergedEvent]:
    """Merged events whose representative report matches ``filters``, by date (undated
    first) or most reported first; ``key_only`` keeps the timeline's key events (talks,
    offers, exchanges, ceasefires, threats, escalations) that name a coded party."""
    derive_pending(conn)
    condition, params = where(filters, "events", "e")
    extra = " AND e.kind IS NOT NULL AND e.named = 1" if key_only else ""
    if order == "date":
        sql = f"SELECT e.merge_key FROM events e WHERE e.lead = 1{extra} AND {condition}"
        sql += " ORDER BY e.page_key"
    else:
        sql = (
            "SELECT e.merge_key FROM events e LEFT JOIN clusters c ON c.cluster_id = e.story"
            f" WHERE e.lead = 1{extra} AND {condition}"
            " ORDER BY COALESCE(c.mentions, 1) DESC, e.page_key DESC"
        )
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    keys = [r[0] for r in conn.execute(sql, params)]
    return _merged(conn, keys, condition, params)


def iter_merged_events(
    conn: sqlite3.Connection, filters: Filters = ALL, batch: int = STREAM_BATCH
) -> Iterator[MergedEvent]:
    """Every merged event, streamed by date in keyset batches (for exports)."""
    derive_pending(conn)
    condition, params = where(filters, "events", "e")
    last = ""
    while True:
        rows = conn.execute(
            "SELECT e.merge_key, e.page_key FROM events e WHERE e.lead = 1 AND e.page_key > ?"
            f" AND {condition} ORDER BY e.page_key LIMIT {int(batch)}",
            [last, *params],
        ).fetchall()
        if not rows:
            return
        yield from _merged(conn, [r[0] for r in rows], condition, params)
        last = rows[-1][1]


class DyadCount(NamedTuple):
    """Merged events of one PLOVER type from one actor to one recipient in one period.

    (A tuple: a whole-store series is tens of thousands of these.)"""

    period_start: str
    actor: str
    recipient: str
    event_type: str
    quad: str
    firm: bool
    events: int
    score_sum: float
    mentions: int


def dyad_counts(
    conn: sqlite3.Connection,
    filters: Filters,
    freq: Freq = "day",
    include_speculative: bool = False,
) -> list[DyadCount]:
    """Per period, ordered coded actor–recipient pair and type: merged dated events, their
    representative reports' PLOVER scores summed, and their mentions (the size of the story
    cluster). A compound actor or recipient ("Russia and Ukraine agreed…") expands to one
    pair per code; a party is never its own recipient. The whole store, or a selection by
    process, type and date range, is read from the rollups (:mod:`detente.store.derived`);
    any other selection is summed from the records."""
    derive_pending(conn)
    _period(freq, "e")  # an unknown frequency is refused whichever path answers
    if _dyads_rolled_up(filters) and rollups_ready(conn):
        return _dyad_rollup(conn, filters, freq, include_speculative)
    return _dyad_sql(conn, filters, freq, include_speculative)


def _sorted_dyads(counts: list[DyadCount]) -> list[DyadCount]:
    """By period, actor, recipient and type (then quad and firmness: tuple order)."""
    counts.sort()
    return counts


def _dyads_rolled_up(filters: Filters) -> bool:
    """Whether the dyad rollups answer this selection: keys they are summed by (process,
    type, firmness) and a range of days (whole periods from the period sums, the days of a
    partial first or last period from the day sums)."""
    return replace(filters, process=None, event_type=None, since=None, until=None,
                   firm_only=False) == ALL  # fmt: skip


def _period_first_day(day_: str, freq: str) -> str:
    """The first day of the day's, week's or month's period holding ``day_``."""
    if freq == "week":
        return week_start(day_)
    return day_[:7] + "-01" if freq == "month" else day_


def _period_key(first_day: str, freq: str) -> str:
    """How a rollup names the period starting on ``first_day`` (a month as ``YYYY-MM``)."""
    return first_day[:7] if freq == "month" else first_day


def _next_period(first_day: str, freq: str) -> str:
    d = date.fromisoformat(first_day)
    if freq == "week":
        return (d + timedelta(days=7)).isoformat()
    if freq == "month":
        return (d.replace(day=28) + timedelta(days=4)).replace(day=1).isoformat()
    return (d + timedelta(days=1)).isoformat()


def _day_after(value: str) -> str:
    return (date.fromisoformat(value) + timedelta(days=1)).isoformat()


def _rollup_spans(
    since: str | None, until: str | None, freq: str
) -> list[tuple[str, str | None, str | None]]:
    """``(freq, first key, key after the last)`` of the rollup rows that sum a day range:
    the periods wholly inside it, then the days of the periods it cuts."""
    full_from = since and (
        since if _period_first_day(since, freq) == since
        else _next_period(_period_first_day(since, freq), freq)
    )  # fmt: skip
    full_to = until and _period_first_day(_day_after(until), freq)
    if full_from and full_to and full_from >= full_to:  # no whole period
        return [("day", since, _day_after(until))]  # type: ignore[arg-type]
    spans = [(freq, full_from and _period_key(full_from, freq),
              full_to and _period_key(full_to, freq))]  # fmt: skip
    if since and since < full_from:
        spans.append(("day", since, full_from))
    if until and full_to <= until:
        spans.append(("day", full_to, _day_after(until)))
    return spans


def _dyad_rollup(
    conn: sqlite3.Connection, filters: Filters, freq: str, include_speculative: bool
) -> list[DyadCount]:
    table, where_sql, args = "dyad_rollup", ["events <> 0"], []
    if filters.process:
        table = "dyad_process_rollup"
        where_sql.append("process = ?")
        args.append(filters.process)
    if filters.event_type:
        where_sql.append("event_type = ?")
        args.append(filters.event_type)
    if not include_speculative or filters.firm_only:
        where_sql.append("firm = 1")
    spans = _rollup_spans(filters.since, filters.until, freq)
    totals: dict[tuple, list] = {}
    counts = []
    for span_freq, first, before in spans:
        sql = ["freq = ?", *where_sql]
        span_args = [span_freq, *args]
        if first:
            sql.append("period >= ?")
            span_args.append(first)
        if before:
            sql.append("period < ?")
            span_args.append(before)
        rows = conn.execute(
            "SELECT period, dyad, event_type, quad, firm, events, score, mentions"
            f" FROM {table} WHERE {' AND '.join(sql)}",
            span_args,
        )
        if len(spans) == 1 and span_freq == freq:
            # One row per count already (the rollup's key): no summing. This is the loop a
            # whole-store series spends its time in, hence the plain tuple work.
            counts = [
                DyadCount(when, *pair.split(">", 1), event_type, quad or "unknown",
                          bool(firm_), n, float(score), mentions)
                for when, pair, event_type, quad, firm_, n, score, mentions in rows
            ]  # fmt: skip
            return _sorted_dyads(counts)
        regroup = span_freq != freq
        for when, pair, event_type, quad, firm_, n, score, mentions in rows:
            if regroup:
                when = _period_key(_period_first_day(when, freq), freq)
            key = (when, pair, event_type, quad, firm_)
            found = totals.get(key)
            if found is None:
                totals[key] = [n, score, mentions]
            else:
                found[0] += n
                found[1] += score
                found[2] += mentions
    for (when, pair, event_type, quad, firm_), (n, score, mentions) in totals.items():
        if n == 0:
            continue
        actor, recipient = pair.split(">", 1)
        counts.append(DyadCount(when, actor, recipient, event_type, quad or "unknown",
                                bool(firm_), n, float(score), mentions))  # fmt: skip
    return _sorted_dyads(counts)


def _dyad_sql(
    conn: sqlite3.Connection, filters: Filters, freq: str, include_speculative: bool
) -> list[DyadCount]:
    """:func:`dyad_counts` summed over the selected records."""
    condition, params = where(filters, "events", "e")
    firm = "" if include_speculative else " AND e.firm = 1"
    period = _period(freq, "e")
    base = f"e.lead = 1 AND e.day IS NOT NULL{firm} AND {condition}"
    keys = "period, dyad, e.event_type, e.quad, e.firm"
    # Most events are one actor on one recipient: their pair is a column of a covering
    # index, so they are grouped without a join; compound ones expand through the join.
    single = conn.execute(
        f"SELECT {period} AS period, e.pair AS dyad, e.event_type, e.quad, e.firm, COUNT(*),"
        f" SUM(e.score), COUNT(*) FROM events e WHERE e.pairs = 1 AND {base} GROUP BY {keys}",
        params,
    ).fetchall()
    extra = conn.execute(
        f"SELECT {period} AS period, e.pair AS dyad, e.event_type, e.quad, e.firm,"
        " SUM(c.mentions - 1) FROM events e JOIN clusters c ON c.cluster_id = e.story"
        f" WHERE e.pairs = 1 AND e.clustered = 1 AND {base} GROUP BY {keys}",
        params,
    ).fetchall()
    multi = conn.execute(
        f"SELECT {period} AS period, a.code || '>' || r.code AS dyad, e.event_type, e.quad,"
        " e.firm, COUNT(*), SUM(e.score), SUM(COALESCE(c.mentions, 1))"
        " FROM events e JOIN event_parties a ON a.event_id = e.id AND a.role = 'actor'"
        " JOIN event_parties r ON r.event_id = e.id AND r.role = 'recipient'"
        " LEFT JOIN clusters c ON c.cluster_id = e.story"
        f" WHERE e.pairs > 1 AND a.code <> r.code AND {base} GROUP BY {keys}",
        params,
    ).fetchall()
    totals: dict[tuple, list] = {}
    for r in [*single, *multi]:
        row = totals.setdefault(tuple(r[:5]), [0, 0.0, 0])
        row[0] += r[5]
        row[1] += float(r[6] or 0)
        row[2] += r[7]
    for r in extra:
        totals[tuple(r[:5])][2] += r[5] or 0
    counts = []
    for (when, pair, event_type, quad, firm_), (n, score, mentions) in totals.items():
        actor, recipient = pair.split(">", 1)
        counts.append(DyadCount(when, actor, recipient, event_type, quad or "unknown",
                                bool(firm_), n, score, mentions))  # fmt: skip
    return _sorted_dyads(counts)


def dyad_samples(
    conn: sqlite3.Connection,
    filters: Filters,
    pairs: Sequence[tuple[str, str]],
    freq: Freq = "day",
    include_speculative: bool = False,
    per_period: int = 3,
) -> dict[tuple[str, str, str], list[str]]:
    """A few merged events (their representative ids, firmest first) behind each period of
    the given actor → recipient pairs: the evidence of the dyad points a view shows."""
    if not pairs:
        return {}
    derive_pending(conn)
    condition, params = where(filters, "events", "e")
    firm = "" if include_speculative else " AND e.firm = 1"
    actors = sorted({a for a, _ in pairs})
    recipients = sorted({r for _, r in pairs})
    period = _period(freq, "e")
    rows = conn.execute(
        "SELECT period, actor, recipient, id FROM (SELECT"
        f" {period} AS period, a.code AS actor, r.code AS recipient, e.id AS id,"
        f" ROW_NUMBER() OVER (PARTITION BY {period}, a.code, r.code"
        " ORDER BY e.modality_rank, e.confidence DESC, e.id) AS rn FROM events e"
        " JOIN event_parties a ON a.event_id = e.id AND a.role = 'actor'"
        " JOIN event_parties r ON r.event_id = e.id AND r.role = 'recipient'"
        f" WHERE e.lead = 1 AND e.day IS NOT NULL AND a.code IN ({','.join('?' * len(actors))})"
        f" AND r.code IN ({','.join('?' * len(recipients))}){firm} AND {condition}) x"
        " WHERE rn <= ?",
        [*actors, *recipients, *params, per_period],
    ).fetchall()
    wanted = set(pairs)
    out: dict[tuple[str, str, str], list[str]] = {}
    for when, actor, recipient, record_id in rows:
        if (actor, recipient) in wanted:
            out.setdefault((when, actor, recipient), []).append(record_id)
    return out


@dataclass(frozen=True)
class SignalSums:
    """One process's week: modality-weighted cooperative and conflictual merged items and
    the distinct outlets behind them; ``process`` None for records of no process."""

    process: str | None
    week_start: str
    cooperative: float
    conflictual: float
    sources: int
    items: int


def _case(column: str, mapping: dict, default: float) -> tuple[str, list]:
    if not mapping:
        return str(default), []
    whens = " ".join("WHEN ? THEN ?" for _ in mapping)
    return f"CASE {column} {whens} ELSE {default} END", [x for kv in mapping.items() for x in kv]


def signal_sums(
    conn: sqlite3.Connection,
    filters: Filters,
    event_polarity: dict[str, int],
    act_polarity: dict[str, int],
    modality_weights: dict[str, float],
) -> list[SignalSums]:
    """The inputs of the signal index per process and ISO week (see
    :mod:`detente.analysis.signal` for the formula): merged events naming a coded party and
    merged positions whose type or speech act has a polarity, each weighted by the
    modality of its representative (firmest) report and counted in the week it happened
    (firm) or was said; the outlets are those of every report behind the week's items.
    The whole store or one process is read from the rollups, other selections from the
    records."""
    derive_pending(conn)
    if _rolled_up(filters) and rollups_ready(conn):
        return _signal_rollup(conn, filters.process, event_polarity, act_polarity,
                              modality_weights)  # fmt: skip
    return _signal_sql(conn, filters, event_polarity, act_polarity, modality_weights)


def _rolled_up(filters: Filters) -> bool:
    """Whether the signal rollups answer this selection: everything, or one process."""
    return replace(filters, process=None) == ALL


def _polar(event_polarity: dict[str, int], act_polarity: dict[str, int]) -> tuple[str, list]:
    """SQL selecting the rollup rows of labels with a polarity, and its parameters."""
    ev = [k for k, v in event_polarity.items() if v]
    po = [k for k, v in act_polarity.items() if v]
    ev_marks, po_marks = ",".join("?" * len(ev)) or "''", ",".join("?" * len(po)) or "''"
    sql = f"((kind = 'e' AND label IN ({ev_marks})) OR (kind = 'p' AND label IN ({po_marks})))"
    return sql, [*ev, *po]


def _signal_rollup(
    conn: sqlite3.Connection,
    process: str | None,
    event_polarity: dict[str, int],
    act_polarity: dict[str, int],
    modality_weights: dict[str, float],
) -> list[SignalSums]:
    polar, args = _polar(event_polarity, act_polarity)
    only = " AND process = ?" if process else ""
    args += [process] if process else []
    weights = {MODALITY_RANK[m]: w for m, w in modality_weights.items()}
    sums: dict[tuple[str, str], list] = {}
    for proc, week, kind, label, rank, n in conn.execute(
        "SELECT process, week, kind, label, modality_rank, items FROM signal_items"
        f" WHERE items <> 0 AND {polar}{only}", args
    ):  # fmt: skip
        polarity = (event_polarity if kind == "e" else act_polarity).get(label, 0)
        row = sums.setdefault((proc, week), [0.0, 0.0, 0])
        row[0 if polarity > 0 else 1] += weights.get(rank, 0) * n
        row[2] += n
    out = []
    for proc, week, sources in conn.execute(
        "SELECT process, week, COUNT(DISTINCT NULLIF(source, '')) FROM signal_sources"
        f" WHERE records > 0 AND {polar}{only} GROUP BY process, week", args
    ):  # fmt: skip
        cooperative, conflictual, items = sums.get((proc, week), (0.0, 0.0, 0))
        out.append(SignalSums(proc or None, week, float(cooperative), float(conflictual),
                              sources, items))  # fmt: skip
    return sorted(out, key=lambda s: (s.process is not None, s.process or "", s.week_start))


def _signal_sql(
    conn: sqlite3.Connection,
    filters: Filters,
    event_polarity: dict[str, int],
    act_polarity: dict[str, int],
    modality_weights: dict[str, float],
) -> list[SignalSums]:
    """:func:`signal_sums` over the selected records."""
    ev, ev_args = where(filters, "events", "e")
    po, po_args = where(filters, "positions", "e")
    ev_pol, ev_pol_args = _case("e.event_type", event_polarity, 0)
    po_pol, po_pol_args = _case("e.speech_act", act_polarity, 0)
    weight, weight_args = _case(
        "x.rank", {MODALITY_RANK[m]: w for m, w in modality_weights.items()}, 0
    )
    # Most events belong to one process or none (``process1``); only the few in several
    # processes are expanded through the membership table.
    sql = (
        "WITH rows AS ("
        " SELECT e.process1 AS process, e.signal_week AS week, e.lead AS lead,"
        f" e.modality_rank AS rank, e.source AS source, {ev_pol} AS polarity FROM events e"
        f" WHERE e.named = 1 AND e.signal_week IS NOT NULL AND e.nprocs <= 1 AND {ev}"
        " UNION ALL"
        f" SELECT ep.process, e.signal_week, e.lead, e.modality_rank, e.source, {ev_pol}"
        " FROM events e JOIN event_processes ep ON ep.event_id = e.id"
        f" WHERE e.named = 1 AND e.signal_week IS NOT NULL AND e.nprocs > 1 AND {ev}"
        " UNION ALL"
        f" SELECT pp.process, e.signal_week, e.lead, e.modality_rank, e.source, {po_pol}"
        " FROM positions e LEFT JOIN position_processes pp ON pp.position_id = e.id"
        f" WHERE e.signal_week IS NOT NULL AND {po})"
        f" SELECT x.process, x.week, SUM(CASE WHEN x.lead = 1 AND x.polarity > 0 THEN {weight}"
        f" ELSE 0 END), SUM(CASE WHEN x.lead = 1 AND x.polarity < 0 THEN {weight} ELSE 0 END),"
        " COUNT(DISTINCT x.source), SUM(CASE WHEN x.lead = 1 THEN 1 ELSE 0 END) FROM rows x"
        " WHERE x.polarity <> 0"
        + (" AND x.process = ?" if filters.process else "")
        + " GROUP BY x.process, x.week ORDER BY x.process, x.week"
    )
    args = [*ev_pol_args, *ev_args, *ev_pol_args, *ev_args, *po_pol_args, *po_args]
    args += weight_args * 2 + ([filters.process] if filters.process else [])
    rows = conn.execute(sql, args).fetchall()
    return [SignalSums(r[0], r[1], float(r[2] or 0), float(r[3] or 0), r[4], r[5]) for r in rows]


def signal_samples(
    conn: sqlite3.Connection, filters: Filters, event_types: Sequence[str], per_week: int = 3
) -> dict[tuple[str | None, str], list[str]]:
    """A few merged events behind each process-week of the signal (their representative
    ids, firmest and most confident first): evidence to click through without embedding
    every record."""
    derive_pending(conn)
    if _rolled_up(filters) and rollups_ready(conn):
        return _signal_top(conn, filters.process, event_types, per_week)
    return _signal_samples_sql(conn, filters, event_types, per_week)


def _signal_top(
    conn: sqlite3.Connection, process: str | None, event_types: Sequence[str], per_week: int
) -> dict[tuple[str | None, str], list[str]]:
    """:func:`signal_samples` by index order: the process-weeks holding such events come
    from the rollup, then each one's first events from a partial index that lists lead
    events naming a party by week, process and firmness (the few records in several
    processes are read apart)."""
    types = list(event_types)
    marks = ",".join("?" * len(types)) or "''"
    only = " AND process = ?" if process else ""
    keys = conn.execute(
        "SELECT DISTINCT process, week FROM signal_items WHERE kind = 'e' AND items <> 0"
        f" AND label IN ({marks}){only} ORDER BY process, week",
        [*types, *([process] if process else [])],
    ).fetchall()
    found: dict[tuple[str | None, str], list[tuple]] = {}
    for proc, week, record_id, rank, confidence in conn.execute(
        "SELECT ep.process, e.signal_week, e.id, e.modality_rank, e.confidence FROM events e"
        " JOIN event_processes ep ON ep.event_id = e.id WHERE e.nprocs > 1 AND e.lead = 1"
        f" AND e.named = 1 AND e.signal_week IS NOT NULL AND e.event_type IN ({marks})"
        + (" AND ep.process = ?" if process else ""),
        [*types, *([process] if process else [])],
    ):
        found.setdefault((proc, week), []).append((rank, -confidence, record_id))
    for proc, week in keys:
        member = "e.process1 = ?" if proc else "e.process1 IS NULL AND e.nprocs = 0"
        rows = conn.execute(
            "SELECT e.modality_rank, e.confidence, e.id FROM events e WHERE e.lead = 1"
            f" AND e.named = 1 AND e.signal_week = ? AND {member} AND e.event_type IN ({marks})"
            f" ORDER BY e.modality_rank, e.confidence DESC, e.id LIMIT {int(per_week)}",
            [week, *([proc] if proc else []), *types],
        )
        found.setdefault((proc or None, week), []).extend((r[0], -r[1], r[2]) for r in rows)
    return {key: [r[-1] for r in sorted(rows)[:per_week]] for key, rows in found.items() if rows}


def _signal_samples_sql(
    conn: sqlite3.Connection, filters: Filters, event_types: Sequence[str], per_week: int
) -> dict[tuple[str | None, str], list[str]]:
    """:func:`signal_samples` over the selected records."""
    condition, params = where(filters, "events", "e")
    marks = ",".join("?" * len(event_types)) or "''"
    proc_filter = " AND ep.process = ?" if filters.process else ""
    rows = conn.execute(
        "SELECT process, week, id FROM (SELECT ep.process AS process, e.signal_week AS week,"
        " e.id AS id, ROW_NUMBER() OVER (PARTITION BY ep.process, e.signal_week ORDER BY"
        " e.modality_rank, e.confidence DESC, e.id) AS rn FROM events e"
        " LEFT JOIN event_processes ep ON ep.event_id = e.id"
        " WHERE e.lead = 1 AND e.named = 1 AND e.signal_week IS NOT NULL"
        f" AND e.event_type IN ({marks}) AND {condition}{proc_filter}) x WHERE rn <= ?",
        [*event_types, *params, *([filters.process] if filters.process else []), per_week],
    ).fetchall()
    out: dict[tuple[str | None, str], list[str]] = {}
    for process, week, record_id in rows:
        out.setdefault((process, week), []).append(record_id)
    return out


@dataclass
class CellCandidate:
    """The best position of one party on one sub-issue of one issue, and how many
    positions the party took on the issue."""

    party: str
    position: Position
    records: int


def position_candidates(
    conn: sqlite3.Connection, filters: Filters, *, valued: bool = False, hedged: bool = False
) -> list[CellCandidate]:
    """Per (party, issue, sub-issue): the position a cell would show — firm before hedged,
    latest, with a scale value, most confident; hypothetical and speculative statements
    and uncoded actors are not positions (unless ``hedged``: a what-if analysis asks for
    them). ``valued`` keeps only positions with a value. Which cells a process has, and
    how many positions each holds, come from a rollup (:mod:`detente.store.derived`) when
    the selection is the process (firm or not); an empty sub-issue counts as none there."""
    derive_pending(conn)
    # Each cell's choice is the first row of positions_matrix, which holds the rows of one
    # (party, issue, sub-issue) in exactly this order: a query per cell reads one index
    # entry (a few when the first fails the filters), not every position of the process.
    selected, params = _cell_positions(filters, valued, hedged)
    rolled = _cells_rolled_up(filters) and rollups_ready(conn)
    groups = _cell_groups(conn, filters, valued, hedged, rolled)
    spoke: Counter[tuple[str, str]] = Counter()
    for party, issue, _, n in groups:
        spoke[(party, issue)] += n
    chosen = []
    for party, issue, sub_issue, _ in sorted(groups, key=lambda g: (g[0], g[1], g[2] or "")):
        # The rollup keeps no sub-issue as "": such a cell is the positions without one,
        # else (never seen, but possible) those with an empty one.
        for sub in [sub_issue] if sub_issue is not None or not rolled else [None, ""]:
            same = "p.sub_issue = ?" if sub is not None else "p.sub_issue IS NULL"
            first = conn.execute(
                f"SELECT p.id FROM positions p WHERE p.party = ? AND p.issue = ? AND {same} AND"
                f" {selected} ORDER BY p.firm DESC, COALESCE(p.date, '') DESC,"
                " (p.value IS NOT NULL) DESC, p.confidence DESC, p.id LIMIT 1",
                [party, issue, *([sub] if sub is not None else []), *params],
            ).fetchone()
            if first is not None:
                break
        chosen.append((party, issue, first[0]))
    texts = _records(conn, "positions", [c[2] for c in chosen])
    return [
        CellCandidate(party, Position.model_validate_json(texts[i]), spoke[(party, issue)])
        for party, issue, i in chosen
    ]


_WHAT_IFS = "('hypothetical', 'speculative')"
"""Modalities of a what-if, not a position: left out of the matrix unless asked for."""


def _cell_positions(filters: Filters, valued: bool, hedged: bool) -> tuple[str, list]:
    """``(SQL condition, parameters)`` on ``positions p`` selecting the positions that
    fill matrix cells: the selection's, of a coded party, with a value if ``valued``,
    what-ifs only if ``hedged``."""
    condition, params = where(filters, "positions", "p")
    sql = f"p.party IS NOT NULL AND {condition}"
    sql += " AND p.value IS NOT NULL" if valued else ""
    sql += "" if hedged else f" AND p.modality NOT IN {_WHAT_IFS}"
    return sql, params


def _cells_rolled_up(filters: Filters) -> bool:
    """Whether the cell rollup answers this selection: one process, firm or not."""
    return bool(filters.process) and replace(filters, process=None, firm_only=False) == ALL


def _cell_groups(
    conn: sqlite3.Connection, filters: Filters, valued: bool, hedged: bool, rolled: bool
) -> list[tuple[str, str, str | None, int]]:
    """``(party, issue, sub-issue, positions)`` of every cell the selection fills."""
    if rolled:
        sql = "SELECT party, issue, sub_issue, SUM(records) FROM position_cells WHERE process = ?"
        sql += " AND firm = 1" if filters.firm_only else ""
        sql += " AND valued = 1" if valued else ""
        sql += "" if hedged else f" AND modality NOT IN {_WHAT_IFS}"
        rows = conn.execute(
            sql + " GROUP BY party, issue, sub_issue HAVING SUM(records) > 0", [filters.process]
        )
        return [(party, issue, sub or None, n) for party, issue, sub, n in rows]
    selected, params = _cell_positions(filters, valued, hedged)
    return [
        tuple(r)
        for r in conn.execute(
            f"SELECT p.party, p.issue, p.sub_issue, COUNT(*) FROM positions p WHERE {selected}"
            " GROUP BY p.party, p.issue, p.sub_issue",
            params,
        )
    ]


def positions_per_party(conn: sqlite3.Connection, filters: Filters) -> dict[tuple[str, str], int]:
    """Positions per (party, issue): the salience of an issue to a party is its share."""
    derive_pending(conn)
    selected, params = _cell_positions(filters, valued=False, hedged=True)
    rows = conn.execute(
        f"SELECT p.party, p.issue, COUNT(*) FROM positions p WHERE {selected}"
        " GROUP BY p.party, p.issue",
        params,
    )
    return {(r[0], r[1]): r[2] for r in rows}


@dataclass
class SourceCounts:
    """What one outlet contributes to a selection and how firmly it states it."""

    source: str
    documents: int = 0
    events: int = 0
    positions: int = 0
    by_modality: dict[str, int] = field(default_factory=dict)
    quoted: list[tuple[str, int]] = field(default_factory=list)


def source_counts(
    conn: sqlite3.Connection, filters: Filters, top_quoted: int = 3
) -> list[SourceCounts]:
    derive_pending(conn)
    ev, ev_args = where(filters, "events", "e")
    po, po_args = where(filters, "positions", "e")
    union = (
        f"SELECT e.source, e.doc_id, 1 AS is_event, e.modality, e.quoted FROM events e WHERE {ev}"
        f" UNION ALL SELECT e.source, e.doc_id, 0, e.modality, e.quoted FROM positions e WHERE {po}"
    )
    args = [*ev_args, *po_args]
    rows: dict[str, SourceCounts] = {}
    for source, docs, events, total in conn.execute(
        f"SELECT source, COUNT(DISTINCT doc_id), SUM(is_event), COUNT(*) FROM ({union}) x"
        " GROUP BY source", args
    ):  # fmt: skip
        rows[source] = SourceCounts(source, docs, events, total - events)
    for source, modality, n in conn.execute(
        f"SELECT source, modality, COUNT(*) FROM ({union}) x GROUP BY source, modality", args
    ):
        rows[source].by_modality[modality] = n
    for source, who, n in conn.execute(
        f"SELECT source, quoted, COUNT(*) AS n FROM ({union}) x WHERE quoted IS NOT NULL"
        " GROUP BY source, quoted ORDER BY source, n DESC, quoted", args
    ):  # fmt: skip
        if len(rows[source].quoted) < top_quoted:
            rows[source].quoted.append((who, n))
    return sorted(rows.values(), key=lambda r: (-(r.events + r.positions), r.source))
