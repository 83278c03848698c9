"""CLI commands of the analysis stage: report, export, and the analyses as tables.

Every command turns its options into :class:`~detente.store.queries.Filters` and lets
the store do the filtering and counting, so they answer as fast on a million events as on
a hundred. Dates are checked before anything is read: ``--since yesterday`` is an error,
not an empty result.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import typer
from rich.table import Table

from detente.cli import common
from detente.cli.common import DbOption, console, err_console
from detente.cli.records_output import terminal_text
from detente.store.queries import FilterError, Filters, check_day


def _day(value: str | None) -> str | None:
    """Typer callback: a clear usage error for a date that is not YYYY-MM-DD."""
    try:
        return check_day(value, "")
    except FilterError as exc:
        raise typer.BadParameter(str(exc)) from exc


FormatOption = typer.Option("table", "--format", "-f", metavar="FORMAT", help="table, csv or json.")
ProcessOption = typer.Option(
    None,
    "--process",
    metavar="NAME",
    help="Only this peace process: records naming its belligerents, or its third parties"
    " in articles about it (docs/signal_index.md).",
)
SinceOption = typer.Option(
    None, "--since", metavar="DATE", help="First day, YYYY-MM-DD.", callback=_day
)
UntilOption = typer.Option(
    None, "--until", metavar="DATE", help="Last day, YYYY-MM-DD.", callback=_day
)
SpeculativeOption = typer.Option(
    False, "--include-speculative", help="Also count future/speculative/hypothetical/negated."
)
FreqOption = typer.Option("day", "--freq", metavar="PERIOD", help="day, week or month.")
LimitOption = typer.Option(
    50, "--limit", "-n", metavar="N", min=1, help="Rows per page (the table is paged)."
)
OffsetOption = typer.Option(0, "--offset", metavar="N", min=0, help="Rows to skip first.")
AllOption = typer.Option(False, "--all", help="Every row instead of one page.")
PerOption = typer.Option(
    None, "--per", metavar="PERIOD",
    help="Count key events per day, week or month instead of listing them.",
)  # fmt: skip
ReportOutOption = typer.Option(
    Path("out/report.html"), "--out", "-o", metavar="FILE", help="File to write."
)
ReportFormatOption = typer.Option("html", "--format", "-f", metavar="FORMAT", help="html or md.")
ExportOutOption = typer.Option(
    ..., "--out", "-o", metavar="DIR", help="Directory to write into (created)."
)
ExportFormatOption = typer.Option(
    "jsonl", "--format", "-f", metavar="FORMAT", help="parquet, csv or jsonl."
)
ExportWhatOption = typer.Option(
    "events,positions,process,gdelt", "--what", metavar="TABLES",
    help="Comma-separated tables to export: events, positions, process, gdelt.",
)  # fmt: skip


def open_store(db: str) -> sqlite3.Connection:
    """The store at ``db``, read-only, or one clear line when it cannot be read (reading
    never creates one)."""
    return common.open_store(db, readonly=True)


def filters(
    process: str | None = None, since: str | None = None, until: str | None = None, **more
) -> Filters:
    try:
        return Filters(process=process, since=since, until=until, **more)
    except FilterError as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc


def _check_freq(freq: str, option: str = "--freq") -> None:
    if freq not in ("day", "week", "month"):
        err_console.print(f"[red]{option} must be day, week or month[/red]")
        raise typer.Exit(2)


def emit(rows: list[dict], fmt: str, title: str, empty: str) -> None:
    """Print rows as a Rich table, CSV or JSON (JSON and CSV keep every column)."""
    from detente.analysis.frames import scalar
    from detente.analysis.tables import compact

    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    elif fmt == "csv":
        buffer = io.StringIO()
        columns = list(dict.fromkeys(k for row in rows for k in row))
        writer = csv.DictWriter(buffer, fieldnames=columns)
        writer.writeheader()
        writer.writerows({k: scalar(v) for k, v in row.items()} for row in rows)
        typer.echo(buffer.getvalue(), nl=False)
    elif fmt == "table":
        if not rows:
            console.print(f"[yellow]{empty}[/yellow]")
            return
        shown = compact(rows)
        table = Table(title=title)
        for column in dict.fromkeys(k for row in shown for k in row):
            table.add_column(column, overflow="fold")
        for row in shown:
            table.add_row(*("" if v is None else terminal_text(str(v)) for v in row.values()))
        console.print(table)
    else:
        err_console.print(f"[red]Unknown format {fmt!r}[/red]: use table, csv or json.")
        raise typer.Exit(2)


def timeline(
    db: str = DbOption,
    process: str | None = ProcessOption,
    since: str | None = SinceOption,
    until: str | None = UntilOption,
    include_speculative: bool = SpeculativeOption,
    per: str | None = PerOption,
    limit: int = LimitOption,
    offset: int = OffsetOption,
    every: bool = AllOption,
    fmt: str = FormatOption,
) -> None:
    """Key events (talks, exchanges, ceasefires, threats…) by date, one page at a time."""
    from detente.analysis.tables import bucket_rows, timeline_rows
    from detente.analysis.timeline import key_timeline, timeline_counts

    selection = filters(process, since, until)
    if per is not None:
        _check_freq(per, "--per")
    with open_store(db) as conn:
        if per:
            rows = bucket_rows(timeline_counts(conn, selection, per, include_speculative))
            emit(rows, fmt, f"Key events per {per}", "No key events in this selection.")
            return
        entries = key_timeline(
            conn, selection, include_speculative, limit=None if every else limit, offset=offset
        )
    emit(timeline_rows(entries), fmt, "Key events", "No key events in this selection.")
    if not every and fmt == "table" and len([t for t in entries if t.origin == "event"]) == limit:
        console.print(f"[dim]First {limit} key events from row {offset}: --offset"
                      f" {offset + limit} for more, --all for every one.[/dim]")  # fmt: skip


def signal(
    db: str = DbOption,
    process: str | None = ProcessOption,
    since: str | None = SinceOption,
    until: str | None = UntilOption,
    fmt: str = FormatOption,
) -> None:
    """Negotiation signal index per process and ISO week (−100…100)."""
    from detente.analysis.signal import signal_index
    from detente.analysis.tables import signal_rows

    with open_store(db) as conn:
        rows = signal_rows(signal_index(conn, filters(process, since, until)))
    emit(rows, fmt, "Negotiation signal index", "No negotiation signals.")


def space(
    db: str = DbOption,
    process: str | None = ProcessOption,
    since: str | None = SinceOption,
    until: str | None = UntilOption,
    include_speculative: bool = SpeculativeOption,
    fmt: str = FormatOption,
) -> None:
    """Negotiation space per issue: positions, interval, ZOPA, model."""
    from detente.analysis.space import negotiation_space
    from detente.analysis.tables import space_rows

    with open_store(db) as conn:
        spaces = negotiation_space(
            conn, filters(process, since, until), include_speculative=include_speculative
        )
    emit(space_rows(spaces), fmt, "Negotiation space", "No positions with a value.")


def dyads(
    db: str = DbOption,
    process: str | None = ProcessOption,
    since: str | None = SinceOption,
    until: str | None = UntilOption,
    include_speculative: bool = SpeculativeOption,
    freq: str = FreqOption,
    fmt: str = FormatOption,
) -> None:
    """Actor → recipient PLOVER counts and scores per day, week or month."""
    from detente.analysis.dyads import dyadic_series, with_evidence
    from detente.analysis.tables import dyad_rows

    _check_freq(freq)
    selection = filters(process, since, until)
    with open_store(db) as conn:
        series = dyadic_series(conn, selection, freq, include_speculative)
        rows = dyad_rows(with_evidence(conn, series, selection, freq, include_speculative))
    emit(rows, fmt, f"Dyadic series per {freq}", "No dated events with actor and recipient.")


def report(
    out: Path = ReportOutOption,
    db: str = DbOption,
    process: str | None = ProcessOption,
    since: str | None = SinceOption,
    until: str | None = UntilOption,
    include_speculative: bool = SpeculativeOption,
    fmt: str = ReportFormatOption,
) -> None:
    """Write the self-contained HTML (or Markdown) report of a selection."""
    from detente.report.build import FORMATS, write_report

    if fmt not in FORMATS:
        err_console.print(f"[red]Unknown report format {fmt!r}[/red]: use html or md.")
        raise typer.Exit(2)
    selection = filters(process, since, until)
    with open_store(db) as conn, console.status("computing the report"):
        data = write_report(conn, out, fmt, selection, include_speculative=include_speculative)
    summary = ", ".join(f"{n} {k}" for k, n in data.counts.items())
    console.print(f"Wrote {out} ({summary}).")
    if not any(data.counts.values()):
        console.print("[yellow]No records in this selection: the report says so.[/yellow]")


def export(
    out: Path = ExportOutOption,
    fmt: str = ExportFormatOption,
    what: str = ExportWhatOption,
    db: str = DbOption,
    process: str | None = ProcessOption,
    since: str | None = SinceOption,
    until: str | None = UntilOption,
) -> None:
    """Export records and a GDELT-style table (parquet/csv/jsonl), streamed from the store."""
    from detente.analysis.export import export_tables

    tables = tuple(t.strip() for t in what.split(",") if t.strip())
    selection = filters(process, since, until)
    with open_store(db) as conn:
        try:
            with console.status(f"exporting {', '.join(tables)}"):
                paths = export_tables(conn, out, fmt, tables, selection)
        except (ValueError, ImportError) as exc:
            err_console.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from exc
    for path in paths:
        console.print(f"Wrote {path}")


def register(app: typer.Typer) -> None:
    """Attach this stage's commands to the main app."""
    for command in (timeline, signal, space, dyads, report, export):
        app.command(command.__name__)(command)
