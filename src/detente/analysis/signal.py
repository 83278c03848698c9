"""Negotiation signal index: is the week's news about a peace process moving toward talks
or away from them? One point per process and ISO week, on a −100..100 scale.

Formula (also in ``docs/signal_index.md``; the lists and numbers are data, in
``data/signal.yml``):

1. Signals. Events and positions are first merged across their story cluster, so a
   syndicated story counts once. Each merged item has a polarity: cooperative (+1) or
   conflictual (−1) by its PLOVER type or speech act, as listed in ``signal.yml``;
   anything else is not a negotiation signal and is ignored, and so is an event without
   any coded actor or recipient ("the attack came as…").

2. Modality weight ``m`` of the item's firmest report (asserted 1.0 … negated 0).

3. ``C`` = Σ m over cooperative items, ``K`` = Σ m over conflictual items;
   balance ``B = (C − K) / (C + K)``, in −1..1 (no point when ``C + K = 0``).

4. Source diversity ``D = min(1, log2(1 + S) / log2(1 + S_FULL))`` with ``S`` the distinct
   outlets behind the week's signals and ``S_FULL`` from ``signal.yml`` (4): a week told
   by one outlet keeps 43 % of its balance, one corroborated by four or more keeps all.

5. ``index = 100 · B · D``.

Week: a firm item counts in the week it happened, a future, speculative, hypothetical or
negated one in the week it was published: the signal is sent when it is said.

Process: a record joins every process it is a member of
(:func:`detente.store.derived.member_processes`: a belligerent takes part, or a third party
in a document about the process); records of no process form the ``None`` series.

The sums run in the database (:func:`detente.store.queries.signal_sums`); each point
carries a few of its firmest event records as evidence, not all of them.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass, field

from detente.analysis.periods import iso_week
from detente.analysis.settings import signal_settings
from detente.store import queries
from detente.store.queries import ALL, Filters

SAMPLES_PER_WEEK = 3
"""Evidence records kept per point: enough to click through, few enough to embed."""


@dataclass
class SignalPoint:
    process: str | None
    week: str
    week_start: str
    index: float
    balance: float
    diversity: float
    cooperative: float
    conflictual: float
    sources: int
    """Distinct outlets behind the week's signals."""
    items: int
    """Merged items with a polarity."""
    record_ids: list[str] = field(default_factory=list)
    """A few of the week's firmest event records (the evidence a view shows)."""


def source_diversity(n_sources: int) -> float:
    full_at = signal_settings().full_diversity_at
    return min(1.0, math.log2(1 + n_sources) / math.log2(1 + full_at))


def signal_index(
    conn: sqlite3.Connection, filters: Filters = ALL, samples: int = SAMPLES_PER_WEEK
) -> list[SignalPoint]:
    settings = signal_settings()
    sums = queries.signal_sums(
        conn, filters, settings.event_polarity, settings.speech_act_polarity,
        settings.modality_weights,
    )  # fmt: skip
    polar_types = sorted(settings.event_polarity)
    evidence = queries.signal_samples(conn, filters, polar_types, samples) if samples else {}
    points = []
    for s in sums:
        if s.cooperative + s.conflictual == 0:
            continue
        balance = (s.cooperative - s.conflictual) / (s.cooperative + s.conflictual)
        diversity = source_diversity(s.sources)
        points.append(
            SignalPoint(
                process=s.process,
                week=iso_week(s.week_start),
                week_start=s.week_start,
                index=round(100 * balance * diversity, 1),
                balance=round(balance, 4),
                diversity=round(diversity, 4),
                cooperative=round(s.cooperative, 3),
                conflictual=round(s.conflictual, 3),
                sources=s.sources,
                items=s.items,
                record_ids=evidence.get((s.process, s.week_start), []),
            )
        )
    return sorted(points, key=lambda p: (p.process or "", p.week_start))
