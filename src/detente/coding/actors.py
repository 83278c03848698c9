"""Actor resolution: a noun phrase → ``ActorRef(text, code, sector, name)``.

The event coder hands over noun phrases ("Serbian President Vojislav Kostunica", "Israeli
soldiers", "Security forces in Guinea"). Words are matched longest-first against the YAML
dictionary (countries, capitals, people, organisations, agent nouns), then the phrase's shape
decides what each match contributes:

* the *head* (before the first preposition such as "of/in/from", after the last possessive
  "'s") names the actor; the possessor ("Iran's …") and the prepositional tail ("… in
  Guinea") only fill in a code or sector the head lacks;
* countries, capitals, people and organisations decide the code, leftmost first, skipping
  "pro-X", "anti-X" and "X-backed" (those name a patron, not the actor);
* agent and role nouns decide the sector, the rightmost (the grammatical head) winning;
  weak nouns ("official", "leader", "spokesman") yield to any other sector word;
* a person's dated role overrides both on the article's date, and "former"/"ousted" turns
  office-holders into elites (ELI);
* news outlets ("Reuters", "TASS", "Al Jazeera") report events and never take part in them:
  they are left out unless the caller asks for a source (``sources=True``), so "a Reuters
  report" names no actor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from detente.coding.actor_lexicon import (
    SOURCE_KINDS,
    ActorEntry,
    DatedActor,
    Lexicon,
    Role,
    Variant,
    load,
)
from detente.coding.actor_tokens import POSSESSIVE, case_ok, key, split, split_token
from detente.coding.models import ActorRef
from detente.coding.wars import War, wars

__all__ = ["ActorDictionary", "ActorEntry", "default_paths"]

_BODY_CODES = frozenset({"IGO", "EUR", "NGO"})
"""Codes of international bodies, whose officials act for the body (see ``body``)."""
# Sectors of office-holders that "former", "ousted", "ex-" turn into elites.
_OFFICE_SECTORS = frozenset({"GOV", "MIL", "COP", "LEG", "JUD", "SPY"})
MEMO_SIZE = 65_536
"""Phrases and token runs remembered per dictionary (a few MB at most)."""


def default_paths() -> list[Path]:
    """The packaged YAML files, in load order (later files win ties)."""
    folder = resources.files("detente.data").joinpath("actors")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith((".yml", ".yaml")))


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    variants: tuple[Variant, ...]
    demoted: bool = False

    @property
    def kind(self) -> str:
        return self.variants[0].kind

    @property
    def weak(self) -> bool:
        return self.variants[0].weak

    def entry(self, on: dt.date | None) -> ActorEntry:
        """The entry on ``on``; namesakes (two Bushes) are told apart by their dated roles."""
        targets = [v.target for v in self.variants]
        dated = [t for t in targets if isinstance(t, DatedActor)]
        if len(targets) > 1 and dated:
            return min(dated, key=lambda t: t.distance(on)).entry(on)
        target = targets[0]
        return target.entry(on) if isinstance(target, DatedActor) else target

    def person(self, on: dt.date | None) -> DatedActor | None:
        dated = [v.target for v in self.variants if isinstance(v.target, DatedActor)]
        return min(dated, key=lambda t: t.distance(on)) if dated else None


class ActorDictionary:
    """Longest-match actor lookup over lower-cased token tuples, loaded from YAML files."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lex = lexicon
        lengths: dict[str, set[int]] = {}
        for keys in lexicon.index:
            lengths.setdefault(keys[0], set()).add(len(keys))
        self._lengths = {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()}
        self._bodies: dict[str, str | None] = {}
        self._war_places: list[tuple[frozenset[str], War]] | None = None
        # News names the same parties in sentence after sentence and document after document:
        # answers are memoised per dictionary (the lexicon never changes once loaded).
        self._mentions_memo: dict[tuple, tuple[tuple[int, int, ActorEntry], ...]] = {}
        self._resolve_memo: dict[tuple, ActorRef | None] = {}

    @classmethod
    def default(cls) -> ActorDictionary:
        return _default_dictionary()

    @classmethod
    def from_files(cls, paths: list[Path]) -> ActorDictionary:
        return cls(load(paths))

    def __len__(self) -> int:
        return len(self._lex.index)

    def belligerents(self, place: str, on: dt.date | None = None) -> tuple[str, ...]:
        """The sides of the war fought in country ``place`` in the year of ``on`` (or, with
        no date, fought still), or ``()``: what "the warring parties in Yemen" stand for.
        The wars are :func:`detente.coding.wars.wars`, their places resolved here."""
        if self._war_places is None:
            self._war_places = []
            for war in wars():
                refs = (self.resolve(name) for name in war.places)
                codes = frozenset(r.code for r in refs if r is not None and r.code)
                self._war_places.append((codes, war))
        year = on.year if on else None
        for places, war in self._war_places:
            if place in places and war.fought_in(year):
                return war.sides
        return ()

    def is_person_noun(self, word: str) -> bool:
        """Whether ``word`` names one person ("spokesman", "envoy"), for "he"/"she"."""
        return key(word) in self._lex.person_nouns

    # -- matching ---------------------------------------------------------------------------

    def _scan(
        self, texts: Sequence[str], keys: Sequence[str], sources: bool = False
    ) -> list[_Match]:
        """Longest matches left to right; outlets consume their words but are dropped unless
        ``sources`` (so "Al Jazeera" never leaves a stray "Al" behind)."""
        found = self._scan_all(texts, keys)
        return found if sources else [m for m in found if m.kind not in SOURCE_KINDS]

    def _scan_all(self, texts: Sequence[str], keys: Sequence[str]) -> list[_Match]:
        matches: list[_Match] = []
        index, n, i = self._lex.index, len(keys), 0
        while i < n:
            found = None
            for length in self._lengths.get(keys[i], ()):
                if i + length > n:
                    continue
                bucket = index.get(tuple(keys[i : i + length]))
                if not bucket:
                    continue
                window = texts[i : i + length]
                ok = [v for v in bucket if v.any_case or all(map(case_ok, v.rules, window))]
                if ok:
                    top = ok[0].priority
                    found = _Match(i, i + length, tuple(v for v in ok if v.priority == top))
                    break
            if found is None:
                i += 1
                continue
            matches.append(found)
            i = found.end
        return matches

    def find_mentions(
        self, tokens: Sequence[str], on: dt.date | None = None, sources: bool = False
    ) -> list[tuple[int, int, ActorEntry]]:
        """Actor mentions in a token sequence as ``(start, end_exclusive, entry)``.

        Tokens are the caller's (spaCy's) token texts; each is re-split the dictionary's way
        ("U.S.-led" → "U.S.", "led") and the spans are mapped back to the caller's indices.
        Outlets are left out unless ``sources``.
        """
        memo_key = (tuple(tokens), on, sources)
        found = self._mentions_memo.get(memo_key)
        if found is None:
            found = _remember(self._mentions_memo, memo_key, self._find_mentions(*memo_key))
        return list(found)

    def _find_mentions(
        self, tokens: tuple[str, ...], on: dt.date | None, sources: bool
    ) -> tuple[tuple[int, int, ActorEntry], ...]:
        texts: list[str] = []
        origin: list[int] = []
        for index, token in enumerate(tokens):
            for piece in split_token(token):
                texts.append(piece)
                origin.append(index)
        keys = [key(t) for t in texts]
        return tuple(
            (origin[m.start], origin[m.end - 1] + 1, m.entry(on))
            for m in self._scan(texts, keys, sources)
        )

    # -- resolution ------------------------------------------------------------------------

    def resolve(
        self, text: str, on: dt.date | None = None, sources: bool = False
    ) -> ActorRef | None:
        """Resolve a whole noun phrase; ``None`` when nothing in it is actor-like.

        With ``sources`` an outlet counts too (for "according to Reuters", not for actors)."""
        memo_key = (text, on, sources)
        if memo_key in self._resolve_memo:
            found = self._resolve_memo[memo_key]
        else:
            found = _remember(self._resolve_memo, memo_key, self._resolve(text, on, sources))
        return found.model_copy() if found is not None else None

    def _resolve(self, text: str, on: dt.date | None, sources: bool) -> ActorRef | None:
        texts = split(text)
        keys = [key(t) for t in texts]
        matches = self._mark_demoted(self._scan(texts, keys, sources), keys)
        if not matches:
            return None
        head, possessor, tail = self._parts(keys, matches)
        lex = self._lex
        former = any(keys[i] in lex.former for i in range(head[0], head[1]))
        in_head = [m for m in matches if head[0] <= m.start < head[1]]
        in_possessor = [m for m in matches if possessor[0] <= m.start < possessor[1]]
        in_tail = [m for m in matches if m.start >= tail]

        person = next((m for m in in_head if m.kind == "person"), None)
        role = None
        if person is not None:
            dated = person.person(on)
            role = dated.role_on(on) if dated is not None else None

        code, source = self._code(in_head, in_possessor, in_tail, on, person, role)
        sector = self._sector(in_head, in_possessor, in_tail, on, person, role)
        if former and sector in _OFFICE_SECTORS:
            sector = "ELI"
        if code is None and sector is None:
            return None
        named = person or source
        name = None
        if named is not None and named.kind in ("person", "org", "outlet"):
            name = named.entry(on).name
        if role is not None and role.code in _BODY_CODES:
            name = self.body(role.title) or name
        return ActorRef(text=text, code=code, sector=sector, name=name)

    def body(self, title: str) -> str | None:
        """The organisation an office belongs to, from its title ("UN Special Envoy for
        Yemen" → UN, "AU High Representative" → AU): an official of an international
        body acts for the body (PLOVER codes the envoy as the UN), so the reference
        carries the body's name where a state official's carries the person's."""
        if title not in self._bodies:
            texts = split(title)
            keys = [key(t) for t in texts]
            found = None
            for i in range(len(keys)):
                for length in sorted(self._lengths.get(keys[i], ())):
                    bucket = self._lex.index.get(tuple(keys[i : i + length])) or []
                    orgs = [v for v in bucket if v.kind == "org" and v.target.code in _BODY_CODES]
                    if orgs:
                        found = orgs[0].target.name
                        break
                if found:
                    break
            self._bodies[title] = found
        return self._bodies[title]

    def _mark_demoted(self, matches: list[_Match], keys: list[str]) -> list[_Match]:
        """Flag "pro-X", "anti-X", "X-backed": X is a patron or target, not the actor."""
        lex = self._lex
        marked = []
        for m in matches:
            before = keys[m.start - 1] if m.start > 0 else ""
            after = keys[m.end] if m.end < len(keys) else ""
            demoted = before in lex.demote_before or after in lex.demote_after
            marked.append(_Match(m.start, m.end, m.variants, demoted) if demoted else m)
        return marked

    def _parts(
        self, keys: list[str], matches: list[_Match]
    ) -> tuple[tuple[int, int], tuple[int, int], int]:
        """Spans of head, possessor and the start of the prepositional tail."""
        covered = set()
        ends = set()
        for m in matches:
            covered.update(range(m.start, m.end))
            ends.add(m.end)
        lex = self._lex
        first = 0
        while first < len(keys) and keys[first] in lex.split:
            first += 1
        tail = len(keys)
        for i in range(first, len(keys)):
            if i in covered or keys[i] not in lex.split:
                continue
            if i in ends and keys[i] in lex.demote_after:
                continue  # "US-based", "Iranian-backed": a compound modifier, not a clause
            tail = i
            break
        possessives = [i for i in range(first, tail) if keys[i] == POSSESSIVE and i not in covered]
        if not possessives:
            return (first, tail), (first, first), tail
        last = possessives[-1]
        if last + 1 >= tail:
            return (first, last), (first, first), tail
        return (last + 1, tail), (first, last), tail

    @staticmethod
    def _code(
        head: list[_Match],
        possessor: list[_Match],
        tail: list[_Match],
        on: dt.date | None,
        person: _Match | None,
        role: Role | None,
    ) -> tuple[str | None, _Match | None]:
        if person is not None and role is not None:
            return person.entry(on).code, person
        for group in (head, possessor, tail):
            for m in group:
                entry = m.entry(on)
                if not m.demoted and entry.code is not None:
                    return entry.code, m
        return None, None

    @staticmethod
    def _sector(
        head: list[_Match],
        possessor: list[_Match],
        tail: list[_Match],
        on: dt.date | None,
        person: _Match | None,
        role: Role | None,
    ) -> str | None:
        def pick(group: list[_Match], want_weak: bool) -> str | None:
            """Rightmost sector word of the wanted strength: the grammatical head wins."""
            found = None
            for m in group:
                if m.demoted or m.weak != want_weak or m.kind in ("country", "place", "person"):
                    continue
                found = m.entry(on).sector or found
            return found

        text_sector = pick(head, False)
        if person is not None:
            if on is not None and role is not None:
                return person.entry(on).sector
            return text_sector or person.entry(on).sector
        return (
            text_sector
            or pick(possessor, False)
            or pick(tail, False)
            or pick(head, True)
            or pick(possessor, True)
        )


def _remember(memo: dict, memo_key: tuple, value):
    """Store an answer; a full memo starts over, so memory stays bounded on any corpus."""
    if len(memo) >= MEMO_SIZE:
        memo.clear()
    memo[memo_key] = value
    return value


@lru_cache(maxsize=1)
def _default_dictionary() -> ActorDictionary:
    return ActorDictionary.from_files(default_paths())
