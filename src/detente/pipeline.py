"""The stages composed: documents → parse → events → positions → process records → store.

Both entry points share :func:`code_stream`, so ``detente code`` (database) and
``detente extract`` (one-shot) produce identical records for the same text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from detente.coding.coder import EventCoder
from detente.coding.models import Event
from detente.ingest.models import Document, Rejection
from detente.positions.models import Position, ProcessRecord

BATCH = 32


@dataclass
class CodedRecords:
    document: Document
    events: list[Event]
    positions: list[Position]
    process_records: list[ProcessRecord]


@dataclass
class ExtractResult:
    documents: list[Document] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    process_records: list[ProcessRecord] = field(default_factory=list)


@dataclass
class CodingSummary:
    documents: int = 0
    events: int = 0
    positions: int = 0
    process_records: int = 0


def make_coder(**kwargs) -> EventCoder:
    """The coder with the position cue words added to its sentence pre-filter."""
    from detente.positions.prefilter import position_filter

    return EventCoder(extra_keep=position_filter(), **kwargs)


def code_stream(
    documents: Iterable[Document],
    coder: EventCoder | None = None,
    positions: bool = True,
    n_process: int = 1,
) -> Iterator[CodedRecords]:
    from detente.positions.extractor import code_positions
    from detente.positions.process_records import extract_process_records

    coder = coder or make_coder()
    for coded in coder.code_documents(documents, n_process=n_process):
        found_positions: list[Position] = []
        found_process: list[ProcessRecord] = []
        if positions:
            found_positions = code_positions(coded.document, coded.parsed, coded.events)
            found_process = extract_process_records(coded.document, coded.parsed, coded.events)
        yield CodedRecords(coded.document, coded.events, found_positions, found_process)


def extract_records(
    inputs: list[str],
    *,
    glob: str | None = None,
    allow_private: bool = False,
    what: set[str] | None = None,
) -> ExtractResult:
    """Read, clean and code inputs in memory (``detente extract``)."""
    from detente.ingest.reader import iter_documents
    from detente.positions.process_records import merge_process_records

    result = ExtractResult()
    for item in iter_documents(inputs, glob=glob, allow_private=allow_private):
        if isinstance(item, Rejection):
            result.rejected.append(item)
        else:
            result.documents.append(item)
    wants_positions = bool(what is None or what & {"positions", "process"})
    process: list[ProcessRecord] = []
    for coded in code_stream(result.documents, positions=wants_positions):
        result.events.extend(coded.events)
        result.positions.extend(coded.positions)
        process.extend(coded.process_records)
    result.process_records = merge_process_records(process)
    return result


def code_database(db: Path, recode: bool = False, n_process: int = 1) -> CodingSummary:
    """Code the stored documents not yet coded; each document's records commit atomically."""
    from detente.positions.process_records import merge_process_records
    from detente.store import documents as doc_store
    from detente.store.db import connect
    from detente.store.queries import list_process_records
    from detente.store.records import replace_doc_records, replace_process_records

    conn = connect(db)
    todo = (
        doc_store.list_documents(conn) if recode else doc_store.list_documents(conn, status="new")
    )
    summary = CodingSummary()
    process: list[ProcessRecord] = list_process_records(conn) if not recode else []
    coder = make_coder()
    columns = (TextColumn("coding"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True, disable=len(todo) < 5) as progress:
        task = progress.add_task("coding", total=len(todo))
        for start in range(0, len(todo), BATCH):
            for coded in code_stream(todo[start : start + BATCH], coder=coder, n_process=n_process):
                replace_doc_records(conn, coded.document.doc_id, coded.events, coded.positions)
                process.extend(coded.process_records)
                summary.documents += 1
                summary.events += len(coded.events)
                summary.positions += len(coded.positions)
                progress.advance(task)
    merged = merge_process_records(process)
    replace_process_records(conn, merged)
    summary.process_records = len(merged)
    return summary
