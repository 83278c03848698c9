"""Modality of an event: does the text say it happened, and on whose word?

The classifier reads only the trigger and the chain of words that govern it in the
dependency parse (infinitive and clause complements, coordinated verbs sharing an
auxiliary, the verb a noun trigger is the argument of, the preposition a gerund hangs
from). Cues elsewhere in the sentence belong to other events and are ignored, so that
"Russia agreed to talks but Ukraine did not" leaves Russia's agreement asserted.

Cue words live in ``data/modality.yml`` so that an analyst can extend them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span, Token

from detente.coding.models import Modality
from detente.data import load_yaml

# Most to least decisive; see classify_modality for the reasoning.
PRECEDENCE: tuple[Modality, ...] = (
    "negated",
    "hypothetical",
    "speculative",
    "future",
    "reported",
)

_NOUN_ARGUMENTS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "oprd", "pobj"})
CLAUSAL_CHILDREN = frozenset({"ccomp", "parataxis"})
_EMBEDDED_CLAUSES = frozenset({"ccomp", "parataxis", "relcl", "csubj", "csubjpass"})
_OWN_NOUN_CLAUSES = frozenset({"relcl"})
_NOT_SHARED = frozenset({"cc", "conj", "punct"})
# Links by which a verb of saying governs a claim ("said that ...", "claimed to have ...").
REPORTED_LINKS = frozenset({"clause", "infinitive", "ccomp", "xcomp", "parataxis"})
_OWN_SUBJECT = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})


@lru_cache(maxsize=1)
def modality_cues() -> dict:
    """The cue lexicon of ``data/modality.yml``; attribution, dates and places read it too."""
    text = resources.files("detente.data").joinpath("modality.yml").read_text(encoding="utf-8")
    return load_yaml(text)


def _words(values) -> frozenset[str]:
    return frozenset(str(value).lower() for value in values)


@dataclass(frozen=True)
class _Cues:
    negation_particles: frozenset[str]
    negative_arguments: frozenset[str]
    negation_governors: frozenset[str]
    pending_adverbs: frozenset[str]
    negation_prepositions: frozenset[str]
    presupposing_prepositions: frozenset[str]
    hypothetical_modals: frozenset[str]
    hypothetical_markers: frozenset[str]
    hypothetical_governors: frozenset[str]
    obligation_governors: frozenset[str]
    speculative_modals: frozenset[str]
    speculative_adverbs: frozenset[str]
    speculative_governors: frozenset[str]
    speculative_markers: frozenset[str]
    future_modals: frozenset[str]
    future_governors: frozenset[str]
    future_time_words: frozenset[str]
    terms_verbs: frozenset[str]
    terms_nouns: frozenset[str]
    terms_standing: frozenset[str]
    reporting_verbs: frozenset[str]
    reporting_adverbs: frozenset[str]
    reporting_nouns: frozenset[str]
    opinion_sources: frozenset[str]
    opinion_affiliations: frozenset[str]
    source_phrases: dict[str, str]


@lru_cache(maxsize=1)
def cue_sets() -> _Cues:
    """The YAML lists as frozen sets, built once: every lookup afterwards is a set test."""
    raw = modality_cues()
    neg, hyp, spec, fut, rep = (
        raw["negation"],
        raw["hypothetical"],
        raw["speculative"],
        raw["future"],
        raw["reporting"],
    )
    return _Cues(
        negation_particles=_words(neg["particles"]),
        negative_arguments=_words(neg["negative_arguments"]),
        negation_governors=_words(neg["governors"]),
        pending_adverbs=_words(neg["pending_adverbs"]),
        negation_prepositions=_words(neg["prepositions"]),
        presupposing_prepositions=_words(neg.get("presupposing_prepositions", [])),
        hypothetical_modals=_words(hyp["modals"]),
        hypothetical_markers=_words(hyp["markers"]),
        hypothetical_governors=_words(hyp["governors"]),
        obligation_governors=_words(hyp.get("obligation_governors", [])),
        speculative_modals=_words(spec["modals"]),
        speculative_adverbs=_words(spec["adverbs"]),
        speculative_governors=_words(spec["governors"]),
        speculative_markers=_words(spec["markers"]),
        future_modals=_words(fut["modals"]),
        future_governors=_words(fut["governors"]),
        future_time_words=_words(fut["time_words"]),
        terms_verbs=_words(fut.get("terms_verbs", [])),
        terms_nouns=_words(fut.get("terms_nouns", [])),
        terms_standing=_words(fut.get("terms_standing", [])),
        reporting_verbs=_words(rep["verbs"]),
        reporting_adverbs=_words(rep["adverbs"]),
        reporting_nouns=_words(rep.get("nouns", [])),
        opinion_sources=_words(rep.get("opinion_sources", [])),
        opinion_affiliations=_words(rep.get("opinion_affiliations", [])),
        source_phrases={str(k).lower(): str(v).lower() for k, v in rep["source_phrases"].items()},
    )


def _is(token: Token, words: frozenset[str]) -> bool:
    return token.lemma_.lower() in words or token.lower_ in words


def reporting_noun(token: Token) -> Token | None:
    """The noun of reporting an event noun is the "of" complement of, directly or past the
    time or source phrases between them ("reports from both sides on Saturday morning of
    continued fighting")."""
    preposition = token.head
    if token.dep_ not in {"pobj", "pcomp"} or preposition.lower_ != "of":
        return None
    for noun in (preposition.head, *preposition.head.ancestors):
        if noun.pos_ in {"VERB", "AUX"}:
            return None
        if noun.pos_ == "NOUN" and _is(noun, cue_sets().reporting_nouns):
            return noun
    return None


def is_reporting_verb(token: Token) -> bool:
    """A verb of saying ("said", "told", "announced"): its complement is somebody's claim."""
    return token.pos_ in {"VERB", "AUX"} and _is(token, cue_sets().reporting_verbs)


@dataclass(frozen=True)
class _Step:
    """One word on the trigger's governing chain and which of its cues reach the trigger.

    ``local``: its auxiliaries, adverbs and markers scope over the trigger.
    ``negation``: its negation does too (not across "said that" or "knew that").
    ``link``: how the previous word hangs from it, deciding which governor lexicons apply.
    ``outer``: the chain has left the trigger's own clause (a relative or finite adverbial
    clause); only a governing verb of saying still matters there.
    """

    token: Token
    link: str
    local: bool
    negation: bool
    outer: bool


def is_nominal(token: Token) -> bool:
    """A noun, or a gerund used as one ("fighting raged", "shelling killed 25")."""
    return token.pos_ in {"NOUN", "PROPN"} or (
        token.tag_ == "VBG" and token.dep_ in _NOUN_ARGUMENTS
    )


def _has_own_subject(token: Token) -> bool:
    return any(child.dep_ in _OWN_SUBJECT for child in token.children)


def governing_chain(trigger: Token) -> Iterator[_Step]:
    """The trigger, then each word governing it, up to the sentence root."""
    yield _Step(trigger, "self", local=True, negation=True, outer=False)
    child, outer = trigger, False
    while child.head.i != child.i:
        dep, head = child.dep_, child.head
        if (
            dep == "pobj"
            and not outer
            and is_nominal(child)
            and head.lower_ in cue_sets().presupposing_prepositions
        ):
            # "no deal was reached during six hours of talks": the talks in a time adjunct
            # happened whatever the clause says; only a verb of saying above still counts.
            outer = True
            yield _Step(head, "preposition", local=False, negation=False, outer=True)
            child = head
            continue
        if dep in {"pcomp", "pobj"} and head.head.i != head.i and not _has_own_subject(child):
            # "by making", "without firing", "agreed to talks": the preposition, then its head.
            yield _Step(head, "preposition", local=False, negation=not outer, outer=outer)
            child, head = head, head.head
            link = "argument" if dep == "pobj" else "complement"
            yield _Step(head, link, local=not outer, negation=not outer, outer=outer)
        elif outer:
            yield _Step(head, dep, local=False, negation=False, outer=True)
        elif dep == "xcomp":
            yield _Step(head, "infinitive", local=True, negation=True, outer=False)
        elif dep == "ccomp":
            if head.pos_ == "ADV" and head.dep_ == "advmod" and head.head.i != head.i:
                # "said earlier that …": the parser hangs the clause on the adverb; it is
                # the verb's complement.
                head = head.head
            # Negation crosses only a copula: "it is not true that" denies the complement,
            # "did not say that" or "did not know that" does not.
            copula = head.lemma_ == "be"
            # A finite clause with its own subject and modal ("…, so we can unlock …" above
            # "the US will sign") has its own tense; the head's auxiliaries are not its.
            own_modal = _has_own_subject(child) and any(
                c.dep_ == "aux" and c.tag_ == "MD" for c in child.children
            )
            yield _Step(head, "clause", local=not own_modal, negation=copula, outer=False)
        elif dep == "conj":
            # "could attack and destroy" shares the modal; "attacked and destroyed" does not.
            shares_auxiliaries = child.tag_ == "VB" or is_nominal(child)
            yield _Step(head, "coordinate", shares_auxiliaries, shares_auxiliaries, False)
        elif dep in _NOUN_ARGUMENTS and is_nominal(child):
            yield _Step(head, "argument", local=True, negation=True, outer=False)
        elif dep in {"acomp", "oprd"}:
            # "is ready to", "seems inclined to": the predicate carries the verb's modals.
            yield _Step(head, "predicate", local=True, negation=False, outer=False)
        elif dep == "acl" and child.tag_ == "VB" and is_nominal(head):
            # "would face pressure to send", "has the right to strike": the infinitive
            # belongs to the noun, whose verb carries the modal.
            yield _Step(head, "infinitive", local=True, negation=False, outer=False)
        elif dep == "advcl" and not _has_own_subject(child):
            yield _Step(head, "adverbial", local=True, negation=False, outer=False)
        else:
            outer = True
            yield _Step(head, dep, local=False, negation=False, outer=True)
        child = head


def _local_cues(token: Token, cues: _Cues, past: bool) -> Iterator[Modality]:
    """Cues carried by the word's own dependents: auxiliaries, adverbs, markers, time words."""
    auxiliaries = [child for child in token.children if child.dep_ == "aux"]
    to = next((a for a in auxiliaries if a.lower_ == "to"), None)
    if (
        token.tag_ == "VB"
        and to is not None
        and any(
            _is(a, cues.obligation_governors) and a.tag_ != "VBD" and a.i < to.i
            for a in auxiliaries
        )
    ):
        yield "hypothetical"  # "has until January to withdraw", parsed with "has" as auxiliary
    for child in token.children:
        dep = child.dep_
        if dep == "aux":
            if _is(child, cues.hypothetical_modals):
                yield "hypothetical"
            elif _is(child, cues.speculative_modals):
                yield "speculative"
            elif _is(child, cues.future_modals):
                yield "future"
        elif dep == "advmod":
            if _is(child, cues.speculative_adverbs):
                yield "speculative"
            elif _is(child, cues.reporting_adverbs):
                yield "reported"
            elif not past and _is(child, cues.future_time_words):
                yield "future"
        elif dep == "mark":
            if _is(child, cues.hypothetical_markers):
                yield "hypothetical"
            elif _is(child, cues.speculative_markers):
                yield "speculative"
        elif (
            dep in {"npadvmod", "tmod"}
            and not past
            and any(_is(word, cues.future_time_words) for word in child.subtree)
        ):
            yield "future"


def _negated_locally(token: Token, cues: _Cues) -> bool:
    for child in token.children:
        dep = child.dep_
        if dep == "neg" and _is(child, cues.negation_particles):
            return True
        if dep == "det" and _is(child, cues.negative_arguments):
            return True
        if dep == "advmod" and any(grand.dep_ == "neg" for grand in child.children):
            return True
        if dep in {"nsubj", "nsubjpass", "dobj"} and (
            _is(child, cues.negative_arguments)
            or any(g.dep_ == "det" and _is(g, cues.negative_arguments) for g in child.children)
        ):
            return True
    return False


def _existential(word: Token) -> bool:
    return any(child.dep_ == "expl" for child in word.children)


def _governor_cues(step: _Step, cues: _Cues, trigger: Token) -> Iterator[Modality]:
    """Cues carried by the governing word itself ("failed to", "plans to", "is likely that")."""
    token, link = step.token, step.link
    if link in {"self", "preposition", "coordinate", "adverbial"}:
        return
    words = [token]
    if token.lemma_ == "be":
        words += [child for child in token.children if child.dep_ in {"acomp", "attr"}]
    for word in words:
        if link == "infinitive" and _is(word, cues.negation_governors):
            yield "negated"
        if _is(word, cues.hypothetical_governors):
            yield "hypothetical"
        if (
            link == "infinitive"
            and word.pos_ in {"VERB", "AUX"}
            and _is(word, cues.obligation_governors)
            and not is_past(word)
        ):
            yield "hypothetical"
        if _is(word, cues.speculative_governors):
            yield "speculative"
        # "be" only as "is to visit": neither a copula nor the existential "there were
        # reports of fighting" puts anything ahead.
        bare_be = word.lemma_ == "be" and (word.pos_ == "AUX" or _existential(word))
        if _is(word, cues.future_governors) and (link == "infinitive" or not bare_be):
            yield "future"
    if link == "infinitive" and any(
        child.dep_ == "advmod" and _is(child, cues.pending_adverbs) for child in token.children
    ):
        yield "negated"
    if (
        link == "argument"
        and not _is(trigger, cues.terms_standing)
        and _is(token, cues.terms_verbs)
        and any(
            child.dep_ in {"nsubj", "nsubjpass"} and _is(child, cues.terms_nouns)
            for child in token.children
        )
    ):
        yield "future"  # "the accord provides for the withdrawal …": a term, not yet done


def is_past(token: Token) -> bool:
    """Past or perfect tense ("attacked", "had withdrawn"), as read from the tag and auxiliaries."""
    return token.tag_ in {"VBD", "VBN"} or any(
        child.dep_ == "aux" and child.tag_ == "VBD" for child in token.children
    )


def _cites_source(sent: Span, cues: _Cues) -> bool:
    return any(
        token.lower_ in cues.source_phrases
        and any(child.lower_ == cues.source_phrases[token.lower_] for child in token.children)
        for token in sent
    )


def classify_modality(sent: Span, trigger: Token) -> Modality:
    """The event's modality, the most decisive cue winning.

    Precedence negated > hypothetical > speculative > future > reported > asserted:
    a negation reverses the claim, so any other label would count an event that the text
    says did not happen; a hypothetical ("could", "if") claims nothing happened at all; a
    hedge ("likely") claims it with doubt; a future claim is firmer but still not an
    occurrence; "reported" only names a second-hand source (the attribution field holds
    who) and says nothing against occurrence, so every other cue outranks it.

    The walk stops at the first verb of saying above the trigger: what governs "said"
    ("did not say that", "could say that") qualifies the statement, not the event.
    Reported speech backshifts "will" to "would": "Putin said he would meet Zelensky" is
    future, not hypothetical, when the only hypothetical cue is that "would" under a
    past-tense verb of saying.
    """
    cues = cue_sets()
    found: set[Modality] = set()
    trigger_is_past = is_past(trigger)
    backshifted_would = False
    for step in governing_chain(trigger):
        token = step.token
        if step.link in REPORTED_LINKS and is_reporting_verb(token):
            found.add("reported")
            if _opinion(token, cues):
                found.add("speculative")
            if backshifted_would and is_past(token):
                found.discard("hypothetical")
                found.add("future")
            break
        if step.outer:
            continue
        if step.negation and _negated_locally(token, cues):
            found.add("negated")
        if step.link == "preposition" and _is(token, cues.negation_prepositions):
            found.add("negated")
        if step.local:
            local = set(_local_cues(token, cues, trigger_is_past))
            if "hypothetical" in local and "hypothetical" not in found:
                backshifted_would = _only_would(token, cues)
            elif "hypothetical" in local:
                backshifted_would = False
            found |= local
        found |= set(_governor_cues(step, cues, trigger))
        for child in token.children:
            if not is_reporting_verb(child):
                continue
            if (child.dep_ in CLAUSAL_CHILDREN and child.i > trigger.i) or (
                child.dep_ == "parataxis" and _has_own_subject(child)
            ):
                # ", a Turkish official told reporters", or in the middle: "At the same
                # time, Raik said, Russia is trying to …"
                found.add("reported")
                if _opinion(child, cues):
                    found.add("speculative")
    if _is_question(sent):
        found.add("hypothetical")
    if "reported" not in found:
        tag = trailing_speech_tag(sent, trigger)
        if tag is not None:
            found.add("reported")
            if _opinion(tag, cues):
                found.add("speculative")
    if not is_reporting_verb(trigger) and _cites_source(sent, cues):
        found.add("reported")
    if reporting_noun(trigger) is not None:
        found.add("reported")  # "reports of continued fighting": told second-hand
    return _most_decisive(found)


def event_clause(trigger: Token) -> frozenset[int]:
    """Token indices belonging to the trigger's own clause, for the other attribute readers.

    The trigger's subtree without the clauses embedded in it (other verbs' complements,
    relative and finite adverbial clauses, coordinated verbs), which are other events; a
    noun trigger keeps its own relative clause ("the strike, which killed 25") and, as a
    subject, the clause of its verb ("the exchange freed 230 prisoners"); a coordinated
    verb gets the object it shares ("captured and killed 25 soldiers").
    """
    clause: set[int] = set()
    own_clause_children = _OWN_NOUN_CLAUSES if is_nominal(trigger) else frozenset()
    _collect_clause(trigger, clause, own_clause_children)
    head = trigger.head
    if trigger.dep_ in {"nsubj", "nsubjpass"} and is_nominal(trigger):
        _collect_clause(head, clause, frozenset())
    elif trigger.dep_ == "conj" and trigger.pos_ in {"VERB", "AUX"}:
        for child in head.children:
            if child.i > trigger.i and child.dep_ not in _NOT_SHARED:
                _collect_clause(child, clause, frozenset())
    return frozenset(clause)


def _collect_clause(token: Token, clause: set[int], allowed: frozenset[str]) -> None:
    clause.add(token.i)
    for child in token.children:
        if child.i in clause or _starts_other_clause(child) and child.dep_ not in allowed:
            continue
        _collect_clause(child, clause, frozenset())


def _starts_other_clause(token: Token) -> bool:
    dep = token.dep_
    if dep in _EMBEDDED_CLAUSES:
        return True
    if dep in {"advcl", "pcomp", "acl"}:
        return _has_own_subject(token)
    return dep == "conj" and token.pos_ in {"VERB", "AUX"}


def trailing_speech_tag(sent: Span, trigger: Token) -> Token | None:
    """The verb of a closing ", a Turkish official told reporters" that the parser misattached.

    A verb of saying after the trigger, with no complement clause of its own, whose subject
    follows a comma: the text before the comma is then what it says.
    """
    doc = sent.doc
    for token in sent[trigger.i - sent.start + 1 :]:
        if not is_reporting_verb(token) or token.i == trigger.i:
            continue
        if any(child.dep_ in {"ccomp", "xcomp"} for child in token.children):
            continue
        subject = next((c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is None or subject.i > token.i or subject.left_edge.i == 0:
            continue
        if doc[subject.left_edge.i - 1].text == ",":
            return token
    return None


def _opinion(verb: Token, cues: _Cues) -> bool:
    """Is the subject of a verb of saying an analyst or expert (an opinion, not an act)?"""
    return any(
        child.dep_ in {"nsubj", "nsubjpass"}
        and (
            _is(child, cues.opinion_sources)
            or any(_is(c, cues.opinion_sources) for c in child.children if c.dep_ == "compound")
            or (child.pos_ == "PROPN" and _introduced_as_commentator(child, cues))
        )
        for child in verb.children
    )


def _introduced_as_commentator(name: Token, cues: _Cues) -> bool:
    """ "ICDS director Kristi Raik said …", then "Raik said …": a person the text introduced
    (here or earlier) as an analyst or with a think tank or university speaks for no party."""
    for mention in name.doc[: name.i + 1]:
        if mention.pos_ != "PROPN" or mention.lower_ != name.lower_:
            continue
        if any(
            _is(word, cues.opinion_sources) or _is(word, cues.opinion_affiliations)
            for word in mention.subtree
        ):
            return True
    return False


def _is_question(sent: Span) -> bool:
    tail = [token.text for token in sent[-2:]]
    return "?" in tail


def _only_would(token: Token, cues: _Cues) -> bool:
    modals = [c for c in token.children if c.dep_ == "aux" and _is(c, cues.hypothetical_modals)]
    return bool(modals) and all(c.lower_ in {"would", "'d"} for c in modals)


def _most_decisive(found: set[Modality]) -> Modality:
    for modality in PRECEDENCE:
        if modality in found:
            return modality
    return "asserted"
