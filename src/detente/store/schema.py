"""Versioned schema.

Each migration is a list of SQL statements applied in one transaction; the
``schema_version`` table records the highest applied. Only portable SQL (types,
constraints, indexes understood by SQLite and PostgreSQL) is used here so that a
PostgreSQL backend can replay the same list.
"""

from __future__ import annotations

MIGRATIONS: list[list[str]] = [
    [
        """CREATE TABLE clusters (
            cluster_id TEXT PRIMARY KEY,
            first_doc_id TEXT NOT NULL,
            mentions INTEGER NOT NULL DEFAULT 1,
            created TEXT NOT NULL
        )""",
        """CREATE TABLE documents (
            doc_id TEXT PRIMARY KEY,
            content_hash TEXT NOT NULL UNIQUE,
            cluster_id TEXT REFERENCES clusters(cluster_id),
            title TEXT, author TEXT, url TEXT, source TEXT, language TEXT,
            published TEXT, published_evidence TEXT,
            origin TEXT NOT NULL,
            clean_text TEXT NOT NULL,
            raw_text TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'new',
            meta TEXT NOT NULL DEFAULT '{}',
            minhash BLOB,
            ingested TEXT NOT NULL
        )""",
        "CREATE INDEX documents_cluster ON documents(cluster_id)",
        "CREATE INDEX documents_published ON documents(published)",
        """CREATE TABLE cluster_sources (
            cluster_id TEXT NOT NULL REFERENCES clusters(cluster_id),
            doc_id TEXT, origin TEXT NOT NULL, source TEXT, url TEXT,
            seen TEXT NOT NULL,
            UNIQUE (cluster_id, origin)
        )""",
        """CREATE TABLE events (
            id TEXT PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id),
            sentence_index INTEGER NOT NULL,
            event_type TEXT NOT NULL,
            modality TEXT NOT NULL,
            date TEXT,
            actor_codes TEXT, recipient_codes TEXT,
            record TEXT NOT NULL
        )""",
        "CREATE INDEX events_doc ON events(doc_id)",
        "CREATE INDEX events_type ON events(event_type)",
        "CREATE INDEX events_date ON events(date)",
        """CREATE TABLE positions (
            id TEXT PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id),
            process TEXT, issue TEXT NOT NULL, actor_code TEXT,
            stance TEXT NOT NULL, modality TEXT NOT NULL, date TEXT,
            record TEXT NOT NULL
        )""",
        "CREATE INDEX positions_doc ON positions(doc_id)",
        "CREATE INDEX positions_issue ON positions(issue)",
        """CREATE TABLE process_records (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            process TEXT, date TEXT,
            record TEXT NOT NULL
        )""",
    ],
    # Near-duplicate index kept in the store (ingest): one row per (LSH band key, document),
    # so a new document is matched with one indexed lookup instead of rebuilding MinHash LSH
    # from every stored signature on each run. Documents stored before this migration are
    # indexed by the next ingest run (detente.ingest.pipeline.index_unbucketed).
    [
        """CREATE TABLE IF NOT EXISTS lsh_buckets (
            bucket INTEGER NOT NULL,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id),
            PRIMARY KEY (bucket, doc_id)
        )""",
        "CREATE INDEX IF NOT EXISTS lsh_buckets_doc ON lsh_buckets(doc_id)",
        "CREATE INDEX IF NOT EXISTS documents_language ON documents(language)",
    ],
]

SCHEMA_VERSION = len(MIGRATIONS)
