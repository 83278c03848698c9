"""The one place benchmarks describe the machine and write to ``benchmarks/results.md``.

The file is an append-only log shared by every benchmark: a run never rewrites what an
earlier run recorded.
"""

from __future__ import annotations

import os
import platform
from datetime import date
from pathlib import Path

RESULTS = Path(__file__).with_name("results.md")


def machine() -> str:
    return f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def append_block(text: str) -> None:
    """Append a Markdown section (a heading, a table)."""
    if not RESULTS.exists():
        RESULTS.write_text("# Benchmark results\n", encoding="utf-8")
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(text)


def append_line(line: str) -> None:
    """Append a dated one-line result with the machine it ran on."""
    append_block(f"- {date.today().isoformat()} · {line} · {machine()}\n")
