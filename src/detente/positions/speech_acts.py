"""Speech acts (demand, reject, propose, …) and precondition markers in a parsed sentence.

An act is anchored on a *trigger* token — the verb (or stance noun) the issue phrase hangs
from — because the holder of the position, its modality and its scope are all read off the
dependency tree around that token.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from detente.nlp.memo import document_forms
from detente.positions.cues import CueLexicon, load_lexicon

FUNCTION_DEPS = {"aux", "auxpass", "neg", "advmod", "mark", "prt", "det", "case"}


@dataclass(frozen=True)
class ActHit:
    act: str
    trigger: Token
    source: str
    """``verb``, ``phrase``, ``noun``, ``negation``, ``modal`` or ``marker`` (a bare condition)."""
    derived: bool = False
    """True when the act comes from a modal or a negation of an ordinary verb: its grammatical
    subject is then the one being asked or ruled out, not necessarily the holder."""
    phrase: str = ""
    """The cue phrase, for a ``phrase`` act."""


@dataclass(frozen=True)
class PreconditionMarker:
    kind: str
    """``goal``: the marked clause is what the condition is for; ``condition``: it is the
    condition."""
    clause: frozenset[int]
    """Document token indices of the marked clause."""
    text: str


def _negated(token: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in {"never"} for c in token.children)


def _phrase_root(tokens: list[Token]) -> Token:
    inside = {t.i for t in tokens}
    root = next((t for t in tokens if t.head.i not in inside or t.head == t), tokens[0])
    if root.dep_ in FUNCTION_DEPS and root.head != root:
        return root.head
    return root


def _flip_negated(act: str) -> str:
    if act == "reject":
        return "accept"
    if act == "violate":
        return "implement"
    return (
        "reject"
        if act in {"demand", "propose", "offer", "accept", "sign", "implement", "concede"}
        else act
    )


def find_speech_acts(sent: Span, lexicon: CueLexicon | None = None) -> list[ActHit]:
    """One act per trigger token; a lexical verb beats a phrase, which beats a bare negation."""
    lexicon = lexicon or load_lexicon()
    found: dict[int, ActHit] = {}

    for match in lexicon.phrases.find_in(sent):
        matched = list(sent[match.start : match.end])
        root = _phrase_root(matched)
        derived = (
            root not in matched
            or root.pos_ in {"AUX", "PART"}
            or match.phrase in lexicon.modal_phrases
        )
        act = match.payload
        found.setdefault(root.i, ActHit(act, root, "phrase", derived, match.phrase))

    for token in _act_candidates(sent, lexicon):
        lemma = token.lemma_.lower()
        if token.pos_ == "VERB" and lemma in lexicon.verbs:
            act = lexicon.verbs[lemma]
            if act == "reject" and _stops_hostilities(token, lexicon):
                act = "offer"
            if _negated(token):
                act = _flip_negated(act)
            previous = found.get(token.i)
            if previous is None or previous.derived or previous.act == act:
                found[token.i] = ActHit(act, token, "verb")
        elif token.pos_ == "NOUN" and lemma in lexicon.nouns and _has_holder_noun(token):
            found.setdefault(token.i, ActHit(lexicon.nouns[lemma], token, "noun"))
        elif token.pos_ in {"VERB", "AUX"} and _negated(token) and lemma in lexicon.negatable:
            found.setdefault(token.i, ActHit("reject", token, "negation", derived=True))
        elif token.pos_ == "VERB" and any(
            c.dep_ == "aux" and c.lemma_.lower() in lexicon.demand_modals for c in token.children
        ):
            found.setdefault(token.i, ActHit("demand", token, "modal", derived=True))
    return sorted(found.values(), key=lambda a: a.trigger.i)


def _act_candidates(sent: Span, lexicon: CueLexicon) -> list[Token]:
    """The tokens that can be a lexical act, in order: a cue verb, noun or negatable lemma,
    or the head of a demand modal ("must"). The others fail every test of
    :func:`find_speech_acts`, so only these are looked at."""
    doc, forms = sent.doc, document_forms(sent.doc)
    picked = set()
    for i in range(sent.start, sent.end):
        lemma = forms[i][1]
        if lemma in lexicon.verbs or lemma in lexicon.nouns or lemma in lexicon.negatable:
            picked.add(i)
        if lemma in lexicon.demand_modals and doc[i].dep_ == "aux":
            picked.add(doc[i].head.i)
    return [doc[i] for i in sorted(picked)]


def _stops_hostilities(verb: Token, lexicon: CueLexicon) -> bool:
    """A breaking-off verb whose object is fighting ("halted its offensive", "strikes were
    suspended") de-escalates rather than rejects."""
    return any(
        c.dep_ in {"dobj", "nsubjpass"} and c.lemma_.lower() in lexicon.hostilities_nouns
        for c in verb.children
    )


def _has_holder_noun(token: Token) -> bool:
    return any(c.dep_ == "poss" for c in token.children)


def find_precondition(sent: Span, lexicon: CueLexicon | None = None) -> PreconditionMarker | None:
    """The first precondition marker of the sentence and the clause it governs."""
    lexicon = lexicon or load_lexicon()
    for match in lexicon.preconditions.find_in(sent):
        matched = list(sent[match.start : match.end])
        inside = {t.i for t in matched}
        root = next((t for t in matched if t.head.i not in inside or t.head == t), matched[0])
        if match.payload == "condition" and matched[-1].dep_ in {"prep", "mark"}:
            root = matched[-1]  # "would only take effect after X": the clause is "after X"
        clause_head = root.head if root.dep_ in {"mark", "advmod"} and root.head != root else root
        if clause_head.dep_ == "ROOT" and root is not clause_head:
            clause_head = root
        clause = sorted({t.i for t in clause_head.subtree} | inside)
        text = sent.doc[clause[0] : clause[-1] + 1].text
        return PreconditionMarker(match.payload, frozenset(clause), text)
    return None
