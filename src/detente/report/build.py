"""One entry point for the report: load the corpus, compute, render, write."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from detente.analysis.corpus import Corpus, load_corpus
from detente.report.payload import ReportData, build_report_data

FORMATS = ("html", "md")


def render(data: ReportData, fmt: str = "html") -> str:
    if fmt == "html":
        from detente.report.html import render_html

        return render_html(data)
    if fmt == "md":
        from detente.report.markdown import render_markdown

        return render_markdown(data)
    raise ValueError(f"unknown report format {fmt!r}: use html or md")


def write_corpus_report(
    corpus: Corpus, out: str | Path, fmt: str = "html", **options
) -> ReportData:
    """Render a report of an in-memory corpus to ``out``; ``options`` go to the payload."""
    data = build_report_data(corpus, **options)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(data, fmt), encoding="utf-8")
    return data


def write_report(
    conn: sqlite3.Connection,
    out: str | Path,
    *,
    fmt: str = "html",
    process: str | None = None,
    since: str | None = None,
    until: str | None = None,
    include_speculative: bool = False,
) -> ReportData:
    corpus = load_corpus(conn, process=process, since=since, until=until)
    return write_corpus_report(
        corpus, out, fmt, process=process, since=since, until=until,
        include_speculative=include_speculative,
    )  # fmt: skip
