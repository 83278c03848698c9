"""The ``detente`` command: one Typer app, commands grouped by pipeline stage.

Each stage module exposes ``register(app)`` so the commands of a stage live next
to each other and this file only wires them together.
"""

from __future__ import annotations

import typer

from detente.cli import analysis, coding, ingest, positions

app = typer.Typer(
    name="detente",
    help="Turn news about wars and peace talks into evidence-linked PLOVER events and positions.",
    no_args_is_help=True,
    add_completion=False,
)

for stage in (ingest, coding, positions, analysis):
    stage.register(app)


if __name__ == "__main__":  # pragma: no cover
    app()
