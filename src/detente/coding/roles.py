"""The roles an event plays in a peace process, read off the sentence analysis.

An event that proposes, agrees, carries out, violates or ends a prisoner exchange, a
ceasefire or talks gets a ``topic`` and a ``stage``; a release also gets who releases, who is
released (side, category, count) and who receives them; any event gets the mediator the
sentence names; meetings get their venue and level; a ceasefire the day it starts. The
peace-process layer (positions/process_records.py) builds its records from these roles
only, so one sentence is analysed once, here.

Word classes live in ``data/roles.yml``. A count is keyed by the side that releases it:
"N Armenian detainees were freed from Azerbaijani custody" is released by AZE.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from spacy.tokens import Span, Token

from detente.coding.conditions import condition_phrase, is_condition
from detente.coding.event_dates import resolve_event_date
from detente.coding.models import ActorRef, Released
from detente.coding.quantities import quantity_words
from detente.coding.syntax import phrase
from detente.data import packaged
from detente.nlp.entities import entities

Resolver = Callable[[str, date | None], ActorRef | None]
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_OBJECTS = frozenset({"dobj", "nsubjpass", "pobj", "attr", "oprd", "conj", "appos"})
_MODIFIERS = frozenset({"acl", "relcl", "amod", "advcl", "xcomp"})
_REACH = 4
"""How far (in dependency steps) from the trigger the process word may be."""


@dataclass(frozen=True)
class _Words:
    topics: dict[str, frozenset[str]]
    detainees: frozenset[str]
    categories: tuple[tuple[str, tuple[str, ...]], ...]
    custody: frozenset[str]
    release_verbs: frozenset[str]
    stages: dict[str, str]
    before: tuple[tuple[str, ...], ...]
    after: frozenset[str]
    compounds: frozenset[str]
    levels: tuple[tuple[str, tuple[str, ...]], ...]
    start_verbs: frozenset[str]
    circumstance: frozenset[str]
    mutual: frozenset[str]
    occasion: frozenset[str]
    goals: frozenset[str]
    documents: frozenset[str]
    numbers: dict[str, float]
    stops: frozenset[str]
    hostilities: frozenset[str]
    scopes: tuple[tuple[str, frozenset[str]], ...]
    monitoring: tuple[tuple[str, ...], ...]
    captives: frozenset[str]
    receivers: frozenset[str]
    arrivals: frozenset[str]


@lru_cache(maxsize=1)
def _words() -> _Words:
    raw = packaged("roles.yml")
    stages: dict[str, str] = {}
    for stage in ("done", "agreed", "settled", "proposed", "violated", "ended"):
        stages.update({str(w): stage for w in raw["stages"][stage]})
    return _Words(
        topics={k: frozenset(map(str, v)) for k, v in raw["topics"].items()},
        detainees=frozenset(map(str, raw["detainee_nouns"])),
        categories=tuple((k, tuple(map(str, v))) for k, v in raw["categories"].items()),
        custody=frozenset(map(str, packaged("reference.yml")["custody_nouns"])),
        release_verbs=frozenset(map(str, raw["release_verbs"])),
        stages=stages,
        before=tuple(tuple(p.split()) for p in raw["mediation_before"]),
        after=frozenset(map(str, raw["mediation_after"])),
        compounds=frozenset(map(str, raw["mediation_compounds"])),
        levels=tuple((k, tuple(map(str, v))) for k, v in raw["levels"].items()),
        start_verbs=frozenset(map(str, raw["start_verbs"])),
        circumstance=frozenset(map(str, raw["circumstance_preps"])),
        mutual=frozenset(map(str, raw["mutual_verbs"])),
        occasion=frozenset(str(p).split()[-1] for p in raw["occasion_preps"]),
        goals=frozenset(map(str, raw["goals"])),
        documents=frozenset(map(str, raw["signed_documents"])),
        numbers={str(k).lower(): float(v) for k, v in quantity_words()["number_words"].items()},
        stops=frozenset(map(str, raw["ceasefire_stops"])),
        scopes=tuple((k, frozenset(map(str, v))) for k, v in raw["ceasefire_scope"].items()),
        monitoring=tuple(tuple(p.split()) for p in raw["monitoring_before"]),
        hostilities=frozenset(map(str, raw["hostilities"])),
        captives=frozenset(map(str, raw["captive_nouns"])),
        receivers=frozenset(map(str, raw["receive_verbs"])),
        arrivals=frozenset(map(str, raw["arrival_verbs"])),
    )


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _is_topic_word(token: Token, topic: str) -> bool:
    words = _words().topics[topic]
    if _lemma(token) in words or token.lower_ in words:
        return True
    if topic != "ceasefire":
        return False
    return _stop_word(token) or (
        _lemma(token) in {"fire", "firing"}
        and any(_lemma(c) == "cease" for c in token.children if c.dep_ == "compound")
    )


def _stop_word(token: Token) -> bool:
    """ "a cessation of hostilities", "to end the fighting", "cease fire": a stop word
    naming a ceasefire with the hostilities it stops."""
    words = _words()
    return _lemma(token) in words.stops and bool(_hostilities(token))


def _hostilities(token: Token) -> list[Token]:
    words = _words()
    below = list(token.children)
    below += [g for c in token.children if c.lower_ in {"of", "to", "in", "on"} for g in c.children]
    return [t for t in below if _lemma(t) in words.hostilities or t.lower_ in words.hostilities]


# -- which process object, and what the trigger does to it ----------------------------------


def _near(trigger: Token, subjects: bool = False) -> Iterator[Token]:
    """The trigger, the words it governs (breadth first, a few steps, leaving out
    circumstances, "after a round of negotiations", coordinated clauses with verbs of their
    own, and clauses beyond the trigger's own complement: "suggested that he will meet
    Putin" proposes a meeting), then the noun it
    modifies ("the swap, mediated by the UAE"). ``subjects``: the subject phrases too ("The
    10 prisoners freed by Venezuela have arrived")."""
    yield trigger
    skipped = {"advcl", "ccomp"} | (set() if subjects else {"nsubj"})
    circumstance = _words().circumstance
    frontier, seen = [trigger], {trigger.i}
    for _ in range(_REACH):
        following = []
        for token in frontier:
            for child in token.children:
                said = child.dep_ == "ccomp" and token.i == trigger.i
                if child.i in seen or (child.dep_ in skipped and not said):
                    continue
                if child.dep_ == "conj" and child.pos_ in {"VERB", "AUX"}:
                    continue
                if child.lower_ in circumstance:
                    continue
                if (
                    child.dep_ == "relcl"
                    and token.i != trigger.i
                    and token.dep_ in _SUBJECTS | {"pobj"}
                ):
                    # "agreed between the DGMOs, who held discussions": a clause about a
                    # participant, not about what the trigger acts on
                    continue
                seen.add(child.i)
                following.append(child)
        yield from following
        frontier = following
    if trigger.dep_ in _MODIFIERS | {"appos"} and trigger.head.i not in seen:
        yield trigger.head


def _exchange_word(token: Token, sent: Span) -> bool:
    """A release or swap of people, not "exchanged memorandums" or "in exchange for"."""
    if not _is_topic_word(token, "exchange"):
        return False
    if token.head.lower_ == "in" and token.dep_ == "pobj":
        return False
    if _lemma(token) == "swap" and token.pos_ == "NOUN":
        return True
    detainees = _words().detainees
    scope = list(token.subtree) + ([token.head] if token.dep_ in _MODIFIERS else [])
    if token.pos_ == "VERB" or token.dep_ == "ROOT":
        scope += [c for c in token.children]
    compound = [c for c in token.children if c.dep_ in {"compound", "amod"}]
    if token.pos_ == "VERB" and any(
        c.ent_type_ == "PERSON" and c.dep_ in {"nsubjpass", "dobj"} for c in token.children
    ):
        return True
    custody = _words().custody
    if token.pos_ == "VERB" and any(
        _lemma(g) in custody for c in token.children if c.lower_ == "from" for g in c.children
    ):
        return True
    return any(
        _lemma(t) in detainees or t.lower_ in detainees or _counted_nationals(t)
        for t in scope + compound
    ) or any(_lemma(t) in detainees for t in sent if t.dep_ in {"nsubjpass"} and t.head == token)


def find_topic(sent: Span, trigger: Token) -> tuple[str, Token] | None:
    """The process object the trigger acts on and the word that names it; a ceasefire or
    swap naming a meeting ("the ceasefire meeting", "ceasefire talks") is talks."""
    for token in _near(trigger):
        for topic in ("ceasefire", "exchange"):
            if not (
                _is_topic_word(token, topic)
                if topic == "ceasefire"
                else _exchange_word(token, sent)
            ):
                continue
            if token.dep_ in {"compound", "amod", "nmod"} and _is_topic_word(token.head, "talks"):
                return "talks", token.head
            meeting = [
                c
                for c in token.children
                if c.dep_ in {"acl", "compound", "appos"} and _is_topic_word(c, "talks")
            ]
            if meeting:
                return "talks", meeting[0]
            return topic, token
        if _is_topic_word(token, "talks") and (
            token.pos_ != "VERB" or token is trigger or token.dep_ in {"xcomp", "ccomp"}
        ):
            if token is not trigger and _is_occasion(token):
                continue
            return "talks", token
    for token in _near(trigger, subjects=True):
        if _exchange_word(token, sent):
            return "exchange", token
    if _captives_arrive(trigger):
        return "exchange", trigger
    broken = _broken_agreement(trigger)
    if broken is not None:
        return "ceasefire", broken
    return None


def _broken_agreement(trigger: Token) -> Token | None:
    """ "the junta broke the agreement by attacking", "violated the deal": in a war story the
    agreement broken by arms is the truce (the trigger or the verb it is the means of)."""
    verbs = [trigger]
    if trigger.dep_ == "pcomp" and trigger.head.lower_ == "by":
        verbs.append(trigger.head.head)
    for verb in verbs:
        if _stage_of(verb) != "violated" or verb.pos_ != "VERB":
            continue
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            if _lemma(obj) in _words().documents:
                return obj
    return None


def _captives_arrive(verb: Token) -> bool:
    """Released captives on their way home: "five American prisoners are headed for the
    US", "two of the Iranian detainees arrived in Tehran" (captives, not troops)."""
    words = _words()
    if _lemma(verb) not in words.arrivals:
        return False
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return any(
        _lemma(t) in words.captives or t.lower_ in words.captives
        for s in subjects
        for t in s.subtree
    )


_AHEAD = frozenset({"next", "upcoming", "planned", "proposed", "scheduled", "future", "expected"})
"""Modifiers that put a meeting ahead: "the next round of talks"."""
_SETTINGS = frozenset({"at", "during", "after", "following", "sidelines"})


def _is_occasion(noun: Token) -> bool:
    """Talks named as the setting of the event ("at the third round of talks")."""
    if noun.dep_ != "pobj":
        return False
    prep = noun.head
    if prep.lower_ == "of" and prep.head.dep_ == "pobj":
        prep = prep.head.head
    return prep.lower_ in _SETTINGS


def _stage_of(token: Token) -> str | None:
    stages = _words().stages
    lemma = _lemma(token)
    if lemma in stages:
        return stages[lemma]
    return stages.get(token.lower_)


def find_stage(trigger: Token, word: Token, event_type: str, topic: str) -> str | None:
    """What the trigger does to the object: the outermost word with a stage class on the
    path from the object up to the trigger ("agreed to implement a ceasefire" agrees it)
    and the verb whose infinitive the trigger is ("an agreement reached to end
    hostilities"), unless the path makes it a goal ("agreed to work towards a ceasefire"
    proposes it); a bare object noun is the thing done."""
    path = [word]
    current = word
    while current.i != trigger.i and current.head.i != current.i and len(path) < 6:
        current = current.head
        path.append(current)
    if trigger not in path:
        path = [word, trigger]
    if trigger.dep_ in {"xcomp", "advcl", "acl"} and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children
    ):
        path.append(trigger.head)
    elif trigger.i == word.i and word.dep_ in _SUBJECTS and word.head.pos_ in {"VERB", "AUX"}:
        # "a ceasefire would begin at midnight": the verb says what happens to it
        path.append(word.head)
    governing = [trigger, *list(trigger.ancestors)[:3]]
    if any(_lemma(t) in _words().goals or t.lower_ in _words().goals for t in path[1:] + governing):
        return "proposed"
    stage = None
    for token in path[1:]:
        if any(c.dep_ == "oprd" for c in token.children):
            continue  # "called the talks sufficient" names them, calls for nothing
        if token.pos_ in {"VERB", "NOUN", "AUX", "ADJ"}:
            stage = _stage_of(token) or stage
    if stage == "settled":
        return "done" if topic == "talks" else "agreed"
    if stage:
        return stage
    if event_type == "REQUEST":
        return "proposed"
    if event_type in {"AGREE", "CONCEDE"}:
        return "agreed"
    if event_type == "ASSAULT":
        return "violated"
    if event_type == "SANCTION":
        return "ended"
    if event_type in {"CONSULT", "RETREAT"} or trigger.i == word.i:
        own = _nominal_stage(word) or (None if _stop_word(word) else _stage_of(word))
        return own if own and own != "settled" else "done"
    return None


def _nominal_stage(noun: Token) -> str | None:
    """A process noun's own modifiers: "the next round of talks", "talks scheduled for
    June 2", "the proposed meeting"."""
    for token in _meeting_nouns(noun):
        for child in token.children:
            if child.lower_ in _AHEAD:
                return "agreed"
            if child.dep_ in {"acl", "amod", "relcl"} and _stage_of(child):
                return _stage_of(child)
    return None


def _meeting_nouns(noun: Token) -> list[Token]:
    """A talks noun and the nouns that name the same meeting: "the next *round* of talks",
    "the proposed *meeting*, the second round of direct talks"."""
    nouns = [noun]
    if noun.dep_ == "pobj" and noun.head.lower_ == "of":
        nouns.append(noun.head.head)
    nouns += [n.head for n in list(nouns) if n.dep_ == "appos"]
    return nouns


def mentioned_talks(sent: Span) -> tuple[Token, str] | None:
    """Talks a sentence mentions with a stage of their own, whatever its event is about:
    "doubts that the next round of talks, scheduled for June 2 in Istanbul, will yield
    results" mentions planned talks."""
    for token in sent:
        if token.pos_ == "NOUN" and _is_topic_word(token, "talks") and not _is_occasion(token):
            if any(
                _is_topic_word(g, "talks")
                for c in token.children
                if c.lower_ == "of"
                for g in c.children
            ):
                continue  # "the next round of talks": the talks noun speaks for the round
            stage = _nominal_stage(token) or _subject_stage(token)
            if stage is not None:
                return token, "done" if stage == "settled" else stage
    return None


def _subject_stage(noun: Token) -> str | None:
    """Talks that are the subject of a past verb took place ("the Moscow talks were the
    first contact between the two sides"), or ended as the verb says ("collapsed")."""
    verb = noun.head
    if noun.dep_ != "nsubj" or verb.tag_ != "VBD":
        return None
    return _stage_of(verb) or "done"  # "the talks collapsed" ended them


# -- releases ------------------------------------------------------------------------------


def _number(tokens: Sequence[Token], at: int) -> float | None:
    """The value of the number word at ``at``, reading "Forty-one" and "1,200" whole."""
    words = _words().numbers
    text = tokens[at].lower_.replace(",", "")
    try:
        return float(text)
    except ValueError:
        pass
    parts = text.split("-")
    if all(p in words for p in parts):
        return sum(words[p] for p in parts)
    return None


def _counts(noun: Token) -> list[float]:
    """The counts modifying a people noun: "150 prisoners", "Forty-one soldiers", and each
    of coordinated counts ("230 and 248 prisoners")."""
    doc = noun.doc
    for child in noun.children:
        if child.dep_ != "nummod" or child.ent_type_ in {"DATE", "TIME", "ORDINAL"}:
            continue
        value = _hyphenated(doc, child.i)
        if value is None:
            continue
        others = [_hyphenated(doc, c.i) for c in child.conjuncts]
        return [value, *[v for v in others if v is not None]]
    return []


def _hyphenated(doc, at: int) -> float | None:
    """A number read whole across a hyphen: "Forty - one" is 41, not 1."""
    value = _number(doc, at)
    if value is None:
        return None
    if at >= 2 and doc[at - 1].text == "-":
        tens = _number(doc, at - 2)
        if tens is not None and tens >= 20 and tens % 10 == 0 and value < 10:
            return tens + value
    if at + 2 < len(doc) and doc[at + 1].text == "-":
        units = _number(doc, at + 2)
        if units is not None and value >= 20 and value % 10 == 0 and units < 10:
            return value + units
    return value


def _count(noun: Token) -> float | None:
    counts = _counts(noun)
    return counts[0] if counts else None


def _category(noun: Token) -> str | None:
    """What the people are; "the bodies of 757 soldiers" are bodies."""
    text = " ".join(t.lower_ for t in noun.subtree)
    lemma = _lemma(noun)
    if noun.dep_ == "pobj" and noun.head.lower_ == "of":
        noun_of = _lemma(noun.head.head)
        if noun_of in dict(_words().categories)["bodies"]:
            return "bodies"
    for name, words in _words().categories:
        if lemma in words or noun.lower_ in words or any(" " in w and w in text for w in words):
            return name
    return None


def _people(sent: Span, word: Token) -> list[Token]:
    """The people nouns the release word frees: its objects, its passive subject, the
    nouns after "of" ("the return of 215 POWs"), coordinated ones, and nationals counted
    ("five Iranians")."""
    detainees = _words().detainees
    found: list[Token] = []
    scope = [word, *[c for c in word.children]]
    if word.dep_ in _MODIFIERS and word.head.pos_ in {"NOUN", "PROPN"}:
        scope.append(word.head)
    if word.head.i != word.i and word.dep_ in {"dobj", "pobj", "nsubj", "nsubjpass"}:
        scope += [c for c in word.head.children if c.dep_ not in _SUBJECTS | {"ccomp", "advcl"}]
    words = _words()
    if word.dep_ == "conj" and _lemma(word.head) in words.release_verbs | words.receivers:
        # "will receive 300 prisoners and hand over 300 Russians": both halves of the swap
        scope += [c for c in word.head.children if c.dep_ == "dobj"]
    seen: set[int] = set()
    for token in scope:
        for node in token.subtree:
            if node.i in seen:
                continue
            seen.add(node.i)
            if (
                _lemma(node) in detainees or node.lower_ in detainees or _counted_nationals(node)
            ) and not _is_subset(node):
                found.append(node)
    return [t for t in found if not any(t.i == f.i for f in found if f is not t and _inside(t, f))]


def _counted_nationals(noun: Token) -> bool:
    """ "five Iranians", "1,000 Ukrainians": people counted by their nationality."""
    return (
        noun.ent_type_ == "NORP"
        and noun.tag_ in {"NNS", "NNPS"}
        and any(c.dep_ == "nummod" for c in noun.children)
    )


def _inside(token: Token, other: Token) -> bool:
    return other in token.ancestors and other.dep_ != "conj"


def _is_subset(noun: Token) -> bool:
    """ "including 100 Azov fighters", "among them two civilians": part of a count."""
    return any(a.lower_ in {"including", "among"} for a in noun.ancestors)


def is_custody(token: Token) -> bool:
    """Whether the word names where people are held ("custody", "prisons", "hands")."""
    custody = _words().custody
    return _lemma(token) in custody or token.lower_ in custody


def custody_owners(noun: Token) -> list[Token]:
    """The words naming who holds a custody noun: "*Azerbaijani* custody", "*Russia's*
    prisons", "the hands *of the Houthis*". The one reading of custody: the release roles
    here and the document context (``DocumentContext.custodian``) both resolve these."""
    owners = [c for c in noun.children if c.dep_ in {"amod", "compound", "poss", "nmod"}]
    for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"):
        owners += [t for g in prep.children if g.dep_ == "pobj" for t in (g, *g.conjuncts)]
    return owners


def _custody_holder(token: Token, resolve: Resolver, on: date | None) -> ActorRef | None:
    """ "from Azerbaijani custody", "from Russian prisons", "in Saudi jails": the holder."""
    for node in token.subtree:
        if not is_custody(node):
            continue
        prep = node.head if node.dep_ == "pobj" else None
        if prep is None or prep.lower_ not in {"from", "in", "out"}:
            continue
        for owner in custody_owners(node):
            ref = resolve(phrase(owner).text, on)
            if ref is not None and ref.code:
                return ref
    return None


def _people_side(noun: Token, resolve: Resolver, on, owners: list[ActorRef]) -> str | None:
    """Whose people they are: "Armenian detainees", "its 150 prisoners", "Ukrainians"."""
    for child in noun.children:
        if child.dep_ in {"amod", "compound", "nmod"}:
            ref = resolve(child.text, on)
            if ref is not None and ref.code:
                return ref.code
        if child.dep_ == "poss":
            if child.lower_ in {"its", "their"} and owners:
                return owners[0].code
            ref = resolve(phrase(child).text, on)
            if ref is not None and ref.code:
                return ref.code
    ref = resolve(noun.text, on) if noun.pos_ in {"PROPN", "NOUN"} else None
    return ref.code if ref is not None and ref.code and not ref.sector else None


def _verb_of(token: Token) -> Token | None:
    current = token
    for _ in range(4):
        if current.pos_ in {"VERB", "AUX"}:
            return current
        if current.head.i == current.i:
            return None
        current = current.head
    return None


def _each(noun: Token, sent: Span) -> bool:
    """ "150 prisoners each", "on each side", "to each side", "1,000-for-1,000"."""
    verb = _verb_of(noun) or noun
    around = {t.lower_ for t in verb.subtree} | {t.lower_ for t in noun.subtree}
    if "each" in around or "both" in {t.lower_ for t in noun.subtree}:
        return True
    text = sent.text.lower()
    value = _count(noun)
    if value is None:
        return False
    number = f"{value:,.0f}"
    plain = f"{value:.0f}"
    return any(f"{n}{sep}for{sep}{n}" in text for n in (number, plain) for sep in (" ", "-"))


def _releaser(noun: Token, word: Token, resolve: Resolver, on, actors: list[ActorRef]):
    """Who frees the people: custody holder, passive by-agent, or the subject of an active
    release verb whose object they are."""
    holder = _custody_holder(noun.head if noun.dep_ != "ROOT" else noun, resolve, on)
    release_verbs = _words().release_verbs
    modifiers = [c for c in noun.children if c.dep_ == "acl" and _lemma(c) in release_verbs]
    verb = modifiers[0] if modifiers else _verb_of(noun)
    if holder is None and verb is not None:
        holder = _custody_holder(verb, resolve, on)
    if holder is not None:
        return holder, "custody"
    if verb is None or _lemma(verb) not in _words().release_verbs:
        return None, None
    agents = [
        pobj
        for prep in verb.children
        if prep.dep_ == "agent"
        for pobj in prep.children
        if pobj.dep_ == "pobj"
    ]
    if agents:
        ref = resolve(phrase(agents[0]).text, on)
        return (ref, "agent") if ref is not None and ref.code else (None, None)
    is_object = noun.dep_ in {"dobj", "conj"} and verb in noun.ancestors
    subjects = [c for c in verb.children if c.dep_ in _SUBJECTS - {"nsubjpass"}]
    if is_object and subjects:
        # the verb's own subject: "Ukraine returned 90 …, while Russia freed 95 …"
        ref = resolve(phrase(subjects[0]).text, on)
        if ref is not None and ref.code:
            return ref, "subject"
        return (actors[0], "subject") if actors else (None, None)
    return None, None


def _receiver(verb: Token | None, resolve: Resolver, on) -> list[ActorRef]:
    """ "returned to Ukraine", "handed over to the Red Cross", "arrived in Tehran", "Ukraine
    will receive 300 prisoners": where the people go."""
    if verb is None:
        return []
    if _lemma(verb) in _words().receivers:
        for subject in (c for c in verb.children if c.dep_ == "nsubj"):
            ref = resolve(phrase(subject).text, on)
            if ref is not None and ref.code:
                return [ref]
    # a coordinated verb with a subject of its own moves other people ("Ten prisoners
    # arrive back in the US and Saab returns to Venezuela")
    verbs = [verb, *(v for v in verb.conjuncts if not any(c.dep_ in _SUBJECTS for c in v.children))]
    verbs[1:1] = [c for c in verb.children if c.dep_ == "advmod"]  # "arrive back in the US"
    arriving = _lemma(verb) in _words().arrivals
    preps = {"to", "in", "for"} if arriving else {"to"}
    for prep in (c for v in verbs for c in v.children):
        if prep.dep_ in {"prep", "dative"} and prep.lower_ in preps:
            for pobj in prep.children:
                # the first place named, before a phrase a misparse ran on past it
                places = [
                    e.text
                    for e in entities(verb.sent)
                    if e.label_ in _PLACES and pobj.left_edge.i <= e.start <= pobj.right_edge.i
                ]
                for text in [*places[:1], phrase(pobj).text]:
                    ref = resolve(text, on)
                    if ref is not None and ref.code:
                        return [ref]
    return []


def read_release(
    sent: Span, word: Token, resolve: Resolver, on: date | None, actors: list[ActorRef]
) -> tuple[list[Released], list[ActorRef]]:
    """The released people groups of the release ``word`` and who receives them."""
    released: list[Released] = []
    receiving: list[ActorRef] = []
    mutual = _words().mutual
    for noun in _people(sent, word):
        counts = _counts(noun)
        if not counts:
            continue
        verb = _verb_of(noun)
        coded = [a for a in actors if a.code]
        if len(counts) > 1 and len(coded) == len(counts):
            released += [
                Released(text=phrase(noun).text, by=a.code, category=_category(noun), count=n)
                for a, n in zip(coded, counts, strict=True)
            ]
            continue
        ref, how = _releaser(noun, word, resolve, on, actors)
        side = _people_side(noun, resolve, on, actors)
        swapped = verb is not None and _lemma(verb) in mutual
        each = _each(noun, sent) or (
            swapped and side is None and (ref is None or (how == "subject" and len(coded) > 1))
        )
        released.append(
            Released(
                text=phrase(noun).text,
                by="each" if each else (ref.code if ref is not None else None),
                side=side,
                category=_category(noun),
                count=counts[0],
            )
        )
        receiving = receiving or _receiver(verb, resolve, on)
    if not any(r.count for r in released):
        formula = _formula(sent)
        if formula is not None:
            released.append(
                Released(text=f"{formula:,.0f} for {formula:,.0f}", by="each", count=formula)
            )
    names = [e for e in entities(sent) if e.label_ == "PERSON"]
    names += [
        sent.doc[t.i : t.i + 1]
        for t in sent
        if t.pos_ == "PROPN" and t.ent_type_ != "PERSON" and t.dep_ in {"nsubjpass", "dobj"}
    ]
    for ent in names:
        if _freed(ent.root, word) and not _is_state_name(ent, resolve, on):
            ref, _how = _releaser(ent.root, word, resolve, on, actors)
            released.append(
                Released(
                    text=ent.text,
                    by=ref.code if ref is not None else None,
                    category=f"named: {ent.text}",
                )
            )
            receiving = receiving or _receiver(_verb_of(ent.root), resolve, on)
    return released, receiving


def _formula(sent: Span) -> float | None:
    """ "a 1,000-for-1,000 exchange", "the 1,200 for 1,200 formula": so many each way."""
    for match in _FORMULA.finditer(sent.text):
        before, after = (float(g.replace(",", "")) for g in match.groups())
        if before == after and before > 1:
            return before
    return None


_FORMULA = re.compile(r"(?<![\d,])(\d[\d,]*)\s*-?\s*for\s*-?\s*(\d[\d,]*)(?![\d,])")
"""The text, not the tokens: the tokenizer splits "1,200-for-1,200" unevenly."""


def _is_state_name(ent: Span, resolve: Resolver, on) -> bool:
    """ "Azerbaijani" mistaken for a person's name."""
    ref = resolve(ent.text, on)
    return ref is not None and bool(ref.code) and not ref.name


def _freed(token: Token, word: Token) -> bool:
    """A person released, not one speaking about the release (", Umerov told reporters")."""
    verb = _verb_of(token)
    if verb is None or _lemma(verb) not in _words().release_verbs:
        return False
    path = [token, *token.ancestors]
    if verb not in path:
        return False
    return not any(t.dep_ in {"nsubj", "appos"} for t in path[: path.index(verb)])


# -- mediators, parties, venue, level, start date -------------------------------------------


def _resolved_phrase(token: Token, resolve: Resolver, on) -> ActorRef | None:
    for head in (token, *token.conjuncts):
        ref = resolve(phrase(head).text, on)
        if ref is not None and (ref.code or ref.name):
            return ref
    return None


def find_mediator(
    sent: Span, resolve: Resolver, on: date | None, actors: Sequence[ActorRef] = ()
) -> ActorRef | None:
    """The third party the sentence says mediates, brokers, facilitates or hosts ("I look
    forward to hosting …": the event's actor)."""
    words = _words()
    tokens = list(sent)
    lowered = [t.lower_ for t in tokens]
    for pattern in words.before:
        for i in range(len(tokens) - len(pattern)):
            if tuple(lowered[i : i + len(pattern)]) != pattern:
                continue
            last = tokens[i + len(pattern) - 1]
            heads = [c for c in last.children if c.dep_ in {"pobj", "agent"}] or [
                tokens[i + len(pattern)]
            ]
            ref = _resolved_phrase(heads[0], resolve, on)
            if ref is not None:
                return ref
    for token in tokens:
        lemma = _lemma(token)
        modifier = _compound_modifier(token)
        if modifier is not None:
            ref = resolve(modifier, on)
            if ref is not None and ref.code:
                return ref
        if lemma in words.compounds or lemma not in words.after:
            continue
        owner = _mediation_owner(token)
        if owner is not None:
            ref = _resolved_phrase(owner, resolve, on)
            if ref is None and owner.lower_ in {"i", "we"} and actors:
                ref = actors[0]
            if ref is not None:
                return ref
    return None


def _compound_modifier(token: Token) -> str | None:
    """The go-between named inside an adjectival compound at ``token``: "Chinese" in
    "Chinese-brokered talks" (one token, or three as the parser may split it)."""
    compounds = _words().compounds
    if token.lower_.split("-")[-1] in compounds and "-" in token.text:
        return token.text.split("-")[0]
    if token.lower_ in compounds and token.i >= 2 and token.nbor(-1).text == "-":
        return token.doc[token.i - 2].text
    return None


def adjectival_mediator(sent: Span, mediator: ActorRef) -> bool:
    """Whether the sentence names the mediator only as a modifier ("at *Chinese*-brokered
    talks"): it qualifies the meeting, so it is no party to what the meeting did or failed
    to do."""
    named = [m for m in map(_compound_modifier, sent) if m is not None]
    return bool(named) and mediator.text in named


def _mediation_owner(token: Token) -> Token | None:
    """ "the UAE's mediation", "Qatari mediation", "X acted as an intermediary",
    "X mediated the talks", "the UAE's role in brokering"."""
    for child in token.children:
        if child.dep_ in {"poss", "amod", "compound"} and child.pos_ in {"PROPN", "ADJ", "NOUN"}:
            return child
    verb = token
    while verb.dep_ == "xcomp" and verb.pos_ == "VERB":
        verb = verb.head
    if token.pos_ == "VERB":
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.lower_ in {"who", "which", "that"}:
            return verb.head if verb.dep_ == "relcl" else None
        if subject is not None:
            return subject
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "as" and head.head.pos_ in {"VERB", "AUX"}:
        subjects = [c for c in head.head.children if c.dep_ in _SUBJECTS]
        return subjects[0] if subjects else None
    if token.dep_ == "pcomp" and head.lower_ == "in" and head.head.pos_ == "NOUN":
        owners = [c for c in head.head.children if c.dep_ == "poss"]
        return owners[0] if owners else None
    if token.dep_ in {"attr"}:
        subjects = [c for c in head.children if c.dep_ in _SUBJECTS]
        return subjects[0] if subjects else None
    return None


def find_parties(word: Token, trigger: Token, resolve: Resolver, on: date | None):
    """The sides a process noun is between: "talks between Russia and Ukraine", "a
    ceasefire with Hamas", "Russia-Ukraine talks", "to end Tigray hostilities",
    "Representatives from Ukraine, the U.K. and France are meeting" (who is meeting, not
    who welcomes the meeting)."""
    refs: dict[str, ActorRef] = {}
    heads: list[Token] = []
    nouns = [word, *(_hostilities(word) if _stop_word(word) else [])]
    for child in (c for noun in nouns for c in noun.children):
        if child.dep_ == "prep" and child.lower_ in {"between", "with", "among"}:
            heads += [
                g
                for g in child.children
                if g.dep_ == "pobj" and _lemma(g) not in _words().after | _HELP
            ]
            if child.lower_ == "with":
                heads += [c for c in word.children if c.dep_ in _SUBJECTS]
        if child.dep_ in {"compound", "amod", "nmod", "poss"} and not _place_modifier(child):
            heads.append(child)
    meeting_subjects = (
        [c for c in trigger.children if c.dep_ in _SUBJECTS] if word == trigger else []
    )
    for subject in meeting_subjects:
        for child in subject.children:
            if child.dep_ == "prep" and child.lower_ in {"from", "of"}:
                heads += [g for g in child.children if g.dep_ == "pobj"]
            if child.dep_ in {"amod", "compound"} and child.conjuncts:
                heads.append(child)
    heads = [h for head in heads for h in _represented(head)]
    # "between US and Russian officials": the coordinated modifiers name the sides ("with
    # Ukrainian and Russian delegations" may be two meetings apart)
    heads = [
        m
        for head in heads
        for m in (
            [c for c in head.children if c.dep_ in {"amod", "compound", "nmod"} and c.conjuncts]
            if head.pos_ == "NOUN" and head.head.lower_ in {"between", "among"}
            else []
        )
        or [head]
    ]
    for head in heads:
        for node in _coordinated(head):
            if node.dep_ in {"compound", "amod", "nmod"}:
                texts = node.text.split("-")
            else:
                texts = [phrase(node).text]
            for text in texts:
                ref = resolve(text, on)
                if ref is not None and ref.code:
                    refs.setdefault(ref.code, ref)
    return list(refs.values())


def _represented(head: Token) -> list[Token]:
    """ "the leaders of Ukraine, Russia, France and Germany", "representatives from the SAF
    and the RSF": the sides behind the people named."""
    if head.pos_ != "NOUN":
        return [head]
    behind = [
        g
        for prep in head.children
        if prep.dep_ == "prep" and prep.lower_ in {"of", "from"}
        for g in prep.children
        if g.dep_ == "pobj"
    ]
    return behind or [head]


def _coordinated(head: Token) -> list[Token]:
    """A phrase head and those coordinated or set beside it ("Ukraine, the U.K., U.S., and
    France" parses as a chain of appositions and conjuncts)."""
    found, stack = [head], [head]
    while stack:
        for child in stack.pop().children:
            if child.dep_ in {"conj", "appos"}:
                found.append(child)
                stack.append(child)
    return found


def _modifiers(word: Token) -> list[Token]:
    """The compound chain before a noun ("the Moscow ceasefire talks")."""
    found = []
    for child in word.children:
        if child.dep_ == "compound":
            found += [child, *_modifiers(child)]
    return found


def _place_modifier(token: Token) -> bool:
    """ "the Istanbul talks", "the Moscow ceasefire talks": one place names the venue or the
    subject; two ("Russia-Ukraine talks", "Thai and Cambodian leaders") name the sides."""
    return (
        token.ent_type_ in _PLACES
        and "-" not in token.text
        and not token.conjuncts
        and token.dep_ == "compound"
    )


def _city_modifier(token: Token) -> bool:
    """A place modifier naming a city ("the Istanbul talks") is the venue; a country ("the
    Ukraine talks", "the Turkey talks") may be what the talks are about or where they are."""
    if not _place_modifier(token):
        return False
    entity = None
    if token.ent_type_:  # only then is it inside an entity: look in its sentence alone
        entity = next((e for e in token.sent.ents if e.start <= token.i < e.end), None)
    return not is_country_name(entity.text if entity is not None else token.text)


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    raw = packaged("actors/countries.yml")["countries"]
    return frozenset(n.lower() for c in raw for n in [c["name"], *c.get("variants", [])])


def is_country_name(text: str) -> bool:
    """ "Turkey" names a country, "Istanbul" a place in it: a country says less about where
    people met, and as a modifier ("the Ukraine talks") says what they met about."""
    return text.lower().removeprefix("the ") in _country_names()


def find_occasion(trigger: Token) -> Token | None:
    """The talks an event happened at: "agreed at the meeting in Istanbul", "during the
    third round of peace talks", "after a week of talks in Jeddah", and the talks a speaker
    comes from ("Speaking to reporters after 16 hours of talks, Putin said …")."""
    signing = _signing(trigger)
    if signing is not None:
        return signing
    preps = _words().occasion
    holders = [trigger, *trigger.ancestors]
    holders += [c for h in holders for c in h.children if c.dep_ == "advcl" and c not in holders]
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ != "prep" or prep.lower_ not in preps:
                continue
            for pobj in (g for g in prep.children if g.dep_ == "pobj"):
                of = [g for c in pobj.children if c.lower_ == "of" for g in c.children]
                for noun in (pobj, *of):
                    if noun.pos_ == "NOUN" and _is_topic_word(noun, "talks"):
                        return noun
                signed = [c for c in pobj.children if c.dep_ == "acl" and _signing(c)]
                if signed:
                    return signed[0]
    for prep in trigger.sent:
        if prep.dep_ == "prep" and prep.lower_ in _SETTINGS:
            for pobj in (g for g in prep.children if g.dep_ == "pobj"):
                of = [g for c in pobj.children if c.lower_ == "of" for g in c.children]
                talks = [n for n in (pobj, *of) if n.pos_ == "NOUN" and _is_topic_word(n, "talks")]
                if talks:
                    return talks[0]
    return None


def _signing(verb: Token) -> Token | None:
    """A signing that is a meeting: the verb "sign" with a document, and a place or a
    counterpart ("signed at the White House", "a deal signed with the Taliban in Doha")."""
    if _lemma(verb) != "sign":
        return None
    documents = _words().documents
    has_document = any(_lemma(c) in documents for c in verb.children if c.dep_ in {"dobj"})
    if not has_document and not (verb.dep_ == "acl" and _lemma(verb.head) in documents):
        return None
    meets = any(
        c.dep_ == "prep"
        and c.lower_ in {"with", "at", "in"}
        and any(g.ent_type_ in _PLACES or g.lower_ != "" for g in c.children if g.dep_ == "pobj")
        for c in verb.children
    )
    return verb if meets else None


def find_level(sent: Span) -> str | None:
    text = " " + " ".join(t.lower_ for t in sent) + " "
    for level, words in _words().levels:
        if any(f" {w} " in text or f" {w}s " in text for w in words):
            return level
    return None


def find_starts(sent: Span, word: Token, trigger: Token, published: date | None) -> str | None:
    """The day a ceasefire begins: "a ceasefire starting on Sunday", "a February 15 ceasefire",
    "will take effect from midnight on Monday". A weekday names the first such day after
    the agreement, not the one before it."""
    start_verbs = _words().start_verbs
    anchors = [
        t for t in word.subtree if t.i != word.i and _lemma(t) in start_verbs and t.head.i == word.i
    ]
    if any(c.ent_type_ == "DATE" and c.dep_ in _ADNOMINAL_DATE for c in word.children):
        anchors.append(word)
    if _lemma(word.head) in start_verbs and word.dep_ in {"nsubj", "nsubjpass"}:
        anchors.append(word.head)
    for anchor in anchors:
        iso, text, how = resolve_event_date(sent, anchor, published)
        if not text or iso is None:
            continue
        agreed, _text, _how = resolve_event_date(sent, trigger, published)
        if how == "relative" and agreed and iso < agreed and _text != text:
            iso = (date.fromisoformat(iso) + timedelta(days=7)).isoformat()
        return iso
    return None


def read_roles(
    sent: Span,
    trigger: Token,
    event_type: str,
    actors: list[ActorRef],
    resolve: Resolver,
    on: date | None,
) -> dict:
    """The role fields of the event ``trigger`` names (all empty for most events)."""
    mediator = find_mediator(sent, resolve, on, actors)
    if mediator is None and _lemma(trigger) in _words().after and actors:
        mediator = actors[0]
    base: dict = {"mediator": mediator} if mediator is not None else {}
    meeting = find_occasion(trigger)
    if meeting is not None:
        base.update(
            occasion="talks",
            venue=find_venue(sent, trigger, meeting),
            level=find_level(sent),
        )
        parties = find_parties(meeting, trigger, resolve, on)
        if _lemma(meeting) == "sign":
            parties = [*actors, *(p for p in parties if p.code not in {a.code for a in actors})]
        if parties:
            base["parties"] = parties
    found = find_topic(sent, trigger)
    mention = mentioned_talks(sent) if found is None else None
    if mention is not None:
        found, stage = ("talks", mention[0]), mention[1]
        base.setdefault("occasion", "mentioned")
    if found is None:
        return base
    topic, word = found
    if mention is None:
        stage = find_stage(trigger, word, event_type, topic)
    if stage is None:
        return base
    roles: dict = {**base, "topic": topic, "stage": stage}
    if topic == "exchange":
        released, receiving = read_release(sent, word, resolve, on, actors)
        roles["released"] = released
        roles["receiving"] = receiving
        codes = {r.by for r in released if r.by and r.by != "each"}
        roles["releasing"] = [a for a in actors if a.code in codes] or [
            ActorRef(text=code, code=code) for code in sorted(codes)
        ]
    parties = find_parties(word, trigger, resolve, on)
    if parties:
        roles["parties"] = parties
    if topic == "talks":
        roles["venue"] = find_venue(sent, trigger, word)
        roles["level"] = find_level(sent)
    if topic == "ceasefire":
        roles["starts"] = find_starts(sent, word, trigger, on)
        roles["scope"] = find_scope(word)
        roles["monitoring"] = find_monitoring(sent)
        roles["conditions"] = find_conditions(word, trigger)
    return roles


def find_scope(word: Token) -> list[str]:
    """What a ceasefire covers, by the words of its phrase: "an energy ceasefire", "a truce
    in the Black Sea", "a complete cessation of hostilities"."""
    nouns = [word, *(_hostilities(word) if _stop_word(word) else [])]
    words = {t.lower_ for n in nouns for t in n.subtree} | {
        _lemma(t) for n in nouns for t in n.subtree
    }
    return [name for name, cues in _words().scopes if words & cues]


def find_monitoring(sent: Span) -> str | None:
    """Who monitors or verifies a ceasefire: "monitored by the UN", "observers from the
    OSCE"."""
    tokens = list(sent)
    lowered = [t.lower_ for t in tokens]
    for pattern in _words().monitoring:
        for i in range(len(tokens) - len(pattern)):
            if tuple(lowered[i : i + len(pattern)]) != pattern:
                continue
            last = tokens[i + len(pattern) - 1]
            heads = [c for c in last.children if c.dep_ in {"pobj", "agent"}]
            head = heads[0] if heads else tokens[i + len(pattern)]
            return phrase(head).text
    return None


def find_conditions(word: Token, trigger: Token) -> list[str]:
    """What a ceasefire waits on: a condition clause (``conditions``: "if", "once",
    "provided", "only after" — "the truce would enter into force only after sanctions were
    lifted") or an "on condition that" phrase on the word, the trigger or the verb above."""
    holders = [word, trigger]
    for above in word.ancestors:
        holders.append(above)
        if above.pos_ in {"VERB", "AUX"}:
            break
    found: list[str] = []
    for holder in dict.fromkeys(holders):
        for child in holder.children:
            if is_condition(child) or condition_phrase(child):
                found.append(child.doc[child.left_edge.i : child.right_edge.i + 1].text)
    return found


_PLACES = frozenset({"GPE", "LOC", "FAC"})
_ADNOMINAL_DATE = frozenset({"compound", "nmod", "amod", "nummod"})
_HELP = frozenset({"assistance", "help", "support", "participation", "involvement"})
_VENUE_PREPS = frozenset({"in", "at"})
_MEETING_TYPES = frozenset({"CONSULT", "AGREE", "CONCEDE"})
"""Events that are a meeting, or agree to one, take place at its venue; one accusing or
urging someone while talks are mentioned still addresses that someone."""


def find_venue(sent: Span, trigger: Token, word: Token) -> str | None:
    """Where the meeting is: a place under "in"/"at" attached to the meeting word, the
    trigger or a verb between them ("held six hours of talks in Geneva", "will meet in
    Riyadh", "at the White House", "in the Saudi capital Riyadh", "in the British capital"
    → London)."""
    anchors = {trigger.i, word.i}
    for node in (word, trigger):
        for above in node.ancestors:
            anchors.add(above.i)
            if above.pos_ in {"VERB", "AUX"}:
                break
    modifiers = [
        c for noun in _meeting_nouns(word) for c in noun.children if c.dep_ in {"acl", "relcl"}
    ]
    # "talks set to take place in London": the clause the modifier runs into too
    modifiers += [c for m in modifiers for c in m.children if c.dep_ in {"xcomp", "advcl"}]
    anchors |= {m.i for m in modifiers}
    found: list[tuple[int, int, str]] = []
    described = [
        (sent.doc[t.i : t.i + 1], city)
        for t in sent
        if _lemma(t) == "capital" and (city := _capital_named(t)) is not None
    ]
    places = [(ent, ent.text) for ent in entities(sent) if ent.label_ in _PLACES]
    for ent, text in [*places, *described]:
        node = ent.root
        while node.dep_ in {"appos", "compound", "conj"} and node.head.i != node.i:
            node = node.head
        prep = node.head
        if node.dep_ != "pobj" or prep.lower_ not in _VENUE_PREPS:
            continue
        attached = prep.head
        while attached.dep_ == "pobj" and attached.head.lower_ in _VENUE_PREPS:
            attached = attached.head.head
        inside = word.pos_ == "NOUN" and word.left_edge.i <= prep.i <= word.right_edge.i
        rank = (
            0 if attached.i in anchors else 1 if inside or _is_topic_word(attached, "talks") else 2
        )
        found.append((rank, ent.start, text))
    nouns = [word, *(g for c in word.children if c.lower_ == "of" for g in c.children)]
    for child in (m for noun in nouns for m in _modifiers(noun)):
        if _city_modifier(child):
            found.append((1, child.i, child.text))
    if not found:
        return None
    rank, _start, text = min(found)
    return text if rank < 2 else None


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    """Demonym → capital: "the British capital" is London."""
    table: dict[str, str] = {}
    for country in packaged("actors/countries.yml")["countries"]:
        capitals = country.get("capitals") or []
        for demonym in country.get("demonyms", []) if capitals else []:
            table.setdefault(str(demonym).lower(), str(capitals[0]))
    return table


def _capital_named(noun: Token) -> str | None:
    """The city "the Saudi capital" stands for, unless the text names it ("the Saudi
    capital Riyadh" is read from the name)."""
    if any(c.dep_ == "appos" and c.ent_type_ in _PLACES for c in noun.children):
        return None
    for child in noun.children:
        if child.dep_ in {"amod", "compound", "nmod"} and child.lower_ in _capitals():
            return _capitals()[child.lower_]
    return None


def without_hosts(
    recipients: list[ActorRef],
    roles: dict,
    event_type: str,
    actors: Sequence[ActorRef],
    resolve: Resolver,
    on: date | None,
) -> list[ActorRef]:
    """Recipients minus the go-between and the meeting place: "reached an agreement *in
    Istanbul*", "signed *at the White House*", "talks *mediated by Qatar*" are where and
    through whom the parties acted, not to whom. The go-between is dropped only from a
    meeting: a pledge "to give the United States" rights is addressed to it. A party
    named by its own name ("met Putin in Moscow") stays: only a phrase naming the place,
    or one naming no party itself (a description the context filled from it), goes."""
    acting = {a.code for a in actors if a.code}
    mediator = roles.get("mediator")
    dropped = set()
    if mediator is not None and mediator.code and event_type == "CONSULT":
        dropped = {mediator.code} - acting
    venue = roles.get("venue")
    meeting = roles.get("occasion") == "talks" or (
        roles.get("topic") == "talks" and event_type in _MEETING_TYPES
    )
    place = resolve(venue, on) if venue and meeting else None
    if place is None and not dropped:
        return recipients
    venue_words = {w.lower() for w in (venue or "").split() if w[:1].isupper()}
    kept = []
    for ref in recipients:
        if ref.code in dropped:
            continue
        if place is not None and ref.code == place.code and ref.code not in acting:
            named = resolve(ref.text, on)
            if venue_words & {w.lower() for w in ref.text.split()} or (
                named is None or named.code != ref.code
            ):
                continue
        kept.append(ref)
    return kept
