"""Connections, migrations and the transaction guarantee."""

from __future__ import annotations

import pytest

from detente.store.db import connect, current_version, migrate, transaction
from detente.store.schema import SCHEMA_VERSION


def test_connect_migrates_and_is_idempotent(tmp_path):
    path = tmp_path / "x.db"
    conn = connect(path)
    assert current_version(conn) == SCHEMA_VERSION
    conn.close()
    conn = connect(path)
    assert migrate(conn) == SCHEMA_VERSION
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"documents", "clusters", "cluster_sources"} <= tables


def test_transaction_rolls_back_on_interrupt():
    conn = connect(":memory:")
    with pytest.raises(KeyboardInterrupt), transaction(conn):
        conn.execute(
            "INSERT INTO clusters (cluster_id, first_doc_id, created) VALUES ('c', 'd', 'now')"
        )
        raise KeyboardInterrupt
    assert conn.execute("SELECT COUNT(*) FROM clusters").fetchone()[0] == 0
