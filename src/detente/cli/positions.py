"""CLI commands of the positions stage: list positions, and the view of one peace process."""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from detente.cli.common import DbOption, console, err_console
from detente.positions.matrix import (
    actor_text,
    process_view,
    short_quote,
    value_text,
    view_markdown,
)
from detente.positions.taxonomy import TaxonomyError, load_process
from detente.store.db import connect
from detente.store.records import query_positions, query_process_records

CSV_FIELDS = [
    "date",
    "actor",
    "issue",
    "sub_issue",
    "speech_act",
    "stance",
    "position",
    "anchor_label",
    "modality",
    "commitment",
    "confidence",
    "doc_id",
    "evidence",
]


class Format(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


FormatOption = typer.Option(Format.table, "--format", help="table, jsonl or csv.")
OutOption = typer.Option(None, "--out", help="Also write the view to FILE.md or FILE.json.")


def positions_command(
    db: Path = DbOption,
    process: str = typer.Option(None, "--process", help="Only positions of this process."),
    issue: str = typer.Option(None, "--issue", help="Only this issue (e.g. sanctions)."),
    actor: str = typer.Option(None, "--actor", help="Only this actor code (e.g. RUS)."),
    fmt: Format = FormatOption,
) -> None:
    """List coded negotiation positions."""
    conn = connect(db)
    positions = query_positions(conn, process=process, issue=issue, actor=actor)
    if fmt is Format.jsonl:
        for p in positions:
            typer.echo(p.model_dump_json())
        return
    if fmt is Format.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for p in positions:
            row = p.model_dump(include=set(CSV_FIELDS))
            row.update(actor=p.actor.code, evidence=p.evidence.sentence)
            writer.writerow(row)
        typer.echo(buffer.getvalue(), nl=False)
        return
    table = Table(title=f"{len(positions)} positions")
    for column in ("Date", "Actor", "Issue", "Act", "Stance", "Value", "Modality", "Evidence"):
        table.add_column(column)
    for p in positions:
        value = "" if p.position is None else f"{p.position:g}"
        table.add_row(
            p.date or "",
            p.actor.code or "",
            f"{p.issue}/{p.sub_issue or '-'}",
            p.speech_act,
            p.stance,
            value,
            p.modality,
            short_quote(p.evidence.sentence, 60),
        )
    console.print(table)


def process_command(
    name: str = typer.Argument(..., help="Process name, e.g. russia-ukraine."),
    db: Path = DbOption,
    out: Path = OutOption,
    detail: bool = typer.Option(
        False, "--detail", help="Also list each cell's positions on the issue's other sub-issues."
    ),
) -> None:
    """Actor × issue matrix of latest positions, plus exchanges, ceasefires and talks."""
    try:
        load_process(name)
    except TaxonomyError as error:
        err_console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    conn = connect(db)
    view = process_view(
        name, query_positions(conn, process=name), query_process_records(conn, process=name)
    )
    table = Table(title=f"{name}: latest positions")
    for column in ("Actor", "Issue", "Sub-issue", "Stance", "Value", "Date", "Evidence"):
        table.add_column(column)
    for c in view.cells:
        more = f" (+{len(c.sub_positions)})" if c.sub_positions and not detail else ""
        table.add_row(
            actor_text(c.actor, c),
            c.issue,
            (c.sub_issue or "") + more,
            c.stance,
            value_text(c),
            c.date or "",
            c.quote,
        )
        for s in c.sub_positions if detail else ():
            table.add_row(
                actor_text("", s, c.actor),
                "  ↳",
                s.sub_issue or "",
                s.stance,
                value_text(s),
                s.date or "",
                s.quote,
            )
    console.print(table)
    console.print(
        f"exchanges: {len(view.exchanges)}  ceasefires: {len(view.ceasefires)}  "
        f"talks: {len(view.talks)}"
    )
    if out is None:
        return
    if out.suffix == ".json":
        out.write_text(json.dumps(view.model_dump(), indent=2, ensure_ascii=False), "utf-8")
    elif out.suffix == ".md":
        out.write_text(view_markdown(view), encoding="utf-8")
    else:
        err_console.print("[red]--out must end in .md or .json[/red]")
        raise typer.Exit(2)
    console.print(f"wrote {out}")


def register(app: typer.Typer) -> None:
    """Attach this stage's commands to the main app."""
    app.command("positions")(positions_command)
    app.command("process")(process_command)
