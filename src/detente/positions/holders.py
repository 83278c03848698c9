"""Who holds a position: the subject of the stance verb, or the speaker of reported speech.

"Hegseth declared that Ukraine won't join NATO" is a US position, not a Ukrainian one: when
the act comes from a modal or a negation of an ordinary verb, its grammatical subject is the
party being ruled out or asked, so the speaker of the enclosing verb of saying holds it. A
lexical stance verb ("Russia demanded …") keeps its own subject, even inside reported speech.
The walk is partly linear because the small English parser often mis-attaches list-like
declarations ("declaring that: A; B; C").

A holder that is a pronoun or a description ("he", "the ministry", "the two sides") is what
the document context (``coding.context``) says it is — the reading the event coder uses,
so an event and a position from the same sentence never disagree about who "he" is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spacy.tokens import Span, Token

from detente.coding.context import DocumentContext
from detente.coding.models import ActorRef
from detente.positions import collaborators
from detente.positions.cues import CueLexicon
from detente.positions.speech_acts import ActHit

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
CLIMB_DEPS = {
    "xcomp",
    "advcl",
    "conj",
    "pcomp",
    "prep",
    "acl",
    "relcl",
    "amod",
    "acomp",
    "dobj",
    "pobj",
    "attr",
}
PRONOUNS = {"he", "she", "it", "they", "we", "i"}
MAX_NAME_TOKENS = 8


@dataclass(frozen=True)
class Holder:
    token: Token
    """The noun (or pronoun) naming the holder."""
    via: str
    """``subject``, ``speaker`` or ``possessor``."""
    verb: Token
    """The verb (or noun) whose subject/possessor the holder is."""


def subject_of(token: Token, max_hops: int = 5) -> tuple[Token, Token] | None:
    """The nearest subject governing ``token``, climbing through non-finite and conjoined
    clauses; returns ``(subject, its verb)``."""
    current = token
    for _ in range(max_hops):
        subjects = [c for c in current.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            return subjects[0], current
        if current.dep_ not in CLIMB_DEPS or current.head == current:
            return None
        current = current.head
    return None


def _is_reporting(token: Token, lexicon: CueLexicon) -> bool:
    return token.pos_ == "VERB" and token.lemma_.lower() in lexicon.reporting_verbs


def speaker_for(sent: Span, trigger: Token, lexicon: CueLexicon) -> tuple[Token, Token] | None:
    """The subject of the nearest verb of saying before ``trigger`` that introduces it."""
    for token in reversed(sent[: trigger.i - sent.start]):
        if not _is_reporting(token, lexicon) or token == trigger:
            continue
        introduces = trigger in token.subtree or any(
            t.lower_ in {"that", ":"} for t in sent.doc[token.i + 1 : min(token.i + 3, trigger.i)]
        )
        if introduces:
            found = subject_of(token)
            if found is not None:
                return found
    return None


def holder_for(sent: Span, act: ActHit, lexicon: CueLexicon) -> Holder | None:
    trigger = act.trigger
    if act.source == "noun":
        poss = next((c for c in trigger.children if c.dep_ == "poss"), None)
        return Holder(poss, "possessor", trigger) if poss is not None else None
    own = subject_of(trigger)
    speaker = speaker_for(sent, trigger, lexicon)
    if own is not None and _is_reporting(trigger, lexicon):
        return Holder(own[0], "speaker", own[1])
    if act.derived and speaker is not None:
        return Holder(speaker[0], "speaker", speaker[1])
    if act.derived and act.source == "modal":
        return None
    if own is not None:
        return Holder(own[0], "subject", own[1])
    if speaker is not None:
        return Holder(speaker[0], "speaker", speaker[1])
    return None


def coordinated_names(token: Token) -> list[Token]:
    """The tokens naming each holder: conjoined nouns ("Russia and Ukraine") or coordinated
    adjectives of one noun ("British and French officials", "Russian and Ukrainian
    delegations"), else the token itself."""
    adjectives = next(
        (c for c in token.children if c.dep_ == "amod" and c.conjuncts and c.i < token.i), None
    )
    if adjectives is not None:
        return [adjectives, *adjectives.conjuncts, *token.conjuncts]
    return [token, *token.conjuncts]


def name_candidates(token: Token) -> list[str]:
    """Texts to resolve for a holder noun, most specific first: the whole noun phrase (when
    short), its name compound, the word itself."""
    doc = token.doc
    left = token
    while (
        left.i > 0
        and doc[left.i - 1].dep_ in {"compound", "amod", "nmod"}
        and doc[left.i - 1].head == token
    ):
        left = doc[left.i - 1]
    compound = doc[left.i : token.i + 1].text
    subtree = list(token.subtree)
    candidates = []
    if len(subtree) <= MAX_NAME_TOKENS:
        candidates.append(doc[subtree[0].i : subtree[-1].i + 1].text)
    candidates += [compound, token.text]
    return list(dict.fromkeys(candidates))


def resolve_holder(
    context: DocumentContext, token: Token, on: dt.date | None, process: str | None
) -> tuple[ActorRef | None, bool]:
    """The holder's actor and whether the document context supplied it (a pronoun or a
    description pointing back), else the first of :func:`name_candidates` that resolves."""
    referent = context.referent(token)
    if referent is not None:
        return next((r for r in referent if r.code), None), True
    if token.lower_ in PRONOUNS:
        return None, True
    for text in name_candidates(token):
        ref = collaborators.resolve_actor(text, on, process)
        if ref is not None and ref.code:
            return ref, False
    complement = _of_complement(token)
    if complement is not None:
        return resolve_holder(context, complement, on, process)
    return None, False


def _of_complement(token: Token) -> Token | None:
    """The named part of a title-of-place holder: "the Kingdom of Saudi Arabia", "the
    Government of Sudan", "the people of Gaza" stand for the place they name."""
    if token.pos_ not in {"NOUN", "PROPN"}:
        return None
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            return next((c for c in prep.children if c.dep_ == "pobj"), None)
    return None
