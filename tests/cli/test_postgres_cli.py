"""The command line on a PostgreSQL store: `--db postgresql://…` reaches every stage, and an
unreachable server is one line without the password. Runs on the server `.ci/run` starts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli.main import app
from tests.api.support import pg_url

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

runner = CliRunner()


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.postgres
@pytest.mark.slow
def test_ingest_code_and_read_through_postgres(tmp_path):
    url = pg_url()
    article = next((EXAMPLES / "articles").glob("*.html"))
    invoke("ingest", str(article), "--db", url)
    invoke("code", "--db", url)
    lines = invoke("events", "--db", url, "--format", "jsonl", "--all").splitlines()
    events = [json.loads(line) for line in lines if line.startswith("{")]
    assert events and all(e["doc_id"] for e in events)
    out = tmp_path / "report.html"
    invoke("report", "--db", url, "--out", str(out))
    assert out.stat().st_size > 10_000


@pytest.mark.postgres
def test_unreachable_server_is_one_line_without_password():
    url = "postgresql://analyst:s3cret@127.0.0.1:9/detente"  # port 9: nothing listens
    result = runner.invoke(app, ["events", "--db", url])
    assert result.exit_code != 0
    assert "s3cret" not in result.output
    assert "127.0.0.1" in result.output and "Traceback" not in result.output
