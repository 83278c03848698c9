"""The app under a real uvicorn server on 127.0.0.1, as ``detente serve`` runs it."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import uvicorn

from detente.api import Settings, create_app
from tests.api.support import TOKEN


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn in a thread; ``url`` once it answers."""

    def __init__(self, app):
        self.port = free_port()
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def test_real_server_answers_reads_and_refuses_unauthenticated_writes(db_path):
    app = create_app(Settings(db=db_path, token=TOKEN, job_worker=False))
    with LiveServer(app) as live, httpx.Client(base_url=live.url, timeout=10) as http:
        assert http.get("/api/v1/health").json()["status"] == "ok"
        first = http.get("/api/v1/events", params={"limit": 5}).json()
        second = http.get("/api/v1/events", params={"limit": 5, "cursor": first["next_cursor"]})
        ids = [e["id"] for e in first["items"] + second.json()["items"]]
        assert len(ids) == len(set(ids)) == 10
        assert http.post("/api/v1/documents", json={"text": "x"}).status_code == 401
        assert "Russia–Ukraine war" in http.get("/ui/process/russia-ukraine").text
