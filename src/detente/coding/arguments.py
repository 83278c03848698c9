"""Actor and recipient of an event: the parse positions from ``syntax``, resolved.

Phrases are resolved by the document context (``coding.context``: pronouns, "the two
sides", "the ministry", outlets as sources only); a release with no agent takes the side
that held the people freed ("freed from Saudi prisons"), and a verb the parser left
without a subject the first actor named before it (English puts the subject first; parser
errors usually attach the verb to the nearest noun instead).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from detente.coding.context import DocumentContext
from detente.coding.models import ActorRef
from detente.coding.syntax import (
    COMPLEMENT_SUBJECT_TYPES,
    PRONOUNS,
    clause_subject,
    conditional_subjects,
    locative_heads,
    modifier_actors,
    passive_parts,
    recipient_heads,
    theme_targets,
)

STATE_SECTORS = frozenset({None, "GOV", "MIL"})
"""The state itself: its government, forces, or its name alone."""


class ArgumentReader:
    """Resolves the actor and recipient of triggers within one document.

    What each phrase stands for — pronouns, "the two sides", "the ministry" included — is
    the document context's answer (``coding.context``), the same one every stage reads.
    """

    def __init__(self, context: DocumentContext, stative: frozenset[str] = frozenset()):
        self.context = context
        self.stative = stative

    def refs(self, heads: Sequence[Token]) -> list[ActorRef]:
        found: list[ActorRef] = []
        for head in heads:
            for ref in self.context.refs(head):
                if not any(r.code == ref.code and r.text == ref.text for r in found):
                    found.append(ref)
        return found

    def read(
        self,
        trigger: Token,
        event_type: str = "",
        theme: Token | None = None,
        locative: bool = False,
    ) -> tuple[list[ActorRef], list[ActorRef]]:
        """Actors and recipients of the event the trigger names.

        ``theme`` is the object that made a lexicon entry fire ("sent *aid*", "fired
        *missiles*"): a thing, never a recipient. ``locative`` lets the place of the event
        stand in as recipient when nothing else does (PLOVER codes the host of a visit,
        the country of a curfew).
        """
        agents, patients = passive_parts(trigger, self.stative)
        if agents or patients:
            actor_heads, recipient = agents, patients
        else:
            actor_heads = clause_subject(trigger)
            recipient = recipient_heads(
                trigger, actor_heads, event_type in COMPLEMENT_SUBJECT_TYPES
            )
        if theme is not None:
            themes = {t.i for t in (theme, *theme.conjuncts)}
            recipient = [h for h in recipient if h.i not in themes] + theme_targets(theme)
        actors = self.refs(actor_heads)
        if not actors:
            actors = self.refs(modifier_actors(trigger))
        if not actors and not agents and patients and event_type == "RETREAT":
            actors = self.context.custodian(trigger) or self.context.other_side(
                self.refs(patients), trigger
            )
        if not actors and not agents and not patients and trigger.pos_ == "VERB":
            actors = self.context.mentions_before(trigger)[:1]
        actors = self._not_the_addressee(actor_heads, actors, recipient, trigger)
        recipients = self._recipients(recipient, actors)
        complement = trigger
        for _ in range(2):
            if recipients:
                break
            complement = next(
                (c for c in complement.children if c.dep_ in {"xcomp", "ccomp"}), None
            )
            if complement is None:
                break
            recipients = self._recipients(recipient_heads(complement, actor_heads), actors)
        if not recipients:
            recipients = self._recipients(_partners_of_object(trigger), actors)
        if not recipients:
            recipients = self._recipients(conditional_subjects(trigger), actors)
        if not recipients and locative:
            recipients = self._recipients(locative_heads(trigger), actors)
        if not any(r.code for r in recipients):
            if not actors:
                actors = self.context.participants(trigger, event_type)
            recipients += self.context.counterpart(actors, trigger, event_type)
        return actors, recipients

    def _not_the_addressee(
        self,
        actor_heads: Sequence[Token],
        actors: list[ActorRef],
        recipient_heads: Sequence[Token],
        trigger: Token,
    ) -> list[ActorRef]:
        """A pronoun or description resolved to the very state the clause names as its
        addressee ("the authorities handed the pilot to *Indian* officials") points at the
        wrong antecedent: in a two-party story it is the other side."""
        if not actor_heads or any(self.context.referent(h) is None for h in actor_heads):
            return actors
        named = self.refs(recipient_heads)
        codes = {a.code for a in actors if a.code}
        if not codes or not codes <= {r.code for r in named if r.sector in STATE_SECTORS}:
            return actors
        return self.context.other_side(named, trigger) or actors

    def _recipients(self, heads: Sequence[Token], actors: list[ActorRef]) -> list[ActorRef]:
        """Resolved recipients, minus repeats of the actor, pronouns pointing back at it,
        and, in a story between two states, a second mention of the acting state ("Zelensky
        … talks between Ukraine and Russia"): no recipient of its own act. A same-code
        recipient stays when it is another body of that country (a government and its
        armed group, the police and protesters)."""
        actor_codes = {a.code for a in actors}
        state_codes = {a.code for a in actors if a.code and a.sector in STATE_SECTORS}
        if heads and len({r.code for r in self.context.dyad(heads[0].i)}) != 2:
            state_codes = set()  # a domestic story: its state may act on its own people
        kept = []
        for ref in self.refs(heads):
            if any(ref.text == a.text for a in actors):
                continue
            if ref.text.lower() in PRONOUNS and ref.code in actor_codes:
                continue
            if ref.code in state_codes and ref.sector in STATE_SECTORS:
                continue
            kept.append(ref)
        return kept


def _partners_of_object(trigger: Token) -> list[Token]:
    """The other side named inside the thing acted on: "the suspension of talks *with the
    ELN*", "ended the truce *with Hamas*" — the party the talks or truce were with."""
    heads = [trigger, *(c for c in trigger.children if c.dep_ in {"dobj", "obj"})]
    things = [
        g
        for h in heads
        for p in h.children
        if p.dep_ == "prep" and p.lower_ == "of"
        for g in p.children
        if g.dep_ == "pobj"
    ]
    things += [c for c in trigger.children if c.dep_ in {"dobj", "obj"}]
    found = []
    for thing in things:
        for prep in thing.children:
            if prep.dep_ == "prep" and prep.lower_ in {"with", "between"}:
                for obj in (g for g in prep.children if g.dep_ == "pobj"):
                    found += [obj, *obj.conjuncts]
    return found
