"""Finding event triggers in a parsed sentence.

A trigger is a token whose lemma has lexicon entries and whose syntax satisfies an
entry's constraints (object, preposition). Triggers are then ranked by how central
they are to the sentence — news sentences usually report one main event, and the
verbs buried in relative clauses or "after the killing of…" adjuncts are background.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from spacy.tokens import Span, Token

from detente.coding.conditions import condition_mark, restricted
from detente.coding.lexicon import NAMED_OBJECT, Lexicon, TriggerEntry
from detente.coding.modality import is_reporting_verb, reporting_noun
from detente.coding.syntax import absolute_subject
from detente.data import packaged

OBJECT_DEPS = {"dobj", "obj", "attr", "oprd"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
COMPLEMENT_DEPS = {"xcomp", "ccomp"}
PRESENT_SIMPLE = {"VBZ", "VBP"}
BACKGROUND_DEPS = {"relcl", "acl", "advcl", "pcomp", "amod", "compound", "npadvmod", "appos"}
BACKGROUND_PREPS = {
    "after",
    "following",
    "during",
    "before",
    "since",
    "amid",
    "amidst",
    "despite",
    "because",
    "over",
    "of",
    "in",
    "for",
    "about",
    "against",
    "like",
    "by",
    "from",
    "through",
    "via",
}
LIGHT_HEAD_POS = {"VERB", "AUX"}
LIGHT_VERB_WEIGHT = 0.75
POS_OF_ENTRY = {"VERB": {"VERB"}, "NOUN": {"NOUN", "PROPN"}, "ADJ": {"ADJ"}}


@dataclass
class Trigger:
    token: Token
    entry: TriggerEntry
    salience: float
    object_token: Token | None = None
    absorbed: list[tuple[int, str, str | None]] = field(default_factory=list)
    """(distance in the tree, event type, mode) of the triggers this one embeds: "vowed to
    *attack*" → [(1, "ASSAULT", None)]."""
    concluded: bool = False
    """An agreement told as done by a participle (see ``_concluded_agreement``): an act of
    its own, neither absorbed by a verb above it nor crowding out the clause's own act."""

    @property
    def embedded_type(self) -> str | None:
        """The type of the closest embedded trigger, the act the embedding verb is about."""
        return min(self.absorbed, key=lambda a: a[0])[1] if self.absorbed else None

    @property
    def embedded_mode(self) -> str | None:
        """The mode of the closest embedded trigger ("promised to *withdraw*" → withdraw)."""
        return min(self.absorbed, key=lambda a: a[0])[2] if self.absorbed else None

    @property
    def confidence(self) -> float:
        return round(min(1.0, self.entry.weight * self.salience), 3)


@dataclass(frozen=True)
class Objects:
    """What a trigger acts on, split by how it attaches."""

    direct: frozenset[str]
    """Lemmas of the direct object (or passive subject) with its modifiers."""
    prepositional: frozenset[str]
    """Lemmas of objects of the trigger's prepositions and particles."""
    direct_token: Token | None
    prepositional_token: Token | None


def _phrase_lemmas(heads: list[Token]) -> set[str]:
    """Head lemmas plus compounds, adjectives and ``of``-complements ("state of emergency")."""
    lemmas: set[str] = set()
    for head in heads:
        for t in (head, *head.conjuncts):
            lemmas.add(t.lemma_.lower())
            lemmas.add(t.lower_)
            if t.pos_ == "PROPN" and t.lower_.endswith("s"):
                # Title case ("sign Bilateral Agreements") leaves plurals unlemmatised.
                lemmas.add(t.lower_[:-1])
            for child in t.children:
                if child.dep_ in {"compound", "amod", "nmod"}:
                    lemmas.add(child.lemma_.lower())
                elif child.dep_ == "prep" and child.lower_ == "of":
                    for g in (g for g in child.children if g.dep_ == "pobj"):
                        lemmas.update((g.lemma_.lower(), g.lower_))
    return lemmas


def object_lemmas(token: Token) -> Objects:
    """The trigger's direct and prepositional objects (passive subjects count as direct)."""
    if token.dep_ in {"xcomp", "conj"} and token.pos_ != "VERB":
        return Objects(frozenset(), frozenset(), None, None)
    direct = [
        c
        for c in token.children
        if c.dep_ in OBJECT_DEPS or c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "acomp"
    ]
    direct.extend(c for c in token.children if c.dep_ == "xcomp" and c.pos_ in {"NOUN", "PROPN"})
    predicate = [c for c in direct if c.dep_ == "oprd" and c.pos_ in {"NOUN", "ADJ", "PROPN"}]
    if predicate:
        # "called the truce a breakthrough": the verb judges its object; the judgement, not
        # the thing judged, says what the act is (no "calling a truce" here).
        direct = predicate
    if token.dep_ == "acl" and token.tag_ == "VBN" and not direct:
        direct.append(token.head)  # "the agreement signed on Tuesday", "prisoners freed by X"
    absolute = absolute_subject(token) if not direct else None
    if absolute is not None:
        direct.append(absolute)  # "with an agreement reached"
    direct = [s for s in map(_stranded_theme, direct) if s is not None] + direct
    preps = [c for c in token.children if c.dep_ in {"prep", "prt", "dative"}]
    preps += [g for p in preps for g in p.children if g.dep_ == "prep"]  # "pull out *of*"
    prepositional = [g for prep in preps for g in prep.children if g.dep_ == "pobj"]
    return Objects(
        frozenset(_phrase_lemmas(direct)),
        frozenset(_phrase_lemmas(prepositional)),
        direct[0] if direct else None,
        prepositional[0] if prepositional else None,
    )


@lru_cache(maxsize=1)
def _double_object_verbs() -> frozenset[str]:
    return frozenset(map(str, packaged("constructions.yml").get("double_object_verbs", [])))


def _stranded_theme(obj: Token) -> Token | None:
    """ "granted the five Iranians awaiting trial clemency", "granted the two men held in
    Texas clemency": the parser hangs the second object of a verb of giving inside the
    participle clause on the first; the noun that ends that clause is the thing given."""
    verb = obj.head
    if obj.dep_ != "dobj" or verb.lemma_.lower() not in _double_object_verbs():
        return None
    if any(c.dep_ == "dative" for c in verb.children):
        return None  # "gave the Ukrainian side a memorandum consisting of two parts"
    if not any(c.dep_ == "acl" for c in obj.children):
        return None
    last = obj.doc[obj.right_edge.i]
    if last.i == obj.i or last.pos_ != "NOUN" or last.dep_ not in {"dobj", "pobj"}:
        return None
    return last


def subject_lemmas(token: Token) -> frozenset[str]:
    """The trigger's subject with its modifiers ("two of the prisoners arrived"), or the
    noun a participle describes ("prisoners headed home")."""
    subjects = [c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if not subjects and token.dep_ in {"acl", "relcl"}:
        subjects = [token.head]
    if not subjects and token.dep_ == "conj":
        subjects = [c for c in token.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return frozenset(_phrase_lemmas(subjects))


PARTICLE_DEPS = {"prep", "prt", "agent", "dative", "advmod"}


def _particles(token: Token) -> set[str]:
    """Prepositions and particles of a phrasal verb ("stepped down", "called off")."""
    found = {c.lower_ for c in token.children if c.dep_ in PARTICLE_DEPS}
    for clause in (c for c in token.children if c.dep_ in COMPLEMENT_DEPS | {"advcl"}):
        # "called for the banks to be reconnected": "for" marks the complement clause.
        found |= {m.lower_ for m in clause.children if m.dep_ == "mark" and m.i < clause.i}
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if nxt is not None and nxt.pos_ in {"ADP", "SCONJ"} and dominated_by(nxt, token):
        # "called for those banks to be re-connected": a split word can leave the particle
        # hanging from a deeper verb of the complement; right after the verb it is still its.
        found.add(nxt.lower_)
    return found


def match_entry(
    token: Token, entries: tuple[TriggerEntry, ...]
) -> tuple[TriggerEntry, Token | None] | None:
    """The best entry whose constraints hold; constrained entries win over bare ones."""
    objects = object_lemmas(token)
    particles = _particles(token)
    best: tuple[float, TriggerEntry] | None = None
    for entry in entries:
        if (
            token.pos_ not in POS_OF_ENTRY.get(entry.pos, {entry.pos})
            and not (
                entry.pos == "VERB" and token.dep_ == "ROOT" and token.pos_ in {"NOUN", "PROPN"}
            )
            and not (
                # "miners have been on strike": a copula heading its clause is the verb
                entry.pos == "VERB" and token.pos_ == "AUX" and token.dep_ not in {"aux", "auxpass"}
            )
        ):
            continue
        # A preposition constraint lets its object satisfy the object constraint ("put
        # forces on alert"); otherwise only a direct object does ("called for a
        # ceasefire" is not "called a ceasefire").
        lemmas = objects.direct | objects.prepositional if entry.prep else objects.direct
        if entry.obj is not None and not (
            lemmas & entry.obj
            or ("null" in entry.obj and not lemmas)
            or (NAMED_OBJECT in entry.obj and _named(objects.direct_token))
        ):
            continue
        if entry.prep is not None and not particles & entry.prep:
            continue
        if entry.comp and complement(token) is None:
            continue
        if entry.subj is not None and not subject_lemmas(token) & entry.subj:
            continue
        rank = (
            entry.weight
            + (0.5 if entry.obj is not None else 0.0)
            + (0.3 if entry.prep is not None else 0.0)
            + (0.5 if entry.subj is not None else 0.0)
        )
        if best is None or rank > best[0]:
            best = (rank, entry)
    if best is None:
        return None
    entry = best[1]
    theme = objects.direct_token or (objects.prepositional_token if entry.prep else None)
    return entry, theme


def _measure(token: Token, measure_nouns: frozenset[str]) -> bool:
    return token.head.head.lemma_.lower() in measure_nouns


def _counted(token: Token, measure_nouns: frozenset[str]) -> bool:
    """ "three days of talks", "a fourth round of negotiations": a measure with a number."""
    if not (token.dep_ == "pobj" and token.head.lower_ == "of" and _measure(token, measure_nouns)):
        return False
    measure = token.head.head
    return any(
        c.dep_ == "nummod"
        or (c.dep_ == "amod" and c.tag_ == "JJ" and c.lower_.endswith("th"))
        or c.lower_ in {"first", "second", "third"}
        for c in measure.children
    )


def _named(token: Token | None) -> bool:
    return token is not None and token.pos_ == "PROPN"


def complement(token: Token) -> Token | None:
    """The clause or infinitive the trigger takes ("declined *to comment*")."""
    return next((c for c in token.children if c.dep_ in COMPLEMENT_DEPS), None)


def salience(
    token: Token,
    light_verbs: frozenset[str] = frozenset(),
    measure_nouns: frozenset[str] = frozenset(),
) -> float:
    """How central the token is: 1.0 for the main verb, less for each level of embedding.

    Reporting and complement-taking verbs do not lower salience much (the content of
    "X said Y attacked Z" is the news); relative clauses and adverbial adjuncts do.
    """
    value, current = 1.0, token
    while current.dep_ != "ROOT" and current.head.i != current.i:
        dep = current.dep_
        if dep in COMPLEMENT_DEPS or dep == "conj":
            value *= 0.92
        elif dep == "relcl" and is_reporting_verb(current):
            # "said Lavrov, who added that both sides had agreed": a statement of its own, as
            # central as the sentence's main one.
            break
        elif dep == "relcl" and _about_a_named_person(current):
            # "Zelensky, who had held long negotiations with Putin": what a named person did,
            # told in passing, is still news about a party.
            value *= 0.85
        elif dep in BACKGROUND_DEPS:
            value *= 0.55
        elif dep == "pobj" and current.head.lower_ == "of" and _measure(current, measure_nouns):
            value *= 1.0  # "six hours of talks": the measure stands for the talks
        elif dep == "pobj" and current.head.lower_ in BACKGROUND_PREPS:
            value *= 0.6
        elif dep in OBJECT_DEPS and current.head.lemma_.lower() in light_verbs:
            value *= 1.0  # "made an offer": the noun is the verb's event
        elif dep in OBJECT_DEPS or dep in {"nsubj", "nsubjpass"}:
            value *= 0.85
        else:
            value *= 0.8
        current = current.head
    return value


def _about_a_named_person(verb: Token) -> bool:
    """A "who" clause on a name: "Zelensky, who met Putin in Paris"."""
    return verb.head.pos_ == "PROPN" and any(
        c.lower_ == "who" and c.dep_ == "nsubj" for c in verb.children
    )


def find_triggers(sent: Span, lexicon: Lexicon) -> list[Trigger]:
    """Every token of ``sent`` that matches a lexicon entry, with its salience."""
    found: list[Trigger] = []
    for token in sent:
        if token.is_punct or token.is_stop and token.lemma_.lower() not in lexicon.entries:
            continue
        entries = lexicon.lookup_token(token.lemma_.lower(), token.lower_)
        joined = _hyphen_compound(token)
        if joined:
            entries = lexicon.lookup_token(joined, joined) or entries
        if not entries:
            continue
        matched = match_entry(token, entries)
        if matched is None:
            continue
        entry, obj_token = matched
        if entry.pos != "VERB" and not _nominal_allowed(token, lexicon):
            continue
        if (
            _attribute(token, entry)
            or _no_act(token, entry, lexicon)
            or _standing_relation(token, entry, lexicon)
            or _tally(token, lexicon)
            or _welcome(token, entry, lexicon)
        ):
            continue
        if entry.pos != "VERB" and _carried_by_light_verb(token, lexicon):
            # "held talks", "issued a warning": as firm an act as the verb "talked".
            entry = replace(entry, weight=max(entry.weight, LIGHT_VERB_WEIGHT))
        weight = salience(token, lexicon.light_verbs, lexicon.measure_nouns)
        report = reporting_noun(token)
        if report is not None:
            # "reports of continued fighting": the report stands where the event would.
            entry = replace(entry, weight=max(entry.weight, LIGHT_VERB_WEIGHT))
            weight = max(weight, salience(report, lexicon.light_verbs, lexicon.measure_nouns))
        if entry.event_type == "CONSULT" and _counted(token, lexicon.measure_nouns):
            # "during six hours of talks", "at a fourth round of talks": counted sessions
            # were held, an event beside the clause's own ("reached a deal").
            entry = replace(entry, weight=max(entry.weight, LIGHT_VERB_WEIGHT))
            weight = max(weight, 1.0)
        concluded = _concluded_agreement(token, entry, lexicon)
        if concluded:
            weight = max(weight, 1.0)
        found.append(Trigger(token, entry, weight, obj_token, concluded=concluded))
    return found + _conditions(sent, lexicon) + _bad_faith(sent, lexicon)


CONCLUDING_TYPES = frozenset({"AGREE", "SUPPORT", "CONSULT"})


def _concluded_agreement(token: Token, entry: TriggerEntry, lexicon: Lexicon) -> bool:
    """ "after a deal was struck between A and B", "with an agreement reached", "in a deal
    signed with the Taliban", "a deal negotiated in secrecy": a participle that completes an
    agreement noun — on it, or with it as passive subject — tells of the agreement as done,
    as central to the news as the clause it is tucked into."""
    if entry.event_type not in CONCLUDING_TYPES:
        return False
    if token.tag_ != "VBN" and absolute_subject(token) is None:
        return False
    if any(
        c.dep_ in {"aux", "auxpass"} and (c.lower_ == "to" or c.tag_ in {"MD", "VB"})
        for c in token.children
    ) or _unreal(token):
        return False  # "for a settlement to be reached", "if no deal is reached"
    if token.dep_ == "acl":
        nouns = [token.head]
    else:
        nouns = [c for c in token.children if c.dep_ == "nsubjpass"]
        nouns += [n for n in (absolute_subject(token),) if n is not None]
    return any(
        n.lemma_.lower() in lexicon.agreement_nouns and n.tag_ == "NN" and _indefinite(n)
        for n in nouns
    )


def _indefinite(noun: Token) -> bool:
    """ "*a* deal was struck" brings the agreement in as news; "*the* grain deal brokered by
    Turkey", "*any* settlement reached", "*no* agreement was reached" name one known, open
    or denied."""
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ == "NOUN":
        noun = noun.head.head  # "a cessation of hostilities agreement", parsed apart
    return any(c.dep_ == "det" and c.lower_ in {"a", "an"} for c in noun.children)


def _speaker(token: Token) -> Token | None:
    """The verb of saying whose complement holds ``token``'s clause ("Kyiv said [it appears]
    Russia is stalling"), climbing infinitives, coordination and hedging clauses."""
    current = token
    for _ in range(4):
        while current.dep_ in {"xcomp", "conj", "acomp"} and current.head.i != current.i:
            current = current.head
        if current.dep_ not in {"ccomp", "parataxis"} or current.head.i == current.i:
            return None
        if is_reporting_verb(current.head):
            return current.head
        current = current.head
    return None


def _bad_faith(sent: Span, lexicon: Lexicon) -> list[Trigger]:
    """ "Umerov said the Russians are stalling for time": a party's report of another's bad
    faith or failure is its accusation (ACCUSE on the verb of saying, whose complement's
    subject is the accused)."""
    found: list[Trigger] = []
    for token in sent:
        clause = _bad_faith_clause(token, lexicon)
        if clause is None or _unreal(clause):
            continue
        speaker = _speaker(clause)
        if speaker is not None and not any(t.token.i == speaker.i for t in found):
            entry = TriggerEntry(
                "ACCUSE", speaker.lemma_.lower(), mode="disapprove", embeds=True, weight=0.75
            )
            found.append(Trigger(speaker, entry, salience(speaker, lexicon.light_verbs)))
    return found


def _bad_faith_clause(token: Token, lexicon: Lexicon) -> Token | None:
    """The verb of a clause of bad faith ("are *stalling*", "*buying* time") or of a named
    party's failure ("the Russians have *been* unable to")."""
    lemma = token.lemma_.lower()
    phrases = lexicon.bad_faith_phrases or {}
    if token.pos_ == "VERB" and lemma in lexicon.bad_faith_verbs:
        return token
    if token.pos_ == "VERB" and lemma in phrases:
        return None if object_lemmas(token).direct.isdisjoint(phrases[lemma]) else token
    if lemma in lexicon.failure_words:
        holder = token.head if token.dep_ == "acomp" else token
        subjects = [c for c in holder.children if c.dep_ in {"nsubj", "nsubjpass"}]
        return holder if any(s.pos_ == "PROPN" for s in subjects) else None
    return None


UNREAL_MARKERS = frozenset({"if", "unless", "lest", "whether"})


def _unreal(token: Token) -> bool:
    """A clause put as a condition or possibility, or denied ("if they fail to", "could
    stall", "we are not bluffing": a warning, not a charge)."""
    return any(
        (c.dep_ == "mark" and c.lower_ in UNREAL_MARKERS)
        or (c.dep_ == "aux" and c.tag_ == "MD")
        or c.dep_ == "neg"
        for c in token.children
    )


def _conditions(sent: Span, lexicon: Lexicon) -> list[Trigger]:
    """ "Russia said the truce would only take effect after sanctions were lifted": a condition
    restricted by "only" inside reported speech is the speaker's demand (a REQUEST on the verb
    of saying, beside the conditioned act). Which clauses are conditions: ``conditions``."""
    found: list[Trigger] = []
    for clause in sent:
        mark = condition_mark(clause)
        if mark is None or not restricted(clause, mark):
            continue
        current = clause.head
        while current.dep_ in {"xcomp", "conj"} and current.head.i != current.i:
            current = current.head
        speaker = current.head
        if current.dep_ == "ccomp" and is_reporting_verb(speaker):
            # The conditioned act stays an event of its own (its record carries the condition).
            entry = TriggerEntry("REQUEST", speaker.lemma_.lower(), weight=0.55)
            found.append(Trigger(speaker, entry, salience(speaker, lexicon.light_verbs)))
    return found


def _attribute(token: Token, entry: TriggerEntry) -> bool:
    """ "the besieged town", "the jailed opposition leader", "occupied territories": a
    participle before its noun names a standing state of the thing, not an act of the news.
    People released are the exception: "the freed hostages" tells of their release."""
    return (
        entry.pos == "VERB"
        and entry.event_type != "RETREAT"
        and token.dep_ in {"amod", "compound"}
        and token.tag_ == "VBN"
        and token.i < token.head.i
    )


def _hyphen_compound(token: Token) -> str | None:
    """ "cease-fire", "pull-out": the tokenizer splits them, the lexicon lists them whole."""
    doc, i = token.doc, token.i
    if i >= 2 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_:
        first = doc[i - 2]
        if not first.whitespace_:
            return f"{first.lower_}-{token.lower_}"
    return None


def _carried_by_light_verb(token: Token, lexicon: Lexicon) -> bool:
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "of" and _measure(token, lexicon.measure_nouns):
        token, head = head.head, head.head.head
    return token.dep_ in OBJECT_DEPS and head.lemma_.lower() in lexicon.light_verbs


def _no_act(token: Token, entry: TriggerEntry, lexicon: Lexicon) -> bool:
    """ "declined to comment", "refused to elaborate": withholding words is not a refusal
    of anything; likewise an embedding verb whose only complement is such a verb."""
    if entry.event_type != "REJECT" or not entry.embeds:
        return False
    comp = complement(token)
    return comp is not None and comp.lemma_.lower() in lexicon.non_acts


def _standing_relation(token: Token, entry: TriggerEntry, lexicon: Lexicon) -> bool:
    """ "Tehran backs the Houthis": a simple-present state verb with a party as object
    describes a standing alignment, background to the news rather than an event. With an
    event or proposal as object ("backs the plan") or any auxiliary it stays an act.
    Likewise a present passive of a state participle: "troops are deployed in the south"."""
    if token.lemma_.lower() in lexicon.present_states and token.tag_ == "VBN":
        passive = [c for c in token.children if c.dep_ == "auxpass"]
        return (
            bool(passive)
            and all(c.tag_ in PRESENT_SIMPLE for c in passive)
            and not any(c.dep_ == "aux" for c in token.children)
        )
    if token.lemma_.lower() not in lexicon.state_verbs or token.tag_ not in PRESENT_SIMPLE:
        return False
    if any(c.dep_ in {"aux", "auxpass", "neg"} for c in token.children):
        return False
    obj = next((c for c in token.children if c.dep_ in OBJECT_DEPS), None)
    return obj is not None and (
        obj.pos_ == "PROPN"
        or any(c.pos_ == "PROPN" for c in obj.children if c.dep_ in {"compound", "amod"})
    )


def _welcome(token: Token, entry: TriggerEntry, lexicon: Lexicon) -> bool:
    """ "met the eight returnees at the airport": meeting released people is a welcome."""
    return entry.event_type == "CONSULT" and any(
        c.dep_ in OBJECT_DEPS and c.lemma_.lower() in lexicon.released_people
        for c in token.children
    )


def _tally(token: Token, lexicon: Lexicon) -> bool:
    """ "During five years of fighting, Russia has released only seven prisoners": a present
    perfect over a span of months or years sums up a period, background to the news."""
    perfect = token.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lemma_ == "have" and c.tag_ in PRESENT_SIMPLE for c in token.children
    )
    if not perfect:
        return False
    for prep in (c for c in token.children if c.dep_ == "prep"):
        if prep.lower_ not in lexicon.aggregate_prepositions:
            continue
        for word in (c for c in prep.children if c.dep_ == "pobj"):
            if word.lemma_.lower() in lexicon.aggregate_spans and (
                word.tag_ == "NNS" or any(c.dep_ in {"nummod", "amod"} for c in word.children)
            ):
                return True
    return False


def _nominal_allowed(token: Token, lexicon: Lexicon) -> bool:
    """Nouns and adjectives name events when a light verb carries them, an occurrence verb
    has them as subject, or they head the clause (headlines); see data/constructions.yml."""
    if token.dep_ == "ROOT":
        return True
    head = token.head
    if token.pos_ == "ADJ" and token.dep_ in {"acomp", "xcomp", "ccomp", "oprd", "amod"}:
        return head.pos_ in LIGHT_HEAD_POS
    if token.dep_ in OBJECT_DEPS:
        return head.lemma_.lower() in lexicon.light_verbs
    if token.dep_ in {"nsubj", "nsubjpass"}:
        # "talks began", "the truce held"; but "talks were a cornerstone" classifies them.
        predicates = [c for c in head.children if c.dep_ in {"attr", "acomp"}]
        return head.lemma_.lower() in lexicon.occurrence_verbs and all(
            c.dep_ == "attr" and c.lemma_.lower() in lexicon.occasion_nouns for c in predicates
        )
    if token.dep_ == "compound" and head.dep_ in OBJECT_DEPS:
        return head.head.lemma_.lower() in lexicon.light_verbs
    if (
        token.dep_ == "pobj"
        and head.lower_ == "of"
        and head.head.lemma_.lower() in (lexicon.measure_nouns)
    ):
        # "held six hours of talks", "after 16 hours of talks": the measure carries the event.
        measure = head.head
        return measure.dep_ not in {"nsubj", "nsubjpass"} or (
            measure.head.lemma_.lower() in lexicon.occurrence_verbs
        )
    if reporting_noun(token) is not None:
        return True  # "there were reports from both sides of continued fighting"
    return (
        token.dep_ == "pobj"
        and head.dep_ in {"prep", "agent"}
        and head.head.pos_ == "VERB"
        and head.lower_ in {"to", "for", "into"}
    )


def dominated_by(token: Token, ancestor: Token) -> bool:
    return any(a.i == ancestor.i for a in token.ancestors)


def _stopped_between(token: Token, ancestor: Token, cessation_verbs: frozenset[str]) -> bool:
    """Is there a verb of stopping between an embedded act and its embedder ("agreed to *end*
    the shelling")? The promise is then one of de-escalation, as is one whose embedded act is
    itself a stopping ("agreed to *ban* strikes")."""
    for a in token.ancestors:
        if a.i == ancestor.i:
            return False
        if a.lemma_.lower() in cessation_verbs:
            return True
    return False


def select_triggers(
    triggers: list[Trigger], cessation_verbs: frozenset[str] = frozenset()
) -> list[Trigger]:
    """Drop triggers absorbed by an embedding trigger and keep the central ones.

    "agreed to withdraw" is AGREE only; a constrained match on the same token beats a
    weaker one; a light verb carrying an event noun ("held talks") keeps only the
    stronger of the two.
    """
    kept: list[Trigger] = []
    by_token = sorted(triggers, key=lambda t: -t.confidence)
    for trig in by_token:
        if any(k.token.i == trig.token.i for k in kept):
            continue
        embedders = [
            k
            for k in by_token
            if k.token.i != trig.token.i
            and k.entry.embeds
            and not trig.concluded
            and dominated_by(trig.token, k.token)
            and _via_complement(trig.token, k.token)
        ]
        if embedders:
            for k in embedders:
                distance = next(
                    n for n, a in enumerate(trig.token.ancestors, 1) if a.i == k.token.i
                )
                stopped = trig.token.lemma_.lower() in cessation_verbs or _stopped_between(
                    trig.token, k.token, cessation_verbs
                )
                k.absorbed.append(
                    (distance, "RETREAT", None)
                    if stopped
                    else (distance, trig.entry.event_type, trig.entry.mode)
                )
            continue
        if any(trig.token.head.i == k.token.i and trig.entry.pos != "VERB" for k in kept):
            continue
        if any(k.token.head.i == trig.token.i and k.entry.pos != "VERB" for k in kept):
            continue
        kept.append(trig)
    if not kept:
        return kept
    top = max((t.confidence for t in kept if not t.concluded), default=kept[0].confidence)
    return [
        t
        for t in kept
        if t.concluded
        or t.confidence >= 0.75 * top
        or _independent_clause(t.token)
        or _framed_act(t)
    ]


TIME_CLAUSE_MARKERS = frozenset({"when"})
"""A "when" clause states a second act of the same moment; "after", "before" and "since"
clauses give an earlier or later act as background, which PLOVER leaves uncoded."""


def _framed_act(trigger: Trigger) -> bool:
    """ "… was arrested when his jet *was shot down* by X": a finite "when" clause with its own
    subject states an act of its own; kept when the lexicon matched it through its object (a
    specific reading, not a bare verb)."""
    token = trigger.token
    return (
        token.pos_ == "VERB"
        and token.dep_ == "advcl"
        and trigger.entry.obj is not None
        and trigger.entry.event_type not in {"REQUEST", "ACCUSE"}
        and any(c.dep_ in {"nsubj", "nsubjpass"} for c in token.children)
        and any(
            c.lower_ in TIME_CLAUSE_MARKERS
            for c in token.children
            if c.dep_ in {"mark", "advmod"} and c.i < token.i
        )
    )


def _independent_clause(token: Token) -> bool:
    """A verb heading its own main clause ("A hosted talks, and B imposed sanctions")."""
    if token.pos_ != "VERB":
        return False
    if token.dep_ == "ROOT":
        return True
    return (
        token.dep_ == "conj"
        and token.head.dep_ == "ROOT"
        and any(c.dep_ in {"nsubj", "nsubjpass"} for c in token.children)
    )


def _via_complement(token: Token, ancestor: Token) -> bool:
    """Is ``token`` inside a complement clause or object of ``ancestor`` (not an adjunct)?"""
    current = token
    while current.head.i != ancestor.i and current.head.i != current.i:
        current = current.head
    return current.dep_ in COMPLEMENT_DEPS | OBJECT_DEPS | {
        "prep",
        "dobj",
        "advcl",
        "conj",
        "acl",
    } and not (current.dep_ == "conj" and current.pos_ == "VERB")
