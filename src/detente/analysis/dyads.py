"""Dyadic series: what each actor did to each recipient, per day, ISO week or month.

Events are merged across their story cluster (one story told by several outlets counts
once), then a compound actor or recipient ("Russia and Ukraine agreed…") expands to one
row per ordered actor–recipient code pair; the sums run in the database
(:func:`detente.store.queries.dyad_counts`). Only asserted/reported events count by
default; with ``include_speculative`` the future, speculative, hypothetical and negated ones
are counted in separate ``*_other`` columns so the firm series stays comparable. Events
without a dated day or without both a coded actor and a coded recipient are not dyadic and
are left out: an unresolved mention ("its forces", "150 prisoners") would make a dyad of
its own.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field

from detente.analysis.periods import label, start_day
from detente.store import queries
from detente.store.queries import ALL, Filters


@dataclass
class DyadRow:
    period: str
    period_start: str
    actor: str
    recipient: str
    events: int = 0
    score_sum: float = 0.0
    mentions: int = 0
    by_type: Counter = field(default_factory=Counter)
    by_quad: Counter = field(default_factory=Counter)
    events_other: int = 0
    score_sum_other: float = 0.0
    record_ids: list[str] = field(default_factory=list)
    """A few of the period's records (see :func:`with_evidence`), not all of them."""

    @property
    def score_mean(self) -> float | None:
        return self.score_sum / self.events if self.events else None

    def as_dict(self) -> dict:
        row = {
            "period": self.period,
            "period_start": self.period_start,
            "actor": self.actor,
            "recipient": self.recipient,
            "events": self.events,
            "score_sum": round(self.score_sum, 3),
            "score_mean": None if self.score_mean is None else round(self.score_mean, 3),
            "mentions": self.mentions,
            "events_other": self.events_other,
            "score_sum_other": round(self.score_sum_other, 3),
        }
        row.update({f"type_{k}": v for k, v in sorted(self.by_type.items())})
        row.update({f"quad_{k}": v for k, v in sorted(self.by_quad.items())})
        row["record_ids"] = self.record_ids
        return row


def dyadic_series(
    conn: sqlite3.Connection,
    filters: Filters = ALL,
    freq: str = "day",
    include_speculative: bool = False,
) -> list[DyadRow]:
    rows: dict[tuple[str, str, str], DyadRow] = {}
    starts: dict[str, tuple[str, str]] = {}  # a period's plotted day and label, once each
    for c in queries.dyad_counts(conn, filters, freq, include_speculative):
        period = starts.get(c.period_start)
        if period is None:
            start = start_day(c.period_start, freq)
            period = starts[c.period_start] = (start, label(c.period_start, freq))
        key = (period[0], c.actor, c.recipient)
        row = rows.get(key)
        if row is None:  # built once per row, not once per count (a store has 100,000s)
            row = rows[key] = DyadRow(period[1], period[0], c.actor, c.recipient)
        if c.firm:
            row.events += c.events
            row.score_sum += c.score_sum
            row.mentions += c.mentions
            row.by_type[c.event_type] += c.events
            row.by_quad[c.quad] += c.events
        else:
            row.events_other += c.events
            row.score_sum_other += c.score_sum
    # The counts come by period, actor and recipient: the rows are already in that order.
    return list(rows.values())


def with_evidence(
    conn: sqlite3.Connection,
    rows: list[DyadRow],
    filters: Filters = ALL,
    freq: str = "day",
    include_speculative: bool = False,
) -> list[DyadRow]:
    """Fill each row's ``record_ids`` with a few of its firmest records (a view shows a
    handful of dyads; their points link to evidence without carrying every record)."""
    pairs = sorted({(r.actor, r.recipient) for r in rows})
    samples = queries.dyad_samples(conn, filters, pairs, freq, include_speculative)
    for r in rows:
        key = r.period_start[:7] if freq == "month" else r.period_start
        r.record_ids = samples.get((key, r.actor, r.recipient), [])
    return rows
