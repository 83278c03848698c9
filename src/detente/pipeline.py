"""The stages composed: documents → parse → events → positions → process candidates → store.

Both entry points share :func:`code_stream`, so ``detente code`` (database) and
``detente extract`` (one-shot) produce identical records for the same text.

Coding a store streams: a run claims a few pending documents at a time (so concurrent
runs never code the same one and memory does not grow with the corpus), codes them in
this process or in a :class:`CoderPool` of long-lived workers, and the parent alone
writes, one transaction per document holding its events, positions, process candidates
and the merged process records they touch. A failure or an over-long document costs that
document alone: it is marked and reported in one line, the others are stored.
"""

from __future__ import annotations

import gc
import resource
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from detente.coding.models import Event
from detente.ingest.models import Document, Rejection
from detente.positions.models import Position, ProcessRecord

if TYPE_CHECKING:
    from detente.coding.coder import EventCoder

BATCH = 32
"""Documents parsed together in one process (``nlp.pipe`` batches their sentences)."""
POOL_CHUNK = 4
"""Documents sent to a worker at a time: small, so the workers finish together (a chunk
costs the parent ≈ 1 ms to send and unpickle; parsing is no cheaper in larger batches).
Near the end of a run chunks shrink to single documents (see :func:`pool_chunk`)."""
MAX_SENTENCES = 20_000
"""Default cap on the sentences coded per document (about 2 MB of news text)."""
TIME_BUDGET = 600.0
"""Default seconds one document may spend in the coding stages after its parse."""


@dataclass(frozen=True)
class CodingOptions:
    """What each document may cost and which records to derive (picklable for workers)."""

    positions: bool = True
    max_sentences: int | None = MAX_SENTENCES
    time_budget: float | None = TIME_BUDGET


@dataclass
class CodedRecords:
    document: Document
    events: list[Event]
    positions: list[Position]
    process_records: list[ProcessRecord]
    """This document's own process reports (candidates), before merging across documents."""
    note: str | None = None
    """What was cut, when the sentence cap applied."""
    error: str | None = None
    """Why the document could not be coded (then it carries no records)."""


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
    failed: int = 0
    cut: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    """Documents not coded by design, by reason (their language)."""
    peak_mb: dict[str, float] = field(default_factory=dict)
    """Peak resident memory of each process that coded (``main`` or ``worker <pid>``)."""
    cpu_s: dict[str, float] = field(default_factory=dict)
    """CPU seconds of each of those processes (the main one's include loading the model)."""


class OverBudget(Exception):
    def __init__(self, seconds: float):
        super().__init__(
            f"over the time budget ({seconds:g} s per document): not coded;"
            " raise --time-budget or lower --max-sentences"
        )


def make_coder(**kwargs) -> EventCoder:
    """The coder with the position cue words added to its sentence pre-filter."""
    from detente.coding.coder import EventCoder
    from detente.positions.prefilter import position_filter

    return EventCoder(extra_keep=position_filter(), **kwargs)


def code_stream(
    documents: Iterable[Document],
    coder: EventCoder | None = None,
    positions: bool = True,
    options: CodingOptions | None = None,
) -> Iterator[CodedRecords]:
    """Code documents in order, one :class:`CodedRecords` each; never raises for a document."""
    coder = coder or make_coder()
    options = options or CodingOptions(positions=positions, max_sentences=None, time_budget=None)
    if not positions:
        options = CodingOptions(False, options.max_sentences, options.time_budget)
    batch: list[Document] = []
    for document in documents:
        batch.append(document)
        if len(batch) >= BATCH:
            yield from _code_batch(batch, coder, options)
            batch = []
    if batch:
        yield from _code_batch(batch, coder, options)


def _code_batch(
    documents: list[Document], coder: EventCoder, options: CodingOptions
) -> Iterator[CodedRecords]:
    """Parse the batch together; if parsing fails, parse its documents one by one so the
    failure is pinned on the document that caused it."""
    from detente.nlp.pipeline import parse_documents

    def parse(docs: list[Document]):
        texts = (d.clean_text for d in docs)
        return parse_documents(
            coder.nlp, texts, keep=coder.keep, batch_docs=BATCH, max_sentences=options.max_sentences
        )

    done = 0
    try:
        for document, parsed in zip(documents, parse(documents), strict=True):
            coded = _code_parsed(document, parsed, coder, options)
            done += 1
            yield coded
    except Exception:
        for document in documents[done:]:
            try:
                (parsed,) = parse([document])
            except Exception as exc:
                yield CodedRecords(document, [], [], [], error=_describe(exc))
                continue
            yield _code_parsed(document, parsed, coder, options)


def _code_parsed(
    document: Document, parsed, coder: EventCoder, options: CodingOptions
) -> CodedRecords:
    from detente.nlp.pipeline import cut_of
    from detente.positions.extractor import code_positions
    from detente.positions.process_records import extract_process_records

    cut = cut_of(parsed)
    note = (
        f"only the first {cut[0]} of {cut[1]} sentences coded (--max-sentences {cut[0]})"
        if cut
        else None
    )
    try:
        with _deadline(options.time_budget):
            events = coder.code_parsed(document, parsed)
            found_positions: list[Position] = []
            found_process: list[ProcessRecord] = []
            if options.positions:
                found_positions = code_positions(document, parsed, events)
                found_process = extract_process_records(document, events)
    except Exception as exc:
        return CodedRecords(document, [], [], [], error=_describe(exc))
    return CodedRecords(document, events, found_positions, found_process, note=note)


def _describe(exc: Exception) -> str:
    if isinstance(exc, OverBudget):
        return str(exc)
    first = (str(exc).splitlines() or [""])[0][:200]
    return f"coding failed ({type(exc).__name__}: {first})"


@contextmanager
def _deadline(seconds: float | None) -> Iterator[None]:
    """Raise :class:`OverBudget` inside the block after ``seconds`` (main thread only)."""
    usable = (
        seconds
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise OverBudget(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _usage() -> tuple[float, float]:
    """This process's peak resident memory (MB) and CPU seconds so far."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return round(used.ru_maxrss / 1024, 1), round(used.ru_utime + used.ru_stime, 2)


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Keep what is alive now (the loaded model and lexicons, ≈ 170k objects) out of the
    cyclic collector's sight while it lives: each full collection would otherwise scan all
    of it again (≈ 5 % of coding time) and, in a forked worker, touch and so copy the pages
    it shares with its parent."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


# -- worker pool -------------------------------------------------------------------------

_worker: tuple[EventCoder, CodingOptions] | None = None
"""The coder of this worker process (in the parent too while a forking pool runs)."""


WARM_UP = Document(
    doc_id="warm-up",
    published="2024-03-04",
    clean_text=(
        "Russian forces shelled Kharkiv in eastern Ukraine on Monday, two days after talks"
        " in Istanbul, officials said on March 2."
    ),
)
"""Coded once in the parent before it forks: the coder builds some tables on first use
(the gazetteer, the date parser's locale and time-zone patterns: ≈ 2 CPU-seconds), and
built here they are built once and shared, instead of once in every worker."""


def _start_worker(options: CodingOptions | None) -> None:
    """Ready a worker: load the model, unless it was forked from a parent that had loaded it."""
    global _worker
    # The parent handles Ctrl-C and stops the pool; a worker must not die mid-chunk on it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if options is not None:
        _worker = (make_coder(), options)


def _work(documents: list[Document]) -> tuple[int, tuple[float, float], list[CodedRecords]]:
    """Code one chunk; the documents are not sent back (the parent has them)."""
    import os

    assert _worker is not None, "worker started without _start_worker"
    coder, options = _worker
    coded = list(code_stream(documents, coder, options=options))
    for records in coded:
        records.document = None  # type: ignore[assignment]
    return os.getpid(), _usage(), coded


def _ready() -> None:
    """A no-op task: submitting it starts the workers."""


def _can_fork() -> bool:
    """Forking copies the loaded model into every worker for free (no second load, no
    re-import), but is only safe from a process with no other thread that might hold a lock."""
    from multiprocessing import get_all_start_methods

    return "fork" in get_all_start_methods() and threading.active_count() == 1


class CoderPool:
    """``processes`` long-lived worker processes, each holding the model, coding the
    document chunks they are fed; results come back to the one caller, which writes.

    Where the platform forks, the model is loaded once in this process and the workers are
    forked with it (a spawned worker pays the imports and the model load again, ≈ 2.5
    CPU-seconds each); the records come back without their documents, which the caller
    already holds.

    Reusable by any driver (``code -j N``, the local backfill): ``code(chunks)`` keeps at
    most two chunks per worker in flight, so memory stays flat whatever the input size.
    """

    def __init__(self, processes: int, options: CodingOptions | None = None):
        self.processes = processes
        self.options = options or CodingOptions()
        self.peak_mb: dict[int, float] = {}
        self.cpu_s: dict[int, float] = {}
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> CoderPool:
        global _worker
        forking = _can_fork()
        if forking:
            # Load once here; the workers fork from this process with the model in place.
            _worker = (make_coder(), self.options)
            list(code_stream([WARM_UP], _worker[0], options=self.options))
        context, initargs = (
            (get_context("fork"), (None,)) if forking else (get_context("spawn"), (self.options,))
        )
        self._executor = ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=context,
            initializer=_start_worker,
            initargs=initargs,
        )
        # Start the workers now, before the caller starts threads (a progress display) that
        # a fork must not copy mid-lock; once forked, this process needs the model no more.
        # Forked while frozen, the workers keep the model out of their collector's sight.
        with frozen_heap():
            self._executor.submit(_ready).result()
        _worker = None
        return self

    def __exit__(self, *exc) -> None:
        global _worker
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        _worker = None

    def code(self, chunks: Iterable[list[Document]]) -> Iterator[list[CodedRecords]]:
        """Coded chunks in completion order."""
        assert self._executor is not None, "use CoderPool as a context manager"
        source = iter(chunks)
        in_flight: dict[Future, list[Document]] = {}

        def fill() -> None:
            while len(in_flight) < 2 * self.processes:
                chunk = next(source, None)
                if chunk is None:
                    return
                in_flight[self._executor.submit(_work, chunk)] = chunk

        fill()
        while in_flight:
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                chunk = in_flight.pop(future)
                pid, (peak, cpu), coded = future.result()
                self.peak_mb[pid] = max(peak, self.peak_mb.get(pid, 0.0))
                self.cpu_s[pid] = max(cpu, self.cpu_s.get(pid, 0.0))
                for document, records in zip(chunk, coded, strict=True):
                    records.document = document
                yield coded
            fill()


# -- entry points ------------------------------------------------------------------------


def extract_records(
    inputs: list[str], *, what: set[str] | None = None, **read_options
) -> ExtractResult:
    """Read, clean and code inputs in memory (``detente extract``).

    ``read_options`` are ``ingest``'s (:class:`detente.ingest.reader.ReadOptions`).
    """
    from detente.ingest.reader import iter_documents
    from detente.positions.process_records import merge_process_records

    result = ExtractResult()
    for item in iter_documents(inputs, **read_options):
        if isinstance(item, Rejection):
            result.rejected.append(item)
        else:
            result.documents.append(item)
    wants_positions = bool(what is None or what & {"positions", "process"})
    process: list[ProcessRecord] = []
    for coded in code_stream(result.documents, positions=wants_positions):
        if coded.error:
            result.rejected.append(Rejection(coded.document.origin, coded.error))
        result.events.extend(coded.events)
        result.positions.extend(coded.positions)
        process.extend(coded.process_records)
    result.process_records = merge_process_records(process)
    return result


Problem = Callable[[str, str], None]
"""Told ``(doc_id, message)`` for each document cut or not coded."""


def store_coded(conn, coded: CodedRecords) -> None:
    """Write one document's coding result: its records, with the merged process records they
    touch recomputed, in one transaction — or, when coding failed, the failure."""
    store_batch(conn, [coded])


def store_batch(conn, batch: list[CodedRecords]) -> None:
    """Write several documents' coding results in one transaction: each document's records
    (or its failure), then the merged process records they touch, recomputed once."""
    from detente.positions.process_records import MERGE_RULE
    from detente.store.records import write_documents

    write_documents(conn, batch, MERGE_RULE)


def pool_chunk(left: int, processes: int) -> int:
    """Documents to send to a worker next, with ``left`` still pending: ``POOL_CHUNK`` while
    plenty are left, then fewer, down to one, so no worker is left coding a whole chunk
    while the others wait at the end of the run."""
    return max(1, min(POOL_CHUNK, left // (4 * processes)))


def code_database(
    db: Path,
    recode: bool = False,
    processes: int = 1,
    *,
    options: CodingOptions | None = None,
    on_problem: Problem | None = None,
    limit: int | None = None,
) -> CodingSummary:
    """Code the stored documents not yet coded (at most ``limit`` of them); each document's
    records commit atomically."""
    from detente.ingest.language import codable
    from detente.store.db import connect
    from detente.store.leases import claim, owner_tag, pending, release, requeue
    from detente.store.records import mark_not_coded

    options = options or CodingOptions()
    conn = connect(db)
    if recode:
        requeue(conn)
    total = pending(conn) if limit is None else min(limit, pending(conn))
    owner = owner_tag()
    held: set[str] = set()  # claimed, not yet stored: given back if the run stops early
    summary = CodingSummary()
    columns = (TextColumn("coding"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    pool = CoderPool(processes, options) if processes > 1 else None
    try:
        with ExitStack() as running:
            # The pool forks before the progress display starts its thread.
            if pool is not None:
                running.enter_context(pool)
            else:
                coder = make_coder()
                running.enter_context(frozen_heap())
            progress = running.enter_context(Progress(*columns, transient=True, disable=total < 5))
            task = progress.add_task("coding", total=total)

            def codable_chunks(size: Callable[[int], int]) -> Iterator[list[Document]]:
                """Claimed documents, a chunk at a time (memory stays one chunk deep), those
                not to be coded marked as such."""
                claimed = 0
                while (left := total - claimed) > 0 and (chunk := claim(conn, owner, size(left))):
                    claimed += len(chunk)
                    held.update(document.doc_id for document in chunk)
                    kept = []
                    for document in chunk:
                        ok, why = codable(document)
                        if ok:
                            kept.append(document)
                            continue
                        mark_not_coded(conn, document.doc_id, why, status="skipped")
                        held.discard(document.doc_id)
                        summary.skipped[why] = summary.skipped.get(why, 0) + 1
                        progress.advance(task)
                    if kept:
                        yield kept

            def record_result(coded: CodedRecords) -> None:
                doc_id = coded.document.doc_id
                held.discard(doc_id)
                if coded.error:
                    summary.failed += 1
                    if on_problem:
                        on_problem(doc_id, coded.error)
                else:
                    summary.documents += 1
                    summary.events += len(coded.events)
                    summary.positions += len(coded.positions)
                    if coded.note:
                        summary.cut += 1
                        if on_problem:
                            on_problem(doc_id, coded.note)
                progress.advance(task)

            # One coder writes each document as it comes; with workers the parent writes
            # each worker's chunk in one transaction (a kill loses at most the chunk, which
            # stays pending), so the stories of a chunk are merged once and the one writer
            # keeps up with the workers.
            if pool is None:
                batches = (
                    [coded]
                    for chunk in codable_chunks(lambda left: min(left, BATCH))
                    for coded in code_stream(chunk, coder, options=options)
                )
            else:
                batches = pool.code(codable_chunks(lambda left: pool_chunk(left, processes)))
            for batch in batches:
                store_batch(conn, batch)
                for coded in batch:
                    record_result(coded)

    finally:
        if pool is not None:
            for pid in sorted(pool.peak_mb):
                summary.peak_mb[f"worker {pid}"] = pool.peak_mb[pid]
                summary.cpu_s[f"worker {pid}"] = pool.cpu_s[pid]
        release(conn, owner, held)
    summary.peak_mb["main"], summary.cpu_s["main"] = _usage()
    summary.process_records = conn.execute("SELECT COUNT(*) FROM process_records").fetchone()[0]
    conn.close()
    return summary
