"""PLOVER scores and classes of an event, tolerant of labels the ontology lacks.

The coder may store its own ``score``; when it does not, the PLOVER table (type, refined
by mode) decides. Unknown types score 0 and fall in an ``unknown`` class instead of
failing a whole report on one odd record.
"""

from __future__ import annotations

from detente.coding import ontology
from detente.coding.models import Event


def event_score(event: Event) -> float:
    if event.score is not None:
        return float(event.score)
    try:
        return ontology.score(event.event_type, event.mode)
    except KeyError:
        return 0.0


def event_quad(event: Event) -> str:
    try:
        return ontology.quad(event.event_type)
    except KeyError:
        return "unknown"


def codes(refs) -> list[str]:
    """Actor codes of a compound actor, falling back to the mention text when uncoded."""
    return [r.code or r.text for r in refs]


def coded(refs) -> list[str]:
    """Only the actor codes: a mention the dictionary could not resolve ("its forces",
    "150 prisoners") is no actor a dyad can be about."""
    return [r.code for r in refs if r.code]


def names_a_party(event: Event) -> bool:
    """Whether a coded actor or recipient takes part: "someone attacked" says nothing about
    which relationship or process moved."""
    return any(r.code for r in [*event.actor, *event.recipient])
