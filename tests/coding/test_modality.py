"""Modality of an event from its trigger's governing chain."""

from __future__ import annotations

import pytest

from detente.coding.modality import PRECEDENCE, classify_modality, modality_cues


def _modality(nlp, sentence: str, trigger: str) -> str:
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == trigger)
    return classify_modality(doc[:], token)


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        ("Russia has yet to agree to the proposal.", "agree", "negated"),
        ("Russia has never refused negotiations.", "refused", "negated"),
        ("Russia did not agree to meet or talk.", "talk", "negated"),
        ("Russia no longer supplies gas to Europe.", "supplies", "negated"),
        ("Russia failed to reach an agreement.", "reach", "negated"),
        ("The army withdrew without firing a shot.", "firing", "negated"),
        ("No agreement was reached.", "reached", "negated"),
        ("The talks did not take place.", "talks", "negated"),
        ("Russia cannot accept the offer.", "accept", "negated"),
        ("Putin could side-step the issue by making a counter offer.", "step", "hypothetical"),
        ("Putin could side-step the issue by making a counter offer.", "making", "hypothetical"),
        ("Trump would prefer a plan for phased sanctions relief.", "prefer", "hypothetical"),
        ("If Russia attacks, NATO will respond.", "attacks", "hypothetical"),
        ("Zelensky urged Putin to meet him.", "meet", "hypothetical"),
        ("Russia threatened to cut gas supplies.", "cut", "hypothetical"),
        ("Is Russia ready to talk?", "talk", "hypothetical"),
        ("It is likely that Kyiv will reject the offer.", "reject", "speculative"),
        ("The talks may well collapse.", "collapse", "speculative"),
        ("Russia is likely to reject the offer.", "reject", "speculative"),
        ("It is unclear whether Moscow will accept.", "accept", "speculative"),
        ("Russia appears to have withdrawn its troops.", "withdrawn", "speculative"),
        ("Russia is expected to announce a ceasefire.", "announce", "speculative"),
        ("Russia perhaps attacked the convoy.", "attacked", "speculative"),
        ("Analysts believe that Russia will attack.", "attack", "speculative"),
        ("The two leaders will meet next week in Istanbul.", "meet", "future"),
        ("If Russia attacks, NATO will respond.", "respond", "future"),
        ("Putin is to visit Beijing.", "visit", "future"),
        ("Kyiv is set to sign the deal.", "sign", "future"),
        ("Russia plans to withdraw troops.", "withdraw", "future"),
        ("Moscow is going to respond.", "respond", "future"),
        ("Ukraine shall convene the council.", "convene", "future"),
        ("Putin said he would meet Zelensky.", "meet", "future"),
        ("A Jordanian official said that Iran agreed to the deal.", "agreed", "reported"),
        ("Iran agreed to the deal, according to Reuters.", "agreed", "reported"),
        ("Russia agreed to talks, a spokesman said Monday.", "agreed", "reported"),
        ("Iran reportedly agreed to talks.", "agreed", "reported"),
        ("The minister told reporters that Russia had withdrawn.", "withdrawn", "reported"),
        ("Russia attacked the convoy.", "attacked", "asserted"),
        ("A Jordanian official said that Iran agreed to the deal.", "said", "asserted"),
        ("Russia refused to negotiate.", "refused", "asserted"),
        ("Zelensky urged Putin to meet him.", "urged", "asserted"),
        ("Russia threatened to cut gas supplies.", "threatened", "asserted"),
        ("Russia announced a ceasefire.", "ceasefire", "asserted"),
        ("Russia is willing to negotiate.", "willing", "asserted"),
        ("Moscow condemned Kyiv's refusal to withdraw its troops.", "withdraw", "negated"),
        ("Their failure to agree on a ceasefire angered Washington.", "agree", "negated"),
        ("Israel has to withdraw its troops.", "withdraw", "hypothetical"),
        ("Ukraine needs to release the prisoners.", "release", "hypothetical"),
        ("It has until late January to withdraw under the deal.", "withdraw", "hypothetical"),
        ("Israel had to withdraw its troops.", "withdraw", "asserted"),
        ("Security expert Rainer Saks argued that Russia attacked.", "attacked", "speculative"),
        ("Russia attacked the convoy, a military analyst said.", "attacked", "speculative"),
    ],
)
def test_modality_classes(nlp, sentence, trigger, expected):
    assert _modality(nlp, sentence, trigger) == expected


def test_negation_elsewhere_in_the_sentence_does_not_leak(nlp):
    sentence = "Russia agreed to talks but Ukraine did not."
    assert _modality(nlp, sentence, "agreed") == "asserted"
    assert _modality(nlp, "The army withdrew without firing a shot.", "withdrew") == "asserted"


def test_coordinated_verb_keeps_its_own_tense(nlp):
    sentence = "Russia could attack and destroyed nothing."
    assert _modality(nlp, sentence, "attack") == "hypothetical"
    assert _modality(nlp, sentence, "destroyed") == "negated"


def test_negation_outranks_reporting(nlp):
    sentence = "Hamas said Israel had not released the prisoners."
    assert _modality(nlp, sentence, "released") == "negated"


def test_precedence_and_cue_file():
    assert PRECEDENCE == ("negated", "hypothetical", "speculative", "future", "reported")
    cues = modality_cues()
    assert "no" in cues["negation"]["particles"]  # quoted in YAML, not read as False
    assert "refuse" not in cues["negation"]["governors"]
    assert "say" in cues["reporting"]["verbs"]


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        (
            "Kosovo Institute director Lura Berisha spoke first. "
            "At the same time, Berisha said, Serbia is trying to block the deal.",
            "block",
            "speculative",
        ),
        (
            "Minister Ivica Dacic spoke first. At the same time, Dacic said, "
            "Serbia is trying to block the deal.",
            "block",
            "reported",
        ),
        ("No deal was reached during nine hours of talks.", "talks", "asserted"),
    ],
)
def test_commentators_introduced_earlier_and_presupposed_adjuncts(nlp, sentence, trigger, expected):
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == trigger)
    assert classify_modality(token.sent, token) == expected
