"""Position matrix: for each actor and issue, the actor's latest stance and its evidence.

Unlike the negotiation space, a cell needs no 0–100 value: a stance with a quote is
already informative to a reader. Counts show how often the actor spoke on the issue.
"""

from __future__ import annotations

from dataclasses import dataclass

from detente.analysis.corpus import Corpus, is_firm
from detente.analysis.evidence import EvidenceRef, position_evidence
from detente.positions.models import Position


@dataclass
class MatrixCell:
    actor: str
    issue: str
    stance: str
    speech_act: str
    position: float | None
    date: str | None
    records: int
    record_id: str
    evidence: EvidenceRef


def position_matrix(corpus: Corpus, include_speculative: bool = False) -> list[MatrixCell]:
    cells: dict[tuple[str, str], list[Position]] = {}
    for p in corpus.positions:
        if include_speculative or is_firm(p.modality):
            cells.setdefault((p.actor.code or p.actor.text, p.issue), []).append(p)
    out = []
    for (actor, issue), records in sorted(cells.items()):
        latest = max(records, key=lambda p: (corpus.date_of(p) or "", p.confidence))
        out.append(
            MatrixCell(
                actor=actor,
                issue=issue,
                stance=latest.stance,
                speech_act=latest.speech_act,
                position=latest.position,
                date=corpus.date_of(latest),
                records=len(records),
                record_id=latest.id,
                evidence=position_evidence(corpus, latest),
            )
        )
    return out
