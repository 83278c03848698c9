"""Storage of ingested documents and the story clusters they belong to.

A cluster is one story; its ``mentions`` count how many distinct origins (files,
URLs, JSONL lines) carried it, exact or near copies alike, and ``cluster_sources``
lists them. Counting by origin is what makes re-ingesting the same input a no-op.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from detente.ingest.language import CODED_LANGUAGES
from detente.ingest.models import Document
from detente.store.db import transaction
from detente.store.derived import roll_stories, unroll_stories

COLUMNS = (
    "doc_id, content_hash, cluster_id, title, author, url, source, language, published,"
    " published_evidence, origin, clean_text, raw_text, status, meta"
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@contextmanager
def atomic(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Join the caller's transaction, or open one: ingest checks and writes in one."""
    if conn.in_transaction:
        yield conn
    else:
        with transaction(conn):
            yield conn


def _from_row(row: sqlite3.Row) -> Document:
    fields = Document.__dataclass_fields__
    data = {key: row[key] for key in row.keys() if key in fields}  # noqa: SIM118 (Row)
    data["meta"] = json.loads(row["meta"] or "{}")
    return Document(**data)


def get(conn: sqlite3.Connection, doc_id: str) -> Document | None:
    row = conn.execute(f"SELECT {COLUMNS} FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
    return _from_row(row) if row else None


def list_documents(
    conn: sqlite3.Connection, status: str | None = None, codable: bool | None = None
) -> list[Document]:
    """All documents, oldest publication first (undated last), optionally of one status.

    ``codable`` keeps only documents in (True) or outside (False) the languages the coder
    reads; an undetected language counts as codable (see ``ingest.language.codable``).
    """
    where, args = [], []
    if status:
        where.append("status = ?")
        args.append(status)
    if codable is not None:
        marks = ",".join("?" * len(CODED_LANGUAGES))
        outside = f"(language IS NOT NULL AND language NOT IN ({marks}))"
        where.append(outside if not codable else f"NOT {outside}")
        args.extend(sorted(CODED_LANGUAGES))
    sql = f"SELECT {COLUMNS} FROM documents"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY published IS NULL, published, doc_id"
    return [_from_row(row) for row in conn.execute(sql, args)]


def cluster_mentions(conn: sqlite3.Connection) -> dict[str, int]:
    return {r[0]: r[1] for r in conn.execute("SELECT cluster_id, mentions FROM clusters")}


def cluster_sources(conn: sqlite3.Connection, cluster_id: str) -> list[dict]:
    rows = conn.execute(
        "SELECT doc_id, origin, source, url, seen FROM cluster_sources WHERE cluster_id = ?"
        " ORDER BY seen, origin",
        (cluster_id,),
    )
    return [dict(row) for row in rows]


def find_by_hash(conn: sqlite3.Connection, content_hash: str) -> tuple[str, str] | None:
    """``(doc_id, cluster_id)`` of the stored document with this normalised-text hash."""
    row = conn.execute(
        "SELECT doc_id, cluster_id FROM documents WHERE content_hash = ?", (content_hash,)
    ).fetchone()
    return (row[0], row[1]) if row else None


def doc_exists(conn: sqlite3.Connection, doc_id: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone() is not None
    )


def cluster_of(conn: sqlite3.Connection, doc_id: str) -> str | None:
    row = conn.execute("SELECT cluster_id FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
    return row[0] if row else None


def near_duplicate_candidates(
    conn: sqlite3.Connection, buckets: list[int]
) -> Iterator[tuple[str, bytes]]:
    """``(doc_id, minhash)`` of the stored documents sharing an LSH bucket with ``buckets``,
    streamed: a bucket shared by many stored documents is never held as a list."""
    marks = ",".join("?" * len(buckets))
    rows = conn.execute(
        "SELECT doc_id, minhash FROM documents WHERE minhash IS NOT NULL AND doc_id IN"
        f" (SELECT doc_id FROM lsh_buckets WHERE bucket IN ({marks}))",
        buckets,
    )
    for row in rows:
        yield row[0], row[1]


def unbucketed(conn: sqlite3.Connection, limit: int) -> list[tuple[str, bytes]]:
    """Up to ``limit`` signatures stored without LSH buckets (by an older detente).

    Every ingest run asks, so the search walks the narrow ``doc_id`` index against
    ``lsh_buckets_doc`` and reads a document's row only when it has no buckets: reading
    every row for its signature would read the whole store (texts and all) each run.
    """
    rows = conn.execute(
        "SELECT doc_id, minhash FROM documents WHERE minhash IS NOT NULL AND doc_id IN"
        " (SELECT doc_id FROM documents d"
        "  WHERE NOT EXISTS (SELECT 1 FROM lsh_buckets b WHERE b.doc_id = d.doc_id)) LIMIT ?",
        (limit,),
    )
    return [(row[0], row[1]) for row in rows]


def add_buckets(conn: sqlite3.Connection, doc_id: str, buckets: list[int]) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO lsh_buckets (bucket, doc_id) VALUES (?,?)",
        [(bucket, doc_id) for bucket in buckets],
    )


def add_mention(conn: sqlite3.Connection, cluster_id: str, doc: Document, doc_id: str) -> bool:
    """Record that ``doc.origin`` carried the story; True when the origin is new to the cluster.

    Must run inside a transaction; the mention count only moves with a new origin.
    """
    origin = doc.url or doc.origin
    cursor = conn.execute(
        "INSERT OR IGNORE INTO cluster_sources (cluster_id, doc_id, origin, source, url, seen)"
        " VALUES (?,?,?,?,?,?)",
        (cluster_id, doc_id, origin, doc.source, doc.url, _now()),
    )
    if cursor.rowcount == 0:
        return False
    # The story's records are counted with its mentions in the rollups: out, then back in.
    stories = unroll_stories(conn, [cluster_id])
    conn.execute("UPDATE clusters SET mentions = mentions + 1 WHERE cluster_id = ?", (cluster_id,))
    roll_stories(conn, stories)
    return True


def insert_document(
    conn: sqlite3.Connection,
    doc: Document,
    minhash: bytes | None,
    cluster_id: str | None = None,
    buckets: list[int] = (),
) -> str:
    """Store ``doc`` in ``cluster_id`` (a near-duplicate) or in a new cluster; returns the cluster.

    One transaction (the caller's, when it has one): the document, its cluster, its
    source row and its LSH buckets appear together or not at all. The cluster row is
    inserted only if absent: a story's cluster id derives from its text, so a run that
    stored the same story first has already created it.
    """
    with atomic(conn):
        if cluster_id is None:
            cluster_id = "c-" + doc.content_hash[:12]
            conn.execute(
                "INSERT OR IGNORE INTO clusters (cluster_id, first_doc_id, mentions, created)"
                " VALUES (?,?,0,?)",
                (cluster_id, doc.doc_id, _now()),
            )
        doc.cluster_id = cluster_id
        conn.execute(
            f"INSERT INTO documents ({COLUMNS}, minhash, ingested)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc.doc_id, doc.content_hash, cluster_id, doc.title, doc.author, doc.url,
                doc.source, doc.language, doc.published, doc.published_evidence, doc.origin,
                doc.clean_text, doc.raw_text, doc.status, json.dumps(doc.meta, default=str),
                minhash, _now(),
            ),
        )  # fmt: skip
        add_buckets(conn, doc.doc_id, list(buckets))
        add_mention(conn, cluster_id, doc, doc.doc_id)
    return cluster_id


def record_duplicate(conn: sqlite3.Connection, cluster_id: str, doc: Document, doc_id: str) -> bool:
    """An exact copy is not stored again, but a new origin still counts as a mention."""
    with atomic(conn):
        return add_mention(conn, cluster_id, doc, doc_id)
