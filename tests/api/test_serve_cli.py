"""``detente serve`` and ``detente watch`` refuse bad settings with one line, no trace."""

from __future__ import annotations

from typer.testing import CliRunner

from detente.cli.main import app

runner = CliRunner()


def said(result) -> str:
    """The output as one line (Rich wraps long messages to the terminal width)."""
    return " ".join(result.output.split())


def test_serve_with_an_unreachable_database_says_so():
    result = runner.invoke(app, ["serve", "--db", "postgresql://nobody@127.0.0.1:1/none"])
    assert result.exit_code == 2
    assert "Cannot open the store postgresql://nobody@127.0.0.1:1/none" in said(result)
    assert "Traceback" not in result.output


def test_serve_with_a_bad_config_file(tmp_path):
    config = tmp_path / "c.yml"
    config.write_text("tokn: x\n")
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "x.db"), "--config", str(config)])
    assert result.exit_code == 2 and "unknown settings" in said(result)


def test_watch_refuses_a_bad_interval_and_bad_rules(tmp_path):
    result = runner.invoke(app, ["watch", "--feed", "http://127.0.0.1:9/f", "--every", "soon"])
    assert result.exit_code == 2 and "invalid interval 'soon'" in said(result)
    rules = tmp_path / "rules.yml"
    rules.write_text("rules: [{type: weather}]\n")
    result = runner.invoke(app, ["watch", "--feed", "http://127.0.0.1:9/f", "--rules", str(rules)])
    assert result.exit_code == 2 and "type must be one of" in said(result)
