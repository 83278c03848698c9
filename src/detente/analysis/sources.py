"""Source comparison: how much each outlet contributes, how firmly it states things, and
whom it quotes, so a reader can spot an outlet that leans on one party's claims.

The counts run in the database (:func:`detente.store.queries.source_counts`); an outlet is
the document's source name, else its URL's host.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from detente.store import queries
from detente.store.queries import ALL, Filters

UNCERTAIN = ("future", "speculative", "hypothetical")


@dataclass
class SourceRow:
    source: str
    documents: int = 0
    events: int = 0
    positions: int = 0
    asserted: int = 0
    reported: int = 0
    uncertain: int = 0
    """future, speculative and hypothetical records."""
    negated: int = 0
    quoted: list[tuple[str, int]] = field(default_factory=list)
    """The parties (code, else the text) it names most often as the source of a claim."""

    def top_quoted(self, n: int = 3) -> list[tuple[str, int]]:
        return self.quoted[:n]


def source_table(conn: sqlite3.Connection, filters: Filters = ALL) -> list[SourceRow]:
    rows = []
    for c in queries.source_counts(conn, filters):
        m = c.by_modality
        rows.append(
            SourceRow(
                source=c.source,
                documents=c.documents,
                events=c.events,
                positions=c.positions,
                asserted=m.get("asserted", 0),
                reported=m.get("reported", 0),
                uncertain=sum(m.get(k, 0) for k in UNCERTAIN),
                negated=m.get("negated", 0),
                quoted=c.quoted,
            )
        )
    return rows
