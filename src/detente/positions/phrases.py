"""Matching of editable cue phrases against spaCy tokens.

Cue lists are written by people, not regex authors, so the syntax is deliberately small:
words match a token's lower-case form or lemma, ``word*`` matches a prefix and ``~`` lets up
to three other tokens stand between two words. Phrases are indexed by their first word so a
sentence is scanned once, whatever the size of the lexicon.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span, Token

from detente.nlp.memo import document_forms, document_reading, token_forms

MAX_GAP = 3


@dataclass(frozen=True)
class Step:
    word: str
    prefix: bool
    gap: int
    """How many other tokens may come before this word (0 except after ``~``)."""

    def matches(self, token: Token) -> bool:
        return self.matches_forms(token_forms(token))

    def matches_forms(self, forms: tuple[str, ...]) -> bool:
        if self.prefix:
            return any(form.startswith(self.word) for form in forms)
        return self.word in forms


PREFIX_KEY = 3
"""Prefix cues are indexed by their first letters, so a token only tries the few that fit."""
FORMS_MEMO = 50_000
"""Distinct token form tuples whose candidate phrases an index remembers."""
_Entry = tuple[str, tuple[Step, ...], Any]


@dataclass(frozen=True)
class PhraseMatch:
    start: int
    """Index of the first matched token in the scanned sequence."""
    end: int
    """One past the last matched token."""
    phrase: str
    payload: Any


def compile_phrase(text: str) -> tuple[Step, ...]:
    steps: list[Step] = []
    gap = 0
    for word in _split(text.lower()):
        if word == "~":
            gap = MAX_GAP
            continue
        prefix = word.endswith("*") and len(word) > 1
        steps.append(Step(word.rstrip("*") if prefix else word, prefix, gap))
        gap = 0
    return tuple(steps)


def _split(text: str) -> list[str]:
    """Split on spaces and the clitics spaCy splits off ("won't" → "wo", "n't")."""
    words: list[str] = []
    for word in text.split():
        if word.endswith("n't") and len(word) > 3:
            stem = word[:-3]
            words.extend([{"wo": "will", "ca": "can", "sha": "shall"}.get(stem, stem), "not"])
        elif word.endswith("'s") and len(word) > 2:
            words.extend([word[:-2], "'s"])
        else:
            words.append(word)
    return words


class PhraseIndex:
    """A set of phrases, each carrying a payload, searchable over a token sequence."""

    def __init__(self, entries: Iterable[tuple[str, Any]] = ()) -> None:
        self._exact: dict[str, list[tuple[str, tuple[Step, ...], Any]]] = defaultdict(list)
        self._prefix: dict[str, list[tuple[str, tuple[Step, ...], Any]]] = defaultdict(list)
        self._short_prefix: list[tuple[str, tuple[Step, ...], Any]] = []
        self._by_forms: dict[tuple[str, ...], tuple[_Entry, ...]] = {}
        for phrase, payload in entries:
            self.add(phrase, payload)

    def add(self, phrase: str, payload: Any) -> None:
        if re.search(r"\w-\w", phrase):
            self._add(re.sub(r"(\w)-(?=\w)", r"\1 - ", phrase), phrase, payload)
        self._add(phrase, phrase, payload)

    def _add(self, pattern: str, phrase: str, payload: Any) -> None:
        """spaCy splits some hyphenated words ("30-day") and not others ("pre-2014"), so a
        hyphenated cue is indexed both whole and split."""
        steps = compile_phrase(pattern)
        if not steps:
            return
        entry = (phrase, steps, payload)
        self._by_forms.clear()
        first = steps[0]
        if not first.prefix:
            self._exact[first.word].append(entry)
        elif len(first.word) >= PREFIX_KEY:
            self._prefix[first.word[:PREFIX_KEY]].append(entry)
        else:
            self._short_prefix.append(entry)

    def phrases(self) -> list[str]:
        """Every indexed phrase (hyphenated ones once per spelling)."""
        groups = [*self._exact.values(), *self._prefix.values(), self._short_prefix]
        return [phrase for group in groups for phrase, _, _ in group]

    def find(self, tokens: Sequence[Token]) -> list[PhraseMatch]:
        """Every match, longest first at each start; overlapping matches are all kept."""
        forms = [token_forms(t) for t in tokens]
        return self._find(forms, lambda: [_stop(t) for t in tokens])

    def find_in(self, span: Span) -> list[PhraseMatch]:
        """:meth:`find` over a span's tokens (``start``/``end`` relative to the span), reading
        the forms from a table built once per document rather than token by token."""
        doc, start, end = span.doc, span.start, span.end
        forms = document_forms(doc)
        return self._find(forms[start:end], lambda: _document_stops(doc)[start:end])

    def _find(
        self, forms: list[tuple[str, ...]], stops_of: Callable[[], list[bool]]
    ) -> list[PhraseMatch]:
        stops: list[bool] | None = None
        found: list[PhraseMatch] = []
        for i, token_form in enumerate(forms):
            candidates = self._candidates(token_form)
            if not candidates:
                continue
            if stops is None:
                stops = stops_of()
            for phrase, steps, payload in candidates:
                end = _match_from(forms, stops, i, steps)
                if end is not None:
                    found.append(PhraseMatch(i, end, phrase, payload))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        return found

    def _candidates(self, token_form: tuple[str, ...]) -> tuple[_Entry, ...]:
        """The phrases a token with these forms may start, remembered per form tuple: most
        tokens start none, and the same words come back in every sentence."""
        cached = self._by_forms.get(token_form)
        if cached is not None:
            return cached
        entries = {id(entry): entry for entry in self._short_prefix}
        for form in dict.fromkeys(token_form):
            for entry in (*self._exact.get(form, ()), *self._prefix.get(form[:PREFIX_KEY], ())):
                entries[id(entry)] = entry
        if len(self._by_forms) >= FORMS_MEMO:
            self._by_forms.clear()
        self._by_forms[token_form] = found = tuple(entries.values())
        return found


def _stop(token: Token) -> bool:
    """Where a ``~`` gap may not reach across: a sentence start or a full stop."""
    return token.is_sent_start or token.text in {";", "."}


def _document_stops(doc: Doc) -> list[bool]:
    return document_reading(doc, "phrase_stops", lambda: [_stop(t) for t in doc])


def _match_from(
    forms: list[tuple[str, ...]], stops: list[bool], i: int, steps: tuple[Step, ...]
) -> int | None:
    if not steps[0].matches_forms(forms[i]):
        return None
    return _rest(forms, stops, i + 1, steps, 1)


def _rest(
    forms: list[tuple[str, ...]], stops: list[bool], pos: int, steps: tuple[Step, ...], k: int
) -> int | None:
    if k == len(steps):
        return pos
    step = steps[k]
    for offset in range(step.gap + 1):
        j = pos + offset
        if j >= len(forms):
            return None
        if step.matches_forms(forms[j]):
            end = _rest(forms, stops, j + 1, steps, k + 1)
            if end is not None:
                return end
        if stops[j]:
            return None
    return None
