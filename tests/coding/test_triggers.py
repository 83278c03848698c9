"""Trigger finding and selection on parsed sentences the project wrote itself."""

from __future__ import annotations

import pytest

from detente.coding.lexicon import default_lexicon
from detente.coding.triggers import find_triggers, salience, select_triggers


@pytest.fixture(scope="module")
def lexicon():
    return default_lexicon()


def triggers(nlp, lexicon, text: str):
    sent = next(nlp(text).sents)
    return find_triggers(sent, lexicon)


def selected(nlp, lexicon, text: str) -> list[tuple[str, str]]:
    return [
        (t.token.text, t.entry.event_type) for t in select_triggers(triggers(nlp, lexicon, text))
    ]


def test_object_constraint_picks_the_entry(nlp, lexicon):
    found = {
        t.token.text: t
        for t in triggers(nlp, lexicon, "The United States imposed sanctions on Iran.")
    }
    assert found["imposed"].entry.event_type == "SANCTION"
    assert found["imposed"].entry.obj is not None
    assert found["imposed"].object_token.text == "sanctions"


def test_constrained_verb_without_its_object_does_not_fire(nlp, lexicon):
    assert not triggers(nlp, lexicon, "The committee imposed a new dress code on members.")


def test_plain_verb_trigger(nlp, lexicon):
    assert selected(nlp, lexicon, "Pakistan accused India of sponsoring attacks.") == [
        ("accused", "ACCUSE")
    ]


def test_embedding_trigger_absorbs_its_complement(nlp, lexicon):
    raw = triggers(nlp, lexicon, "Russia agreed to withdraw its forces from the island.")
    assert {t.entry.event_type for t in raw} >= {"AGREE", "RETREAT"}
    assert selected(nlp, lexicon, "Russia agreed to withdraw its forces from the island.") == [
        ("agreed", "AGREE")
    ]


def test_light_verb_keeps_one_of_verb_and_event_noun(nlp, lexicon):
    kept = selected(nlp, lexicon, "Poland and Lithuania held joint military exercises.")
    assert len(kept) == 1 and kept[0][1] == "COOPERATE"


def test_main_verb_is_more_salient_than_a_relative_clause(nlp, lexicon):
    doc = nlp("Russia, which attacked Ukraine in 2022, criticized the sanctions.")
    by_text = {t.text: t for t in doc}
    assert salience(by_text["criticized"]) == 1.0
    assert salience(by_text["attacked"]) < salience(by_text["criticized"])
    kept = selected(
        nlp, lexicon, "Russia, which attacked Ukraine in 2022, criticized the sanctions."
    )
    assert kept == [("criticized", "ACCUSE")]


def test_coordinated_verbs_are_both_kept(nlp, lexicon):
    kept = selected(nlp, lexicon, "Israeli troops killed two gunmen and arrested four others.")
    assert sorted(kind for _, kind in kept) == ["ASSAULT", "COERCE"]


def test_confidence_is_weight_times_salience(nlp, lexicon):
    for trig in triggers(
        nlp, lexicon, "Israeli troops killed two gunmen and arrested four others."
    ):
        assert trig.confidence == round(min(1.0, trig.entry.weight * trig.salience), 3)


def test_no_trigger_in_a_neutral_sentence(nlp, lexicon):
    assert not triggers(nlp, lexicon, "The weather in Paris was mild on Sunday.")
    assert select_triggers([]) == []


@pytest.mark.parametrize(
    "text",
    [
        "The plane took off from Riyadh on Saturday.",  # take: only with a hostage
        "Zelensky received a letter from his counterpart.",  # receive: only a visitor
        "Exports declined sharply last year.",  # decline: only with a complement or offer
        "The soldiers defended the steel plant for weeks.",  # defend: a policy, not a place
        "The ministry declined to comment on the report.",  # withholding words is no act
        "Tehran backs the Houthi rebels.",  # a standing alignment
        "The army is still deployed in the south.",  # a state, not a deployment
        "Negotiations with the rebels were a cornerstone of his policy.",  # classification
        "The peace talks have been stalled since May.",  # stalled talks are not held
    ],
)
def test_light_verbs_and_states_without_an_event_do_not_fire(nlp, lexicon, text):
    assert selected(nlp, lexicon, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Putin received Erdogan in the Kremlin.", ("received", "CONSULT")),
        ("Russia allowed the observers to enter the plant.", ("allowed", "CONCEDE")),
        ("Hamas declined to sign the proposal.", ("declined", "REJECT")),
        ("Tehran backs the plan.", ("backs", "SUPPORT")),
        ("The two ministers held six hours of talks in Geneva.", ("held", "CONSULT")),
        ("The army handed over the captured pilot to India.", ("handed", "RETREAT")),
        ("Sanaa expressed its dismay at the delay.", ("expressed", "ACCUSE")),
        ("Troops are being deployed to the border.", ("deployed", "MOBILIZE")),
    ],
)
def test_the_same_verbs_fire_with_their_event(nlp, lexicon, text, expected):
    assert expected in selected(nlp, lexicon, text)
