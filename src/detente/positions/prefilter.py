"""Which sentences are worth parsing for positions.

A position needs an issue cue (``data/issues.yml``) and a speech-act cue
(``data/positions_cues.yml``) in the same sentence, so the pre-filter asks for one of
each on the tokenizer's output. A phrase matches only when every one of its words does,
so each phrase is keyed on its longest word that is not a stop word, inflected (``word*``
cues kept as prefixes): "for the exchange of prisoners" waits for "exchange", not for
"for". It may let through sentences that yield nothing; it must not hold back one that
would.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from detente.coding.lexicon import word_forms
from detente.nlp.pipeline import Keep
from detente.nlp.sentences import Sentence
from detente.positions.cues import load_lexicon
from detente.positions.phrases import compile_phrase
from detente.positions.taxonomy import load_taxonomy


def _key_words(phrases: Iterable[str]) -> tuple[set[str], set[str]]:
    """Forms and prefixes of each phrase's key: its longest word that is not a stop word
    (the least common, as a rule; the later one on a tie: "end the war" → "war")."""
    keys: list[str] = []
    prefixes: set[str] = set()
    for phrase in phrases:
        steps = compile_phrase(phrase)
        if not steps:
            continue
        key = max(reversed(steps), key=lambda step: (step.word not in STOP_WORDS, len(step.word)))
        if key.prefix:
            prefixes.add(key.word)
        else:
            keys.append(key.word)
    return set(word_forms(keys)), prefixes  # one call: the irregular forms are read once


@lru_cache(maxsize=1)
def position_filter() -> Keep:
    issue_forms, issue_prefixes = _key_words(cue.phrase for cue in load_taxonomy().cues())
    lexicon = load_lexicon()
    words = [*lexicon.verbs, *lexicon.nouns, *lexicon.reporting_verbs, *lexicon.demand_modals]
    act_forms, act_prefixes = _key_words(
        [*words, *lexicon.modal_phrases, *lexicon.phrases.phrases()]
    )
    issue_prefix, act_prefix = tuple(issue_prefixes), tuple(act_prefixes)

    def keep(sentence: Sentence) -> bool:
        tokens = {t.lower() for t in sentence.tokens}
        has_issue = any(t in issue_forms or t.startswith(issue_prefix) for t in tokens)
        return has_issue and any(t in act_forms or t.startswith(act_prefix) for t in tokens)

    return keep
