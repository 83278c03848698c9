import csv
import io
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from detente.cli.main import app
from detente.cli.records_output import terminal_text
from detente.store.db import connect
from tests.analysis.peace_talks import peace_talks

runner = CliRunner()


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "t.db"
    peace_talks().store(connect(path))
    return path


@pytest.fixture()
def empty_db(tmp_path):
    path = tmp_path / "empty.db"
    connect(path).close()
    return path


def invoke(*args: str):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def test_timeline_table_and_json(db):
    table = invoke("timeline", "--db", db)
    assert "Key events" in table and "2025-05-23" in table and "exchange" in table
    rows = json.loads(invoke("timeline", "--db", db, "--format", "json", "--since", "2025-05-23"))
    assert rows[0]["date"] == "2025-05-23" and rows[0]["record_ids"]


def test_signal_csv_has_index_per_week(db):
    rows = list(csv.DictReader(io.StringIO(invoke("signal", "--db", db, "-f", "csv"))))
    weeks = [r["week"] for r in rows if r["process"] == "russia-ukraine"]
    assert weeks == ["2025-W19", "2025-W20", "2025-W21", "2025-W23"]
    assert all(-100 <= float(r["index"]) <= 100 for r in rows)


def test_dyads_weekly_and_speculative(db):
    rows = json.loads(invoke("dyads", "--db", db, "--freq", "week", "-f", "json",
                             "--include-speculative"))  # fmt: skip
    last = [r for r in rows if r["period"] == "2025-W23"]
    assert last[0]["events"] == 1 and last[0]["events_other"] == 1
    monthly = json.loads(invoke("dyads", "--db", db, "--freq", "month", "-f", "json"))
    assert {r["period"] for r in monthly} <= {"2025-05", "2025-06"}
    bad = runner.invoke(app, ["dyads", "--db", str(db), "--freq", "fortnight"])
    assert bad.exit_code == 2


def test_space_json(db):
    rows = json.loads(invoke("space", "--db", db, "-f", "json"))
    assert {r["issue"]: r["zopa"] for r in rows}["prisoner_exchange"] == "0-15"


def test_report_html_and_markdown(db, tmp_path):
    out = tmp_path / "r.html"
    assert "Wrote" in invoke("report", "--db", db, "--out", out, "--process", "russia-ukraine")
    html = out.read_text()
    assert html.startswith("<!DOCTYPE html>") and "russia-ukraine" in html
    md = tmp_path / "r.md"
    invoke("report", "--db", db, "--out", md, "--format", "md", "--since", "2025-05-16")
    assert md.read_text().startswith("# detente report")


def test_report_on_empty_database_says_so(empty_db, tmp_path):
    out = tmp_path / "r.html"
    assert "No records" in invoke("report", "--db", empty_db, "--out", out)
    assert "This selection holds no records" in out.read_text()
    assert "No key events" in invoke("timeline", "--db", empty_db)


def test_export_formats(db, tmp_path):
    invoke("export", "--db", db, "--format", "parquet", "--out", tmp_path / "pq")
    gdelt = pd.read_parquet(tmp_path / "pq" / "gdelt.parquet")
    assert set(gdelt["date"]) >= {"20250516", "20250523"}
    invoke("export", "--db", db, "-f", "csv", "--what", "events,process", "--out", tmp_path / "c")
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == ["events.csv", "process.csv"]
    bad = runner.invoke(app, ["export", "--db", str(db), "--what", "x", "--out", str(tmp_path)])
    assert bad.exit_code == 2


def test_missing_database_is_an_error(tmp_path):
    result = runner.invoke(app, ["signal", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1


def test_dates_are_validated_before_anything_is_read(db):
    for command in ("timeline", "signal", "dyads", "report", "events", "positions"):
        result = runner.invoke(app, [command, "--db", str(db), "--since", "yesterday"])
        assert result.exit_code == 2, (command, result.output)
        said = " ".join(result.output.replace("│", " ").split())
        assert "'--since': 'yesterday' is not a date: use YYYY-MM-DD" in said, command


def test_timeline_pages_and_counts_per_period(db):
    first = json.loads(invoke("timeline", "--db", db, "-f", "json", "--limit", "2"))
    events = [r for r in first if r["modality"] != "merged"]
    assert len(events) == 2
    rest = json.loads(invoke("timeline", "--db", db, "-f", "json", "--all"))
    assert len([r for r in rest if r["modality"] != "merged"]) > 2
    weekly = json.loads(invoke("timeline", "--db", db, "-f", "json", "--per", "week"))
    assert {r["period"] for r in weekly} >= {"2025-W20", "2025-W21"}
    assert all(r["items"] <= r["records"] for r in weekly)


def test_events_table_is_paged_with_a_cursor(db):
    first = invoke("events", "--db", db, "--limit", "5")
    assert "Events 5 of 17" in first and "--cursor" in first
    cursor = first.split("--cursor", 1)[1].split()[0]
    second = invoke("events", "--db", db, "--limit", "5", "--cursor", cursor)
    assert "Events 5 of 17" in second
    every = invoke("events", "--db", db, "--all")
    assert "Events (17)" in every and "--cursor" not in every


def test_control_characters_in_stored_text_are_escaped_in_tables(tmp_path):
    from tests.analysis.records_factory import Scenario

    s = Scenario()
    d = s.doc("a", source=None, url=None, title="Evil\x1b[2J title", published="2025-01-01")
    s.event(d, "\x07[red]Met\x1b[2J.", "CONSULT", ["RUS"], ["UKR"])
    s.position(d, "Kyiv\x1b[31m rejects it.", "territory", "UKR", "reject", "against", 5)
    path = tmp_path / "ctl.db"
    s.store(connect(path))
    events = invoke("events", "--db", path)
    assert "\x07" not in events and "\x1b" not in events and "\\x07[red" in events
    positions = invoke("positions", "--db", path)
    assert "\x1b" not in positions and "Kyiv" in positions
    assert terminal_text("a\tb\nc\x9b[d]") == "a b c\\x9b\\[d]"
