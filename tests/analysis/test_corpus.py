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


def test_undated_event_takes_publication_day():
    s = Scenario()
    d = s.doc("d1", published="2025-03-02T08:00:00")
    e = s.event(d, "Talks were held.", "CONSULT", ["RUS"], ["UKR"], date=None)
    assert s.corpus().date_of(e) == "2025-03-02"


def test_filter_by_process_keeps_events_of_linked_documents():
    corpus = peace_talks().corpus()
    other = filter_corpus(corpus, process="sudan")
    assert other.is_empty
    ru = filter_corpus(corpus, process="russia-ukraine")
    assert {e.doc_id for e in ru.events} <= {p.doc_id for p in ru.positions} | {
        d for r in ru.process_records for d in r.doc_ids
    }
    assert "kyiv-0505" not in {e.doc_id for e in ru.events}


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
