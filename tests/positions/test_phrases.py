from __future__ import annotations

from detente.positions.phrases import PhraseIndex


def test_prefix_gap_clitic_and_hyphen_cues(nlp):
    index = PhraseIndex(
        [("lift* ~ sanctions", "lift"), ("won't", "neg"), ("30-day ceasefire", "c")]
    )
    doc = nlp("They won't accept the lifting of all Western sanctions or a 30-day ceasefire.")
    found = {m.payload: doc[m.start : m.end].text for m in index.find(list(doc))}
    assert found["lift"] == "lifting of all Western sanctions"
    assert found["neg"] == "won't"
    assert found["c"] == "30-day ceasefire"


def test_gap_does_not_cross_a_clause_boundary(nlp):
    index = PhraseIndex([("lift* ~ sanctions", "lift")])
    doc = nlp("They are lifting; sanctions remain.")
    assert index.find(list(doc)) == []


def test_find_in_a_span_matches_find_over_its_tokens(nlp):
    """The per-document form table gives the same matches as reading token by token, with
    offsets relative to the span, and a gap stops at the span's sentence boundary."""
    index = PhraseIndex(
        [("lift* ~ sanctions", "lift"), ("won't", "neg"), ("30-day ceasefire", "c")]
    )
    doc = nlp(
        "Talks went on. They won't accept the lifting of all Western sanctions or a 30-day "
        "ceasefire. They are lifting; sanctions remain."
    )
    for sent in doc.sents:
        assert index.find_in(sent) == index.find(list(sent))
    assert [m.payload for m in index.find_in(doc[:])] == ["neg", "lift", "c"]
