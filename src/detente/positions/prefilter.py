"""Which sentences are worth parsing for positions.

A position needs an issue cue (``data/issues.yml``) and a speech-act cue
(``data/positions_cues.yml``) in the same sentence, so the pre-filter asks for one of
each on the tokenizer's output: the first word of every cue phrase, inflected, with
``word*`` cues kept as prefixes. It may let through sentences that yield nothing; it
must not hold back one that would.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from detente.coding.lexicon import inflections
from detente.nlp.pipeline import Keep
from detente.nlp.sentences import Sentence
from detente.positions.cues import load_lexicon
from detente.positions.phrases import compile_phrase
from detente.positions.taxonomy import load_taxonomy


def _first_words(phrases: Iterable[str]) -> tuple[set[str], set[str]]:
    forms: set[str] = set()
    prefixes: set[str] = set()
    for phrase in phrases:
        steps = compile_phrase(phrase)
        if not steps:
            continue
        first = steps[0]
        if first.prefix:
            prefixes.add(first.word)
        else:
            forms |= inflections(first.word)
    return forms, prefixes


@lru_cache(maxsize=1)
def position_filter() -> Keep:
    issue_forms, issue_prefixes = _first_words(cue.phrase for cue in load_taxonomy().cues())
    lexicon = load_lexicon()
    words = [*lexicon.verbs, *lexicon.nouns, *lexicon.reporting_verbs, *lexicon.demand_modals]
    act_forms, act_prefixes = _first_words(
        [*words, *lexicon.modal_phrases, *lexicon.phrases.phrases()]
    )
    issue_prefix, act_prefix = tuple(issue_prefixes), tuple(act_prefixes)

    def keep(sentence: Sentence) -> bool:
        tokens = {t.lower() for t in sentence.tokens}
        has_issue = any(t in issue_forms or t.startswith(issue_prefix) for t in tokens)
        return has_issue and any(t in act_forms or t.startswith(act_prefix) for t in tokens)

    return keep
