"""Whose position a stance is: evaluative frames, pressure, giving up, demanded acceptances,
pronouns, coordinated holders and headlines — on sentences written for these tests."""

from __future__ import annotations

from tests.positions.conftest import find


def test_unrealistic_to_imagine_is_conjecture_not_a_position(code):
    positions = code("It is unrealistic to imagine that Washington will agree to lift sanctions.")
    us = [p for p in positions if p.actor.code == "USA"]
    assert us and all(p.modality == "speculative" for p in us)


def test_unlikely_that_frames_the_clause_below_it(code):
    positions = code("Analysts think it is unlikely that Kyiv will accept a ceasefire soon.")
    assert all(p.modality == "speculative" for p in positions if p.actor.code == "UKR")


def test_a_belief_about_another_party_is_not_its_position(code):
    positions = code("Envoy Steve Witkoff said he believed Putin wanted a ceasefire.")
    assert all(p.modality == "speculative" for p in positions if p.actor.code == "RUS")


def test_own_hope_keeps_the_holder(code):
    positions = code("Kyiv hopes to propose a ceasefire at the summit.")
    assert find(positions, "UKR", "ceasefire").modality != "speculative"


def test_could_on_the_auxiliary_of_a_passive_is_hypothetical(code):
    positions = code("Moscow could be reassured that Kyiv won't violate the truce.")
    assert all(p.modality == "hypothetical" for p in positions)


def test_pressure_on_a_party_is_the_pressers_demand(code):
    positions = code(
        "The Kremlin stepped up strikes to put pressure on Kyiv to return to the negotiating table."
    )
    assert not [p for p in positions if p.actor.code == "UKR"]
    demand = find(positions, "RUS", "talks")
    assert demand.speech_act == "demand" and demand.stance == "favor"


def test_demanding_that_a_bid_be_abandoned_is_against_it(code):
    positions = code("Moscow demanded that Kyiv abandon its bid to join NATO.")
    nato = find(positions, "RUS", "alliances")
    assert nato.speech_act == "demand" and nato.stance == "against" and nato.position == 0


def test_an_acceptance_demanded_of_another_is_the_demand(code):
    positions = code("The Kremlin demanded that Ukraine accept limits on its army.")
    assert find(positions, "RUS", "forces").speech_act == "demand"
    assert not [p for p in positions if p.actor.code == "UKR"]


def test_material_act_does_not_take_an_adjunct_issue(code):
    positions = code("Russia and Ukraine swapped 90 prisoners in a deal brokered by the UAE.")
    issues = {p.issue for p in positions}
    assert "humanitarian" in issues and not issues & {"talks", "agreement"}


def test_pronoun_in_reported_speech_is_the_speaker(code):
    text = "Moscow stayed silent. Ukraine said on Monday it was ready to accept a ceasefire."
    positions = code(text)
    assert find(positions, "UKR", "ceasefire").stance == "favor"
    assert not [p for p in positions if p.actor.code == "RUS"]


def test_he_in_the_next_sentence_is_the_main_subject(code):
    text = "Putin demanded guarantees that Ukraine would not rearm. He rejected any peacekeepers."
    assert find(code(text), "RUS", "presence").speech_act == "reject"


def test_coordinated_adjectives_name_every_holder(code):
    positions = code(
        "German and Polish officials said a coalition could send troops to Ukraine "
        "to guarantee a truce."
    )
    offers = {p.actor.code for p in positions if p.speech_act == "offer"}
    assert {"DEU", "POL"} <= offers
    assert all(p.modality != "hypothetical" for p in positions if p.speech_act == "offer")


def test_headline_lines_lend_no_cues_to_the_first_sentence(code):
    text = "Kremlin Agrees To Peace Talks\n\nBy A Reporter\n\nThe weather in Moscow was cold."
    assert code(text) == []
