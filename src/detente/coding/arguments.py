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
            recipients = self._recipients(conditional_subjects(trigger), actors)
        if not recipients and locative:
            recipients = self._recipients(locative_heads(trigger), actors)
        if not any(r.code for r in recipients):
            if not actors:
                actors = self.context.participants(trigger, event_type)
            recipients += self.context.counterpart(actors, trigger, event_type)
        return actors, recipients

    def _recipients(self, heads: Sequence[Token], actors: list[ActorRef]) -> list[ActorRef]:
        """Resolved recipients, minus repeats of the actor and pronouns pointing back at it."""
        actor_codes = {a.code for a in actors}
        kept = []
        for ref in self.refs(heads):
            if any(ref.text == a.text for a in actors):
                continue
            if ref.text.lower() in PRONOUNS and ref.code in actor_codes:
                continue
            kept.append(ref)
        return kept
