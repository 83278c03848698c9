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
    # Read side, second step: merged items by an elected ``lead`` record (no grouping at read
    # time), the one dyad pair and the one process most rows have as columns (joins only for
    # the others), covering indexes for the aggregations, and a pending-rows probe on
    # partial indexes. Rows derived under the previous step are derived again.
    [
        *(
            f"ALTER TABLE {table} ADD COLUMN {column}"
            for table in ("events", "positions")
            for column in ("lead INTEGER", "clustered INTEGER", "process1 TEXT", "nprocs INTEGER")
        ),
        "ALTER TABLE events ADD COLUMN pair TEXT",
        "ALTER TABLE events ADD COLUMN pairs INTEGER",
        "DROP INDEX events_derived",
        "DROP INDEX positions_derived",
        "DROP INDEX events_kind_day",
        "DROP INDEX events_merge",
        # Partial indexes: they hold only the rows still to derive, so the probe every
        # read starts with stays instant whatever the statistics say about ``derived``.
        "CREATE INDEX events_pending ON events(doc_id) WHERE derived IS NULL",
        "CREATE INDEX positions_pending ON positions(doc_id) WHERE derived IS NULL",
        # Covering indexes of the aggregations: a scan of them never reads record JSON.
        "CREATE INDEX events_timeline ON events(kind, week, named, firm, lead, day, score, id)",
        "CREATE INDEX events_dyads ON events(lead, firm, day, week, pairs, pair, event_type,"
        " quad, score, clustered, story, id)",
        "CREATE INDEX events_signal ON events(named, signal_week, lead, nprocs, process1,"
        " event_type, modality_rank, source, firm, day, id)",
        "CREATE INDEX events_story ON events(story)",
        "CREATE INDEX events_lead ON events(merge_key, modality_rank, confidence, id)",
        "CREATE INDEX positions_story ON positions(story)",
        "CREATE INDEX positions_lead ON positions(merge_key, modality_rank, confidence, id)",
        "UPDATE events SET derived = NULL",
        "UPDATE positions SET derived = NULL",
    ],
    # Near-duplicate index kept in the store (ingest): one row per (LSH band key, document),
    # so a new document is matched with one indexed lookup instead of rebuilding MinHash LSH
    # from every stored signature on each run. Documents stored before this migration are
    # indexed by the next ingest run (detente.ingest.pipeline.load_index).
    [
        """CREATE TABLE IF NOT EXISTS lsh_buckets (
            bucket INTEGER NOT NULL,
            doc_id TEXT NOT NULL REFERENCES documents(doc_id),
            PRIMARY KEY (bucket, doc_id)
        )""",
        "CREATE INDEX IF NOT EXISTS lsh_buckets_doc ON lsh_buckets(doc_id)",
        "CREATE INDEX IF NOT EXISTS documents_language ON documents(language)",
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
    # Read side, third step: the process of a row (``process1``, ``nprocs``) joins the
    # covering indexes of the timeline and the dyads, so a per-process series is read from
    # the index without touching record rows.
    [
        "DROP INDEX events_timeline",
        "CREATE INDEX events_timeline ON events(kind, week, named, firm, lead, day, score,"
        " nprocs, process1, id)",
        "DROP INDEX events_dyads",
        "CREATE INDEX events_dyads ON events(lead, firm, day, week, pairs, pair, event_type,"
        " quad, score, clustered, story, nprocs, process1, id)",
    ],
    # Read side, fourth step: pre-aggregated rollups of the whole-store dyad series and the
    # signal index (:mod:`detente.store.derived`), kept equal to the sums over every derived
    # record by the transaction that changes a story's records or a cluster's mentions.
    # ``rollups_stale`` holds a row while they must be rebuilt from the records (after this
    # migration, or a bulk load); the next reader rebuilds them. The partial indexes serve
    # the signal's evidence (a few firmest events per process and week) by index order.
    [
        """CREATE TABLE dyad_rollup (
            freq TEXT NOT NULL,
            period TEXT NOT NULL,
            dyad TEXT NOT NULL,
            event_type TEXT NOT NULL,
            quad TEXT NOT NULL,
            firm INTEGER NOT NULL,
            events INTEGER NOT NULL,
            score REAL NOT NULL,
            mentions INTEGER NOT NULL,
            PRIMARY KEY (freq, period, dyad, event_type, quad, firm)
        )""",
        """CREATE TABLE signal_items (
            kind TEXT NOT NULL,
            process TEXT NOT NULL,
            week TEXT NOT NULL,
            label TEXT NOT NULL,
            modality_rank INTEGER NOT NULL,
            items INTEGER NOT NULL,
            PRIMARY KEY (kind, process, week, label, modality_rank)
        )""",
        """CREATE TABLE signal_sources (
            kind TEXT NOT NULL,
            process TEXT NOT NULL,
            week TEXT NOT NULL,
            label TEXT NOT NULL,
            source TEXT NOT NULL,
            records INTEGER NOT NULL,
            PRIMARY KEY (kind, process, week, label, source)
        )""",
        # Covering: a series is read from the index alone, firm counts first.
        "CREATE INDEX dyad_rollup_read ON dyad_rollup(freq, firm, period, dyad, event_type,"
        " quad, events, score, mentions)",
        "CREATE TABLE rollups_stale (name TEXT PRIMARY KEY)",
        "INSERT INTO rollups_stale (name) SELECT 'all' WHERE EXISTS (SELECT 1 FROM events)"
        " OR EXISTS (SELECT 1 FROM positions)",
        "CREATE INDEX events_signal_top ON events(signal_week, process1, modality_rank,"
        " confidence DESC, id) WHERE lead = 1 AND named = 1",
        "CREATE INDEX events_multiprocess ON events(id) WHERE nprocs > 1",
    ],
    # List pages (queries.list_events / list_positions, the API's documents list): an index
    # per common filter that also yields the keyset order, so a filtered page stops after
    # ``limit`` rows instead of sorting every match; and the matrix's latest-stance choice
    # read from an index, never from record rows.
    [
        "CREATE INDEX events_type_page ON events(event_type, page_key)",
        "CREATE INDEX events_source_page ON events(source, page_key)",
        "CREATE INDEX positions_issue_page ON positions(issue, page_key)",
        "CREATE INDEX positions_source_page ON positions(source, page_key)",
        "CREATE INDEX positions_matrix ON positions(party, issue, sub_issue, firm DESC,"
        " (COALESCE(date, '')) DESC, (value IS NOT NULL) DESC, confidence DESC, id, modality,"
        " nprocs, process1, day, source, doc_id, actor_code)",
        "CREATE INDEX documents_newest ON documents((COALESCE(published, '')), doc_id)",
        "CREATE INDEX documents_source_newest ON documents(source, (COALESCE(published, '')),"
        " doc_id)",
    ],
    # A service left running for weeks. ``feed_items`` remembers each feed entry (by guid or
    # link) and a hash of what it said, so a changed feed fetches only its new or edited
    # entries; ``alert_rules`` / ``alert_baseline`` hold each rule's baseline (the facts true
    # when it was first evaluated), so a new rule on an old store alerts only on what changes
    # after it. Then the job queue's and the webhook's state, below.
    [
        """CREATE TABLE feed_items (
            feed TEXT NOT NULL,
            item_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            doc_id TEXT,
            status TEXT NOT NULL,
            tries INTEGER NOT NULL DEFAULT 0,
            seen TEXT NOT NULL,
            PRIMARY KEY (feed, item_key)
        )""",
        """CREATE TABLE alert_rules (
            rule_key TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            definition TEXT NOT NULL,
            baseline_at TEXT NOT NULL,
            baseline_facts INTEGER NOT NULL
        )""",
        """CREATE TABLE alert_baseline (
            rule_key TEXT NOT NULL,
            alert_id TEXT NOT NULL,
            PRIMARY KEY (rule_key, alert_id)
        )""",
        # Which worker runs a job, so a job left 'running' by a crashed server is queued
        # again; a finished job no longer keeps the posted body (the documents hold it).
        "ALTER TABLE jobs ADD COLUMN owner TEXT",
        "UPDATE jobs SET payload = '{}' WHERE status = 'done'",
        # Alerts waiting for the webhook: kept across failures and restarts, tried again
        # with backoff (:mod:`detente.service.webhook`).
        """CREATE TABLE alert_deliveries (
            alert_id TEXT NOT NULL,
            url TEXT NOT NULL,
            tries INTEGER NOT NULL DEFAULT 0,
            next_try TEXT NOT NULL,
            last_error TEXT,
            PRIMARY KEY (alert_id, url)
        )""",
        "CREATE INDEX alert_deliveries_due ON alert_deliveries(url, next_try)",
    ],
    # Whether a process has records (the API's check of a process name on every request)
    # and the processes the records name: read from an index, not from record rows.
    [
        "CREATE INDEX positions_process ON positions(process)",
    ],
    # The dyad series of one peace process (by type, by date range) and the cells of its
    # matrix from rollups like the whole store's (:mod:`detente.store.derived`); the next
    # reader fills them.
    [
        """CREATE TABLE dyad_process_rollup (
            process TEXT NOT NULL,
            freq TEXT NOT NULL,
            period TEXT NOT NULL,
            dyad TEXT NOT NULL,
            event_type TEXT NOT NULL,
            quad TEXT NOT NULL,
            firm INTEGER NOT NULL,
            events INTEGER NOT NULL,
            score REAL NOT NULL,
            mentions INTEGER NOT NULL,
            PRIMARY KEY (process, freq, period, dyad, event_type, quad, firm)
        )""",
        "CREATE INDEX dyad_process_rollup_read ON dyad_process_rollup(process, freq, firm,"
        " period, dyad, event_type, quad, events, score, mentions)",
        "CREATE INDEX dyad_rollup_type ON dyad_rollup(event_type, freq, firm, period, dyad,"
        " quad, events, score, mentions)",
        # The cells of a process's actor × issue matrix and their sizes.
        """CREATE TABLE position_cells (
            process TEXT NOT NULL,
            party TEXT NOT NULL,
            issue TEXT NOT NULL,
            sub_issue TEXT NOT NULL,
            firm INTEGER NOT NULL,
            modality TEXT NOT NULL,
            valued INTEGER NOT NULL,
            records INTEGER NOT NULL,
            PRIMARY KEY (process, party, issue, sub_issue, firm, modality, valued)
        )""",
        "INSERT INTO rollups_stale (name) SELECT 'all' WHERE NOT EXISTS (SELECT 1 FROM"
        " rollups_stale) AND (EXISTS (SELECT 1 FROM events) OR EXISTS (SELECT 1 FROM"
        " positions))",
    ],
    # When a service last ran each alert rule, so that the baselines of rules no service
    # runs any more (removed or edited) are pruned (:mod:`detente.service.alerts`).
    [
        "ALTER TABLE alert_rules ADD COLUMN used_at TEXT",
        "UPDATE alert_rules SET used_at = baseline_at",
    ],
    # Process candidates filed by party code, and the merged record each went into, so that
    # a document's write re-merges only the candidates its own can fold with, over the days
    # it can change (:func:`detente.store.records.refresh_process_records`). Candidates
    # stored before this step are filed by the next write (``linked`` NULL until then); their
    # record is learnt when their group is next merged whole (``record_id`` NULL until then).
    [
        """CREATE TABLE process_candidate_parties (
            kind TEXT NOT NULL,
            code TEXT NOT NULL,
            day TEXT,
            doc_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (doc_id, seq, code)
        )""",
        "CREATE INDEX process_candidate_parties_link ON process_candidate_parties(kind, code,"
        " day)",
        "ALTER TABLE process_candidates ADD COLUMN linked INTEGER",
        "ALTER TABLE process_candidates ADD COLUMN record_id TEXT",
        "CREATE INDEX process_candidates_unlinked ON process_candidates(doc_id) WHERE linked"
        " IS NULL",
    ],
]

SCHEMA_VERSION = len(MIGRATIONS)
