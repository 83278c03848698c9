"""Opening the embedded SQLite store, migrations and the transaction guarantee.

Every write goes through :func:`transaction`, so an exception or Ctrl-C inside a
write rolls back to the last committed state: nothing is ever half-written.

:func:`connect` is the one way in. Anything that keeps a store from being opened
(a directory, a missing folder, a file that is not SQLite, a read-only or locked file,
a store written by a newer detente) is raised as :class:`StoreError`, whose message
names the path and what to do; the CLI prints it as one line. Readers open the file
read-only (no journal switch, nothing created), writers migrate an older store after
copying it to a backup file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from detente.store import backends
from detente.store.schema import MIGRATIONS, SCHEMA_VERSION

DEFAULT_DB = "detente.db"
BUSY_TIMEOUT = 30.0
"""Seconds a connection waits for another writer before reporting the store as locked."""
SQLITE_HEADER = b"SQLite format 3\x00"


class StoreError(Exception):
    """A store that cannot be used as asked; the message says which path and what to do."""


def connect(
    path: str | Path = DEFAULT_DB,
    *,
    readonly: bool = False,
    notify: Callable[[str], None] | None = None,
) -> sqlite3.Connection:
    """Open the store at ``path``: read-only (it must exist) or for writing (created and
    migrated as needed). ``notify`` receives a line when an older store is migrated.
    A ``postgresql://`` URL opens that database instead (:mod:`detente.store.backends`)."""
    if backends.is_server_url(path):
        try:
            conn = backends.connect_server(str(path))
        except ConnectionError as exc:
            raise StoreError(f"{exc}: check --db and that the server is running") from None
        version = stored_version(conn)  # type: ignore[arg-type]
        if readonly and version == 0:
            conn.close()
            where = backends.redacted(str(path))
            raise StoreError(f"{where} holds no detente store yet: check --db")
        if not readonly or version < SCHEMA_VERSION:  # an older store is upgraded, then read
            with backends.migration_lock(conn):
                migrate(conn)  # type: ignore[arg-type]
        if readonly:
            conn.set_readonly()
        return conn  # type: ignore[return-value]
    if str(path) == ":memory:":
        conn = _open(":memory:", "")
        migrate(conn)
        return conn
    path = Path(path)
    _check_path(path, readonly)
    if readonly:
        version = _peek_version(path)
        if version == 0:
            raise StoreError(
                f"{path} holds no detente store yet: check --db, or fill it with `detente ingest`"
            )
        if version < SCHEMA_VERSION:
            # An older store is upgraded once (with a backup), then read as usual.
            connect(path, notify=notify).close()
        conn = _open(f"file:{quote(str(path.resolve()))}?mode=ro", path)
        _check_version(conn, path)
        return conn
    conn = _open(str(path), path)
    try:
        version = _check_version(conn, path)
        # WAL with synchronous=NORMAL: a crash can lose the last commits but never
        # leaves a half-written one, and per-document commits stop waiting on fsync.
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        if 0 < version < SCHEMA_VERSION:
            backup = _backup(conn, path, version)
            if notify:
                notify(
                    f"{path}: upgraded the store from schema v{version} to v{SCHEMA_VERSION}"
                    f" (backup: {backup})"
                )
        migrate(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise store_error(path, exc) from None
    return conn


def _check_path(path: Path, readonly: bool) -> None:
    if path.is_dir():
        raise StoreError(
            f"{path} is a directory, not a store: pass a file, e.g. {path / DEFAULT_DB}"
        )
    if not path.exists():
        if readonly:
            raise StoreError(
                f"no store at {path}: check --db, or create one with `detente ingest … --db {path}`"
            )
        if not path.parent.is_dir():
            raise StoreError(
                f"cannot create a store at {path}: folder {path.parent} does not exist;"
                " create it or choose another --db"
            )
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}; check its permissions") from None
    if header and header != SQLITE_HEADER:
        raise StoreError(f"{path} is not a detente store (not an SQLite database): check --db")


def _open(target: str, path: Path | str) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(
            target, isolation_level=None, timeout=BUSY_TIMEOUT, uri=target.startswith("file:")
        )
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        # Analyses scan and group large indexes: a 64 MB page cache, memory-mapped reads
        # and in-memory sort space keep a million-event query off the disk.
        conn.execute("PRAGMA cache_size = -65536")
        conn.execute("PRAGMA mmap_size = 1073741824")
        conn.execute("PRAGMA temp_store = MEMORY")
    except sqlite3.Error as exc:
        raise store_error(path, exc) from None
    return conn


def store_error(path: Path | str, exc: sqlite3.Error) -> StoreError:
    """The SQLite failure as a one-line message naming the store and what to do."""
    if backends.is_server_url(path):
        path = backends.redacted(str(path))  # never print a password
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreError(
            f"{path} is locked by another process (another detente run?): wait for it to finish"
        )
    if "readonly" in text or "read-only" in text:
        return StoreError(
            f"{path} is read-only: make it writable or copy it elsewhere to write"
            " (read commands work as it is)"
        )
    if "not a database" in text or "malformed" in text:
        return StoreError(f"{path} is not a detente store or is damaged ({exc}): check --db")
    if "unable to open" in text:
        return StoreError(f"cannot open {path}: check the path and its folder's permissions")
    return StoreError(f"{path}: {exc}")


def _peek_version(path: Path) -> int:
    conn = _open(f"file:{quote(str(path.resolve()))}?mode=ro", path)
    try:
        return stored_version(conn)
    except sqlite3.Error as exc:
        raise store_error(path, exc) from None
    finally:
        conn.close()


def _check_version(conn: sqlite3.Connection, path: Path) -> int:
    try:
        version = stored_version(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise store_error(path, exc) from None
    if version > SCHEMA_VERSION:
        conn.close()
        raise StoreError(
            f"{path} was written by a newer detente (schema v{version}; this one reads up to"
            f" v{SCHEMA_VERSION}): upgrade detente to use it"
        )
    return version


def _backup(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """A consistent copy of the store as it was, beside it, before any migration runs."""
    target = path.with_name(f"{path.name}.v{version}.bak")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.v{version}.{n}.bak")
    copy = sqlite3.connect(str(target))
    try:
        conn.backup(copy)
    finally:
        copy.close()
    return target


def stored_version(conn: sqlite3.Connection) -> int:
    """The schema version a store was written with (0 for a new, empty one); reads only."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return row[0] or 0


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    return stored_version(conn)


def migrate(conn: sqlite3.Connection) -> int:
    """Apply pending migrations, each atomically; returns the resulting version."""
    version = current_version(conn)
    for number, statements in enumerate(MIGRATIONS[version:], start=version + 1):
        with transaction(conn):
            # Another writer may have applied it since we looked.
            if stored_version(conn) >= number:
                continue
            for sql in statements:
                conn.execute(sql)
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (number,))
        version = number
    return max(version, stored_version(conn))


LOOKUP_CACHE_KIB = 16384
"""Page cache for a run of point look-ups and inserts (:func:`point_lookups`)."""


@contextmanager
def point_lookups(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Set the store up for a long run of indexed look-ups and inserts (ingest), then back.

    Pages SQLite reads through mmap count in the process's resident memory, so a run that
    touches rows all over the store (near-copy candidates are anywhere) would grow with
    the store, up to ``mmap_size``; scans and aggregations gain from the mapping, point
    look-ups do not. Here reads go through SQLite's own page cache, held to
    :data:`LOOKUP_CACHE_KIB` (the operating system still caches the file, outside the
    process). A PostgreSQL connection is left as it is.
    """
    if backends.dialect(conn) != "sqlite":
        yield conn
        return
    mmap = conn.execute("PRAGMA mmap_size").fetchone()[0]
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute("PRAGMA mmap_size = 0")
    conn.execute(f"PRAGMA cache_size = -{LOOKUP_CACHE_KIB}")
    try:
        yield conn
    finally:
        conn.execute(f"PRAGMA mmap_size = {int(mmap)}")
        conn.execute(f"PRAGMA cache_size = {int(cache)}")


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
