"""Request dependencies: a store connection per worker thread, and access control.

SQLite connections belong to the thread that opened them and psycopg connections are not
meant to be shared by concurrent requests, so each thread of the server's pool keeps its own.
"""

from __future__ import annotations

import contextlib
import hmac
import threading
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from detente.api.settings import Settings
from detente.store.db import connect

bearer = HTTPBearer(auto_error=False, description="The server's DETENTE_TOKEN.")


class ThreadConnection:
    """Stands for "this thread's connection": every attribute is looked up on the
    connection of the thread that uses it. FastAPI may resolve a dependency in one pool
    thread and run the handler in another, so the handler must not be handed a connection
    object opened elsewhere."""

    def __init__(self, stores: Stores):
        self._stores = stores

    def __getattr__(self, name: str):
        return getattr(self._stores.get(), name)


class Stores:
    """Thread-local connections to one database."""

    def __init__(self, url: str):
        self.url = url
        self._local = threading.local()
        self._all: list = []
        self._lock = threading.Lock()
        self.current = ThreadConnection(self)

    def get(self):
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.url)  # page cache and mmap reads set there (store.db)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def open(self):
        """A new connection the caller owns (background threads)."""
        return connect(self.url)

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                with contextlib.suppress(Exception):  # already closed or gone
                    conn.close()
            self._all.clear()


def settings(request: Request) -> Settings:
    return request.app.state.settings


async def conn(request: Request) -> ThreadConnection:
    return request.app.state.stores.current


Db = Annotated[Any, Depends(conn)]
"""A handler parameter receiving this thread's store connection."""


def _check(token: str | None, creds: HTTPAuthorizationCredentials | None) -> None:
    if not token:
        raise HTTPException(403, "writes are disabled: start the server with DETENTE_TOKEN set")
    if creds is None or creds.scheme.lower() != "bearer":
        raise HTTPException(401, "a bearer token is required", {"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(creds.credentials.encode(), token.encode()):
        raise HTTPException(401, "invalid token", {"WWW-Authenticate": "Bearer"})


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


# The checks are coroutines although they never wait: FastAPI runs a plain function
# dependency in its thread pool, and a hop there and back for a comparison of two strings
# cost more than the comparison, on every request.
async def can_write(request: Request, creds: Credentials) -> None:
    _check(request.app.state.settings.token, creds)


async def can_read(request: Request, creds: Credentials) -> None:
    current: Settings = request.app.state.settings
    if not current.open_reads:
        _check(current.token, creds)
