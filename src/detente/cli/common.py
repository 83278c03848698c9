"""Options and helpers shared by every stage's commands."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from detente.store.db import DEFAULT_DB, StoreError, connect, store_error

console = Console()
err_console = Console(stderr=True)

DbOption = typer.Option(
    str(DEFAULT_DB), "--db", metavar="PATH|URL",
    help="SQLite store file, or a PostgreSQL URL (postgresql://user@host/db).",
)  # fmt: skip


def fail(message: str, code: int = 1) -> NoReturn:
    """One line on stderr and a non-zero exit: how every command reports unusable input."""
    err_console.print(f"[red]error[/] {escape(message)}", soft_wrap=True)
    raise typer.Exit(code=code)


def open_store(db: str | Path, readonly: bool = False) -> sqlite3.Connection:
    """The store at ``db`` (read-only for commands that only read), or exit with one line
    saying what is wrong with it and what to do."""

    def notify(line: str) -> None:
        err_console.print(escape(line), soft_wrap=True)

    try:
        conn = connect(db, readonly=readonly, notify=notify)
        if readonly and _underived(conn):
            # Records stored without their derived query columns (a bulk load): fill them
            # once through a writable connection, then read as usual.
            from detente.store.derived import derive_pending

            writer = connect(db, notify=notify)
            try:
                derive_pending(writer)
            finally:
                writer.close()
    except StoreError as exc:
        fail(str(exc))
    except sqlite3.Error as exc:
        fail(str(store_error(db, exc)))
    return conn


def _underived(conn: sqlite3.Connection) -> bool:
    from detente.store.derived import pending_docs

    return bool(pending_docs(conn, limit=1))
