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
    # Read side (queries.py): columns derived from each record and its document so that
    # filters and aggregations run as SQL. ``derived`` stays NULL until
    # :func:`detente.store.derived.derive_pending` fills the row (rows written before this
    # migration or by a bulk loader are derived on the next read).
    [
        *(
            f"ALTER TABLE {table} ADD COLUMN {column}"
            for table in ("events", "positions")
            for column in (
                "derived INTEGER",
                "confidence REAL",
                "source TEXT",
                "story TEXT",
                "day TEXT",
                "week TEXT",
                "signal_week TEXT",
                "firm INTEGER",
                "modality_rank INTEGER",
                "merge_key TEXT",
                "quoted TEXT",
                "page_key TEXT",
            )
        ),
        "ALTER TABLE events ADD COLUMN mode TEXT",
        "ALTER TABLE events ADD COLUMN score REAL",
        "ALTER TABLE events ADD COLUMN quad TEXT",
        "ALTER TABLE events ADD COLUMN kind TEXT",
        "ALTER TABLE events ADD COLUMN named INTEGER",
        "ALTER TABLE positions ADD COLUMN speech_act TEXT",
        "ALTER TABLE positions ADD COLUMN party TEXT",
        "ALTER TABLE positions ADD COLUMN value REAL",
        "ALTER TABLE positions ADD COLUMN sub_issue TEXT",
        """CREATE TABLE event_parties (
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            code TEXT NOT NULL,
            PRIMARY KEY (event_id, role, code)
        )""",
        "CREATE INDEX event_parties_code ON event_parties(code, role, event_id)",
        """CREATE TABLE event_processes (
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            process TEXT NOT NULL,
            PRIMARY KEY (event_id, process)
        )""",
        "CREATE INDEX event_processes_process ON event_processes(process, event_id)",
        """CREATE TABLE position_processes (
            position_id TEXT NOT NULL REFERENCES positions(id) ON DELETE CASCADE,
            process TEXT NOT NULL,
            PRIMARY KEY (position_id, process)
        )""",
        "CREATE INDEX position_processes_process ON position_processes(process, position_id)",
        "CREATE INDEX events_derived ON events(derived)",
        "CREATE INDEX positions_derived ON positions(derived)",
        "CREATE INDEX events_page ON events(page_key)",
        "CREATE INDEX positions_page ON positions(page_key)",
        "CREATE INDEX events_day ON events(day)",
        "CREATE INDEX events_type_day ON events(event_type, day)",
        "CREATE INDEX events_kind_day ON events(kind, day)",
        "CREATE INDEX events_source ON events(source)",
        "CREATE INDEX events_merge ON events(merge_key, id)",
        "CREATE INDEX positions_day ON positions(day)",
        "CREATE INDEX positions_party_issue ON positions(party, issue)",
        "CREATE INDEX process_records_process ON process_records(process)",
    ],
    # detente serve / watch: background coding jobs, alerts, feed polling state.
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
    ],
]

SCHEMA_VERSION = len(MIGRATIONS)
