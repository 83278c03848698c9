"""The coding stage's actor dictionary, modality and attribution, as positions uses them.

Positions inherit the coder's judgements so that an event and a position read off the same
sentence never disagree about who spoke or how firmly. Imports are lazy: the coding stage
can be rebuilt without importing positions, and tests can swap one collaborator at a time.
Where the actor dictionary knows no code for a phrase, the process files' party aliases are
the fallback, so a conflict-specific name ("Nebenzia") still lands on its side.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from spacy.tokens import Span, Token

from detente.coding.models import ActorRef, Attribution, Modality
from detente.nlp.memo import reading
from detente.positions.taxonomy import Party, Process, load_process, process_names


@lru_cache(maxsize=1)
def actor_dictionary():
    """The default actor dictionary, or ``None`` when the coding stage does not provide one."""
    try:
        from detente.coding.actors import ActorDictionary
    except ImportError:
        return None
    return ActorDictionary.default()


def parse_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def _alias_pattern(alias: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])" + re.escape(alias) + r"(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=16)
def _alias_table(process_name: str | None) -> list[tuple[re.Pattern, Party]]:
    names = [process_name] if process_name else process_names()
    table = []
    for name in names:
        process: Process = load_process(name)
        for party in process.parties + process.mediators:
            for alias in (party.name, *party.aliases):
                table.append((_alias_pattern(alias), party))
    return table


def party_in(text: str, process: str | None = None) -> Party | None:
    """The process party whose alias occurs earliest in ``text`` (longest alias on ties)."""
    best: tuple[int, int, Party] | None = None
    for pattern, party in _alias_table(process):
        found = pattern.search(text)
        if found and (best is None or (found.start(), -len(found.group())) < best[:2]):
            best = (found.start(), -len(found.group()), party)
    return best[2] if best else None


def resolve_actor(
    text: str, on: dt.date | None = None, process: str | None = None
) -> ActorRef | None:
    """An ``ActorRef`` with a code, from the actor dictionary or else the process aliases."""
    dictionary = actor_dictionary()
    ref = dictionary.resolve(text, on=on) if dictionary is not None else None
    if ref is not None and ref.code:
        return ref
    party = party_in(text, process)
    if party is not None:
        return ActorRef(
            text=text, code=party.code, sector=ref.sector if ref else None, name=party.name
        )
    return None


def modality_of(sent: Span, trigger: Token) -> Modality:
    try:
        from detente.coding.modality import classify_modality
    except ImportError:
        return "asserted"
    return reading(trigger, "modality", lambda: classify_modality(sent, trigger))


def attribution_of(
    sent: Span, trigger: Token, on: dt.date | None = None, process: str | None = None
) -> Attribution | None:
    try:
        from detente.coding.attribution import find_attribution
    except ImportError:
        return None
    span = reading(trigger, "attribution", lambda: find_attribution(sent, trigger))
    if span is None:
        return None
    ref = resolve_actor(span.text, on, process)
    return Attribution(
        text=span.text, code=ref.code if ref else None, sector=ref.sector if ref else None
    )
