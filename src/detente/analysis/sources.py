"""Source comparison: how much each outlet contributes, how firmly it states things, and
whom it quotes, so a reader can spot an outlet that leans on one party's claims.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from detente.analysis.corpus import Corpus

UNCERTAIN = frozenset({"future", "speculative", "hypothetical"})
PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you"})
"""Attributions that name nobody a reader could recognise; not counted as "quoted"."""


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
    quoted: Counter = field(default_factory=Counter)
    """Party (code, else the text) named as the source of a claim → records."""

    def top_quoted(self, n: int = 3) -> list[tuple[str, int]]:
        return self.quoted.most_common(n)


def source_table(corpus: Corpus) -> list[SourceRow]:
    rows: dict[str, SourceRow] = {}
    docs: dict[str, set[str]] = {}
    for record in [*corpus.events, *corpus.positions]:
        doc = corpus.doc(record.doc_id)
        outlet = doc.outlet
        row = rows.setdefault(outlet, SourceRow(doc.outlet_label))
        docs.setdefault(outlet, set()).add(record.doc_id)
        if hasattr(record, "event_type"):
            row.events += 1
        else:
            row.positions += 1
        if record.modality == "asserted":
            row.asserted += 1
        elif record.modality == "reported":
            row.reported += 1
        elif record.modality == "negated":
            row.negated += 1
        elif record.modality in UNCERTAIN:
            row.uncertain += 1
        speaker = getattr(record, "speaker", None)
        quoted = record.attribution.code or record.attribution.text if record.attribution else None
        quoted = quoted or speaker
        if quoted and quoted.lower() not in PRONOUNS:
            row.quoted[quoted] += 1
    for outlet, row in rows.items():
        row.documents = len(docs[outlet])
    return sorted(rows.values(), key=lambda r: (-(r.events + r.positions), r.source))
