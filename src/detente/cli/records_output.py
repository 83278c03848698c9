"""Writing pydantic records as JSONL, CSV or Parquet, to a file or stdout, and text that is
safe to print to a terminal.

Records arrive as an iterable (a store query streams them), so a file of millions of rows
is written batch by batch. CSV and Parquet are flat: nested fields (actor lists,
evidence…) become JSON strings in their column, and the main codes get their own plain
columns for spreadsheets.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel
from rich.markup import escape

FORMATS = ("jsonl", "csv", "parquet")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BREAKS = re.compile(r"[\t\n\r]+")


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def terminal_text(text: str | None) -> str:
    """``text`` as a terminal should show it: stored titles and sentences come from the
    web, so control characters (an escape sequence could recolour or clear the screen) are
    shown as ``\\xNN``, line breaks as spaces, and Rich markup (``[red]``) as literal text."""
    if not text:
        return ""
    flat = _BREAKS.sub(" ", text)
    return escape(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", flat))


def flat_row(record: BaseModel) -> dict:
    data = record.model_dump(mode="json")
    row = {}
    for key, value in data.items():
        row[key] = (
            json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value
        )
    for side in ("actor", "recipient"):
        value = data.get(side)
        if isinstance(value, list):
            row[f"{side}_codes"] = "|".join(a.get("code") or "" for a in value)
        elif isinstance(value, dict):
            row[f"{side}_code"] = value.get("code")
    if isinstance(data.get("evidence"), dict):
        row["sentence"] = data["evidence"].get("sentence")
    return row


def check_format(fmt: str, out: Path | None) -> None:
    """Refuse a format/destination pair before any record is read."""
    if fmt not in FORMATS:
        raise SystemExit(f"unknown format {fmt!r}: use {', '.join(FORMATS)}")
    if fmt == "parquet":
        if out is None:
            raise SystemExit("--format parquet needs --out FILE")
        try:
            import pyarrow  # noqa: F401
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise SystemExit(
                "parquet output needs pyarrow, part of the default install:"
                " pip install --upgrade detente"
            ) from exc


def write_records(records: Iterable[BaseModel], fmt: str, out: Path | None) -> int:
    """Write every record; returns how many were written."""
    check_format(fmt, out)
    if fmt == "parquet":
        from detente.analysis.export import write_parquet

        counted = _Counted(flat_row(r) for r in records)
        write_parquet(iter(counted), out)
        return counted.n
    handle = sys.stdout if out is None else out.open("w", encoding="utf-8", newline="")
    n = 0
    try:
        writer = None
        for record in records:
            n += 1
            if fmt == "jsonl":
                handle.write(record.model_dump_json() + "\n")
                continue
            row = flat_row(record)
            if writer is None:
                writer = csv.DictWriter(handle, fieldnames=list(row), extrasaction="ignore")
                writer.writeheader()
            writer.writerow(row)
        if fmt == "csv" and writer is None:
            handle.write("id\n")
    finally:
        if out is not None:
            handle.close()
    return n


class _Counted:
    """An iterable that counts what passes through it."""

    def __init__(self, items: Iterable[dict]):
        self.items, self.n = items, 0

    def __iter__(self) -> Iterator[dict]:
        for item in self.items:
            self.n += 1
            yield item
