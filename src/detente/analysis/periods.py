"""Calendar buckets for time series: days, ISO weeks (``YYYY-Www``) and months (``YYYY-MM``).

Queries return each bucket's first day (:mod:`detente.store.queries`); this module turns
it into the label a reader sees and picks the bucket a date range needs.
"""

from __future__ import annotations

from datetime import date

from detente.store.derived import week_start

__all__ = ["freq_for_span", "iso_week", "label", "week_start"]

WEEKLY_AFTER_DAYS = 21
"""Series switch from daily to weekly buckets when the range spans longer."""
MONTHLY_AFTER_DAYS = 366
"""…and to months past a year: a few hundred points stay readable, thousands do not."""


def iso_week(day: str) -> str:
    year, week, _ = date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def label(start: str, freq: str) -> str:
    """What a reader calls the period starting on ``start``."""
    if freq == "day":
        return start
    if freq == "week":
        return iso_week(start)
    if freq == "month":
        return start[:7]
    raise ValueError(f"unknown frequency {freq!r}: use day, week or month")


def start_day(start: str, freq: str) -> str:
    """A plottable day for a period start (a month query returns ``YYYY-MM``)."""
    return f"{start}-01" if freq == "month" and len(start) == 7 else start


def freq_for_span(first: str | None, last: str | None) -> str:
    """The finest bucket that keeps a chart of the range readable."""
    if not (first and last):
        return "day"
    days = (date.fromisoformat(last) - date.fromisoformat(first)).days
    if days > MONTHLY_AFTER_DAYS:
        return "month"
    return "week" if days > WEEKLY_AFTER_DAYS else "day"
