"""Reading prisoner exchanges, ceasefires and talks out of single sentences.

Each reader returns *per-document* records; ``process_records`` groups a document's
sentences and merges the same real-world occurrence across documents. The words come from
the ``process_records`` section of ``data/positions_cues.yml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span, Token

from detente.coding.models import ActorRef
from detente.data import load_yaml
from detente.nlp.entities import entities
from detente.positions import collaborators
from detente.positions.holders import PRONOUNS, coordinated_names, name_candidates, subject_of
from detente.positions.phrases import PhraseIndex
from detente.positions.taxonomy import load_process

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "dozen": 12,
    "hundred": 100,
}


@dataclass(frozen=True)
class RecordCues:
    detainee_nouns: frozenset[str]
    exchange_words: frozenset[str]
    release_verbs: frozenset[str]
    return_words: frozenset[str]
    continuation: PhraseIndex
    categories: PhraseIndex
    mediation: PhraseIndex
    ceasefire_nouns: frozenset[str]
    ceasefire_status: dict[str, str]
    ceasefire_scope: PhraseIndex
    monitoring: PhraseIndex
    talks_nouns: frozenset[str]
    talks_verbs: frozenset[str]
    talks_object_verbs: frozenset[str]
    talks_scheduling: frozenset[str]
    levels: PhraseIndex
    both_sides: PhraseIndex


def _index(groups: dict) -> PhraseIndex:
    return PhraseIndex((str(p), key) for key, phrases in groups.items() for p in phrases)


@lru_cache(maxsize=1)
def record_cues() -> RecordCues:
    path = resources.files("detente.data").joinpath("positions_cues.yml")
    raw = load_yaml(path.read_text(encoding="utf-8"))["process_records"]
    return RecordCues(
        detainee_nouns=frozenset(raw["detainee_nouns"]),
        exchange_words=frozenset(raw["exchange_words"]),
        release_verbs=frozenset(raw["release_verbs"]),
        return_words=frozenset(raw["return_words"]),
        continuation=_index({"yes": raw["continuation"]}),
        categories=_index(raw["categories"]),
        mediation=_index({"yes": raw["mediation"]}),
        ceasefire_nouns=frozenset(raw["ceasefire_nouns"]),
        ceasefire_status={str(w): k for k, ws in raw["ceasefire_status"].items() for w in ws},
        ceasefire_scope=_index(raw["ceasefire_scope"]),
        monitoring=_index({"yes": raw["monitoring"]}),
        talks_nouns=frozenset(raw["talks_nouns"]),
        talks_verbs=frozenset(raw["talks_verbs"]),
        talks_object_verbs=frozenset(raw["talks_object_verbs"]),
        talks_scheduling=frozenset(raw["talks_scheduling"]),
        levels=_index(raw["levels"]),
        both_sides=_index({"yes": raw["both_sides"]}),
    )


@dataclass
class Reading:
    """What one sentence says about one occurrence, before records are built."""

    kind: str
    sentence_index: int
    sent: Span
    parties: list[ActorRef]
    numbers: dict[str, float]
    unassigned: list[float]
    """Counts released by a side the sentence does not name ("the return of 215 POWs")."""
    categories: list[str]
    mediator: ActorRef | None = None
    status: str | None = None
    scope: list[str] | None = None
    venue: str | None = None
    level: str | None = None
    outcome: str | None = None
    monitoring: str | None = None
    conditions: list[str] | None = None
    continues: bool = False
    trigger: Token | None = None
    """The verb the reading hangs on, for its date."""


class SentenceReader:
    """Reads one sentence; carries the document's date and process for actor resolution."""

    def __init__(self, published: str | None, process: str | None) -> None:
        self.on = collaborators.parse_day(published)
        self.process = process
        self.cues = record_cues()

    def actor(self, token: Token, sent: Span) -> ActorRef | None:
        if token.lower_ in PRONOUNS:
            return self._antecedent(token, sent)
        for text in name_candidates(token):
            ref = collaborators.resolve_actor(text, self.on, self.process)
            if ref is not None and ref.code:
                return ref
        return None

    def sides(self, token: Token, sent: Span) -> list[ActorRef]:
        """Every party a subject names: "Russia and Ukraine", "Russian and Ukrainian
        delegations", or "both sides" (the process's belligerents)."""
        refs = {}
        for name in coordinated_names(token):
            ref = self.actor(name, sent)
            if ref is not None:
                refs.setdefault(ref.code, ref)
        if not refs and self.process and self.cues.both_sides.find(list(token.subtree)):
            party = {p.code: p for p in load_process(self.process).parties}
            for code in load_process(self.process).belligerents():
                refs[code] = ActorRef(text=token.text, code=code, name=party[code].name)
        return list(refs.values())

    def _antecedent(self, pronoun: Token, sent: Span) -> ActorRef | None:
        for token in reversed(sent[: pronoun.i - sent.start]):
            if token.pos_ == "PROPN" and token.dep_ in {"nsubj", "nsubjpass"}:
                return self.actor(token, sent)
        return None

    def mediator(self, sent: Span) -> ActorRef | None:
        tokens = list(sent)
        for match in self.cues.mediation.find(tokens):
            tail = sent.doc[sent.start + match.end : min(sent.end, sent.start + match.end + 6)]
            ref = collaborators.resolve_actor(tail.text, self.on, self.process)
            if ref is not None and ref.code:
                return ref
        return None

    # -- exchanges -------------------------------------------------------------------------

    def exchange(self, sent: Span, index: int) -> Reading | None:
        lemmas = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
        if not (lemmas & self.cues.detainee_nouns and lemmas & self.cues.exchange_words):
            return None
        numbers: dict[str, float] = {}
        unassigned: list[float] = []
        parties: list[ActorRef] = []
        trigger = None
        for count, noun in self._counts(sent):
            trigger = trigger or self._verb_of(noun) or sent.root
            each = self._each(noun, sent)
            if each:
                for ref in each:
                    numbers[ref.code] = count
                    parties.append(ref)
                continue
            releaser = self._releaser(noun, sent)
            if releaser is None:
                unassigned.append(count)
                continue
            order = self._respective(noun, sent)
            if order:
                for ref, value in zip(order, self._all_counts(noun, sent), strict=False):
                    numbers[ref.code] = value
                    parties.append(ref)
                continue
            numbers[releaser.code] = numbers.get(releaser.code, 0) + count
            parties.append(releaser)
        categories = sorted({m.payload for m in self.cues.categories.find(list(sent))})
        categories += [
            f"named: {e.text}"
            for e in entities(sent)
            if e.label_ == "PERSON" and self._released_object(e.root)
        ]
        if not numbers and not unassigned and not any(c.startswith("named") for c in categories):
            return None
        continues = bool(self.cues.continuation.find(list(sent)[:4]))
        return Reading(
            "exchange",
            index,
            sent,
            parties,
            numbers,
            unassigned,
            categories,
            mediator=self.mediator(sent),
            continues=continues,
            trigger=trigger,
        )

    def _each(self, noun: Token, sent: Span) -> list[ActorRef]:
        """ "Russia and Ukraine exchanged 150 prisoners each": the count for every side."""
        if not any(t.lower_ == "each" and t.i > noun.i for t in sent):
            return []
        verb = self._verb_of(noun)
        found = subject_of(verb) if verb is not None else None
        sides = self.sides(found[0], sent) if found is not None else []
        return sides if len(sides) > 1 else []

    def _counts(self, sent: Span) -> list[tuple[float, Token]]:
        """(count, detainee noun) pairs, skipping subsets ("including 100 Azov fighters")."""
        found = []
        for token in sent:
            value = _number(token)
            if value is None or token.dep_ not in {"nummod", "dobj", "pobj", "nsubj", "conj"}:
                continue
            noun = token.head if token.dep_ == "nummod" else token
            if (
                noun.lemma_.lower() not in self.cues.detainee_nouns
                and noun.lower_ not in self.cues.detainee_nouns
            ):
                continue
            if any(a.lower_ == "including" for a in noun.ancestors) or _is_subset(noun):
                continue
            if token.dep_ == "conj" and _number(token.head) is not None:
                continue
            found.append((value, noun))
        return found

    def _all_counts(self, noun: Token, sent: Span) -> list[float]:
        values = [v for t in noun.children if t.dep_ == "nummod" and (v := _number(t)) is not None]
        for first in list(values and [c for c in noun.children if c.dep_ == "nummod"]):
            values += [v for c in first.conjuncts if (v := _number(c)) is not None]
        return values

    def _verb_of(self, noun: Token) -> Token | None:
        current = noun
        for _ in range(4):
            if current.pos_ == "VERB" or current.head == current:
                return current if current.pos_ == "VERB" else None
            current = current.head
        return None

    def _releaser(self, noun: Token, sent: Span) -> ActorRef | None:
        verb = self._verb_of(noun)
        if verb is None or verb.lemma_.lower() in self.cues.return_words:
            return None
        found = subject_of(verb)
        if found is None:
            return None
        return self.actor(found[0], sent)

    def _respective(self, noun: Token, sent: Span) -> list[ActorRef]:
        """ "Russia and Ukraine exchanged 230 and 248 prisoners": one count per subject."""
        verb = self._verb_of(noun)
        if verb is None or verb.lemma_.lower() not in {"exchange", "swap"}:
            return []
        found = subject_of(verb)
        if found is None or not found[0].conjuncts:
            return []
        refs = [self.actor(t, sent) for t in (found[0], *found[0].conjuncts)]
        return [r for r in refs if r is not None] if len(self._all_counts(noun, sent)) > 1 else []

    def _released_object(self, token: Token) -> bool:
        """A person released, not one speaking about the release (", Umerov told reporters")."""
        verb = self._verb_of(token)
        if verb is None or verb.lemma_.lower() not in self.cues.release_verbs | {"exchange"}:
            return False
        path = [token, *token.ancestors]
        return not any(t.dep_ in {"nsubj", "appos"} for t in path[: path.index(verb)])

    # -- ceasefires ------------------------------------------------------------------------

    def ceasefire(self, sent: Span, index: int, modality_ok) -> Reading | None:
        for noun in sent:
            if noun.lemma_.lower() not in self.cues.ceasefire_nouns:
                continue
            verb = self._ceasefire_verb(noun)
            if verb is None or not modality_ok(sent, verb):
                continue
            status = self.cues.ceasefire_status[verb.lemma_.lower()]
            if status == "in_effect" and any(
                c.dep_ == "dobj" and c is not noun for c in verb.children
            ):
                continue
            subject = subject_of(verb)
            parties = []
            if subject is not None and subject[0] is not noun:
                parties = [
                    r
                    for t in (subject[0], *subject[0].conjuncts)
                    if (r := self.actor(t, sent)) is not None
                ]
            scope = sorted({m.payload for m in self.cues.ceasefire_scope.find(list(noun.subtree))})
            monitoring = self._after(sent, self.cues.monitoring)
            return Reading(
                "ceasefire",
                index,
                sent,
                parties,
                {},
                [],
                [],
                mediator=self.mediator(sent),
                status=status,
                scope=scope or ["unspecified"],
                monitoring=monitoring,
                trigger=verb,
            )
        return None

    def _ceasefire_verb(self, noun: Token) -> Token | None:
        """The status verb of a ceasefire noun, not beyond another noun ("talks on a possible
        ceasefire were held" says nothing about the ceasefire's status)."""
        for above in list(noun.ancestors)[:3]:
            if above.pos_ in {"NOUN", "PROPN"}:
                return None
            if above.pos_ == "VERB" and above.lemma_.lower() in self.cues.ceasefire_status:
                return above
        return None

    def _after(self, sent: Span, index: PhraseIndex) -> str | None:
        for match in index.find(list(sent)):
            tail = sent.doc[sent.start + match.end : min(sent.end, sent.start + match.end + 6)]
            return tail.text.strip(" ,.")
        return None

    # -- talks -----------------------------------------------------------------------------

    def talks(self, sent: Span, index: int, modality_of) -> Reading | None:
        for verb in sent:
            if verb.pos_ != "VERB" or verb.lemma_.lower() not in self.cues.talks_verbs:
                continue
            noun_talks = [c for c in verb.subtree if c.lemma_.lower() in self.cues.talks_nouns]
            if verb.lemma_.lower() in {"hold", "host", "call", "speak"} and not noun_talks:
                continue
            if not self._scheduled(verb):
                continue
            participants = self._participants(verb, sent)
            if len(participants) < 2:
                continue
            modality = modality_of(sent, verb)
            if modality in {"negated", "speculative"}:
                continue
            held = verb.tag_ in {"VBD", "VBN", "VBG"} and modality in {"asserted", "reported"}
            venue = next(
                (
                    e.text
                    for e in entities(sent)
                    if e.label_ in {"GPE", "LOC", "FAC"}
                    and e.root.head.lower_ in {"in", "at"}
                    and e.root.head.head == verb
                    and not any(p.text == e.text for p in participants)
                ),
                None,
            )
            return Reading(
                "talks",
                index,
                sent,
                participants,
                {},
                [],
                [],
                mediator=self.mediator(sent),
                status="held" if held else "planned",
                venue=venue,
                level=self._level(sent),
                outcome=self._outcome(verb),
                trigger=verb,
            )
        return None

    def _scheduled(self, verb: Token) -> bool:
        """A finite talks verb, or a to-infinitive under a verb that schedules it."""
        if not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
            return True
        return verb.head.lemma_.lower() in self.cues.talks_scheduling

    def _participants(self, verb: Token, sent: Span) -> list[ActorRef]:
        tokens = []
        found = subject_of(verb)
        if found is not None:
            tokens += [found[0], *found[0].conjuncts]
        objects = verb.lemma_.lower() in self.cues.talks_object_verbs
        for child in verb.children:
            if (
                objects
                and child.dep_ == "dobj"
                and child.lemma_.lower() not in self.cues.talks_nouns
            ):
                tokens += [child, *child.conjuncts]
            if child.dep_ == "prep" and child.lower_ == "with":
                tokens += [g for g in child.children if g.dep_ == "pobj"]
        refs: dict[str, ActorRef] = {}
        for token in tokens:
            for ref in self.sides(token, sent):
                refs.setdefault(ref.code, ref)
        return list(refs.values())

    def _level(self, sent: Span) -> str | None:
        levels = {m.payload for m in self.cues.levels.find(list(sent))}
        return next((lv for lv in ("leaders", "ministers", "technical") if lv in levels), None)

    def _outcome(self, verb: Token) -> str | None:
        agree = next(
            (t for t in verb.sent if t.lemma_.lower() == "agree" and t.pos_ == "VERB"), None
        )
        if agree is None:
            return None
        clause = [c for c in agree.children if c.dep_ in {"xcomp", "ccomp"}]
        return " ".join(t.text for t in clause[0].subtree) if clause else None


def _number(token: Token) -> float | None:
    text = token.text.replace(",", "")
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    return float(NUMBER_WORDS[token.lower_]) if token.lower_ in NUMBER_WORDS else None


def _is_subset(noun: Token) -> bool:
    return any(
        c.lower_ in {"including", "among"} for c in noun.head.children if c.i < noun.i
    ) and noun.head.lower_ in {"including", "among"}
