"""The store's interface on SQLite and on PostgreSQL: the same calls, the same answers.

PostgreSQL cases use the server ``.ci/run`` starts (``DETENTE_TEST_PG``) and skip with the
reason when it is not running.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest

from detente.analysis.dyads import dyadic_series
from detente.analysis.matrix import position_matrix
from detente.analysis.signal import signal_index
from detente.analysis.space import negotiation_space
from detente.analysis.timeline import key_timeline, timeline_counts
from detente.ingest.fingerprint import content_hash
from detente.ingest.models import Document
from detente.store import documents, queries
from detente.store.backends import is_server_url, translate
from detente.store.db import StoreError, connect, current_version, migrate, transaction
from detente.store.queries import Filters
from detente.store.schema import SCHEMA_VERSION
from tests.api.support import BACKENDS, pg_url, store_url, story


@pytest.fixture(params=BACKENDS)
def url(request, tmp_path) -> str:
    return store_url(request.param, tmp_path)


@pytest.fixture
def conn(url):
    connection = connect(url)
    yield connection
    connection.close()


def make(doc_id: str, text: str, published: str | None, origin: str) -> Document:
    return Document(doc_id=doc_id, clean_text=text, raw_text=text, published=published,
                    origin=origin, content_hash=content_hash(text), meta={"k": 1})  # fmt: skip


def test_translation_of_the_sqlite_dialect():
    assert translate("SELECT a FROM t WHERE b = ? AND c LIKE '%?%'") == (
        "SELECT a FROM t WHERE b = %s AND c LIKE '%%?%%'"
    )
    assert translate("INSERT OR IGNORE INTO t (a, b) VALUES (?,?)") == (
        "INSERT INTO t (a, b) VALUES (%s,%s) ON CONFLICT DO NOTHING"
    )
    assert translate("INSERT OR REPLACE INTO t (k, a, b) VALUES (?,?,?)").endswith(
        "ON CONFLICT (k) DO UPDATE SET a = EXCLUDED.a, b = EXCLUDED.b"
    )
    assert translate("CREATE TABLE t (m BLOB, n INTEGER)") == "CREATE TABLE t (m BYTEA, n BIGINT)"
    assert translate("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'v'") == (
        "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema()"
        " AND table_name = 'v'"
    )
    assert is_server_url("postgresql://u@h/db") and not is_server_url("detente.db")


def test_connect_migrates_once(url, conn):
    assert current_version(conn) == SCHEMA_VERSION
    again = connect(url)
    assert migrate(again) == SCHEMA_VERSION
    again.close()


def test_documents_roundtrip_and_mentions(conn):
    doc = make("b", "Talks resumed in Istanbul.", "2025-05-16", "b.txt")
    cluster = documents.insert_document(conn, doc, b"\x00\x01minhash")
    documents.insert_document(conn, make("a", "A swap took place.", None, "a.txt"), None)
    got = documents.get(conn, "b")
    assert got.clean_text == "Talks resumed in Istanbul." and got.meta == {"k": 1}
    assert documents.find_by_hash(conn, doc.content_hash) == ("b", cluster)
    assert [d.doc_id for d in documents.list_documents(conn)] == ["b", "a"]
    stored = conn.execute("SELECT doc_id, minhash FROM documents WHERE minhash IS NOT NULL")
    assert [tuple(r) for r in stored] == [("b", b"\x00\x01minhash")]
    copy = make("b2", doc.clean_text, None, "elsewhere.txt")
    assert documents.record_duplicate(conn, cluster, copy, "b") is True
    assert documents.record_duplicate(conn, cluster, copy, "b") is False
    assert documents.cluster_mentions(conn)[cluster] == 2
    assert {s["origin"] for s in documents.cluster_sources(conn, cluster)} == {
        "b.txt", "elsewhere.txt",
    }  # fmt: skip


def test_records_and_analyses_agree_across_backends(conn, tmp_path):
    story().store(conn)
    reference = connect(str(tmp_path / "reference.db"))
    story().store(reference)
    ukraine = Filters(process="russia-ukraine")
    for query in (
        lambda c: queries.list_events(c, Filters(actor="RUS", since="2025-05-10"), limit=None),
        lambda c: queries.list_positions(c, Filters(issue="ceasefire", min_confidence=0.5)),
        lambda c: queries.list_process_records(c, ukraine, kind="talks"),
        lambda c: position_matrix(c, ukraine),
        lambda c: signal_index(c, ukraine),
        lambda c: key_timeline(c, ukraine, limit=None),
        lambda c: timeline_counts(c, ukraine, "week"),
        lambda c: dyadic_series(c, ukraine, "week"),
        lambda c: dyadic_series(c, Filters(), "month"),  # the rollups
        lambda c: signal_index(c, Filters()),
        lambda c: negotiation_space(c, ukraine),
    ):
        assert query(conn) == query(reference)
        assert query(reference)


def test_a_failed_write_leaves_nothing(conn):
    with pytest.raises(RuntimeError), transaction(conn):
        conn.execute(
            "INSERT INTO clusters (cluster_id, first_doc_id, created) VALUES ('c', 'd', 'now')"
        )
        raise RuntimeError("interrupted")
    assert conn.execute("SELECT COUNT(*) FROM clusters").fetchone()[0] == 0


def test_concurrent_writers_do_not_lose_updates(url, conn):
    """Read-modify-write in a transaction from several connections at once: the writer
    lock (BEGIN IMMEDIATE / advisory lock) makes each one see the last committed value."""
    with transaction(conn):
        conn.execute(
            "INSERT INTO clusters (cluster_id, first_doc_id, mentions, created)"
            " VALUES ('c', 'd', 0, 'now')"
        )
    errors: list[BaseException] = []

    def bump() -> None:
        mine = connect(url)
        try:
            for _ in range(25):
                with transaction(mine):
                    row = mine.execute(
                        "SELECT mentions FROM clusters WHERE cluster_id = ?", ("c",)
                    ).fetchone()
                    mine.execute(
                        "UPDATE clusters SET mentions = ? WHERE cluster_id = ?", (row[0] + 1, "c")
                    )
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            mine.close()

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert conn.execute("SELECT mentions FROM clusters").fetchone()[0] == 100


def test_a_store_opened_read_only_refuses_writes(url, conn):
    documents.insert_document(conn, make("a", "A swap took place.", None, "a.txt"), None)
    reader = connect(url, readonly=True)
    try:
        assert documents.get(reader, "a").clean_text == "A swap took place."
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.execute("INSERT INTO feeds (url) VALUES ('https://x.test/rss')")
        with pytest.raises(sqlite3.OperationalError, match="readonly"), transaction(reader):
            reader.execute("DELETE FROM documents")
        # The refusal left the reader usable and the store whole.
        assert reader.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 1
        assert conn.execute("SELECT COUNT(*) FROM feeds").fetchone()[0] == 0
    finally:
        reader.close()


@pytest.mark.postgres
def test_an_empty_postgresql_database_is_not_opened_read_only():
    with pytest.raises(StoreError, match="holds no detente store yet"):
        connect(pg_url(), readonly=True)
