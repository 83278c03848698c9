"""Reading gold files safely and telling which format they are.

A gold file that cannot be scored must say why, naming the record, instead of scoring all
zeros: a truncated or binary file, a JSON value that is not a list, records without the
fields their format needs. ``GoldError`` carries every problem found, one line each.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

GoldFormat = Literal["plover", "realnews"]
MAX_PROBLEMS_SHOWN = 20


class GoldError(ValueError):
    """The gold file is unusable; ``problems`` lists what is wrong, one line each."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        lines = [f"{path}: unusable gold file"] + [f"  {p}" for p in shown]
        if more > 0:
            lines.append(f"  … and {more} more")
        super().__init__("\n".join(lines))


def read_json_list(path: Path) -> list:
    """The JSON list in ``path``, or a ``GoldError`` saying what the file is instead."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GoldError(path, [f"cannot read: {exc.strerror or exc}"]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = f"not UTF-8 text (byte {exc.start}); is it a binary file?"
        raise GoldError(path, [problem]) from None
    try:
        rows = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GoldError(
            path, [f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"]
        ) from None
    if not isinstance(rows, list):
        raise GoldError(path, [f"expected a JSON list of records, found a {type(rows).__name__}"])
    if not rows:
        raise GoldError(path, ["the list is empty: nothing to score"])
    return rows


def detect_format(rows: list) -> GoldFormat:
    """Real-news sets tag every item with ``kind``; PLOVER records have ``event`` and ``text``."""
    dicts = [r for r in rows if isinstance(r, dict)]
    kinds = sum("kind" in r and "file" in r for r in dicts)
    return "realnews" if dicts and kinds * 2 >= len(dicts) else "plover"


def one_or_many(value) -> list:
    """Gold fields hold a value or a list of acceptable values."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
