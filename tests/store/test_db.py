"""Connections, migrations and the transaction guarantee."""

from __future__ import annotations

import sqlite3

import pytest

from detente.store import db
from detente.store.db import (
    StoreError,
    connect,
    current_version,
    migrate,
    store_error,
    stored_version,
    transaction,
)
from detente.store.schema import MIGRATIONS, SCHEMA_VERSION


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


# --- opening a store: every failure is one StoreError naming the path -----------------------


def _store_error(path, **kwargs) -> str:
    with pytest.raises(StoreError) as caught:
        connect(path, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_directory_is_refused(tmp_path):
    message = _store_error(tmp_path)
    assert str(tmp_path) in message and "directory" in message


def test_a_missing_folder_is_refused(tmp_path):
    path = tmp_path / "nowhere" / "x.db"
    assert "does not exist" in _store_error(path)
    assert not path.parent.exists()


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are notes, not a database\n" * 10)
    for readonly in (False, True):
        message = _store_error(path, readonly=readonly)
        assert str(path) in message and "not a detente store" in message
    assert path.read_text().startswith("these are notes")


def test_reading_a_missing_store_refuses_instead_of_creating_it(tmp_path):
    path = tmp_path / "typo.db"
    assert "no store at" in _store_error(path, readonly=True)
    assert not path.exists()


def test_reading_opens_read_only_without_switching_the_journal(tmp_path):
    path = tmp_path / "x.db"
    connect(path).close()
    with sqlite3.connect(path) as plain:  # a store copied from elsewhere, rollback journal
        plain.execute("PRAGMA journal_mode = DELETE")
    conn = connect(path, readonly=True)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM documents")
    conn.close()
    assert not (tmp_path / "x.db-wal").exists()


def test_a_store_from_a_newer_detente_is_refused_with_its_version(tmp_path):
    path = tmp_path / "x.db"
    conn = connect(path)
    conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION + 5,))
    conn.close()
    for readonly in (False, True):
        message = _store_error(path, readonly=readonly)
        assert f"v{SCHEMA_VERSION + 5}" in message and "newer detente" in message


def test_an_older_store_is_migrated_after_a_backup(tmp_path):
    path = tmp_path / "x.db"
    old = sqlite3.connect(path, isolation_level=None)
    old.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    for sql in MIGRATIONS[0]:
        old.execute(sql)
    old.execute("INSERT INTO schema_version VALUES (1)")
    old.execute(
        "INSERT INTO clusters (cluster_id, first_doc_id, mentions, created)"
        " VALUES ('c', 'd', 1, 'x')"
    )
    old.close()
    lines = []
    conn = connect(path, readonly=True, notify=lines.append)
    assert stored_version(conn) == SCHEMA_VERSION
    backup = tmp_path / "x.db.v1.bak"
    assert backup.exists() and str(backup) in lines[0]
    with sqlite3.connect(backup) as kept:
        assert kept.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == 1
        assert kept.execute("SELECT COUNT(*) FROM clusters").fetchone()[0] == 1


def test_a_locked_store_says_so(tmp_path, monkeypatch):
    path = tmp_path / "x.db"
    connect(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(db, "BUSY_TIMEOUT", 0.05)
    try:
        conn = connect(path)
        with pytest.raises(sqlite3.OperationalError) as caught:
            conn.execute("BEGIN IMMEDIATE")
        message = str(store_error(path, caught.value))
    finally:
        holder.execute("ROLLBACK")
    assert str(path) in message and "locked" in message and "wait" in message


def test_sqlite_failures_become_one_line_with_what_to_do():
    message = str(
        store_error("s.db", sqlite3.OperationalError("attempt to write a readonly database"))
    )
    assert message.startswith("s.db is read-only") and "writable" in message
    message = str(store_error("s.db", sqlite3.DatabaseError("file is not a database")))
    assert "not a detente store" in message


@pytest.mark.parametrize("command", ["events", "docs", "code", "positions", "timeline", "report"])
def test_commands_print_one_line_for_a_bad_store(tmp_path, command):
    from typer.testing import CliRunner

    from detente.cli.main import app

    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database\n")
    cases = {
        tmp_path / "missing" / "x.db": "no store",
        tmp_path: "is a directory",
        text_file: "not a detente store",
        tmp_path / "typo.db": "no store at",
    }
    for path, expected in cases.items():
        result = CliRunner().invoke(app, [command, "--db", str(path)], env={"COLUMNS": "60"})
        assert result.exit_code == 1, result.output
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit
        )
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and expected in lines[0] and str(path) in lines[0], result.output
    assert not (tmp_path / "typo.db").exists()
