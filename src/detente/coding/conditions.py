"""Conditions: the one reading of "if …", "once …" and "only after …" clauses.

Two stages ask about conditions — the event coder ("Russia said the truce would only take
effect after sanctions were lifted" is a demand by the speaker, a REQUEST) and the ceasefire
roles (what a truce waits on) — and they must agree on which clauses are conditions. Both
read them here, from one list in ``data/constructions.yml`` (``conditions``):

* a clause opened by a conditional conjunction ("if", "unless", "once", "provided") is a
  condition;
* a time clause ("after", "until", "when") is one only when restricted ("*only* after
  sanctions are lifted"); without "only" it is a schedule;
* "on condition that …", "upon condition …" put one as a phrase.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from detente.data import packaged


@dataclass(frozen=True)
class ConditionWords:
    markers: frozenset[str]
    """Conjunctions that make any clause a condition."""
    time_markers: frozenset[str]
    """Conjunctions of time that make a condition only when restricted."""
    restrictive: frozenset[str]
    """ "*only* after": what turns a time clause into a condition."""

    @property
    def all_markers(self) -> frozenset[str]:
        return self.markers | self.time_markers


@lru_cache(maxsize=1)
def condition_words() -> ConditionWords:
    raw = packaged("constructions.yml")["conditions"]
    return ConditionWords(
        markers=frozenset(map(str, raw["markers"])),
        time_markers=frozenset(map(str, raw["time_markers"])),
        restrictive=frozenset(map(str, raw["restrictive"])),
    )


def condition_mark(clause: Token) -> Token | None:
    """The conjunction that opens an adverbial clause as a condition, or a time clause that
    could be one ("after", "until"); ``None`` for any other clause."""
    if clause.dep_ != "advcl":
        return None
    words = condition_words().all_markers
    return next((c for c in clause.children if c.dep_ == "mark" and c.lower_ in words), None)


def restricted(clause: Token, mark: Token) -> bool:
    """Whether "only" restricts the clause: on the clause, its conjunction, the verb it
    hangs on, or just before the conjunction ("only after", "would only take effect
    after")."""
    words = condition_words().restrictive
    holders = (clause, clause.head, mark)
    if any(c.lower_ in words for h in holders for c in h.children if c.dep_ == "advmod"):
        return True
    return mark.i > 0 and mark.nbor(-1).lower_ in words


def is_condition(clause: Token) -> bool:
    """A conditional clause, or a restricted time clause (see the module docstring)."""
    mark = condition_mark(clause)
    if mark is None:
        return False
    return mark.lower_ in condition_words().markers or restricted(clause, mark)


def condition_phrase(prep: Token) -> bool:
    """ "on condition that …", "upon condition of …"."""
    return (
        prep.dep_ == "prep"
        and prep.lower_ in {"on", "upon"}
        and any(g.lemma_.lower() == "condition" for g in prep.children)
    )
