"""Dates from metadata values and from the first lines of a text."""

from __future__ import annotations

import pytest

from detente.ingest.dates import find_date, parse_date


@pytest.mark.parametrize(
    ("line", "iso", "stripped"),
    [
        ("date 2024-02-08 In an unexpected twist", "2024-02-08", "In an unexpected twist"),
        ("04/01/2024 21h50", "2024-01-04", ""),
        ("By Jane Doe, 12 February 2025", "2025-02-12", None),
        ("KYIV, March 3, 2025 (Reuters) - Russia said it would pull back.", "2025-03-03", None),
        ("Published: March 3, 2025 | Kyiv", "2025-03-03", "Kyiv"),
    ],
)
def test_find_date_in_first_lines(line, iso, stripped):
    found = find_date(["A headline", line])
    assert found.iso == iso
    assert found.evidence.startswith("text:")
    assert (found.strip_line[1] if found.strip_line else None) == stripped


def test_dates_deep_in_text_or_not_dates_are_ignored():
    lines = ["Headline", "We counted 15 soldiers 2024 in the field."] + ["Body."] * 10
    assert find_date(lines + ["Posted November 3, 2019"]) is None


@pytest.mark.parametrize(
    "line",
    [
        "12 February 2025 will go down in history",
        "Russia has until March 3, 2025 to withdraw its forces from the region, officials said.",
        "The deadline is 1 April 2025.",
    ],
)
def test_dates_inside_body_sentences_are_not_publication_dates(line):
    """A deadline or an event date in running prose is not when the article appeared."""
    assert find_date(["A headline", line]) is None


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2025-05-16T10:00:00Z", "2025-05-16"),
        ("Fri, 16 May 2025 10:00:00 GMT", "2025-05-16"),
        ("16.05.2025", "2025-05-16"),
        ("yesterday", None),
        ("3025-01-01", None),
    ],
)
def test_parse_date(value, iso):
    assert parse_date(value) == iso
