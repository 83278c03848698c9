"""CLI commands for backfills: ``detente backfill`` (shards → Parquet) and ``detente load``."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from detente.cli.common import DbOption, console, err_console


class Engine(StrEnum):
    local = "local"
    ray = "ray"


def _progress(what: str) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn(f"{{task.completed}} {what}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )


def backfill(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="SHARD...",
            help="JSONL/Parquet shards, folders or globs; paths or fsspec URLs.",
        ),
    ],
    out: Annotated[str, typer.Option("--out", "-o", help="Output folder or URL (Parquet parts).")],
    engine: Annotated[Engine, typer.Option("--engine", help="local process pool or Ray Data.")] = (
        Engine.local
    ),
    address: Annotated[
        str | None,
        typer.Option("--address", help="Ray cluster: auto or ray://host:10001 (default: local)."),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Coding workers.")] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Documents per part.")] = 64,
) -> None:
    """Clean, de-duplicate and code a large archive into partitioned Parquet, in parallel."""
    from detente.backfill.ray_engine import RayNotInstalled
    from detente.backfill.run import backfill as run_backfill
    from detente.backfill.run import rejections

    with _progress("documents coded") as progress:
        task = progress.add_task("", total=None)
        try:
            result = run_backfill(
                inputs, out, engine=engine.value, jobs=jobs, batch_size=batch_size,
                address=address, on_batch=lambda s: progress.advance(task, s.documents),
            )  # fmt: skip
        except RayNotInstalled as exc:
            err_console.print(f"[red]error[/] {exc}", soft_wrap=True)
            raise typer.Exit(code=2) from exc
    for rejection in rejections(out):
        err_console.print(
            f"[red]rejected[/] {escape(rejection.origin)}: {escape(rejection.reason)}",
            soft_wrap=True,
        )
    s = result.summary
    console.print(
        f"[bold]backfilled[/] {s.documents} documents from {result.shards} shards "
        f"({s.duplicates} exact copies dropped, {s.rejected} rejected): {s.events} events, "
        f"{s.positions} positions, {result.process_records} process records → {out}"
    )


def load(
    backfill_dir: Annotated[str, typer.Argument(metavar="DIR", help="A finished backfill.")],
    db: str = DbOption,
) -> None:
    """Bring a backfill's documents and records into a store."""
    from detente.backfill.load import BackfillIncomplete, load_backfill

    with _progress("documents loaded") as progress:
        task = progress.add_task("", total=None)
        try:
            summary = load_backfill(backfill_dir, db, on_part=lambda n: progress.advance(task, n))
        except BackfillIncomplete as exc:
            err_console.print(f"[red]error[/] {exc}", soft_wrap=True)
            raise typer.Exit(code=1) from exc
    for rejection in summary.rejected:
        err_console.print(
            f"[red]rejected[/] {escape(rejection.origin)}: {escape(rejection.reason)}"
        )
    console.print(
        f"[bold]loaded[/] {summary.documents} documents ({summary.duplicates} already stored): "
        f"{summary.events} events, {summary.positions} positions, "
        f"{summary.process_records} process records in {db}"
    )


def register(app: typer.Typer) -> None:
    """Attach the backfill commands to the main app."""
    app.command()(backfill)
    app.command()(load)
