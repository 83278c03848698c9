"""The date of an event, read from the date expressions near its trigger.

News text dates events relative to the day it was written ("on Thursday", "last week"),
so every expression is resolved against the publication date. Only spaCy DATE (and
day-naming TIME) entities are read; an expression counts as a date only when it names a
calendar anchor (a month, a weekday, a year, a numeric date) or a deictic word ("today",
"ago", "last"), which is what separates "in September 2022" from the durations "for two
years" and "six months" and from ages ("Medvedchuk, 67").

How a date was found is reported alongside it: ``explicit`` when the text names a calendar
date (even if its year comes from the publication date, as in "September 22"),
``relative`` when it is deictic ("Thursday", "yesterday", "two years ago"),
``publication`` when the sentence has no usable date and the publication day stands in,
``none`` when there is neither.

Calendar units resolve to their first day ("in September 2022" -> 2022-09-01,
"last year" -> January 1st), "ago" and "last week" to the exact offset from publication.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateparser.date import DateDataParser
from spacy.tokens import Span, Token

from detente.coding.modality import classify_modality, event_clause, is_past, modality_cues
from detente.nlp.entities import entities

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b")
_WORD = re.compile(r"[a-z]+")
_POSSESSIVE = re.compile(r"['’]s\b")
# A date modifying a noun ("the 2014 borders") describes that noun, not an event, so it
# counts only when the noun is the trigger. A possessive ("September 2022's referendum")
# still dates an occasion and is kept.
_ADNOMINAL = frozenset({"compound", "nummod", "amod", "nmod"})
_FUTURE_LEANING = {"future", "hypothetical", "speculative"}


@dataclass(frozen=True)
class _DateWords:
    months: frozenset[str]
    weekdays: dict[str, int]
    deictic: frozenset[str]
    period_edges: frozenset[str]
    vague_modifiers: frozenset[str]
    seasons: dict[str, str]


@lru_cache(maxsize=1)
def _date_words() -> _DateWords:
    cues = modality_cues()["dates"]
    months = {name.lower() for name in calendar.month_name[1:]}
    months |= {name.lower() for name in calendar.month_abbr[1:]} | {"sept"}
    weekdays = {name.lower(): index for index, name in enumerate(calendar.day_name)}
    return _DateWords(
        months=frozenset(months),
        weekdays=weekdays,
        deictic=frozenset(str(word).lower() for word in cues["deictic"]),
        period_edges=frozenset(str(word).lower() for word in cues["period_edges"]),
        vague_modifiers=frozenset(str(word).lower() for word in cues["vague_modifiers"]),
        seasons={str(k).lower(): str(v) for k, v in cues["seasons"].items()},
    )


@lru_cache(maxsize=64)
def _parser(published: date | None, prefer: str) -> DateDataParser:
    """One parser per publication day and direction: dateparser fixes its settings at creation.

    English only, so dateparser never runs language detection; it has no network access.
    """
    base = datetime.combine(published or date(2000, 1, 1), datetime.min.time())
    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": prefer,
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )


def _kind(text: str) -> str | None:
    """``explicit``, ``relative`` or None (not a date: a duration, an age, a vague period)."""
    words = _date_words()
    tokens = _WORD.findall(text.lower())
    if _YEAR.search(text) or _NUMERIC_DATE.search(text):
        # A year makes the expression a calendar date even beside a weekday or a deictic
        # word ("Saturday, Dec. 28, 2024", "the 2014 accords this week"): it is never
        # re-anchored on the publication date, so never moved to another year.
        return "explicit"
    if any(token in words.deictic for token in tokens) or any(
        token in words.weekdays for token in tokens
    ):
        return "relative"
    if any(token in words.months or token in words.seasons for token in tokens):
        return "explicit"
    return None


def _candidates(sent: Span, trigger: Token) -> list[tuple[Span, str]]:
    words = _date_words()
    found = []
    for ent in entities(sent):
        if ent.label_ not in {"DATE", "TIME"}:
            continue
        kind = _kind(ent.text)
        if kind is None:
            continue
        if ent.label_ == "TIME" and not any(
            token in words.weekdays or token in {"yesterday", "today", "tonight", "last"}
            for token in _WORD.findall(ent.text.lower())
        ):
            continue
        root = ent.root
        if root.dep_ == "pobj" and root.head.lower_ in words.period_edges:
            continue
        if root.dep_ in _ADNOMINAL and root.head.pos_ == "NOUN" and root.head.i != trigger.i:
            continue
        found.append((ent, kind))
    return found


def _weekday(text: str, published: date, future: bool) -> date | None:
    """ "on Thursday": the last one on or before publication, or the next one for a future event."""
    tokens = _WORD.findall(text.lower())
    days = [_date_words().weekdays[token] for token in tokens if token in _date_words().weekdays]
    if len(days) != 1 or any(token in {"ago", "week", "month", "year"} for token in tokens):
        return None
    weekday = days[0]
    if "next" in tokens or (future and "last" not in tokens):
        ahead = (weekday - published.weekday()) % 7 or 7
        return published + timedelta(days=ahead)
    back = (published.weekday() - weekday) % 7
    if "last" in tokens and back == 0:
        back = 7
    return published - timedelta(days=back)


@lru_cache(maxsize=4096)
def _parse(text: str, published: date | None, future: bool) -> date | None:
    parser = _parser(published, "future" if future else "past")
    for attempt in _attempts(text):
        data = parser.get_date_data(attempt)
        if data.date_obj is None:
            continue
        resolved = data.date_obj.date()
        years = {int(year) for year in _YEAR.findall(attempt)}
        if years and resolved.year not in years:
            continue  # a stated year is never replaced by a guessed one
        if "ago" not in attempt.lower():
            if data.period == "month":
                resolved = resolved.replace(day=1)
            elif data.period == "year":
                resolved = resolved.replace(month=1, day=1)
        return resolved
    return None


def _attempts(text: str) -> list[str]:
    """The expression as written, then plainer: "summer 2022" -> "June 2022"."""
    words = _date_words()
    plain = _POSSESSIVE.sub("", text)
    plain = re.sub(r"\b(mid|early|late)-", " ", plain, flags=re.IGNORECASE)
    kept = []
    for word in plain.split():
        key = word.lower().strip(",.")
        if key in words.seasons:
            kept.append(words.seasons[key])
        elif key not in words.vague_modifiers:
            kept.append(word)
    stripped = " ".join(kept)
    return [text] + ([stripped] if stripped and stripped != text else [])


def _resolve(text: str, kind: str, published: date | None, future: bool) -> date | None:
    if published is None and (kind == "relative" or not _YEAR.search(text)):
        return None
    if kind == "relative" and published is not None:
        weekday = _weekday(text, published, future)
        if weekday is not None:
            return weekday
    return _parse(text, published, future)


def _distance(ent: Span, trigger: Token) -> int:
    if ent.start <= trigger.i < ent.end:
        return 0
    return min(abs(ent.start - trigger.i), abs(ent.end - 1 - trigger.i))


def resolve_event_date(
    sent: Span, trigger: Token, published: date | None
) -> tuple[str | None, str | None, str]:
    """``(iso_date, date_text, how)`` for the event of ``trigger``; see the module docstring.

    Date expressions in the trigger's own clause come first, then the rest of the
    sentence, nearest first. A weekday or a year-less date points back from publication
    for a past event and forward for a future, hypothetical or hedged one.
    """
    candidates = _candidates(sent, trigger)
    if candidates:
        clause = event_clause(trigger)
        candidates.sort(
            key=lambda item: (item[0].root.i not in clause, _distance(item[0], trigger))
        )
        future = not is_past(trigger) and classify_modality(sent, trigger) in _FUTURE_LEANING
        for ent, kind in candidates:
            resolved = _resolve(ent.text, kind, published, future)
            if resolved is not None:
                return resolved.isoformat(), ent.text, kind
        if published is None:
            return None, candidates[0][0].text, "none"
        return published.isoformat(), candidates[0][0].text, "publication"
    if published is not None:
        return published.isoformat(), None, "publication"
    return None, None, "none"
