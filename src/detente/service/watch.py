"""``detente watch``: poll RSS/Atom feeds, ingest and code what is new, raise alerts.

Each poll is a conditional GET (``If-None-Match`` / ``If-Modified-Since`` from the last
answer, kept in the ``feeds`` table), so an unchanged feed costs one small request. A feed
whose items all link to stored articles is skipped before any article is fetched. A feed
that is down, refuses, or is not a feed is reported in one line and polled again next
time; the other feeds go on.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser
import httpx

from detente.ingest.fetch import USER_AGENT, Fetched, FetchError, check_url
from detente.service.batch import BatchCoder, BatchResult
from detente.store.db import connect, transaction

MAX_FEED_BYTES = 10_000_000
MAX_REDIRECTS = 5
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")


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
    now = datetime.now(UTC).isoformat(timespec="seconds")
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
        transport: httpx.BaseTransport | None = None,
    ):
        self.db = db
        self.feeds = list(feeds)
        self.allow_private = allow_private
        self.alerts = alerts
        self.say = say
        self.batch = batch or BatchCoder()
        self.client = httpx.Client(timeout=15.0, headers={"User-Agent": USER_AGENT},
                                   follow_redirects=False, transport=transport)  # fmt: skip

    def conditional_get(self, url: str, state: dict) -> httpx.Response:
        """GET with the stored validators, following redirects only to allowed hosts."""
        headers = {}
        if state.get("etag"):
            headers["If-None-Match"] = state["etag"]
        if state.get("last_modified"):
            headers["If-Modified-Since"] = state["last_modified"]
        for _ in range(MAX_REDIRECTS + 1):
            check_url(url, allow_private=self.allow_private)
            with self.client.stream("GET", url, headers=headers) as response:
                if response.has_redirect_location:
                    url = urljoin(str(response.url), response.headers.get("location", ""))
                    continue
                body, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_FEED_BYTES:
                        raise FetchError(f"feed exceeds the {MAX_FEED_BYTES:,}-byte cap")
                    body.append(chunk)
                response._content = b"".join(body)
                return response
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    def poll(self, conn, url: str) -> BatchResult | None:
        """Poll one feed; returns what was ingested, or None when nothing was new."""
        from detente.ingest.feeds import feed_items
        from detente.ingest.reader import ReadOptions, _Reader

        try:
            response = self.conditional_get(url, feed_state(conn, url))
        except (FetchError, httpx.HTTPError) as exc:
            self.say(f"{url}: cannot poll ({exc}); will retry")
            save_state(conn, url, f"error: {exc}")
            return None
        if response.status_code == 304:
            save_state(conn, url, "not modified")
            return None
        if response.status_code >= 400:
            self.say(f"{url}: HTTP {response.status_code}; will retry")
            save_state(conn, url, f"HTTP {response.status_code}")
            return None
        body = response.content
        parsed = feedparser.parse(body)
        if not parsed.get("version"):
            self.say(f"{url}: not an RSS or Atom feed; will retry")
            save_state(conn, url, "not a feed")
            return None
        links = [e.get("link") for e in parsed.entries if e.get("link")]
        validators = {
            "etag": response.headers.get("etag"),
            "last_modified": response.headers.get("last-modified"),
        }
        if links and len(links) == len(parsed.entries) and set(links) <= known_links(conn, links):
            save_state(conn, url, "no new items", keep=False, **validators)
            return None
        fetched = Fetched(url, response.headers.get("content-type", ""), body)
        reader = _Reader(ReadOptions(allow_private=self.allow_private, max_bytes=MAX_FEED_BYTES))
        try:
            result = self.batch.run(conn, feed_items(fetched, url, reader))
        finally:
            reader.close()
        for problem in result.rejected:
            self.say(f"{problem['origin']}: {problem['reason']}")
        save_state(conn, url, f"{len(result.ingested)} new", keep=False, **validators)
        if result.ingested:
            self.say(f"{url}: {len(result.ingested)} new articles, {result.events} events,"
                     f" {result.positions} positions")  # fmt: skip
        return result

    def poll_all(self) -> list:
        """Poll every feed once, then evaluate the alert rules if anything was coded."""
        conn = connect(self.db)
        try:
            results = [self.poll(conn, url) for url in self.feeds]
            new = []
            if self.alerts and any(r and r.ingested for r in results):
                new = self.alerts(conn)
                for alert in new:
                    self.say(f"alert [{alert.rule}]: {alert.message}")
            return new
        finally:
            conn.close()

    def run_forever(self, interval: float) -> None:
        while True:
            started = time.monotonic()
            self.poll_all()
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
