"""Timeline of the events that mark a peace process: talks, offers, concessions, prisoner
exchanges, ceasefires, threats and armed escalations, plus the merged process records.

Only those PLOVER types are "key" (:data:`detente.store.derived.KEY_EVENT_KINDS`):
routine accusations or requests would bury the turning points a reader scans a timeline
for; so would events in which no coded actor takes part ("the attack came as…"). Each
entry keeps the evidence it rests on. A long selection is read two ways: counts per
period and kind (:func:`timeline_counts`, cheap at any size), and the entries themselves a
page at a time, by date or most reported first (:func:`key_timeline`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace
from typing import Literal

from detente.analysis.evidence import (
    EvidenceRef,
    event_evidence,
    event_label,
    process_evidence,
    process_label,
)
from detente.analysis.periods import label, start_day
from detente.store import queries
from detente.store.derived import codes, day, event_kind, event_score
from detente.store.queries import ALL, Filters

__all__ = ["TimelineBucket", "TimelineEntry", "event_kind", "key_timeline", "timeline_counts"]


@dataclass
class TimelineEntry:
    date: str | None
    kind: str
    label: str
    origin: str
    """``event`` (a merged PLOVER event) or ``process`` (a merged process record)."""
    event_type: str | None = None
    mode: str | None = None
    actors: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    modality: str | None = None
    score: float | None = None
    mentions: int = 1
    record_ids: list[str] = field(default_factory=list)
    evidence: list[EvidenceRef] = field(default_factory=list)


@dataclass(frozen=True)
class TimelineBucket:
    period: str
    period_start: str
    kind: str
    items: int
    """Merged key events (one story told by many outlets counts once)."""
    records: int
    score_sum: float


def _filters(filters: Filters, include_speculative: bool) -> Filters:
    if include_speculative or filters.firm_only:
        return filters
    return replace(filters, firm_only=True)


def key_timeline(
    conn: sqlite3.Connection,
    filters: Filters = ALL,
    include_speculative: bool = False,
    *,
    limit: int | None = queries.DEFAULT_PAGE,
    offset: int = 0,
    order: Literal["date", "mentions"] = "date",
    with_process_records: bool = True,
) -> list[TimelineEntry]:
    """Key events (merged across their story) and process records, by date.

    ``limit``/``offset`` page through the key events (``limit=None``: all); ``order``
    ``mentions`` picks the most reported first, as a report does. Process records (a few
    per process) are all included on the first page."""
    selected = _filters(filters, include_speculative)
    merged = queries.merged_events(
        conn, selected, key_only=True, order=order, limit=limit, offset=offset
    )
    docs = queries.documents(conn, [d for m in merged for d in m.doc_ids])
    members = queries.records_by_id(conn, [i for m in merged for i in m.ids])
    entries = []
    for m in merged:
        e = m.record
        entries.append(
            TimelineEntry(
                date=m.date,
                kind=event_kind(e) or "",
                label=event_label(e),
                origin="event",
                event_type=e.event_type,
                mode=e.mode,
                actors=codes(e.actor),
                recipients=codes(e.recipient),
                modality=e.modality,
                score=event_score(e),
                mentions=m.mentions,
                record_ids=m.ids,
                evidence=[event_evidence(docs, members[i]) for i in m.ids if i in members],
            )
        )
    if with_process_records and offset == 0:
        records = queries.list_process_records(conn, filters)
        docs = queries.documents(conn, [d for r in records for d in r.doc_ids])
        for record in records:
            entries.append(
                TimelineEntry(
                    date=day(record.date),
                    kind=record.kind,
                    label=process_label(record),
                    origin="process",
                    actors=codes(record.parties),
                    mentions=max(1, len(record.doc_ids)),
                    record_ids=[record.id],
                    evidence=process_evidence(docs, record),
                )
            )
    return sorted(entries, key=lambda t: (t.date is None, t.date or "", t.origin, t.label))


def timeline_counts(
    conn: sqlite3.Connection,
    filters: Filters = ALL,
    freq: str = "week",
    include_speculative: bool = False,
) -> list[TimelineBucket]:
    """Merged key events per period and kind: the timeline of a selection of any size."""
    return [
        TimelineBucket(label(b.period_start, freq), start_day(b.period_start, freq), b.kind,
                       b.items, b.records, round(b.score_sum, 3))
        for b in queries.timeline_buckets(conn, _filters(filters, include_speculative), freq)
    ]  # fmt: skip
