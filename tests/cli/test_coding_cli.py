"""``detente code``, ``extract``, ``events`` and ``evaluate`` through Typer's test runner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli.main import app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ARTICLES = FIXTURES / "coding_articles.jsonl"
WIDE = {"COLUMNS": "200"}


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def coded_db(runner, tmp_path_factory, nlp) -> Path:
    """A database with the three fixture articles ingested and coded once."""
    db = tmp_path_factory.mktemp("cli") / "t.db"
    ingested = runner.invoke(app, ["ingest", str(ARTICLES), "--db", str(db)])
    assert ingested.exit_code == 0, ingested.output
    coded = runner.invoke(app, ["code", "--db", str(db)])
    assert coded.exit_code == 0, coded.output
    assert "coded 3 documents" in coded.stdout
    return db


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def listed(runner, db: Path, *args: str) -> list[dict]:
    result = runner.invoke(app, ["events", "--db", str(db), "--format", "jsonl", *args])
    assert result.exit_code == 0, result.output
    return jsonl(result.stdout)


def test_events_jsonl_lists_coded_events(runner, coded_db):
    events = listed(runner, coded_db)
    assert {e["doc_id"] for e in events} == {"art-1", "art-2", "art-3"}
    assert {"RETREAT", "ASSAULT", "ACCUSE", "AGREE", "SANCTION"} <= {
        e["event_type"] for e in events
    }
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)


def test_events_filters(runner, coded_db):
    assert {e["event_type"] for e in listed(runner, coded_db, "--type", "sanction")} == {"SANCTION"}
    by_russia = listed(runner, coded_db, "--actor", "RUS")
    assert by_russia and all("RUS" in [a["code"] for a in e["actor"]] for e in by_russia)
    negated = listed(runner, coded_db, "--modality", "negated")
    assert [(e["event_type"], e["doc_id"]) for e in negated] == [("AGREE", "art-3")]
    since = listed(runner, coded_db, "--since", "2024-09-01")
    assert since and {e["doc_id"] for e in since} == {"art-3"}


def test_events_csv_and_table(runner, coded_db):
    result = runner.invoke(app, ["events", "--db", str(coded_db), "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {"event_type", "actor_codes", "sentence"} <= set(rows[0])
    exchange = next(r for r in rows if r["event_type"] == "RETREAT")
    assert exchange["actor_codes"] in {"RUS|UKR", "UKR|RUS"}
    table = runner.invoke(app, ["events", "--db", str(coded_db), "--type", "ASSAULT"], env=WIDE)
    assert table.exit_code == 0
    assert "Events (1)" in table.stdout and "ASSAULT" in table.stdout and "RUS" in table.stdout


def test_code_is_incremental_and_recode_recodes(runner, coded_db):
    before = listed(runner, coded_db)
    again = runner.invoke(app, ["code", "--db", str(coded_db)])
    assert again.exit_code == 0 and "coded 0 documents" in again.stdout
    recoded = runner.invoke(app, ["code", "--db", str(coded_db), "--recode"])
    assert recoded.exit_code == 0 and "coded 3 documents" in recoded.stdout
    assert [e["id"] for e in listed(runner, coded_db)] == [e["id"] for e in before]


def test_extract_jsonl_is_one_shot(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["extract", str(ARTICLES), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    events = jsonl(result.stdout)
    assert {e["doc_id"] for e in events} == {"art-1", "art-2", "art-3"}
    assert all(e["evidence"]["sentence"] for e in events)
    assert list(tmp_path.iterdir()) == []


def test_extract_several_kinds_to_files(runner, tmp_path):
    out = tmp_path / "records.jsonl"
    result = runner.invoke(
        app,
        [
            "extract",
            str(ARTICLES),
            "--format",
            "jsonl",
            "--what",
            "events,positions,process",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["records.events.jsonl", "records.positions.jsonl", "records.process.jsonl"]
    events = jsonl((tmp_path / "records.events.jsonl").read_text(encoding="utf-8"))
    assert {e["doc_id"] for e in events} == {"art-1", "art-2", "art-3"}


def test_extract_html_table(runner):
    result = runner.invoke(app, ["extract", str(FIXTURES / "coding_article.html")], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "CONSULT" in result.stdout and "ACCUSE" in result.stdout


def test_extract_bad_input_exits_non_zero(runner, tmp_path):
    missing = tmp_path / "missing.txt"
    result = runner.invoke(app, ["extract", str(missing), "--format", "jsonl"])
    assert result.exit_code == 1
    assert "rejected" in result.stderr and "missing.txt" in result.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    result = runner.invoke(app, ["extract", str(bad), "--format", "jsonl"])
    assert result.exit_code == 1 and "text" in result.stderr


def test_extract_keeps_going_past_one_bad_input(runner, tmp_path):
    result = runner.invoke(
        app, ["extract", str(tmp_path / "missing.txt"), str(ARTICLES), "--format", "jsonl"]
    )
    assert result.exit_code == 0
    assert "missing.txt" in result.stderr and jsonl(result.stdout)


def test_extract_parquet(runner, tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    out = tmp_path / "x.parquet"
    result = runner.invoke(
        app, ["extract", str(ARTICLES), "--format", "parquet", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(out)
    assert set(frame["doc_id"]) == {"art-1", "art-2", "art-3"}
    assert {"event_type", "actor_codes"} <= set(frame.columns)


def test_evaluate_prints_tables_and_writes_json(runner, tmp_path):
    out = tmp_path / "report.json"
    gold = FIXTURES / "plover_tiny_gold.json"
    result = runner.invoke(app, ["evaluate", str(gold), "--out", str(out)], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "Event types on 9 gold records (8 sentences)" in result.stdout
    assert "overall" in result.stdout and "Confusion" in result.stdout
    assert "actor country accuracy 1.000 (n=8)" in result.stdout
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["records"] == 9 and report["overall"]["gold"] == 9
    assert report["overall"]["f1"] == pytest.approx(0.8944, abs=1e-4)


def test_evaluate_missing_gold_file_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(app, ["evaluate", str(tmp_path / "nope.json")])
    assert result.exit_code == 2


def test_version_and_record_schemas():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("detente ")
    expected = {"events": "event_type", "positions": "speech_act", "process": "kind"}
    for record, field in expected.items():
        result = CliRunner().invoke(app, ["schema", record])
        assert result.exit_code == 0, result.output
        assert field in json.loads(result.output)["properties"]
    assert CliRunner().invoke(app, ["schema", "nope"]).exit_code == 2


def test_extract_takes_ingest_read_options(runner, tmp_path):
    """Issue 9: extract advised a --max-mb it lacked; its limits are now ingest's."""
    dump = tmp_path / "dump.jsonl"
    good = ARTICLES.read_text(encoding="utf-8").strip().splitlines()[0]
    dump.write_text(json.dumps({"text": "talks " * 500}) + "\n" + good + "\n", encoding="utf-8")
    result = runner.invoke(
        app, ["extract", str(dump), "--format", "jsonl", "--max-mb", "0.002", "--deadline", "5"]
    )
    assert result.exit_code == 0, result.output
    assert f"{dump}:1" in result.stderr and "per-record size cap" in result.stderr
    assert jsonl(result.stdout)
    assert runner.invoke(app, ["extract", str(dump), "--follow-symlinks"]).exit_code == 0
