"""One reading of condition clauses, shared by the event coder and the ceasefire roles."""

from __future__ import annotations

import pytest

from detente.coding.conditions import condition_phrase, is_condition
from detente.coding.lexicon import default_lexicon
from detente.coding.roles import find_conditions
from detente.coding.triggers import find_triggers


def _clauses(nlp, text: str):
    return [t for t in nlp(text) if t.dep_ == "advcl"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The truce will hold if the militias withdraw.", True),
        ("The corridor opens once the mines are cleared.", True),
        ("The truce would only take effect after the blockade was lifted.", True),
        ("The truce took effect after the blockade was lifted.", False),
        ("The delegates left when the session ended.", False),
    ],
)
def test_conditions_and_schedules(nlp, text, expected):
    assert any(is_condition(c) for c in _clauses(nlp, text)) is expected


def test_on_condition_that_is_a_condition(nlp):
    doc = nlp("Belgrade accepted the truce on condition that the monitors stay.")
    assert any(condition_phrase(t) for t in doc)


def test_roles_and_coder_read_the_same_clause(nlp):
    text = "Moscow said the ceasefire would only start after the sanctions were lifted."
    doc = nlp(text)
    ceasefire = next(t for t in doc if t.text == "ceasefire")
    start = next(t for t in doc if t.text == "start")
    assert find_conditions(ceasefire, start) == ["after the sanctions were lifted"]
    found = find_triggers(next(doc.sents), default_lexicon())
    requests = [t for t in found if t.entry.event_type == "REQUEST"]
    assert [t.token.text for t in requests] == ["said"]

