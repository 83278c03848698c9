from detente.analysis.dedupe import dedupe_events, dedupe_positions
from tests.analysis.peace_talks import peace_talks
from tests.analysis.records_factory import Scenario


def test_one_story_in_two_outlets_counts_once_with_mentions():
    groups = dedupe_events(peace_talks().corpus())
    consult = [g for g in groups if g.record.event_type == "CONSULT" and g.date == "2025-05-16"]
    assert len(consult) == 1
    assert consult[0].mentions == 2
    assert consult[0].doc_ids == ["anka-0516", "wire-0516"]


def test_same_event_in_different_stories_stays_separate():
    s = Scenario()
    for doc_id in ("a", "b"):
        d = s.doc(doc_id, published="2025-01-01")
        s.event(d, "Russia and Ukraine held talks.", "CONSULT", ["RUS"], ["UKR"])
    assert len(dedupe_events(s.corpus())) == 2


def test_firm_and_speculative_reports_are_not_merged():
    s = Scenario()
    d = s.doc("a", published="2025-01-01")
    s.event(d, "They met.", "CONSULT", ["RUS"], ["UKR"])
    s.event(d, "They could meet again.", "CONSULT", ["RUS"], ["UKR"], modality="speculative")
    assert sorted(g.record.modality for g in dedupe_events(s.corpus())) == [
        "asserted",
        "speculative",
    ]


def test_group_keeps_firmest_report_as_representative():
    s = Scenario()
    for doc_id, modality in (("a", "reported"), ("b", "asserted")):
        d = s.doc(doc_id, published="2025-01-01", cluster_id="c1")
        s.event(d, "They met.", "CONSULT", ["RUS"], ["UKR"], modality=modality)
    (group,) = dedupe_events(s.corpus())
    assert group.record.modality == "asserted" and len(group.ids) == 2


def test_positions_merge_within_a_story():
    s = Scenario()
    for doc_id in ("a", "b"):
        d = s.doc(doc_id, published="2025-01-01", cluster_id="c1")
        s.position(d, "Kyiv rejects ceding land.", "territory", "UKR", "reject", "against", 5)
    assert len(dedupe_positions(s.corpus())) == 1
    assert dedupe_events(s.corpus()) == []
