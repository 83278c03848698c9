"""Classes of stance expressions found on real news: commitments and intentions, breaking
off a process versus halting hostilities, bare conditions, title-of-place holders and value
cues with words between. Sentences are written for these tests."""

from __future__ import annotations

from tests.positions.conftest import find


def test_reaffirmed_commitment_is_a_favourable_position(code):
    text = "Armenia reaffirmed its commitment to the peace treaty on Monday."
    position = find(code(text, process=None), "ARM", "agreement")
    assert position.stance == "favor"


def test_a_decision_to_settle_through_talks_favours_talks(code):
    text = "Pakistan decided to resolve all disputes with India through dialogue."
    assert find(code(text, process=None), "PAK", "talks").stance == "favor"


def test_suspending_talks_is_against_talks(code):
    text = "Colombia suspended peace talks with the ELN after the attacks."
    position = find(code(text, process=None), "COL", "talks")
    assert (position.speech_act, position.stance) == ("reject", "against")


def test_suspending_strikes_is_a_step_toward_a_ceasefire(code):
    text = "Russia suspended strikes on Ukraine's energy infrastructure under the ceasefire."
    positions = code(text)
    assert all(p.stance != "against" for p in positions if p.actor.code == "RUS")


def test_a_bare_condition_is_the_speakers_demand(code):
    text = (
        "Russia said the agreement would only take effect after a number of sanctions "
        "were lifted."
    )
    position = find(code(text), "RUS", "sanctions")
    assert (position.stance, position.position) == ("favor", 100)


def test_title_of_place_holders_and_their_conjuncts_hold_the_position(code):
    text = (
        "The Kingdom of Saudi Arabia and the United States urge both parties to engage in "
        "talks towards a ceasefire."
    )
    positions = code(text, process=None)
    assert find(positions, "SAU", "ceasefire").stance == "favor"
    assert find(positions, "USA", "ceasefire").stance == "favor"


def test_value_cues_allow_words_between(code):
    text = "Ukraine demanded tougher international sanctions against Russia."
    assert find(code(text), "UKR", "sanctions").position == 0


def test_importance_of_reform_is_a_demand(code):
    text = "Putin stressed the importance of constitutional reform in Ukraine."
    position = find(code(text), "RUS", "governance")
    assert (position.speech_act, position.stance) == ("demand", "favor")
