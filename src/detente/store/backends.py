"""PostgreSQL behind the SQLite store interface.

Every store module is written against ``sqlite3``'s small surface: ``conn.execute(sql,
params)`` with ``?`` placeholders, rows readable by index and by column name, ``BEGIN
IMMEDIATE`` to serialise writers, ``INSERT OR IGNORE``. :class:`PgConnection` offers the same
surface over psycopg, translating each statement once (cached), so the schema, the
migrations and every query stay one portable text for both databases.

Writers on one PostgreSQL database are serialised like SQLite's: ``BEGIN IMMEDIATE`` becomes
``BEGIN`` plus a transaction-scoped advisory lock, so several ingest workers and a server can
share a store without interleaving a document's records.

A store opened read-only is read-only on PostgreSQL too: the session's transactions are
``READ ONLY``, so the server itself refuses a write, and the refusal surfaces as SQLite's
(``sqlite3.OperationalError``, "attempt to write a readonly database"), which callers already
handle (a reader that cannot rebuild the rollups sums the records instead).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

SERVER_SCHEMES = ("postgresql://", "postgres://")
WRITE_LOCK = 0x64E7E07E
"""Advisory lock key taken by every write transaction (and by migrations)."""


def is_server_url(target: object) -> bool:
    """True when ``target`` names a PostgreSQL database rather than a SQLite file."""
    return str(target).lower().startswith(SERVER_SCHEMES)


def redacted(url: str) -> str:
    """``url`` with its password hidden, for messages."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def dialect(conn: Any) -> str:
    """``postgresql`` for a :class:`PgConnection`, else ``sqlite``."""
    return getattr(conn, "dialect", "sqlite")


class Row(Sequence):
    """A result row readable by position and by column name, like ``sqlite3.Row``."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: Sequence[Any]):
        self._index = index
        self._values = values

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            return self._values[self._index[key]]
        return self._values[key]

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        return list(self._index)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values, strict=True))!r})"


def _row_factory(cursor):
    index = {col.name: i for i, col in enumerate(cursor.description or ())}

    def make(values: Sequence[Any]) -> Row:
        return Row(index, values)

    return make


_CATALOG = re.compile(r"\bsqlite_master\s+WHERE\s+type\s*=\s*'table'\s+AND\s+name\b", re.I)
_INSERT_VERB = re.compile(r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+", re.IGNORECASE)
_COLUMNS = re.compile(r"^\s*INSERT\s+INTO\s+\w+\s*\(([^)]*)\)", re.IGNORECASE)


def _placeholders(sql: str) -> str:
    """``?`` → ``%s`` outside string literals; a literal ``%`` is doubled, as psycopg wants
    whenever parameters are passed."""
    out, quoted = [], False
    for ch in sql:
        if ch == "'":
            quoted = not quoted
        if ch == "%":
            out.append("%%")
        elif ch == "?" and not quoted:
            out.append("%s")
        else:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=512)
def translate(sql: str, with_params: bool = True) -> str:
    """One SQLite statement as PostgreSQL understands it.

    ``INSERT OR IGNORE`` becomes ``ON CONFLICT DO NOTHING``; ``INSERT OR REPLACE`` becomes an
    upsert on the first listed column, which must be the table's key (it is wherever the
    store uses it); ``BLOB`` columns become ``BYTEA`` and ``INTEGER`` ones ``BIGINT`` (SQLite's
    integers are 64-bit); a lookup of a table in
    ``sqlite_master`` reads ``information_schema.tables``.
    """
    match = _INSERT_VERB.match(sql)
    if match:
        sql = "INSERT INTO " + sql[match.end() :]
        if match.group(1).upper() == "IGNORE":
            sql += " ON CONFLICT DO NOTHING"
        else:
            cols = [c.strip() for c in _COLUMNS.match(sql).group(1).split(",")]
            updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in cols[1:])
            sql += f" ON CONFLICT ({cols[0]}) DO UPDATE SET {updates}"
    if sql.lstrip().upper().startswith(("CREATE TABLE", "ALTER TABLE")):
        sql = re.sub(r"\bBLOB\b", "BYTEA", sql)
        sql = re.sub(r"\bINTEGER\b", "BIGINT", sql)
    sql = _CATALOG.sub(
        "information_schema.tables WHERE table_schema = current_schema() AND table_name", sql
    )
    return _placeholders(sql) if with_params else sql


class ReadOnlyError(sqlite3.OperationalError):
    """A write on a store opened read-only (what SQLite raises in the same case)."""


@contextmanager
def _writes_refused(readonly: bool) -> Iterator[None]:
    if not readonly:
        yield
        return
    from psycopg.errors import ReadOnlySqlTransaction

    try:
        yield
    except ReadOnlySqlTransaction as exc:
        raise ReadOnlyError(
            "attempt to write a readonly database (the PostgreSQL store was opened read-only)"
        ) from exc


class PgConnection:
    """A psycopg connection in autocommit mode that speaks the store's SQLite dialect."""

    dialect = "postgresql"

    def __init__(self, raw):
        self.raw = raw
        self.readonly = False

    def set_readonly(self) -> None:
        """From now on every transaction of this session is READ ONLY: the server refuses
        writes (:class:`ReadOnlyError`)."""
        self.raw.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        self.readonly = True

    def execute(self, sql: str, params: Sequence[Any] | None = None):
        if sql.strip().upper() == "BEGIN IMMEDIATE":
            cursor = self.raw.execute("BEGIN")
            if not self.readonly:  # a reader cannot write: it need not queue behind writers
                self.raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            return cursor
        cursor = self.raw.cursor(row_factory=_row_factory)
        with _writes_refused(self.readonly):
            if params:
                return cursor.execute(translate(sql), tuple(params))
            return cursor.execute(translate(sql, with_params=False))

    def executemany(self, sql: str, rows):
        cursor = self.raw.cursor(row_factory=_row_factory)
        rows = [tuple(r) for r in rows]
        if rows:
            with _writes_refused(self.readonly):
                cursor.executemany(translate(sql), rows)
        return cursor

    @property
    def in_transaction(self) -> bool:
        """As ``sqlite3.Connection.in_transaction``: inside an explicit BEGIN."""
        from psycopg.pq import TransactionStatus

        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def __enter__(self) -> PgConnection:
        return self

    def __exit__(self, kind, value, trace) -> None:
        """As ``with sqlite3_connection:``: end an open transaction (commit, or roll back
        after an exception); the connection stays open."""
        if self.in_transaction:
            self.raw.execute("ROLLBACK" if kind else "COMMIT")

    def close(self) -> None:
        self.raw.close()

    @property
    def closed(self) -> bool:
        return bool(self.raw.closed)


def connect_server(url: str) -> PgConnection:
    """Open a PostgreSQL database; the caller migrates it under :func:`migration_lock`."""
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("PostgreSQL needs psycopg: pip install 'detente[postgres]'") from exc
    try:
        raw = psycopg.connect(url, autocommit=True)
    except psycopg.OperationalError as exc:  # unreachable, refused, no such database …
        reason = " ".join(str(exc).split())
        raise ConnectionError(f"cannot open {redacted(url)}: {reason}") from None
    # The store's queries are short, indexed lookups: compiling them (JIT) costs more than
    # it saves (measured: 37 ms of a 140 ms matrix query).
    raw.execute("SET jit = off")
    return PgConnection(raw)


@contextmanager
def migration_lock(conn: Any) -> Iterator[None]:
    """Hold the write lock for the whole migration on PostgreSQL, so two processes opening a
    fresh database at once do not both create its tables; SQLite needs nothing here."""
    if dialect(conn) != "postgresql":
        yield
        return
    conn.raw.execute("SELECT pg_advisory_lock(%s)", (WRITE_LOCK,))
    try:
        yield
    finally:
        conn.raw.execute("SELECT pg_advisory_unlock(%s)", (WRITE_LOCK,))
