import pytest

from detente.analysis.dyads import dyadic_series
from detente.store.db import connect
from tests.analysis.peace_talks import peace_talks
from tests.analysis.records_factory import Scenario


def _single_day() -> Scenario:
    s = Scenario()
    d = s.doc("a", published="2025-04-01")
    s.event(d, "Ukraine and France urged Russia to stop.", "REQUEST", ["UKR", "FRA"], ["RUS"])
    s.event(d, "Russia shelled Kherson.", "ASSAULT", ["RUS"], ["UKR"], mode="heavy-weapons")
    s.event(d, "Russia may shell Odesa.", "THREATEN", ["RUS"], ["UKR"], modality="speculative")
    return s


def test_compound_actor_expands_to_one_row_per_pair():
    rows = dyadic_series(_single_day().db())
    assert {(r.actor, r.recipient) for r in rows} == {
        ("UKR", "RUS"),
        ("FRA", "RUS"),
        ("RUS", "UKR"),
    }
    assert {r.period for r in rows} == {"2025-04-01"}


def test_counts_scores_and_quads_of_firm_events():
    (row,) = [r for r in dyadic_series(_single_day().db()) if r.actor == "RUS"]
    assert row.events == 1 and row.by_type == {"ASSAULT": 1}
    assert row.by_quad == {"material_conflict": 1}
    assert row.score_sum == pytest.approx(-9.5) and row.score_mean == pytest.approx(-9.5)
    assert row.events_other == 0


def test_speculative_events_go_to_separate_columns():
    (row,) = [
        r for r in dyadic_series(_single_day().db(), include_speculative=True) if r.actor == "RUS"
    ]
    assert row.events == 1 and row.events_other == 1
    assert row.score_sum_other == pytest.approx(-3.5)


def test_syndicated_story_counts_once_per_week():
    rows = dyadic_series(peace_talks().db(), freq="week")
    w20 = [r for r in rows if r.period == "2025-W20" and r.actor == "RUS" and r.recipient == "UKR"]
    assert w20[0].by_type["CONSULT"] == 1
    assert w20[0].period_start == "2025-05-12"
    assert "type_CONSULT" in w20[0].as_dict()


def test_monthly_buckets_are_labelled_by_month():
    (row,) = [r for r in dyadic_series(_single_day().db(), freq="month") if r.actor == "RUS"]
    assert (row.period, row.period_start) == ("2025-04", "2025-04-01")


def test_empty_and_unknown_frequency():
    assert dyadic_series(connect(":memory:")) == []
    with pytest.raises(ValueError):
        dyadic_series(_single_day().db(), freq="fortnight")
