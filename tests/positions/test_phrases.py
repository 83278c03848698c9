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
