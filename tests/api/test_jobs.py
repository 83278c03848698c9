"""Posting documents: access control, limits, validation, idempotence, and the background
job that codes them with the real pipeline."""

from __future__ import annotations

import json

import pytest

from detente.store.db import connect
from tests.api.conftest import make_client

ARTICLE = (
    "Russia and Ukraine exchanged 150 prisoners of war on Friday, officials said. "
    "Ukraine accused Russia of shelling the city of Kharkiv overnight."
)


def test_writes_need_the_bearer_token(db_path):
    with make_client(db_path) as client:
        body = {"text": ARTICLE}
        missing = client.post("/api/v1/documents", json=body)
        assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
        wrong = client.post("/api/v1/documents", json=body,
                            headers={"Authorization": "Bearer nope"})  # fmt: skip
        assert wrong.status_code == 401 and wrong.json()["error"]["message"] == "invalid token"
    with make_client(db_path, token=None) as client:
        off = client.post("/api/v1/documents", json=body, headers={"Authorization": "Bearer x"})
        assert off.status_code == 403 and "DETENTE_TOKEN" in off.json()["error"]["message"]


def test_reads_can_be_closed(db_path, auth):
    with make_client(db_path, open_reads=False) as client:
        assert client.get("/api/v1/events").status_code == 401
        assert client.get("/ui/events").status_code == 401
        assert client.get("/api/v1/events", headers=auth).status_code == 200


@pytest.mark.parametrize(
    ("body", "content_type", "status", "says"),
    [
        (b"", "text/plain", 400, "empty"),
        (b"{not json", "application/json", 400, "invalid JSON"),
        (b'{"title": "no text"}', "application/json", 400, "one of text"),
        (b'{"text": "a", "html": "<p>b</p>"}', "application/json", 400, "not text, html"),
        (b'{"text": 5}', "application/json", 400, "must be a string"),
        (b"%PDF-1.4", "application/pdf", 415, "unsupported content type"),
        (b'{"url": "http://127.0.0.1:9/x"}', "application/json", 400, "loopback"),
        (b'{"url": "file:///etc/passwd"}', "application/json", 400, "scheme"),
    ],
)
def test_bad_posts_are_clear_4xx(client, auth, body, content_type, status, says):
    response = client.post("/api/v1/documents", content=body,
                           headers={**auth, "Content-Type": content_type})  # fmt: skip
    assert response.status_code == status
    assert says in response.json()["error"]["message"]


def test_request_size_limit(db_path, auth):
    with make_client(db_path, max_body_bytes=1000) as client:
        response = client.post("/api/v1/documents", json={"text": "x" * 2000}, headers=auth)
        assert response.status_code == 413
        assert response.json()["error"]["status"] == 413

        def chunks():
            yield b'{"text": "'
            for _ in range(20):
                yield b"y" * 100
            yield b'"}'

        streamed = client.post("/api/v1/documents", content=chunks(),
                               headers={**auth, "Content-Type": "application/json"})  # fmt: skip
        assert streamed.status_code == 413


def test_posted_text_is_queued_coded_and_idempotent(db_path, auth, nlp):
    with make_client(db_path) as client:
        post = {"text": ARTICLE, "title": "Swap", "source": "Test Wire", "published": "2025-07-04"}
        first = client.post("/api/v1/documents", json=post, headers=auth)
        assert first.status_code == 202
        job = first.json()
        assert job["status"] == "queued" and job["status_url"] == f"/api/v1/jobs/{job['job_id']}"
        again = client.post("/api/v1/documents", json=post, headers=auth)
        assert again.status_code == 200 and again.json()["job_id"] == job["job_id"]

        worker = _worker(client)
        assert worker.run_pending(client.app.state.stores.get()) == 1
        done = client.get(job["status_url"]).json()
        assert done["status"] == "done"
        assert done["progress"] == {"done": 1, "total": 1}
        doc_id = done["result"]["ingested"][0]
        events = client.get("/api/v1/events", params={"source": "Test Wire"}).json()["items"]
        assert events and {e["doc_id"] for e in events} == {doc_id}
        assert "ASSAULT" in {e["event_type"] for e in events} or "ACCUSE" in {
            e["event_type"] for e in events
        }
        # The same story in a new request (another title) is stored once.
        copy = client.post("/api/v1/documents", json={**post, "title": "Swap (copy)"},
                           headers=auth)  # fmt: skip
        assert copy.status_code == 202
        worker.run_pending(client.app.state.stores.get())
        result = client.get(copy.json()["status_url"]).json()["result"]
        assert result["ingested"] == [] and result["duplicates"] == [doc_id]
        assert client.get("/api/v1/jobs/j-missing").status_code == 404


def test_jsonl_batch_and_bad_lines(db_path, auth, nlp):
    with make_client(db_path) as client:
        lines = [json.dumps({"id": "b1", "text": ARTICLE, "source": "Batch"}), "{broken", ""]
        headers = {**auth, "Content-Type": "application/x-ndjson"}
        response = client.post(
            "/api/v1/documents", content="\n".join(lines).encode(), headers=headers
        )
        assert response.status_code == 202
        _worker(client).run_pending(client.app.state.stores.get())
        result = client.get(response.json()["status_url"]).json()["result"]
        assert result["ingested"] == ["b1"]
        assert len(result["rejected"]) == 1 and "not valid JSON" in result["rejected"][0]["reason"]
        assert (
            connect(db_path)
            .execute("SELECT status FROM documents WHERE doc_id = 'b1'")
            .fetchone()[0]
            == "coded"
        )


def _worker(client):
    from detente.service.jobs import Worker

    return Worker(client.app.state.stores.open)


def test_the_background_worker_codes_a_posted_url(db_path, auth, nlp):
    import time

    from tests.service.feed_server import SiteServer
    from tests.service.test_watch import SWAP

    with SiteServer() as site:
        site.items.append(("swap", "Prisoner swap", SWAP))
        with make_client(db_path, job_worker=True, poll_s=0.1, allow_private_urls=True) as client:
            url = f"{site.base}/article/swap"
            job = client.post("/api/v1/documents", json={"url": url}, headers=auth).json()
            deadline = time.monotonic() + 120
            while (status := client.get(job["status_url"]).json())["status"] != "done":
                assert status["status"] in ("queued", "running") and time.monotonic() < deadline
                time.sleep(0.1)
            doc_id = status["result"]["ingested"][0]
            document = client.get(f"/api/v1/documents/{doc_id}").json()
            assert document["document"]["url"] == url and document["events"]
