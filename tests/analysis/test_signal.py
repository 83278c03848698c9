import math

import pytest

from detente.analysis.corpus import Corpus
from detente.analysis.signal import MODALITY_WEIGHTS, signal_index, source_diversity
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
    points = signal_index(s.corpus())
    coop = 1.0 + 0.3
    conf = 0.8
    expected = 100 * (coop - conf) / (coop + conf) * source_diversity(2)
    # Both documents hold russia-ukraine positions, so their events join that process;
    # a demand has no polarity and ACCUSE is no negotiation signal.
    (point,) = points
    assert point.process == "russia-ukraine"
    assert point.week == "2025-W10" and point.week_start == "2025-03-03"
    assert point.index == pytest.approx(round(expected, 1))
    assert point.cooperative == pytest.approx(coop) and point.conflictual == pytest.approx(conf)
    assert "ACCUSE" not in {c.label for c in point.contributions}
    assert point.sources == ["One", "Two"]
    assert set(point.record_ids) == {x.id for x in s.events if x.event_type != "ACCUSE"} | {
        s.positions[0].id
    }


def test_negated_signals_weigh_nothing_and_index_stays_in_bounds():
    assert MODALITY_WEIGHTS["negated"] == 0
    for point in signal_index(peace_talks().corpus()):
        assert -100 <= point.index <= 100
        assert point.contributions


def test_events_without_process_documents_form_their_own_series():
    points = signal_index(peace_talks().corpus())
    unassigned = [p for p in points if p.process is None]
    assert [p.week for p in unassigned] == ["2025-W19"]
    assert unassigned[0].index < 0


def test_empty_and_single_day():
    assert signal_index(Corpus()) == []
    s = Scenario()
    d = s.doc("a", published="2025-01-01")
    s.event(d, "Russia agreed to talks.", "AGREE", ["RUS"], ["UKR"])
    (point,) = signal_index(s.corpus())
    assert point.index > 0 and point.week == "2025-W01"
