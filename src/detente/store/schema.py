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
    # Coding (pipeline.code_database): each document's process candidates are kept beside its
    # events so that merged process records are derived data, recomputed for the affected
    # kind and date window in the transaction that stores the document. ``day`` is the ISO
    # day the merge compares (NULL when the date is missing or unreadable). Concurrent
    # ``code`` runs claim documents through the lease columns. Stores coded before this
    # migration hold no candidates, so their documents are queued for coding again (their
    # events stay until then) and the merged records are rebuilt as they are recoded.
    [
        """CREATE TABLE process_candidates (
            doc_id TEXT NOT NULL REFERENCES documents(doc_id),
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            day TEXT,
            record TEXT NOT NULL,
            PRIMARY KEY (doc_id, seq)
        )""",
        "CREATE INDEX process_candidates_day ON process_candidates(kind, day)",
        "ALTER TABLE process_records ADD COLUMN day TEXT",
        "CREATE INDEX process_records_day ON process_records(kind, day)",
        "ALTER TABLE documents ADD COLUMN lease_owner TEXT",
        "ALTER TABLE documents ADD COLUMN lease_expires TEXT",
        "ALTER TABLE documents ADD COLUMN coding_note TEXT",
        "CREATE INDEX documents_status ON documents(status)",
        "UPDATE documents SET status = 'new' WHERE status = 'coded'",
        "DELETE FROM process_records",
    ],
]

SCHEMA_VERSION = len(MIGRATIONS)
