"""Options and helpers shared by every stage's commands."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from detente.store.db import DEFAULT_DB

console = Console()
err_console = Console(stderr=True)

DbOption = typer.Option(Path(DEFAULT_DB), "--db", help="SQLite database file.")
