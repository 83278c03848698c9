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
        """The record's own day, else its document's publication day (``YYYY-MM-DD``)."""
        return day(record.date) or day(self.doc(record.doc_id).published)

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

    Events carry no process label, so with ``process`` they are kept only when their
    document gave that process a position or a process record. Undated records are
    dropped only when a date range is asked for.
    """
    events, positions, procs = corpus.events, corpus.positions, corpus.process_records
    if process:
        positions = [p for p in positions if p.process == process]
        procs = [r for r in procs if r.process == process]
        linked = {p.doc_id for p in positions} | {d for r in procs for d in r.doc_ids}
        events = [e for e in events if e.doc_id in linked]

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
