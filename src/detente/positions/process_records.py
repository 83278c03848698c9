"""Peace-process records: prisoner exchanges, ceasefires and talks, one per real occurrence.

``extract_process_records`` reads one document; ``merge_process_records`` folds the reports of
many documents together (same kind, overlapping parties, dates within ±3 days, compatible
numbers) while keeping every source, so a swap reported by five outlets is one record with
five sources rather than five swaps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from detente.coding.event_dates import resolve_event_date
from detente.coding.models import Event
from detente.ingest.models import Document
from detente.nlp.headlines import headline_end
from detente.nlp.sentences import trimmed
from detente.positions import collaborators
from detente.positions.models import PositionEvidence, ProcessRecord
from detente.positions.process_detect import detect_process
from detente.positions.process_readers import Reading, SentenceReader
from detente.positions.taxonomy import load_process, process_names
from detente.store.records import replace_process_records

DATE_WINDOW_DAYS = 3
SENTENCE_WINDOW = 2
NUMBER_TOLERANCE = 0.05
STATUS_ORDER = {
    "proposed": 0,
    "planned": 0,
    "declared": 1,
    "held": 1,
    "in_effect": 2,
    "violated": 3,
}
UNKNOWN = "unknown"


def extract_process_records(
    document: Document, parsed: Doc, events: list[Event], process: str | None = None
) -> list[ProcessRecord]:
    """Exchanges, ceasefires and talks reported in one document (of ``process``, or else of
    the process whose belligerents it names)."""
    process = process or detect_process(document.clean_text)
    reader = SentenceReader(document.published, process)
    dates = {e.sentence_index: e.date for e in events if e.date and e.date_text}
    body = headline_end(document.clean_text)
    readings: list[Reading] = []
    for index, sent in enumerate(parsed.sents):
        if sent.end_char <= body:
            continue
        for read in (
            reader.exchange(sent, index),
            reader.ceasefire(sent, index, _not_hypothetical),
            reader.talks(sent, index, collaborators.modality_of),
        ):
            if read is not None:
                readings.append(read)
    records = []
    for group in _group_exchanges([r for r in readings if r.kind == "exchange"]):
        records.append(_exchange_record(group, document, dates, process))
    for read in readings:
        if read.kind != "exchange":
            records.append(_record(read.kind, [read], document, dates, process))
    return records


def _not_hypothetical(sent: Span, verb: Token) -> bool:
    return collaborators.modality_of(sent, verb) not in {"hypothetical", "speculative", "negated"}


def _group_exchanges(readings: list[Reading]) -> list[list[Reading]]:
    """A swap is often told over several sentences ("… the return of 215 POWs. … In return,
    Ukraine released 55 Russian POWs."); nearby exchange sentences are one exchange."""
    groups: list[list[Reading]] = []
    for read in readings:
        last = groups[-1] if groups else None
        close = (
            last is not None and read.sentence_index - last[-1].sentence_index <= SENTENCE_WINDOW
        )
        incomplete = last is not None and any(r.unassigned for r in last) and len(read.numbers) < 2
        if close and (read.continues or incomplete):
            last.append(read)
        else:
            groups.append([read])
    return groups


def _other_side(known: set[str], process: str | None) -> str | None:
    """The belligerent that released the counts a text leaves unattributed."""
    names = [process] if process else process_names()
    for name in names:
        sides = load_process(name).belligerents()
        if known and known <= set(sides) and len(sides) == len(known) + 1:
            return next(s for s in sides if s not in known)
    return None


def _exchange_record(
    group: list[Reading], document: Document, dates: dict, process: str | None
) -> ProcessRecord:
    record = _record("exchange", group, document, dates, process)
    numbers = dict(record.numbers)
    unassigned = sum(v for r in group for v in r.unassigned)
    if unassigned:
        other = _other_side(set(numbers), process) or UNKNOWN
        numbers[other] = numbers.get(other, 0) + unassigned
        if other != UNKNOWN and other not in {p.code for p in record.parties}:
            record.parties.append(collaborators.resolve_actor(other, None, process) or _ref(other))
    return record.model_copy(update={"numbers": numbers})


def _ref(code: str):
    from detente.coding.models import ActorRef

    return ActorRef(text=code, code=code)


def _record(
    kind: str, group: list[Reading], document: Document, dates: dict, process: str | None
) -> ProcessRecord:
    first = group[0]
    parties: dict[str, object] = {}
    numbers: dict[str, float] = {}
    for read in group:
        for party in read.parties:
            parties.setdefault(party.code, party)
        for code, value in read.numbers.items():
            numbers[code] = numbers.get(code, 0) + value
    date = next((d for r in group if (d := _own_date(r, document))), None)
    date = date or next((dates[r.sentence_index] for r in group if r.sentence_index in dates), None)
    date = date or (document.published or "")[:10] or None
    sources = [
        PositionEvidence(
            sentence=trimmed(r.sent).text,
            start=trimmed(r.sent).start_char,
            end=trimmed(r.sent).end_char,
        )
        for r in group
    ]
    record = ProcessRecord(
        id="",
        kind=kind,
        process=process,
        parties=list(parties.values()),
        date=date,
        status=first.status,
        numbers=numbers,
        categories=sorted({c for r in group for c in r.categories}),
        mediator=next((r.mediator for r in group if r.mediator), None),
        venue=first.venue,
        level=first.level,
        scope=first.scope or [],
        conditions=first.conditions or [],
        monitoring=first.monitoring,
        outcome=first.outcome,
        sources=sources,
        doc_ids=[document.doc_id],
        confidence=0.5 + 0.1 * bool(parties) + 0.1 * bool(numbers or first.status),
    )
    return record.model_copy(update={"id": _record_id(record)})


def _own_date(read: Reading, document: Document) -> str | None:
    """The date the sentence gives its own verb ("in the night of September 22")."""
    if read.trigger is None:
        return None
    published = collaborators.parse_day(document.published)
    iso, text, _ = resolve_event_date(read.sent, read.trigger, published)
    return iso if text else None


def _record_id(record: ProcessRecord) -> str:
    codes = ",".join(sorted(p.code or "" for p in record.parties))
    first = record.sources[0] if record.sources else None
    where = first.start if isinstance(first, PositionEvidence) else ""
    doc = record.doc_ids[0] if record.doc_ids else ""
    key = f"{record.kind}|{record.date}|{codes}|{doc}|{where}"
    return f"{record.kind[:2]}_" + hashlib.sha1(key.encode()).hexdigest()[:16]


# -- merging across documents -------------------------------------------------------------


def _day(value: str | None) -> dt.date | None:
    return collaborators.parse_day(value)


def _dates_close(a: ProcessRecord, b: ProcessRecord) -> bool:
    da, db = _day(a.date), _day(b.date)
    if da is None or db is None:
        return da is None and db is None
    return abs((da - db).days) <= DATE_WINDOW_DAYS


def _numbers_compatible(a: dict[str, float], b: dict[str, float]) -> bool:
    for code in set(a) & set(b) - {UNKNOWN}:
        if abs(a[code] - b[code]) > max(1.0, NUMBER_TOLERANCE * max(a[code], b[code])):
            return False
    return True


def _parties_compatible(a: ProcessRecord, b: ProcessRecord) -> bool:
    ca, cb = {p.code for p in a.parties}, {p.code for p in b.parties}
    if not ca or not cb:
        return True
    return ca <= cb or cb <= ca if a.kind != "exchange" else bool(ca & cb)


def same_occurrence(a: ProcessRecord, b: ProcessRecord) -> bool:
    if a.kind != b.kind or not _dates_close(a, b) or not _parties_compatible(a, b):
        return False
    if a.kind == "exchange":
        return _numbers_compatible(a.numbers, b.numbers)
    if a.kind == "talks":
        if a.status != b.status and set(a.doc_ids) & set(b.doc_ids):
            return False
        return not (a.venue and b.venue and a.venue != b.venue)
    return not (
        a.scope
        and b.scope
        and "unspecified" not in a.scope + b.scope
        and not set(a.scope) & set(b.scope)
    )


def _fold(into: ProcessRecord, other: ProcessRecord) -> ProcessRecord:
    parties = {p.code: p for p in into.parties}
    for party in other.parties:
        parties.setdefault(party.code, party)
    numbers = dict(other.numbers)
    numbers.update({k: v for k, v in into.numbers.items() if k != UNKNOWN or k not in numbers})
    status = max((into.status, other.status), key=lambda s: STATUS_ORDER.get(s or "", -1))
    dates = sorted(d for d in (into.date, other.date) if d)
    return into.model_copy(
        update={
            "parties": list(parties.values()),
            "numbers": numbers,
            "date": dates[0] if dates else None,
            "status": status,
            "categories": sorted(set(into.categories) | set(other.categories)),
            "mediator": into.mediator or other.mediator,
            "venue": into.venue or other.venue,
            "level": into.level or other.level,
            "scope": sorted(set(into.scope) | set(other.scope)),
            "conditions": list(dict.fromkeys(into.conditions + other.conditions)),
            "monitoring": into.monitoring or other.monitoring,
            "outcome": into.outcome or other.outcome,
            "sources": into.sources + other.sources,
            "doc_ids": list(dict.fromkeys(into.doc_ids + other.doc_ids)),
            "confidence": round(min(0.95, max(into.confidence, other.confidence) + 0.05), 2),
        }
    )


def merge_process_records(records: Iterable[ProcessRecord]) -> list[ProcessRecord]:
    """One record per occurrence, in date order; the first report's id is kept."""
    merged: list[ProcessRecord] = []
    for record in sorted(records, key=lambda r: (r.date or "", r.id)):
        for i, existing in enumerate(merged):
            if same_occurrence(existing, record):
                merged[i] = _fold(existing, record)
                break
        else:
            merged.append(record)
    return merged


def rebuild_process_records(
    conn: sqlite3.Connection, records: Iterable[ProcessRecord]
) -> list[ProcessRecord]:
    """Merge every document's records and replace the stored set with the result."""
    merged = merge_process_records(records)
    replace_process_records(conn, merged)
    return merged
