"""Timeline of the events that mark a peace process: talks, offers, concessions, prisoner
exchanges, ceasefires, threats and armed escalations, plus the merged process records.

Only those PLOVER types are "key": routine accusations or requests would bury the turning
points a reader scans a timeline for; so would events in which no coded actor takes part
("the attack came as…"). Each entry keeps the evidence it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from detente.analysis.corpus import Corpus, day, is_firm
from detente.analysis.dedupe import dedupe_events
from detente.analysis.evidence import (
    EvidenceRef,
    event_evidence,
    event_label,
    process_evidence,
    process_label,
)
from detente.analysis.scoring import codes, event_score, names_a_party
from detente.coding.models import Event

KEY_EVENT_KINDS: dict[str, str] = {
    "CONSULT": "talks",
    "AGREE": "offer/agreement",
    "CONCEDE": "concession",
    "RETREAT": "de-escalation",
    "THREATEN": "threat",
    "ASSAULT": "escalation",
}
"""PLOVER type → timeline kind; RETREAT is refined by mode (release, ceasefire)."""

RETREAT_KINDS = {"release": "exchange", "ceasefire": "ceasefire", "withdraw": "withdrawal"}


@dataclass
class TimelineEntry:
    date: str | None
    kind: str
    label: str
    origin: str
    """``event`` (a deduplicated PLOVER event) or ``process`` (a merged process record)."""
    event_type: str | None = None
    mode: str | None = None
    actors: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    modality: str | None = None
    score: float | None = None
    mentions: int = 1
    record_ids: list[str] = field(default_factory=list)
    evidence: list[EvidenceRef] = field(default_factory=list)


def event_kind(event: Event) -> str | None:
    """The timeline kind of an event, or None when it is not a key event."""
    if event.event_type == "RETREAT" and event.mode in RETREAT_KINDS:
        return RETREAT_KINDS[event.mode]
    return KEY_EVENT_KINDS.get(event.event_type)


def key_timeline(corpus: Corpus, include_speculative: bool = False) -> list[TimelineEntry]:
    """Key events (deduplicated across a story cluster) and process records, by date."""
    entries = []
    keyed = [
        e
        for e in corpus.events
        if event_kind(e) and names_a_party(e) and (include_speculative or is_firm(e.modality))
    ]
    for group in dedupe_events(corpus, keyed):
        e = group.record
        actors, recipients = codes(e.actor), codes(e.recipient)
        label = event_label(e)
        entries.append(
            TimelineEntry(
                date=group.date,
                kind=event_kind(e) or "",
                label=label,
                origin="event",
                event_type=e.event_type,
                mode=e.mode,
                actors=actors,
                recipients=recipients,
                modality=e.modality,
                score=event_score(e),
                mentions=group.mentions,
                record_ids=group.ids,
                evidence=[event_evidence(corpus, m) for m in group.members],
            )
        )
    for record in corpus.process_records:
        entries.append(
            TimelineEntry(
                date=day(record.date),
                kind=record.kind,
                label=process_label(record),
                origin="process",
                actors=codes(record.parties),
                modality=None,
                mentions=max(1, len(record.doc_ids)),
                record_ids=[record.id],
                evidence=process_evidence(corpus, record),
            )
        )
    return sorted(entries, key=lambda t: (t.date is None, t.date or "", t.origin, t.label))
