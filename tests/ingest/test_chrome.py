"""Chrome removal on text copied from web pages."""

from __future__ import annotations

import pytest

from detente.ingest.chrome import clean
from detente.ingest.reader import iter_documents

BODY = (
    "Ukraine and Russia agreed on Tuesday to a limited halt to strikes on energy "
    "infrastructure, officials in Kyiv said after a day of talks in Riyadh. "
) * 6

CHROME_PAGE = f"""Talks in Riyadh yield energy truce

Talks in Riyadh yield energy truce
By Anna Kovalenko
5 min read

{BODY}

Negotiators will meet again next week to discuss a maritime ceasefire in the Black Sea.

Share this article
#Ukraine #Russia #Peace

Senior correspondent covering Eastern Europe.

Related Stories
Drone attack hits Odesa port
 April 2, 2025
A second article that should never be read as part of this one, with enough words to count.

Leave a Reply
Your email address will not be published.
"""


def test_synthetic_page_keeps_article_and_drops_chrome():
    cleaned = clean(CHROME_PAGE)
    assert cleaned.title == "Talks in Riyadh yield energy truce"
    assert cleaned.author == "Anna Kovalenko"
    assert cleaned.text.count("Talks in Riyadh yield energy truce") == 1
    assert "maritime ceasefire in the Black Sea" in cleaned.text
    for chrome in (
        "Share this",
        "#Ukraine",
        "Related",
        "Odesa",
        "second article",
        "Leave a",
        "min read",
        "By Anna",
        "Senior correspondent",
    ):
        assert chrome not in cleaned.text, chrome


def test_marker_before_enough_body_is_dropped_not_cut():
    text = "Related\n\nThe article starts after a stray marker line and goes on.\n\n" + BODY
    cleaned = clean(text)
    assert "Related" not in cleaned.text
    assert cleaned.text.endswith("talks in Riyadh.")


def test_long_paragraph_matching_a_pattern_is_kept():
    paragraph = "Related " + "talks continued in Istanbul with both delegations present " * 5
    assert paragraph.strip() in clean(BODY + "\n\n" + paragraph).text


def test_undated_text_has_no_date():
    assert clean(BODY).date is None


@pytest.fixture(scope="module")
def seeds(shared_dir):
    folder = shared_dir / "corpus" / "seed-articles"
    return {d.origin.split("/")[-1][:3]: d for d in iter_documents([str(folder)])}


def test_seed_000_loses_comment_form_and_teasers(seeds):
    doc = seeds["000"]
    assert "Pax Russiana" in doc.clean_text
    assert "because we all should continue to invest only in democracies" in doc.clean_text.lower()
    for chrome in (
        "Leave a Reply",
        "Your email address",
        "Icecat xml",
        "November 3, 2019",
        "Founder and CEO",
    ):
        assert chrome not in doc.clean_text, chrome
    assert doc.published is None
    assert "Leave a Reply" in doc.raw_text


def test_seed_001_stops_before_disclaimer_and_second_article(seeds):
    doc = seeds["001"]
    text = doc.clean_text
    assert doc.author == "Andrew Korybko"
    # Its only date opens a body sentence ("12 February 2025 will go down in history"):
    # not a dateline or byline, so not the publication date.
    assert doc.published is None and doc.published_evidence is None
    assert "12 February 2025 will go down in history" in text
    assert text.count("Here’s What Comes Next After Putin") == 1
    assert "Sanctions Relief" in text and "truly resolves the root causes" in text
    assert "Disclaimer:" not in text and "Courses in 1" not in text
    assert not any(line.startswith("#") for line in text.splitlines())
    assert "Bloomberg cited unnamed" not in text
    assert "———" not in text


def test_seed_004_dated_from_dateline(seeds):
    doc = seeds["004"]
    assert doc.published == "2024-02-08"
    assert doc.published_evidence == "text:'date 2024-02-08'"
    assert doc.clean_text.startswith("In an unexpected twist")
