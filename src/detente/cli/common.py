"""Options and helpers shared by every stage's commands."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from detente.store.db import DEFAULT_DB, StoreError, connect

console = Console()
err_console = Console(stderr=True)

DbOption = typer.Option(Path(DEFAULT_DB), "--db", metavar="PATH", help="SQLite store file.")


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr and a non-zero exit: how every command reports unusable input."""
    err_console.print(f"[red]error[/] {escape(message)}")
    raise typer.Exit(code=code)


def open_store(db: Path, readonly: bool = False) -> sqlite3.Connection:
    """The store at ``db`` (read-only for commands that only read), or exit with one line
    saying what is wrong with it and what to do."""
    try:
        return connect(db, readonly=readonly, notify=lambda line: err_console.print(escape(line)))
    except StoreError as exc:
        fail(str(exc))
