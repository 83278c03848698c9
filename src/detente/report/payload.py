"""Everything a report shows, computed once from the store and shared by HTML and Markdown.

A report has to stay readable and small whatever the store holds, so it shows
aggregates and a bounded set of records: the timeline as counts per period and kind
(days, weeks or months, as the range requires) plus the ``TOP_KEY_EVENTS`` most reported
key events; the dyadic series of the ``MAX_DYADS`` busiest pairs; the signal index with a
few records per week; the matrix and the space. The evidence index maps every record id
a chart or table can point at to the sentence(s) it came from — only those, never the
whole store (the full data goes to ``detente export``); the HTML report embeds it so that
clicking a point shows the evidence without a server.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace

from detente.analysis.dyads import DyadRow, dyadic_series, with_evidence
from detente.analysis.evidence import EvidenceRef, record_evidence
from detente.analysis.matrix import MatrixCell, position_matrix
from detente.analysis.periods import freq_for_span
from detente.analysis.signal import SignalPoint, signal_index
from detente.analysis.sources import SourceRow, source_table
from detente.analysis.space import IssueSpace, negotiation_space
from detente.analysis.timeline import TimelineBucket, TimelineEntry, key_timeline, timeline_counts
from detente.store import queries
from detente.store.derived import process_label
from detente.store.queries import ALL, Filters

TOP_KEY_EVENTS = 60
"""Key events listed and drawn one by one: the most reported in the selection."""
MAX_DYADS = 12
"""Actor → recipient pairs whose series the report carries (the busiest)."""


@dataclass
class ReportData:
    title: str
    process: str | None
    since: str | None
    until: str | None
    include_speculative: bool
    counts: dict[str, int]
    date_range: tuple[str, str] | None
    freq: str
    """Bucket of every series: day, week or month, by the span of the records."""
    timeline_counts: list[TimelineBucket]
    timeline: list[TimelineEntry]
    dyads: list[DyadRow]
    signal: list[SignalPoint]
    matrix: list[MatrixCell]
    space: list[IssueSpace]
    sources: list[SourceRow]
    key_events_total: int = 0
    """Merged key events in the selection (the timeline lists the most reported)."""
    evidence: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def dyad_freq(self) -> str:
        return self.freq


def _top_dyads(rows: list[DyadRow], n: int = MAX_DYADS) -> list[DyadRow]:
    totals: dict[tuple[str, str], int] = {}
    for r in rows:
        totals[(r.actor, r.recipient)] = totals.get((r.actor, r.recipient), 0) + r.events
    top = set(sorted(totals, key=lambda k: (-totals[k], k))[:n])
    return [r for r in rows if (r.actor, r.recipient) in top]


def evidence_index(
    conn: sqlite3.Connection,
    timeline: list[TimelineEntry],
    signal: list[SignalPoint],
    dyads: list[DyadRow],
    matrix: list[MatrixCell],
    space: list[IssueSpace],
) -> dict[str, list[dict]]:
    """Evidence of exactly the records the report points at."""
    index: dict[str, list[EvidenceRef]] = {}
    for t in timeline:
        for ref in t.evidence:
            index.setdefault(ref.record_id, []).append(ref)
    for c in matrix:
        index[c.record_id] = [c.evidence]
    for s in space:
        for p in s.parties:
            index[p.record_id] = [p.evidence]
    sampled = [i for p in signal for i in p.record_ids] + [i for r in dyads for i in r.record_ids]
    wanted = [i for i in sampled if i not in index]
    records = queries.records_by_id(conn, wanted)
    docs = queries.documents(conn, [r.doc_id for r in records.values()])
    for record_id, record in records.items():
        index[record_id] = [record_evidence(docs, record)]
    return {k: [ref.as_dict() for ref in refs] for k, refs in index.items()}


def build_report_data(
    conn: sqlite3.Connection,
    filters: Filters = ALL,
    *,
    include_speculative: bool = False,
    title: str | None = None,
    top_key_events: int = TOP_KEY_EVENTS,
) -> ReportData:
    shown = filters if include_speculative else replace(filters, firm_only=True)
    total = queries.summary(conn, filters)
    span = queries.summary(conn, shown)
    date_range = (span.first_day, span.last_day) if span.first_day and span.last_day else None
    freq = freq_for_span(*(date_range or (None, None)))
    timeline = key_timeline(
        conn, filters, include_speculative, limit=top_key_events, order="mentions"
    )
    buckets = timeline_counts(conn, filters, freq, include_speculative)
    signal = signal_index(conn, filters)
    matrix = position_matrix(conn, filters, include_speculative)
    space = negotiation_space(conn, filters, include_speculative=include_speculative)
    dyads = with_evidence(
        conn,
        _top_dyads(dyadic_series(conn, filters, freq, include_speculative)),
        filters,
        freq,
        include_speculative,
    )
    process = filters.process
    return ReportData(
        title=title or f"detente report{f' — {process_label(process)}' if process else ''}",
        process=process,
        since=filters.since,
        until=filters.until,
        include_speculative=include_speculative,
        counts={
            "documents": total.documents,
            "events": total.events,
            "positions": total.positions,
            "process records": len(queries.list_process_records(conn, filters)),
            "firm records": total.firm,
        },
        date_range=date_range,
        freq=freq,
        timeline_counts=buckets,
        timeline=timeline,
        dyads=dyads,
        signal=signal,
        matrix=matrix,
        space=space,
        sources=source_table(conn, filters),
        key_events_total=sum(b.items for b in buckets),
        evidence=evidence_index(conn, timeline, signal, dyads, matrix, space),
    )
