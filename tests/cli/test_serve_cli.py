"""``detente watch`` and ``serve`` through Typer's test runner: the startup line, rule
baselines said once, and no password in a failure line (tests/api/test_serve_cli.py has the
bad-input cases)."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from detente.cli import serve as serve_cli
from tests.service.feed_server import SiteServer
from tests.service.test_watch import SWAP


@pytest.fixture
def app() -> typer.Typer:
    application = typer.Typer()
    serve_cli.register(application)
    return application


def test_watch_says_what_it_watches_and_sets_rule_baselines_once(app, tmp_path, nlp):
    rules = tmp_path / "rules.yml"
    rules.write_text("rules:\n  - {name: records, type: process_record}\n")
    db = str(tmp_path / "w.db")
    with SiteServer() as site:
        site.items.append(("swap", "Prisoner swap", SWAP))
        args = ["watch", "--feed", f"{site.base}/feed.xml", "--db", db, "--rules", str(rules),
                "--allow-private", "--once"]  # fmt: skip
        first = CliRunner().invoke(app, args)
        assert first.exit_code == 0, first.output
        assert f"detente watch: 1 feed once into {db}; 1 alert rules" in first.output
        assert "rule records: baseline set at" in first.output
        assert "0 facts already in the store will not alert" in first.output
        assert "alert [records]: new exchange" in first.output
        second = CliRunner().invoke(app, args)
    assert "rule records: baseline of " in second.output and "alert [" not in second.output


def test_serve_on_an_unreachable_database_is_one_line_without_the_password(app):
    pytest.importorskip("psycopg")
    result = CliRunner().invoke(app, ["serve", "--db", "postgresql://u:hunter2@127.0.0.1:9/x"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "Cannot open the store postgresql://u:***@127.0.0.1:9/x" in result.output
    assert "hunter2" not in result.output
