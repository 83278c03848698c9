"""The per-record facts the read side stores beside each record."""

from detente.store.derived import DocInfo, day, derive_pending
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


def _columns(conn, record_id):
    derive_pending(conn)
    return conn.execute(
        "SELECT day, week, signal_week, firm, story, source, kind, named FROM events WHERE id = ?",
        (record_id,),
    ).fetchone()


def test_undated_event_takes_publication_day_and_a_late_firm_one_too():
    s = Scenario()
    d = s.doc("d1", published="2025-03-02T08:00:00", cluster_id="c1")
    undated = s.event(d, "Talks were held.", "CONSULT", ["RUS"], ["UKR"], date=None)
    late = s.event(d, "They agreed.", "AGREE", ["RUS"], ["USA"], date="2026-01-01")
    planned = s.event(d, "They will meet.", "CONSULT", ["RUS"], ["USA"], date="2025-03-20",
                      modality="future")  # fmt: skip
    conn = s.db()
    assert tuple(_columns(conn, undated.id)) == (
        "2025-03-02", "2025-02-24", "2025-02-24", 1, "c1", "Test Wire", "talks", 1,
    )  # fmt: skip
    assert _columns(conn, late.id)[0] == "2025-03-02"
    # A forecast happens on its own day but is a signal in the week it was said.
    day_, week, signal_week, firm = tuple(_columns(conn, planned.id))[:4]
    assert (day_, week, signal_week, firm) == ("2025-03-20", "2025-03-17", "2025-02-24", 0)


def test_rows_written_without_derivation_are_derived_on_the_next_read():
    s = Scenario()
    d = s.doc("a", published="2025-01-01")
    s.event(d, "Russia struck Kharkiv.", "ASSAULT", ["RUS"], ["UKR"])
    conn = s.db()
    conn.execute("UPDATE events SET derived = NULL, day = NULL")
    conn.execute("DELETE FROM event_parties")
    assert derive_pending(conn) == 1
    assert conn.execute("SELECT day FROM events").fetchone()[0] == "2025-01-01"
    assert conn.execute("SELECT COUNT(*) FROM event_parties").fetchone()[0] == 2
    assert derive_pending(conn) == 0


def test_recoding_a_document_drops_its_derived_rows():
    from detente.store.records import replace_doc_records

    s = Scenario()
    d = s.doc("a", published="2025-01-01")
    s.event(d, "Russia struck Kharkiv.", "ASSAULT", ["RUS"], ["UKR"])
    conn = s.db()
    derive_pending(conn)
    replace_doc_records(conn, "a", [])
    assert conn.execute("SELECT COUNT(*) FROM event_parties").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM event_processes").fetchone()[0] == 0


def test_a_store_derived_under_the_previous_read_side_migrates_and_derives_again(tmp_path):
    import sqlite3

    from detente.store.db import connect
    from detente.store.schema import MIGRATIONS

    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    for number, statements in enumerate(MIGRATIONS[:2], start=1):
        for sql in statements:
            old.execute(sql)
        old.execute("INSERT INTO schema_version (version) VALUES (?)", (number,))
    old.commit()
    old.close()
    s = Scenario()
    d = s.doc("a", published="2025-01-01")
    s.event(d, "Russia struck Kharkiv.", "ASSAULT", ["RUS"], ["UKR"])
    conn = connect(path)
    s.store(conn)
    derive_pending(conn)
    assert tuple(conn.execute("SELECT lead, pair, pairs FROM events").fetchone()) == (
        1, "RUS>UKR", 1,
    )  # fmt: skip
