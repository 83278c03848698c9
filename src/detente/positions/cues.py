"""The speech-act and stance cue lexicon (``data/positions_cues.yml``) as typed lookups."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from detente.data import load_yaml
from detente.positions.phrases import PhraseIndex

COMMITMENT_ORDER = ("rhetorical", "signalled", "formal_proposal", "signed")


@dataclass(frozen=True)
class CueLexicon:
    verbs: dict[str, str]
    """Verb lemma → speech act."""
    phrases: PhraseIndex
    """Multi-word expression → speech act."""
    nouns: dict[str, str]
    modal_phrases: frozenset[str]
    negatable: frozenset[str]
    demand_modals: frozenset[str]
    reporting_verbs: frozenset[str]
    preconditions: PhraseIndex
    """Marker → ``goal`` or ``condition`` (which side of the condition the marked clause is)."""
    commitment: PhraseIndex
    favor_acts: frozenset[str]
    against_acts: frozenset[str]
    hypothetical_modals: frozenset[str]
    speculative_modals: frozenset[str]
    frame_adjectives: frozenset[str]
    frame_nouns: frozenset[str]
    frame_verbs: frozenset[str]
    pressure_verbs: frozenset[str]
    pressure_nouns: frozenset[str]
    renounce_verbs: frozenset[str]
    hostilities_nouns: frozenset[str]
    """Objects that turn a breaking-off verb into a de-escalation ("halted its attacks")."""
    material_preps: frozenset[str]


def _by_word(groups: dict[str, list[str]]) -> dict[str, str]:
    return {str(word).lower(): key for key, words in groups.items() for word in words}


def _index(groups: dict[str, list[str]]) -> PhraseIndex:
    return PhraseIndex((str(p), key) for key, phrases in groups.items() for p in phrases)


def parse_lexicon(data: dict) -> CueLexicon:
    return CueLexicon(
        verbs=_by_word(data["verbs"]),
        phrases=_index(data["phrases"]),
        nouns=_by_word(data["nouns"]),
        modal_phrases=frozenset(str(p) for p in data["modal_phrases"]),
        negatable=frozenset(data["negatable"]),
        demand_modals=frozenset(data["demand_modals"]),
        reporting_verbs=frozenset(data["reporting_verbs"]),
        preconditions=_index(data["preconditions"]),
        commitment=_index(data["commitment"]),
        favor_acts=frozenset(data["favor_acts"]),
        against_acts=frozenset(data["against_acts"]),
        hypothetical_modals=frozenset(data["hypothetical_modals"]),
        speculative_modals=frozenset(data["speculative_modals"]),
        frame_adjectives=frozenset(data["evaluative_frames"]["adjectives"]),
        frame_nouns=frozenset(data["evaluative_frames"]["nouns"]),
        frame_verbs=frozenset(data["evaluative_frames"]["verbs"]),
        pressure_verbs=frozenset(data["pressure_frames"]["verbs"]),
        pressure_nouns=frozenset(data["pressure_frames"]["nouns"]),
        renounce_verbs=frozenset(data["renounce_verbs"]),
        hostilities_nouns=frozenset(data["hostilities_nouns"]),
        material_preps=frozenset(data["material_preps"]),
    )


@lru_cache(maxsize=1)
def load_lexicon() -> CueLexicon:
    path = resources.files("detente.data").joinpath("positions_cues.yml")
    return parse_lexicon(load_yaml(path.read_text(encoding="utf-8")))
