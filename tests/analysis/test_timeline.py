from detente.analysis.timeline import event_kind, key_timeline
from detente.store.db import connect
from tests.analysis.peace_talks import peace_talks
from tests.analysis.records_factory import Scenario


def test_timeline_holds_key_events_and_process_records_in_date_order():
    entries = key_timeline(peace_talks().db())
    dates = [t.date for t in entries]
    assert dates == sorted(dates)
    kinds = {t.kind for t in entries}
    assert {"talks", "exchange", "ceasefire", "offer/agreement", "threat", "escalation"} <= kinds
    assert "ACCUSE" not in {t.event_type for t in entries}
    assert {t.origin for t in entries} == {"event", "process"}


def test_entries_carry_evidence_offsets_that_point_at_the_sentence():
    scenario = peace_talks()
    texts = {d.doc_id: d.text for d in scenario.docs}
    for entry in key_timeline(scenario.db()):
        assert entry.evidence and entry.record_ids
        for ev in entry.evidence:
            assert texts[ev.doc_id][ev.start : ev.end] == ev.sentence


def test_release_mode_is_an_exchange_and_speculation_is_opt_in():
    s = Scenario()
    d = s.doc("a", published="2025-02-01")
    e = s.event(d, "Russia freed 50 prisoners.", "RETREAT", ["RUS"], ["UKR"], mode="release")
    s.event(d, "A truce could follow.", "RETREAT", ["RUS"], ["UKR"], mode="ceasefire",
            modality="speculative")  # fmt: skip
    assert event_kind(e) == "exchange"
    assert [t.kind for t in key_timeline(s.db())] == ["exchange"]
    assert [t.kind for t in key_timeline(s.db(), include_speculative=True)] == [
        "ceasefire",
        "exchange",
    ]


def test_empty_corpus_gives_empty_timeline():
    assert key_timeline(connect(":memory:")) == []
