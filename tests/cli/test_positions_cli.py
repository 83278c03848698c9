from __future__ import annotations

import json

from typer.testing import CliRunner

from detente.cli.main import app
from detente.coding.models import ActorRef
from detente.positions.models import Position, PositionEvidence, ProcessRecord
from detente.store.db import connect
from detente.store.records import replace_doc_records, replace_process_records

runner = CliRunner()


def _position(pid: str, actor: str, issue: str, stance: str, value, date: str) -> Position:
    return Position(
        id=pid,
        doc_id="d1",
        process="russia-ukraine",
        issue=issue,
        actor=ActorRef(text=actor, code=actor),
        speech_act="demand",
        stance=stance,
        position=value,
        date=date,
        evidence=PositionEvidence(
            sentence=f"{actor} said something about {issue}.", start=0, end=10
        ),
    )


def _db(tmp_path):
    path = tmp_path / "t.db"
    conn = connect(path)
    conn.execute(
        "INSERT INTO documents (doc_id, content_hash, origin, clean_text, raw_text, ingested)"
        " VALUES ('d1', 'h', 'test', 'x', 'x', '2025-01-01')"
    )
    replace_doc_records(
        conn,
        "d1",
        [],
        [
            _position("p1", "RUS", "sanctions", "favor", 100, "2025-01-01"),
            _position("p2", "RUS", "sanctions", "conditional", 50, "2025-02-01"),
            _position("p3", "USA", "alliances", "against", 0, "2025-02-12"),
        ],
    )
    replace_process_records(
        conn,
        [
            ProcessRecord(
                id="x1",
                kind="exchange",
                process="russia-ukraine",
                date="2025-01-10",
                parties=[ActorRef(text="Russia", code="RUS"), ActorRef(text="Ukraine", code="UKR")],
                numbers={"RUS": 230, "UKR": 248},
                doc_ids=["d1"],
            )
        ],
    )
    conn.close()
    return path


def test_positions_jsonl_filters_by_actor(tmp_path):
    db = _db(tmp_path)
    result = runner.invoke(
        app, ["positions", "--db", str(db), "--actor", "rus", "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in rows] == ["p1", "p2"]


def test_positions_filter_by_stance_and_refuse_an_unknown_one(tmp_path):
    db = _db(tmp_path)
    result = runner.invoke(
        app, ["positions", "--db", str(db), "--stance", "against", "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.output.splitlines()] == ["p3"]
    bad = runner.invoke(app, ["positions", "--db", str(db), "--stance", "maybe"])
    assert bad.exit_code == 2 and "stance 'maybe' is unknown" in bad.output


def test_positions_csv_and_table(tmp_path):
    db = _db(tmp_path)
    result = runner.invoke(
        app, ["positions", "--db", str(db), "--issue", "alliances", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("id,doc_id,process,issue") and "actor_code" in lines[0]
    assert len(lines) == 2 and "USA" in lines[1]
    table = runner.invoke(app, ["positions", "--db", str(db)])
    assert table.exit_code == 0 and "3 positions" in table.output


def test_process_view_uses_latest_positions_and_writes_files(tmp_path):
    db = _db(tmp_path)
    md, js = tmp_path / "view.md", tmp_path / "view.json"
    result = runner.invoke(app, ["process", "russia-ukraine", "--db", str(db), "--out", str(md)])
    assert result.exit_code == 0, result.output
    text = md.read_text()
    assert "| RUS | sanctions | conditional |" in text
    assert "RUS released 230" in text
    runner.invoke(app, ["process", "russia-ukraine", "--db", str(db), "--out", str(js)])
    view = json.loads(js.read_text())
    cells = {(c["actor"], c["issue"]): c for c in view["cells"]}
    assert cells[("RUS", "sanctions")]["position"] == 50
    assert cells[("USA", "alliances")]["stance"] == "against"
    assert len(view["exchanges"]) == 1


def test_process_detail_lists_sub_issue_positions(tmp_path):
    db = _db(tmp_path)
    guarantees = _position("p4", "USA", "alliances", "against", None, "2025-02-12")
    conn = connect(db)
    replace_doc_records(
        conn,
        "d1",
        [],
        [
            _position("p3", "USA", "alliances", "against", 0, "2025-02-12"),
            guarantees.model_copy(update={"sub_issue": "guarantees"}),
        ],
    )
    conn.close()
    plain = runner.invoke(app, ["process", "russia-ukraine", "--db", str(db)])
    detail = runner.invoke(app, ["process", "russia-ukraine", "--db", str(db), "--detail"])
    assert plain.exit_code == 0 and detail.exit_code == 0, detail.output
    assert "↳" in detail.output and "↳" not in plain.output


def test_unknown_process_is_an_error(tmp_path):
    result = runner.invoke(app, ["process", "atlantis", "--db", str(tmp_path / "t.db")])
    assert result.exit_code == 2


def test_positions_write_parquet_and_jsonl_files(tmp_path):
    import pandas as pd

    db = _db(tmp_path)
    out = tmp_path / "out" / "positions.parquet"
    out.parent.mkdir()
    result = runner.invoke(
        app, ["positions", "--db", str(db), "--format", "parquet", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(out)
    assert sorted(frame["id"]) == ["p1", "p2", "p3"] and "actor_code" in frame.columns
    jsonl = tmp_path / "p.jsonl"
    result = runner.invoke(
        app, ["positions", "--db", str(db), "-f", "jsonl", "-o", str(jsonl), "--actor", "USA"]
    )
    assert result.exit_code == 0 and json.loads(jsonl.read_text())["id"] == "p3"
    bad = runner.invoke(app, ["positions", "--db", str(db), "--format", "parquet"])
    assert bad.exit_code == 2 and "needs --out" in bad.output


def test_process_matrix_fits_an_80_column_terminal_and_names_the_poles(tmp_path):
    db = _db(tmp_path)
    result = runner.invoke(app, ["process", "russia-ukraine", "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    # One block per issue, headed by what both ends of its scale mean.
    heading = next(line for line in lines if line.startswith("Sanctions") or "sanctions" in line)
    assert "0 =" in heading and "100 =" in heading
    assert "against (→0)" in result.output
    wide = runner.invoke(app, ["process", "russia-ukraine", "--db", str(db), "--wide"])
    assert wide.exit_code == 0 and "against (toward 0 = " in wide.output
    assert max(len(line) for line in wide.output.splitlines()) > 80


def test_markdown_view_names_the_pole_a_stance_leans_to(tmp_path):
    db = _db(tmp_path)
    md = tmp_path / "out" / "view.md"
    result = runner.invoke(app, ["process", "russia-ukraine", "--db", str(db), "--out", str(md)])
    assert result.exit_code == 0, result.output
    assert "| USA | alliances | against (toward 0 = " in md.read_text()


def test_every_option_has_help_and_a_metavar():
    import click
    import typer.main

    command = typer.main.get_command(app)
    for name in ("positions", "process", "timeline", "signal", "space", "dyads", "report",
                 "export"):  # fmt: skip
        for param in command.commands[name].params:
            if isinstance(param, click.Option):
                assert param.help, (name, param.name)
                if not param.is_flag:
                    assert param.metavar, (name, param.name)
