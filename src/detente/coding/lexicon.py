"""The verb/phrase lexicon (``data/verbs.yml``) compiled into lookup tables.

Compilation happens once: entries are indexed by lemma so that matching a token is a
dictionary lookup, and every inflected form is precomputed for the pre-filter that
decides which sentences deserve a dependency parse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from detente.coding.modality import cue_sets
from detente.data import from_path, packaged

DEFAULT_WEIGHT = 0.7
NAMED_OBJECT = "@name"
"""An ``obj`` value standing for any proper-noun object: "received *Erdogan*"."""


@dataclass(frozen=True)
class TriggerEntry:
    event_type: str
    lemma: str
    pos: str = "VERB"
    obj: frozenset[str] | None = None
    """Object lemmas that must be present; ``"null"`` in the set also allows no object."""
    prep: frozenset[str] | None = None
    mode: str | None = None
    context: tuple[str, ...] = ()
    embeds: bool = False
    weight: float = DEFAULT_WEIGHT
    subj: frozenset[str] | None = None
    """Subject lemmas that must be present: "prisoners *arrived*" is a release, "envoys
    arrived" is not."""
    comp: bool = False
    """The trigger fires only with a clause or infinitive complement: "allowed them *to
    leave*", "declined *to sign*" (bare "exports declined" is no act)."""

    @property
    def constrained(self) -> bool:
        return self.obj is not None or self.prep is not None or self.comp or self.subj is not None


@dataclass(frozen=True)
class Lexicon:
    entries: dict[str, tuple[TriggerEntry, ...]]
    surface_forms: frozenset[str]
    mode_cues: dict[str, dict[str, frozenset[str]]]
    context_cues: dict[str, frozenset[str]]
    light_verbs: frozenset[str] = frozenset()
    occurrence_verbs: frozenset[str] = frozenset()
    non_acts: frozenset[str] = frozenset()
    """Complements that make a refusal no act: "declined *to comment*"."""
    state_verbs: frozenset[str] = frozenset()
    """Verbs that in the simple present describe a standing relation, not an event."""
    measure_nouns: frozenset[str] = frozenset()
    present_states: frozenset[str] = frozenset()
    aggregate_spans: frozenset[str] = frozenset()
    aggregate_prepositions: frozenset[str] = frozenset()
    commitment_verbs: frozenset[str] = frozenset()
    released_people: frozenset[str] = frozenset()
    cessation_verbs: frozenset[str] = frozenset()
    """ "ban", "end", "halt": an act embedded under them is stopped, not done or threatened."""
    """Participles that after a present "is/are" describe a state: "troops are deployed"."""
    """ "three days *of* talks", "a round *of* negotiations": the event noun is their complement."""
    condition_markers: frozenset[str] = frozenset()
    """ "only *after* sanctions are lifted": subordinators of a condition (the pre-filter's
    view of ``constructions.yml`` ``conditions``; the clauses are read by ``conditions``)."""
    restrictive_adverbs: frozenset[str] = frozenset()
    """ "*only* after": what turns a time clause into a condition."""
    bad_faith_verbs: frozenset[str] = frozenset()
    """ "Russia is *stalling*": reported by another party, an accusation."""
    bad_faith_phrases: dict[str, frozenset[str]] | None = None
    """ "*buying time*", "*dragging* its *feet*": verb → objects."""
    failure_words: frozenset[str] = frozenset()
    courts: frozenset[str] = frozenset()
    """ "the *court* jailed …": arrest verbs whose doer passes a sentence."""
    occasion_nouns: frozenset[str] = frozenset()
    agreement_nouns: frozenset[str] = frozenset()
    """ "after a *deal* was struck", "a *deal* signed with": nouns whose completion by a
    participle is news of its own, wherever the clause sits."""
    """ "the talks were the first *contact* between …": an event noun equated with an occasion."""
    construction_forms: frozenset[str] = frozenset()
    """Forms of the words of bad faith the reported-speech construction needs beside a verb
    of saying; the pre-filter parses a sentence holding both (or "only", a condition marker
    and a verb of saying: the condition construction)."""
    reporting_forms: frozenset[str] = frozenset()
    free_forms: frozenset[str] = frozenset()
    """Forms of triggers with an entry that fires on the word alone."""
    paired_forms: dict[str, frozenset[str]] | None = None
    """Forms of constrained triggers → the object forms or particles one of which must
    co-occur ("stand by", "open … border")."""
    common_forms: frozenset[str] = frozenset()
    """Free forms whose everyday senses fill ordinary news (``data/prefilter.yml``): the
    pre-filter wants a second cue beside them (see ``EventCoder``)."""
    form_lemmas: dict[str, tuple[str, ...]] | None = None
    """Inflected form → trigger lemmas, to recover from lemmatizer errors ("staged" → "stag")."""

    def lookup(self, lemma: str) -> tuple[TriggerEntry, ...]:
        return self.entries.get(lemma, ())

    def may_fire(self, tokens: set[str]) -> bool:
        """Cheap test on lower-cased token texts: could any entry fire in this sentence?"""
        if not tokens.isdisjoint(self.reporting_forms) and (
            not tokens.isdisjoint(self.construction_forms)
            or not (
                tokens.isdisjoint(self.restrictive_adverbs)
                or tokens.isdisjoint(self.condition_markers)
            )
        ):
            return True
        paired = self.paired_forms or {}
        for token in tokens:
            if token in self.free_forms and token not in self.common_forms:
                return True
            objects = paired.get(token)
            if objects and not objects.isdisjoint(tokens):
                return True
        return False

    def lookup_token(self, lemma: str, lower: str) -> tuple[TriggerEntry, ...]:
        """Entries for a token: by its lemma, its surface form, or the lemma its form inflects."""
        keys = dict.fromkeys((lemma, lower, *(self.form_lemmas or {}).get(lower, ())))
        return tuple(e for key in keys for e in self.entries.get(key, ()))


def _data(name: str) -> dict:
    return packaged(name) or {}


def _as_set(value) -> frozenset[str] | None:
    if value is None:
        return None
    values = value if isinstance(value, list) else [value]
    return frozenset("null" if v is None else str(v).lower() for v in values)


def _entries(verbs: dict) -> dict[str, list[TriggerEntry]]:
    index: dict[str, list[TriggerEntry]] = {}
    for event_type, items in verbs.items():
        for item in items:
            lemmas = item["lemma"] if isinstance(item["lemma"], list) else [item["lemma"]]
            context = item.get("context") or []
            for lemma in lemmas:
                entry = TriggerEntry(
                    event_type=event_type,
                    lemma=str(lemma).lower(),
                    pos=item.get("pos", "VERB"),
                    obj=_as_set(item.get("obj")),
                    prep=_as_set(item.get("prep")),
                    mode=item.get("mode"),
                    context=tuple(context if isinstance(context, list) else [context]),
                    embeds=bool(item.get("embeds", False)),
                    weight=float(item.get("weight", DEFAULT_WEIGHT)),
                    comp=bool(item.get("comp", False)),
                    subj=_as_set(item.get("subj")),
                )
                index.setdefault(entry.lemma, []).append(entry)
    return index


def inflections(lemma: str) -> set[str]:
    """Regular English inflections; over-generation is harmless for a pre-filter."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + "ing", lemma + "d"}
    if lemma.endswith("y") and len(lemma) > 2:
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


def word_forms(lemmas: Iterable[str], irregular: dict | None = None) -> frozenset[str]:
    """Every form of ``lemmas``: regular inflections and those of ``irregular_verbs.yml``."""
    irregular = _data("irregular_verbs.yml") if irregular is None else irregular
    forms: set[str] = set()
    for lemma in lemmas:
        forms |= inflections(lemma) | {form.lower() for form in irregular.get(lemma, [])}
    return frozenset(forms)


def co_occurring(entry: TriggerEntry) -> frozenset[str] | None:
    """Words one of which a sentence must contain for ``entry`` to fire, or None when the
    trigger fires alone. The matcher (``triggers.match_entry``) needs the object when
    one is listed (without ``null``) and else a listed particle, and both are tokens of
    the sentence."""
    if entry.obj is not None and not {"null", NAMED_OBJECT} & entry.obj:
        return frozenset(f for o in entry.obj for f in inflections(o))
    if entry.subj is not None and entry.prep is None:
        return frozenset(f for o in entry.subj for f in inflections(o))
    if entry.prep is not None:
        # a bare object slot ("null", "@name") with a particle still needs the particle
        # ("reach *out*", "call *for*"); listed objects beside it count too
        named = {f for o in entry.obj or () for f in inflections(o)}
        return frozenset(entry.prep) | named
    return None


def compile_lexicon(
    verbs: dict,
    irregular: dict,
    modes: dict,
    contexts: dict,
    constructions: dict | None = None,
    common: Iterable[str] = (),
) -> Lexicon:
    index = _entries(verbs)
    surface: set[str] = set()
    free: set[str] = set()
    paired: dict[str, set[str]] = {}
    form_lemmas: dict[str, set[str]] = {}
    common_forms = word_forms(common, irregular)
    for lemma, entries in index.items():
        forms = word_forms([lemma], irregular)
        surface |= forms
        for form in forms:
            form_lemmas.setdefault(form, set()).add(lemma)
        needs = {e: co_occurring(e) for e in entries}
        if any(n is None for n in needs.values()):
            free |= forms
        for form in forms:
            # a common word's second cue must be an object: "to" or "for" is no cue at all
            usable = [
                n for e, n in needs.items() if n is not None and (form not in common_forms or e.obj)
            ]
            paired.setdefault(form, set()).update(word for n in usable for word in n)
    cx = constructions or {}
    conditions = cx.get("conditions", {})
    phrases = cx.get("bad_faith_phrases", {})
    construction_words = [
        *cx.get("bad_faith_verbs", []),
        *phrases,
        *cx.get("failure_words", []),
    ]
    return Lexicon(
        entries={k: tuple(v) for k, v in index.items()},
        construction_forms=word_forms(construction_words, irregular),
        reporting_forms=word_forms(cue_sets().reporting_verbs, irregular),
        surface_forms=frozenset(surface),
        mode_cues={
            t: {mode: frozenset(c) for mode, c in cues.items()} for t, cues in modes.items()
        },
        context_cues={name: frozenset(cues) for name, cues in contexts.items()},
        free_forms=frozenset(free),
        paired_forms={form: frozenset(cues) for form, cues in paired.items() if cues},
        common_forms=common_forms & free,
        form_lemmas={form: tuple(sorted(lemmas)) for form, lemmas in form_lemmas.items()},
        light_verbs=frozenset((constructions or {}).get("light_verbs", [])),
        occurrence_verbs=frozenset((constructions or {}).get("occurrence_verbs", [])),
        non_acts=frozenset((constructions or {}).get("non_acts", [])),
        state_verbs=frozenset((constructions or {}).get("state_verbs", [])),
        measure_nouns=frozenset((constructions or {}).get("measure_nouns", [])),
        present_states=frozenset((constructions or {}).get("present_states", [])),
        aggregate_spans=frozenset((constructions or {}).get("aggregate_spans", [])),
        aggregate_prepositions=frozenset((constructions or {}).get("aggregate_prepositions", [])),
        commitment_verbs=frozenset((constructions or {}).get("commitment_verbs", [])),
        released_people=frozenset((constructions or {}).get("released_people", [])),
        cessation_verbs=frozenset((constructions or {}).get("cessation_verbs", [])),
        condition_markers=frozenset(
            map(str, [*conditions.get("markers", []), *conditions.get("time_markers", [])])
        ),
        restrictive_adverbs=frozenset(map(str, conditions.get("restrictive", []))),
        bad_faith_verbs=frozenset((constructions or {}).get("bad_faith_verbs", [])),
        bad_faith_phrases={
            verb: frozenset(objects)
            for verb, objects in (constructions or {}).get("bad_faith_phrases", {}).items()
        },
        failure_words=frozenset((constructions or {}).get("failure_words", [])),
        occasion_nouns=frozenset(cx.get("occasion_nouns", [])),
        agreement_nouns=frozenset(cx.get("agreement_nouns", [])),
        courts=frozenset(cx.get("courts", [])),
    )


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return compile_lexicon(
        _data("verbs.yml"),
        _data("irregular_verbs.yml"),
        _data("event_modes.yml"),
        _data("contexts.yml"),
        _data("constructions.yml"),
        _data("prefilter.yml").get("common_lemmas", []),
    )


def load_lexicon(verbs_file: Path) -> Lexicon:
    """A lexicon from a user's own verbs file, with the packaged modes and contexts."""
    verbs = from_path(verbs_file) or {}
    return compile_lexicon(
        verbs,
        _data("irregular_verbs.yml"),
        _data("event_modes.yml"),
        _data("contexts.yml"),
        _data("constructions.yml"),
        _data("prefilter.yml").get("common_lemmas", []),
    )
