"""How each party's stance on each issue moved over time.

A party's positions on one issue, in date order, collapse into runs of the same stance;
every change between runs is a move (``RUS on ceasefire: against → conditional on
2025-05-11``) carrying the sentence that shows the new stance. Only firm positions count by
default, as in the position matrix: a hypothetical stance is not a shift.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from detente.analysis.corpus import Corpus, is_firm
from detente.analysis.evidence import EvidenceRef, position_evidence
from detente.positions.models import Position


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


def stance_tracks(corpus: Corpus, include_speculative: bool = False) -> list[StanceTrack]:
    """One track per party and issue, sorted by party then issue."""
    groups: dict[tuple[str, str], list[Position]] = {}
    for p in corpus.positions:
        if include_speculative or is_firm(p.modality):
            groups.setdefault((p.actor.code or p.actor.text, p.issue), []).append(p)
    tracks = []
    for (actor, issue), records in sorted(groups.items()):
        track = StanceTrack(actor, issue)
        for p in sorted(records, key=lambda p: (corpus.date_of(p) or "", p.id)):
            if track.steps and track.steps[-1].stance == p.stance:
                track.steps[-1].records += 1
                continue
            step = Step(p.stance, corpus.date_of(p), p.id, 1, position_evidence(corpus, p))
            track.steps.append(step)
        tracks.append(track)
    return tracks


def stance_moves(corpus: Corpus, include_speculative: bool = False) -> list[StanceMove]:
    """Every change of stance, newest first."""
    moves = [m for t in stance_tracks(corpus, include_speculative) for m in t.moves]
    return sorted(moves, key=lambda m: (m.date or "", m.record_id), reverse=True)
