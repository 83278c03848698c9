"""Actors in context: one reading of who every mention in a document stands for.

A noun phrase names an actor only partly on its own: "he", "it", "the ministry", "the two
sides", "demonstrators" and "freed from Saudi prisons" need the document around them. This
module reads a parsed document once, front to back, and answers for every phrase head what
it stands for, so that the event coder and the position extractor — and anything else that
asks — resolve the same pronoun the same way (:func:`document_context` caches the reading on
the spaCy ``Doc``).

The rules are the ordinary ones of English reference, not a list of sentences:

* a pronoun points to the last *compatible* mention: "he"/"she" to a person, "it" to a
  state or organisation, "they" to a plural group (a conjoined pair counts), "we"/"I" to
  the speaker of the quote; subjects outrank objects, nearer sentences outrank older ones,
  and an unknown person named in between blocks the way back ("Grundberg said … He");
* inside one sentence the subject of the verb that governs the pronoun comes first
  ("Syria says it will …");
* a definite description without a code ("the ministry", "the rebels", "the country") takes
  the code of the last mention of the same sector, else of the last state;
* "the two sides", "both parties", "the two leaders" stand for the dyad in focus: the last
  pair named together ("Russia and Ukraine", "Russia-Ukraine talks"), else the two actors
  the document has named most (a whole-document question, read by
  :mod:`detente.coding.dyads` once this reading has recorded every mention);
* juxtaposed names in one phrase ("Israel-Hezbollah truce", "Russian Turkish presidents")
  are one actor each;
* a group noun without a country ("demonstrators", "residents") takes the country of the
  place its clause happens in;
* outlets are sources only, and so is the announcer of a headline written as a title
  ("Trump: Armenia and Azerbaijan to sign …", "… — Kremlin");
* the holder in "freed from Saudi prisons", "returned from Russian captivity", "prisoners
  held by the Houthis" is the releasing side of a release whose agent the clause leaves out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span, Token

from detente.coding.actors import ActorDictionary
from detente.coding.dyads import PartyReading, group_reference
from detente.coding.mentions import (
    DETERMINERS,
    PARTY_SECTORS,
    SUBJECTS,
    Mention,
    as_ref,
    distinct_actors,
    distinct_codes,
    reference_cues,
)
from detente.coding.models import ActorRef
from detente.coding.places import find_location
from detente.coding.roles import custody_owners, is_custody
from detente.coding.syntax import PRONOUNS, phrase

__all__ = ["DocumentContext", "Mention", "distinct_codes", "document_context"]

USER_DATA_KEY = "detente.context"
PERSONAL = frozenset({"he", "she", "him", "his", "her", "hers", "himself", "herself"})
NEUTER = frozenset({"it", "its", "itself"})
PLURAL = frozenset({"they", "them", "their", "theirs", "themselves"})
SPEAKER = frozenset({"we", "us", "our", "ours", "i", "me", "my"})
REFERRING = PERSONAL | NEUTER | PLURAL | SPEAKER | PRONOUNS
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "LEG", "JUD", "SPY"})
LOCATED_SECTORS = frozenset({"CVL", "OPP", "REF", "LAB", "EDU", "MED"})
"""Group nouns ("residents", "demonstrators") that the place of their clause locates."""
LOCATIVE_PREPS = frozenset({"in", "at", "inside", "near", "across", "throughout", "within"})
WINDOW = 3
"""Sentences back that a pronoun may reach (news repeats names far more often than that)."""
DESCRIPTION_WINDOW = 6
INTERGOVERNMENTAL = frozenset({"IGO", "EUR"})
"""Codes of the bodies "the panel", "the commission", "the mission" stand for."""


@dataclass
class DocumentContext(PartyReading):
    """Who every phrase head of one parsed document stands for (see the module docstring)."""

    doc: Doc
    actors: ActorDictionary
    on: date | None = None
    body_start: int = 0
    """Token index where the body starts: earlier sentences are the headline."""
    mentions: list[Mention] = field(default_factory=list)
    _referents: dict[int, list[ActorRef]] = field(default_factory=dict)
    _resolved: dict[int, list[ActorRef]] = field(default_factory=dict)
    _sources: set[int] = field(default_factory=set)
    _datelines: set[int] = field(default_factory=set)
    _pairs: list[tuple[int, tuple[ActorRef, ...]]] = field(default_factory=list)
    _speakers: dict[int, list[ActorRef]] = field(default_factory=dict)
    _kind_cache: dict[int, tuple[str, ...]] = field(default_factory=dict)
    _groups: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._find_datelines()
        for index, sent in enumerate(self.doc.sents):
            if sent.start < self.body_start:
                self._headline_source(sent)
            self._read(index, sent)
        self._settle_groups()

    # -- answers ---------------------------------------------------------------------------

    def refs(self, head: Token) -> list[ActorRef]:
        """The actors a phrase headed by ``head`` stands for, in this document."""
        if head.i in self._referents:
            return list(self._referents[head.i])
        if self._silent(head.i) or self._venue(head):
            return []
        if head.i not in self._resolved:
            self._resolved[head.i] = self._phrase_refs(head)
        return list(self._resolved[head.i])

    def _venue(self, token: Token) -> bool:
        """ "the Istanbul talks", "the Minsk agreement", "Moscow ceasefire talks": a city
        naming an event noun is where it happened, not who took part — nor is the phrase
        the event noun heads ("as Riyadh talks conclude")."""
        venue_nouns = reference_cues()["venue_nouns"]
        if token.lemma_.lower() in venue_nouns:
            modifiers = [c for c in token.children if c.dep_ in {"compound", "nmod"}]
            return bool(modifiers) and all(self._venue(m) for m in modifiers)
        if token.dep_ not in {"compound", "nmod"}:
            return False
        top = token
        while top.dep_ in {"compound", "nmod"} and top.head.i != top.i:
            top = top.head
        if top.lemma_.lower() not in venue_nouns:
            return False
        words = [t.text for t in token.subtree]
        found = self.actors.find_mentions(words, on=self.on)
        return bool(found) and all(e.kind in {"capital", "place"} for _, _, e in found)

    def referent(self, token: Token) -> list[ActorRef] | None:
        """What a pronoun, definite description or group reference points back to; ``None``
        when the token is no such expression."""
        found = self._referents.get(token.i)
        return list(found) if found is not None else None

    def is_source(self, token: Token) -> bool:
        """Whether the token names a headline's announcer (a source, not a party)."""
        return token.i in self._sources

    def headline_source(self, sent: Span) -> Span | None:
        """The announcer of a headline ("Trump: …", "… — Kremlin"), when ``sent`` is one."""
        tokens = sorted(i for i in self._sources if sent.start <= i < sent.end)
        if not tokens:
            return None
        return self.doc[tokens[0] : tokens[-1] + 1]

    def mentions_before(self, token: Token) -> list[ActorRef]:
        """Coded actors named in the token's sentence before it, in order (outlets and
        headline announcers left out)."""
        sent = token.sent
        words = [t.text for t in sent[: token.i - sent.start]]
        found = []
        for start, end, entry in self.actors.find_mentions(words, on=self.on):
            if not entry.code or any(self._silent(sent.start + i) for i in range(start, end)):
                continue
            text = " ".join(words[start:end])
            found.append(ActorRef(text=text, code=entry.code, sector=entry.sector, name=entry.name))
        return found

    def custodian(self, trigger: Token) -> list[ActorRef]:
        """Who held the people a release frees, when the clause names no agent: "freed from
        *Saudi* prisons", "returned from *Russian* captivity", "prisoners held by *the
        Houthis*", "detainees in *Azerbaijani* custody"."""
        holding = frozenset(reference_cues()["holding_verbs"])
        places = [trigger, *(c for c in trigger.children if c.dep_ in {"xcomp", "conj", "advcl"})]
        places += [c for c in trigger.children if c.dep_ in {"nsubjpass", "dobj", "nsubj"}]
        for token in places:
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ in {"from", "in", "out"}:
                    for noun in _objects(child):
                        if is_custody(noun):
                            found = self._holder_of(noun)
                            if found:
                                return found
                if child.dep_ in {"acl", "relcl"} and child.lemma_.lower() in holding:
                    agents = [g for a in child.children if a.dep_ == "agent" for g in _objects(a)]
                    found = [r for a in agents for r in self.refs(a) if r.code]
                    if found:
                        return found
        return []

    def _holder_of(self, noun: Token) -> list[ActorRef]:
        found = []
        for owner in custody_owners(noun):
            refs = self.refs(owner) or self._word_refs(owner)
            found += [r for r in refs if r.code]
        return found

    def _word_refs(self, token: Token) -> list[ActorRef]:
        ref = self.actors.resolve(token.text, self.on)
        return [ref] if ref is not None and ref.code else []

    # -- reading ---------------------------------------------------------------------------

    def _read(self, index: int, sent: Span) -> None:
        """Walk one sentence in order: resolve each referring expression against what came
        before, then record it and every named actor as a mention for what follows."""
        parsed = bool(sent.root.pos_)
        named = self._named_heads(sent) if parsed else {}
        if not parsed:
            self._read_unparsed(index, sent)
            return
        for token in sent:
            if token.i in named:
                self._record(index, token, named[token.i])
                continue
            found = self._refer(index, token)
            if found is None:
                if token.ent_type_ == "PERSON" and token.dep_ not in {"compound", "flat"}:
                    self.mentions.append(Mention((), index, token.i, _subject(token), True, False))
                continue
            self._referents[token.i] = found
            if found:
                self._record(index, token, found)

    def _read_unparsed(self, index: int, sent: Span) -> None:
        words = [t.text for t in sent]
        for start, end, entry in self.actors.find_mentions(words, on=self.on):
            if entry.code and not any(self._silent(sent.start + i) for i in range(start, end)):
                ref = ActorRef(
                    text=" ".join(words[start:end]),
                    code=entry.code,
                    sector=entry.sector,
                    name=entry.name,
                )
                person = entry.kind == "person"
                self.mentions.append(
                    Mention(
                        (ref,),
                        index,
                        sent.start + start,
                        False,
                        person,
                        False,
                        entry.kind == "country",
                    )
                )

    def _named_heads(self, sent: Span) -> dict[int, list[ActorRef]]:
        """Phrase heads in the sentence that name a coded actor themselves."""
        words = [t.text for t in sent]
        heads: dict[int, list[ActorRef]] = {}
        for start, end, entry in self.actors.find_mentions(words, on=self.on):
            if not entry.code:
                continue
            head = _phrase_head(sent.doc, sent.start + start, sent.start + end)
            if head.i in heads or self._silent(head.i) or head.lower_ in REFERRING:
                continue
            if self._venue(sent.doc[sent.start + start]) or self._venue(head):
                continue  # "as Riyadh talks conclude": where, not who
            if self._group_noun(head):
                continue  # "the warring parties in Ukraine": the pair, not the place
            refs = [r for r in self.refs(head) if r.code]
            if not refs:
                text = " ".join(words[start:end])
                refs = [ActorRef(text=text, code=entry.code, sector=entry.sector, name=entry.name)]
            heads[head.i] = refs
        return heads

    def _record(self, index: int, head: Token, refs: Sequence[ActorRef]) -> None:
        refs = tuple(r for r in refs if r.code)
        if not refs:
            return
        plural = head.tag_ in {"NNS", "NNPS"} or len({r.code for r in refs}) > 1
        person = self._is_person(head, refs)
        country = self._is_country(head)
        lemma = head.lemma_.lower()
        place = self._is_place(head)
        words = frozenset(refs[0].text.lower().split()) if len(refs) == 1 else frozenset()
        self.mentions.append(
            Mention(
                refs, index, head.i, _subject(head), person, plural, country, lemma, place, words
            )
        )
        # "the President of Chile, Gabriel Boric, and the President of Peru": the parser may
        # hang the second party on the apposition.
        appositions = [c for c in head.children if c.dep_ == "appos"]
        conjuncts = [c for h in (head, *appositions) for c in h.conjuncts if c.i > head.i]
        if len({r.code for r in refs}) >= 2 and all(r.sector in PARTY_SECTORS for r in refs):
            self._pairs.append((head.i, refs[:2]))
        elif conjuncts and head.dep_ != "conj":
            group = list(refs)
            for other in conjuncts:
                group += [r for r in self.refs(other) if r.code]
            distinct = distinct_actors(r for r in group if r.sector in PARTY_SECTORS)
            if len({r.code for r in distinct}) == 1 and not any(r.sector for r in distinct):
                distinct = []  # "Taiz and other governorates in Yemen": places, not sides
            # "the President of Azerbaijan, Ilham Aliyev, and the Prime Minister of
            # Armenia": two countries named make the pair before two bodies of one.
            countries = distinct_codes(distinct)
            if len(countries) >= 2:
                distinct = countries + [r for r in distinct if r not in countries]
            if len(distinct) >= 2:
                self._pairs.append((head.i, tuple(distinct[:2])))
                self.mentions.append(
                    Mention(tuple(distinct), index, head.i, _subject(head), False, True)
                )

    def _is_person(self, head: Token, refs: Sequence[ActorRef]) -> bool:
        if head.ent_type_ == "PERSON" or head.tag_ in {"NNS", "NNPS"}:
            return head.ent_type_ == "PERSON"
        if self.actors.is_person_noun(head.lemma_):
            return True
        kinds = self._kinds(head)
        return bool(kinds) and kinds[-1] in ("person", "role")

    def _is_place(self, head: Token) -> bool:
        """A city, or a place noun ("the South African capital"), as the object of a
        locative preposition. A country stays a party even there: "the ceasefire in
        Lebanon" is Lebanon's too."""
        node = head
        while node.dep_ in {"appos", "compound"} and node.head.i != node.i:
            node = node.head  # "in the Kenyan capital Nairobi"
        if node.dep_ != "pobj" or node.head.lower_ not in LOCATIVE_PREPS:
            return False
        if node.lemma_.lower() in reference_cues()["place_nouns"]:
            return True
        kinds = self._kinds(head)
        return bool(kinds) and all(kind in {"capital", "place"} for kind in kinds)

    def _is_country(self, head: Token) -> bool:
        kinds = self._kinds(head)
        return bool(kinds) and kinds[-1] in ("country", "capital")

    def _kinds(self, head: Token) -> tuple[str, ...]:
        """Kinds of the dictionary entries in the head's name ("Russian President Putin" →
        country, role, person), once per head."""
        if head.i not in self._kind_cache:
            words = [t.text for t in _compound(head)]
            found = self.actors.find_mentions(words, on=self.on)
            self._kind_cache[head.i] = tuple(e.kind for _, _, e in found)
        return self._kind_cache[head.i]

    def _refer(self, index: int, token: Token) -> list[ActorRef] | None:
        """The referent of a referring expression at ``token``; ``None`` when it is none."""
        low = token.lower_
        if token.dep_ == "expl":
            return None
        if token.pos_ == "PRON" or (low in REFERRING and token.tag_.startswith("PRP")):
            if low in REFERRING:
                return self._pronoun(index, token)
            return None
        if token.pos_ not in {"NOUN", "PROPN", "NUM"}:
            return None
        if self._group_noun(token) or group_reference(
            token, frozenset(reference_cues()["group_nouns"]), self._actor_like
        ):
            self._groups.append((index, token.i))
            return self.parties(token.i)
        if token.pos_ == "NUM":
            return None
        return self._description(index, token)

    def _pronoun(self, index: int, pronoun: Token) -> list[ActorRef]:
        if pronoun.lower_ in SPEAKER:
            return [as_ref(pronoun, r, None) for r in self._speaker(index, pronoun)]
        return [as_ref(pronoun, r, None) for r in self._antecedent(index, pronoun)]

    def _antecedent(self, index: int, pronoun: Token) -> list[ActorRef]:
        low = pronoun.lower_
        governing = self._governing_subject(pronoun)
        if governing is not None:
            return governing
        for mention in self._candidates(index, pronoun.i, WINDOW):
            if low in PERSONAL:
                if mention.person:
                    return list(mention.refs)
                continue
            if mention.person:
                continue
            if low in PLURAL and not mention.plural and mention.country:
                continue
            if low in NEUTER and mention.plural:
                continue
            return list(mention.refs)
        if low in PLURAL:
            for mention in self._candidates(index, pronoun.i, WINDOW):
                if not mention.person and mention.refs:
                    return list(mention.refs)
        return []

    def _governing_subject(self, pronoun: Token) -> list[ActorRef] | None:
        """ "Syria says it will …": the named subject of a verb governing the pronoun."""
        low = pronoun.lower_
        if pronoun.head.i == pronoun.i:
            return None
        for ancestor in pronoun.head.ancestors:
            subjects = [
                c for c in ancestor.children if c.dep_ in SUBJECTS and c.lower_ not in REFERRING
            ]
            if not subjects:
                continue
            subject = subjects[0]
            if subject.left_edge.i <= pronoun.i <= subject.right_edge.i:
                continue  # "his administration said": the pronoun sits inside the subject
            refs = [r for r in self.refs(subject) if r.code]
            if not refs:
                return None
            person = self._is_person(subject, refs)
            if (low in PERSONAL) != person:
                return None
            return refs
        return None

    def _speaker(self, index: int, pronoun: Token) -> list[ActorRef]:
        """ "We will not withdraw," Zelensky said: the speaker of the sentence, or of the last
        one that had a speaker (quotes run on across sentences)."""
        reporting = frozenset(reference_cues()["speech_verbs"])
        sent = pronoun.sent
        for token in sent:
            if token.lemma_.lower() in reporting and token.pos_ == "VERB":
                subject = next((c for c in token.children if c.dep_ in SUBJECTS), None)
                if subject is not None and subject.lower_ not in REFERRING:
                    refs = [r for r in self.refs(subject) if r.code]
                    if refs:
                        self._speakers[index] = refs
                        return refs
        for back in range(index - 1, index - WINDOW - 1, -1):
            if back in self._speakers:
                return self._speakers[back]
        person = next((m for m in self._candidates(index, pronoun.i, WINDOW) if m.person), None)
        return list(person.refs) if person is not None else []

    def _description(self, index: int, head: Token) -> list[ActorRef] | None:
        """ "the ministry", "the junta", "the rebels", "the country": the last mention that
        fits — one with the same head noun, then (for a plural) a pair, then one of the same
        sector, then (for state bodies) the last state."""
        if not any(c.dep_ == "det" and c.lower_ in DETERMINERS for c in head.children):
            return None
        if any(self.refs(c) for c in head.children if c.dep_ in {"compound", "amod", "poss"}):
            return None
        ref = self.actors.resolve(phrase(head).text, self.on)
        if ref is not None and ref.code:
            return None  # "the Republic of Armenia", "the Kremlin": a name, not a description
        lemma = head.lemma_.lower()
        if lemma in reference_cues()["body_nouns"] and head.tag_ == "NN":
            return self._body(index, head, lemma)
        if lemma in reference_cues()["state_nouns"]:
            for mention in self._candidates(index, head.i, DESCRIPTION_WINDOW):
                if mention.country:
                    return [as_ref(head, r, None) for r in mention.refs[:1]]
            return []
        if ref is None or ref.sector is None:
            return None
        for mention in self._candidates(index, head.i, len(self.doc)):
            if len(mention.refs) == 1 and (mention.lemma == lemma or lemma in mention.words):
                return [as_ref(head, mention.refs[0], ref.sector, ref.name)]
        recent = list(self._candidates(index, head.i, DESCRIPTION_WINDOW))
        if head.tag_ in {"NNS", "NNPS"}:
            pair = next((m for m in recent if len(m.refs) > 1), None)
            if pair is not None:
                return [as_ref(head, r, ref.sector) for r in pair.refs]
        for mention in recent:
            if len(mention.refs) == 1 and any(r.sector == ref.sector for r in mention.refs):
                return [as_ref(head, mention.refs[0], ref.sector, ref.name)]
        if ref.sector in STATE_SECTORS:
            for mention in recent:
                if mention.country and len(mention.refs) == 1:
                    return [as_ref(head, mention.refs[0], ref.sector, ref.name)]
        return []

    def _body(self, index: int, head: Token, lemma: str) -> list[ActorRef] | None:
        """ "the panel", "the commission": the body of that name named before, else the last
        intergovernmental body in reach; nothing when the story names none (a national
        commission without its country stays uncoded)."""
        for mention in self._candidates(index, head.i, len(self.doc)):
            if len(mention.refs) == 1 and (mention.lemma == lemma or lemma in mention.words):
                return [as_ref(head, mention.refs[0], None)]
        for mention in self._candidates(index, head.i, DESCRIPTION_WINDOW):
            if len(mention.refs) == 1 and mention.refs[0].code in INTERGOVERNMENTAL:
                return [as_ref(head, mention.refs[0], None)]
        return None

    def _candidates(self, index: int, before: int, window: int) -> Iterable[Mention]:
        """Mentions before token ``before``: this sentence first (subjects, then in order),
        then earlier sentences, nearest first, each with subjects ahead of the rest."""
        by_sentence: dict[int, list[Mention]] = {}
        for mention in reversed(self.mentions):
            if mention.sentence < index - window:
                break
            if mention.token < before:
                by_sentence.setdefault(mention.sentence, []).append(mention)
        for sentence in sorted(by_sentence, reverse=True):
            group = by_sentence[sentence]
            group.sort(key=lambda m: (not m.subject, m.token if sentence < index else -m.token))
            yield from group

    def _silent(self, i: int) -> bool:
        """Whether token ``i`` names no party: a headline's announcer or a dateline."""
        return i in self._sources or i in self._datelines

    def _find_datelines(self) -> None:
        """ "RIYADH —", "MOSCOW (Reuters) -": the capitals a dateline opens a paragraph
        with say where the story was filed, not who acted."""
        doc, text = self.doc, self.doc.text
        starts = [0] if len(doc) else []
        for line in re.finditer(r"\n\s*(?=\S)", text):
            span = doc.char_span(line.end(), line.end() + 1, alignment_mode="expand")
            if span is not None:
                starts.append(span.start)
        for token in (doc[i] for i in starts):
            if not (token.is_upper and token.is_alpha and len(token) > 2):
                continue
            end = token.i
            while end + 1 < len(doc) and doc[end + 1].is_upper and doc[end + 1].is_alpha:
                end += 1
            after = doc[end + 1].text if end + 1 < len(doc) else ""
            if after not in {"—", "–", "-", "(", ","}:
                continue
            words = [t.text.title() for t in doc[token.i : end + 1]]
            found = self.actors.find_mentions(words, on=self.on)
            if found and all(e.kind in {"capital", "place"} for _, _, e in found):
                self._datelines.update(range(token.i, end + 1))

    def _headline_source(self, sent: Span) -> None:
        """ "Trump: Armenia and Azerbaijan to sign …", "… — Kremlin", "…: UN envoy": the
        short named part on the far side of the colon or dash is the announcer."""
        tokens = [t for t in sent if not t.is_space and t.i < self.body_start]
        marks = [
            i for i, t in enumerate(tokens) if t.text in {":", "—", "–", "-"} and t.whitespace_
        ]
        if not marks:
            return
        for part in (tokens[: marks[0]], tokens[marks[-1] + 1 :]):
            if not 0 < len(part) <= 5:
                continue
            words = [t.text for t in part]
            found = self.actors.resolve(" ".join(words), self.on)
            if found is not None and (found.sector or found.name):
                self._sources.update(t.i for t in part)

    # -- phrases ---------------------------------------------------------------------------

    def _phrase_refs(self, head: Token) -> list[ActorRef]:
        """What a phrase names on its own, plus the document only where the phrase asks for
        it ("its forces", "demonstrators" in a located clause)."""
        coordinated = self._coordinated_modifiers(head)
        if coordinated:
            return coordinated
        span = phrase(head)
        juxtaposed = self._juxtaposed(span, head) or self._coordinated_tail(head)
        if juxtaposed:
            return juxtaposed
        ref = self.actors.resolve(span.text, self.on)
        if ref is None or not (ref.code or ref.sector):
            return []
        if ref.code:
            return [ref]
        owner = next((c for c in head.children if c.dep_ == "poss" and c.lower_ in PRONOUNS), None)
        if owner is not None:
            antecedent = self._referents.get(owner.i) or []
            if antecedent:
                return [as_ref(head, antecedent[0], ref.sector, ref.name, text=ref.text)]
        if ref.sector in LOCATED_SECTORS and head.head.i != head.i:
            place = find_location(head.sent, head.head)
            if place is not None and place.country:
                return [
                    ActorRef(text=ref.text, code=place.country, sector=ref.sector, name=ref.name)
                ]
        return [ref]

    def _coordinated_modifiers(self, head: Token) -> list[ActorRef]:
        """ "Russian and Ukrainian delegations" → one actor per coordinated modifier."""
        for child in head.children:
            if child.dep_ in {"amod", "compound"} and any(c.dep_ == "conj" for c in child.children):
                refs = []
                for modifier in (child, *child.conjuncts):
                    ref = self.actors.resolve(f"{modifier.text} {head.text}", self.on)
                    if ref is not None and ref.code:
                        refs.append(ref)
                return refs
        return []

    def _coordinated_tail(self, head: Token) -> list[ActorRef]:
        """ "the foreign ministers of Russia and Ukraine", "representatives from Ukraine, the
        U.K., U.S. and France", "the Director Generals of Military Operations of India and
        Pakistan": an uncoded head over coordinated parties is one actor per party. The
        parties may sit one "of" further down (an office's name between) and a list may
        start as an apposition ("Ukraine, the U.K., U.S., and France")."""
        own = self.actors.resolve(head.text, self.on)
        if own is None or own.code or own.sector is None:
            return []
        for objects in _listed_objects(head):
            refs = []
            for obj in objects:
                found = self.actors.resolve(phrase(obj).text, self.on)
                if found is not None and found.code:
                    refs.append(
                        ActorRef(
                            text=found.text, code=found.code, sector=own.sector, name=found.name
                        )
                    )
            if len(distinct_codes(refs)) >= 2:
                return distinct_codes(refs)
        return []

    def _juxtaposed(self, span: Span, head: Token) -> list[ActorRef]:
        """ "Israel-Hezbollah cease-fire", "Russia Ukraine delegations", "Russian, Turkish
        presidents": names side by side before the head noun are one actor each."""
        names = [t for t in span if t.i < head.i and (t.pos_ == "PROPN" or t.ent_type_)]
        if len(names) < 2:
            return []
        words = [t.text for t in span]
        found = self.actors.find_mentions(words, on=self.on)
        coded = [m for m in found if m[2].code and m[2].kind in {"country", "capital", "org"}]
        if len(coded) < 2 or coded[0][1] > head.i - span.start:
            return []
        run = [coded[0]]
        for mention in coded[1:]:
            gap = words[run[-1][1] : mention[0]]
            if all(w in {"-", "–", "and", ",", "/", "&"} for w in gap):
                run.append(mention)
            else:
                break
        after = words[run[-1][1]] if run[-1][1] < len(words) else ""
        if len(run) < 2 or after.lower() in {"backed", "led", "based", "brokered", "mediated"}:
            return []
        if any(words[m[0] - 1].lower() in {"pro", "anti"} for m in run if m[0] > 0):
            return []
        sector = self.actors.resolve(head.text, self.on)
        refs = [
            ActorRef(
                text=" ".join(words[s:e]),
                code=entry.code,
                sector=sector.sector if sector is not None else entry.sector,
                name=entry.name,
            )
            for s, e, entry in run
        ]
        return distinct_codes(refs) if len(distinct_codes(refs)) >= 2 else []


def document_context(
    doc: Doc, actors: ActorDictionary | None = None, on: date | None = None, body_start: int = 0
) -> DocumentContext:
    """The document's reading, built once and kept on the ``Doc`` for every later stage."""
    found = doc.user_data.get(USER_DATA_KEY)
    if isinstance(found, DocumentContext):
        return found
    context = DocumentContext(doc, actors or ActorDictionary.default(), on, body_start)
    doc.user_data[USER_DATA_KEY] = context
    return context


def _objects(preposition: Token) -> list[Token]:
    found = []
    for child in preposition.children:
        if child.dep_ == "pobj":
            found += [child, *child.conjuncts]
        elif child.dep_ == "prep":  # "out of"
            found += _objects(child)
    return found


def _listed_objects(head: Token, depth: int = 2) -> Iterator[list[Token]]:
    """The coordinated objects of the head's "of"/"from" phrases, each list with the
    conjuncts of an apposition (in place of a common noun it names), and, below a single
    object, its own "of" phrase."""
    for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in {"of", "from"}):
        objects = _objects(prep)
        listed = []
        for obj in objects:
            apposed = [c for c in obj.children if c.dep_ == "appos"]
            if obj.pos_ != "NOUN" or not apposed:  # "partners – Germany, Italy": the names
                listed.append(obj)
            listed += [t for a in apposed for t in (a, *a.conjuncts)]
        if len(listed) > 1:
            yield list(dict.fromkeys(listed))
        elif len(objects) == 1 and depth > 1:
            yield from _listed_objects(objects[0], depth - 1)


def _subject(token: Token) -> bool:
    while token.dep_ == "conj":
        token = token.head
    return token.dep_ in SUBJECTS


def _compound(head: Token) -> list[Token]:
    doc, left = head.doc, head
    while (
        left.i > 0
        and doc[left.i - 1].dep_ in {"compound", "amod", "flat"}
        and doc[left.i - 1].head == head
    ):
        left = doc[left.i - 1]
    return list(doc[left.i : head.i + 1])


def _phrase_head(doc: Doc, start: int, end: int) -> Token:
    """The head of the noun phrase a dictionary match sits in ("Russia's ministry" → ministry)."""
    head = doc[end - 1]
    for token in doc[start:end]:
        if not (start <= token.head.i < end) or token.head.i == token.i:
            head = token
            break
    while head.dep_ in {"compound", "amod", "poss", "nmod", "flat"} and head.head.pos_ in {
        "NOUN",
        "PROPN",
    }:
        head = head.head
    return head
