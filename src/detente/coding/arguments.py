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

from detente.coding.context import DocumentContext, distinct_codes
from detente.coding.models import ActorRef
from detente.coding.roles import adjectival_mediator
from detente.coding.syntax import (
    COMPLEMENT_SUBJECT_TYPES,
    PRONOUNS,
    absolute_subject,
    clause_subject,
    conditional_subjects,
    locative_heads,
    modifier_actors,
    passive_parts,
    recipient_heads,
    theme_targets,
)

PURPOSE_TYPES = frozenset({"MOBILIZE", "ASSAULT", "COERCE", "THREATEN", "PROTEST"})
"""Acts whose purpose clause names their target: "sent troops to repel the army", "went on
hunger strike to protest the president's failure"."""
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
        moved: bool = False,
    ) -> tuple[list[ActorRef], list[ActorRef]]:
        """Actors and recipients of the event the trigger names.

        ``theme`` is the object that made a lexicon entry fire ("sent *aid*", "fired
        *missiles*"): a thing, never a recipient. ``locative`` lets the place of the event
        stand in as recipient when nothing else does (PLOVER codes the host of a visit,
        the country of a curfew). ``moved``: the subject is the people a release moves
        ("Iranian prisoners arrived in Tehran"), see :meth:`moved_people`.
        """
        if moved:
            return self.moved_people(trigger)
        absolute = absolute_subject(trigger)  # "with an agreement reached": no doer named
        agents, patients = ([], [absolute]) if absolute else passive_parts(trigger, self.stative)
        if not (agents or patients) and self._reduced_mutual(trigger, event_type):
            patients = [trigger.head]
        patients = [p for head in patients for p in _among(head)]
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
            actors = self._left_of(trigger) or self.context.mentions_before(trigger)[:1]
        actors = self._not_the_addressee(actor_heads, actors, recipient, trigger)
        recipients = self._recipients(recipient, actors)
        complement: Token | None = trigger
        for _ in range(2):
            complement = next((c for c in complement.children if _complement(c, event_type)), None)
            if complement is None or any(r.code for r in recipients):
                break
            found = self._recipients(recipient_heads(complement, actor_heads), actors)
            recipients += found if not recipients else [r for r in found if r.code]
        # Where the clause names its addressee only as a thing or an uncoded group ("respond
        # with force if US troops press ahead"), the other places an addressee stands still
        # count; what they add comes after what the clause named.
        fallbacks = [
            lambda: _partners_of_object(trigger),
            lambda: conditional_subjects(trigger),
            lambda: locative_heads(trigger) if locative else [],
        ]
        for heads in fallbacks:
            if any(r.code for r in recipients):
                break
            found = self._recipients(heads(), actors)
            recipients += found if not recipients else [r for r in found if r.code]
        if not any(a.code for a in actors) and self.context.mutual(trigger, event_type):
            # "clashes left dozens dead on both sides": the pair the clause names without an
            # agent fought each other; they are the actor, not the addressee.
            pair = self.context.participants(trigger, event_type)
            if {r.code for r in recipients if r.code} == {r.code for r in pair} != set():
                actors, recipients = pair, []
        if not any(r.code for r in recipients):
            if not actors:
                actors = self.context.participants(trigger, event_type)
                if actors:
                    return actors, recipients  # both parties together: nobody else addressed
            recipients += self.context.counterpart(actors, trigger, event_type)
        return actors, recipients

    def _reduced_mutual(self, trigger: Token, event_type: str) -> bool:
        """ "released in a deal negotiated in secrecy", "implementing an agreement reached
        between …": a passive participle on its noun names no doer, and the subject of the
        clause around it is not one — a reciprocal act's doers are the parties in focus."""
        return (
            trigger.dep_ == "acl"
            and trigger.tag_ == "VBN"
            and not any(c.dep_ == "agent" for c in trigger.children)
            and self.context.mutual(trigger, event_type)
        )

    def _left_of(self, trigger: Token) -> list[ActorRef]:
        """The noun phrases right before a verb the parser left without a subject ("… in
        Kunming the Alliance and the junta agreed"): English puts the subject there, and a
        coordinated run of them is one compound subject."""
        doc, i = trigger.doc, trigger.i - 1
        while i >= 0 and doc[i].pos_ in {"AUX", "ADV", "PART"}:
            i -= 1
        found: list[ActorRef] = []
        while i >= 0 and doc[i].pos_ in {"NOUN", "PROPN"} and doc[i].sent == trigger.sent:
            found += [r for r in self.context.refs(doc[i]) if r.code]
            i = doc[i].left_edge.i - 1 if doc[i].left_edge.i < doc[i].i else i - 1
            while i >= 0 and doc[i].dep_ in {"compound", "amod", "det", "poss", "case"}:
                i -= 1
            if i < 0 or doc[i].lower_ not in {"and", ","}:
                break
            i -= 1
            while i >= 0 and doc[i].lower_ in {"and", ","}:
                i -= 1
        return found

    def moved_people(self, trigger: Token) -> tuple[list[ActorRef], list[ActorRef]]:
        """ "Iranian prisoners arrived in Tehran", "five American prisoners are headed for
        the US": the subject is the people moved, whose side receives them; who let them go
        is the side that held them (custody the clause names), else the other party in
        focus (the clause seldom says)."""
        people = [c for c in trigger.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if not people and trigger.dep_ in {"acl", "relcl", "conj"}:
            people = (
                [trigger.head]
                if trigger.dep_ != "conj"
                else [c for c in trigger.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
            )
        receivers = [r for r in self.refs(people) if r.code]
        holders = self.context.custodian(trigger) or self.context.other_side(receivers, trigger)
        return holders, receivers

    def agree_with_roles(
        self,
        trigger: Token,
        event_type: str,
        actors: list[ActorRef],
        recipients: list[ActorRef],
        roles: dict,
    ) -> tuple[list[ActorRef], list[ActorRef]]:
        """One path for each fact: where the event's roles (``coding.roles``) know who
        releases, who is released and who mediates, actor and recipient say the same.

        * a release is done by the releasing side ("prisoners freed by Venezuela have
          arrived") and received by the receiving side, else by the released people's side
          ("those released by Moscow" were American);
        * what a mediator does (mediates, offers to host) is addressed to the parties it
          mediates between: those the sentence names, else the pair in focus ("Qatar
          brokered the deal", "Turkey offered to host talks between them"); a
          host receives the parties, who are the actors ("the talks between X and Y were
          hosted by Z": PLOVER codes a meeting's host as its recipient)."""
        if event_type == "RETREAT":
            actors, recipients = self._release_roles(trigger, actors, recipients, roles)
        mediator = roles.get("mediator")
        acting = {a.code for a in actors if a.code}
        if (
            mediator is not None
            and mediator.code in acting
            and len(acting) > 1
            and adjectival_mediator(trigger.sent, mediator)
        ):
            # "no agreement was reached at Chinese-brokered talks between X and Y": the
            # broker qualifies the talks; the parties are who (failed to) agree.
            actors = [a for a in actors if a.code != mediator.code]
            acting = {a.code for a in actors if a.code}
        if mediator is None or mediator.code not in acting:
            return actors, recipients
        named = [p for p in roles.get("parties", ()) if p.code and p.code not in acting]
        pair = self.context.dyad(trigger.i, frozenset(acting))
        parties = named or [_as_party(r) for r in pair if len({p.code for p in pair}) == 2]
        codes = {p.code for p in parties}
        if not parties or not {r.code for r in recipients if r.code} <= codes:
            return actors, recipients
        if event_type == "CONSULT" and trigger.lemma_.lower() == "host":
            return parties, [a for a in actors if a.code == mediator.code]
        return actors, parties

    def _release_roles(
        self,
        trigger: Token,
        actors: list[ActorRef],
        recipients: list[ActorRef],
        roles: dict,
    ) -> tuple[list[ActorRef], list[ActorRef]]:
        releasing = [r for r in roles.get("releasing", ()) if r.code]
        if releasing and not {a.code for a in actors} & {r.code for r in releasing}:
            actors = releasing
        receiving = [r for r in roles.get("receiving", ()) if r.code]
        if not any(a.code for a in actors) and receiving:
            actors = self.context.other_side(receiving, trigger)  # "returned to Russia"
        acting = {a.code for a in actors if a.code}
        receiving = [r for r in receiving if r.code not in acting]
        sides = [
            ActorRef(text=r.text, code=r.side)
            for r in roles.get("released", ())
            if r.side and r.side not in acting
        ]
        if not any(r.code and r.code not in acting for r in recipients):
            recipients = distinct_codes(receiving or sides) or recipients
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


def _complement(token: Token, event_type: str) -> bool:
    """A clausal complement, or the purpose clause of a use of force or a protest ("sent
    troops *to repel the army*"): where an act names its target when it names none itself.
    (A meeting's purpose is its topic, not its addressee: "met to discuss Myanmar".)"""
    if token.dep_ in {"xcomp", "ccomp"}:
        return True
    return (
        event_type in PURPOSE_TYPES
        and token.dep_ == "advcl"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
    )


def _among(head: Token) -> list[Token]:
    """ "X and Y were among those released by Moscow": the people "those" stands for are
    the subject of the clause that puts them among it."""
    prep = head.head
    if head.pos_ != "PRON" or head.dep_ != "pobj" or prep.lower_ != "among":
        return [head]
    subjects = [c for c in prep.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return [t for s in subjects for t in (s, *s.conjuncts)] or [head]


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


def _as_party(ref: ActorRef) -> ActorRef:
    return ActorRef(text=ref.text, code=ref.code, sector=ref.sector, name=ref.name)
