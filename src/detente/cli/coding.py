"""CLI commands of the coding stage: code, extract, events, schema."""

from __future__ import annotations

import json
import sqlite3
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from detente.cli import ingest as ingest_cli
from detente.cli.analysis import ProcessOption, SinceOption, UntilOption, filters, open_store
from detente.cli.common import DbOption, console, err_console, fail
from detente.cli.records_output import terminal_text, write_records
from detente.coding.models import Event
from detente.ingest.fetch import DEADLINE_S
from detente.ingest.reader import DEFAULT_MAX_BYTES
from detente.pipeline import MAX_SENTENCES, TIME_BUDGET


class EventFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


def events_table(events: list[Event], title: str | None = None) -> Table:
    table = Table(title=title or f"Events ({len(events)})", show_lines=False)
    for column in ("date", "type", "mode", "actor", "recipient", "modality", "conf"):
        table.add_column(column, no_wrap=True)
    table.add_column("evidence", overflow="ellipsis", min_width=30)
    for e in events:
        table.add_row(
            e.date or "",
            e.event_type,
            e.mode or "",
            ", ".join(f"{a.code or '?'}{'/' + a.sector if a.sector else ''}" for a in e.actor),
            ", ".join(f"{a.code or '?'}{'/' + a.sector if a.sector else ''}" for a in e.recipient),
            e.modality,
            f"{e.confidence:.2f}",
            terminal_text(e.evidence.sentence[:110]),
        )
    return table


def code(
    db: str = DbOption,
    recode: bool = typer.Option(False, "--recode", help="Code every document again."),
    processes: int = typer.Option(
        1, "--processes", "-j", min=1, metavar="N", help="Worker processes (one model each)."
    ),
    max_sentences: int = typer.Option(
        MAX_SENTENCES,
        "--max-sentences",
        min=0,
        metavar="N",
        help="Code at most N sentences of a document (0: no cap); the cut is reported.",
    ),
    time_budget: float = typer.Option(
        TIME_BUDGET,
        "--time-budget",
        min=0,
        metavar="SECONDS",
        help="Give up on a document after this long (0: no limit); it is reported and marked.",
    ),
    limit: int | None = typer.Option(
        None, "--limit", min=1, metavar="N", help="Code at most N documents in this run."
    ),
) -> None:
    """Code every stored document that is not coded yet (events, positions, process records)."""
    from concurrent.futures.process import BrokenProcessPool

    from rich.markup import escape

    from detente.pipeline import CodingOptions, code_database
    from detente.store.db import StoreError, store_error

    open_store(db).close()
    options = CodingOptions(max_sentences=max_sentences or None, time_budget=time_budget or None)

    def problem(doc_id: str, message: str) -> None:
        err_console.print(f"[yellow]{escape(doc_id)}[/]: {escape(message)}", soft_wrap=True)

    try:
        summary = code_database(
            db,
            recode=recode,
            processes=processes,
            options=options,
            on_problem=problem,
            limit=limit,
        )
    except StoreError as exc:
        fail(str(exc))
    except sqlite3.Error as exc:
        fail(str(store_error(db, exc)))
    except BrokenProcessPool:
        fail(
            "a coding worker process died (out of memory?); the documents it held are still"
            " pending: run `detente code` again, with a lower --max-sentences or fewer -j"
        )
    failed = f", {summary.failed} not coded (listed above)" if summary.failed else ""
    cut = f", {summary.cut} cut short" if summary.cut else ""
    console.print(
        f"[bold]coded[/] {summary.documents} documents: {summary.events} events, "
        f"{summary.positions} positions, {summary.process_records} process records in the store"
        f"{cut}{failed}"
    )
    for why, count in summary.skipped.items():
        console.print(
            f"skipped {count} document{'s' * (count != 1)}: {escape(why)}", soft_wrap=True
        )
    peaks = ", ".join(f"{name} {mb:.0f} MB" for name, mb in summary.peak_mb.items())
    cpu = ", ".join(f"{name} {seconds:.1f}" for name, seconds in summary.cpu_s.items())
    console.print(f"peak memory: {peaks}; CPU seconds: {cpu}", soft_wrap=True)


def extract(
    inputs: list[str] = typer.Argument(..., help="Files, folders, URLs or - for stdin."),
    fmt: EventFormat = typer.Option(EventFormat.table, "--format", "-f"),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Write to this file instead of stdout."
    ),
    what: str = typer.Option("events", "--what", help="Comma list of events, positions, process."),
    glob: ingest_cli.GlobOption = None,
    feed: ingest_cli.FeedOption = None,
    allow_private: ingest_cli.AllowPrivateOption = False,
    max_mb: ingest_cli.MaxMbOption = DEFAULT_MAX_BYTES / 1e6,
    follow_symlinks: ingest_cli.FollowSymlinksOption = False,
    deadline: ingest_cli.DeadlineOption = DEADLINE_S,
) -> None:
    """One-shot: read inputs and print their records; no database involved."""
    from detente.pipeline import extract_records

    wanted = {w.strip() for w in what.split(",") if w.strip()}
    options = ingest_cli.read_options(glob, feed, allow_private, max_mb, follow_symlinks, deadline)
    result = extract_records(inputs, what=wanted, **options)
    for rejection in result.rejected:
        ingest_cli.print_item(rejection)
    if not result.documents:
        raise typer.Exit(code=1)
    groups = {
        "events": result.events,
        "positions": result.positions,
        "process": result.process_records,
    }
    for name in ("events", "positions", "process"):
        if name not in wanted:
            continue
        records = groups[name]
        target = (
            out
            if len(wanted) == 1 or out is None
            else out.with_name(f"{out.stem}.{name}{out.suffix}")
        )
        if fmt is EventFormat.table and target is None:
            if name == "events":
                console.print(events_table(records))
            else:
                write_records(records, "jsonl", None)
        else:
            write_records(records, "jsonl" if fmt is EventFormat.table else fmt.value, target)


def events(
    db: str = DbOption,
    event_type: str | None = typer.Option(None, "--type", metavar="TYPE", help="PLOVER type."),
    actor: str | None = typer.Option(None, "--actor", metavar="CODE", help="Actor code."),
    recipient: str | None = typer.Option(
        None, "--recipient", metavar="CODE", help="Recipient code."
    ),
    process: str | None = ProcessOption,
    since: str | None = SinceOption,
    until: str | None = UntilOption,
    modality: str | None = typer.Option(
        None, "--modality", metavar="MODALITY", help="asserted, reported, future…"
    ),
    min_confidence: float | None = typer.Option(
        None, "--min-confidence", metavar="X", min=0, max=1, help="Only confidence ≥ X (0–1)."
    ),
    source: str | None = typer.Option(None, "--source", metavar="OUTLET", help="Outlet."),
    fmt: EventFormat = typer.Option(
        EventFormat.table, "--format", "-f", metavar="FORMAT", help="table, jsonl, csv, parquet."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", metavar="FILE", help="Write to FILE instead of the terminal."
    ),
    limit: int = typer.Option(50, "--limit", "-n", metavar="N", min=1, help="Rows per page."),
    cursor: str | None = typer.Option(
        None, "--cursor", metavar="CURSOR", help="Continue after the page that printed it."
    ),
    every: bool = typer.Option(False, "--all", help="Every match, not one page."),
) -> None:
    """List stored events, filtered; the table shows one page (files get every match)."""
    from detente.store import queries

    selection = filters(
        process, since, until, event_type=event_type, actor=actor, recipient=recipient,
        modality=modality, min_confidence=min_confidence, source=source,
    )  # fmt: skip
    with open_store(db) as conn:
        if fmt is EventFormat.table and out is None:
            page = queries.list_events(
                conn, selection, limit=None if every else limit, cursor=cursor, count=True
            )
            shown = len(page.items)
            title = f"Events {shown} of {page.total}" if page.next_cursor else f"Events ({shown})"
            console.print(events_table(page.items, title))
            if page.next_cursor:
                console.print(f"[dim]More: --cursor {page.next_cursor} (or --all).[/dim]")
            return
        found = queries.iter_records(conn, "events", selection)
        write_records(found, "jsonl" if fmt is EventFormat.table else fmt.value, out)


def schema(
    record: str = typer.Argument("events", help="events, positions or process."),
) -> None:
    """Print the JSON Schema of a record type (the JSONL interchange format)."""
    from detente.positions.models import Position, ProcessRecord

    models = {"events": Event, "positions": Position, "process": ProcessRecord}
    if record not in models:
        raise typer.BadParameter(f"choose one of {', '.join(models)}", param_hint="RECORD")
    console.print_json(json.dumps(models[record].model_json_schema()))


def register(app: typer.Typer) -> None:
    """Attach this stage's commands to the main app."""
    app.command()(code)
    app.command()(extract)
    app.command()(events)
    app.command()(schema)
