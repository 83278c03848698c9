"""Who the text says is the source of an event claim.

A claim is attributed by the verb of saying that governs it ("X said that ...",
"..., X told reporters"), by a quoting construction ("X was quoted as saying"), by the
communication it appears in ("In a statement, the ministry ...") or by "according to X".
The nearest governing verb of saying wins, because "Kyiv said Moscow claimed that ..."
makes Moscow the source of the inner claim. The span returned is the source's noun
phrase without its commas-delimited asides ("Peskov, quoted by TASS," gives "Peskov"),
so that the coder can resolve it to an actor code.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from spacy.tokens import Span, Token

from detente.coding.modality import (
    CLAUSAL_CHILDREN,
    REPORTED_LINKS,
    governing_chain,
    is_reporting_verb,
    modality_cues,
    trailing_speech_tag,
)

_SUBJECTS = ("nsubj",)
_ASIDES = frozenset({"relcl", "acl", "advcl", "punct", "appos"})
# Verbs whose passive subject is the speaker: "Peskov was quoted as saying".
_PASSIVE_SPEAKERS = frozenset({"quote", "cite"})


@lru_cache(maxsize=1)
def _cues() -> tuple[frozenset[str], dict[str, str]]:
    reporting = modality_cues()["reporting"]
    statements = frozenset(str(word).lower() for word in reporting["statement_nouns"])
    phrases = {str(k).lower(): str(v).lower() for k, v in reporting["source_phrases"].items()}
    return statements, phrases


def find_attribution(sent: Span, trigger: Token) -> Span | None:
    """The noun phrase of whoever the text says makes the claim, or None.

    None when the trigger is itself the verb of saying (the speaker is then the event's
    actor, not a source) or when no source is named ("it was reported that ...").
    """
    if is_reporting_verb(trigger):
        return None
    for candidate in _sources(sent, trigger):
        if candidate is not None:
            return noun_phrase(candidate)
    return None


def _sources(sent: Span, trigger: Token) -> Iterator[Token | None]:
    """Candidate source heads, most specific first."""
    statements, phrases = _cues()
    for step in governing_chain(trigger):
        token = step.token
        if step.link in REPORTED_LINKS and is_reporting_verb(token):
            yield _speaker(token)
        if step.outer:
            continue
        for child in token.children:
            if child.dep_ in CLAUSAL_CHILDREN and child.i > trigger.i and is_reporting_verb(child):
                yield _speaker(child)
            in_statement = child.dep_ == "prep" and child.lower_ == "in"
            if in_statement and _names_statement(child, statements):
                yield _subject(token)
    tag = trailing_speech_tag(sent, trigger)
    if tag is not None:
        yield _speaker(tag)
    for token in sent:
        follower = phrases.get(token.lower_)
        if follower is None:
            continue
        for child in token.children:
            if child.lower_ == follower:
                yield next((obj for obj in child.children if obj.dep_ == "pobj"), None)


def _names_statement(preposition: Token, statements: frozenset[str]) -> bool:
    return any(
        obj.dep_ == "pobj" and (obj.lemma_.lower() in statements or obj.lower_ in statements)
        for obj in preposition.children
    )


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in _SUBJECTS and child.lower_ != "it":
            return child
    return None


def _speaker(verb: Token) -> Token | None:
    """The subject of a verb of saying; for a bare participle ("as saying"), its governor's."""
    current = verb
    for _ in range(3):
        subject = _subject(current)
        if subject is not None:
            return subject
        for child in current.children:
            if child.dep_ == "agent":
                return next((obj for obj in child.children if obj.dep_ == "pobj"), None)
            if child.dep_ == "nsubjpass" and current.lemma_ in _PASSIVE_SPEAKERS:
                return child
        head = current.head
        if head.i == current.i:
            return None
        if current.dep_ == "pcomp" and head.head.i != head.i:
            head = head.head
        current = head
    return None


def noun_phrase(head: Token) -> Span:
    """The contiguous phrase around ``head`` without relative clauses and comma asides.

    A parenthesised apposition stays ("the World Food Program (WFP)"); one set off by
    commas goes ("Dmitry Peskov, the Kremlin spokesman," gives "Dmitry Peskov").
    """
    doc = head.doc
    kept: set[int] = set()
    stack = [head]
    while stack:
        token = stack.pop()
        kept.add(token.i)
        for child in token.children:
            if child.dep_ not in _ASIDES or _kept_aside(child):
                stack.append(child)
    start = end = head.i
    while start - 1 in kept:
        start -= 1
    while end + 1 in kept:
        end += 1
    while start < head.i and doc[start].is_punct:
        start += 1
    while end > head.i and doc[end].is_punct and not _closes_bracket(doc, start, end):
        end -= 1
    return doc[start : end + 1]


def _kept_aside(token: Token) -> bool:
    if token.dep_ == "punct":
        return token.text in "()"
    return token.dep_ == "appos" and _parenthesised(token)


def _parenthesised(token: Token) -> bool:
    before = token.left_edge.i - 1
    return before >= 0 and token.doc[before].text == "("


def _closes_bracket(doc, start: int, end: int) -> bool:
    return doc[end].text == ")" and any(doc[i].text == "(" for i in range(start, end))
