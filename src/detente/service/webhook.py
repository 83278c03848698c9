"""Delivering new alerts to a webhook, surviving a receiver that is down for a while.

New alerts are queued in the store (``alert_deliveries``) in the same breath as they are
stored, then POSTed in batches. A failed POST keeps them queued and backs off (1, 2, 4 …
minutes, at most an hour between tries), saying one line per failure; after
:data:`MAX_TRIES` tries (about a day) they are dropped with one line naming the alerts. The
queue lives in the store, so alerts raised just before a restart are still delivered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx

from detente.store.db import transaction

MAX_TRIES = 30
BATCH = 100
"""Alerts per POST."""


def stamp(moment: datetime | None = None) -> str:
    """``moment`` (default now) as the service's tables store times: UTC ISO, to the second."""
    return (moment or datetime.now(UTC)).isoformat(timespec="seconds")


def backoff(tries: int) -> timedelta:
    """The wait after the ``tries``-th failure: doubling from a minute, capped at an hour."""
    return timedelta(seconds=min(60 * 2 ** (tries - 1), 3600))


def queue(conn, url: str, alert_ids: list[str]) -> None:
    """Queue alerts for delivery to ``url`` (inside the caller's transaction or alone)."""
    now = stamp()
    conn.executemany(
        "INSERT OR IGNORE INTO alert_deliveries (alert_id, url, tries, next_try)"
        " VALUES (?,?,0,?)",
        [(alert_id, url, now) for alert_id in alert_ids],
    )


def post(url: str, alerts: list[dict], timeout: float = 10.0) -> str | None:
    """POST ``{"alerts": [...]}``; returns a problem line instead of raising."""
    try:
        response = httpx.post(url, json={"alerts": alerts}, timeout=timeout)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        return f"webhook {url}: {exc}"
    return None


def deliver(
    conn,
    url: str,
    load: Callable[[object, list[str]], list[dict]],
    say: Callable[[str], None],
    now: datetime | None = None,
) -> int:
    """POST the alerts due for ``url`` (``load`` turns alert ids into their JSON); returns
    how many were delivered."""
    now = now or datetime.now(UTC)
    delivered = 0
    while True:
        rows = conn.execute(
            "SELECT alert_id, tries FROM alert_deliveries WHERE url = ? AND next_try <= ?"
            " ORDER BY next_try, alert_id LIMIT ?",
            (url, stamp(now), BATCH),
        ).fetchall()
        if not rows:
            return delivered
        ids = [r["alert_id"] for r in rows]
        problem = post(url, load(conn, ids))
        with transaction(conn):
            if problem is None:
                conn.executemany(
                    "DELETE FROM alert_deliveries WHERE alert_id = ? AND url = ?",
                    [(i, url) for i in ids],
                )
            else:
                _failed(conn, url, rows, problem, now, say)
        if problem is not None:
            return delivered
        delivered += len(ids)


def _failed(conn, url: str, rows, problem: str, now: datetime, say) -> None:
    tries = max(r["tries"] for r in rows) + 1
    ids = [r["alert_id"] for r in rows]
    if tries >= MAX_TRIES:
        conn.executemany(
            "DELETE FROM alert_deliveries WHERE alert_id = ? AND url = ?", [(i, url) for i in ids]
        )
        say(f"{problem}; gave up on {len(ids)} alert(s) after {tries} tries: {', '.join(ids)}")
        return
    wait = backoff(tries)
    conn.executemany(
        "UPDATE alert_deliveries SET tries = ?, next_try = ?, last_error = ?"
        " WHERE alert_id = ? AND url = ?",
        [(tries, stamp(now + wait), problem, i, url) for i in ids],
    )
    minutes = int(wait.total_seconds() // 60)
    say(f"{problem}; {len(ids)} alert(s) kept, next try in {minutes} min (try {tries})")
