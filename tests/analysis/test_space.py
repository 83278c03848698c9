import pytest

from detente.analysis.matrix import position_matrix
from detente.analysis.space import acceptable_range, negotiation_space, weighted_median
from detente.store.db import connect
from tests.analysis.peace_talks import peace_talks
from tests.analysis.records_factory import Scenario


def test_acceptable_range_depends_on_stance_and_is_clipped():
    assert acceptable_range(50, "favor", 10) == (40, 60)
    assert acceptable_range(50, "against", 10) == (45, 55)
    assert acceptable_range(95, "neutral", 10) == (75, 100)


def test_weighted_median():
    assert weighted_median([(10, 1), (50, 1), (90, 3)]) == 90
    assert weighted_median([(10, 1), (50, 1), (90, 1)]) == 50
    assert weighted_median([]) is None


def test_zopa_exists_only_where_ranges_overlap():
    spaces = {s.issue: s for s in negotiation_space(peace_talks().db())}
    assert spaces["prisoner_exchange"].zopa == (0, 15)
    assert spaces["territory"].zopa is None
    assert spaces["territory"].interval == (5, 90)


def test_latest_position_wins_and_salience_is_share_of_party_records():
    spaces = {s.issue: s for s in negotiation_space(peace_talks().db())}
    nato = {p.actor: p for p in spaces["nato_membership"].parties}
    assert nato["UKR"].position == 35 and nato["UKR"].date == "2025-06-02"
    assert nato["USA"].salience == 1.0
    assert nato["RUS"].salience == pytest.approx(2 / 5)
    assert spaces["nato_membership"].predicted_outcome == 70


def test_speculative_positions_excluded_by_default():
    s = Scenario()
    d = s.doc("a", published="2025-01-01")
    s.position(d, "Russia might accept.", "territory", "RUS", "accept", "favor", 50,
               modality="speculative")  # fmt: skip
    assert negotiation_space(s.db()) == []
    s.position(d, "Ukraine might accept.", "territory", "UKR", "accept", "favor", 30,
               modality="speculative")  # fmt: skip
    (space,) = negotiation_space(s.db(), include_speculative=True)
    assert space.zopa == (35, 45) and space.predicted_outcome == 30


def test_one_party_alone_has_no_zopa_and_no_predicted_outcome():
    s = Scenario()
    d = s.doc("a", published="2025-01-01")
    s.position(d, "Russia accepts.", "territory", "RUS", "accept", "favor", 50)
    (space,) = negotiation_space(s.db())
    assert space.interval == (50, 50) and space.parties[0].low == 35
    assert space.zopa is None and space.predicted_outcome is None


def test_position_matrix_cells_keep_quotes():
    cells = {(c.actor, c.issue): c for c in position_matrix(peace_talks().db())}
    cell = cells[("UKR", "territory")]
    assert cell.stance == "against" and "never recognise" in cell.evidence.sentence
    assert cells[("RUS", "nato_membership")].records == 2


def test_empty():
    assert (
        negotiation_space(connect(":memory:")) == [] and position_matrix(connect(":memory:")) == []
    )
