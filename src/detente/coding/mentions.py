"""What the reading of a document records: mentions, and the small helpers every part of
that reading shares (the reference cues, one reference per country or per actor).

Kept apart from :mod:`detente.coding.context` (the front-to-back reading of pronouns and
descriptions) and :mod:`detente.coding.dyads` (the pair a document is about) so that both
import the same record types without importing each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from detente.coding.models import ActorRef
from detente.data import packaged

SUBJECTS = frozenset({"nsubj", "nsubjpass"})
PARTY_SECTORS = frozenset({None, "GOV", "MIL", "REB", "COP", "SPY", "OPP", "LEG", "JUD"})
"""Sectors that can be one side of a conflict: states and their organs, armed groups."""
INTERNATIONAL = frozenset({"IGO", "EUR", "NGO", "IMG"})
"""Codes of bodies that mediate or observe; never one side of the dyad by mere frequency."""
DETERMINERS = frozenset({"the", "this", "that", "these", "those"})


@dataclass(frozen=True)
class Mention:
    """Actors named (or pointed back to) by one phrase, with what reference cares about."""

    refs: tuple[ActorRef, ...]
    sentence: int
    token: int
    subject: bool
    person: bool
    plural: bool
    country: bool = False
    lemma: str = ""
    """The phrase head's lemma: "the junta" looks for an earlier "Myanmar junta" first."""
    place: bool = False
    words: frozenset[str] = frozenset()
    """The lower-cased words of a single actor's name ("Myanmar junta and ethnic groups")."""
    """A city named as where something happens ("ended in the South African capital"): it
    can be a pronoun's antecedent, never a side of the dyad by frequency."""


@lru_cache(maxsize=1)
def reference_cues() -> dict:
    """The reference cues of ``reference.yml`` (group nouns, state nouns, speech verbs …)."""
    return packaged("reference.yml")


def as_ref(
    head: Token, ref: ActorRef, sector: str | None, name: str | None = None, text: str | None = None
) -> ActorRef:
    return ActorRef(
        text=text or head.text, code=ref.code, sector=sector or ref.sector, name=name or ref.name
    )


def distinct_actors(refs: Iterable[ActorRef]) -> list[ActorRef]:
    """Different actors, even of one country: "the Sudanese army and the RSF" are a pair."""
    seen: dict[tuple[str | None, str], ActorRef] = {}
    for ref in refs:
        seen.setdefault((ref.code, (ref.name or ref.text).lower()), ref)
    return list(seen.values())


def distinct_codes(refs: Iterable[ActorRef]) -> list[ActorRef]:
    """One reference per country code, the first kept."""
    seen: dict[str | None, ActorRef] = {}
    for ref in refs:
        seen.setdefault(ref.code, ref)
    return list(seen.values())
