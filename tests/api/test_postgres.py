"""The API on a PostgreSQL store answers exactly as on SQLite (``detente serve --db
postgresql://…``), and a posted document is coded into it."""

from __future__ import annotations

import pytest

from detente.store.db import connect
from tests.api.conftest import make_client
from tests.api.support import pg_url, story

pytestmark = pytest.mark.postgres

PATHS = [
    ("/api/v1/events", {"limit": 7, "actor": "RUS"}),
    ("/api/v1/events", {"min_confidence": 0.85, "process": "russia-ukraine"}),
    ("/api/v1/positions", {"issue": "ceasefire"}),
    ("/api/v1/documents", {"q": "istanbul"}),
    ("/api/v1/processes/russia-ukraine", {}),
    ("/api/v1/analyses/signal", {"process": "russia-ukraine"}),
    ("/api/v1/search", {"q": "ceasefire"}),
]


@pytest.fixture
def pg_store() -> str:
    url = pg_url()
    conn = connect(url)
    story().store(conn)
    conn.close()
    return url


def test_same_answers_on_postgresql_and_sqlite(pg_store, db_path):
    with make_client(pg_store) as pg, make_client(db_path) as lite:
        for path, params in PATHS:
            got, expected = pg.get(path, params=params), lite.get(path, params=params)
            assert got.status_code == expected.status_code == 200, path
            assert got.json() == expected.json(), path
        cursor = lite.get("/api/v1/events", params={"limit": 4}).json()["next_cursor"]
        assert (
            pg.get("/api/v1/events", params={"limit": 4, "cursor": cursor}).json()
            == lite.get("/api/v1/events", params={"limit": 4, "cursor": cursor}).json()
        )
        page = pg.get("/ui/process/russia-ukraine/positions")
        assert page.status_code == 200 and "accepted a 30-day ceasefire" in page.text


def test_posted_document_is_coded_into_postgresql(pg_store, auth, nlp):
    from detente.service.jobs import Worker

    with make_client(pg_store) as client:
        text = "Russia and Ukraine exchanged 150 prisoners of war on Friday, officials said."
        job = client.post("/api/v1/documents", json={"text": text, "source": "PG Wire"},
                          headers=auth).json()  # fmt: skip
        Worker(client.app.state.stores.open).run_pending(client.app.state.stores.get())
        done = client.get(job["status_url"]).json()
        assert done["status"] == "done" and done["result"]["ingested"]
        events = client.get("/api/v1/events", params={"source": "PG Wire"}).json()["items"]
        assert events and events[0]["doc_id"] == done["result"]["ingested"][0]
