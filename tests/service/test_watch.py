"""``detente watch`` against a feed served on 127.0.0.1: conditional polling, new articles
coded, alerts raised and posted, and feeds that are down or broken survived."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from detente.service.alerts import AlertRunner, parse_rules
from detente.service.batch import BatchCoder
from detente.service.watch import Watcher, parse_interval
from detente.store.db import connect, transaction
from tests.api.conftest import make_client
from tests.api.support import BACKENDS, store_url
from tests.service.feed_server import SiteServer

SWAP = (
    "KYIV, June 20, 2025 - Russia and Ukraine exchanged 150 prisoners of war on Friday,"
    " officials said. The swap was mediated by the United Arab Emirates.\n"
    "Russian forces shelled the city of Kharkiv overnight, killing three civilians."
)
TRUCE = (
    "KYIV, June 27, 2025 - Ukrainian President Volodymyr Zelensky said Kyiv was ready to"
    " accept a full ceasefire.\nRussia rejected the proposal for a ceasefire."
)
RULES = parse_rules(
    {"rules": [{"name": "ru-records", "type": "process_record", "process": "russia-ukraine",
                "kinds": ["exchange", "ceasefire"]}]}
)  # fmt: skip


@pytest.fixture(scope="module")
def batch(nlp) -> BatchCoder:
    return BatchCoder()


@pytest.fixture
def site():
    with SiteServer() as site:
        yield site


def test_intervals():
    assert [parse_interval(t) for t in ("30s", "15m", "2h", "90")] == [30, 900, 7200, 90]
    for bad in ("soon", "0s", ""):
        with pytest.raises(ValueError):
            parse_interval(bad)


def test_new_items_are_coded_and_alerts_appear_in_a_running_server(tmp_path, site, batch):
    db = str(tmp_path / "live.db")
    lines: list[str] = []
    runner = AlertRunner(RULES, webhook=f"{site.base}/hook")
    watcher = Watcher(db, [f"{site.base}/feed.xml"], allow_private=True, alerts=runner,
                      say=lines.append, batch=batch)  # fmt: skip
    with make_client(db) as client:
        assert client.get("/api/v1/alerts").json()["items"] == []
        site.items.append(("swap", "Prisoner swap", SWAP))
        first = watcher.poll_all()
        assert first and any("exchange" in a.message for a in first)
        events = client.get("/api/v1/events").json()["items"]
        assert events and {e["doc_id"] for e in events} == {
            client.get("/api/v1/documents").json()["items"][0]["doc_id"]
        }
        alerts = client.get("/api/v1/alerts").json()["items"]
        assert [a["alert_id"] for a in alerts] == [a.alert_id for a in first]
        assert site.hooks and len(site.hooks[0]["alerts"]) == len(first)
        assert alerts[0]["message"] in client.get("/ui/alerts").text

        # Nothing new: the conditional request is answered 304 and nothing is fetched.
        requests = site.feed_requests
        assert watcher.poll_all() == []
        assert site.conditional_hits == 1 and site.feed_requests == requests + 1

        site.items.append(("truce", "Ceasefire offer", TRUCE))
        second = watcher.poll_all()
        assert second and all(a.alert_id not in {b.alert_id for b in first} for a in second)
        assert len(client.get("/api/v1/documents").json()["items"]) == 2
        assert len(site.hooks) == 2
    assert any("2 new" in line or "1 new articles" in line for line in lines)


def test_down_and_broken_feeds_are_reported_and_the_rest_goes_on(tmp_path, site, batch):
    lines: list[str] = []
    site.items.append(("swap", "Prisoner swap", SWAP))
    feeds = ["http://127.0.0.1:9/feed.xml", f"{site.base}/broken.xml", f"{site.base}/feed.xml",
             f"{site.base}/missing.xml", f"{site.base}/truncated.xml"]  # fmt: skip
    db = str(tmp_path / "w.db")
    watcher = Watcher(db, feeds, allow_private=True, say=lines.append, batch=batch)
    watcher.poll_all()
    text = "\n".join(lines)
    assert "feed http://127.0.0.1:9/feed.xml: cannot fetch" in text
    assert f"feed {site.base}/broken.xml: not an RSS or Atom feed" in text
    assert f"feed {site.base}/missing.xml: HTTP 404 Not Found; will retry" in text
    assert "truncated.xml#item1: item has no link, and the item carries no content" in text
    conn = connect(db)
    assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 1
    statuses = dict(conn.execute("SELECT url, status FROM feeds").fetchall())
    assert statuses[f"{site.base}/feed.xml"] == "1 new"


def test_private_addresses_are_refused_unless_allowed(tmp_path, site, batch):
    lines: list[str] = []
    Watcher(str(tmp_path / "p.db"), [f"{site.base}/feed.xml"], say=lines.append,
            batch=batch).poll_all()  # fmt: skip
    assert "loopback" in lines[0] and site.feed_requests == 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_only_new_or_edited_entries_are_fetched(backend, tmp_path, site, batch):
    db = store_url(backend, tmp_path)
    lines: list[str] = []
    watcher = Watcher(db, [f"{site.base}/feed.xml"], allow_private=True, say=lines.append,
                      batch=batch)  # fmt: skip
    site.items.append(("swap", "Prisoner swap", SWAP))
    watcher.poll_all()
    assert site.article_requests == ["swap"]
    site.items.append(("truce", "Ceasefire offer", TRUCE))
    watcher.poll_all()
    assert site.article_requests == ["swap", "truce"]
    # An edited entry (new title) is fetched again; the unchanged one is not.
    site.items[0] = ("swap", "Prisoner swap: 150 freed", SWAP)
    watcher.poll_all()
    assert site.article_requests == ["swap", "truce", "swap"]
    conn = connect(db)
    state = dict(conn.execute("SELECT item_key, status FROM feed_items").fetchall())
    assert state == {"swap": "read", "truce": "read"}
    # The edited page's text differs (its headline), so ingest stores it as a new version.
    assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 3

    # Another feed carrying a stored article: remembered without fetching it again.
    other = Watcher(db, [f"{site.base}/feed.xml?mirror"], allow_private=True,
                    say=lines.append, batch=batch)  # fmt: skip
    other.poll_all()
    assert site.article_requests == ["swap", "truce", "swap"]
    mirrored = conn.execute("SELECT status FROM feed_items WHERE feed LIKE '%mirror'")
    assert {r[0] for r in mirrored} == {"stored before"}

    # A month on, the entry that left the feed is forgotten; the one still in it is kept.
    with transaction(conn):
        conn.execute("UPDATE feed_items SET seen = '2020-01-01T00:00:00+00:00'")
    site.items.pop(0)
    watcher.poll_all()
    feed = f"{site.base}/feed.xml"
    kept = conn.execute("SELECT item_key FROM feed_items WHERE feed = ?", (feed,))
    assert [r[0] for r in kept] == ["truce"]
    assert site.article_requests == ["swap", "truce", "swap"]


def test_an_entry_that_yields_nothing_is_retried_then_given_up(tmp_path, site, batch):
    lines: list[str] = []
    url = f"{site.base}/truncated.xml"
    watcher = Watcher(str(tmp_path / "t.db"), [url], allow_private=True, say=lines.append,
                      batch=batch)  # fmt: skip
    for _ in range(4):
        watcher.poll_all()
    problems = [line for line in lines if "#item1" in line]
    assert len(problems) == 3 and "given up after 3 tries" in problems[-1]


class _FailingOnce(BatchCoder):
    """Codes like the real one, except that its first run fails (a store hiccup)."""

    def __init__(self, coder):
        super().__init__(coder)
        self.failed = False

    def run(self, conn, items, progress=None):
        if not self.failed:
            self.failed = True
            raise RuntimeError("disk full")
        return super().run(conn, items, progress)


def test_an_unexpected_failure_is_one_line_and_the_entries_are_read_next_time(
    tmp_path, site, batch
):
    lines: list[str] = []
    url = f"{site.base}/feed.xml"
    runner = AlertRunner(RULES, say=lines.append)
    watcher = Watcher(str(tmp_path / "f.db"), [url], allow_private=True, alerts=runner,
                      say=lines.append, batch=_FailingOnce(batch.coder))  # fmt: skip
    site.items.append(("swap", "Prisoner swap", SWAP))
    assert watcher.poll_all() == []
    assert f"feed {url}: failed (RuntimeError: disk full); will retry" in lines
    # Nothing was remembered, so the next poll (same ETag, but not stored) reads the entry.
    new = watcher.poll_all()
    assert new and any("exchange" in a.message for a in new)


def test_a_feed_that_stays_down_is_summarised_not_reported_on_every_poll(tmp_path, site):
    now = [datetime(2026, 3, 1, 8, 0, tzinfo=UTC)]
    lines: list[str] = []
    url = f"{site.base}/feed.xml"
    watcher = Watcher(str(tmp_path / "o.db"), [url], allow_private=True, say=lines.append,
                      clock=lambda: now[0])  # fmt: skip

    def poll(minutes: int) -> list[str]:
        before = len(lines)
        now[0] += timedelta(minutes=minutes)
        watcher.poll_all()
        return lines[before:]

    site.feed_down = True
    assert poll(0) == [f"feed {url}: HTTP 503 Service Unavailable; will retry"]
    assert [poll(15) for _ in range(3)] == [[], [], []]  # 45 minutes down: silence
    assert poll(15) == [f"feed {url}: failing since 2026-03-01T08:00:00+00:00 (5 polls):"
                        " HTTP 503 Service Unavailable; will retry"]  # fmt: skip
    assert poll(15) == []  # the next summary is an hour after this one
    site.feed_down = False
    assert poll(15) == [f"feed {url}: back after 6 failed polls since 2026-03-01T08:00:00+00:00"]
    assert poll(15) == []
    site.feed_down = True
    assert poll(15) == [f"feed {url}: HTTP 503 Service Unavailable; will retry"]
    assert site.feed_requests == 9


def test_an_unopenable_store_is_one_line_then_a_summary_with_its_password_hidden(tmp_path):
    now = [datetime(2026, 3, 1, 8, 0, tzinfo=UTC)]
    lines: list[str] = []
    db = "postgresql://analyst:s3cret@127.0.0.1:9/detente"
    watcher = Watcher(db, [], say=lines.append, clock=lambda: now[0])
    for _ in range(5):
        watcher.poll_all()
        now[0] += timedelta(minutes=20)
    assert len(lines) == 2 and "s3cret" not in "".join(lines)
    assert lines[0].startswith("store postgresql://analyst:***@127.0.0.1:9/detente: cannot open")
    assert "failing since 2026-03-01T08:00:00+00:00 (4 polls)" in lines[1]
