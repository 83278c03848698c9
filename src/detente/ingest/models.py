"""Records produced by ingestion.

A ``Document`` keeps both the raw text (what arrived) and the clean text (what the
coder reads) so that every character offset in later records can be checked
against the exact text it was computed on.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Document:
    """One article after cleaning; ``clean_text`` is the coder's input."""

    doc_id: str
    clean_text: str
    raw_text: str = ""
    title: str | None = None
    author: str | None = None
    url: str | None = None
    source: str | None = None
    language: str | None = "en"
    published: str | None = None
    """ISO date (``YYYY-MM-DD``) or datetime, when known."""
    published_evidence: str | None = None
    """Where ``published`` came from, e.g. ``metadata:date`` or ``text:'date 2024-02-08'``."""
    origin: str = ""
    """The input the document came from (path, URL, ``stdin``, ``file.jsonl:12``)."""
    content_hash: str = ""
    cluster_id: str | None = None
    status: str = "new"
    """``new`` → ``coded``; set by the coding stage."""
    meta: dict = field(default_factory=dict)

    @property
    def words(self) -> int:
        return len(self.clean_text.split())


@dataclass
class Rejection:
    """An input that could not be ingested, with a reason a user can act on."""

    origin: str
    reason: str


@dataclass
class IngestReport:
    """Summary of one ingest run: counts, so that a run over millions of lines holds no
    list of their ids (``on_item`` sees each document as it is settled)."""

    ingested: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    """Each input that could not be ingested (the messages the run ends with)."""
