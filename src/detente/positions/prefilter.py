"""Words that make a sentence worth parsing for positions.

A position needs an issue cue, so the first word of every issue cue (from
``data/issues.yml``) is what the coder's sentence pre-filter must let through in
addition to its own event triggers; ``word*`` cues become prefixes.
"""

from __future__ import annotations

from functools import lru_cache

from detente.coding.lexicon import inflections
from detente.positions.phrases import compile_phrase
from detente.positions.taxonomy import load_taxonomy


@lru_cache(maxsize=1)
def prefilter_cues() -> tuple[frozenset[str], tuple[str, ...]]:
    """(exact lower-case forms, prefixes) of the first word of every issue cue."""
    forms: set[str] = set()
    prefixes: set[str] = set()
    for cue in load_taxonomy().cues():
        steps = compile_phrase(cue.phrase)
        if not steps:
            continue
        first = steps[0]
        if first.prefix:
            prefixes.add(first.word)
        else:
            forms |= inflections(first.word)
    return frozenset(forms), tuple(sorted(prefixes))
