"""Analysis results as flat rows (lists of dicts) for the CLI's table, CSV and JSON output.

Rows keep the record ids so a row printed in a terminal can still be traced to evidence;
``compact`` drops long columns (sentences, id lists) for the terminal table.
"""

from __future__ import annotations

from detente.analysis.dyads import DyadRow
from detente.analysis.signal import SignalPoint
from detente.analysis.space import IssueSpace
from detente.analysis.timeline import TimelineBucket, TimelineEntry


def _span(pair: tuple[float, float] | None) -> str | None:
    return None if pair is None else f"{pair[0]:g}-{pair[1]:g}"


def timeline_rows(entries: list[TimelineEntry]) -> list[dict]:
    rows = []
    for t in entries:
        first = t.evidence[0] if t.evidence else None
        rows.append(
            {
                "date": t.date,
                "kind": t.kind,
                "what": t.label,
                "modality": t.modality or "merged",
                "mentions": t.mentions,
                "evidence": f"{first.doc_id}:{first.start}-{first.end}" if first else None,
                "sentence": first.sentence if first else None,
                "record_ids": t.record_ids,
            }
        )
    return rows


def bucket_rows(buckets: list[TimelineBucket]) -> list[dict]:
    return [
        {"period": b.period, "kind": b.kind, "items": b.items, "records": b.records,
         "score_sum": b.score_sum, "period_start": b.period_start}
        for b in buckets
    ]  # fmt: skip


def dyad_rows(rows: list[DyadRow]) -> list[dict]:
    """Full rows (one column per PLOVER type and quad class) plus a ``types`` summary that
    the terminal table shows instead of the many count columns."""
    out = []
    for r in rows:
        row = r.as_dict()
        row["types"] = ", ".join(f"{k} {v}" for k, v in sorted(r.by_type.items()))
        out.append(row)
    return out


def signal_rows(points: list[SignalPoint]) -> list[dict]:
    return [
        {
            "process": p.process,
            "week": p.week,
            "week_start": p.week_start,
            "index": p.index,
            "balance": p.balance,
            "diversity": p.diversity,
            "cooperative": p.cooperative,
            "conflictual": p.conflictual,
            "sources": p.sources,
            "items": p.items,
            "record_ids": p.record_ids,
        }
        for p in points
    ]


def space_rows(spaces: list[IssueSpace]) -> list[dict]:
    return [
        {
            "issue": s.issue,
            "parties": "; ".join(
                f"{p.actor} {p.position:g} {p.stance} [{p.low:g}-{p.high:g}]" for p in s.parties
            ),
            "interval": _span(s.interval),
            "zopa": _span(s.zopa),
            "predicted_outcome_model": s.predicted_outcome,
            "record_ids": [p.record_id for p in s.parties],
        }
        for s in spaces
        if s.parties
    ]


LONG_COLUMNS = frozenset(
    {"sentence", "record_ids", "week_start", "period_start", "balance", "diversity",
     "score_sum_other"}
)  # fmt: skip
"""Columns a terminal table leaves out (CSV and JSON keep them)."""
COUNT_PREFIXES = ("type_", "quad_")


def compact(rows: list[dict]) -> list[dict]:
    return [
        {k: v for k, v in row.items() if k not in LONG_COLUMNS and not k.startswith(COUNT_PREFIXES)}
        for row in rows
    ]
