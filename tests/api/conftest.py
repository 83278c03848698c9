"""A stored story and a test client on it (SQLite; PostgreSQL tests ask for it)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from detente.api import Settings, create_app
from detente.store.db import connect
from tests.api.support import TOKEN, story


@pytest.fixture
def db_path(tmp_path) -> str:
    path = str(tmp_path / "detente.db")
    conn = connect(path)
    story().store(conn)
    conn.close()
    return path


def make_client(db: str, **settings) -> TestClient:
    options = {"token": TOKEN, "job_worker": False, **settings}
    return TestClient(create_app(Settings(db=db, **options)), raise_server_exceptions=False)


@pytest.fixture
def client(db_path):
    with make_client(db_path) as c:
        yield c


@pytest.fixture
def auth() -> dict:
    return {"Authorization": f"Bearer {TOKEN}"}
