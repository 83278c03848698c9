"""CLI commands of the positions stage: list positions, and the view of one peace process.

``process`` prints its matrix to fit the terminal: one block per issue, headed by what the
two ends of the issue's scale mean, one compact row per party; ``--wide`` prints every
column in one table. A stance is always shown with the pole it leans to, so "territory:
against" cannot be misread.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from detente.cli.analysis import SinceOption, UntilOption, filters, open_store
from detente.cli.common import DbOption, console, err_console
from detente.cli.records_output import shorten, terminal_text, write_records
from detente.positions.matrix import (
    Cell,
    SubCell,
    actor_text,
    pole,
    process_view,
    short_quote,
    stance_text,
    value_text,
    view_markdown,
)
from detente.positions.taxonomy import TaxonomyError, load_process, load_taxonomy
from detente.store import queries

WIDE_COLUMNS = 220
"""Width ``--wide`` prints at, whatever the terminal: long rows are what it is for."""


class Format(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


def positions_command(
    db: str = DbOption,
    process: str | None = typer.Option(
        None, "--process", metavar="NAME", help="Only positions of this peace process."
    ),
    issue: str | None = typer.Option(
        None, "--issue", metavar="ISSUE", help="Only this issue (e.g. sanctions)."
    ),
    actor: str | None = typer.Option(
        None, "--actor", metavar="CODE", help="Only this actor code (e.g. RUS)."
    ),
    stance: str | None = typer.Option(
        None, "--stance", metavar="STANCE", help="Only favor, against, conditional or neutral."
    ),
    since: str | None = SinceOption,
    until: str | None = UntilOption,
    modality: str | None = typer.Option(
        None, "--modality", metavar="MODALITY", help="Only asserted, reported, future…"
    ),
    min_confidence: float | None = typer.Option(
        None, "--min-confidence", metavar="X", min=0, max=1, help="Only confidence ≥ X (0–1)."
    ),
    fmt: Format = typer.Option(
        Format.table, "--format", "-f", metavar="FORMAT", help="table, jsonl, csv or parquet."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", metavar="FILE", help="Write to FILE instead of the terminal."
    ),
    limit: int = typer.Option(
        50, "--limit", "-n", metavar="N", min=1, help="Rows per page of the table."
    ),
    offset: int = typer.Option(0, "--offset", metavar="N", min=0, help="Rows to skip first."),
    every: bool = typer.Option(False, "--all", help="Every row in the table, not one page."),
) -> None:
    """List coded negotiation positions (files and pipes get every match)."""
    selection = filters(
        process, since, until, issue=issue, actor=actor, stance=stance, modality=modality,
        min_confidence=min_confidence,
    )  # fmt: skip
    with open_store(db) as conn:
        if fmt is not Format.table or out is not None:
            kind = "jsonl" if fmt is Format.table else fmt.value
            try:
                n = write_records(queries.iter_records(conn, "positions", selection), kind, out)
            except SystemExit as exc:
                err_console.print(f"[red]{exc}[/red]")
                raise typer.Exit(2) from exc
            if out is not None:
                console.print(f"wrote {n} positions to {out}")
            return
        page = queries.list_positions(
            conn, selection, limit=None if every else limit, offset=offset, count=True
        )
    table = Table(title=f"{page.total} positions")
    for column in ("Date", "Actor", "Issue", "Act", "Stance", "Value", "Modality", "Evidence"):
        table.add_column(column, overflow="fold" if column != "Evidence" else "ellipsis")
    for p in page.items:
        table.add_row(
            p.date or "",
            terminal_text(p.actor.code or p.actor.text),
            f"{p.issue}/{p.sub_issue or '-'}",
            p.speech_act,
            terminal_text(stance_text(p.stance, p.issue, p.sub_issue, p.process)),
            "" if p.position is None else f"{p.position:g}",
            p.modality,
            terminal_text(short_quote(p.evidence.sentence, 60)),
        )
    console.print(table)
    shown = offset + len(page.items)
    if page.total is not None and shown < page.total:
        console.print(f"[dim]Rows {offset + 1}–{shown} of {page.total}: --offset {shown} for"
                      " more, --all for every one, --out FILE to save them.[/dim]")  # fmt: skip


def _issue_heading(issue: str, process: str) -> str:
    taxonomy = load_taxonomy()
    label = taxonomy.issues[issue].label if issue in taxonomy.issues else issue
    low, high = pole(issue, None, 0, process), pole(issue, None, 100, process)
    scale = (
        f"  [dim]0 = {terminal_text(low)} · 100 = {terminal_text(high)}[/dim]"
        if low and high
        else ""
    )
    return f"[bold]{terminal_text(label)}[/bold]{scale}"


def _compact_row(actor: str, c: Cell | SubCell, more: str = "") -> list[str]:
    value = "" if c.position is None else f"{c.position:g}"
    return [
        terminal_text(actor),
        terminal_text(stance_text(c.stance, "", compact=True)) + more,
        value,
        c.date or "",
        terminal_text(c.quote),
    ]


SHORT = ("actor", "stance", "value", "date")


def _print_blocks(view, detail: bool, out: Console) -> None:
    """One block per issue, each row a party: fits an 80-column terminal."""
    issues = list(dict.fromkeys(c.issue for c in view.cells))
    for issue in issues:
        out.print(_issue_heading(issue, view.process))
        rows = []
        for c in (c for c in view.cells if c.issue == issue):
            more = f" +{len(c.sub_positions)}" if c.sub_positions and not detail else ""
            rows.append(_compact_row(actor_text(c.actor, c), c, more))
            rows += [
                _compact_row(f"  ↳ {s.sub_issue or ''}", s)
                for s in (c.sub_positions if detail else ())
            ]
        table = Table(show_header=True, header_style="dim", box=None, pad_edge=False)
        # The short columns keep their full width; the evidence is cut to what is left.
        widths = [max([len(name)] + [len(r[i]) for r in rows]) for i, name in enumerate(SHORT)]
        room = max(20, out.width - sum(widths) - 2 * len(SHORT) - 1)
        for name, width in zip(SHORT, widths, strict=True):
            justify = "right" if name == "value" else "left"
            table.add_column(name, no_wrap=True, width=width, justify=justify)
        table.add_column("evidence", no_wrap=True, width=room)
        rows = [[*r[:-1], shorten(r[-1], room)] for r in rows]
        for row in rows:
            table.add_row(*row)
        out.print(table)
        out.print()


def _print_wide(view, detail: bool) -> None:
    wide = Console(width=max(console.width, WIDE_COLUMNS))
    table = Table(title=f"{view.process}: latest positions")
    for column in ("Actor", "Issue", "Sub-issue", "Stance", "Value", "Date", "Evidence"):
        table.add_column(column, overflow="fold")
    for c in view.cells:
        more = f" (+{len(c.sub_positions)})" if c.sub_positions and not detail else ""
        rows = [(actor_text(c.actor, c), c.issue, (c.sub_issue or "") + more, c)]
        rows += [(actor_text("", s, c.actor), "  ↳", s.sub_issue or "", s)
                 for s in (c.sub_positions if detail else ())]  # fmt: skip
        for actor, shown, sub, cell in rows:
            table.add_row(
                terminal_text(actor), shown, sub,
                terminal_text(stance_text(cell.stance, c.issue, cell.sub_issue, view.process)),
                terminal_text(value_text(cell)), cell.date or "", terminal_text(cell.quote),
            )  # fmt: skip
    wide.print(table)


def process_command(
    name: str = typer.Argument(..., metavar="NAME", help="Process name, e.g. russia-ukraine."),
    db: str = DbOption,
    out: Path | None = typer.Option(
        None, "--out", "-o", metavar="FILE", help="Also write the view to FILE.md or FILE.json."
    ),
    detail: bool = typer.Option(
        False, "--detail", help="Also list each cell's positions on the issue's other sub-issues."
    ),
    wide: bool = typer.Option(
        False, "--wide", help="One table with every column, whatever the terminal's width."
    ),
) -> None:
    """Actor × issue matrix of latest positions, plus exchanges, ceasefires and talks."""
    try:
        load_process(name)
    except TaxonomyError as error:
        err_console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    if out is not None and out.suffix not in (".md", ".json"):
        err_console.print("[red]--out must end in .md or .json[/red]")
        raise typer.Exit(2)
    with open_store(db) as conn:
        selection = filters(name)
        candidates = queries.position_candidates(conn, selection)
        records = queries.list_process_records(conn, selection)
    view = process_view(name, [c.position for c in candidates], records)
    if wide:
        _print_wide(view, detail)
    elif view.cells:
        console.print(f"[bold]{name}[/bold]: latest position per party and issue"
                      " (stance →0/→100: the end of the issue's scale it leans to)\n")  # fmt: skip
        _print_blocks(view, detail, console)
    else:
        console.print(f"[yellow]No positions recorded for {name}.[/yellow]")
    console.print(
        f"exchanges: {len(view.exchanges)}  ceasefires: {len(view.ceasefires)}  "
        f"talks: {len(view.talks)}"
    )
    if out is None:
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix == ".json":
        out.write_text(json.dumps(view.model_dump(), indent=2, ensure_ascii=False), "utf-8")
    else:
        out.write_text(view_markdown(view), encoding="utf-8")
    console.print(f"wrote {out}")


def register(app: typer.Typer) -> None:
    """Attach this stage's commands to the main app."""
    app.command("positions")(positions_command)
    app.command("process")(process_command)
