"""Negotiation signal index: is the week's news about a peace process moving toward talks
or away from them? One point per process and ISO week, on a −100..100 scale.

Formula (also in ``docs/signal_index.md``):

1. Signals. Events and positions are first merged across their story cluster
   (:mod:`.dedupe`), so a syndicated story counts once. Each merged item has a polarity:

   * cooperative (+1): events AGREE, CONSULT, RETREAT, CONCEDE; positions whose speech act
     is propose, offer, accept, concede, sign or implement;
   * conflictual (−1): events THREATEN, ASSAULT, REJECT, SANCTION; positions whose speech
     act is reject, precondition, threaten or violate;
   * anything else is not a negotiation signal and is ignored.

2. Modality weight ``m`` of the item's firmest report: asserted 1.0, reported 0.8,
   future 0.6, speculative 0.3, hypothetical 0.2, negated 0.

3. ``C`` = Σ m over cooperative items, ``K`` = Σ m over conflictual items;
   balance ``B = (C − K) / (C + K)``, in −1..1 (no point when ``C + K = 0``).

4. Source diversity ``D = min(1, log2(1 + S) / log2(1 + S_FULL))`` with ``S`` the distinct
   outlets behind the week's signals and ``S_FULL = 4``: a week told by one outlet keeps
   43 % of its balance, one corroborated by four or more keeps all of it.

5. ``index = 100 · B · D``.

Events carry no process label: an event belongs to the processes its document gave
positions or process records to, and to no process (``None``) otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from detente.analysis.corpus import Corpus
from detente.analysis.dedupe import Group, dedupe_events, dedupe_positions
from detente.analysis.periods import iso_week, week_start

MODALITY_WEIGHTS = {
    "asserted": 1.0,
    "reported": 0.8,
    "future": 0.6,
    "speculative": 0.3,
    "hypothetical": 0.2,
    "negated": 0.0,
}
EVENT_POLARITY = {
    "AGREE": 1,
    "CONSULT": 1,
    "RETREAT": 1,
    "CONCEDE": 1,
    "THREATEN": -1,
    "ASSAULT": -1,
    "REJECT": -1,
    "SANCTION": -1,
}
SPEECH_ACT_POLARITY = {
    "propose": 1,
    "offer": 1,
    "accept": 1,
    "concede": 1,
    "sign": 1,
    "implement": 1,
    "reject": -1,
    "precondition": -1,
    "threaten": -1,
    "violate": -1,
}
S_FULL = 4


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
    return min(1.0, math.log2(1 + n_sources) / math.log2(1 + S_FULL))


def _contribution(corpus: Corpus, group: Group, kind: str, polarity: int, label: str):
    sources = sorted({corpus.doc(m.doc_id).outlet for m in group.members})
    weight = MODALITY_WEIGHTS.get(group.record.modality, 0.0)
    return Contribution(group.record.id, kind, label, polarity, weight, sources)


def _signals(corpus: Corpus):
    """Yield ``(process, day, contribution)`` for every merged item with a polarity."""
    doc_processes: dict[str, set[str | None]] = {}
    for p in corpus.positions:
        doc_processes.setdefault(p.doc_id, set()).add(p.process)
    for r in corpus.process_records:
        for d in r.doc_ids:
            doc_processes.setdefault(d, set()).add(r.process)
    for g in dedupe_events(corpus):
        polarity = EVENT_POLARITY.get(g.record.event_type, 0)
        if polarity and g.date:
            c = _contribution(corpus, g, "event", polarity, g.record.event_type)
            processes = set().union(*(doc_processes.get(d, set()) for d in g.doc_ids))
            for process in processes or {None}:
                yield process, g.date, c
    for g in dedupe_positions(corpus):
        polarity = SPEECH_ACT_POLARITY.get(g.record.speech_act, 0)
        if polarity and g.date:
            label = f"{g.record.speech_act} on {g.record.issue}"
            yield g.record.process, g.date, _contribution(corpus, g, "position", polarity, label)


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
