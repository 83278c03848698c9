"""Loading the actor YAML files into lookup tables keyed by token tuples.

The YAML files under ``data/actors/`` are the source of truth; this module only turns them
into a dictionary ``{(key, key, ...): [Variant, ...]}`` so that matching is a handful of dict
lookups per token. Any file may hold any of the sections (``countries``, ``metonyms``,
``places``, ``organisations``, ``outlets``, ``people``, ``agents``, ``roles``, ``coded_agents``,
``weak``, ``person_nouns``, ``modifiers``), so a user can add a small file of their own
without touching the packaged ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from detente.coding.actor_tokens import case_rule, key, split
from detente.data import load_yaml

# When two entries claim the same words, the higher kind wins (an organisation named after a
# place beats the place; a country beats a person's surname). Equal kinds: the later file wins.
KIND_PRIORITY = {
    "org": 6,
    "country": 5,
    "capital": 5,
    "person": 4,
    "role": 3,
    "agent": 3,
    "place": 1,
    "outlet": 6,
}
SOURCE_KINDS = frozenset({"outlet"})
"""Kinds that report events and never take part in them (news agencies, papers, channels)."""


@dataclass(frozen=True)
class ActorEntry:
    """What a dictionary match stands for, before any date or phrase context is applied."""

    code: str | None
    sector: str | None
    name: str
    kind: str  # country | capital | place | person | org | agent | role | outlet


@dataclass(frozen=True)
class Role:
    code: str
    sector: str | None
    title: str
    start: dt.date | None
    end: dt.date | None

    def active(self, on: dt.date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)

    def distance(self, on: dt.date) -> int:
        """Days between ``on`` and this role's interval (0 inside it)."""
        if self.active(on):
            return 0
        if self.start is not None and on < self.start:
            return (self.start - on).days
        return (on - self.end).days if self.end is not None else 0


@dataclass(frozen=True)
class DatedActor:
    """A person (or an organisation whose status changed) with roles over time."""

    name: str
    code: str | None
    sector: str | None
    kind: str
    roles: tuple[Role, ...] = ()

    def role_on(self, on: dt.date | None) -> Role | None:
        """The role held on ``on``; with no date, the latest role."""
        if not self.roles:
            return None
        if on is None:
            return max(self.roles, key=lambda r: r.start or dt.date.min)
        active = [r for r in self.roles if r.active(on)]
        return max(active, key=lambda r: r.start or dt.date.min) if active else None

    def distance(self, on: dt.date | None) -> int:
        """How far ``on`` is from any role; used to pick between namesakes (Bush, Assad)."""
        if not self.roles:
            return 10**6
        if on is None:
            return -max((r.start or dt.date.min).toordinal() for r in self.roles)
        return min(r.distance(on) for r in self.roles)

    def entry(self, on: dt.date | None) -> ActorEntry:
        role = self.role_on(on)
        if role is not None:
            return ActorEntry(role.code, role.sector, self.name, self.kind)
        return ActorEntry(self.code, self.sector, self.name, self.kind)


@dataclass(frozen=True)
class Variant:
    """One spelling of one actor: per-token case rules plus what it resolves to."""

    rules: tuple[int, ...]
    target: ActorEntry | DatedActor
    weak: bool = False
    kind: str = field(init=False)
    priority: int = field(init=False)
    any_case: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", self.target.kind)
        object.__setattr__(self, "priority", KIND_PRIORITY.get(self.target.kind, 0))
        object.__setattr__(self, "any_case", not any(self.rules))


@dataclass
class Lexicon:
    index: dict[tuple[str, ...], list[Variant]] = field(default_factory=dict)
    former: set[str] = field(default_factory=set)
    split: set[str] = field(default_factory=set)
    demote_before: set[str] = field(default_factory=set)
    demote_after: set[str] = field(default_factory=set)
    weak: set[tuple[str, ...]] = field(default_factory=set)
    person_nouns: set[str] = field(default_factory=set)
    """Nouns for single people ("spokesman", "envoy"): what "he"/"she" can point back to."""

    def add(self, text: str, target: ActorEntry | DatedActor, weak: bool = False) -> None:
        tokens = split(text)
        if not tokens:
            return
        keys = tuple(key(t) for t in tokens)
        weak = weak or (target.kind in ("agent", "role") and keys in self.weak)
        variant = Variant(tuple(case_rule(t) for t in tokens), target, weak)
        bucket = self.index.setdefault(keys, [])
        same = [v for v in bucket if v.target == target and v.rules == variant.rules]
        if same:
            return
        bucket.insert(0, variant)
        bucket.sort(key=lambda v: -v.priority)


def pluralise(text: str) -> str:
    """Plural of the last word, for agent nouns written in the singular in agents.yml."""
    head, _, last = text.rpartition(" ")
    low = last.lower()
    if low.endswith("man"):
        plural = last[:-3] + "men"
    elif low.endswith("y") and low[-2:-1] not in ("a", "e", "o", "u"):
        plural = last[:-1] + "ies"
    elif low.endswith(("s", "x", "ch", "sh")):
        plural = last + "es"
    else:
        plural = last + "s"
    return f"{head} {plural}" if head else plural


def _date(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _role(raw: dict | str) -> Role:
    """A role as a mapping, or as the one-line form "RUS GOV 2000-05-07..2008-05-07 President"."""
    if isinstance(raw, str):
        code, sector, span, *title = raw.split(maxsplit=3)
        start, _, end = span.partition("..")
        return Role(
            code, None if sector == "-" else sector, " ".join(title), _date(start), _date(end)
        )
    return Role(
        raw["code"],
        raw.get("sector"),
        raw.get("title", ""),
        _date(raw.get("start")),
        _date(raw.get("end")),
    )


def _words(section: dict | None) -> Iterable[tuple[str | None, str]]:
    for sector, words in (section or {}).items():
        for word in words or ():
            yield (None if sector in ("NONE", None) else sector), word


def load(paths: Iterable[Path]) -> Lexicon:
    docs = [load_yaml(Path(p).read_text(encoding="utf-8")) or {} for p in paths]
    lex = Lexicon()
    # Modifier word lists first: the weak flag is needed while variants are added.
    for doc in docs:
        mods = doc.get("modifiers") or {}
        lex.former.update(key(w) for w in mods.get("former", ()))
        lex.split.update(key(w) for w in mods.get("split", ()))
        lex.demote_before.update(key(w) for w in mods.get("demote_before", ()))
        lex.demote_after.update(key(w) for w in mods.get("demote_after", ()))
        for word in doc.get("weak") or ():
            for form in (word, pluralise(word)):
                lex.weak.add(tuple(key(t) for t in split(form)))
        lex.person_nouns.update(key(w) for w in doc.get("person_nouns") or ())
    for doc in docs:
        _load_doc(lex, doc)
    return lex


def _load_doc(lex: Lexicon, doc: dict) -> None:
    for kind in ("agents", "roles"):
        for sector, word in _words(doc.get(kind)):
            entry = ActorEntry(None, sector, word, kind[:-1])
            lex.add(word, entry)
            lex.add(pluralise(word), entry)
    for item in doc.get("coded_agents") or ():
        entry = ActorEntry(
            item["code"], item.get("sector"), item.get("name", item["text"]), "agent"
        )
        for text in [item["text"], *item.get("variants", ())]:
            lex.add(text, entry)
    for place in doc.get("places") or ():
        for name in place["names"]:
            lex.add(name, ActorEntry(place["code"], None, name, "place"))
    for country in doc.get("countries") or ():
        code, name = country["code"], country["name"]
        entry = ActorEntry(code, None, name, "country")
        for text in [name, *country.get("variants", ()), *country.get("demonyms", ())]:
            lex.add(text, entry)
        capital = ActorEntry(code, "GOV", name, "capital")
        for text in country.get("capitals", ()):
            lex.add(text, capital, weak=True)  # "Baghdad University" is EDU, not GOV
    for item in doc.get("metonyms") or ():
        entry = ActorEntry(
            item["code"], item.get("sector"), item.get("name", item["text"]), "capital"
        )
        for text in [item["text"], *item.get("variants", ())]:
            lex.add(text, entry)
    for item in doc.get("outlets") or ():
        entry = ActorEntry(item.get("code"), "JRN", item["name"], "outlet")
        for text in [item["name"], *item.get("variants", ())]:
            lex.add(text, entry)
    for kind, section in (("org", "organisations"), ("person", "people")):
        for item in doc.get(section) or ():
            default_sector = item.get("sector", "ELI" if kind == "person" else None)
            target: ActorEntry | DatedActor
            if item.get("roles"):
                target = DatedActor(
                    item["name"],
                    item.get("code"),
                    default_sector,
                    kind,
                    tuple(map(_role, item["roles"])),
                )
            else:
                target = ActorEntry(item.get("code"), default_sector, item["name"], kind)
            for text in [item["name"], *item.get("variants", ())]:
                lex.add(text, target)
            for sector, texts in (item.get("sector_variants") or {}).items():
                part = ActorEntry(item.get("code"), sector, item["name"], kind)
                for text in texts:
                    lex.add(text, part)
