import math

import pytest

from detente.analysis.settings import signal_settings
from detente.analysis.signal import signal_index, source_diversity
from detente.store.db import connect
from tests.analysis.peace_talks import peace_talks
from tests.analysis.records_factory import Scenario


def test_source_diversity_grows_with_outlets_and_saturates():
    assert source_diversity(1) == pytest.approx(math.log2(2) / math.log2(5))
    assert source_diversity(4) == 1.0 and source_diversity(10) == 1.0


def test_formula_on_a_hand_computed_week():
    s = Scenario()
    a = s.doc("a", source="One", published="2025-03-03")
    b = s.doc("b", source="Two", published="2025-03-04")
    s.position(a, "Kyiv proposes talks.", "talks", "UKR", "propose", "favor", 20)
    s.event(a, "Moscow threatened strikes, officials said.", "THREATEN", ["RUS"], ["UKR"],
            modality="reported")  # fmt: skip
    s.event(b, "The sides may meet.", "CONSULT", ["RUS"], ["UKR"], modality="speculative")
    s.event(b, "Russia accused Kyiv.", "ACCUSE", ["RUS"], ["UKR"])
    s.position(b, "Moscow demands guarantees.", "talks", "RUS", "demand", "against", 80)
    points = signal_index(s.db())
    coop = 1.0 + 0.3
    conf = 0.8
    expected = 100 * (coop - conf) / (coop + conf) * source_diversity(2)
    # Russia and Ukraine are the belligerents of russia-ukraine, so every event joins it;
    # a demand has no polarity and ACCUSE is no negotiation signal.
    (point,) = points
    assert point.process == "russia-ukraine"
    assert point.week == "2025-W10" and point.week_start == "2025-03-03"
    assert point.index == pytest.approx(round(expected, 1))
    assert point.cooperative == pytest.approx(coop) and point.conflictual == pytest.approx(conf)
    assert point.sources == 2 and point.items == 3
    # The evidence a point carries: its firmest event records, never a non-signal.
    assert point.record_ids == [s.events[0].id, s.events[1].id]


def test_negated_signals_weigh_nothing_and_index_stays_in_bounds():
    assert signal_settings().modality_weights["negated"] == 0
    for point in signal_index(peace_talks().db()):
        assert -100 <= point.index <= 100
        assert point.items and point.record_ids


def test_events_join_the_process_of_their_belligerents_not_only_of_their_documents():
    # kyiv-0505 holds no position or process record, yet its strike is Russia on Ukraine.
    points = signal_index(peace_talks().db())
    first = next(p for p in points if p.week == "2025-W19")
    assert first.process == "russia-ukraine"
    assert "kyiv-0505-e0" in first.record_ids
    assert {p.process for p in points} == {"russia-ukraine"}


def test_events_of_no_process_form_their_own_series():
    s = Scenario()
    d = s.doc("a", published="2025-03-03")
    s.event(d, "France and Germany agreed to a joint patrol.", "AGREE", ["FRA"], ["DEU"])
    (point,) = signal_index(s.db())
    assert point.process is None and point.index > 0


def test_a_third_party_joins_a_process_only_with_a_document_about_it():
    s = Scenario()
    gaza = s.doc("gaza", published="2025-03-03")
    s.position(gaza, "Israel accepted the plan.", "ceasefire", "ISR", "accept", "favor", 60,
               process="israel-hamas")  # fmt: skip
    s.event(gaza, "The United States agreed to guarantee the truce.", "AGREE", ["USA"], ["ISR"])
    s.event(gaza, "Washington hosted talks with Qatar.", "CONSULT", ["USA"], ["QAT"])
    by_process = {p.process: p for p in signal_index(s.db())}
    assert set(by_process) == {"israel-hamas"}
    assert by_process["israel-hamas"].items == 3


def test_empty_and_single_day():
    assert signal_index(connect(":memory:")) == []
    s = Scenario()
    d = s.doc("a", published="2025-01-01")
    s.event(d, "Russia agreed to talks.", "AGREE", ["RUS"], ["UKR"])
    (point,) = signal_index(s.db())
    assert point.index > 0 and point.week == "2025-W01"
