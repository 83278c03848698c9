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

from detente.cli.common import DbOption, console, err_console, open_store
from detente.cli.records_output import shorten, terminal_text
from detente.ingest.fetch import DEADLINE_S
from detente.ingest.language import codable
from detente.ingest.models import Document, Rejection
from detente.ingest.pipeline import ingest
from detente.ingest.reader import DEFAULT_MAX_BYTES
from detente.store import documents

PROGRESS_AFTER_S = 2.0
"""Short runs finish before a progress bar would help; longer ones get one."""

docs_app = typer.Typer(help="List stored documents, or show one.", no_args_is_help=False)


# Options shared by every command that reads inputs (``ingest``, ``extract``): one
# definition, so the two commands take the same limits and flags.
GlobOption = Annotated[
    str | None,
    typer.Option(
        "--glob",
        metavar="PATTERN",
        help="Only files matching this pattern in folders, e.g. '*.txt'.",
    ),
]
FeedOption = Annotated[
    list[str] | None,
    typer.Option("--feed", metavar="URL", help="RSS/Atom feed URL (repeatable)."),
]
AllowPrivateOption = Annotated[
    bool,
    typer.Option(
        "--allow-private", help="Allow URLs on private, loopback and link-local addresses."
    ),
]
MaxMbOption = Annotated[
    float,
    typer.Option(
        "--max-mb",
        metavar="MB",
        min=0.001,
        help="Size cap per document: a file, a download or one JSONL record.",
    ),
]
FollowSymlinksOption = Annotated[
    bool,
    typer.Option(
        "--follow-symlinks",
        help="Follow symlinks that lead outside a folder given on the command line.",
    ),
]
DeadlineOption = Annotated[
    float,
    typer.Option(
        "--deadline", metavar="SECONDS", min=0.1, help="Total time allowed for one download."
    ),
]


def read_options(
    glob: str | None,
    feeds: list[str] | None,
    allow_private: bool,
    max_mb: float,
    follow_symlinks: bool,
    deadline: float,
) -> dict:
    """The keyword arguments of :class:`detente.ingest.reader.ReadOptions` from the options."""
    return {
        "glob": glob,
        "feeds": tuple(feeds or ()),
        "allow_private": allow_private,
        "max_bytes": int(max_mb * 1_000_000),
        "follow_symlinks": follow_symlinks,
        "deadline_s": deadline,
    }


def print_item(item: Document | Rejection) -> None:
    """One line for a rejected input or a stored one with a warning, else nothing."""
    if isinstance(item, Rejection):
        err_console.print(
            f"[red]rejected[/red] {terminal_text(item.origin)}: {terminal_text(item.reason)}",
            soft_wrap=True,
        )
    elif item.meta.get("warning"):
        err_console.print(
            f"[yellow]note[/yellow] {terminal_text(item.origin)}: "
            f"{terminal_text(item.meta['warning'])}",
            soft_wrap=True,
        )


class _RunDisplay:
    """Prints one line per rejected input and, once a run is slow, a progress bar."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.count = 0
        self.progress: Progress | None = None
        self.task = None
        self.uncodable = 0

    def __call__(self, outcome: str, item: Document | Rejection) -> None:
        self.count += 1
        print_item(item)
        if outcome in ("ingested", "near-duplicate") and not codable(item)[0]:
            self.uncodable += 1
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
    db: str = DbOption,
    glob: GlobOption = None,
    feed: FeedOption = None,
    allow_private: AllowPrivateOption = False,
    max_mb: MaxMbOption = DEFAULT_MAX_BYTES / 1e6,
    follow_symlinks: FollowSymlinksOption = False,
    deadline: DeadlineOption = DEADLINE_S,
) -> None:
    """Read, clean and store documents; exact copies are counted once, near copies clustered."""
    if not inputs and not feed:
        err_console.print("[red]nothing to ingest:[/red] give a path, URL, - or --feed URL")
        raise typer.Exit(2)
    conn = open_store(db)
    display = _RunDisplay()
    try:
        report = ingest(
            conn,
            inputs or [],
            on_item=display,
            **read_options(glob, feed, allow_private, max_mb, follow_symlinks, deadline),
        )
    except KeyboardInterrupt:
        display.stop()
        err_console.print("[yellow]interrupted[/yellow]: documents stored before it are kept")
        raise typer.Exit(130) from None
    finally:
        display.stop()
        conn.close()
    # One vocabulary with `code` and `docs`: a *document* is what is stored (and coded); a
    # near-duplicate is a stored document joining an existing *story*; an exact duplicate is
    # not stored again.
    stored = report.ingested + report.near_duplicates
    console.print(
        f"stored {stored} documents ({report.ingested} new stories, "
        f"{report.near_duplicates} joined a story) · "
        f"exact duplicates skipped {report.duplicates} · "
        f"rejected {len(report.rejected)} → {escape(str(db))}",
        soft_wrap=True,
    )
    if display.uncodable:
        console.print(
            f"{display.uncodable} of them not in a language detente codes: stored, not coded"
            " (list them with `detente docs --uncodable`)"
        )
    if not (report.ingested or report.duplicates or report.near_duplicates):
        raise typer.Exit(1)


@docs_app.callback(invoke_without_command=True)
def docs_command(
    ctx: typer.Context,
    db: str = DbOption,
    status: str | None = typer.Option(None, "--status", help="Only documents with this status."),
    uncodable: bool = typer.Option(
        False, "--uncodable", help="Only documents in a language detente does not code."
    ),
) -> None:
    """List stored documents."""
    if ctx.invoked_subcommand is not None:
        return
    conn = open_store(db, readonly=True)
    try:
        docs = documents.list_documents(conn, status=status, codable=False if uncodable else None)
        mentions = documents.cluster_mentions(conn)
    finally:
        conn.close()
    table = Table(
        title=f"{len(docs)} documents in {db}",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    for column in ("id", "date", "source", "title", "lang", "words", "cluster", "status"):
        table.add_column(
            column, justify="right" if column == "words" else "left", no_wrap=column != "title"
        )
    for doc in docs:
        count = mentions.get(doc.cluster_id or "", 0)
        table.add_row(
            doc.doc_id,
            doc.published or "—",
            escape(shorten(doc.source or Path(doc.origin).name or "—", 12)),
            escape(shorten(doc.title or doc.clean_text.split("\n")[0], 60)),
            doc.language or "?",
            str(doc.words),
            (doc.cluster_id or "")[:8] + (f" ×{count}" if count > 1 else ""),
            doc.status,
        )
    console.print(table)


def _not_coded(doc: Document) -> str:
    ok, why = codable(doc)
    return "" if ok else f"(not coded: {why})"


@docs_app.command("show")
def show_command(doc_id: str = typer.Argument(..., help="Document id."), db: str = DbOption):
    """Print one document: its metadata, then the clean text."""
    conn = open_store(db, readonly=True)
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
        "language": doc.language and " ".join(filter(None, (doc.language, _not_coded(doc)))),
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
