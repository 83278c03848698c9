"""Publication dates from metadata values and from the datelines and bylines of a text.

A wrong date is worse than none: events are placed on a timeline by it. So only
explicit calendar dates with day, month and year are accepted, never relative
expressions, and an undated text stays undated rather than defaulting to today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources

from detente.data import load_yaml

EARLIEST = date(1900, 1, 1)


@dataclass(frozen=True)
class DateFound:
    iso: str
    evidence: str
    """``text:'<matched text>'``; the pipeline stores it as ``published_evidence``."""
    strip_line: tuple[int, str] | None = None
    """``(line index, remainder)`` when the match was a dateline to remove from the text."""


@dataclass(frozen=True)
class DateRules:
    search_lines: int
    numeric_order: str
    patterns: list[re.Pattern]


@lru_cache(maxsize=1)
def rules() -> DateRules:
    data = load_yaml(
        resources.files("detente.data").joinpath("chrome.yml").read_text(encoding="utf-8")
    )["dates"]
    labels = data["labels"]
    patterns = [
        re.compile(rf"(?<!\w)(?P<label>{labels}\s*)?{p}(?!\w)", re.IGNORECASE)
        for p in data["patterns"]
    ]
    return DateRules(int(data["search_lines"]), data["numeric_order"].upper(), patterns)


def _plausible(value: date) -> str | None:
    if EARLIEST <= value <= date.today() + timedelta(days=1):
        return value.isoformat()
    return None


def _numeric(text: str, order: str) -> date | None:
    parts = [int(p) for p in re.split(r"[/.]", text)]
    day, month = (parts[0], parts[1]) if order.startswith("D") else (parts[1], parts[0])
    if month > 12 >= day:
        day, month = month, day
    try:
        return date(parts[2], month, day)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def parse_date(text: str, order: str = "DMY") -> str | None:
    """ISO ``YYYY-MM-DD`` for an explicit date string, or None when it is not one."""
    text = text.strip()
    if not re.search(r"\d{4}", text):
        return None
    try:
        return _plausible(datetime.fromisoformat(text.replace("Z", "+00:00")).date())
    except ValueError:
        pass
    if re.fullmatch(r"\d{1,2}[/.]\d{1,2}[/.]\d{4}", text):
        found = _numeric(text, order)
        return _plausible(found) if found else None
    import dateparser  # slow to import; only month-name dates need it

    parsed = dateparser.parse(
        text,
        settings={
            "STRICT_PARSING": True,
            "REQUIRE_PARTS": ["day", "month", "year"],
            "DATE_ORDER": order,
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return _plausible(parsed.date()) if parsed else None


MAX_HEADER_WORDS = 12
"""A dateline or byline line holds little besides the date: a place, a name, an agency."""
HEADER_JOINERS = frozenset({"on", "by", "at", "and", "|"})
DATELINE_PLACE_WORDS = 3
DATELINE_SEPARATORS = frozenset("-–—(|:")


def _header_position(line: str, match: re.Match) -> bool:
    """Is the date where a publication date sits (a dateline or byline), not in a sentence?

    A labelled date ("Published: ...") always is. Otherwise the line must be short and the
    date must not be part of running prose: a sentence goes on in lower case after it ("12
    February 2025 will go down in history") or leads into it with a lower-case word ("the
    deadline is March 3, 2025"). A deadline or a date of an event in the body is therefore
    never taken for the day the article appeared.
    """
    if match["label"]:
        return True
    before = line[: match.start()].split()
    after = line[match.end() :].strip(" \t,").split()
    if len(before) <= DATELINE_PLACE_WORDS and after and after[0][:1] in DATELINE_SEPARATORS:
        return True  # "KYIV, March 3, 2025 (Reuters) - Russia said ..."
    if len(before) + len(after) > MAX_HEADER_WORDS:
        return False
    if after and after[0][:1].islower():
        return False
    last = before[-1].strip(",") if before else ""
    return not (last[:1].islower() and last not in HEADER_JOINERS)


def find_date(lines: list[str]) -> DateFound | None:
    """The first explicit date in a dateline or byline among the first ``lines`` of a text."""
    r = rules()
    for index, line in enumerate(lines[: r.search_lines]):
        for pattern in r.patterns:
            for match in pattern.finditer(line):
                if not _header_position(line, match):
                    continue
                iso = parse_date(match["date"], r.numeric_order)
                if not iso:
                    continue
                rest = line[match.end() :].lstrip(" \t-–—|,:")
                dateline = match.start() == 0 and (match["label"] or not rest)
                return DateFound(
                    iso=iso,
                    evidence=f"text:{match.group(0).strip()!r}",
                    strip_line=(index, rest) if dateline else None,
                )
    return None
