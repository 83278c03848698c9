"""CLI commands of the ingest stage: ``detente ingest`` and ``detente docs``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from detente.cli.common import DbOption, console, err_console
from detente.ingest.models import Document, Rejection
from detente.ingest.pipeline import ingest
from detente.ingest.reader import DEFAULT_MAX_BYTES
from detente.store import documents
from detente.store.db import connect

PROGRESS_AFTER_S = 2.0
"""Short runs finish before a progress bar would help; longer ones get one."""

docs_app = typer.Typer(help="List stored documents, or show one.", no_args_is_help=False)


class _RunDisplay:
    """Prints one line per rejected input and, once a run is slow, a progress bar."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.count = 0
        self.progress: Progress | None = None
        self.task = None

    def __call__(self, outcome: str, item: Document | Rejection) -> None:
        self.count += 1
        if isinstance(item, Rejection):
            err_console.print(
                f"[red]rejected[/red] {escape(item.origin)}: {escape(item.reason)}",
                soft_wrap=True,
            )
        if self.progress is None and time.monotonic() - self.started > PROGRESS_AFTER_S:
            self.progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.completed} inputs read"),
                TimeElapsedColumn(),
                TextColumn("[dim]{task.description}"),
                console=err_console,
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task("", total=None)
        if self.progress is not None:
            self.progress.update(self.task, completed=self.count, description=item.origin[-60:])

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def ingest_command(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH_OR_URL...", help="Files, folders, http(s) URLs, or - for stdin."
        ),
    ] = None,
    db: Path = DbOption,
    glob: Annotated[
        str | None,
        typer.Option("--glob", help="Only files matching this pattern in folders, e.g. '*.txt'."),
    ] = None,
    feed: Annotated[
        list[str] | None, typer.Option("--feed", help="RSS/Atom feed URL (repeatable).")
    ] = None,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private", help="Allow URLs on private, loopback and link-local addresses."
        ),
    ] = False,
    max_mb: Annotated[
        float, typer.Option("--max-mb", help="Size cap per file or download, in MB.")
    ] = DEFAULT_MAX_BYTES / 1e6,
) -> None:
    """Read, clean and store documents; exact copies are counted once, near copies clustered."""
    if not inputs and not feed:
        err_console.print("[red]nothing to ingest:[/red] give a path, URL, - or --feed URL")
        raise typer.Exit(2)
    conn = connect(db)
    display = _RunDisplay()
    try:
        report = ingest(
            conn,
            inputs or [],
            glob=glob,
            feeds=feed or [],
            allow_private=allow_private,
            max_bytes=int(max_mb * 1_000_000),
            on_item=display,
        )
    except KeyboardInterrupt:
        display.stop()
        err_console.print("[yellow]interrupted[/yellow]: documents stored before it are kept")
        raise typer.Exit(130) from None
    finally:
        display.stop()
        conn.close()
    console.print(
        f"ingested {len(report.ingested)} · duplicates {len(report.duplicates)} · "
        f"near-duplicates {len(report.near_duplicates)} · rejected {len(report.rejected)} "
        f"→ {escape(str(db))}"
    )
    if not (report.ingested or report.duplicates or report.near_duplicates):
        raise typer.Exit(1)


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@docs_app.callback(invoke_without_command=True)
def docs_command(
    ctx: typer.Context,
    db: Path = DbOption,
    status: str | None = typer.Option(None, "--status", help="Only documents with this status."),
) -> None:
    """List stored documents."""
    if ctx.invoked_subcommand is not None:
        return
    conn = connect(db)
    try:
        docs = documents.list_documents(conn, status=status)
        mentions = documents.cluster_mentions(conn)
    finally:
        conn.close()
    table = Table(
        title=f"{len(docs)} documents in {db}",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    for column in ("id", "date", "source", "title", "words", "cluster", "status"):
        table.add_column(
            column, justify="right" if column == "words" else "left", no_wrap=column != "title"
        )
    for doc in docs:
        count = mentions.get(doc.cluster_id or "", 0)
        table.add_row(
            doc.doc_id,
            doc.published or "—",
            escape(_shorten(doc.source or Path(doc.origin).name or "—", 12)),
            escape(_shorten(doc.title or doc.clean_text.split("\n")[0], 60)),
            str(doc.words),
            (doc.cluster_id or "")[:8] + (f" ×{count}" if count > 1 else ""),
            doc.status,
        )
    console.print(table)


@docs_app.command("show")
def show_command(doc_id: str = typer.Argument(..., help="Document id."), db: Path = DbOption):
    """Print one document: its metadata, then the clean text."""
    conn = connect(db)
    try:
        doc = documents.get(conn, doc_id)
        mentions = documents.cluster_mentions(conn)
        sources = documents.cluster_sources(conn, doc.cluster_id) if doc else []
    finally:
        conn.close()
    if doc is None:
        err_console.print(f"[red]no document[/red] {escape(doc_id)} in {escape(str(db))}")
        raise typer.Exit(1)
    meta = Table.grid(padding=(0, 2))
    meta.add_column(style="bold")
    meta.add_column()
    rows = {
        "id": doc.doc_id,
        "title": doc.title,
        "author": doc.author,
        "published": doc.published and f"{doc.published}  ({doc.published_evidence})",
        "source": doc.source,
        "url": doc.url,
        "origin": doc.origin,
        "language": doc.language,
        "words": str(doc.words),
        "status": doc.status,
        "cluster": doc.cluster_id
        and f"{doc.cluster_id}  (mentions: {mentions.get(doc.cluster_id, 0)})",
        "also in": ", ".join(s["origin"] for s in sources if s["origin"] != doc.origin) or None,
    }
    for key, value in rows.items():
        if value:
            meta.add_row(key, escape(value))
    console.print(meta)
    console.rule()
    console.print(escape(doc.clean_text), soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Attach this stage's commands to the main app."""
    app.command("ingest")(ingest_command)
    app.add_typer(docs_app, name="docs")
