from __future__ import annotations

from detente.nlp.memo import document_forms, reading, token_forms


def test_a_reading_is_computed_once_per_token_and_document(nlp):
    calls = []

    def compute(token):
        calls.append(token.i)
        return token.text.upper()

    doc = nlp("Russia rejected the proposal.")
    first = [reading(t, "upper", lambda t=t: compute(t)) for t in doc]
    again = [reading(t, "upper", lambda t=t: compute(t)) for t in doc]
    assert first == again == ["RUSSIA", "REJECTED", "THE", "PROPOSAL", "."]
    assert calls == [0, 1, 2, 3, 4]
    other = nlp("Russia rejected the proposal.")
    assert reading(other[0], "upper", lambda: compute(other[0])) == "RUSSIA"
    assert calls == [0, 1, 2, 3, 4, 0]


def test_document_forms_are_the_token_forms(nlp):
    doc = nlp("Kyiv's negotiators didn't sign the Colour Revolution accords.")
    assert document_forms(doc) == [token_forms(t) for t in doc]
    assert token_forms(doc[4]) == ("n't", "not", "not")  # what "won't"-style cues match
