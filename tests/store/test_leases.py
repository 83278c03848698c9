"""Claiming documents: concurrent runs get disjoint documents; a dead run's claims free up."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from detente.ingest.fingerprint import content_hash
from detente.ingest.models import Document
from detente.store import documents, leases
from detente.store.db import connect
from detente.store.records import replace_doc_records


@pytest.fixture
def conn(tmp_path):
    connection = connect(tmp_path / "s.db")
    for i in range(10):
        text = f"Document {i}."
        doc = Document(doc_id=f"d{i}", clean_text=text, raw_text=text, origin=f"{i}.txt",
                       content_hash=content_hash(text))  # fmt: skip
        documents.insert_document(connection, doc, None)
    return connection


def test_two_runs_claim_disjoint_documents(conn):
    a, b = leases.owner_tag(), leases.owner_tag()
    first = {d.doc_id for d in leases.claim(conn, a, 4)}
    second = {d.doc_id for d in leases.claim(conn, b, 4)}
    third = {d.doc_id for d in leases.claim(conn, a, 4)}
    assert len(first) == len(second) == 4 and len(third) == 2
    assert not first & second and not third & (first | second)
    assert leases.claim(conn, b, 4) == []


def test_storing_a_document_ends_its_lease(conn):
    owner = leases.owner_tag()
    (doc,) = leases.claim(conn, owner, 1)
    replace_doc_records(conn, doc.doc_id, [])
    row = conn.execute("SELECT status, lease_owner FROM documents WHERE doc_id = ?", (doc.doc_id,))
    assert tuple(row.fetchone()) == ("coded", None)
    assert leases.pending(conn) == 9


def test_claims_of_a_run_that_died_are_taken_over(conn):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead = f"{socket.gethostname()}:{int(gone.stdout)}:x"
    assert len(leases.claim(conn, dead, 10)) == 10
    assert len(leases.claim(conn, leases.owner_tag(), 10)) == 10


def test_claims_of_another_machine_wait_for_their_expiry(conn):
    elsewhere = "other-host:1:x"
    leases.claim(conn, elsewhere, 10)
    assert leases.claim(conn, leases.owner_tag(), 10) == []
    conn.execute("UPDATE documents SET lease_expires = '2000-01-01T00:00:00+00:00'")
    assert len(leases.claim(conn, leases.owner_tag(), 10)) == 10


def test_recode_queues_coded_and_failed_documents(conn):
    replace_doc_records(conn, "d0", [])
    conn.execute("UPDATE documents SET status = 'failed' WHERE doc_id = 'd1'")
    assert leases.pending(conn) == 8
    assert leases.requeue(conn) == 2
    assert leases.pending(conn) == 10
