"""Negotiation space per issue: where each party stands, how far apart they are, whether
their acceptable ranges overlap, and a simple model of where a deal might land.

Definitions (also in ``docs/signal_index.md``):

* A party's position is its latest dated record on the issue with a value on the 0–100
  scale (``Position.position``), firm modalities only (asserted/reported) unless
  ``include_speculative``; member states count for the party that lists them.
* Acceptable range: ``[p − t, p + t]`` clipped to 0–100, ``t = tolerance × factor of the
  stance`` (``data/signal.yml``: favor and conditional 1, against 0.5 — a hard line —,
  neutral 2 — little at stake; tolerance 15).
* Interval between parties: from the lowest to the highest party position.
* Zone of possible agreement (ZOPA): the intersection of all parties' acceptable ranges,
  None when they do not all overlap or fewer than ``min_parties`` (2) parties took a
  position: one party alone is no negotiation.
* Salience of an issue to a party: the share of that party's positions (in the selection
  given) that are about this issue.
* Predicted outcome (a MODEL OUTPUT, not an observation): the salience-weighted median of
  party positions, the classic median-voter style bargaining model; None below
  ``min_parties`` as well.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace

from detente.analysis.evidence import EvidenceRef, position_evidence
from detente.analysis.settings import space_settings
from detente.store import queries
from detente.store.queries import ALL, Filters


@dataclass
class PartyPosition:
    actor: str
    position: float
    stance: str
    low: float
    high: float
    salience: float
    date: str | None
    record_id: str
    anchor_label: str | None
    evidence: EvidenceRef


@dataclass
class IssueSpace:
    issue: str
    parties: list[PartyPosition] = field(default_factory=list)
    interval: tuple[float, float] | None = None
    zopa: tuple[float, float] | None = None
    predicted_outcome: float | None = None
    """Salience-weighted median of party positions: a model output, not an observation."""


def acceptable_range(
    position: float, stance: str, tolerance: float | None = None
) -> tuple[float, float]:
    settings = space_settings()
    base = settings.tolerance if tolerance is None else tolerance
    t = base * settings.stance_factors.get(stance, 1.0)
    return max(0.0, position - t), min(100.0, position + t)


def weighted_median(values: list[tuple[float, float]]) -> float | None:
    """Median of ``(value, weight)`` pairs: the smallest value holding half the weight."""
    pairs = sorted((v, w) for v, w in values if w > 0)
    total = sum(w for _, w in pairs)
    if not pairs:
        return None
    running = 0.0
    for value, weight in pairs:
        running += weight
        if running >= total / 2:
            return value
    return pairs[-1][0]


def negotiation_space(
    conn: sqlite3.Connection,
    filters: Filters = ALL,
    tolerance: float | None = None,
    include_speculative: bool = False,
) -> list[IssueSpace]:
    """One space per issue; ``tolerance`` overrides the one in ``data/signal.yml``."""
    selected = filters if include_speculative else replace(filters, firm_only=True)
    counts = queries.positions_per_party(conn, selected)
    per_party: dict[str, int] = {}
    for (party, _), n in counts.items():
        per_party[party] = per_party.get(party, 0) + n
    best: dict[tuple[str, str], object] = {}
    for c in queries.position_candidates(conn, selected, valued=True, hedged=include_speculative):
        key = (c.position.issue, c.party)
        p = c.position
        rank = (p.modality in ("asserted", "reported"), p.date or "", p.confidence)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, p)
    docs = queries.documents(conn, [p.doc_id for _, p in best.values()])
    spaces: dict[str, IssueSpace] = {}
    for (issue, party), (_, latest) in sorted(best.items()):
        space = spaces.setdefault(issue, IssueSpace(issue))
        low, high = acceptable_range(latest.position, latest.stance, tolerance)
        evidence = position_evidence(docs, latest)
        space.parties.append(
            PartyPosition(
                actor=party,
                position=latest.position,
                stance=latest.stance,
                low=low,
                high=high,
                salience=round(counts.get((party, issue), 0) / per_party[party], 4)
                if per_party.get(party)
                else 0.0,
                date=evidence.date,
                record_id=latest.id,
                anchor_label=latest.anchor_label,
                evidence=evidence,
            )
        )
    for space in spaces.values():
        values = [p.position for p in space.parties]
        space.interval = (min(values), max(values))
        if len(space.parties) >= max(1, space_settings().min_parties):
            low = max(p.low for p in space.parties)
            high = min(p.high for p in space.parties)
            space.zopa = (low, high) if low <= high else None
            space.predicted_outcome = weighted_median(
                [(p.position, p.salience) for p in space.parties]
            )
    return [spaces[k] for k in sorted(spaces)]
