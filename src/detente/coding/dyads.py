"""The parties a document is about: the dyad in focus and the group phrases that stand for it.

"The two sides", "both parties", "the warring parties in Yemen" and the unnamed parties of a
reciprocal act ("a ceasefire was agreed", "clashes left dozens dead") all mean the pair the
story is about, not any one phrase. Reading that pair is a question about the whole
document — the pairs named together, the actors named most, the wars the actor data knows —
so it lives here, apart from the sentence-by-sentence reading of pronouns and descriptions in
:mod:`detente.coding.context`, which mixes these answers into its ``DocumentContext``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date

from spacy.tokens import Doc, Token

from detente.coding.actors import ActorDictionary
from detente.coding.mentions import (
    DETERMINERS,
    INTERNATIONAL,
    PARTY_SECTORS,
    SUBJECTS,
    Mention,
    as_ref,
    distinct_actors,
    reference_cues,
)
from detente.coding.models import ActorRef
from detente.coding.syntax import phrase


class PartyReading:
    """The dyad answers of :class:`~detente.coding.context.DocumentContext`, read from the
    mentions and pairs its front-to-back reading records."""

    doc: Doc
    actors: ActorDictionary
    on: date | None
    mentions: list[Mention]
    _referents: dict[int, list[ActorRef]]
    _pairs: list[tuple[int, tuple[ActorRef, ...]]]
    _groups: list[tuple[int, int]]
    _record: Callable[[int, Token, Sequence[ActorRef]], None]

    def dyad(
        self, before: int | None = None, without: frozenset[str] = frozenset()
    ) -> list[ActorRef]:
        """The two parties in focus before token ``before``: the last pair named together,
        else the two codes named most often so far. ``without``: codes that cannot be a
        side (the mediator of the act asking)."""
        limit = len(self.doc) if before is None else before
        for position, pair in reversed(self._pairs):
            if position < limit and not {r.code for r in pair} & without:
                return list(pair)
        top = self._most_named(limit, without)
        if len(top) < 2 and before is not None:
            # "the talks" before the names come: the pair named next, else the most named
            for position, pair in self._pairs:
                if position >= limit and not {r.code for r in pair} & without:
                    return list(pair)
            top = self._most_named(len(self.doc), without)
        return top if len(top) == 2 else []

    def parties(self, before: int) -> list[ActorRef]:
        """The dyad, or the one party a document names (an intrastate story)."""
        return self.dyad(before) or self._most_named(len(self.doc))[:1]

    def _most_named(self, limit: int, without: frozenset[str] = frozenset()) -> list[ActorRef]:
        counts: Counter[str] = Counter()
        latest: dict[str, ActorRef] = {}
        skipped = INTERNATIONAL | without
        for mention in self.mentions:
            if mention.token >= limit or mention.place:
                continue
            for ref in mention.refs:
                if ref.code and ref.code not in skipped and ref.sector in PARTY_SECTORS:
                    counts[ref.code] += 1
                    latest.setdefault(ref.code, ref)
        return [latest[c] for c, _ in counts.most_common(2)]

    def counterpart(
        self, actors: Sequence[ActorRef], trigger: Token, event_type: str
    ) -> list[ActorRef]:
        """The addressee a directed act leaves implicit: in a story about two parties, one
        side's proposal, refusal, demand or concession is addressed to the other ("Russia
        also proposed a ceasefire" → Ukraine)."""
        codes = {a.code for a in actors if a.code}
        dyad = self.dyad(trigger.i)
        if not codes or len(dyad) != 2 or dyad[0].code == dyad[1].code:
            return []
        sides = {r.code for r in dyad}
        cues = reference_cues()["counterparts"]
        if len(codes) == 1 and codes <= sides and event_type in cues["directed"]:
            return [as_ref(trigger, r, None, text=r.text) for r in dyad if r.code not in codes]
        return []

    def other_side(self, released: Sequence[ActorRef], trigger: Token) -> list[ActorRef]:
        """Who released people of one side when the clause does not say: the other party in
        focus ("189 Ukrainian nationals were repatriated" in a Russia–Ukraine story)."""
        codes = {r.code for r in released if r.code}
        dyad = self.dyad(trigger.i)
        if (
            len(codes) != 1
            or len({r.code for r in dyad}) != 2
            or not codes <= {r.code for r in dyad}
        ):
            return []
        return [as_ref(trigger, r, None, text=r.text) for r in dyad if r.code not in codes]

    def participants(self, trigger: Token, event_type: str) -> list[ActorRef]:
        """The parties of a reciprocal event that names none ("the face-to-face meeting",
        "a ceasefire was agreed", "the truce will begin", "clashes left dozens dead"): the
        pair in focus."""
        if not self.mutual(trigger, event_type):
            return []
        return [as_ref(trigger, r, None, text=r.text) for r in self.dyad(trigger.i)]

    def mutual(self, trigger: Token, event_type: str) -> bool:
        """Whether the event is done by both parties together: a reciprocal type (a meeting,
        an agreement), or a ceasefire or a clash named by the trigger or its subject."""
        cues = reference_cues()["counterparts"]
        if event_type in cues["reciprocal"]:
            return True
        words = set(cues.get("mutual", {}).get(event_type, ()))
        heads = [trigger] + [c for c in trigger.children if c.dep_ in {"nsubj", "nsubjpass"}]
        for head in heads:
            start = head.i - 2 if head.i >= 2 and head.nbor(-1).text == "-" else head.i
            joined = "".join(t.text for t in head.doc[start : head.i + 1]).lower()
            if {head.lemma_.lower(), head.lower_, joined} & words:
                return True
        return False

    def _settle_groups(self) -> None:
        """Group references once the whole document is read. "The warring parties in
        Ukraine agreed …" may open a story that names the sides only later, a story may name
        one side only ("Warring parties in Yemen …" never naming the Saudi-led coalition),
        and the pair named nearest may be the mediators ("US-Saudi talks"). The sides of the
        war fought where the phrase puts it (else the war of the party the document names
        most) decide: a pair of them named in the document, else the war's sides; without
        a known war, the nearest pair named together, the reading's own answer, or the two
        actors named most."""
        groups = {at for _, at in self._groups}
        real = [(at, pair) for at, pair in self._pairs if at not in groups]
        for index, at in self._groups:
            found = self._referents.get(at, [])
            head = self.doc[at]
            before = [pair for pos, pair in reversed(real) if pos < at]
            after = [pair for pos, pair in real if pos > at]
            settled = self._group_parties(head, found, before + after)
            if settled == found:
                continue
            self._referents[at] = settled
            self.mentions = [m for m in self.mentions if m.token != at]
            self._pairs = [(pos, pair) for pos, pair in self._pairs if pos != at]
            self._record(index, head, settled)
            self._pairs = [(pos, pair) for pos, pair in self._pairs if pos != at]
            if len(distinct_actors(settled)) >= 2:
                self._pairs.append((at, tuple(settled[:2])))
            self.mentions.sort(key=lambda m: m.token)
            self._pairs.sort(key=lambda item: item[0])

    def _group_parties(
        self, head: Token, found: list[ActorRef], pairs: list[tuple[ActorRef, ...]]
    ) -> list[ActorRef]:
        place = self._group_place(head)
        top = self._most_named(len(self.doc))
        at = place or next((r.code for r in top if r.code), None)
        sides = self.actors.belligerents(at, self.on) if at else ()
        if sides:
            fitting = next((p for p in pairs if {r.code for r in p} <= set(sides)), None)
            if fitting is not None:
                return [as_ref(head, r, None, text=r.text) for r in fitting]
            if place is not None or len(distinct_actors(found)) < 2:
                return [ActorRef(text=head.text, code=code) for code in sides]
        if place is not None:
            pairs = [p for p in pairs if place in {r.code for r in p}]
        if pairs:
            return [as_ref(head, r, None, text=r.text) for r in pairs[0]]
        if len(distinct_actors(found)) >= 2 or len(top) < 2:
            return found
        return [as_ref(head, r, None, text=r.text) for r in top]

    def _group_place(self, head: Token) -> str | None:
        """The country a group phrase is placed in: "the warring parties *in Yemen*",
        "*Sudan's* rival factions", "*Yemeni* warring parties"."""
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "in":
                words = [g for g in child.children if g.dep_ == "pobj"]
            elif child.dep_ in {"poss", "amod", "compound"}:
                words = [child]
            else:
                continue
            for word in words:
                ref = self.actors.resolve(phrase(word).text, self.on)
                if ref is not None and ref.code and ref.sector is None:
                    return ref.code
        return None

    def _group_noun(self, token: Token) -> bool:
        """ "the warring parties", "rival factions", "both sides": a plural group noun that
        stands for the parties in focus whatever place follows it."""
        cues = reference_cues()
        if token.tag_ not in {"NNS", "NNPS"} or token.lemma_.lower() not in cues["group_nouns"]:
            return False
        return any(
            c.lower_ in DETERMINERS | {"both"} or c.lower_ in cues["group_modifiers"]
            for c in token.children
        )

    def _actor_like(self, token: Token) -> bool:
        cues = reference_cues()
        lemma = token.lemma_.lower()
        if lemma in cues["group_nouns"] or lemma in cues["state_nouns"]:
            return True
        if token.pos_ == "PROPN" and token.ent_type_ not in {"GPE", "LOC", "FAC", "DATE"}:
            return True
        ref = self.actors.resolve(token.text, self.on)
        return ref is not None and ref.sector is not None


def group_reference(
    token: Token, nouns: frozenset[str], actor_like: Callable[[Token], bool]
) -> bool:
    """ "the two sides", "both parties", "these two nations", "the warring parties".

    With "the two"/"both" the noun must name actors (``actor_like``: a group noun, a state
    noun, an agent or title, or an unknown proper noun such as "DGsMO"), so "the two points"
    stays a thing."""
    children = {c.lower_: c.dep_ for c in token.children}
    determined = any(children.get(d) == "det" for d in DETERMINERS)
    if token.pos_ == "NUM":
        return token.lower_ == "two" and determined and token.dep_ in SUBJECTS
    if token.lemma_.lower() in nouns and "the" in children and token.tag_ in {"NNS", "NNPS"}:
        return True
    grouped = (children.get("two") == "nummod" and determined) or "both" in children
    return grouped and actor_like(token)
