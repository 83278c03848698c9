"""The coder's sentence pre-filter: what the lexicon requires, and a second cue for
everyday words (data/prefilter.yml)."""

from __future__ import annotations

import pytest

from detente.coding.coder import EventCoder
from detente.coding.lexicon import co_occurring, default_lexicon
from detente.nlp.sentences import split_sentences
from detente.pipeline import make_coder


@pytest.fixture(scope="module")
def coder(nlp) -> EventCoder:
    return make_coder(nlp=nlp)


def kept(coder: EventCoder, text: str) -> bool:
    (sentence,) = split_sentences(text)
    return coder.keep(sentence)


@pytest.mark.parametrize(
    "text",
    [
        "The new bridge will stand for another fifty years.",  # "stand" wants "with"/"by"
        "Shares in the retailer declined 5 percent on Monday.",  # everyday "decline"
        "Sales rose 5 percent in March, the best month since the spring.",
        "The team advanced to the second round after a 3-1 win.",
        "The museum director said the budget had grown by 119 million euros.",
    ],
)
def test_everyday_sentences_are_not_parsed(coder, text):
    assert not kept(coder, text)


@pytest.mark.parametrize(
    "text",
    [
        "Poland will stand by Ukraine, the president said.",
        "The Kremlin declined to comment on the proposal.",
        "Hungary and Slovakia will vote against the new sanctions.",
        "The envoy advised Kyiv to negotiate.",
        "Officials said Russia needs to withdraw its troops.",
        "Protesters march on parliament in the capital.",
        "Ukraine opened the border crossing on Monday.",
    ],
)
def test_sentences_that_can_carry_a_record_are_parsed(coder, text):
    assert kept(coder, text)


def test_directive_verbs_are_coded_as_with_every_sentence_parsed(nlp, coder):
    text = "The envoy advised Kyiv to negotiate with Moscow."
    unfiltered = EventCoder(nlp=nlp, use_prefilter=False).code_text(text)
    assert any(e.event_type == "REQUEST" for e in unfiltered)
    assert coder.code_text(text) == unfiltered


def test_constrained_entries_ask_for_their_object_or_particle():
    lexicon = default_lexicon()
    by_lemma = {e.lemma: e for entries in lexicon.entries.values() for e in entries}
    assert "by" in co_occurring(by_lemma["side"])
    assert lexicon.paired_forms["sided"] >= {"with", "by"}
    assert "sided" not in lexicon.free_forms
