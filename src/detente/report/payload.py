"""Everything a report shows, computed once from a corpus and shared by HTML and Markdown.

The evidence index maps every record id that a chart or table can point at to the
sentence(s) it came from; the HTML report embeds it so that clicking a point can show the
evidence without a server.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from detente.analysis.corpus import Corpus, is_firm
from detente.analysis.dyads import DyadRow, dyadic_series
from detente.analysis.evidence import (
    EvidenceRef,
    event_evidence,
    position_evidence,
    process_evidence,
)
from detente.analysis.matrix import MatrixCell, position_matrix
from detente.analysis.membership import process_label
from detente.analysis.signal import SignalPoint, signal_index
from detente.analysis.sources import SourceRow, source_table
from detente.analysis.space import IssueSpace, negotiation_space
from detente.analysis.timeline import TimelineEntry, key_timeline

WEEKLY_AFTER_DAYS = 21
"""Dyadic series switch from daily to weekly buckets when the corpus spans longer."""


@dataclass
class ReportData:
    title: str
    process: str | None
    since: str | None
    until: str | None
    include_speculative: bool
    counts: dict[str, int]
    date_range: tuple[str, str] | None
    timeline: list[TimelineEntry]
    dyad_freq: str
    dyads: list[DyadRow]
    signal: list[SignalPoint]
    matrix: list[MatrixCell]
    space: list[IssueSpace]
    sources: list[SourceRow]
    evidence: dict[str, list[dict]] = field(default_factory=dict)


def _date_range(corpus: Corpus, include_speculative: bool) -> tuple[str, str] | None:
    """The days the shown records span: a forecast pointing months ahead (or a misread
    date on one) would otherwise stretch the range past the news."""
    shown = [
        r for r in [*corpus.events, *corpus.positions] if include_speculative or is_firm(r.modality)
    ]
    days = [d for d in (corpus.date_of(r) for r in shown) if d]
    return (min(days), max(days)) if days else None


def evidence_index(corpus: Corpus) -> dict[str, list[dict]]:
    index: dict[str, list[EvidenceRef]] = {}
    for e in corpus.events:
        index[e.id] = [event_evidence(corpus, e)]
    for p in corpus.positions:
        index[p.id] = [position_evidence(corpus, p)]
    for r in corpus.process_records:
        index[r.id] = process_evidence(corpus, r)
    return {k: [ref.as_dict() for ref in refs] for k, refs in index.items()}


def build_report_data(
    corpus: Corpus,
    *,
    process: str | None = None,
    since: str | None = None,
    until: str | None = None,
    include_speculative: bool = False,
    title: str | None = None,
) -> ReportData:
    span = _date_range(corpus, include_speculative)
    long_span = span and (date.fromisoformat(span[1]) - date.fromisoformat(span[0])).days
    freq = "week" if long_span and long_span > WEEKLY_AFTER_DAYS else "day"
    records = [*corpus.events, *corpus.positions]
    return ReportData(
        title=title or f"detente report{f' — {process_label(process)}' if process else ''}",
        process=process,
        since=since,
        until=until,
        include_speculative=include_speculative,
        counts={
            "documents": len({r.doc_id for r in records}),
            "events": len(corpus.events),
            "positions": len(corpus.positions),
            "process records": len(corpus.process_records),
            "firm records": sum(1 for r in records if is_firm(r.modality)),
        },
        date_range=span,
        timeline=key_timeline(corpus, include_speculative),
        dyad_freq=freq,
        dyads=dyadic_series(corpus, freq, include_speculative),
        signal=signal_index(corpus),
        matrix=position_matrix(corpus, include_speculative),
        space=negotiation_space(corpus, include_speculative=include_speculative),
        sources=source_table(corpus),
        evidence=evidence_index(corpus),
    )
