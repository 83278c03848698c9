"""The attribute ruler's matches found by table lookup instead of spaCy's ``Matcher``.

``en_core_web_sm``'s attribute ruler maps each token's fine tag (and, for a few words, its
form and dependency) to its coarse POS, morphology and some lemmas: about 180 one- and
two-token patterns. spaCy runs them through a general ``Matcher``, which tries every
pattern at every token: about a tenth of the whole pipeline's time. Every pattern here
tests a token's own TAG, LOWER, DEP and IS_SPACE, so the patterns one token matches depend
on those four values alone: they are worked out once per distinct combination and looked
up after that. The matches and their order are those of the ``Matcher``, and they are
applied as the ruler applies them, only without building a ``Span`` per match; a pattern
of another shape leaves the ruler as spaCy built it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

FEATURES = ("TAG", "LOWER", "DEP", "IS_SPACE")
Features = tuple[str, str, str, bool]
Test = Callable[[Features], bool]
MAX_MEMO = 200_000
"""Distinct token feature combinations remembered (the memo is cleared beyond this)."""


def _value_test(position: int, spec) -> Callable[[Features], bool] | None:
    if isinstance(spec, (str, bool)):
        return lambda f: f[position] == spec
    if isinstance(spec, dict) and len(spec) == 1:
        (op, arg), = spec.items()
        if op == "IN":
            members = frozenset(arg)
            return lambda f: f[position] in members
        if op == "NOT_IN":
            members = frozenset(arg)
            return lambda f: f[position] not in members
        if op == "REGEX":
            pattern = re.compile(arg)
            return lambda f: bool(pattern.search(f[position]))
    return None


def _token_test(token_spec: dict) -> Test | None:
    """A predicate on a token's features, or ``None`` for a spec this module does not read."""
    if not set(token_spec) <= set(FEATURES):
        return None
    tests = [_value_test(FEATURES.index(k), v) for k, v in token_spec.items()]
    if any(t is None for t in tests):
        return None
    return lambda f: all(t(f) for t in tests)


class AttributeMatches:
    """A drop-in for ``AttributeRuler.match``."""

    def __init__(self, ruler: AttributeRuler, single: list, double: list):
        self.ruler = ruler
        self.by_tag: dict[str | None, list] = {}
        """One-token patterns ``(attr index, match id, test)`` by the tag they require
        (``None``: any tag), so a new token form is tested against a few patterns only."""
        for index, key, test, tag in single:
            self.by_tag.setdefault(tag, []).append((index, key, test))
        self.double = double  # (attr index, match id, first test, second test)
        self.memo: dict[Features, tuple[list[tuple[int, int]], list[int]]] = {}
        self.names: dict[int, str] = {}

    @classmethod
    def build(cls, ruler: AttributeRuler) -> AttributeMatches | None:
        single, double = [], []
        for index, entry in enumerate(ruler.patterns):  # in the order of the ruler's keys
            key = ruler.vocab.strings[str(index)]
            for pattern in entry["patterns"]:
                tests = [_token_test(spec) for spec in pattern]
                if not tests or len(tests) > 2 or any(t is None for t in tests):
                    return None
                if len(tests) == 1:
                    tag = pattern[0].get("TAG")
                    single.append((index, key, tests[0], tag if isinstance(tag, str) else None))
                else:
                    double.append((index, key, tests[0], tests[1]))
        return cls(ruler, single, double)

    def _features(self, doc: Doc) -> list[Features]:
        strings, names = doc.vocab.strings, self.names
        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        out = []
        for tag, lower, dep, space in rows:
            for h in (tag, lower, dep):
                if h not in names:
                    names[h] = strings[h] if h else ""
            out.append((names[tag], names[lower], names[dep], bool(space)))
        if len(names) > MAX_MEMO:
            names.clear()
        return out

    def _matching(self, features: Features) -> tuple[list[tuple[int, int]], list[int]]:
        """The one-token patterns a token matches, and the two-token patterns it may open."""
        found = self.memo.get(features)
        if found is None:
            if len(self.memo) > MAX_MEMO:
                self.memo.clear()
            candidates = self.by_tag.get(features[0], []) + self.by_tag.get(None, [])
            found = (
                [(index, key) for index, key, test in candidates if test(features)],
                [n for n, (_, _, first, _) in enumerate(self.double) if first(features)],
            )
            self.memo[features] = found
        return found

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        if not (doc.has_annotation("TAG") and doc.has_annotation("DEP")):
            return AttributeRuler.match(self.ruler, doc)
        features = self._features(doc)
        matches = set()
        for i, f in enumerate(features):
            singles, opens = self._matching(f)
            for index, key in singles:
                matches.add((index, key, i, i + 1))
            for n in opens:
                index, key, _, second = self.double[n]
                if i + 1 < len(features) and second(features[i + 1]):
                    matches.add((index, key, i, i + 2))
        return sorted(matches)


def _annotator(ruler: AttributeRuler) -> Callable[[Doc, list], None]:
    """The ruler's ``set_annotations`` without a ``Span`` per match: each match's attributes
    go to the token at the rule's index in the matched span, in the matches' order."""

    def set_annotations(doc: Doc, matches: list) -> None:
        for attr_id, match_id, start, end in matches:
            index = ruler.indices[attr_id]
            i = start + index if index >= 0 else end + index
            if not start <= i < end:  # the ruler's own error
                AttributeRuler.set_annotations(ruler, doc, [(attr_id, match_id, start, end)])
            set_token_attrs(doc[i], ruler.attrs[attr_id])

    return set_annotations


def use_table_lookup(nlp: Language) -> None:
    """Let the pipeline's attribute ruler find its matches by lookup (see the module)."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe("attribute_ruler")
    matches = AttributeMatches.build(ruler)
    if matches is not None:
        ruler.match = matches
        ruler.set_annotations = _annotator(ruler)
