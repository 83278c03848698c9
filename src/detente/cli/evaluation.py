"""``detente evaluate``: score detente on a gold file, PLOVER records or a real-news set.

The format is read from the file itself (real-news items carry ``kind`` and ``file``), so
one command serves both; an unusable file exits 2 with what is wrong, record by record.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from detente.cli.common import console


class ReportFormat(StrEnum):
    table = "table"
    json = "json"


def evaluate(
    gold: Path = typer.Argument(
        ..., metavar="GOLD", help="Gold file: PLOVER gold-standard JSON or a real-news gold.json."
    ),
    texts: Path | None = typer.Option(
        None,
        "--texts",
        metavar="DIR",
        help="Real-news sets: folder holding the article files (default: the gold file's).",
    ),
    output: ReportFormat = typer.Option(
        ReportFormat.table, "--format", "-f", help="table (terminal) or json (stdout)."
    ),
    misses: int = typer.Option(
        10, "--misses", metavar="N", help="Misses to show per kind in the table view."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", metavar="FILE", help="Also write the full report (JSON) here."
    ),
) -> None:
    """Score the coder on gold records: per-kind figures and the misses."""
    from detente.evaluation.gold import GoldError, detect_format, read_json_list

    try:
        kind = detect_format(read_json_list(gold))
        if kind == "realnews":
            from detente.evaluation.realnews import evaluate_realnews

            with console.status(f"coding the articles of {gold}"):
                report = evaluate_realnews(gold, texts)
        else:
            report = _plover(gold)
    except GoldError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    data = report.to_json()
    if out:
        out.write_text(json.dumps(data, indent=2), encoding="utf-8")
    if output is ReportFormat.json:
        typer.echo(json.dumps(data, indent=2))
        return
    if kind == "realnews":
        _print_realnews(data, misses)
    else:
        _print_plover(report)
    if out:
        console.print(f"report written to {out}")


def _plover(gold: Path):
    from detente.coding.coder import EventCoder
    from detente.evaluation.plover import evaluate as run_evaluation
    from detente.evaluation.plover import load_gold

    warnings: list[str] = []
    records = load_gold(gold, warnings=warnings)
    for warning in warnings:
        typer.echo(f"{gold}: {warning}", err=True)
    with console.status(f"coding {len(records)} gold records"):
        return run_evaluation(EventCoder(), records)


def _print_realnews(data: dict, misses: int) -> None:
    table = Table(title=f"Real-news evaluation: {data['articles']} articles, {data['items']} items")
    for column in ("kind", "n", "check", "passed", "rate"):
        table.add_column(column, justify="left" if column in ("kind", "check") else "right")
    for kind, score in data["kinds"].items():
        for i, (check, c) in enumerate(score["checks"].items()):
            table.add_row(
                kind if i == 0 else "",
                str(score["n"]) if i == 0 else "",
                check,
                f"{c['passed']}/{c['of']}",
                f"{c['rate']:.3f}",
            )
        table.add_section()
    console.print(table)
    for kind, score in data["kinds"].items():
        shown = score["misses"][:misses]
        if not shown:
            continue
        console.print(f"[bold]{kind}[/]: {len(score['misses'])} misses (first {len(shown)})")
        for miss in shown:
            console.print(f"  {json.dumps(miss, ensure_ascii=False)}", markup=False)


def _print_plover(report) -> None:
    table = Table(
        title=f"Event types on {report.records} gold records ({report.sentences} sentences)"
    )
    for column in ("type", "gold", "found", "predicted", "precision", "recall", "F1"):
        table.add_column(column, justify="right" if column != "type" else "left")
    rows = sorted(report.per_type.items()) + [("[bold]overall", report.overall)]
    for name, s in rows:
        table.add_row(
            name,
            str(s.gold),
            str(s.found),
            str(s.predicted),
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
        )
    console.print(table)
    console.print(
        f"top-1 accuracy {report.top1_accuracy:.3f} · "
        f"actor country accuracy {report.actor_accuracy:.3f} (n={report.actor_scored}) · "
        f"recipient {report.recipient_accuracy:.3f} (n={report.recipient_scored})"
    )
    confusion = Table(title="Confusion (gold rows × top-1 predicted)")
    predicted_types = sorted({p for row in report.confusion.values() for p in row})
    confusion.add_column("gold")
    for p in predicted_types:
        confusion.add_column(p[:4], justify="right")
    for g, row in sorted(report.confusion.items()):
        confusion.add_row(g, *[str(row.get(p, "")) for p in predicted_types])
    console.print(confusion)


def register(app: typer.Typer) -> None:
    """Attach the evaluation command to the main app."""
    app.command()(evaluate)
