"""Evidence references: the link from every analysis row back to the sentence it rests on.

Each reference names the record, its document and the character offsets in the clean
document text, plus the outlet and URL so a reader can go to the original article.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from detente.analysis.corpus import Corpus, day
from detente.coding.models import Event
from detente.positions.models import Position, ProcessRecord


@dataclass(frozen=True)
class EvidenceRef:
    record_id: str
    kind: str
    """``event``, ``position`` or ``process``."""
    doc_id: str
    sentence: str
    start: int
    end: int
    source: str
    url: str | None = None
    title: str | None = None
    date: str | None = None
    modality: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def event_evidence(corpus: Corpus, event: Event) -> EvidenceRef:
    doc = corpus.doc(event.doc_id)
    ev = event.evidence
    return EvidenceRef(
        record_id=event.id,
        kind="event",
        doc_id=event.doc_id,
        sentence=ev.sentence,
        start=ev.start,
        end=ev.end,
        source=doc.outlet,
        url=doc.url,
        title=doc.title,
        date=corpus.date_of(event),
        modality=event.modality,
    )


def position_evidence(corpus: Corpus, position: Position) -> EvidenceRef:
    doc = corpus.doc(position.doc_id)
    ev = position.evidence
    return EvidenceRef(
        record_id=position.id,
        kind="position",
        doc_id=position.doc_id,
        sentence=ev.sentence,
        start=ev.start,
        end=ev.end,
        source=doc.outlet,
        url=doc.url,
        title=doc.title,
        date=corpus.date_of(position),
        modality=position.modality,
    )


def process_evidence(corpus: Corpus, record: ProcessRecord) -> list[EvidenceRef]:
    """One reference per source sentence; a source is paired with ``doc_ids`` by position
    unless it names its own ``doc_id``."""
    refs = []
    for i, src in enumerate(record.sources):
        data = src if isinstance(src, dict) else src.model_dump()
        doc_id = data.get("doc_id") or (record.doc_ids[i] if i < len(record.doc_ids) else "")
        if not doc_id and record.doc_ids:
            doc_id = record.doc_ids[0]
        doc = corpus.doc(doc_id)
        refs.append(
            EvidenceRef(
                record_id=record.id,
                kind="process",
                doc_id=doc_id,
                sentence=str(data.get("sentence", "")),
                start=int(data.get("start", 0)),
                end=int(data.get("end", 0)),
                source=doc.outlet,
                url=doc.url,
                title=doc.title,
                date=day(record.date),
                modality=None,
            )
        )
    return refs
