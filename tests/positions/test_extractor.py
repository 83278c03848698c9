"""The position examples of the specification, on sentences of the same shapes."""

from __future__ import annotations

from detente.coding.models import Event, Evidence
from tests.positions.conftest import find

HEGSETH = (
    "Defence Secretary Pete Hegseth declared that Ukraine won't join NATO and that the US "
    "won't extend Article 5 guarantees to European troops."
)


def test_speaker_of_a_declaration_holds_the_position(code):
    position = find(code(HEGSETH), "USA", "alliances")
    assert position.sub_issue == "nato_membership"
    assert (position.speech_act, position.stance, position.modality) == (
        "reject",
        "against",
        "asserted",
    )
    assert position.position == 0
    assert position.speaker and "Hegseth" in position.speaker
    assert position.addressee is not None and position.addressee.code == "UKR"
    assert not [p for p in code(HEGSETH) if p.actor.code == "UKR"]


def test_demand_of_full_lifting_sits_at_100(code):
    position = find(
        code("Russia has repeatedly demanded the lifting of all Western sanctions."),
        "RUS",
        "sanctions",
    )
    assert (position.speech_act, position.stance, position.position) == ("demand", "favor", 100)
    assert position.anchor_label == "immediate full lifting"
    assert position.modality == "asserted"


def test_would_prefer_is_hypothetical_and_phased_relief_is_near_50(code):
    position = find(
        code("Trump would prefer a plan for phased sanctions relief."), "USA", "sanctions"
    )
    assert position.modality == "hypothetical"
    assert position.position == 50
    assert position.anchor_label == "phased relief tied to compliance"


def test_two_holders_in_one_sentence_keep_their_own_positions(code):
    text = (
        "Russia has demanded the lifting of all sanctions, but Trump would rather offer "
        "phased sanctions relief."
    )
    positions = code(text)
    assert find(positions, "RUS", "sanctions").position == 100
    assert find(positions, "USA", "sanctions").position == 50


def test_precondition_for_negotiations(code):
    text = (
        "For negotiations to take place, Putin has stated that the US and its allies must "
        "stop supplying weapons to Ukraine."
    )
    positions = code(text)
    arms = find(positions, "RUS", "alliances")
    assert (arms.sub_issue, arms.speech_act, arms.condition_for) == (
        "arms_supplies",
        "precondition",
        "talks",
    )
    assert (arms.stance, arms.position, arms.modality) == ("against", 0, "asserted")
    assert arms.addressee is not None and arms.addressee.code == "USA"
    talks = find(positions, "RUS", "talks")
    assert talks.stance == "conditional"
    assert talks.conditions[0].issue == "alliances"


def test_condition_announced_in_the_previous_sentence(code):
    text = (
        "Moscow has set conditions for peace talks. Putin has stated that the US and its "
        "allies must stop supplying weapons to Ukraine."
    )
    arms = find(code(text), "RUS", "alliances")
    assert (arms.speech_act, arms.condition_for) == ("precondition", "talks")


def test_modal_demand_in_the_author_voice_is_not_a_position(code):
    assert code("Ukraine must stop supplying weapons to the front.") == []


def test_evidence_offsets_date_and_event_links(code):
    text = "Talks stalled. Russia has demanded the lifting of all Western sanctions."
    event = Event(
        id="ev1",
        doc_id="doc1",
        sentence_index=1,
        event_type="REQUEST",
        date="2025-02-20",
        date_text="on Thursday",
        evidence=Evidence(sentence="x", start=0, end=1),
    )
    (position,) = [p for p in code(text, events=[event]) if p.issue == "sanctions"]
    assert text[position.evidence.start : position.evidence.end] == position.evidence.sentence
    assert position.event_ids == ["ev1"]
    assert position.date == "2025-02-20"
    assert position.process == "russia-ukraine"


def test_document_date_when_the_sentence_has_none(code):
    (position,) = code("Ukraine has called for NATO membership.", published="2024-06-01")
    assert position.date == "2024-06-01"
    assert position.stance == "favor" and position.position == 100


def test_second_process_file_codes_its_own_parties(code):
    positions = code("Hamas demanded a full ceasefire.", process="israel-hamas")
    position = find(positions, "PSE", "ceasefire")
    assert position.position == 100 and position.process == "israel-hamas"
