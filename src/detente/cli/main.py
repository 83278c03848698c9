"""The ``detente`` command: one Typer app, commands grouped by pipeline stage.

Each stage module exposes ``register(app)`` so the commands of a stage live next
to each other and this file only wires them together.
"""

from __future__ import annotations

import typer

from detente import __version__
from detente.cli import analysis, backfill, coding, evaluation, ingest, positions, serve

app = typer.Typer(
    name="detente",
    help="Turn news about wars and peace talks into evidence-linked PLOVER events and positions.",
    no_args_is_help=True,
    add_completion=False,
)

for stage in (ingest, coding, positions, analysis, evaluation, backfill, serve):
    stage.register(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"detente {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Turn news about wars and peace talks into evidence-linked PLOVER events and positions."""


if __name__ == "__main__":  # pragma: no cover
    app()
