"""One entry point for the report: query the store, compute, render, write."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from detente.report.payload import ReportData, build_report_data
from detente.store.queries import ALL, Filters

FORMATS = ("html", "md")


def render(data: ReportData, fmt: str = "html") -> str:
    if fmt == "html":
        from detente.report.html import render_html

        return render_html(data)
    if fmt == "md":
        from detente.report.markdown import render_markdown

        return render_markdown(data)
    raise ValueError(f"unknown report format {fmt!r}: use html or md")


def write_report(
    conn: sqlite3.Connection,
    out: str | Path,
    fmt: str = "html",
    filters: Filters = ALL,
    *,
    include_speculative: bool = False,
    title: str | None = None,
) -> ReportData:
    """Render a report of the selection to ``out`` (parent folders created)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}: use html or md")
    data = build_report_data(conn, filters, include_speculative=include_speculative, title=title)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(data, fmt), encoding="utf-8")
    return data
