"""CLI commands of the analysis stage: report, export, and the analyses as tables."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import typer
from rich.table import Table

from detente.cli.common import DbOption, console, err_console

FormatOption = typer.Option("table", "--format", "-f", help="table, csv or json.")
ProcessOption = typer.Option(
    None,
    "--process",
    help="Only this peace process: records naming its belligerents, or its third parties"
    " in articles about it (docs/signal_index.md).",
)
SinceOption = typer.Option(None, "--since", help="First day (YYYY-MM-DD).")
UntilOption = typer.Option(None, "--until", help="Last day (YYYY-MM-DD).")
SpeculativeOption = typer.Option(
    False, "--include-speculative", help="Also count future/speculative/hypothetical/negated."
)
FreqOption = typer.Option("day", "--freq", help="day or week.")
ReportOutOption = typer.Option(Path("report.html"), "--out", "-o", help="File to write.")
ReportFormatOption = typer.Option("html", "--format", "-f", help="html or md.")
ExportOutOption = typer.Option(..., "--out", "-o", help="Directory to write into.")
ExportFormatOption = typer.Option("jsonl", "--format", "-f", help="parquet, csv or jsonl.")
ExportWhatOption = typer.Option(
    "events,positions,process,gdelt", "--what", help="Comma-separated tables to export."
)


def _corpus(db: Path, process: str | None, since: str | None, until: str | None):
    from detente.analysis.corpus import load_corpus
    from detente.store.db import connect

    if not db.exists():
        err_console.print(f"[red]No database at {db}[/red]: ingest and code documents first.")
        raise typer.Exit(1)
    conn = connect(db)
    try:
        return load_corpus(conn, process=process, since=since, until=until)
    finally:
        conn.close()


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
            table.add_row(*("" if v is None else str(v) for v in row.values()))
        console.print(table)
    else:
        err_console.print(f"[red]Unknown format {fmt!r}[/red]: use table, csv or json.")
        raise typer.Exit(2)


def _analysis_command(
    title: str, empty: str, compute: Callable[..., list[dict]]
) -> Callable[..., None]:
    def command(
        db: Path = DbOption,
        process: str | None = ProcessOption,
        since: str | None = SinceOption,
        until: str | None = UntilOption,
        include_speculative: bool = SpeculativeOption,
        fmt: str = FormatOption,
    ) -> None:
        corpus = _corpus(db, process, since, until)
        emit(compute(corpus, include_speculative), fmt, title, empty)

    return command


def _timeline(corpus, speculative: bool) -> list[dict]:
    from detente.analysis.tables import timeline_rows
    from detente.analysis.timeline import key_timeline

    return timeline_rows(key_timeline(corpus, speculative))


def _signal(corpus, speculative: bool) -> list[dict]:
    from detente.analysis.signal import signal_index
    from detente.analysis.tables import signal_rows

    return signal_rows(signal_index(corpus))


def _space(corpus, speculative: bool) -> list[dict]:
    from detente.analysis.space import negotiation_space
    from detente.analysis.tables import space_rows

    return space_rows(negotiation_space(corpus, include_speculative=speculative))


def register(app: typer.Typer) -> None:
    """Attach this stage's commands to the main app."""
    app.command("timeline", help="Key events (talks, exchanges, ceasefires, threats…) by date.")(
        _analysis_command("Key events", "No key events in this selection.", _timeline)
    )
    app.command("signal", help="Negotiation signal index per process and ISO week (−100…100).")(
        _analysis_command("Negotiation signal index", "No negotiation signals.", _signal)
    )
    app.command("space", help="Negotiation space per issue: positions, interval, ZOPA, model.")(
        _analysis_command("Negotiation space", "No positions with a value.", _space)
    )
    app.command("dyads", help="Actor → recipient PLOVER counts and scores per day or week.")(dyads)
    app.command("report", help="Write the self-contained HTML (or Markdown) report.")(report)
    app.command("export", help="Export records and a GDELT-style table (parquet/csv/jsonl).")(
        export
    )


def dyads(
    db: Path = DbOption,
    process: str | None = ProcessOption,
    since: str | None = SinceOption,
    until: str | None = UntilOption,
    include_speculative: bool = SpeculativeOption,
    freq: str = FreqOption,
    fmt: str = FormatOption,
) -> None:
    from detente.analysis.dyads import dyadic_series
    from detente.analysis.tables import dyad_rows

    if freq not in ("day", "week"):
        err_console.print("[red]--freq must be day or week[/red]")
        raise typer.Exit(2)
    corpus = _corpus(db, process, since, until)
    rows = dyad_rows(dyadic_series(corpus, freq, include_speculative))
    emit(rows, fmt, f"Dyadic series per {freq}", "No dated events with actor and recipient.")


def report(
    out: Path = ReportOutOption,
    db: Path = DbOption,
    process: str | None = ProcessOption,
    since: str | None = SinceOption,
    until: str | None = UntilOption,
    include_speculative: bool = SpeculativeOption,
    fmt: str = ReportFormatOption,
) -> None:
    from detente.report.build import FORMATS, write_corpus_report

    if fmt not in FORMATS:
        err_console.print(f"[red]Unknown report format {fmt!r}[/red]: use html or md.")
        raise typer.Exit(2)
    corpus = _corpus(db, process, since, until)
    data = write_corpus_report(
        corpus, out, fmt, process=process, since=since, until=until,
        include_speculative=include_speculative,
    )  # fmt: skip
    summary = ", ".join(f"{n} {k}" for k, n in data.counts.items())
    console.print(f"Wrote {out} ({summary}).")
    if corpus.is_empty:
        console.print("[yellow]No records in this selection: the report says so.[/yellow]")


def export(
    out: Path = ExportOutOption,
    fmt: str = ExportFormatOption,
    what: str = ExportWhatOption,
    db: Path = DbOption,
    process: str | None = ProcessOption,
    since: str | None = SinceOption,
    until: str | None = UntilOption,
) -> None:
    from detente.analysis.export import export_tables

    tables = tuple(t.strip() for t in what.split(",") if t.strip())
    corpus = _corpus(db, process, since, until)
    try:
        paths = export_tables(corpus, out, fmt, tables)
    except (ValueError, ImportError) as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    for path in paths:
        console.print(f"Wrote {path}")
