"""The job queue on a server left running: a job stranded by a crashed worker runs again,
and a finished job does not keep the posted body."""

from __future__ import annotations

import json
import socket

import pytest

from detente.service.jobs import Worker, claim_next, get_job, recover, submit
from detente.store.db import connect
from tests.api.support import BACKENDS, store_url

TEXT = "Russia and Ukraine exchanged 150 prisoners of war on Friday, officials said."


def test_a_job_left_running_by_a_dead_worker_is_run_again(tmp_path, nlp):
    db = str(tmp_path / "j.db")
    conn = connect(db)
    job, _ = submit(conn, "text", {"text": TEXT, "source": "Wire"})
    # A worker on this host claimed it and died (no such process) before finishing.
    dead = f"{socket.gethostname()}:999999999:deadbeef"
    assert claim_next(conn, dead)[0] == job.job_id
    assert get_job(conn, job.job_id).status == "running"
    # Re-posting the story while it is stranded returns the same job.
    assert submit(conn, "text", {"text": TEXT, "source": "Wire"})[0].job_id == job.job_id

    worker = Worker(lambda: connect(db))
    assert worker.run_pending(conn) == 1
    done = get_job(conn, job.job_id)
    assert done.status == "done" and done.result["ingested"]
    payload = conn.execute("SELECT payload FROM jobs WHERE job_id = ?", (job.job_id,))
    assert json.loads(payload.fetchone()[0]) == {}


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_job_running_in_a_live_worker_is_left_alone(backend, tmp_path):
    conn = connect(store_url(backend, tmp_path))
    job, _ = submit(conn, "text", {"text": TEXT})
    claim_next(conn, Worker(lambda: conn).owner)
    assert recover(conn) == [] and get_job(conn, job.job_id).status == "running"
    # Another host's worker that has shown no progress for hours is taken as gone.
    conn.execute("UPDATE jobs SET owner = 'elsewhere:1:x', updated = '2025-01-01T00:00:00'")
    assert recover(conn) == [job.job_id] and get_job(conn, job.job_id).status == "queued"


def test_a_slow_job_of_a_live_worker_on_this_host_is_not_taken_over(tmp_path):
    """Staleness only stands in for liveness on other hosts: a live worker here that has
    been on one long document for hours keeps its job (no second run of it)."""
    conn = connect(str(tmp_path / "j.db"))
    job, _ = submit(conn, "text", {"text": TEXT})
    claim_next(conn, Worker(lambda: conn).owner)
    conn.execute("UPDATE jobs SET updated = '2025-01-01T00:00:00'")
    assert recover(conn) == [] and get_job(conn, job.job_id).status == "running"
