"""Constructions around a stance verb that change whose position it is, or whether it is one.

News analysis wraps parties' stances in the writer's own judgement ("it's unrealistic to
imagine that Trump will agree …") or in someone's pressure on a party ("to put pressure on
Zelensky to return to talks"). Read naively, both hand a party a position it never took. The
words come from ``evaluative_frames``, ``pressure_frames`` and ``renounce_verbs`` in
``data/positions_cues.yml``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from detente.positions.cues import CueLexicon

FRAME_COMPLEMENTS = {"acomp", "oprd", "attr"}
SUBJECTS = {"nsubj", "nsubjpass"}
PRESSURE_HOPS = 4


def _subject(token: Token) -> Token | None:
    return next((c for c in token.children if c.dep_ in SUBJECTS), None)


def frames_conjecture(chain: list[Token], holder: Token | None, lexicon: CueLexicon) -> bool:
    """Whether a token above the stance verb (``chain[1:]``, from the verb up to the verb of
    saying that introduces it) puts it under an evaluative frame. Frames come before what
    they frame; a ";" ends their reach (the parser chains list items into one another)."""
    trigger = chain[0]
    for token in chain[1:]:
        if token.i > trigger.i or any(t.text == ";" for t in trigger.doc[token.i : trigger.i]):
            continue
        lemma = token.lemma_.lower()
        if token.pos_ == "ADJ" and lemma in lexicon.frame_adjectives:
            return True
        if any(
            c.dep_ in FRAME_COMPLEMENTS and c.lemma_.lower() in lexicon.frame_adjectives
            for c in token.children
        ):
            return True
        subject = _subject(token)
        nouns = [token, subject] if subject is not None else [token]
        if any(n.pos_ == "NOUN" and n.lemma_.lower() in lexicon.frame_nouns for n in nouns):
            return True
        others = holder is None or subject is None or subject.i != holder.i
        if token.pos_ == "VERB" and lemma in lexicon.frame_verbs and others:
            return True
    return False


@dataclass(frozen=True)
class Pressure:
    verb: Token
    """The verb whose subject applies the pressure ("put" in "put pressure on X to …")."""
    target: Token | None
    """The side pressured, when named."""


def _pressure_on(noun: Token) -> Token | None:
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in {"on", "upon"}:
            return next((g for g in prep.children if g.dep_ == "pobj"), None)
    return None


def pressure_frame(trigger: Token, lexicon: CueLexicon) -> Pressure | None:
    """The pressure construction the stance verb is the goal of, if any: "coerce X into
    *withdrawing*", "pressure on X to *return*"."""
    for hops, above in enumerate(trigger.ancestors):
        if hops >= PRESSURE_HOPS:
            break
        lemma = above.lemma_.lower()
        if above.pos_ == "VERB" and lemma in lexicon.pressure_verbs:
            target = next((c for c in above.children if c.dep_ == "dobj"), None)
            return Pressure(above, target)
        nouns = [above, *(c for c in above.children if c.dep_ == "dobj")]
        for noun in nouns:
            if noun.pos_ == "NOUN" and noun.lemma_.lower() in lexicon.pressure_nouns:
                verb = noun.head if noun.head.pos_ in {"VERB", "AUX"} else noun
                return Pressure(verb, _pressure_on(noun))
    return None


def renounced(head: Token, trigger: Token, lexicon: CueLexicon) -> bool:
    """Whether the first verb above an issue phrase, below its stance verb, gives it up
    ("demanded that Ukraine *abandon* its bid to join NATO")."""
    for token in head.ancestors:
        if token == trigger:
            return False
        if token.pos_ == "VERB":
            return token.lemma_.lower() in lexicon.renounce_verbs
    return False
