"""Event dates resolved against a fixed publication date (Thursday 6 March 2025)."""

from __future__ import annotations

from datetime import date

import pytest

from detente.coding.event_dates import resolve_event_date

PUBLISHED = date(2025, 3, 6)  # a Thursday


def _date(nlp, sentence: str, trigger: str, published: date | None = PUBLISHED):
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == trigger)
    return resolve_event_date(doc[:], token, published)


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        (
            "Russia attacked Kharkiv on Thursday.",
            "attacked",
            ("2025-03-06", "Thursday", "relative"),
        ),
        ("Russia attacked Kharkiv on Monday.", "attacked", ("2025-03-03", "Monday", "relative")),
        ("The leaders will meet on Thursday.", "meet", ("2025-03-13", "Thursday", "relative")),
        ("The leaders will meet on Monday.", "meet", ("2025-03-10", "Monday", "relative")),
        ("Russia attacked last Thursday.", "attacked", ("2025-02-27", "last Thursday", "relative")),
        (
            "Drones struck Odesa in the night of September 22.",
            "struck",
            ("2024-09-22", "September 22", "explicit"),
        ),
        (
            "Drones struck Odesa in the night of February 22.",
            "struck",
            ("2025-02-22", "February 22", "explicit"),
        ),
        ("Talks collapsed last week.", "collapsed", ("2025-02-27", "last week", "relative")),
        ("Russia invaded two years ago.", "invaded", ("2023-03-06", "two years ago", "relative")),
        ("Russia attacked yesterday.", "attacked", ("2025-03-05", "yesterday", "relative")),
        ("Russia attacked today.", "attacked", ("2025-03-06", "today", "relative")),
        (
            "The deal was signed on 12 February 2025.",
            "signed",
            ("2025-02-12", "12 February 2025", "explicit"),
        ),
        (
            "The leaders will meet on Saturday, December 27, 2025.",
            "meet",
            ("2025-12-27", "Saturday, December 27, 2025", "explicit"),
        ),
        (
            "The prisoners were freed on Saturday, Dec. 28, 2024.",
            "freed",
            ("2024-12-28", "Saturday, Dec. 28, 2024", "explicit"),
        ),
        (
            "Russia attacked in September 2022.",
            "attacked",
            ("2022-09-01", "September 2022", "explicit"),
        ),
    ],
)
def test_date_expressions(nlp, sentence, trigger, expected):
    assert _date(nlp, sentence, trigger) == expected


def test_no_date_falls_back_to_publication(nlp):
    assert _date(nlp, "Russia attacked the convoy.", "attacked") == (
        "2025-03-06",
        None,
        "publication",
    )
    assert _date(nlp, "Russia attacked the convoy.", "attacked", None) == (None, None, "none")


def test_durations_and_ages_are_not_dates(nlp):
    assert _date(nlp, "Russia has occupied the town for two years.", "occupied")[2] == "publication"
    assert _date(nlp, "Medvedchuk, 67, was released.", "released")[2] == "publication"


def test_period_edges_are_skipped(nlp):
    iso, text, _ = _date(nlp, "The first talks since 2014 were held on Tuesday.", "held")
    assert (iso, text) == ("2025-03-04", "Tuesday")


def test_date_in_the_triggers_clause_wins(nlp):
    sentence = (
        "Russia attacked Kharkiv on Thursday, two years after the invasion began in February 2022."
    )
    assert _date(nlp, sentence, "attacked")[0] == "2025-03-06"
    assert _date(nlp, sentence, "began")[:2] == ("2022-02-01", "February 2022")


def test_relative_dates_need_a_publication_date(nlp):
    assert _date(nlp, "Russia attacked Kharkiv on Thursday.", "attacked", None) == (
        None,
        "Thursday",
        "none",
    )
    assert (
        _date(nlp, "Russia attacked Kharkiv on 3 March 2024.", "attacked", None)[0] == "2024-03-03"
    )


def test_seasons_vague_modifiers_and_adnominal_dates(nlp):
    assert _date(nlp, "Russia captured the city in summer 2022.", "captured")[0] == "2022-06-01"
    assert _date(nlp, "Fighting resumed in early March.", "resumed")[0] == "2025-03-01"
    assert _date(nlp, "Russia retreated to the 2014 borders.", "retreated")[2] == "publication"
