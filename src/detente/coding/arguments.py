"""Actor and recipient of an event: the parse positions from ``syntax``, resolved.

Noun phrases are resolved with the actor dictionary; pronouns fall back on actors seen
earlier in the paragraph, "the two countries" on the parties of earlier events, and a
verb the parser left without a subject on the first actor named before it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from spacy.tokens import Token

from detente.coding.models import ActorRef
from detente.coding.syntax import (
    COMPLEMENT_SUBJECT_TYPES,
    GROUP_REFERENCES,
    PERSONAL_PRONOUNS,
    POSSESSIVE_PRONOUNS,
    PRONOUNS,
    SUBJECT_DEPS,
    clause_subject,
    conditional_subjects,
    locative_heads,
    modifier_actors,
    passive_parts,
    phrase,
    recipient_heads,
    theme_targets,
)

Resolver = Callable[[str, date | None], ActorRef | None]


class ArgumentReader:
    """Resolves the actor and recipient of triggers within one document.

    It keeps the actors met so far: those of the current paragraph answer pronouns,
    those of the whole document answer "the two sides".
    """

    def __init__(
        self,
        resolve: Resolver,
        on: date | None,
        stative: frozenset[str] = frozenset(),
        mentions: Callable[[Sequence[str]], list] | None = None,
    ):
        self.resolve = resolve
        self.on = on
        self.stative = stative
        self.mentions = mentions
        self.recent: list[ActorRef] = []
        self.document: list[ActorRef] = []
        self.parties: list[ActorRef] = []
        """Actors of the document's events so far: the first answer to "the two sides"."""

    def new_paragraph(self) -> None:
        self.recent.clear()

    def remember(self, refs: Sequence[ActorRef]) -> None:
        for ref in refs:
            if ref.code:
                self.recent.append(ref)
                self.document.append(ref)
        del self.recent[:-8]
        del self.document[:-16]

    def remember_parties(self, refs: Sequence[ActorRef]) -> None:
        self.parties.extend(r for r in refs if r.code)
        del self.parties[:-8]

    def refs(self, heads: Sequence[Token]) -> list[ActorRef]:
        found: list[ActorRef] = []
        for head in heads:
            for ref in self._resolve_head(head):
                if not any(r.code == ref.code and r.text == ref.text for r in found):
                    found.append(ref)
        return found

    def _resolve_head(self, head: Token) -> list[ActorRef]:
        span = phrase(head)
        if head.lower_ in PRONOUNS and len(span) <= 2:
            ref = self._antecedent(head)
            return [ref] if ref else []
        if any(g in _with_determiners(head) for g in GROUP_REFERENCES):
            return []
        coordinated = self._coordinated_modifiers(head)
        if coordinated:
            return coordinated
        ref = self.resolve(span.text, self.on)
        if ref is None or not (ref.code or ref.sector):
            return []
        if not ref.code:
            owner = next(
                (c for c in head.children if c.dep_ == "poss" and c.lower_ in POSSESSIVE_PRONOUNS),
                None,
            )
            antecedent = self._antecedent(owner) if owner is not None else None
            if antecedent is not None:
                ref = ActorRef(
                    text=ref.text, code=antecedent.code, sector=ref.sector, name=ref.name
                )
        return [ref]

    def _coordinated_modifiers(self, head: Token) -> list[ActorRef]:
        """ "Russian and Ukrainian delegations" → one actor per coordinated modifier."""
        for child in head.children:
            if child.dep_ in {"amod", "compound"} and any(c.dep_ == "conj" for c in child.children):
                refs = []
                for modifier in (child, *child.conjuncts):
                    ref = self.resolve(f"{modifier.text} {head.text}", self.on)
                    if ref is not None and ref.code:
                        refs.append(ref)
                return refs
        return []

    def group_reference(self, head: Token) -> list[ActorRef]:
        """'the two countries' → the last two distinct coded actors (paragraph, then document)."""
        if not any(g in _with_determiners(head) for g in GROUP_REFERENCES):
            return []
        for pool in (self.parties, self.recent, self.document):
            distinct: list[ActorRef] = []
            for ref in reversed(pool):
                if ref.code and all(ref.code != d.code for d in distinct):
                    distinct.append(ref)
                if len(distinct) == 2:
                    return list(reversed(distinct))
        return []

    def _antecedent(self, pronoun: Token) -> ActorRef | None:
        """The subject of a verb governing the pronoun ("Syria says it …"), else a recent actor.

        "he"/"she" prefer people (refs with a personal name); "it"/"they" prefer the rest.
        """
        for ancestor in pronoun.head.ancestors if pronoun.head.i != pronoun.i else ():
            subjects = [
                c for c in ancestor.children if c.dep_ in SUBJECT_DEPS and c.lower_ not in PRONOUNS
            ]
            if subjects:
                ref = self.resolve(phrase(subjects[0]).text, self.on)
                if ref is not None and ref.code:
                    return ActorRef(
                        text=pronoun.text, code=ref.code, sector=ref.sector, name=ref.name
                    )
        personal = pronoun.lower_ in PERSONAL_PRONOUNS
        candidates = [r for r in reversed(self.recent) if r.code]
        preferred = [r for r in candidates if _is_person(r) == personal] or candidates
        if not preferred:
            return None
        ref = preferred[0]
        return ActorRef(text=pronoun.text, code=ref.code, sector=ref.sector, name=ref.name)

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
        actors = self._with_groups(actor_heads)
        if not actors:
            actors = self.refs(modifier_actors(trigger))
        if not actors and not agents and not patients and trigger.pos_ == "VERB":
            actors = self._preceding_mention(trigger)
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
        return actors, recipients

    def _recipients(self, heads: Sequence[Token], actors: list[ActorRef]) -> list[ActorRef]:
        """Resolved recipients, minus repeats of the actor and pronouns pointing back at it."""
        actor_codes = {a.code for a in actors}
        kept = []
        for ref in self._with_groups(heads):
            if any(ref.text == a.text for a in actors):
                continue
            if ref.text.lower() in PRONOUNS and ref.code in actor_codes:
                continue
            kept.append(ref)
        return kept

    def _preceding_mention(self, trigger: Token) -> list[ActorRef]:
        """When the parse gives no subject, the first actor named before the trigger.

        English puts the subject first; parser errors usually attach the verb to the
        nearest noun instead, which is why the first mention is the better guess.
        """
        if self.mentions is None:
            return []
        sent = trigger.sent
        tokens = [t.text for t in sent[: trigger.i - sent.start]]
        found = [m for m in self.mentions(tokens) if m[2].code]
        if not found:
            return []
        start, end, entry = found[0]
        return [
            ActorRef(
                text=" ".join(tokens[start:end]),
                code=entry.code,
                sector=entry.sector,
                name=entry.name,
            )
        ]

    def _with_groups(self, heads: Sequence[Token]) -> list[ActorRef]:
        refs: list[ActorRef] = []
        for head in heads:
            group = self.group_reference(head)
            refs.extend(group if group else self.refs([head]))
        return refs


def _with_determiners(head: Token) -> str:
    """The phrase text from its left edge, keeping "both"/"the two" that ``phrase`` drops."""
    return head.doc[head.left_edge.i : head.i + 1].text.lower()


def _is_person(ref: ActorRef) -> bool:
    return bool(ref.name) and " " in ref.name
