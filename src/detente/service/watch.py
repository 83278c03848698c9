"""``detente watch``: poll RSS/Atom feeds, ingest and code what is new, raise alerts.

Each poll is a conditional GET (``If-None-Match`` / ``If-Modified-Since`` from the last
answer, kept in the ``feeds`` table), so an unchanged feed costs one small request. When a
feed did change, only its new or edited entries are fetched and coded: ``feed_items`` keeps
each entry's key (guid, else link) and a hash of what it said. A new entry whose link is
already stored (another feed, an earlier ``detente ingest``) is not fetched again. An entry
that yields nothing (its page fails and it carries no text) is tried on the next polls, up to
:data:`MAX_TRIES` times. A feed that is down, refuses, or is not a feed is polled again next
time and the other feeds go on; a watcher left running for weeks must not print a line on
every poll of a feed that stays down, so :class:`Outages` says its first failure, then how
long it has been failing at most every :data:`SUMMARY_EVERY`, then that it is back.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from detente.ingest.feeds import entry_fingerprint, entry_item, entry_key, parse_feed
from detente.ingest.fetch import FetchError
from detente.ingest.models import Document, Rejection
from detente.ingest.reader import ReadOptions, _Reader
from detente.service.batch import BatchCoder, BatchResult
from detente.service.webhook import stamp
from detente.store.backends import redacted
from detente.store.db import connect, transaction

log = logging.getLogger("detente.watch")

MAX_FEED_BYTES = 10_000_000
MAX_TRIES = 3
"""Polls on which an entry that yielded nothing is tried again before it is given up."""
FORGET_AFTER = timedelta(days=30)
"""An entry gone from its feed and not read for this long is forgotten (were it to come
back, its stored link keeps it from being fetched again)."""
SUMMARY_EVERY = timedelta(hours=1)
"""While a feed (or the store) stays down, a line saying so at most this often."""
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class _Outage:
    since: datetime
    said: datetime
    polls: int = 1


class Outages:
    """What is failing (a feed, the store) and since when, so that a failure that lasts
    is one line when it starts, a summary at most every ``every`` while it goes on, and one
    line when it ends — not a line per poll."""

    def __init__(
        self,
        say: Callable[[str], None],
        clock: Callable[[], datetime] = _utc_now,
        every: timedelta = SUMMARY_EVERY,
    ):
        self.say = say
        self.clock = clock
        self.every = every
        self._down: dict[str, _Outage] = {}

    def failed(self, what: str, problem: str) -> None:
        now = self.clock()
        outage = self._down.get(what)
        if outage is None:
            self._down[what] = _Outage(since=now, said=now)
            self.say(f"{what}: {problem}; will retry")
            return
        outage.polls += 1
        if now - outage.said >= self.every:
            outage.said = now
            since = stamp(outage.since)
            self.say(f"{what}: failing since {since} ({outage.polls} polls): {problem};"
                     " will retry")  # fmt: skip

    def recovered(self, what: str) -> None:
        outage = self._down.pop(what, None)
        if outage is not None:
            since = stamp(outage.since)
            self.say(f"{what}: back after {outage.polls} failed polls since {since}")


def parse_interval(text: str) -> float:
    """``30s``, ``15m``, ``2h``, ``1d`` or plain seconds → seconds."""
    match = _INTERVAL.match(text or "")
    if not match:
        raise ValueError(f"invalid interval {text!r}: use e.g. 30s, 15m or 1h")
    value = float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]
    if value < 1:
        raise ValueError("the interval must be at least one second")
    return value


def feed_state(conn, url: str) -> dict:
    row = conn.execute("SELECT etag, last_modified FROM feeds WHERE url = ?", (url,)).fetchone()
    return {"etag": row["etag"], "last_modified": row["last_modified"]} if row else {}


def save_state(conn, url: str, status: str, etag=None, last_modified=None, keep=True) -> None:
    """Record the poll; validators are replaced only by a 200 answer (``keep=False``)."""
    now = stamp()
    with transaction(conn):
        row = conn.execute("SELECT url FROM feeds WHERE url = ?", (url,)).fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO feeds (url, etag, last_modified, checked, status) VALUES (?,?,?,?,?)",
                (url, etag, last_modified, now, status),
            )
        elif keep:
            conn.execute(
                "UPDATE feeds SET checked = ?, status = ? WHERE url = ?", (now, status, url)
            )
        else:
            conn.execute(
                "UPDATE feeds SET etag = ?, last_modified = ?, checked = ?, status = ?"
                " WHERE url = ?",
                (etag, last_modified, now, status, url),
            )


def known_links(conn, links: list[str]) -> set[str]:
    """The links among ``links`` already stored as a document's URL or origin."""
    found: set[str] = set()
    for start in range(0, len(links), 200):
        chunk = links[start : start + 200]
        marks = ",".join("?" * len(chunk))
        for sql in (
            f"SELECT url FROM documents WHERE url IN ({marks})",
            f"SELECT origin FROM cluster_sources WHERE origin IN ({marks})",
        ):
            found |= {r[0] for r in conn.execute(sql, chunk)}
    return found


@dataclass(frozen=True)
class Entry:
    """A feed entry to read on this poll."""

    number: int
    entry: Any
    key: str
    fingerprint: str
    tries: int
    """Earlier polls on which it yielded nothing."""


def fresh_entries(conn, feed: str, entries: list) -> tuple[list[Entry], list[Entry]]:
    """The entries not seen before, edited since, or due for another try, split into those to
    read and those whose link is stored already (new to this feed, not to the store)."""
    seen = {
        r["item_key"]: (r["fingerprint"], r["status"], r["tries"])
        for r in conn.execute(
            "SELECT item_key, fingerprint, status, tries FROM feed_items WHERE feed = ?", (feed,)
        )
    }
    fresh = []
    for number, entry in enumerate(entries, start=1):
        key, fingerprint = entry_key(entry), entry_fingerprint(entry)
        before = seen.get(key)
        if before is None or before[0] != fingerprint or before[1] == "retry":
            fresh.append(Entry(number, entry, key, fingerprint, before[2] if before else 0))
    links = [e.entry.get("link") for e in fresh if e.key not in seen and e.entry.get("link")]
    stored = known_links(conn, links) if links else set()
    elsewhere = [e for e in fresh if e.key not in seen and e.entry.get("link") in stored]
    skip = {e.key for e in elsewhere}
    return [e for e in fresh if e.key not in skip], elsewhere


def forget_old(conn, feed: str, current: set[str]) -> int:
    """Drop the feed's entries no longer in it and not read for :data:`FORGET_AFTER`."""
    cutoff = stamp(datetime.now(UTC) - FORGET_AFTER)
    old = [r[0] for r in conn.execute(
        "SELECT item_key FROM feed_items WHERE feed = ? AND seen < ?", (feed, cutoff)
    ) if r[0] not in current]  # fmt: skip
    if old:
        with transaction(conn):
            conn.executemany(
                "DELETE FROM feed_items WHERE feed = ? AND item_key = ?", [(feed, k) for k in old]
            )
    return len(old)


def remember(conn, feed: str, entries: list[tuple[Entry, str | None, str, int]]) -> None:
    """Store ``(entry, doc_id, status, tries)`` for the entries this poll read."""
    now = stamp()
    with transaction(conn):
        conn.executemany(
            "INSERT INTO feed_items (feed, item_key, fingerprint, doc_id, status, tries, seen)"
            " VALUES (?,?,?,?,?,?,?) ON CONFLICT (feed, item_key) DO UPDATE SET"
            " fingerprint = excluded.fingerprint, doc_id = excluded.doc_id,"
            " status = excluded.status, tries = excluded.tries, seen = excluded.seen",
            [(feed, e.key, e.fingerprint, doc_id, status, tries, now)
             for e, doc_id, status, tries in entries],
        )  # fmt: skip


class Watcher:
    def __init__(
        self,
        db: str,
        feeds: Iterable[str],
        *,
        allow_private: bool = False,
        alerts: Callable | None = None,
        say: Callable[[str], None] = print,
        batch: BatchCoder | None = None,
        clock: Callable[[], datetime] = _utc_now,
    ):
        self.db = db
        self.feeds = list(feeds)
        self.alerts = alerts
        self.say = say
        self.batch = batch or BatchCoder()
        self.reader = _Reader(ReadOptions(allow_private=allow_private, max_bytes=MAX_FEED_BYTES))
        self.outages = Outages(say, clock)
        self._prepared = False
        self._unevaluated = False
        """Something was coded that the rules have not seen yet."""

    def close(self) -> None:
        self.reader.close()

    def _problem(self, conn, url: str, problem: str) -> None:
        self.outages.failed(f"feed {url}", problem)
        save_state(conn, url, problem)

    def poll(self, conn, url: str) -> BatchResult | None:
        """Poll one feed; returns what was ingested, or None when nothing was new."""
        state = feed_state(conn, url)
        try:
            fetched = self.reader.fetcher.get(url, etag=state.get("etag"),
                                              last_modified=state.get("last_modified"))  # fmt: skip
        except FetchError as exc:
            self._problem(conn, url, str(exc))
            return None
        if fetched.not_modified:
            self.outages.recovered(f"feed {url}")
            save_state(conn, url, "not modified")
            return None
        parsed = parse_feed(fetched.body)
        if isinstance(parsed, str):
            self._problem(conn, url, parsed)
            return None
        self.outages.recovered(f"feed {url}")
        validators = {"etag": fetched.etag, "last_modified": fetched.last_modified}
        to_read, elsewhere = fresh_entries(conn, url, parsed.entries)
        forget_old(conn, url, {entry_key(e) for e in parsed.entries})
        if elsewhere:
            remember(conn, url, [(e, None, "stored before", 0) for e in elsewhere])
        if not to_read:
            save_state(conn, url, "no new items", keep=False, **validators)
            return None
        outcomes: dict[str, tuple[Entry, str | None, str, int]] = {}
        title = parsed.feed.get("title")
        result = self.batch.run(conn, self._items(url, title, to_read, outcomes))
        remember(conn, url, list(outcomes.values()))
        for problem in result.rejected:
            self.say(f"{problem['origin']}: {problem['reason']}")
        save_state(conn, url, f"{len(result.ingested)} new", keep=False, **validators)
        if result.ingested:
            self.say(f"feed {url}: {len(result.ingested)} new articles, {result.events} events,"
                     f" {result.positions} positions")  # fmt: skip
        return result

    def _items(self, url: str, title: str | None, entries: list[Entry], outcomes: dict):
        """The entries as items, noting each entry's outcome as it is read (an entry that
        yields nothing is tried again on later polls, up to :data:`MAX_TRIES` in all)."""
        for e in entries:
            item = entry_item(e.entry, f"{url}#item{e.number}", title, self.reader)
            if isinstance(item, Document):
                outcomes[e.key] = (e, item.doc_id, "read", 0)
            elif e.tries + 1 < MAX_TRIES:
                outcomes[e.key] = (e, None, "retry", e.tries + 1)
            else:
                item = Rejection(item.origin, f"{item.reason} (given up after {MAX_TRIES} tries)")
                outcomes[e.key] = (e, None, "given up", e.tries + 1)
            yield item

    def poll_all(self) -> list:
        """Poll every feed once, then evaluate the alert rules if anything was coded.

        Nothing raised by one feed (or by the store being busy) stops the watcher: it is
        reported in one line and the next poll tries again."""
        try:
            conn = connect(self.db)
        except Exception as exc:  # a locked or unreachable store: try again next time
            self.outages.failed(f"store {redacted(self.db)}", f"cannot open it ({exc})")
            return []
        self.outages.recovered(f"store {redacted(self.db)}")
        try:
            prepare = getattr(self.alerts, "prepare", None)
            if prepare is not None and not self._prepared:
                try:
                    prepare(conn)
                    self._prepared = True
                except Exception as exc:  # a busy store: tried again before the next poll
                    self.say(f"alert rules not ready ({type(exc).__name__}: {exc}); will retry")
            results = []
            for url in self.feeds:
                try:
                    results.append(self.poll(conn, url))
                except Exception as exc:  # one feed must not stop the others
                    log.debug("polling %s failed", url, exc_info=True)
                    self.outages.failed(f"feed {url}", f"failed ({type(exc).__name__}: {exc})")
            self._unevaluated |= any(r and r.ingested for r in results)
            return self._alert(conn)
        finally:
            conn.close()

    def _alert(self, conn) -> list:
        """Evaluate the rules when something was coded since they last ran; else deliver
        what is due and keep the alert history bounded (:meth:`AlertRunner.tick`)."""
        try:
            if self.alerts and self._unevaluated:
                new = self.alerts(conn)
                self._unevaluated = False
                for alert in new:
                    self.say(f"alert [{alert.rule}]: {alert.message}")
                return new
            if tick := getattr(self.alerts, "tick", None):
                tick(conn)  # alerts a webhook refused earlier, when due; bounded history
        except Exception as exc:  # a busy store: the next poll evaluates again
            log.debug("alert rules failed", exc_info=True)
            self.say(f"alert rules failed ({type(exc).__name__}: {exc}); will retry")
        return []

    def run_forever(self, interval: float) -> None:
        while True:
            started = time.monotonic()
            self.poll_all()
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
