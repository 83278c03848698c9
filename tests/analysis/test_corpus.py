from detente.analysis.corpus import Corpus, DocInfo, day, filter_corpus, load_corpus
from detente.store.db import connect
from tests.analysis.peace_talks import peace_talks
from tests.analysis.records_factory import Scenario


def test_day_keeps_full_dates_only():
    assert day("2025-05-16T10:00:00Z") == "2025-05-16"
    assert day("2025-05") is None
    assert day(None) is None


def test_outlet_falls_back_to_url_host_then_doc_id():
    assert DocInfo("d", url="https://www.example.org/a").outlet == "example.org"
    assert DocInfo("d").outlet == "d"


def test_outlet_label_shows_a_title_rather_than_a_document_id():
    assert DocInfo("d", source="Kyiv Ledger").outlet_label == "Kyiv Ledger"
    assert (
        DocInfo("d", title="Talks  resume in\nIstanbul").outlet_label
        == "“Talks resume in Istanbul”"
    )
    assert len(DocInfo("d", title="x" * 200).outlet_label) == 50
    assert DocInfo("d").outlet_label == "document d"


def test_undated_event_takes_publication_day():
    s = Scenario()
    d = s.doc("d1", published="2025-03-02T08:00:00")
    e = s.event(d, "Talks were held.", "CONSULT", ["RUS"], ["UKR"], date=None)
    assert s.corpus().date_of(e) == "2025-03-02"


def test_filter_by_process_keeps_events_of_its_belligerents():
    corpus = peace_talks().corpus()
    assert filter_corpus(corpus, process="sudan").is_empty
    ru = filter_corpus(corpus, process="russia-ukraine")
    # Every event of the story has Russia or Ukraine on one side, including kyiv-0505,
    # whose document holds no position or process record.
    assert len(ru.events) == len(corpus.events)
    assert "kyiv-0505" in {e.doc_id for e in ru.events}
    assert filter_corpus(corpus, process="israel-hamas").is_empty


def test_filter_by_process_needs_a_document_link_for_third_parties():
    s = Scenario()
    kyiv = s.doc("kyiv", published="2025-03-03")
    s.position(kyiv, "Kyiv proposed talks.", "talks", "UKR", "propose", "favor", 80)
    s.event(kyiv, "The US agreed to host them.", "AGREE", ["USA"], ["TUR"])
    gaza = s.doc("gaza", published="2025-03-03")
    s.position(gaza, "Israel accepted.", "ceasefire", "ISR", "accept", "favor", 60,
               process="israel-hamas")  # fmt: skip
    s.event(gaza, "The US pressed Qatar.", "REQUEST", ["USA"], ["QAT"])
    loose = s.doc("loose", published="2025-03-03")
    s.event(loose, "The US met Turkish officials.", "CONSULT", ["USA"], ["TUR"])
    s.position(loose, "Russia rejects it.", "talks", "RUS", "reject", "against", 10,
               process=None)  # fmt: skip
    ru = filter_corpus(s.corpus(), process="russia-ukraine")
    assert {e.doc_id for e in ru.events} == {"kyiv", "loose"}
    assert {p.doc_id for p in ru.positions} == {"kyiv", "loose"}
    gaza_view = filter_corpus(s.corpus(), process="israel-hamas")
    assert {e.doc_id for e in gaza_view.events} == {"gaza"}


def test_filter_by_dates_is_inclusive():
    corpus = filter_corpus(peace_talks().corpus(), since="2025-05-16", until="2025-05-16")
    assert corpus.events and {corpus.date_of(e) for e in corpus.events} == {"2025-05-16"}
    assert [r.kind for r in corpus.process_records] == ["talks"]


def test_load_corpus_reads_records_and_clusters_from_the_store(tmp_path):
    conn = connect(tmp_path / "t.db")
    peace_talks().store(conn)
    corpus = load_corpus(conn)
    assert len(corpus.events) == 17 and len(corpus.positions) == 11
    assert len(corpus.process_records) == 4
    assert corpus.doc("anka-0516").mentions == 2
    assert corpus.doc("anka-0516").story == "istanbul-talks"


def test_empty_store_gives_empty_corpus(tmp_path):
    corpus = load_corpus(connect(tmp_path / "t.db"))
    assert corpus.is_empty and corpus == Corpus()
