"""The event coder: parsed documents in, PLOVER ``Event`` records out.

Per sentence: find lexicon triggers, keep the central ones, read actor and recipient
off the parse, then attach modality, attribution, date, place and quantities. The
pieces live in their own modules; this one only orders them and applies the PLOVER
conventions that span several of them (future cooperation is AGREE, an announced
retreat is CONCEDE).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from detente.coding import ontology
from detente.coding.actors import ActorDictionary
from detente.coding.arguments import ArgumentReader
from detente.coding.attribution import find_attribution
from detente.coding.context import DocumentContext, document_context
from detente.coding.conventions import Conventions
from detente.coding.event_dates import resolve_event_date
from detente.coding.lexicon import Lexicon, TriggerEntry, default_lexicon, word_forms
from detente.coding.modality import classify_modality
from detente.coding.models import ActorRef, Attribution, Event, Evidence
from detente.coding.places import find_location, gazetteer
from detente.coding.quantities import extract_quantities
from detente.coding.roles import read_roles, without_hosts
from detente.coding.triggers import Trigger, find_triggers, select_triggers
from detente.data import packaged
from detente.ingest.models import Document
from detente.nlp.headlines import headline_end
from detente.nlp.memo import document_forms, reading
from detente.nlp.model import load_model
from detente.nlp.pipeline import Keep, parse_documents
from detente.nlp.sentences import Sentence, sentence_words, trimmed

LOCATIVE_TYPES = {"COERCE", "CONCEDE", "PROTEST", "ASSAULT", "MOBILIZE", "SANCTION", "RETREAT"}
"""Types whose place stands in for an absent recipient ("imposed a curfew in Cizre")."""
MIN_CONFIDENCE = 0.2
"""Below this an event is more often noise than signal (judged on the PLOVER dev split)."""


@lru_cache(maxsize=1)
def constructions() -> dict:
    return packaged("constructions.yml")


@dataclass
class CodedDocument:
    document: Document
    parsed: Doc
    events: list[Event] = field(default_factory=list)


def parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def event_id(doc_id: str, sentence_index: int, token_index: int, event_type: str) -> str:
    digest = hashlib.sha1(f"{doc_id}|{sentence_index}|{token_index}|{event_type}".encode())
    return "e-" + digest.hexdigest()[:16]


class EventCoder:
    """Holds the loaded model, lexicon and actor dictionary; reusable across documents."""

    def __init__(
        self,
        nlp: Language | None = None,
        lexicon: Lexicon | None = None,
        actors: ActorDictionary | None = None,
        extra_keep: Keep | None = None,
        use_prefilter: bool = True,
        min_confidence: float = MIN_CONFIDENCE,
    ):
        self.min_confidence = min_confidence
        self.nlp = nlp or load_model()
        self.lexicon = lexicon or default_lexicon()
        self.actors = actors or ActorDictionary.default()
        cues = constructions()
        self.reporting = frozenset(cues["reporting_verbs"])
        self.obligation_modals = frozenset(cues["obligation_modals"])
        self.obligation_verbs = frozenset(cues["obligation_verbs"])
        self.stative = frozenset(cues["stative_passives"])
        self.directives = frozenset(cues["directive_verbs"])
        self.speech_tags = frozenset(cues["speech_tag_verbs"])
        self.conventions = Conventions(
            self.lexicon,
            self.actors,
            frozenset(cues["crowd_nouns"]),
            frozenset(cues["crowd_only_verbs"]),
            frozenset(cues.get("force_words", [])),
        )
        self.keep: Keep | None = self._keep_builder(extra_keep) if use_prefilter else None
        # The gazetteer is data like the model: loaded with it (≈ 1.5 CPU-seconds, once per
        # process, and before a pool forks, so workers share it), not by the first sentence
        # that names a place.
        gazetteer()

    def _keep_builder(self, extra: Keep | None) -> Keep:
        """Parse a sentence if a lexicon entry could fire in it or another stage wants it
        (``extra``: the positions stage's own filter)."""
        lexicon = self.lexicon
        modals = self.obligation_modals
        directives = word_forms(self.directives)
        reporting = word_forms(self.reporting)
        obliged = word_forms(self.obligation_verbs)
        crowds = word_forms(self.conventions.crowds)
        # an event noun with a verb that makes it happen: "the meeting lasted", "held talks"
        occurring = word_forms(lexicon.occurrence_verbs | lexicon.light_verbs)

        def keep(sentence: Sentence) -> bool:
            tokens = {t.lower() for t in sentence.tokens}
            if lexicon.may_fire(tokens) or not modals.isdisjoint(tokens):
                return True
            # "advised Kyiv to negotiate", "said Russia needs to withdraw" (_obligations)
            if "to" in tokens and not directives.isdisjoint(tokens):
                return True
            if "to" in tokens and not (reporting.isdisjoint(tokens) or obliged.isdisjoint(tokens)):
                return True
            if not lexicon.common_forms.isdisjoint(tokens) and (
                not crowds.isdisjoint(tokens)
                or not occurring.isdisjoint(tokens)
                or self._names_actor(sentence)
            ):
                return True
            return extra is not None and extra(sentence)

        return keep

    def _names_actor(self, sentence: Sentence) -> bool:
        """A party the actor dictionary codes: a country, organisation or office holder, not a
        mere place ("in Lyon") nor an uncoded group ("residents")."""
        mentions = self.actors.find_mentions(sentence.tokens)
        return any(entry.code and entry.kind != "place" for _, _, entry in mentions)

    def parse(self, documents: Iterable[Document]) -> Iterator[tuple[Document, Doc]]:
        """Parse in one process; ``pipeline.CoderPool`` is how coding uses more cores."""
        docs = list(documents) if not isinstance(documents, list) else documents
        parsed = parse_documents(self.nlp, (d.clean_text for d in docs), keep=self.keep)
        yield from zip(docs, parsed, strict=True)

    def code_documents(self, documents: Iterable[Document]) -> Iterator[CodedDocument]:
        for document, parsed in self.parse(documents):
            yield CodedDocument(document, parsed, self.code_parsed(document, parsed))

    def code_text(
        self, text: str, doc_id: str = "text", published: str | None = None
    ) -> list[Event]:
        document = Document(doc_id=doc_id, clean_text=text, published=published)
        return next(self.code_documents([document])).events

    def code_parsed(self, document: Document, parsed: Doc) -> list[Event]:
        published = parse_date(document.published)
        context = document_context(parsed, self.actors, published, _body_start(document, parsed))
        reader = ArgumentReader(context, self.stative)
        events: list[Event] = []
        for index, sent in enumerate(parsed.sents):
            if sent.root.pos_:
                events.extend(self.code_sentence(document, index, sent, reader, published))
        return events

    def code_sentence(
        self,
        document: Document,
        index: int,
        sent: Span,
        reader: ArgumentReader,
        published: date | None,
    ) -> list[Event]:
        found = [t for t in find_triggers(sent, self.lexicon) if not self._speech_tag(t.token)]
        triggers = select_triggers(found + self._obligations(sent), self.lexicon.cessation_verbs)
        events = []
        for trigger in triggers:
            event = self._event(document, index, sent, trigger, reader, published)
            if event is not None and event.confidence >= self.min_confidence:
                events.append(event)
        return merge_repeats(events)

    def _speech_tag(self, token: Token) -> bool:
        """ ", a senior official suggested": a trailing reporting verb, not an event."""
        return token.lemma_.lower() in self.speech_tags and any(
            c.dep_ == "ccomp" and c.i < token.i for c in token.children
        )

    def _obligations(self, sent: Span) -> list[Trigger]:
        """'X said that Y must …' → REQUEST by X of Y (see data/constructions.yml)."""
        found = []
        doc, forms = sent.doc, document_forms(sent.doc)
        for i in range(sent.start, sent.end):
            if forms[i][1] not in self.directives and forms[i][1] not in self.reporting:
                continue  # neither a directive nor a verb of saying: nothing to read
            token = doc[i]
            if token.pos_ == "VERB" and token.lemma_.lower() in self.directives:
                children = {c.dep_ for c in token.children}
                if {"dobj", "xcomp"} <= children:
                    entry = TriggerEntry("REQUEST", token.lemma_.lower(), embeds=True, weight=0.7)
                    found.append(Trigger(token, entry, salience=1.0))
                    continue
            if token.lemma_.lower() not in self.reporting or token.pos_ != "VERB":
                continue
            for comp in (c for c in token.children if c.dep_ == "ccomp"):
                modal = any(
                    a.lower_ in self.obligation_modals for a in comp.children if a.dep_ == "aux"
                ) or (
                    comp.lemma_ in self.obligation_verbs
                    and any(c.dep_ == "xcomp" for c in comp.children)
                )
                if modal:
                    entry = TriggerEntry("REQUEST", token.lemma_.lower(), embeds=True, weight=0.75)
                    found.append(Trigger(token, entry, salience=1.0))
        return found

    def _event(
        self,
        document: Document,
        index: int,
        sent: Span,
        trigger: Trigger,
        reader: ArgumentReader,
        published: date | None,
    ) -> Event | None:
        token = trigger.token
        entry = trigger.entry
        theme = trigger.object_token if entry.obj is not None else None
        locative = entry.event_type in LOCATIVE_TYPES or entry.mode == "visit"
        moved = entry.subj is not None  # "Iranian prisoners arrived in Tehran"
        actors, recipients = reader.read(token, entry.event_type, theme, locative, moved)
        if entry.lemma in self.reporting and entry.event_type == "REQUEST":
            comp = next((c for c in token.children if c.dep_ == "ccomp"), None)
            if comp is not None:
                recipients = reader.refs(
                    [c for c in comp.children if c.dep_ in {"nsubj", "nsubjpass"}]
                )
        modality = reading(token, "modality", lambda: classify_modality(sent, token))
        event_type, mode = self.conventions.apply(trigger, modality, sent, actors)
        if modality == "negated" and event_type != entry.event_type:
            # A negation the convention read as the act ("will not negotiate" = REJECT,
            # "did not rule out force" = THREATEN) no longer denies it.
            modality = "reported" if _source(sent, token) is not None else "asserted"
        attribution = self._attribution(sent, token, reader.context)
        iso, date_text, _how = resolve_event_date(sent, token, published)
        start, end = _trimmed_offsets(sent)
        location = find_location(sent, token)
        roles = read_roles(sent, token, event_type, actors, self.actors.resolve, published)
        recipients = without_hosts(
            recipients, roles, event_type, actors, self.actors.resolve, published
        )
        actors, recipients = reader.agree_with_roles(token, event_type, actors, recipients, roles)
        return Event(
            id=event_id(document.doc_id, index, token.i, event_type),
            doc_id=document.doc_id,
            sentence_index=index,
            event_type=event_type,
            mode=mode,
            context=self._contexts(sent, entry),
            actor=actors,
            recipient=recipients,
            date=iso,
            date_text=date_text,
            location=location,
            quantities=extract_quantities(sent, token),
            modality=modality,
            attribution=attribution,
            evidence=Evidence(
                sentence=document.clean_text[start:end],
                start=start,
                end=end,
                trigger=_trigger_text(token, trigger),
            ),
            score=ontology.score(event_type, mode),
            confidence=_confidence(trigger, actors),
            **roles,
        )

    def _contexts(self, sent: Span, entry: TriggerEntry) -> list[str]:
        lemmas = sentence_words(sent)
        found = list(entry.context)
        found += [
            name
            for name, cues in self.lexicon.context_cues.items()
            if lemmas & cues and name not in found
        ]
        return found

    def _attribution(
        self, sent: Span, token: Token, context: DocumentContext
    ) -> Attribution | None:
        span = _source(sent, token) or context.headline_source(sent)
        if span is None:
            return None
        ref = self.actors.resolve(span.text, context.on, sources=True)
        return Attribution(
            text=span.text, code=ref.code if ref else None, sector=ref.sector if ref else None
        )


def _source(sent: Span, token: Token) -> Span | None:
    """Who the text says makes the claim the trigger states (read once per token)."""
    return reading(token, "attribution", lambda: find_attribution(sent, token))


def merge_repeats(events: list[Event]) -> list[Event]:
    """One event per type, mode and actor in a sentence: "killed nine and wounded 34" is one
    ASSAULT carrying both quantities and every recipient, not two."""
    merged: dict[tuple, Event] = {}
    for event in sorted(events, key=lambda e: -e.confidence):
        key = (event.event_type, event.mode, tuple(sorted(a.code or a.text for a in event.actor)))
        kept = merged.get(key)
        if kept is None:
            merged[key] = event
            continue
        known = {(q.value, q.unit) for q in kept.quantities}
        kept.quantities.extend(q for q in event.quantities if (q.value, q.unit) not in known)
        seen = {(r.code, r.sector) for r in kept.recipient}
        kept.recipient.extend(r for r in event.recipient if (r.code, r.sector) not in seen)
    return sorted(merged.values(), key=lambda e: e.evidence.start)


def _body_start(document: Document, parsed: Doc) -> int:
    """The first token after the headline block (0 when the text starts with its body)."""
    end = headline_end(document.clean_text)
    if not end:
        return 0
    return next((t.i for t in parsed if t.idx >= end), len(parsed))


def _trimmed_offsets(sent: Span) -> tuple[int, int]:
    span = trimmed(sent)
    return (span.start_char, span.end_char) if len(span) else (sent.start_char, sent.start_char)


def _trigger_text(token: Token, trigger: Trigger) -> str:
    if trigger.object_token is not None and trigger.entry.obj is not None:
        return (
            f"{token.text} … {trigger.object_token.text}"
            if trigger.object_token.i > token.i + 1
            else f"{token.text} {trigger.object_token.text}"
        )
    return token.text


def _confidence(trigger: Trigger, actors: list[ActorRef]) -> float:
    value = trigger.confidence
    if not any(a.code for a in actors):
        value *= 0.85
    return round(value, 3)
