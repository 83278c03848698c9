"""Gold files that cannot be scored say why, naming the record; the CLI exits 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli.main import app
from detente.evaluation.gold import GoldError, detect_format
from detente.evaluation.plover import load_gold
from detente.evaluation.realnews import load_realnews

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def write(tmp_path: Path, content, name: str = "gold.json") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"id": "a", "event": "AGREE", "te', "not valid JSON at line 1"),
        (b"\x89PNG\r\n\x1a\n\x00\xff\xfe", "not UTF-8 text"),
        ({"records": []}, "expected a JSON list of records, found a dict"),
        ([], "the list is empty"),
        ([{"id": "x", "text": "Russia shelled Kharkiv."}], "record 0 (x): missing field event"),
        ([{"id": "x", "event": "AGREE", "text": 3}], "'text' and 'event' must be strings"),
        (["a sentence"], "record 0: expected an object, found str"),
        ([{"id": "x", "event": "NOPE", "text": "Text."}], "no record has a known event type"),
    ],
)
def test_plover_loader_names_what_is_wrong(tmp_path, content, message):
    with pytest.raises(GoldError) as caught:
        load_gold(write(tmp_path, content))
    assert message in str(caught.value)


def test_unknown_labels_are_warnings_with_their_index(tmp_path):
    rows = [
        {"id": "ok", "event": "AGREE", "text": "Russia agreed to talks."},
        {"id": "odd", "event": "NOPE", "text": "Something."},
    ]
    warnings: list[str] = []
    records = load_gold(write(tmp_path, rows), warnings=warnings)
    assert [r.id for r in records] == ["ok"]
    assert warnings == ["record 1 (odd): unknown event type 'NOPE', skipped"]


def test_realnews_validation_lists_every_problem_with_its_index(tmp_path):
    (tmp_path / "a.txt").write_text("Headline\n\nBody.")
    rows = [
        {
            "kind": "event",
            "file": "a.txt",
            "sentence_contains": "Body",
            "event_type": "HUG",
            "actor": "RUS",
            "modality": "asserted",
        },
        {"kind": "talks", "file": "missing.txt", "parties": ["RUS"], "status": "held"},
        {"kind": "ceasefire", "file": "a.txt"},
        {"kind": "rumour", "file": "a.txt"},
        {
            "kind": "position",
            "file": "a.txt",
            "actor": "RUS",
            "issue_word": "(",
            "stance": "up",
            "sentence_contains": "Body",
        },
    ]
    with pytest.raises(GoldError) as caught:
        load_realnews(write(tmp_path, rows))
    problems = caught.value.problems
    assert "item 0 (event): unknown event type 'HUG'" in problems
    assert any(p.startswith("item 1 (talks): article 'missing.txt' not found") for p in problems)
    assert "item 2 (ceasefire): missing field parties, status" in problems
    assert any(p.startswith("item 3: unknown kind 'rumour'") for p in problems)
    assert "item 4 (position): unknown stance 'up'" in problems
    assert any(
        p.startswith("item 4 (position): 'issue_word' is not a valid regular") for p in problems
    )


def test_format_is_read_from_the_items():
    assert (
        detect_format(json.loads((FIXTURES / "realnews" / "gold.json").read_text())) == "realnews"
    )
    assert detect_format(json.loads((FIXTURES / "plover_tiny_gold.json").read_text())) == "plover"


def test_cli_exits_2_with_the_problem_and_no_traceback(tmp_path):
    result = CliRunner().invoke(app, ["evaluate", str(write(tmp_path, '[{"a": '))])
    assert result.exit_code == 2
    assert "unusable gold file" in result.output
    assert "not valid JSON" in result.output
    assert "Traceback" not in result.output


def test_cli_names_a_missing_file(tmp_path):
    result = CliRunner().invoke(app, ["evaluate", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert "cannot read" in result.output
