"""Behaviour added after running the analyses on real coder output, where records differ
from factory-built ones: unresolved mentions, misread dates, pronoun attributions,
outlets without a name, sentences with trailing blanks."""

from detente.analysis.dyads import dyadic_series
from detente.analysis.evidence import event_evidence, position_evidence, process_evidence
from detente.analysis.signal import signal_index
from detente.analysis.sources import source_table
from detente.analysis.tables import compact, dyad_rows
from detente.analysis.timeline import key_timeline
from detente.coding.models import ActorRef, Attribution
from detente.store import queries
from detente.store.derived import DocInfo
from tests.analysis.records_factory import Scenario


def test_dyads_and_timeline_skip_unresolved_mentions():
    s = Scenario()
    d = s.doc("a", published="2025-03-24")
    e = s.event(d, "Ukrainian forces shot down 57 of the drones.", "ASSAULT", ["UKR"], [])
    e.recipient = [ActorRef(text="57 of the drones")]
    anon = s.event(d, "The attack came as envoys met.", "ASSAULT", [], [])
    anon.actor = [ActorRef(text="The attack")]
    s.event(d, "Russia struck Kharkiv.", "ASSAULT", ["RUS"], ["UKR"])
    assert [(r.actor, r.recipient) for r in dyadic_series(s.db())] == [("RUS", "UKR")]
    labels = [t.label for t in key_timeline(s.db())]
    assert labels == ["RUS ASSAULT → UKR", "UKR ASSAULT → 57 of the drones"]
    conn = s.db()
    assert anon.id not in {i for p in signal_index(conn) for i in p.record_ids}
    assert {i for p in signal_index(conn) for i in p.record_ids}


def test_a_firm_record_dated_after_its_article_takes_the_publication_day():
    s = Scenario()
    d = s.doc("a", published="2025-02-12")
    late = s.event(d, "Russia and the US agreed to talks.", "AGREE", ["RUS"], ["USA"],
                   date="2026-01-01")  # fmt: skip
    planned = s.event(d, "They will meet in March.", "CONSULT", ["RUS"], ["USA"],
                      date="2025-03-20", modality="future")  # fmt: skip
    conn = s.db()
    merged = {m.record.id: m for m in queries.merged_events(conn, queries.ALL, limit=None)}
    assert merged[late.id].date == "2025-02-12"
    assert merged[planned.id].date == "2025-03-20"
    # A forecast is a signal in the week it was published, not the week it points to.
    (point,) = signal_index(conn)
    assert point.week == "2025-W07" and point.items == 2
    assert set(point.record_ids) == {late.id, planned.id}


def test_evidence_carries_a_one_line_summary_and_trimmed_offsets():
    s = Scenario()
    d = s.doc("a", published="2025-05-16", source=None, url=None, title="Talks in Istanbul")
    e = s.event(d, "Russia met Ukraine in Istanbul.", "CONSULT", ["RUS"], ["UKR"], mode="visit")
    p = s.position(d, "Kyiv proposed a truce.", "ceasefire", "UKR", "propose", "favor", 90)
    r = s.process("talks", [d], "Delegations met.  ", parties=["RUS", "UKR"], status="held",
                  venue="Istanbul")  # fmt: skip
    corpus = {d.doc_id: DocInfo(d.doc_id, source=None, title=d.title, published=d.published)}
    ref = event_evidence(corpus, e)
    assert ref.what == "RUS CONSULT (visit) → UKR" and ref.source == "“Talks in Istanbul”"
    assert position_evidence(corpus, p).what == "UKR: propose on ceasefire (favor, 90/100)"
    (proc,) = process_evidence(corpus, r)
    assert proc.sentence == "Delegations met." and proc.end - proc.start == len(proc.sentence)
    assert d.text[proc.start : proc.end] == proc.sentence
    assert proc.what == "talks: RUS, UKR; held; at Istanbul"


def test_sources_show_titles_for_unnamed_outlets_and_ignore_pronoun_attributions():
    s = Scenario()
    d = s.doc("a", published="2025-05-16", source=None, url=None, title="Strike on Kharkiv")
    e = s.event(d, "He said Russia struck Kharkiv.", "ASSAULT", ["RUS"], ["UKR"])
    e.attribution = Attribution(text="he")
    (row,) = source_table(s.db())
    assert row.source == "“Strike on Kharkiv”" and row.top_quoted() == []
    assert DocInfo("x", title=None).outlet_label == "document x"


def test_terminal_dyad_table_summarises_type_counts():
    s = Scenario()
    d = s.doc("a", published="2025-04-01")
    s.event(d, "Russia shelled Kherson.", "ASSAULT", ["RUS"], ["UKR"])
    s.event(d, "Russia threatened Kyiv.", "THREATEN", ["RUS"], ["UKR"])
    (row,) = dyad_rows(dyadic_series(s.db()))
    assert row["type_ASSAULT"] == 1 and row["types"] == "ASSAULT 1, THREATEN 1"
    (short,) = compact([row])
    assert "types" in short and not any(k.startswith(("type_", "quad_")) for k in short)
    assert "record_ids" not in short and "period_start" not in short
