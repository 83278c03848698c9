"""``detente ingest`` and ``detente docs`` through Typer's test runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from detente.cli import ingest as ingest_cli

ARTICLE = (
    "Erdogan offers Istanbul for leaders' summit\n\n"
    "Turkish President Recep Tayyip Erdogan offered on Wednesday to host a meeting between "
    "Vladimir Putin and Volodymyr Zelensky in Istanbul, saying a ceasefire was within reach."
)


@pytest.fixture
def app() -> typer.Typer:
    """Only this stage's commands, so the tests do not depend on other stages' modules."""
    application = typer.Typer()
    ingest_cli.register(application)
    return application


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_ingest_summary_and_exit_codes(app, runner, tmp_path: Path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    db = str(tmp_path / "t.db")
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", db])
    assert result.exit_code == 0, result.output
    assert "stored 1 documents (1 new stories, 0 joined a story) · " in result.stdout
    assert "exact duplicates skipped 0 · rejected 1" in result.stdout
    assert f"rejected {tmp_path / 'empty.txt'}: empty input" in result.stderr
    again = runner.invoke(app, ["ingest", str(article), "--db", db])
    assert again.exit_code == 0 and "exact duplicates skipped 1" in again.stdout


def test_ingest_exits_non_zero_when_nothing_ingested(app, runner, tmp_path: Path):
    db = str(tmp_path / "t.db")
    result = runner.invoke(app, ["ingest", str(tmp_path / "missing.txt"), "--db", db])
    assert result.exit_code == 1
    assert "no such file or folder" in result.stderr
    assert runner.invoke(app, ["ingest", "--db", db]).exit_code == 2


def test_ingest_from_stdin_and_size_option(app, runner, tmp_path: Path):
    db = str(tmp_path / "t.db")
    result = runner.invoke(app, ["ingest", "-", "--db", db], input=ARTICLE)
    assert result.exit_code == 0 and "stored 1 documents" in result.stdout
    big = tmp_path / "big.txt"
    big.write_text(ARTICLE * 20, encoding="utf-8")
    capped = runner.invoke(app, ["ingest", str(big), "--db", db, "--max-mb", "0.001"])
    assert capped.exit_code == 1 and "size cap" in capped.stderr


def test_docs_list_and_show(app, runner, tmp_path: Path):
    db = str(tmp_path / "t.db")
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    runner.invoke(app, ["ingest", str(article), "--db", db])
    listing = runner.invoke(app, ["docs", "--db", db], env={"COLUMNS": "160"})
    assert listing.exit_code == 0
    assert "1 documents" in listing.stdout and "Erdogan offers Istanbul" in listing.stdout
    doc_id = next(word for word in listing.stdout.split() if word.startswith("d-"))
    shown = runner.invoke(app, ["docs", "show", doc_id, "--db", db], env={"COLUMNS": "160"})
    assert shown.exit_code == 0
    assert "within reach" in shown.stdout and str(article) in shown.stdout
    missing = runner.invoke(app, ["docs", "show", "nope", "--db", db])
    assert missing.exit_code == 1 and "no document" in missing.stderr


RUSSIAN = (
    "Москва и Киев договорились об обмене пленными. Переговоры прошли в Стамбуле, "
    "делегации обсудили прекращение огня и гуманитарные вопросы."
)


def test_non_utf8_file_name_is_one_escaped_line_and_the_run_goes_on(app, runner, tmp_path: Path):
    """Issue 9: a traceback (surrogates not allowed), and every later file skipped."""
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"a-\xe9.txt"), "wb") as handle:
        handle.write(ARTICLE.encode("utf-8"))
    (folder / "b.txt").write_text(ARTICLE.replace("Wednesday", "Thursday"), encoding="utf-8")
    db = str(tmp_path / "t.db")
    result = runner.invoke(app, ["ingest", str(folder), "--db", db], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "stored 2 documents (1 new stories, 1 joined a story)" in result.stdout
    (note,) = result.stderr.splitlines()
    assert note.startswith("note ") and "a-\\xe9.txt" in note and "not valid UTF-8" in note


def test_documents_in_other_languages_are_stored_and_listed_as_uncodable(
    app, runner, tmp_path: Path
):
    (tmp_path / "en.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "ru.txt").write_text(RUSSIAN, encoding="utf-8")
    db = str(tmp_path / "t.db")
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", db])
    assert result.exit_code == 0, result.output
    assert "stored 2 documents" in result.stdout
    assert "1 of them not in a language detente codes" in result.stdout
    wide = {"COLUMNS": "200"}
    listing = runner.invoke(app, ["docs", "--db", db, "--uncodable"], env=wide)
    assert "1 documents" in listing.stdout and " ru " in listing.stdout
    assert "Erdogan" not in listing.stdout
    doc_id = next(word for word in listing.stdout.split() if word.startswith("d-"))
    shown = runner.invoke(app, ["docs", "show", doc_id, "--db", db], env=wide)
    assert "not coded: in Russian (ru); detente codes English only" in shown.stdout
