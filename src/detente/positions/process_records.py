"""Peace-process records — prisoner exchanges, ceasefires and talks — built from events.

The event coder gives every event that proposes, agrees, carries out, violates or ends an
exchange, a ceasefire or talks a ``topic``, a ``stage`` and its roles (who releases whom,
mediator, venue, level, start day; ``coding/roles.py``). A record is the aggregation of such
events, so records can be recomputed from stored events alone:

- modality gates status: a negated event makes no record; a speculative or hypothetical one
  only a *proposed* one; a future one a planned/agreed one; an asserted or reported past
  one a held/implemented/in-effect one;
- an exchange's numbers count the people released, keyed by the side that released them
  (``docs/process_records.md``); people whose releaser the text leaves out were released by
  the other belligerent;
- ``extract_process_records`` folds one document's events together; ``merge_process_records``
  folds the reports of many documents (same kind, overlapping parties, dates within ±3 days,
  compatible numbers) while keeping every source.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable

from detente.coding.models import FIRM_MODALITIES, ActorRef, Event
from detente.coding.places import resolve_place
from detente.coding.roles import is_country_name
from detente.ingest.models import Document
from detente.nlp.headlines import headline_end
from detente.positions import collaborators
from detente.positions.models import PositionEvidence, ProcessRecord
from detente.positions.process_detect import SPEECH_TYPES, detect_process
from detente.positions.taxonomy import TaxonomyError, load_process
from detente.store.records import MergeRule

DATE_WINDOW_DAYS = 3
NUMBER_TOLERANCE = 0.05
STATUS_ORDER = {
    "proposed": 0,
    "planned": 0,
    "agreed": 1,
    "held": 2,
    "implemented": 2,
    "in_effect": 2,
    "violated": 3,
    "collapsed": 4,
    "ended": 4,
}
UNKNOWN = "unknown"
UNSURE = frozenset({"hypothetical", "speculative"})
EACH = "each"

_DONE = {"exchange": "implemented", "talks": "held", "ceasefire": "in_effect"}
_AGREED = {"exchange": "agreed", "talks": "planned", "ceasefire": "agreed"}
_ENDED = {"exchange": None, "talks": "ended", "ceasefire": "collapsed"}


def record_status(event: Event) -> str | None:
    """The status an event gives its record, gated by its modality (talks it only mentions
    by their own stage); ``None``: no record."""
    kind, stage, modality = event.topic, event.stage, event.modality
    if event.occasion == "mentioned":
        # "not anticipating results from the talks set to take place today": the noun
        # phrase says what the talks are, whatever is denied or doubted around it
        modality = "asserted"
    if kind is None or stage is None or modality == "negated":
        return None
    if modality in UNSURE:
        return "proposed" if stage == "proposed" and kind != "talks" else None
    if stage == "proposed":
        return "planned" if kind == "talks" else "proposed"
    if stage == "violated":
        return "violated" if kind == "ceasefire" else None
    if stage == "ended":
        return _ENDED[kind]
    if stage == "done" and modality in FIRM_MODALITIES:
        return _DONE[kind]
    if kind == "ceasefire" and stage == "agreed" and modality == "future":
        return "proposed"
    return _AGREED[kind]


def occasion_status(event: Event) -> str | None:
    """Talks an event happened at were held, or are planned when the event is to come."""
    if event.occasion != "talks" or event.modality in UNSURE | {"negated"}:
        return None
    return "planned" if event.modality == "future" else "held"


def extract_process_records(
    document: Document, events: list[Event], process: str | None = None
) -> list[ProcessRecord]:
    """Exchanges, ceasefires and talks one document reports, from its coded events alone
    (of ``process``, or else of the process whose belligerents it names)."""
    process = process or detect_process(document.clean_text, events)
    sides = _belligerents(process)
    body = headline_end(document.clean_text)
    statuses = [(e, s) for e in events if (s := record_status(e)) is not None]
    found = [(e, s) for e, s in statuses if e.evidence.start >= body]
    if not any(e.topic == "ceasefire" for e, _ in found):
        # "Russia and Turkey agree to ceasefire in Idlib": a ceasefire the headline alone
        # states is the story's ceasefire; other headline events restate the body's
        found += [(e, s) for e, s in statuses if e.evidence.start < body and e.topic == "ceasefire"]
    records: list[ProcessRecord] = []
    exchanges = [(e, s) for e, s in found if e.topic == "exchange"]
    bodies = [(e, s) for e, s in exchanges if _only_bodies(e)]
    people = [(e, s) for e, s in exchanges if not _only_bodies(e)]
    for group in [*_by_date(people, document), *_by_date(bodies, document)]:
        record = _exchange(group, sides, document, process, events)
        if record is not None:
            records.append(record)
    ceasefires = [(e, s) for e, s in found if e.topic == "ceasefire"]
    if ceasefires:
        records.append(_ceasefire(ceasefires, sides, document, process))
    talks = [(e, s) for e, s in found if e.topic == "talks"]
    talks += [
        (event, status)
        for event in events
        if event.evidence.start >= body
        and event.topic != "talks"
        and (status := occasion_status(event)) is not None
    ]
    talks.sort(key=lambda item: item[0].evidence.start)
    meetings = [
        (record, all(e.mode == "phone" for e, _ in group))
        for group in _talks_groups(talks)
        if (record := _talks(group, sides, document, process, events)) is not None
    ]
    return records + _shared_venue(meetings)


def _shared_venue(meetings: list[tuple[ProcessRecord, bool]]) -> list[ProcessRecord]:
    """Articles name a meeting's place once: a meeting without one (and not held by phone)
    takes the place of the document's other meetings when they all name the same one."""
    places = {m.venue for m, _ in meetings if m.venue}
    filled = []
    for record, by_phone in meetings:
        if record.venue is None and not by_phone and len(places) == 1:
            record = record.model_copy(update={"venue": next(iter(places))})
        filled.append(record)
    return filled


def _belligerents(process: str | None) -> list[str]:
    if not process:
        return []
    try:
        return load_process(process).belligerents()
    except TaxonomyError:
        return []


# -- grouping ------------------------------------------------------------------------------


def _only_bodies(event: Event) -> bool:
    """A repatriation of the dead is an occurrence of its own, not part of a prisoner swap."""
    counted = [p for p in event.released if p.count is not None]
    return bool(counted) and all(p.category == "bodies" for p in counted)


def _own_date(event: Event) -> str | None:
    """The date the sentence gives the event itself ("on September 22"), not publication's;
    talks mentioned beside an event do not take its date."""
    if event.occasion == "mentioned":
        return None
    return event.date if event.date and event.date_text else None


def _by_date(found: list[tuple[Event, str]], document: Document) -> list[list[tuple]]:
    """One group per occurrence: a sentence dated days apart from the story's exchange
    ("this follows a smaller one on October 18") tells another one."""
    groups: list[list[tuple[Event, str]]] = []
    for item in found:
        day = collaborators.parse_day(_own_date(item[0]))
        for group in groups:
            days = [collaborators.parse_day(_own_date(e)) for e, _ in group]
            days = [d for d in days if d]
            if (
                day is None
                or not days
                or any(abs((day - d).days) <= DATE_WINDOW_DAYS for d in days)
            ):
                group.append(item)
                break
        else:
            groups.append([item])
    return groups


def _country(venue: str) -> str:
    """Istanbul and Turkey are one meeting place; an unknown place is only itself."""
    place = resolve_place(venue)
    return place.country if place is not None else venue




def _talks_groups(found: list[tuple[Event, str]]) -> list[list[tuple]]:
    """Held and planned meetings apart; within each, meetings in different places or of
    different sides apart (Ukraine meeting its European partners before meeting Russia)."""
    groups: list[list[tuple[Event, str]]] = []
    for item in found:
        event, status = item
        sides = set(_talks_parties([event])[0])
        for group in groups:
            venues = {_country(e.venue) for e, _ in group if e.venue}
            place = _country(event.venue) if event.venue else None
            known = set(_talks_parties([e for e, _ in group])[0])
            apart = sides and known and not (sides <= known or known <= sides)
            if (
                group[0][1] == status
                and not apart
                and not (place and venues and place not in venues)
            ):
                group.append(item)
                break
        else:
            groups.append([item])
    return groups


# -- record builders -----------------------------------------------------------------------


def _codes(refs: Iterable[ActorRef]) -> list[str]:
    return [r.code for r in refs if r.code and r.code != "IGO"]


def _mediator(
    group: list[Event], events: list[Event], parties: set[str], ahead: bool = False
) -> ActorRef | None:
    """The group's mediator, else one named in a sentence next to the group's (a swap's
    "Qatar brokered the deal" often stands apart from its counts), else the one mediator
    the document names — for what happened, not for a meeting ``ahead``."""
    near = {e.sentence_index + d for e in group for d in (-1, 0, 1)}
    candidates = [e.mediator for e in group] + [
        e.mediator for e in events if e.sentence_index in near
    ]
    named = Counter(e.mediator.code for e in events if e.mediator and e.mediator.code)
    if len(named) == 1 and not ahead:
        candidates += [next(e.mediator for e in events if e.mediator)]
    for ref in candidates:
        if ref is not None and (ref.code not in parties or ref.code == "IGO"):
            return ref
    return None


def _status(found: list[tuple[Event, str]]) -> str:
    return max((s for _, s in found), key=lambda s: STATUS_ORDER.get(s, -1))


def _exchange(
    found: list[tuple[Event, str]],
    sides: list[str],
    document: Document,
    process: str | None,
    events: list[Event],
) -> ProcessRecord | None:
    group = [e for e, _ in found]
    numbers: dict[str, float] = {}
    unassigned: list[float] = []
    categories: set[str] = set()
    parties: dict[str, ActorRef] = {}
    dyad = list(sides)
    for event in group:
        for ref in [*event.actor, *event.recipient, *event.releasing, *event.receiving]:
            if ref.code and ref.code != "IGO":
                parties.setdefault(ref.code, ref)
    if len(dyad) < 2:
        dyad = list(dict.fromkeys(dyad + list(parties)))[:2]
    named: dict[str, int] = {}
    for event in group:
        for people in event.released:
            if people.category:
                categories.add(people.category)
            by = people.by
            if by is None and people.side:
                by = _other(people.side, dyad)
            if by is None and event.receiving:
                by = _other(event.receiving[0].code or "", dyad)
            if people.count is None:
                if by and by != EACH:
                    named[by] = named.get(by, 0) + 1
                continue
            if by == EACH:
                if len(dyad) == 2:
                    for code in dyad:
                        numbers.setdefault(code, people.count)
            elif by:
                numbers.setdefault(by, people.count)
            else:
                unassigned.append(people.count)
    for count in unassigned:
        missing = [c for c in dyad if c not in numbers]
        if len(missing) == 1 or (missing and len(dyad) == 1):
            numbers[missing[0]] = count
        elif count not in numbers.values():
            numbers[UNKNOWN] = max(numbers.get(UNKNOWN, 0), count)
    for code, count in named.items():
        numbers.setdefault(code, count)
    if (
        not numbers
        and not any(c.startswith("named") for c in categories)
        and not any(s in {"implemented", "agreed"} for _, s in found)
    ):
        return None
    for code in numbers:
        if code != UNKNOWN and code not in parties:
            parties[code] = ActorRef(text=code, code=code)
    mediator = _mediator(group, events, set(numbers) | set(dyad))
    if mediator is not None:
        parties.pop(mediator.code or "", None)
    involved = set(numbers) | set(dyad)
    kept = [p for code, p in parties.items() if code in involved] or list(parties.values())
    # "the two sides agreed to exchange prisoners": the document's belligerents
    kept = kept or [ActorRef(text=code, code=code) for code in dyad]
    return _record(
        "exchange",
        found,
        document,
        process,
        parties=kept,
        numbers=numbers,
        categories=sorted(categories),
        mediator=mediator,
    )


def _other(code: str, dyad: list[str]) -> str | None:
    """The belligerent holding a side's people: the other one of the dyad."""
    if code in dyad and len(dyad) == 2:
        return dyad[1 - dyad.index(code)]
    return None


def _event_parties(group: list[Event], mediator: ActorRef | None) -> dict[str, ActorRef]:
    """The sides a group's events name; one accusing or urging others is not one of them."""
    parties: dict[str, ActorRef] = {}
    for event in group:
        actors = [] if event.event_type in SPEECH_TYPES else event.actor
        for ref in [*actors, *event.recipient, *event.parties]:
            if ref.code and ref.code != "IGO" and (mediator is None or ref.code != mediator.code):
                parties.setdefault(ref.code, ref)
    return parties


def _ceasefire(
    found: list[tuple[Event, str]], sides: list[str], document: Document, process: str | None
) -> ProcessRecord:
    """A ceasefire binds the belligerents its events name; the document's dyad stands in
    when they name one of its sides or none ("the two countries agreed to a ceasefire")."""
    group = [e for e, _ in found]
    mediator = next((e.mediator for e in group if e.mediator), None)
    parties = _event_parties(group, mediator)
    # a ceasefire binds the belligerents; others its events name guarantee, urge or report it
    parties = {c: ref for c, ref in parties.items() if c in sides or not sides}
    if sides and len(parties) < 2:
        parties = {c: parties.get(c) or ActorRef(text=c, code=c) for c in sides}
    if mediator is not None and mediator.code in parties:
        mediator = None
    starts = next((e.starts for e in group if e.starts), None)
    agreed = next((_own_date(e) or e.date for e, s in found if s == "agreed"), None)
    record = _record(
        "ceasefire",
        found,
        document,
        process,
        parties=list(parties.values()),
        mediator=mediator,
        scope=sorted({s for e in group for s in e.scope}),
        monitoring=next((e.monitoring for e in group if e.monitoring), None),
        conditions=list(dict.fromkeys(c for e in group for c in e.conditions)),
    )
    if starts:
        record = record.model_copy(
            update={"date": starts, "start": starts, "agreed": agreed if agreed != starts else None}
        )
    ended = [_own_date(e) or e.date for e, s in found if s == "collapsed"]
    if record.status == "collapsed" and any(ended):
        # the story's latest word on the truce: it collapsed, on this day
        record = record.model_copy(update={"end": max(d for d in ended if d)})
    return record


def _host(event: Event) -> str | None:
    """The country of the meeting place: a locative recipient, not a participant."""
    if event.location is not None and event.location.country:
        return event.location.country
    place = resolve_place(event.venue) if event.venue else None
    return place.country if place is not None else None


_PLACE_NOUNS = frozenset({"capital", "city", "town", "resort", "port", "residence"})


def _names_venue(ref: ActorRef, event: Event, host: str | None) -> bool:
    """An actor read off the meeting place ("ended in the South African administrative
    capital Pretoria") is where the sides met, not one of them."""
    if event.venue and event.venue in ref.text:
        return True
    words = ref.text.lower().split()
    return bool(words) and ref.code == host and words[-1] in _PLACE_NOUNS


def _talks_parties(group: list[Event]) -> tuple[dict[str, ActorRef], ActorRef | None]:
    """Who meets: the sides a meeting is said to be between, else the event's actor and
    recipient (not a visit's host, which is the venue). Someone announcing or welcoming
    talks between others is their facilitator."""
    parties: dict[str, ActorRef] = {}
    facilitator = None
    for event in group:
        named = [r for r in event.parties if r.code]
        if event.occasion == "mentioned":
            refs = named  # talks beside the event: its actors are not their sides
        elif named:
            refs = named
            outside = [a for a in event.actor if a.code and a.code not in {r.code for r in named}]
            facilitator = facilitator or (outside[0] if outside else None)
        else:
            host = _host(event)
            # what one side did at talks ("after talks in Jeddah, the army committed in a
            # declaration to …") is addressed to whoever; its actors are the ones there
            addressed = event.recipient if event.topic == "talks" else []
            # "talks mediated by Qatar and Egypt": actors among whom is the mediator mediate
            mediating = event.mediator is not None and event.mediator.code in {
                a.code for a in event.actor
            }
            refs = [
                *(
                    a
                    for a in event.actor
                    if not mediating and not _names_venue(a, event, host)
                ),
                *(r for r in addressed if r.code != host),
            ]
        for ref in refs:
            if ref.code and ref.code != "IGO":
                parties.setdefault(ref.code, ref)
    return parties, facilitator


def _talks(
    found: list[tuple[Event, str]],
    sides: list[str],
    document: Document,
    process: str | None,
    events: list[Event],
) -> ProcessRecord | None:
    group = [e for e, _ in found]
    parties, facilitator = _talks_parties(group)
    ahead = all(status == "planned" for _, status in found)
    mediator = _mediator(group, events, set(sides), ahead) or facilitator
    if mediator is not None:
        if mediator.code in set(sides):
            mediator = None
        else:
            parties.pop(mediator.code or "", None)
    if sides and set(parties) <= set(sides):
        parties = {c: parties.get(c) or ActorRef(text=c, code=c) for c in sides}
    if not parties:
        return None
    venues = [e.venue for e in group if e.venue]
    venue = min(venues, key=lambda v: (is_country_name(v), venues.index(v)), default=None)
    level = next((e.level for e in group if e.level), None)
    return _record(
        "talks",
        found,
        document,
        process,
        parties=list(parties.values()),
        mediator=mediator,
        venue=venue,
        level=level,
    )


def _record(
    kind: str,
    found: list[tuple[Event, str]],
    document: Document,
    process: str | None,
    **fields,
) -> ProcessRecord:
    group = [e for e, _ in found]
    date = next((d for e in group if (d := _own_date(e))), None)
    date = date or next((e.date for e in group if e.date and e.occasion != "mentioned"), None)
    date = date or (document.published or "")[:10] or None
    sources = [
        PositionEvidence(sentence=e.evidence.sentence, start=e.evidence.start, end=e.evidence.end)
        for e in group
    ]
    sources = list({s.start: s for s in sources}.values())
    firm = sum(e.modality in FIRM_MODALITIES for e in group)
    record = ProcessRecord(
        id="",
        kind=kind,
        process=process,
        date=date,
        status=_status(found),
        sources=sources,
        doc_ids=[document.doc_id],
        event_ids=[e.id for e in group],
        confidence=round(min(0.9, 0.5 + 0.1 * bool(fields.get("parties")) + 0.05 * firm), 2),
        **fields,
    )
    return record.model_copy(update={"id": _record_id(record)})


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
            "start": into.start or other.start,
            "agreed": into.agreed or other.agreed,
            "sources": into.sources + other.sources,
            "doc_ids": list(dict.fromkeys(into.doc_ids + other.doc_ids)),
            "event_ids": list(dict.fromkeys(into.event_ids + other.event_ids)),
            "confidence": round(min(0.95, max(into.confidence, other.confidence) + 0.05), 2),
        }
    )


class _Founders:
    """Where each merged record can be found again: by kind, day and party code.

    :func:`same_occurrence` only joins records of one kind whose days are at most
    ``DATE_WINDOW_DAYS`` apart (or both undated) and whose parties overlap (or one names
    none), so a record is compared only with the merged records filed under its kind, the
    days of its window and its own codes (plus those naming no party) — a bounded few
    however many other dyads' records the merge holds."""

    ANY = "*"  # filed here: a merged record naming no party, comparable with every record

    def __init__(self) -> None:
        self._filed: dict[tuple[str, dt.date | None, str | None], set[int]] = {}
        self._by_day: dict[tuple[str, dt.date | None], set[int]] = {}

    def file(self, at: int, record: ProcessRecord) -> None:
        """File (again) under the record's current day and codes: a fold only ever adds
        codes, and an entry left from before it only costs one more comparison."""
        day = _day(record.date)
        self._by_day.setdefault((record.kind, day), set()).add(at)
        for code in party_codes(record) or [self.ANY]:
            self._filed.setdefault((record.kind, day, code), set()).add(at)

    def near(self, record: ProcessRecord) -> list[int]:
        """Positions of the merged records that may be the same occurrence, in list order."""
        day = _day(record.date)
        window = range(-DATE_WINDOW_DAYS, DATE_WINDOW_DAYS + 1)
        days = [day] if day is None else [day + dt.timedelta(days=d) for d in window]
        codes = party_codes(record)
        if not codes:  # a record naming no party is comparable with every one of its window
            found = [self._by_day.get((record.kind, d), ()) for d in days]
        else:
            keys = [(record.kind, d, c) for d in days for c in [*codes, self.ANY]]
            found = [self._filed.get(key, ()) for key in keys]
        return sorted(set().union(*found))

    def forget(self, before: dt.date) -> set[int]:
        """Unfile every record filed under a day before ``before`` and say which they were."""
        gone = [key for key in self._by_day if key[1] is not None and key[1] < before]
        positions = set().union(*(self._by_day.pop(key) for key in gone))
        for key in [k for k in self._filed if k[1] is not None and k[1] < before]:
            del self._filed[key]
        return positions


class ProcessMerge:
    """The merge as a stream: reports go in :func:`merge_order`, each folding into the
    first open merged record it is the same occurrence as, else founding one.

    Given in that order, a report's day is never before an earlier one's, so once a report
    of day *d* arrives no later report can join a record dated before *d* −
    ``DATE_WINDOW_DAYS``: :meth:`add` closes such records and hands them back, and only
    the records of the last window (plus undated ones, which every undated report may
    join) stay in memory. Dates are ISO days, as the coder writes them."""

    def __init__(self) -> None:
        self._open: dict[int, ProcessRecord] = {}
        self._founders = _Founders()
        self._founded = 0
        self._closed_before: dt.date | None = None

    @property
    def open(self) -> int:
        """How many merged records are held."""
        return len(self._open)

    def add(self, record: ProcessRecord) -> tuple[int, list[tuple[int, ProcessRecord]]]:
        """Fold one report in: the position (founding order) of the merged record it went
        into, and the records closed before it with their positions, in founding order."""
        closed: list[tuple[int, ProcessRecord]] = []
        day = _day(record.date)
        if day is not None:
            before = day - dt.timedelta(days=DATE_WINDOW_DAYS)
            if self._closed_before is None or before > self._closed_before:
                self._closed_before = before
                closed = [(i, self._open.pop(i)) for i in sorted(self._founders.forget(before))]
        for i in self._founders.near(record):
            if same_occurrence(self._open[i], record):
                self._open[i] = _fold(self._open[i], record)
                self._founders.file(i, self._open[i])
                return i, closed
        at = self._founded
        self._founded += 1
        self._open[at] = record
        self._founders.file(at, record)
        return at, closed

    def finish(self) -> list[tuple[int, ProcessRecord]]:
        """The records still open with their positions, in founding order; the merge is
        then empty."""
        rest = [(i, self._open[i]) for i in sorted(self._open)]
        self._open.clear()
        self._founders = _Founders()
        return rest


def party_codes(record: ProcessRecord) -> list[str | None]:
    """The codes :func:`_parties_compatible` compares (an uncoded party counts as ``None``)."""
    return list(dict.fromkeys(p.code for p in record.parties))


def merge_order(record: ProcessRecord) -> tuple[str, str]:
    """The order reports are folded in: by date, the first report of a day founding."""
    return (record.date or "", record.id)


def merge_with_members(
    records: list[ProcessRecord],
) -> tuple[list[ProcessRecord], list[int]]:
    """:func:`merge_process_records`, also telling, for each report as given, the position
    of the merged record it went into (what the store keeps to re-merge a window only)."""
    merge = ProcessMerge()
    done: dict[int, ProcessRecord] = {}
    into = [0] * len(records)
    for at in sorted(range(len(records)), key=lambda i: merge_order(records[i])):
        into[at], closed = merge.add(records[at])
        done.update(closed)
    done.update(merge.finish())
    return [done[i] for i in range(len(done))], into


def merge_process_records(records: Iterable[ProcessRecord]) -> list[ProcessRecord]:
    """One record per occurrence, in date order; the first report's id is kept.

    Reports are folded in :func:`merge_order`, each into the first merged record it is the
    same occurrence as; :class:`_Founders` finds the merged records worth asking."""
    return merge_with_members(list(records))[0]


MERGE_RULE = MergeRule(
    merge_process_records, DATE_WINDOW_DAYS, members=merge_with_members, order=merge_order
)
"""How ``detente code`` and ``detente load`` merge process records in the store."""
