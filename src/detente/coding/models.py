"""Event records: the PLOVER-style interchange format.

Field names are a public interface (JSONL output, the database and the API all use
them), so they follow the event-record specification rather than Python taste.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, Field

Modality = Literal["asserted", "reported", "negated", "hypothetical", "future", "speculative"]
MODALITIES: tuple[Modality, ...] = get_args(Modality)
FIRM_MODALITIES: frozenset[Modality] = frozenset({"asserted", "reported"})
"""The modalities that say an event happened (on the writer's or a named source's word):
what analyses count by default and what makes a process record held."""

EVENT_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)


class ActorRef(BaseModel):
    """A mention resolved to a country (or organisation) code and a sector."""

    text: str
    code: str | None = None
    sector: str | None = None
    name: str | None = None


class Location(BaseModel):
    text: str
    name: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


class Quantity(BaseModel):
    value: float
    unit: str
    text: str


class Attribution(BaseModel):
    """Who the text says is the source of the claim."""

    text: str
    code: str | None = None
    sector: str | None = None


class Evidence(BaseModel):
    """Where in the clean document text the record comes from (character offsets)."""

    sentence: str
    start: int
    end: int
    trigger: str | None = None


class Released(BaseModel):
    """People a release or an exchange frees: whose they are, what they are, how many,
    and the side that frees them (the side an exchange count is keyed by)."""

    text: str
    by: str | None = None
    """Code of the releasing side."""
    side: str | None = None
    """Code of the side the people belong to (their nationality or army)."""
    category: str | None = None
    count: float | None = None


ProcessTopic = Literal["exchange", "ceasefire", "talks"]
Stage = Literal["proposed", "agreed", "done", "violated", "ended"]


class Event(BaseModel):
    id: str
    doc_id: str
    sentence_index: int
    event_type: str
    mode: str | None = None
    context: list[str] = Field(default_factory=list)
    actor: list[ActorRef] = Field(default_factory=list)
    recipient: list[ActorRef] = Field(default_factory=list)
    date: str | None = None
    date_text: str | None = None
    location: Location | None = None
    quantities: list[Quantity] = Field(default_factory=list)
    modality: Modality = "asserted"
    attribution: Attribution | None = None
    evidence: Evidence
    score: float | None = None
    confidence: float = 0.5
    # Roles the peace-process layer reads (coding/roles.py); empty on other events.
    topic: ProcessTopic | None = None
    """The peace-process object the event acts on: a prisoner exchange, a ceasefire, talks."""
    stage: Stage | None = None
    """What the trigger does to it: proposes, agrees, carries out, violates or ends it."""
    occasion: Literal["talks", "mentioned"] | None = None
    """``talks``: the event happened at, during or after talks ("reached an agreement at the
    meeting in Istanbul"): those talks took place; ``venue``/``parties`` then describe them.
    ``mentioned``: the sentence mentions talks beside what the event does ("doubts the next
    round of talks in Istanbul will yield results"): ``topic``/``stage``/``venue`` describe
    them, the event's actors are not their sides."""
    releasing: list[ActorRef] = Field(default_factory=list)
    released: list[Released] = Field(default_factory=list)
    receiving: list[ActorRef] = Field(default_factory=list)
    parties: list[ActorRef] = Field(default_factory=list)
    """The sides the process object is between ("talks between Russia and Ukraine")."""
    mediator: ActorRef | None = None
    venue: str | None = None
    level: str | None = None
    """Meetings: leaders, ministers or technical."""
    starts: str | None = None
    """ISO date the thing set up begins ("a ceasefire starting on Sunday"), when told."""
    scope: list[str] = Field(default_factory=list)
    """Ceasefires: what it covers (energy, air, sea, holiday, humanitarian, full, partial)."""
    monitoring: str | None = None
    """Ceasefires: who monitors or verifies it ("monitored by the United Nations")."""
    conditions: list[str] = Field(default_factory=list)
    """Ceasefires: what it waits on ("would take effect only after sanctions were lifted")."""
