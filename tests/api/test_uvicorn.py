"""The app under a real uvicorn server on 127.0.0.1, as ``detente serve`` runs it."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest
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


def test_worker_processes_get_the_settings_the_parent_resolved(db_path, monkeypatch):
    from detente.api.app import SETTINGS_ENV, app_from_environment, settings_to_environment

    monkeypatch.setenv(SETTINGS_ENV, "")  # restored after the test
    logger = logging.getLogger("detente")
    monkeypatch.setattr(logger, "handlers", list(logger.handlers))  # the app adds one
    monkeypatch.setattr(logger, "level", logger.level)
    settings = Settings(db=db_path, token=TOKEN, cors_origins=("http://a.test",),
                        job_worker=False, max_body_bytes=1234)  # fmt: skip
    settings_to_environment(settings)
    app = app_from_environment()
    assert app.state.settings == settings
    app.state.stores.close()


@pytest.mark.slow
def test_serve_with_two_worker_processes_answers_on_one_port(db_path):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    command = [sys.executable, "-m", "detente.cli.main", "serve", "--db", db_path,
               "--port", str(port), "--workers", "2", "--no-worker"]  # fmt: skip
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        url, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                assert server.poll() is None and time.monotonic() < deadline, "did not start"
                time.sleep(0.2)
        with httpx.Client(base_url=url, timeout=10) as http:
            pages = [http.get("/api/v1/events", params={"limit": 2}) for _ in range(20)]
        assert {p.status_code for p in pages} == {200}
        assert len({p.text for p in pages}) == 1  # every process serves the same page
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    assert "in 2 processes" in " ".join(output.split())
