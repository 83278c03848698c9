"""Counted things in an event sentence: "230 prisoners", "$50,000", "700 kg of medicine".

A quantity is a run of number tokens (with scale words: "54 billion") and the noun it
counts, read from the parse: the noun the number modifies, a currency written around it,
the noun shared with a coordinated number ("230 and 248 prisoners"), or a casualty word
standing in for the people ("25 killed"). Numbers without a unit are left out, as are
numbers inside DATE, TIME and ORDINAL entities (years, dates, times, "first"), ages
set off by commas ("Medvedchuk, 67"), identifiers that follow their noun ("Resolution
2334"), parts of hyphenated names and measures ("F-16", "67-year-old") and partitives
("one of his top generals"). Percentages are kept with the unit "percent".

Word lists live in ``data/quantities.yml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span, Token

from detente.coding.modality import event_clause
from detente.coding.models import Quantity
from detente.data import load_yaml

_GLUED_SCALE = re.compile(r"^(\d+(?:\.\d+)?)([a-z]+)$")
_SKIPPED_ENTITIES = frozenset({"DATE", "TIME", "ORDINAL"})
_MODIFIER_LINKS = frozenset({"nummod", "compound", "quantmod", "amod", "nmod"})
_SUBJECT_LINKS = frozenset({"nsubj", "nsubjpass"})


@dataclass(frozen=True)
class _Words:
    numbers: dict[str, float]
    scales: dict[str, float]
    currencies: dict[str, str]
    percent: frozenset[str]
    casualties: frozenset[str]
    not_units: frozenset[str]


@lru_cache(maxsize=1)
def quantity_words() -> dict:
    """The word lists as written in ``data/quantities.yml``."""
    text = resources.files("detente.data").joinpath("quantities.yml").read_text(encoding="utf-8")
    return load_yaml(text)


@lru_cache(maxsize=1)
def _words() -> _Words:
    raw = quantity_words()
    return _Words(
        numbers={str(k).lower(): float(v) for k, v in raw["number_words"].items()},
        scales={str(k).lower(): float(v) for k, v in raw["scale_words"].items()},
        currencies={str(k).lower(): str(v) for k, v in raw["currencies"].items()},
        percent=frozenset(str(word).lower() for word in raw["percent"]),
        casualties=frozenset(str(word).lower() for word in raw["casualty_words"]),
        not_units=frozenset(str(word).lower() for word in raw["not_units"]),
    )


def _number_value(token: Token, words: _Words) -> float | None:
    text = token.lower_.replace(",", "")
    try:
        return float(text)
    except ValueError:
        pass
    glued = _GLUED_SCALE.match(text)
    if glued and glued.group(2) in words.scales:
        return float(glued.group(1)) * words.scales[glued.group(2)]
    parts = text.split("-")
    if all(part in words.numbers for part in parts):
        return sum(words.numbers[part] for part in parts)
    return None


def _is_scale(token: Token, previous: Token, words: _Words) -> bool:
    """ "billion" always; a one-letter scale ("1.5m", "3bn") only glued to its number."""
    word = token.lower_
    if word not in words.scales:
        return False
    return len(word) > 2 or token.idx == previous.idx + len(previous.text)


def _is_number(token: Token, words: _Words) -> bool:
    if token.ent_type_ in _SKIPPED_ENTITIES:
        return False
    if not (token.tag_ == "CD" or token.like_num or _GLUED_SCALE.match(token.lower_)):
        return False
    return _number_value(token, words) is not None


@dataclass
class _Group:
    """A run of tokens read as one number: ``start``..``end`` (exclusive), its value."""

    start: int
    end: int
    value: float

    def head(self, doc) -> Token:
        for i in range(self.start, self.end):
            head = doc[i].head
            if not self.start <= head.i < self.end or head.i == i:
                return doc[i]
        return doc[self.end - 1]


def _groups(sent: Span, words: _Words) -> list[_Group]:
    groups: list[_Group] = []
    doc, i = sent.doc, sent.start
    while i < sent.end:
        token = doc[i]
        if not _is_number(token, words):
            i += 1
            continue
        value, end = _number_value(token, words), i + 1
        while end < sent.end and _is_scale(doc[end], doc[end - 1], words):
            value *= words.scales[doc[end].lower_]
            end += 1
        groups.append(_Group(i, end, value))
        i = end
    return groups


def _is_name_part(group: _Group, doc) -> bool:
    """ "F-16", "S-400", "67-year-old", "30-km": a number glued by a hyphen."""
    before = doc[group.start - 1] if group.start > 0 else None
    after = doc[group.end] if group.end < len(doc) else None
    return (before is not None and before.text == "-") or (after is not None and after.text == "-")


def _currency(token: Token | None, words: _Words) -> str | None:
    return None if token is None else words.currencies.get(token.lower_)


def _unit(group: _Group, doc, words: _Words, units: dict[int, tuple[str, Token]]):
    """``(unit, unit_token)`` of the group, or None when the number counts nothing named."""
    head = group.head(doc)
    before = doc[group.start - 1] if group.start > 0 else None
    after = doc[group.end] if group.end < len(doc) else None
    code = _currency(before, words) or _currency(after, words)
    if code:
        return code, after if _currency(after, words) else doc[group.end - 1]
    if after is not None and (
        after.lower_ in words.percent or f"{after.lower_} {_next_text(after)}" in words.percent
    ):
        return "percent", after
    if head.dep_ == "appos":
        return None
    governor = head.head
    if head.dep_ in _MODIFIER_LINKS and governor.i >= group.end:
        return _noun_unit(governor, words)
    if head.dep_ == "conj" and governor.i in units:
        return units[governor.i]
    for child in head.children:
        if child.dep_ in {"acl", "amod"} and child.lower_ in words.casualties:
            return child.lower_, child
    if after is not None and after.lower_ in words.casualties:
        return after.lower_, after
    if head.dep_ in _SUBJECT_LINKS and governor.lower_ in words.casualties:
        return governor.lower_, governor
    return None


def _noun_unit(noun: Token, words: _Words) -> tuple[str, Token] | None:
    word = noun.lower_
    if word in words.currencies:
        return words.currencies[word], noun
    if word in words.percent:
        return "percent", noun
    if word in words.not_units or noun.lemma_.lower() in words.not_units:
        return None
    return noun.text, noun


def _next_text(token: Token) -> str:
    doc = token.doc
    return doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""


def _text(group: _Group, head: Token, unit_token: Token, doc, groups_at: set[int]) -> str:
    start = min(group.start, head.left_edge.i)
    if start > 0 and doc[start - 1].lower_ in _words().currencies:
        start -= 1
    end = max(group.end - 1, unit_token.i)
    if any(i in groups_at for i in range(group.end, end + 1)):
        return f"{doc[start : group.end].text} {unit_token.text}"
    return doc[start : end + 1].text


def extract_quantities(sent: Span, trigger: Token | None = None) -> list[Quantity]:
    """Every counted quantity of the sentence, or only those of the trigger's clause.

    With a trigger, a number counts when its head lies in the trigger's clause
    (``modality.event_clause``), so that in "Russia and Ukraine exchanged 230 and 248
    prisoners as shelling killed 25 people" the exchange gets 230 and 248, not 25.
    """
    words = _words()
    doc = sent.doc
    groups = _groups(sent, words)
    groups_at = {i for group in groups for i in range(group.start, group.end)}
    clause = event_clause(trigger) if trigger is not None else None
    units: dict[int, tuple[str, Token]] = {}
    found: list[Quantity] = []
    for group in groups:
        if _is_name_part(group, doc):
            continue
        head = group.head(doc)
        unit = _unit(group, doc, words, units)
        if unit is None:
            continue
        units[head.i] = unit
        if clause is not None and head.i not in clause:
            continue
        name, unit_token = unit
        text = _text(group, head, unit_token, doc, groups_at)
        found.append(Quantity(value=group.value, unit=name, text=text))
    return found
