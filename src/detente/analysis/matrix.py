"""Position matrix: for each party and issue, the party's latest stance and its evidence.

Unlike the negotiation space, a cell needs no 0–100 value: a stance with a quote is
already informative to a reader. The cell choice is the process view's
(:mod:`detente.positions.matrix`: firm before hedged, latest, valued, main sub-issue);
the database returns only the best position per party, issue and sub-issue
(:func:`detente.store.queries.position_candidates`), and how often the party spoke on it.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, replace

from detente.analysis.evidence import EvidenceRef, position_evidence
from detente.positions.matrix import informativeness, stance_text
from detente.positions.models import Position
from detente.positions.taxonomy import load_taxonomy
from detente.store import queries
from detente.store.queries import ALL, Filters


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
    sub_issue: str | None = None
    stance_label: str = ""
    """The stance with the pole it leans to (``against (toward 0 = …)``)."""


def position_matrix(
    conn: sqlite3.Connection, filters: Filters = ALL, include_speculative: bool = False
) -> list[MatrixCell]:
    selected = filters if include_speculative else replace(filters, firm_only=True)
    candidates = queries.position_candidates(conn, selected)
    counts: dict[tuple[str, str], int] = {}
    grouped: dict[tuple[str, str], list[Position]] = defaultdict(list)
    for c in candidates:
        counts[(c.party, c.position.issue)] = c.records
        grouped[(c.party, c.position.issue)].append(c.position)
    taxonomy = load_taxonomy()
    ranked = {
        key: sorted(found, key=lambda p: informativeness(p, taxonomy), reverse=True)
        for key, found in grouped.items()
    }
    docs = queries.documents(conn, [c.position.doc_id for c in candidates])
    cells = []
    for (party, issue), found in sorted(ranked.items()):
        best = found[0]
        evidence = position_evidence(docs, best)
        cells.append(
            MatrixCell(
                actor=party,
                issue=issue,
                stance=best.stance,
                speech_act=best.speech_act,
                position=best.position,
                date=evidence.date,
                records=counts.get((party, issue), len(found)),
                record_id=best.id,
                evidence=evidence,
                sub_issue=best.sub_issue,
                stance_label=stance_text(best.stance, issue, best.sub_issue, filters.process),
            )
        )
    return cells
