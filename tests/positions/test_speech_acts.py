"""One sentence per speech act: who holds the position, on which issue, with which act."""

from __future__ import annotations

import pytest

from tests.positions.conftest import find

CASES = [
    (
        "Ukraine proposed a 30-day ceasefire along the entire front line.",
        "UKR",
        "ceasefire",
        "propose",
        "favor",
    ),
    (
        "Russia demanded that Ukraine withdraw its troops from Donetsk.",
        "RUS",
        "forces",
        "demand",
        "favor",
    ),
    (
        "Kyiv accepted the American proposal for an energy ceasefire.",
        "UKR",
        "ceasefire",
        "accept",
        "conditional",
    ),
    (
        "The Kremlin rejected the deployment of European peacekeepers in Ukraine.",
        "RUS",
        "presence",
        "reject",
        "against",
    ),
    (
        "Zelensky said Ukraine will agree to talks only if Russia withdraws its troops.",
        "UKR",
        "forces",
        "precondition",
        "favor",
    ),
    (
        "Russia offered to return the bodies of fallen soldiers.",
        "RUS",
        "humanitarian",
        "offer",
        "favor",
    ),
    (
        "Ukraine conceded that Crimea would remain under Russian control de facto.",
        "UKR",
        "territory",
        "concede",
        "favor",
    ),
    (
        "Russia threatened to strike the Zaporizhzhia nuclear power plant.",
        "RUS",
        "nuclear",
        "threaten",
        "against",
    ),
    (
        "Russia and Ukraine signed a memorandum on the exchange of prisoners.",
        "UKR",
        "humanitarian",
        "sign",
        "favor",
    ),
    (
        "Ukraine implemented the energy ceasefire on Tuesday.",
        "UKR",
        "ceasefire",
        "implement",
        "conditional",
    ),
    ("Russia violated the Easter truce within hours.", "RUS", "ceasefire", "violate", "against"),
]


@pytest.mark.parametrize(("text", "actor", "issue", "act", "stance"), CASES)
def test_speech_act(code, text, actor, issue, act, stance):
    position = find(code(text), actor, issue)
    assert (position.speech_act, position.stance) == (act, stance)
    assert position.evidence.sentence == text


def test_every_speech_act_is_covered():
    from typing import get_args

    from detente.positions.models import SpeechAct

    assert {case[3] for case in CASES} == set(get_args(SpeechAct))


def test_signed_act_is_a_signed_commitment_for_both_signatories(code):
    positions = code("Russia and Ukraine signed a memorandum on the exchange of prisoners.")
    assert {p.actor.code for p in positions if p.issue == "humanitarian"} == {"RUS", "UKR"}
    assert all(p.commitment == "signed" for p in positions)


def test_condition_clause_is_attached_to_the_goal(code):
    positions = code(
        "Zelensky said Ukraine will agree to talks only if Russia withdraws its troops."
    )
    talks = find(positions, "UKR", "talks")
    assert talks.stance == "conditional"
    assert talks.conditions and "withdraws its troops" in talks.conditions[0].text
