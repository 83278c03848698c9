"""Writing pydantic records as JSONL, CSV or Parquet, to a file or stdout.

CSV and Parquet are flat: nested fields (actor lists, evidence…) become JSON strings
in their column, and the main codes get their own plain columns for spreadsheets.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel


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


def write_records(records: Sequence[BaseModel], fmt: str, out: Path | None) -> None:
    if fmt == "jsonl":
        text = "".join(r.model_dump_json() + "\n" for r in records)
        _emit(text, out)
    elif fmt == "csv":
        rows = [flat_row(r) for r in records]
        buffer = io.StringIO()
        fields = list(dict.fromkeys(k for row in rows for k in row)) or ["id"]
        writer = csv.DictWriter(buffer, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
        _emit(buffer.getvalue(), out)
    elif fmt == "parquet":
        if out is None:
            raise SystemExit("--format parquet needs --out FILE")
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise SystemExit(
                "parquet output needs pandas and pyarrow: pip install 'detente[parquet]'"
            ) from exc
        pd.DataFrame([flat_row(r) for r in records]).to_parquet(out, index=False)
    else:
        raise SystemExit(f"unknown format {fmt!r}")


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
