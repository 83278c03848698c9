"""Evidence references: the link from every analysis row back to the sentence it rests on.

Each reference names the record, its document and the character offsets in the clean
document text, plus the outlet and URL so a reader can go to the original article.
References are built only for the records a view shows, from their documents' facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from detente.coding.models import Event
from detente.positions.models import Position, ProcessRecord
from detente.store.derived import DocInfo, codes, day, resolved_day


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
    what: str | None = None
    """What the record says, in one line (``RUS ASSAULT (aerial) → UKR``)."""

    def as_dict(self) -> dict:
        # Every field is a plain value: a copy of the fields, without ``asdict``'s deep
        # copy of each (a matrix or a page of evidence builds hundreds per request).
        return dict(vars(self))


Docs = Mapping[str, DocInfo]


def _names(refs) -> str:
    return ", ".join(codes(refs))


def event_label(event: Event) -> str:
    """``RUS, UKR RETREAT (release) → ARE``; an event without a named actor says so."""
    label = f"{_names(event.actor) or 'unnamed actor'} {event.event_type}"
    label += f" ({event.mode})" if event.mode else ""
    return label + (f" → {_names(event.recipient)}" if event.recipient else "")


def position_label(position: Position) -> str:
    actor = position.actor.code or position.actor.text
    value = "" if position.position is None else f", {position.position:g}/100"
    return f"{actor}: {position.speech_act} on {position.issue} ({position.stance}{value})"


def process_label(record: ProcessRecord) -> str:
    parties = _names(record.parties) or "parties not named"
    parts = [f"{record.kind}: {parties}"]
    if record.status:
        parts.append(record.status.replace("_", " "))
    if record.numbers:
        parts.append(", ".join(f"{k} released {v:g}" for k, v in sorted(record.numbers.items())))
    if record.venue:
        parts.append(f"at {record.venue}")
    if record.mediator:
        parts.append(f"mediated by {record.mediator.code or record.mediator.text}")
    return "; ".join(parts)


def _trimmed(sentence: str, start: int, end: int) -> tuple[str, int, int]:
    """The sentence without surrounding whitespace, offsets moved to match: some stages
    keep the blank after a sentence, which shows as a stray gap in a quote."""
    lead = len(sentence) - len(sentence.lstrip())
    trail = len(sentence) - len(sentence.rstrip())
    if lead + trail == 0 or end - start != len(sentence):
        return sentence.strip(), start, end
    return sentence.strip(), start + lead, end - trail


def _doc(docs: Docs, doc_id: str) -> DocInfo:
    return docs.get(doc_id) or DocInfo(doc_id)


def _record_evidence(docs: Docs, record: Event | Position, kind: str, what: str) -> EvidenceRef:
    doc = _doc(docs, record.doc_id)
    ev = record.evidence
    sentence, start, end = _trimmed(ev.sentence, ev.start, ev.end)
    return EvidenceRef(
        record_id=record.id,
        kind=kind,
        doc_id=record.doc_id,
        sentence=sentence,
        start=start,
        end=end,
        source=doc.outlet_label,
        url=doc.url,
        title=doc.title,
        date=resolved_day(record, doc),
        modality=record.modality,
        what=what,
    )


def event_evidence(docs: Docs, event: Event) -> EvidenceRef:
    return _record_evidence(docs, event, "event", event_label(event))


def position_evidence(docs: Docs, position: Position) -> EvidenceRef:
    return _record_evidence(docs, position, "position", position_label(position))


def record_evidence(docs: Docs, record: Event | Position) -> EvidenceRef:
    if isinstance(record, Event):
        return event_evidence(docs, record)
    return position_evidence(docs, record)


def process_evidence(docs: Docs, record: ProcessRecord) -> list[EvidenceRef]:
    """One reference per source sentence; a source is paired with ``doc_ids`` by position
    unless it names its own ``doc_id``."""
    refs = []
    for i, src in enumerate(record.sources):
        data = src if isinstance(src, dict) else src.model_dump()
        doc_id = data.get("doc_id") or (record.doc_ids[i] if i < len(record.doc_ids) else "")
        if not doc_id and record.doc_ids:
            doc_id = record.doc_ids[0]
        doc = _doc(docs, doc_id)
        sentence, start, end = _trimmed(
            str(data.get("sentence", "")), int(data.get("start", 0)), int(data.get("end", 0))
        )
        refs.append(
            EvidenceRef(
                record_id=record.id,
                kind="process",
                doc_id=doc_id,
                sentence=sentence,
                start=start,
                end=end,
                source=doc.outlet_label,
                url=doc.url,
                title=doc.title,
                date=day(record.date),
                modality=None,
                what=process_label(record),
            )
        )
    return refs
