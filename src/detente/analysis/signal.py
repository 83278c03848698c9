"""Negotiation signal index: is the week's news about a peace process moving toward talks
or away from them? One point per process and ISO week, on a −100..100 scale.

Formula (also in ``docs/signal_index.md``; the lists and numbers are data, in
``data/signal.yml``):

1. Signals. Events and positions are first merged across their story cluster
   (:mod:`.dedupe`), so a syndicated story counts once. Each merged item has a polarity:
   cooperative (+1) or conflictual (−1) by its PLOVER type or speech act, as listed in
   ``signal.yml``; anything else is not a negotiation signal and is ignored, and so is an
   event without any coded actor or recipient ("the attack came as…").

2. Modality weight ``m`` of the item's firmest report (asserted 1.0 … negated 0).

3. ``C`` = Σ m over cooperative items, ``K`` = Σ m over conflictual items;
   balance ``B = (C − K) / (C + K)``, in −1..1 (no point when ``C + K = 0``).

4. Source diversity ``D = min(1, log2(1 + S) / log2(1 + S_FULL))`` with ``S`` the distinct
   outlets behind the week's signals and ``S_FULL`` from ``signal.yml`` (4): a week told
   by one outlet keeps 43 % of its balance, one corroborated by four or more keeps all.

5. ``index = 100 · B · D``.

Week: a firm item counts in the week it happened, a future, speculative, hypothetical or
negated one in the week it was published: the signal is sent when it is said.

Process: a record joins every process it is a member of (:mod:`.membership`: a
belligerent takes part, or a third party in a document about the process); records of no
process form the ``None`` series.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from detente.analysis.corpus import Corpus, is_firm
from detente.analysis.dedupe import Group, dedupe_events, dedupe_positions
from detente.analysis.membership import Membership
from detente.analysis.periods import iso_week, week_start
from detente.analysis.scoring import names_a_party
from detente.analysis.settings import signal_settings


@dataclass
class Contribution:
    record_id: str
    kind: str
    label: str
    polarity: int
    weight: float
    sources: list[str]


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
    sources: list[str]
    contributions: list[Contribution] = field(default_factory=list)

    @property
    def record_ids(self) -> list[str]:
        return [c.record_id for c in self.contributions]


def source_diversity(n_sources: int) -> float:
    full_at = signal_settings().full_diversity_at
    return min(1.0, math.log2(1 + n_sources) / math.log2(1 + full_at))


def _contribution(corpus: Corpus, group: Group, kind: str, polarity: int, label: str):
    sources = sorted({corpus.doc(m.doc_id).outlet for m in group.members})
    weight = signal_settings().modality_weights.get(group.record.modality, 0.0)
    return Contribution(group.record.id, kind, label, polarity, weight, sources)


def _week_day(corpus: Corpus, group: Group) -> str | None:
    """The day a merged item counts on: when it happened if it did, when it was reported
    if it is a forecast, a condition or a denial (the signal is sent that week)."""
    return group.date if is_firm(group.record.modality) else corpus.said_on(group.record)


def _signals(corpus: Corpus):
    """Yield ``(process, day, contribution)`` for every merged item with a polarity."""
    settings = signal_settings()
    member = Membership(corpus)
    for g in dedupe_events(corpus, [e for e in corpus.events if names_a_party(e)]):
        polarity = settings.event_polarity.get(g.record.event_type, 0)
        when = _week_day(corpus, g)
        if polarity and when:
            c = _contribution(corpus, g, "event", polarity, g.record.event_type)
            processes = set().union(*(member.of_event(m) for m in g.members))
            for process in processes or {None}:
                yield process, when, c
    for g in dedupe_positions(corpus):
        polarity = settings.speech_act_polarity.get(g.record.speech_act, 0)
        when = _week_day(corpus, g)
        if polarity and when:
            label = f"{g.record.speech_act} on {g.record.issue}"
            c = _contribution(corpus, g, "position", polarity, label)
            for process in member.of_position(g.record) or {None}:
                yield process, when, c


def signal_index(corpus: Corpus) -> list[SignalPoint]:
    weeks: dict[tuple[str | None, str], list[tuple[str, Contribution]]] = {}
    for process, day, c in _signals(corpus):
        weeks.setdefault((process, iso_week(day)), []).append((day, c))
    points = []
    for (process, week), items in weeks.items():
        contribs = [c for _, c in items]
        coop = sum(c.weight for c in contribs if c.polarity > 0)
        conf = sum(c.weight for c in contribs if c.polarity < 0)
        if coop + conf == 0:
            continue
        sources = sorted({s for c in contribs for s in c.sources})
        balance = (coop - conf) / (coop + conf)
        diversity = source_diversity(len(sources))
        points.append(
            SignalPoint(
                process=process,
                week=week,
                week_start=week_start(items[0][0]),
                index=round(100 * balance * diversity, 1),
                balance=round(balance, 4),
                diversity=round(diversity, 4),
                cooperative=round(coop, 3),
                conflictual=round(conf, 3),
                sources=sources,
                contributions=contribs,
            )
        )
    return sorted(points, key=lambda p: (p.process or "", p.week_start))
