"""The verb lexicon: compiling YAML data, user lexicons, and the pre-filter's surface forms."""

from __future__ import annotations

import textwrap

from detente.coding.coder import EventCoder
from detente.coding.lexicon import _data, default_lexicon, inflections, load_lexicon
from detente.coding.models import EVENT_TYPES


def test_every_packaged_entry_names_a_plover_type():
    lexicon = default_lexicon()
    kinds = {e.event_type for entries in lexicon.entries.values() for e in entries}
    assert kinds == set(EVENT_TYPES)


def test_yaml_on_is_a_preposition_not_a_boolean():
    preps = [
        e.prep for e in default_lexicon().lookup("call") if e.event_type == "REQUEST" and e.prep
    ]
    assert preps and all("on" in p and "true" not in p for p in preps)


def test_entry_fields_are_compiled():
    entries = default_lexicon().lookup("impose")
    sanction = next(e for e in entries if e.event_type == "SANCTION")
    assert "sanction" in sanction.obj and sanction.mode == "discontinue"
    assert sanction.constrained
    agree = next(e for e in default_lexicon().lookup("agree") if e.event_type == "AGREE")
    assert agree.embeds and not agree.constrained


def test_regular_inflections():
    assert {"attack", "attacks", "attacked", "attacking"} <= inflections("attack")
    assert {"release", "released", "releasing"} <= inflections("release")
    assert {"deny", "denies", "denied"} <= inflections("deny")
    assert {"ban", "banned", "banning"} <= inflections("ban")


def test_surface_forms_include_irregular_past_tenses():
    forms = default_lexicon().surface_forms
    irregular = _data("irregular_verbs.yml")
    lemmas = default_lexicon().entries
    checked = 0
    for lemma, past in irregular.items():
        if lemma in lemmas:
            assert {p.lower() for p in past} <= forms, lemma
            checked += 1
    assert checked >= 5
    assert {"met", "withdrew", "fought", "sought", "struck"} <= forms


def test_user_lexicon_adds_a_verb_that_fires(tmp_path, nlp):
    verbs = tmp_path / "my_verbs.yml"
    verbs.write_text(
        textwrap.dedent(
            """
            ASSAULT:
              - {lemma: [brawl], weight: 0.8}
            SUPPORT:
              - {lemma: [felicitate], weight: 0.7}
            """
        ),
        encoding="utf-8",
    )
    lexicon = load_lexicon(verbs)
    assert set(lexicon.entries) == {"brawl", "felicitate"}
    assert {"brawled", "felicitates"} <= lexicon.surface_forms
    assert lexicon.mode_cues == default_lexicon().mode_cues
    coder = EventCoder(nlp=nlp, lexicon=lexicon)
    events = coder.code_text("Georgia felicitated Armenia for its restraint.")
    assert [e.event_type for e in events] == ["SUPPORT"]
    assert {a.code for a in events[0].actor} == {"GEO"}
    assert EventCoder(nlp=nlp).code_text("Georgia felicitated Armenia for its restraint.") == []


def test_user_lexicon_file_may_be_empty(tmp_path):
    verbs = tmp_path / "empty.yml"
    verbs.write_text("", encoding="utf-8")
    assert load_lexicon(verbs).entries == {}


def test_mode_cues_refine_events_whose_entry_has_no_mode():
    cues = default_lexicon().mode_cues
    assert "airstrike" in cues["ASSAULT"]["aerial"]
    assert "arrest" in cues["COERCE"]["arrest"]
    assert all(isinstance(words, frozenset) for modes in cues.values() for words in modes.values())


def test_prefilter_needs_an_entrys_object_or_particle():
    """A sentence is parsed only if some entry could fire: its object or particle is there."""
    lexicon = default_lexicon()
    assert lexicon.may_fire({"they", "reached", "out", "to", "kyiv"})  # reach out
    assert lexicon.may_fire({"they", "reached", "an", "agreement"})  # reach + agreement
    assert not lexicon.may_fire({"they", "reached", "the", "city"})
    assert lexicon.may_fire({"putin", "received", "erdogan"})  # a named object: unknowable


def test_prefilter_keeps_every_sentence_an_entry_fires_in(nlp):
    """Lossless: coding with and without the pre-filter gives the same events."""
    sentences = [
        "The European Commission told Poland to suspend its overhaul of the court.",
        "Washington reached out to Tehran through Oman.",
        "Hamas declined to sign the proposal.",
        "A cease-fire took effect at midnight.",
        "The army handed over the captured pilot to India.",
        "Russia and Ukraine exchanged 150 prisoners each.",
    ]
    filtered = EventCoder(nlp=nlp)
    unfiltered = EventCoder(nlp=nlp, use_prefilter=False)
    for text in sentences:
        with_filter = [(e.event_type, e.evidence.trigger) for e in filtered.code_text(text)]
        assert with_filter == [
            (e.event_type, e.evidence.trigger) for e in unfiltered.code_text(text)
        ]
        assert with_filter, text
