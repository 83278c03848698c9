"""Connection handling and migrations for the embedded SQLite store.

Every write goes through :func:`transaction`, so an exception or Ctrl-C inside a
write rolls back to the last committed state: nothing is ever half-written.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from detente.store import backends
from detente.store.schema import MIGRATIONS

DEFAULT_DB = "detente.db"


def connect(path: str | Path = DEFAULT_DB) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at ``path`` (or a PostgreSQL URL)."""
    if backends.is_server_url(path):
        conn = backends.connect_server(str(path))
        with backends.migration_lock(conn):
            migrate(conn)
        return conn  # type: ignore[return-value]
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=30)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        # WAL with synchronous=NORMAL: a crash can lose the last commits but never
        # leaves a half-written one, and per-document commits stop waiting on fsync.
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    migrate(conn)
    return conn


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(conn: sqlite3.Connection) -> int:
    """Apply pending migrations, each atomically; returns the resulting version."""
    version = current_version(conn)
    for number, statements in enumerate(MIGRATIONS[version:], start=version + 1):
        with transaction(conn):
            for sql in statements:
                conn.execute(sql)
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (number,))
        version = number
    return version


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, rolling back on any exception including KeyboardInterrupt."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
