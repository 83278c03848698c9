"""How each party's stance on each issue moved over time.

A party's positions on one issue, in date order, collapse into runs of the same stance;
every change between runs is a move (``RUS on ceasefire: against → conditional on
2025-05-11``) carrying the sentence that shows the new stance. Only firm positions count by
default, as in the position matrix: a hypothetical stance is not a shift.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace

from detente.analysis.evidence import EvidenceRef, position_evidence
from detente.store import queries
from detente.store.queries import ALL, Filters


@dataclass
class Step:
    """A run of positions with one stance; ``record_id`` is its first position."""

    stance: str
    since: str | None
    record_id: str
    records: int
    evidence: EvidenceRef


@dataclass
class StanceTrack:
    actor: str
    issue: str
    steps: list[Step] = field(default_factory=list)

    @property
    def moves(self) -> list[StanceMove]:
        return [
            StanceMove(self.actor, self.issue, before.stance, after.stance, after.since,
                       before.record_id, after.record_id, after.evidence)
            for before, after in zip(self.steps, self.steps[1:], strict=False)
        ]  # fmt: skip


@dataclass
class StanceMove:
    actor: str
    issue: str
    from_stance: str
    to_stance: str
    date: str | None
    from_record_id: str
    record_id: str
    evidence: EvidenceRef

    def as_dict(self) -> dict:
        return {
            "actor": self.actor,
            "issue": self.issue,
            "from_stance": self.from_stance,
            "to_stance": self.to_stance,
            "date": self.date,
            "from_record_id": self.from_record_id,
            "record_id": self.record_id,
            "doc_id": self.evidence.doc_id,
            "sentence": self.evidence.sentence,
            "modality": self.evidence.modality,
        }


def stance_tracks(
    conn: sqlite3.Connection, filters: Filters = ALL, include_speculative: bool = False
) -> list[StanceTrack]:
    """One track per party and issue, sorted by party then issue.

    Positions arrive in resolved-day order from the store (undated first, which start a
    track rather than interrupt one)."""
    selected = filters if include_speculative else replace(filters, firm_only=True)
    positions = list(queries.iter_records(conn, "positions", selected))
    docs = queries.documents(conn, [p.doc_id for p in positions])
    tracks: dict[tuple[str, str], StanceTrack] = {}
    for p in positions:
        actor = p.actor.code or p.actor.text
        track = tracks.setdefault((actor, p.issue), StanceTrack(actor, p.issue))
        if track.steps and track.steps[-1].stance == p.stance:
            track.steps[-1].records += 1
            continue
        evidence = position_evidence(docs, p)
        track.steps.append(Step(p.stance, evidence.date, p.id, 1, evidence))
    return [tracks[key] for key in sorted(tracks)]


def stance_moves(
    conn: sqlite3.Connection, filters: Filters = ALL, include_speculative: bool = False
) -> list[StanceMove]:
    """Every change of stance, newest first."""
    moves = [m for t in stance_tracks(conn, filters, include_speculative) for m in t.moves]
    return sorted(moves, key=lambda m: (m.date or "", m.record_id), reverse=True)
