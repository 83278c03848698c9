"""The documents store API used by later stages."""

from __future__ import annotations

import pytest

from detente.ingest.fingerprint import content_hash
from detente.ingest.models import Document
from detente.store import documents, records
from detente.store.db import connect


def make(doc_id: str, text: str, published: str | None, origin: str) -> Document:
    return Document(
        doc_id=doc_id,
        clean_text=text,
        raw_text=text,
        published=published,
        origin=origin,
        content_hash=content_hash(text),
        meta={"k": 1},
    )


@pytest.fixture
def conn():
    connection = connect(":memory:")
    documents.insert_document(connection, make("b", "Talks resumed.", "2025-05-16", "b.txt"), None)
    documents.insert_document(connection, make("a", "A swap took place.", None, "a.txt"), None)
    yield connection
    connection.close()


def test_get_roundtrips_document(conn):
    doc = documents.get(conn, "b")
    assert doc.clean_text == "Talks resumed." and doc.published == "2025-05-16"
    assert doc.meta == {"k": 1} and doc.status == "new" and doc.cluster_id
    assert documents.get(conn, "missing") is None


def test_list_orders_by_date_and_filters_status(conn):
    assert [d.doc_id for d in documents.list_documents(conn)] == ["b", "a"]
    records.replace_doc_records(conn, "a", [])  # coded, with no records
    assert [d.doc_id for d in documents.list_documents(conn, status="coded")] == ["a"]
    assert [d.doc_id for d in documents.list_documents(conn, status="new")] == ["b"]


def test_mentions_count_distinct_origins(conn):
    cluster = documents.get(conn, "a").cluster_id
    copy = make("a2", "A swap took place.", None, "copy.txt")
    assert documents.record_duplicate(conn, cluster, copy, "a") is True
    assert documents.record_duplicate(conn, cluster, copy, "a") is False
    assert documents.cluster_mentions(conn)[cluster] == 2
    assert [s["origin"] for s in documents.cluster_sources(conn, cluster)] == ["a.txt", "copy.txt"]
