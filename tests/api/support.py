"""Stores for the API, watch and backend tests: the project's peace-talks story plus one
party changing its stance, written to SQLite or to the PostgreSQL server CI starts."""

from __future__ import annotations

import os

import pytest

from tests.analysis.peace_talks import peace_talks
from tests.analysis.records_factory import Scenario

TOKEN = "test-token-0123456789"


def story() -> Scenario:
    """peace_talks() plus a June article in which Russia moves from a conditional stance on a
    ceasefire to accepting one, and an exchange of prisoners."""
    s = peace_talks()
    d = s.doc("wire-0610", source="Baltic Wire", published="2025-06-10",
              title="Moscow accepts truce <b>offer</b>")  # fmt: skip
    s.position(d, "The Kremlin said it accepted a 30-day ceasefire along the front line.",
               "ceasefire", "RUS", "accept", "favor", 20)  # fmt: skip
    s.event(d, "Russia and Ukraine agreed to halt strikes on energy facilities.", "AGREE",
            ["RUS"], ["UKR"], modality="asserted", confidence=0.9)  # fmt: skip
    s.event(d, "Officials said Russia may resume strikes if talks fail.", "THREATEN",
            ["RUS"], ["UKR"], modality="hypothetical", confidence=0.4,
            attribution="UKR")  # fmt: skip
    return s


def pg_url() -> str:
    """The test PostgreSQL database, emptied; skips when CI's server is not running."""
    url = os.environ.get("DETENTE_TEST_PG")
    if not url:
        pytest.skip("DETENTE_TEST_PG is not set: no PostgreSQL server (.ci/run starts one)")
    psycopg = pytest.importorskip("psycopg")
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
            conn.execute("CREATE SCHEMA public")
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL at DETENTE_TEST_PG is unreachable: {exc}")
    return url


def store_url(kind: str, tmp_path) -> str:
    return pg_url() if kind == "postgres" else str(tmp_path / "detente.db")


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]
