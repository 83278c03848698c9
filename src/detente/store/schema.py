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
    # detente serve / watch: background jobs, alerts, feed polling state, and the index the
    # API's newest-first event pages walk.
    [
        """CREATE TABLE jobs (
            job_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL,
            done INTEGER NOT NULL DEFAULT 0,
            total INTEGER NOT NULL DEFAULT 0,
            result TEXT,
            error TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        )""",
        "CREATE INDEX jobs_status ON jobs(status, created)",
        """CREATE TABLE alerts (
            alert_id TEXT PRIMARY KEY,
            rule TEXT NOT NULL,
            kind TEXT NOT NULL,
            process TEXT,
            message TEXT NOT NULL,
            record_id TEXT,
            doc_id TEXT,
            date TEXT,
            created TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}'
        )""",
        "CREATE INDEX alerts_created ON alerts(created)",
        """CREATE TABLE feeds (
            url TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            checked TEXT,
            status TEXT
        )""",
        "CREATE INDEX events_page ON events((COALESCE(date, '')), id)",
        "CREATE INDEX positions_actor ON positions(actor_code, issue)",
    ],
]

SCHEMA_VERSION = len(MIGRATIONS)
