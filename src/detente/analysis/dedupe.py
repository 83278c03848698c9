"""Duplicate-aware counting: one story reported by many outlets counts once.

Documents in the same story cluster (near-duplicates found at ingest) tell the same
story, so their events are merged on (cluster, event type, actor codes, recipient codes,
day, firmness): firmness (asserted/reported or not) is in the key so that "they met" and
"a summit could follow" in one story stay two things. The merged group keeps every
record id and a ``mentions`` count, the larger of the cluster's size and the number of
distinct documents that yielded the event. Positions
merge the same way on (cluster, actor, issue, speech act, stance, day, firmness).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from detente.analysis.corpus import Corpus, is_firm
from detente.analysis.scoring import codes
from detente.coding.models import Event
from detente.positions.models import Position

MODALITY_RANK = {
    "asserted": 0, "reported": 1, "future": 2, "speculative": 3, "hypothetical": 4, "negated": 5,
}  # fmt: skip
"""Firmest first: a merged group takes the modality of its firmest report."""

R = TypeVar("R", Event, Position)


@dataclass
class Group(Generic[R]):
    """Records telling one thing in one story; ``record`` is the firmest, most confident."""

    record: R
    members: list[R]
    date: str | None
    story: str
    mentions: int

    @property
    def ids(self) -> list[str]:
        return [m.id for m in self.members]

    @property
    def doc_ids(self) -> list[str]:
        return sorted({m.doc_id for m in self.members})


def _group(
    corpus: Corpus, items: Iterable[R], key: Callable[[R, str, str | None], Hashable]
) -> list[Group[R]]:
    buckets: dict[Hashable, list[R]] = {}
    for item in items:
        story = corpus.doc(item.doc_id).story
        buckets.setdefault(key(item, story, corpus.date_of(item)), []).append(item)
    groups = []
    for members in buckets.values():
        best = min(members, key=lambda m: (MODALITY_RANK.get(m.modality, 9), -m.confidence))
        docs = {m.doc_id for m in members}
        cluster_size = max(corpus.doc(d).mentions for d in docs)
        groups.append(
            Group(
                record=best,
                members=members,
                date=corpus.date_of(best),
                story=corpus.doc(best.doc_id).story,
                mentions=max(cluster_size, len(docs)),
            )
        )
    return groups


def dedupe_events(corpus: Corpus, events: Iterable[Event] | None = None) -> list[Group[Event]]:
    def key(e: Event, story: str, date: str | None) -> Hashable:
        actors = tuple(sorted(codes(e.actor)))
        recipients = tuple(sorted(codes(e.recipient)))
        return (story, e.event_type, actors, recipients, date, is_firm(e.modality))

    return _group(corpus, corpus.events if events is None else events, key)


def dedupe_positions(
    corpus: Corpus, positions: Iterable[Position] | None = None
) -> list[Group[Position]]:
    def key(p: Position, story: str, date: str | None) -> Hashable:
        actor = p.actor.code or p.actor.text
        return (story, actor, p.issue, p.speech_act, p.stance, date, is_firm(p.modality))

    return _group(corpus, corpus.positions if positions is None else positions, key)
