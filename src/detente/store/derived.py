"""Facts derived from each stored record and its document, kept in columns for SQL.

Analyses ask questions no single record column answers: on which day did it happen (its
own date, else the article's), which story does it belong to, is it firm, which peace
process is it about, which merged item does it count as. Answering them in Python needs
every record in memory; computing them once per record and storing them beside it lets
:mod:`detente.store.queries` filter and aggregate in the database.

Merged items: records of one story cluster with the same type (or, for positions, actor,
issue, speech act and stance), codes, resolved day and firmness share a ``merge_key``; the
firmest, most confident of them (then the smallest id) is the item's ``lead``, the one
record aggregations count, so a syndicated story counts once without grouping at read
time. Leads are recomputed for every story a derivation touches.

Derivation is lazy and idempotent: :func:`derive_pending` fills every row whose
``derived`` column is NULL (rows written by :func:`detente.store.records.replace_doc_records`,
by a bulk loader, or before the migration that added the columns), one document at a time,
so a document's records always agree on the links between them. Readers call it first.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from urllib.parse import urlparse

from detente.coding import ontology
from detente.coding.models import FIRM_MODALITIES, ActorRef, Event
from detente.positions.models import Position
from detente.positions.taxonomy import TaxonomyError, load_process, process_names
from detente.store.db import transaction

MODALITY_RANK = {
    "asserted": 0, "reported": 1, "future": 2, "speculative": 3, "hypothetical": 4, "negated": 5,
}  # fmt: skip
"""Firmest first: a merged item takes the modality of its firmest report."""

KEY_EVENT_KINDS: dict[str, str] = {
    "CONSULT": "talks",
    "AGREE": "offer/agreement",
    "CONCEDE": "concession",
    "RETREAT": "de-escalation",
    "THREATEN": "threat",
    "ASSAULT": "escalation",
}
"""PLOVER type → timeline kind; RETREAT is refined by mode (release, ceasefire). Only these
types mark the turning points a reader scans a timeline for."""

RETREAT_KINDS = {"release": "exchange", "ceasefire": "ceasefire", "withdraw": "withdrawal"}

PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you"})
"""Attributions that name nobody a reader could recognise; not counted as "quoted"."""

TITLE_CHARS = 48
"""Longest article title shown in place of an unknown outlet."""

BATCH_DOCS = 500
"""Documents derived per transaction: short write locks, bounded memory."""

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def day(value: str | None) -> str | None:
    """The ``YYYY-MM-DD`` prefix of an ISO date or datetime; None for partial or missing dates."""
    if value and _ISO_DAY.match(value):
        return value[:10]
    return None


def is_firm(modality: str) -> bool:
    return modality in FIRM_MODALITIES


def week_start(value: str) -> str:
    """The Monday of the ISO week holding ``value``: where a weekly point is plotted."""
    d = date.fromisoformat(value)
    return (d - timedelta(days=d.weekday())).isoformat()


@dataclass(frozen=True)
class DocInfo:
    """The document facts analyses need; ``mentions`` is the size of its story cluster."""

    doc_id: str
    cluster_id: str | None = None
    source: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    mentions: int = 1

    @property
    def outlet(self) -> str:
        """The outlet name, else the URL's host, else the document id (never empty)."""
        if self.source:
            return self.source
        host = urlparse(self.url).netloc if self.url else ""
        return host.removeprefix("www.") or self.doc_id

    @property
    def outlet_label(self) -> str:
        """The outlet as a reader should see it: a name or host, else the article's title
        (a bare document id tells a reader nothing)."""
        if self.source or self.url:
            return self.outlet
        if self.title:
            title = " ".join(self.title.split())
            short = title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"
            return f"“{short}”"
        return f"document {self.doc_id}"

    @property
    def story(self) -> str:
        """The story the document belongs to: its cluster, or itself when unclustered."""
        return self.cluster_id or self.doc_id


def resolved_day(record: Event | Position, doc: DocInfo) -> str | None:
    """The record's own day, else its document's publication day.

    A firm (asserted/reported) record cannot have happened after the article reporting
    it was published: such a day is a misread date (a year guessed wrong, a reference
    list), so the publication day stands in for it."""
    own, published = day(record.date), day(doc.published)
    if own and published and own > published and is_firm(record.modality):
        return published
    return own or published


def said_on(record: Event | Position, doc: DocInfo) -> str | None:
    """The day the record's news was published, else its own day: when a signal was
    sent, which for a threat or a planned meeting is not the day it refers to."""
    return day(doc.published) or day(record.date)


def signal_day(record: Event | Position, doc: DocInfo) -> str | None:
    """A firm item counts on the day it happened; a forecast, condition or denial on the
    day it was said (the signal is sent that week)."""
    return resolved_day(record, doc) if is_firm(record.modality) else said_on(record, doc)


def event_score(event: Event) -> float:
    """The coder's own score, else the PLOVER table's (0 for a type the ontology lacks)."""
    if event.score is not None:
        return float(event.score)
    try:
        return ontology.score(event.event_type, event.mode)
    except KeyError:
        return 0.0


def event_quad(event: Event) -> str:
    try:
        return ontology.quad(event.event_type)
    except KeyError:
        return "unknown"


def codes(refs: Iterable[ActorRef]) -> list[str]:
    """Actor codes of a compound actor, falling back to the mention text when uncoded."""
    return [r.code or r.text for r in refs]


def coded(refs: Iterable[ActorRef]) -> list[str]:
    """Only the actor codes: a mention the dictionary could not resolve ("its forces",
    "150 prisoners") is no actor a dyad can be about."""
    return [r.code for r in refs if r.code]


def names_a_party(event: Event) -> bool:
    """Whether a coded actor or recipient takes part: "someone attacked" says nothing about
    which relationship or process moved."""
    return any(r.code for r in [*event.actor, *event.recipient])


def event_kind(event: Event) -> str | None:
    """The timeline kind of an event, or None when it is not a key event."""
    if event.event_type == "RETREAT" and event.mode in RETREAT_KINDS:
        return RETREAT_KINDS[event.mode]
    return KEY_EVENT_KINDS.get(event.event_type)


def quoted(record: Event | Position) -> str | None:
    """Whom the record quotes as its source, unless that is only a pronoun."""
    attribution = record.attribution
    name = (attribution.code or attribution.text) if attribution else None
    name = name or getattr(record, "speaker", None)
    return name if name and name.lower() not in PRONOUNS else None


# --- peace-process membership --------------------------------------------------------


@dataclass(frozen=True)
class ProcessParties:
    name: str
    label: str
    belligerents: frozenset[str]
    others: frozenset[str]
    """Third parties and mediators: members of a process only together with a document link."""


@lru_cache(maxsize=32)
def process_parties(name: str) -> ProcessParties | None:
    try:
        process = load_process(name)
    except (FileNotFoundError, KeyError, TaxonomyError):
        return None
    belligerents = frozenset(process.belligerents()) or frozenset(process.party_codes)
    involved = {*process.party_codes, *(m.code for m in process.mediators)}
    return ProcessParties(name, process.label, belligerents, frozenset(involved - belligerents))


def process_label(name: str | None) -> str | None:
    """The human name of a process (``Russia–Ukraine war``), else its file name."""
    if name is None:
        return None
    parties = process_parties(name)
    return parties.label if parties else name


@lru_cache(maxsize=32)
def party_of(process: str | None, code: str) -> str:
    """The party a code speaks for in a process (a member state under "Europe")."""
    if not process:
        return code
    try:
        return load_process(process).party_code(code)
    except (FileNotFoundError, KeyError, TaxonomyError):
        return code


def member_processes(
    refs: Iterable[ActorRef], about: set[str], processes: dict[str, ProcessParties | None]
) -> set[str]:
    """Processes a record belongs to by who takes part.

    Positions and process records usually carry a process label; events never do. So
    membership goes by who takes part, as the process files list them: a belligerent as
    actor or recipient always makes a record a member; a third party or mediator (the
    United States, Turkey…) takes part in several processes, so it makes a record a member
    only when its document is ``about`` that process (one of its records is labelled with
    it or names one of its belligerents), or about no process at all, in which case it joins
    every process that lists the party. A process without a file goes by document links.
    """
    found_codes = {r.code for r in refs if r.code}
    found = set()
    for name, parties in processes.items():
        linked = name in about
        if parties is None:
            member = linked
        else:
            member = bool(found_codes & parties.belligerents) or bool(
                found_codes & parties.others and (linked or not about)
            )
        if member:
            found.add(name)
    return found


def document_about(
    events: Sequence[Event], positions: Sequence[Position], known: Iterable[str]
) -> tuple[set[str], dict[str, ProcessParties | None]]:
    """The processes one document is about, and the processes to test its records against
    (the ``known`` process files and any its positions are labelled with)."""
    labelled = {p.process for p in positions if p.process}
    processes = {n: process_parties(n) for n in sorted(set(known) | labelled)}
    about = set(labelled)
    for refs in [[p.actor] for p in positions] + [[*e.actor, *e.recipient] for e in events]:
        found_codes = {r.code for r in refs if r.code}
        about |= {n for n, p in processes.items() if p and found_codes & p.belligerents}
    return about, processes


# --- derivation ------------------------------------------------------------------------


def _merge_key(*parts: object) -> str:
    return json.dumps(parts, ensure_ascii=False, separators=(",", ":"))


def _week(value: str | None) -> str | None:
    return week_start(value) if value else None


def _page_key(when: str | None, record_id: str) -> str:
    """Sort key of list pages: day then id, undated first; unique, so a keyset cursor."""
    return f"{when or ''}|{record_id}"


def dyad_pairs(e: Event) -> list[str]:
    """The ordered ``ACTOR>RECIPIENT`` code pairs of an event (never a party with itself)."""
    return [
        f"{a}>{r}"
        for a in dict.fromkeys(coded(e.actor))
        for r in dict.fromkeys(coded(e.recipient))
        if a != r
    ]


def _event_columns(e: Event, doc: DocInfo) -> tuple:
    when = resolved_day(e, doc)
    pairs = dyad_pairs(e)
    firm = is_firm(e.modality)
    key = _merge_key(
        doc.story, e.event_type, sorted(codes(e.actor)), sorted(codes(e.recipient)), when, firm
    )
    return (
        e.confidence, doc.outlet_label, doc.story, when, _week(when), _week(signal_day(e, doc)),
        int(firm), MODALITY_RANK.get(e.modality, 9), key, quoted(e), _page_key(when, e.id),
        int(doc.cluster_id is not None), e.mode, event_score(e), event_quad(e), event_kind(e),
        int(names_a_party(e)), pairs[0] if len(pairs) == 1 else None, len(pairs), e.id,
    )  # fmt: skip


def _position_columns(p: Position, doc: DocInfo) -> tuple:
    when = resolved_day(p, doc)
    firm = is_firm(p.modality)
    actor = p.actor.code or p.actor.text
    key = _merge_key(doc.story, actor, p.issue, p.speech_act, p.stance, when, firm)
    return (
        p.confidence, doc.outlet_label, doc.story, when, _week(when), _week(signal_day(p, doc)),
        int(firm), MODALITY_RANK.get(p.modality, 9), key, quoted(p), _page_key(when, p.id),
        int(doc.cluster_id is not None), p.speech_act,
        party_of(p.process, p.actor.code) if p.actor.code else None, p.position, p.sub_issue, p.id,
    )  # fmt: skip


COMMON_COLUMNS = (
    "confidence", "source", "story", "day", "week", "signal_week", "firm", "modality_rank",
    "merge_key", "quoted", "page_key", "clustered",
)  # fmt: skip
EVENT_COLUMNS = (
    *COMMON_COLUMNS, "mode", "score", "quad", "kind", "named", "pair", "pairs",
    "process1", "nprocs",
)  # fmt: skip
"""Derived event columns, in the order :func:`derive_rows` gives them (then the id)."""
POSITION_COLUMNS = (
    *COMMON_COLUMNS, "speech_act", "party", "value", "sub_issue", "process1", "nprocs",
)  # fmt: skip


def _update(table: str, columns: tuple[str, ...]) -> str:
    sets = ", ".join(f"{c} = ?" for c in columns)
    return f"UPDATE {table} SET derived = 1, {sets} WHERE id = ?"


_UPDATE_EVENT = _update("events", EVENT_COLUMNS)
_UPDATE_POSITION = _update("positions", POSITION_COLUMNS)


def doc_info(conn: sqlite3.Connection, doc_ids: Sequence[str]) -> dict[str, DocInfo]:
    """The document facts of ``doc_ids`` (with their story cluster's size)."""
    if not doc_ids:
        return {}
    marks = ",".join("?" * len(doc_ids))
    rows = conn.execute(
        "SELECT d.doc_id, d.cluster_id, d.source, d.url, d.title, d.published, c.mentions"
        " FROM documents d LEFT JOIN clusters c ON c.cluster_id = d.cluster_id"
        f" WHERE d.doc_id IN ({marks})",
        list(doc_ids),
    )
    return {r[0]: DocInfo(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or 1) for r in rows}


@dataclass
class DerivedRows:
    """What derivation writes for a batch of documents: the derived columns of each record
    (:data:`EVENT_COLUMNS`/:data:`POSITION_COLUMNS`, then its id) and the link rows."""

    events: list[tuple] = field(default_factory=list)
    positions: list[tuple] = field(default_factory=list)
    parties: list[tuple[str, str, str]] = field(default_factory=list)
    event_processes: list[tuple[str, str]] = field(default_factory=list)
    position_processes: list[tuple[str, str]] = field(default_factory=list)


def _with_processes(columns: tuple, names: Sequence[str]) -> tuple:
    """Insert ``process1``/``nprocs`` before the trailing id: most records belong to one
    process or none, so aggregations read it from the row and join the membership table
    only for the few in several."""
    single = next(iter(names)) if len(names) == 1 else None
    return (*columns[:-1], single, len(names), columns[-1])


def derive_rows(
    docs: dict[str, DocInfo],
    events: dict[str, list[Event]],
    positions: dict[str, list[Position]],
    known: Sequence[str] | None = None,
) -> DerivedRows:
    """The derived columns and links of every record of these documents (no database)."""
    known = process_names() if known is None else known
    out = DerivedRows()
    for doc_id in dict.fromkeys([*events, *positions]):
        doc = docs.get(doc_id) or DocInfo(doc_id)
        doc_events, doc_positions = events.get(doc_id, []), positions.get(doc_id, [])
        about, processes = document_about(doc_events, doc_positions, known)
        for e in doc_events:
            names = sorted(member_processes([*e.actor, *e.recipient], about, processes))
            out.events.append(_with_processes(_event_columns(e, doc), names))
            out.parties += [(e.id, "actor", c) for c in dict.fromkeys(coded(e.actor))]
            out.parties += [(e.id, "recipient", c) for c in dict.fromkeys(coded(e.recipient))]
            out.event_processes += [(e.id, n) for n in names]
        for p in doc_positions:
            names = sorted({p.process} if p.process else member_processes([p.actor], about,
                                                                          processes))  # fmt: skip
            out.positions.append(_with_processes(_position_columns(p, doc), names))
            out.position_processes += [(p.id, n) for n in names]
    return out


def derive_docs(
    conn: sqlite3.Connection, doc_ids: list[str], unrolled: Iterable[str] | None = None
) -> None:
    """Derive these documents' records, re-elect the leads of their stories and count the
    stories in the rollups again. ``unrolled``: stories the caller already took out of the
    rollups (:func:`unroll_docs`, before deleting the documents' old records)."""
    docs = doc_info(conn, doc_ids)
    stories = set(unroll_docs(conn, doc_ids, docs) if unrolled is None else unrolled)
    stories |= {(docs.get(d) or DocInfo(d)).story for d in doc_ids}
    marks = ",".join("?" * len(doc_ids))
    events: dict[str, list[Event]] = {d: [] for d in doc_ids}
    positions: dict[str, list[Position]] = {d: [] for d in doc_ids}
    for (text,) in conn.execute(f"SELECT record FROM events WHERE doc_id IN ({marks})", doc_ids):
        e = Event.model_validate_json(text)
        events[e.doc_id].append(e)
    for (text,) in conn.execute(f"SELECT record FROM positions WHERE doc_id IN ({marks})", doc_ids):
        p = Position.model_validate_json(text)
        positions[p.doc_id].append(p)
    rows = derive_rows(docs, events, positions)
    ids = [(r[-1],) for r in rows.events]
    conn.executemany("DELETE FROM event_parties WHERE event_id = ?", ids)
    conn.executemany("DELETE FROM event_processes WHERE event_id = ?", ids)
    conn.executemany(
        "DELETE FROM position_processes WHERE position_id = ?", [(r[-1],) for r in rows.positions]
    )
    conn.executemany(_UPDATE_EVENT, rows.events)
    conn.executemany(_UPDATE_POSITION, rows.positions)
    conn.executemany(
        "INSERT INTO event_parties (event_id, role, code) VALUES (?,?,?)", rows.parties
    )
    conn.executemany(
        "INSERT INTO event_processes (event_id, process) VALUES (?,?)", rows.event_processes
    )
    conn.executemany(
        "INSERT INTO position_processes (position_id, process) VALUES (?,?)",
        rows.position_processes,
    )
    _elect_leads(conn, stories)
    roll_stories(conn, stories)


def lead_order(modality_rank: int, confidence: float, record_id: str) -> tuple:
    """Sort key of the members of a merged item: the first is its lead."""
    return (modality_rank, -confidence, record_id)


_LEAD = (
    "UPDATE {t} SET lead = CASE WHEN id = (SELECT x.id FROM {t} x WHERE x.merge_key ="
    " {t}.merge_key ORDER BY x.modality_rank, x.confidence DESC, x.id LIMIT 1) THEN 1 ELSE 0"
    " END WHERE story = ?"
)


def _elect_leads(conn: sqlite3.Connection, stories: Iterable[str]) -> None:
    """Pick the representative of every merged item of these stories."""
    rows = [(s,) for s in sorted(set(stories))]
    for table in ("events", "positions"):
        conn.executemany(_LEAD.format(t=table), rows)


def pending_docs(conn: sqlite3.Connection, limit: int = BATCH_DOCS) -> list[str]:
    found: dict[str, None] = {}
    for table in ("events", "positions"):
        rows = conn.execute(
            f"SELECT DISTINCT doc_id FROM {table} WHERE derived IS NULL LIMIT {int(limit)}"
        )
        found.update((r[0], None) for r in rows)
    return list(found)[:limit]


def derive_pending(conn: sqlite3.Connection) -> int:
    """Fill the derived columns of every record not yet derived; returns documents done.

    Costs one indexed probe when nothing is pending, so every reader can call it."""
    done = 0
    while True:
        doc_ids = pending_docs(conn)
        if not doc_ids:
            return done
        with transaction(conn):
            derive_docs(conn, doc_ids)
        done += len(doc_ids)


# --- rollups ---------------------------------------------------------------------------
#
# The whole-store dyad series and signal index sum over every merged item of a million
# records; the rollup tables hold those sums per period (or week), so a read costs the size
# of the answer. Invariant: each table equals the sums over every derived record, counted
# with its current columns, lead and cluster mentions. Whatever changes one of those for a
# story first takes the story's records out (:func:`unroll_stories`, subtracting their
# contribution), then puts them back (:func:`roll_stories`), in one transaction: a kill
# rolls back both halves, and concurrent writers only add and subtract. While
# ``rollups_stale`` holds a row (after the migration, or a bulk load) nothing is maintained
# and the next reader rebuilds everything with the same SQL (:func:`rollups_ready`).

ROLLUP_TABLES = ("dyad_rollup", "dyad_process_rollup", "signal_items", "signal_sources",
                 "position_cells")  # fmt: skip

_DYAD_SRC = (
    "SELECT e.day AS day, e.week AS week, e.pair AS dyad, e.event_type AS event_type,"
    " COALESCE(e.quad, '') AS quad, e.firm AS firm, e.score AS score,"
    " CASE WHEN e.clustered = 1 THEN COALESCE(c.mentions, 1) ELSE 1 END AS m, e.id AS id"
    " FROM events e LEFT JOIN clusters c ON c.cluster_id = e.story"
    " WHERE e.lead = 1 AND e.day IS NOT NULL AND e.pairs = 1 AND {cond}"
    " UNION ALL SELECT e.day, e.week, a.code || '>' || r.code, e.event_type,"
    " COALESCE(e.quad, ''), e.firm, e.score, COALESCE(c.mentions, 1), e.id"
    " FROM events e JOIN event_parties a ON a.event_id = e.id AND a.role = 'actor'"
    " JOIN event_parties r ON r.event_id = e.id AND r.role = 'recipient'"
    " LEFT JOIN clusters c ON c.cluster_id = e.story"
    " WHERE e.lead = 1 AND e.day IS NOT NULL AND e.pairs > 1 AND a.code <> r.code AND {cond}"
)
"""Per dyad pair of each dated lead event: what :func:`detente.store.queries.dyad_counts`
sums (mentions as it counts them: the story cluster's size for a clustered or compound
event, else 1)."""

_DYAD_ROLL = (
    "WITH src AS (" + _DYAD_SRC + "), per AS ("
    " SELECT 'day' AS freq, day AS period, dyad, event_type, quad, firm, score, m FROM src"
    " UNION ALL SELECT 'week', week, dyad, event_type, quad, firm, score, m FROM src"
    " UNION ALL SELECT 'month', SUBSTR(day, 1, 7), dyad, event_type, quad, firm, score, m"
    " FROM src)"
    " INSERT INTO dyad_rollup (freq, period, dyad, event_type, quad, firm, events, score,"
    " mentions) SELECT freq, period, dyad, event_type, quad, firm, {sign} * COUNT(*),"
    " {sign} * COALESCE(SUM(score), 0), {sign} * SUM(m) FROM per WHERE 1 = 1"
    " GROUP BY freq, period, dyad, event_type, quad, firm"
    " ON CONFLICT (freq, period, dyad, event_type, quad, firm) DO UPDATE SET"
    " events = dyad_rollup.events + excluded.events,"
    " score = dyad_rollup.score + excluded.score,"
    " mentions = dyad_rollup.mentions + excluded.mentions"
)

_DYAD_PROCESS_ROLL = (
    "WITH src AS (" + _DYAD_SRC + "), mine AS (SELECT ep.process AS process, src.* FROM src"
    " JOIN event_processes ep ON ep.event_id = src.id), per AS ("
    " SELECT process, 'day' AS freq, day AS period, dyad, event_type, quad, firm, score, m"
    " FROM mine UNION ALL SELECT process, 'week', week, dyad, event_type, quad, firm, score, m"
    " FROM mine UNION ALL SELECT process, 'month', SUBSTR(day, 1, 7), dyad, event_type, quad,"
    " firm, score, m FROM mine)"
    " INSERT INTO dyad_process_rollup (process, freq, period, dyad, event_type, quad, firm,"
    " events, score, mentions) SELECT process, freq, period, dyad, event_type, quad, firm,"
    " {sign} * COUNT(*), {sign} * COALESCE(SUM(score), 0), {sign} * SUM(m) FROM per"
    " WHERE 1 = 1 GROUP BY process, freq, period, dyad, event_type, quad, firm"
    " ON CONFLICT (process, freq, period, dyad, event_type, quad, firm) DO UPDATE SET"
    " events = dyad_process_rollup.events + excluded.events,"
    " score = dyad_process_rollup.score + excluded.score,"
    " mentions = dyad_process_rollup.mentions + excluded.mentions"
)
"""The dyad sums per peace process (an event counts in every process it belongs to, as
:func:`detente.store.queries.where` selects it): a process's series, by type or date range,
is read from here."""

_SIGNAL_SRC = (
    "SELECT 'e' AS kind, COALESCE(e.process1, '') AS process, e.signal_week AS week,"
    " e.event_type AS label, COALESCE(e.lead, 0) AS lead, e.modality_rank AS rank,"
    " COALESCE(e.source, '') AS source FROM events e"
    " WHERE e.named = 1 AND e.signal_week IS NOT NULL AND e.nprocs <= 1 AND {cond}"
    " UNION ALL SELECT 'e', ep.process, e.signal_week, e.event_type, COALESCE(e.lead, 0),"
    " e.modality_rank, COALESCE(e.source, '') FROM events e"
    " JOIN event_processes ep ON ep.event_id = e.id"
    " WHERE e.named = 1 AND e.signal_week IS NOT NULL AND e.nprocs > 1 AND {cond}"
    " UNION ALL SELECT 'p', COALESCE(pp.process, ''), e.signal_week,"
    " COALESCE(e.speech_act, ''), COALESCE(e.lead, 0), e.modality_rank,"
    " COALESCE(e.source, '') FROM positions e"
    " LEFT JOIN position_processes pp ON pp.position_id = e.id"
    " WHERE e.signal_week IS NOT NULL AND {cond}"
)
"""Per process membership of each event naming a party and each position, with a signal
week: what :func:`detente.store.queries.signal_sums` weighs (``''``: no process)."""

_SIGNAL_ITEMS_ROLL = (
    "WITH src AS (" + _SIGNAL_SRC + ")"
    " INSERT INTO signal_items (kind, process, week, label, modality_rank, items)"
    " SELECT kind, process, week, label, rank, {sign} * SUM(lead) FROM src WHERE 1 = 1"
    " GROUP BY kind, process, week, label, rank"
    " ON CONFLICT (kind, process, week, label, modality_rank) DO UPDATE SET"
    " items = signal_items.items + excluded.items"
)
_SIGNAL_SOURCES_ROLL = (
    "WITH src AS (" + _SIGNAL_SRC + ")"
    " INSERT INTO signal_sources (kind, process, week, label, source, records)"
    " SELECT kind, process, week, label, source, {sign} * COUNT(*) FROM src WHERE 1 = 1"
    " GROUP BY kind, process, week, label, source"
    " ON CONFLICT (kind, process, week, label, source) DO UPDATE SET"
    " records = signal_sources.records + excluded.records"
)
_CELLS_ROLL = (
    "INSERT INTO position_cells (process, party, issue, sub_issue, firm, modality, valued,"
    " records) SELECT pp.process, e.party, e.issue, COALESCE(e.sub_issue, ''), e.firm,"
    " e.modality, CASE WHEN e.value IS NULL THEN 0 ELSE 1 END, {sign} * COUNT(*)"
    " FROM positions e JOIN position_processes pp ON pp.position_id = e.id"
    " WHERE e.party IS NOT NULL AND {cond} GROUP BY pp.process, e.party, e.issue,"
    " COALESCE(e.sub_issue, ''), e.firm, e.modality, CASE WHEN e.value IS NULL THEN 0 ELSE 1 END"
    " ON CONFLICT (process, party, issue, sub_issue, firm, modality, valued) DO UPDATE SET"
    " records = position_cells.records + excluded.records"
)
"""Positions per process, party, issue and sub-issue (by firmness, modality and whether
valued): which cells a process's matrix has and how often each party spoke, without
counting every position of the process (:func:`detente.store.queries.position_candidates`)."""

_ROLLS = ((_DYAD_ROLL, 2), (_DYAD_PROCESS_ROLL, 2), (_SIGNAL_ITEMS_ROLL, 3),
          (_SIGNAL_SOURCES_ROLL, 3), (_CELLS_ROLL, 1))  # fmt: skip
"""Each statement and how many times its condition appears in it."""

STORY_CHUNK = 400


def rollups_stale(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT name FROM rollups_stale").fetchone() is not None


def _add(conn: sqlite3.Connection, sign: int, stories: Iterable[str] | None) -> None:
    """Add (``sign`` 1) or subtract (-1) the contribution of every derived record of these
    stories (of every derived record when None)."""
    if stories is None:
        chunks: list[list[str]] = [[]]
    else:
        ordered = sorted(set(stories))
        chunks = [ordered[i : i + STORY_CHUNK] for i in range(0, len(ordered), STORY_CHUNK)]
    for chunk in chunks:
        cond = "e.derived = 1"
        if stories is not None:
            cond += f" AND e.story IN ({','.join('?' * len(chunk))})"
        for sql, uses in _ROLLS:
            conn.execute(sql.format(cond=cond, sign=int(sign)), chunk * uses)


def unroll_stories(conn: sqlite3.Connection, stories: Iterable[str]) -> set[str]:
    """Take these stories' records out of the rollups (before changing them); returns the
    stories, to put back with :func:`roll_stories` in the same transaction."""
    stories = {s for s in stories if s}
    if stories and not rollups_stale(conn):
        _add(conn, -1, stories)
    return stories


def roll_stories(conn: sqlite3.Connection, stories: Iterable[str]) -> None:
    """Count these stories' derived records in the rollups (after changing them)."""
    stories = {s for s in stories if s}
    if stories and not rollups_stale(conn):
        _add(conn, 1, stories)


def unroll_docs(
    conn: sqlite3.Connection, doc_ids: Sequence[str], docs: dict[str, DocInfo] | None = None
) -> set[str]:
    """Take out of the rollups every story a write to these documents changes: those their
    derived records count in now, and the documents' own."""
    if not doc_ids:
        return set()
    docs = doc_info(conn, doc_ids) if docs is None else docs
    marks = ",".join("?" * len(doc_ids))
    stories = {(docs.get(d) or DocInfo(d)).story for d in doc_ids}
    for table in ("events", "positions"):
        stories |= {
            r[0]
            for r in conn.execute(
                f"SELECT DISTINCT story FROM {table} WHERE doc_id IN ({marks}) AND derived = 1",
                list(doc_ids),
            )
        }
    return unroll_stories(conn, stories)


def rebuild_rollups(conn: sqlite3.Connection) -> None:
    """Recompute every rollup from the records (inside the caller's transaction)."""
    for table in ROLLUP_TABLES:
        conn.execute(f"DELETE FROM {table}")
    _add(conn, 1, None)
    conn.execute("DELETE FROM rollups_stale")


def mark_rollups_stale(conn: sqlite3.Connection) -> None:
    """For bulk loaders that write derived records directly: the next reader rebuilds."""
    conn.execute(
        "INSERT INTO rollups_stale (name) SELECT 'all' WHERE NOT EXISTS"
        " (SELECT 1 FROM rollups_stale)"
    )


def rollups_ready(conn: sqlite3.Connection) -> bool:
    """Whether the rollups hold the current sums, rebuilding them first when stale; False
    when they cannot be rebuilt now (a read-only or busy store): the reader then sums the
    records themselves."""
    if not rollups_stale(conn):
        return True
    try:
        with transaction(conn):
            if rollups_stale(conn):
                rebuild_rollups(conn)
    except sqlite3.OperationalError:
        return False
    return True
