"""Source attribution: who the text says makes the claim."""

from __future__ import annotations

import pytest

from detente.coding.attribution import find_attribution


def _source(nlp, sentence: str, trigger: str) -> str | None:
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == trigger)
    span = find_attribution(doc[:], token)
    return None if span is None else span.text


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        (
            "A Jordanian official said that Iran agreed to the deal.",
            "agreed",
            "A Jordanian official",
        ),
        (
            "The World Food Program (WFP) said that aid reached Gaza.",
            "reached",
            "The World Food Program (WFP)",
        ),
        ("Iraqi police said at least three civilians were killed.", "killed", "Iraqi police"),
        (
            "Iran agreed to the deal, according to a Jordanian official.",
            "agreed",
            "a Jordanian official",
        ),
        ("According to Iraqi police, gunmen killed three civilians.", "killed", "Iraqi police"),
        (
            "Russia agreed to talks, a spokesman for the Kremlin said Monday.",
            "agreed",
            "a spokesman for the Kremlin",
        ),
        ("Russia attacked the convoy, he told reporters on Monday.", "attacked", "he"),
        (
            "Dmitry Peskov, the Kremlin spokesman, said Russia had withdrawn.",
            "withdrawn",
            "Dmitry Peskov",
        ),
        ("Peskov, quoted by TASS, said Russia agreed to talks.", "agreed", "Peskov"),
        ("Russia agreed to the exchange, Peskov was quoted as saying.", "agreed", "Peskov"),
        ("In a statement, the ministry condemned the attack.", "condemned", "the ministry"),
        (
            "The official, who asked not to be named, said troops withdrew.",
            "withdrew",
            "The official",
        ),
    ],
)
def test_attribution_forms(nlp, sentence, trigger, expected):
    assert _source(nlp, sentence, trigger) == expected


def test_nearest_speaker_wins(nlp):
    sentence = "Ukraine said Moscow claimed that Kyiv attacked the plant."
    assert _source(nlp, sentence, "attacked") == "Moscow"


def test_reporting_trigger_has_no_attribution(nlp):
    assert _source(nlp, "A Jordanian official said that Iran agreed to the deal.", "said") is None


def test_no_named_source(nlp):
    assert _source(nlp, "Russia attacked the convoy.", "attacked") is None
    assert _source(nlp, "It was reported that Russia attacked the convoy.", "attacked") is None


def test_closing_speech_tag_survives_a_misparse(nlp):
    sentence = (
        "Russia and Ukraine exchanged 230 and 248 prisoners in Istanbul on Thursday, "
        "including more than 100 Azov POWs, a Turkish official told reporters."
    )
    assert _source(nlp, sentence, "exchanged") == "a Turkish official"
