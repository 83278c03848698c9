"""The process view: which position a cell shows, what stays listed under it, member states."""

from __future__ import annotations

from detente.coding.models import ActorRef
from detente.positions.matrix import process_view, view_markdown
from detente.positions.models import Position, PositionEvidence


def _p(pid, actor, sub, act, stance, value, modality="asserted", date="2025-02-12", conf=0.8):
    return Position(
        id=pid,
        doc_id="d1",
        process="russia-ukraine",
        issue="alliances",
        sub_issue=sub,
        actor=ActorRef(text=actor, code=actor),
        speech_act=act,
        stance=stance,
        position=value,
        modality=modality,
        date=date,
        confidence=conf,
        evidence=PositionEvidence(sentence=f"{pid} sentence.", start=0, end=10),
    )


def test_valued_main_sub_issue_beats_a_more_confident_side_topic():
    positions = [
        _p("nato", "USA", "nato_membership", "reject", "against", 0, conf=0.8),
        _p("art5", "USA", "guarantees", "reject", "against", None, conf=0.9),
    ]
    (cell,) = process_view("russia-ukraine", positions, []).cells
    assert cell.sub_issue == "nato_membership" and cell.position == 0
    assert [s.sub_issue for s in cell.sub_positions] == ["guarantees"]


def test_asserted_beats_a_later_hedged_position_and_hypotheticals_are_left_out():
    positions = [
        _p("old", "RUS", "neutrality", "demand", "against", 0, date="2025-01-01"),
        _p("will", "RUS", "neutrality", "demand", "against", 0, "future", "2025-03-01"),
        _p("would", "RUS", "nato_membership", "accept", "favor", 100, "hypothetical"),
    ]
    (cell,) = process_view("russia-ukraine", positions, []).cells
    assert cell.quote.startswith("old") and cell.sub_positions == []


def test_member_states_show_under_their_party():
    positions = [_p("uk", "GBR", "guarantees", "offer", "favor", 60)]
    view = process_view("russia-ukraine", positions, [])
    (cell,) = view.cells
    assert cell.actor == "EUR" and cell.actor_code == "GBR"
    assert "| EUR (GBR) | alliances |" in view_markdown(view)
