"""Calendar buckets for time series: days, and ISO weeks labelled ``YYYY-Www``."""

from __future__ import annotations

from datetime import date, timedelta


def iso_week(day: str) -> str:
    year, week, _ = date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def week_start(day: str) -> str:
    """The Monday of the ISO week holding ``day``: where a weekly point is plotted."""
    d = date.fromisoformat(day)
    return (d - timedelta(days=d.weekday())).isoformat()


def bucket(day: str, freq: str) -> tuple[str, str]:
    """``(label, start day)`` of the period holding ``day``; ``freq`` is ``day`` or ``week``."""
    if freq == "day":
        return day, day
    if freq == "week":
        return iso_week(day), week_start(day)
    raise ValueError(f"unknown frequency {freq!r}: use 'day' or 'week'")
