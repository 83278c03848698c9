"""Per-sentence entities from a once-built index agree with spaCy's ``Span.ents``."""

from __future__ import annotations

from detente.nlp.entities import entities


def test_entities_of_each_sentence_match_span_ents(nlp):
    text = (
        "Russia and Ukraine exchanged 230 prisoners in Istanbul on Saturday. "
        "The weather was mild. Emmanuel Macron met Recep Tayyip Erdogan in Ankara on 3 May. "
        "Talks ended."
    )
    doc = nlp(text)
    assert len(doc.ents) >= 6
    for sent in doc.sents:
        assert [(e.start, e.end, e.label_) for e in entities(sent)] == [
            (e.start, e.end, e.label_) for e in sent.ents
        ]
    # any span, including ones cutting through an entity
    for start in range(len(doc)):
        span = doc[start : min(len(doc), start + 7)]
        assert [(e.start, e.end) for e in entities(span)] == [(e.start, e.end) for e in span.ents]
