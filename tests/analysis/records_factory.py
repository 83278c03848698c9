"""Records for analysis and report tests, built in memory: no spaCy model, no coder.

``DocBuilder`` keeps sentence offsets honest (every evidence span points at the text it
quotes); ``Scenario`` is written to a test database through ``store.records`` as the
coder would (``db()`` gives an in-memory one), and the analyses query it.
``peace_talks()`` is a small, plausible five-week story of talks, exchanges and strikes
that the project wrote for its tests.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from detente.coding.models import ActorRef, Attribution, Event, Evidence
from detente.positions.models import Position, PositionEvidence, ProcessRecord
from detente.store import records
from detente.store.db import connect, transaction

SECTORS = {"RUS": "GOV", "UKR": "GOV", "USA": "GOV", "TUR": "GOV", "EU": "IGO", "FRA": "GOV"}


def actor(code: str, text: str | None = None) -> ActorRef:
    return ActorRef(text=text or code, code=code, sector=SECTORS.get(code, "GOV"))


@dataclass
class DocBuilder:
    doc_id: str
    source: str | None = "Test Wire"
    published: str | None = "2025-05-05"
    cluster_id: str | None = None
    url: str | None = None
    title: str | None = None
    sentences: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.sentences) or "(empty)"

    def say(self, sentence: str) -> tuple[int, Evidence]:
        """Append a sentence; returns its index and an evidence span with true offsets."""
        start = len(self.text) + 1 if self.sentences else 0
        self.sentences.append(sentence)
        return len(self.sentences) - 1, Evidence(
            sentence=sentence, start=start, end=start + len(sentence)
        )


@dataclass
class Scenario:
    docs: list[DocBuilder] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    process_records: list[ProcessRecord] = field(default_factory=list)

    def doc(self, doc_id: str, **kw) -> DocBuilder:
        builder = DocBuilder(doc_id, url=kw.pop("url", f"https://news.test/{doc_id}"), **kw)
        self.docs.append(builder)
        return builder

    def event(
        self, doc: DocBuilder, sentence: str, event_type: str, actors, recipients=(), **kw
    ) -> Event:
        index, evidence = doc.say(sentence)
        attribution = kw.pop("attribution", None)
        e = Event(
            id=f"{doc.doc_id}-e{len(self.events)}",
            doc_id=doc.doc_id,
            sentence_index=index,
            event_type=event_type,
            actor=[actor(c) for c in actors],
            recipient=[actor(c) for c in recipients],
            attribution=Attribution(text=attribution, code=attribution) if attribution else None,
            evidence=evidence,
            date=kw.pop("date", doc.published),
            confidence=kw.pop("confidence", 0.8),
            **kw,
        )
        self.events.append(e)
        return e

    def position(
        self, doc: DocBuilder, sentence: str, issue: str, code: str, speech_act: str,
        stance: str, value: float | None = None, **kw,
    ) -> Position:  # fmt: skip
        _, ev = doc.say(sentence)
        p = Position(
            id=f"{doc.doc_id}-p{len(self.positions)}",
            doc_id=doc.doc_id,
            process=kw.pop("process", "russia-ukraine"),
            issue=issue,
            actor=actor(code),
            speech_act=speech_act,
            stance=stance,
            position=value,
            date=kw.pop("date", doc.published),
            evidence=PositionEvidence(sentence=ev.sentence, start=ev.start, end=ev.end),
            confidence=kw.pop("confidence", 0.7),
            **kw,
        )
        self.positions.append(p)
        return p

    def process(self, kind: str, docs: list[DocBuilder], sentence: str, **kw) -> ProcessRecord:
        sources = [doc.say(sentence)[1] for doc in docs]
        r = ProcessRecord(
            id=f"{kind}-{len(self.process_records)}",
            kind=kind,
            process=kw.pop("process", "russia-ukraine"),
            parties=[actor(c) for c in kw.pop("parties", ())],
            date=kw.pop("date", docs[0].published),
            sources=[PositionEvidence(**s.model_dump(exclude={"trigger"})) for s in sources],
            doc_ids=[d.doc_id for d in docs],
            **kw,
        )
        self.process_records.append(r)
        return r

    def mentions(self, doc: DocBuilder) -> int:
        return sum(1 for d in self.docs if doc.cluster_id and d.cluster_id == doc.cluster_id) or 1

    def db(self) -> sqlite3.Connection:
        """A fresh in-memory store holding this scenario."""
        conn = connect(":memory:")
        self.store(conn)
        return conn

    def store(self, conn: sqlite3.Connection) -> None:
        """Insert documents and clusters with plain SQL, records through ``store.records``."""
        with transaction(conn):
            for d in self.docs:
                if d.cluster_id:
                    conn.execute(
                        "INSERT OR REPLACE INTO clusters (cluster_id, first_doc_id, mentions,"
                        " created) VALUES (?, ?, ?, ?)",
                        (d.cluster_id, d.doc_id, self.mentions(d), "2025-01-01"),
                    )
                conn.execute(
                    "INSERT INTO documents (doc_id, content_hash, cluster_id, title, url, source,"
                    " published, origin, clean_text, raw_text, ingested)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (d.doc_id, f"hash-{d.doc_id}", d.cluster_id, d.title, d.url, d.source,
                     d.published, "test", d.text, d.text, "2025-01-01"),
                )  # fmt: skip
        for d in self.docs:
            records.replace_doc_records(
                conn,
                d.doc_id,
                [e for e in self.events if e.doc_id == d.doc_id],
                [p for p in self.positions if p.doc_id == d.doc_id],
            )
        records.replace_process_records(conn, self.process_records)
