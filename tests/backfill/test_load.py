"""``detente load`` brings a backfill into a store equal to one coded by ``detente code``."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from detente.cli.main import app
from tests.backfill.conftest import stored_records


@pytest.fixture(scope="module")
def out(archive, tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("load") / "out"
    result = CliRunner().invoke(app, ["backfill", str(archive), "--out", str(folder)])
    assert result.exit_code == 0, result.output
    assert "backfilled 9 documents" in result.output
    return str(folder)


def test_loaded_store_equals_coded_store(out, coded_store, tmp_path):
    from detente.store import documents
    from detente.store.db import connect

    db = tmp_path / "loaded.db"
    result = CliRunner().invoke(app, ["load", out, "--db", str(db)])
    assert result.exit_code == 0, result.output
    conn = connect(db)
    assert stored_records(conn) == stored_records(coded_store)
    assert {d.doc_id for d in documents.list_documents(conn, status="coded")} == {
        d.doc_id for d in documents.list_documents(coded_store)
    }


def test_loading_twice_adds_nothing(out, tmp_path):
    from detente.store.db import connect

    db = tmp_path / "twice.db"
    CliRunner().invoke(app, ["load", out, "--db", str(db)])
    first = stored_records(connect(db))
    result = CliRunner().invoke(app, ["load", out, "--db", str(db)])
    assert "loaded 0 documents (9 already stored)" in result.output
    second = stored_records(connect(db))
    assert second["events"] == first["events"] and second["positions"] == first["positions"]


def test_unfinished_backfill_is_refused(tmp_path):
    result = CliRunner().invoke(app, ["load", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert "not a finished backfill" in result.output
