"""Negotiation records: positions and structured peace-process records.

Field names are a public interface (JSONL, database, API).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from detente.coding.models import ActorRef, Attribution, Modality

SpeechAct = Literal[
    "propose",
    "demand",
    "accept",
    "reject",
    "precondition",
    "offer",
    "concede",
    "threaten",
    "sign",
    "implement",
    "violate",
]
Stance = Literal["favor", "against", "conditional", "neutral"]
Commitment = Literal["rhetorical", "signalled", "formal_proposal", "signed"]


class PositionEvidence(BaseModel):
    sentence: str
    start: int
    end: int


class Condition(BaseModel):
    issue: str | None = None
    text: str


class Position(BaseModel):
    id: str
    doc_id: str
    process: str | None = None
    issue: str
    sub_issue: str | None = None
    actor: ActorRef
    speaker: str | None = None
    addressee: ActorRef | None = None
    speech_act: SpeechAct
    stance: Stance
    position: float | None = None
    anchor_label: str | None = None
    conditions: list[Condition] = Field(default_factory=list)
    condition_for: str | None = None
    """For a ``precondition``: the issue this position is a condition for (e.g. ``talks``)."""
    commitment: Commitment = "rhetorical"
    modality: Modality = "asserted"
    attribution: Attribution | None = None
    date: str | None = None
    evidence: PositionEvidence
    confidence: float = 0.5
    event_ids: list[str] = Field(default_factory=list)


class ProcessRecord(BaseModel):
    """A prisoner exchange, a ceasefire (proposed/declared/in effect) or a talks meeting.

    ``kind`` decides which of the optional fields are meaningful; one record stands for
    one real-world occurrence, merged across every article that reported it.
    """

    id: str
    kind: Literal["exchange", "ceasefire", "talks"]
    process: str | None = None
    parties: list[ActorRef] = Field(default_factory=list)
    date: str | None = None
    status: str | None = None
    """exchange: proposed | agreed | implemented; talks: planned | held | ended;
    ceasefire: proposed | agreed | in_effect | violated | collapsed."""
    numbers: dict[str, float] = Field(default_factory=dict)
    """exchange: count released, keyed by the code of the side that released them."""
    categories: list[str] = Field(default_factory=list)
    mediator: ActorRef | None = None
    venue: str | None = None
    level: str | None = None
    scope: list[str] = Field(default_factory=list)
    conditions: list[str] = Field(default_factory=list)
    monitoring: str | None = None
    """ceasefire: who monitors or verifies it, as the text says."""
    outcome: str | None = None
    start: str | None = None
    """ceasefire: the day it begins, when told ("a ceasefire starting on Sunday")."""
    end: str | None = None
    agreed: str | None = None
    """ceasefire: the day it was agreed, when that differs from its start."""
    event_ids: list[str] = Field(default_factory=list)
    """The events the record aggregates."""
    sources: list[PositionEvidence | dict] = Field(default_factory=list)
    doc_ids: list[str] = Field(default_factory=list)
    confidence: float = 0.5
