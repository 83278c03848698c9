"""Everything the analyses read, loaded once: records plus the document facts they need.

Analyses are pure functions over a :class:`Corpus`, so they can be tested on records built
in memory and reused from Python, the CLI and the report without touching the database.
Records are read only through :mod:`detente.store.records`; the documents table supplies
what records do not carry themselves (story cluster, outlet, URL, publication date).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from urllib.parse import urlparse

from detente.coding.models import Event
from detente.positions.models import Position, ProcessRecord
from detente.store import records

FIRM_MODALITIES = frozenset({"asserted", "reported"})
"""Modalities an analysis counts by default: the text says the thing happened."""

TITLE_CHARS = 48
"""Longest article title shown in place of an unknown outlet."""

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


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


@dataclass
class Corpus:
    events: list[Event] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    process_records: list[ProcessRecord] = field(default_factory=list)
    docs: dict[str, DocInfo] = field(default_factory=dict)

    def doc(self, doc_id: str) -> DocInfo:
        return self.docs.get(doc_id) or DocInfo(doc_id)

    def date_of(self, record: Event | Position) -> str | None:
        """The record's own day, else its document's publication day (``YYYY-MM-DD``).

        A firm (asserted/reported) record cannot have happened after the article reporting
        it was published: such a day is a misread date (a year guessed wrong, a reference
        list), so the publication day stands in for it."""
        own, published = day(record.date), day(self.doc(record.doc_id).published)
        if own and published and own > published and is_firm(record.modality):
            return published
        return own or published

    def said_on(self, record: Event | Position) -> str | None:
        """The day the record's news was published, else its own day: when a signal was
        sent, which for a threat or a planned meeting is not the day it refers to."""
        return day(self.doc(record.doc_id).published) or day(record.date)

    @property
    def is_empty(self) -> bool:
        return not (self.events or self.positions or self.process_records)


def day(value: str | None) -> str | None:
    """The ``YYYY-MM-DD`` prefix of an ISO date or datetime; None for partial or missing dates."""
    if value and _ISO_DAY.match(value):
        return value[:10]
    return None


def is_firm(modality: str) -> bool:
    return modality in FIRM_MODALITIES


def load_docs(conn: sqlite3.Connection) -> dict[str, DocInfo]:
    rows = conn.execute(
        "SELECT d.doc_id, d.cluster_id, d.source, d.url, d.title, d.published, c.mentions"
        " FROM documents d LEFT JOIN clusters c ON c.cluster_id = d.cluster_id"
    )
    return {
        r["doc_id"]: DocInfo(
            doc_id=r["doc_id"],
            cluster_id=r["cluster_id"],
            source=r["source"],
            url=r["url"],
            title=r["title"],
            published=r["published"],
            mentions=r["mentions"] or 1,
        )
        for r in rows
    }


def load_corpus(
    conn: sqlite3.Connection,
    *,
    process: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Corpus:
    corpus = Corpus(
        events=records.query_events(conn),
        positions=records.query_positions(conn),
        process_records=records.query_process_records(conn),
        docs=load_docs(conn),
    )
    return filter_corpus(corpus, process=process, since=since, until=until)


def filter_corpus(
    corpus: Corpus,
    *,
    process: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Corpus:
    """Restrict to one peace process and a date range (inclusive, on resolved days).

    Process membership follows :mod:`.membership`: records whose actors, recipients or
    parties include a belligerent of the process, or one of its third parties or mediators
    in a document about it. Undated records are dropped only when a date range is asked for.
    """
    events, positions, procs = corpus.events, corpus.positions, corpus.process_records
    if process:
        from detente.analysis.membership import Membership

        member = Membership(corpus, [process])
        events = [e for e in events if process in member.of_event(e)]
        positions = [p for p in positions if process in member.of_position(p)]
        procs = [r for r in procs if process in member.of_process_record(r)]

    def in_range(date: str | None) -> bool:
        if not (since or until):
            return True
        if date is None:
            return False
        return (not since or date >= since[:10]) and (not until or date <= until[:10])

    return Corpus(
        events=[e for e in events if in_range(corpus.date_of(e))],
        positions=[p for p in positions if in_range(corpus.date_of(p))],
        process_records=[r for r in procs if in_range(day(r.date))],
        docs=corpus.docs,
    )
