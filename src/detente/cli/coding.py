"""CLI commands of the coding stage: code, extract, events, schema."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from detente.cli.analysis import ProcessOption, SinceOption, UntilOption, filters, open_store
from detente.cli.common import DbOption, console, err_console
from detente.cli.records_output import terminal_text, write_records
from detente.coding.models import Event


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
    db: Path = DbOption,
    recode: bool = typer.Option(False, "--recode", help="Code every document again."),
    processes: int = typer.Option(1, "--processes", "-j", help="Parser processes."),
) -> None:
    """Code every stored document that is not coded yet (events, positions, process records)."""
    from detente.pipeline import code_database

    summary = code_database(db, recode=recode, n_process=processes)
    console.print(
        f"[bold]coded[/] {summary.documents} documents: {summary.events} events, "
        f"{summary.positions} positions, {summary.process_records} process records"
    )


def extract(
    inputs: list[str] = typer.Argument(..., help="Files, folders, URLs or - for stdin."),
    fmt: EventFormat = typer.Option(EventFormat.table, "--format", "-f"),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Write to this file instead of stdout."
    ),
    what: str = typer.Option("events", "--what", help="Comma list of events, positions, process."),
    glob: str | None = typer.Option(None, "--glob"),
    allow_private: bool = typer.Option(False, "--allow-private"),
) -> None:
    """One-shot: read inputs and print their records; no database involved."""
    from detente.pipeline import extract_records

    wanted = {w.strip() for w in what.split(",") if w.strip()}
    result = extract_records(inputs, glob=glob, allow_private=allow_private, what=wanted)
    for rejection in result.rejected:
        err_console.print(f"[red]rejected[/] {rejection.origin}: {rejection.reason}")
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
    db: Path = DbOption,
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
