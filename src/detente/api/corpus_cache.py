"""Analyses read a whole :class:`~detente.analysis.corpus.Corpus`; loading one from a large
store takes a while, so a loaded corpus is kept until the store changes.

The store's fingerprint (record counts and the latest document and job times) is a few
index-only queries, so every request still sees records committed by any process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from detente.analysis.corpus import Corpus, filter_corpus, load_corpus

FINGERPRINT = (
    "SELECT (SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM positions),"
    " (SELECT COUNT(*) FROM process_records), (SELECT COUNT(*) FROM documents),"
    " (SELECT MAX(ingested) FROM documents), (SELECT MAX(updated) FROM jobs)"
)


class CorpusCache:
    def __init__(self, size: int = 8):
        self.size = size
        self._entries: OrderedDict[tuple, Corpus] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, conn, process: str | None = None, since=None, until=None) -> Corpus:
        """The corpus restricted as :func:`load_corpus` would, from cache when unchanged."""
        stamp = tuple(conn.execute(FINGERPRINT).fetchone())
        key = (stamp, process, since, until)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
            whole = self._entries.get((stamp, None, None, None))
        if whole is None:
            whole = load_corpus(conn)
            self._put((stamp, None, None, None), whole)
        corpus = whole
        if process or since or until:
            corpus = filter_corpus(whole, process=process, since=since, until=until)
            self._put(key, corpus)
        return corpus

    def _put(self, key: tuple, corpus: Corpus) -> None:
        with self._lock:
            self._entries[key] = corpus
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
