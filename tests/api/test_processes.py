"""Processes and analyses answer with the same numbers the CLI and the report compute."""

from __future__ import annotations

import csv
import io

from detente.analysis.matrix import position_matrix
from detente.analysis.signal import signal_index
from detente.analysis.space import negotiation_space
from detente.analysis.tables import signal_rows, space_rows, timeline_rows
from detente.analysis.timeline import key_timeline
from detente.store.db import connect
from detente.store.queries import Filters

UKRAINE = Filters(process="russia-ukraine")


def test_process_list_names_the_process_files_and_counts(client):
    items = client.get("/api/v1/processes").json()["items"]
    by_name = {p["name"]: p for p in items}
    assert by_name["russia-ukraine"]["label"] == "Russia–Ukraine war"
    assert by_name["russia-ukraine"]["positions"] > 0
    assert "israel-hamas" in by_name


def test_process_matrix_is_the_analysis_matrix(client, db_path):
    body = client.get("/api/v1/processes/russia-ukraine").json()
    expected = position_matrix(connect(db_path), UKRAINE)
    assert [(c["actor"], c["issue"], c["stance"]) for c in body["matrix"]] == [
        (c.actor, c.issue, c.stance) for c in expected
    ]
    cell = next(c for c in body["matrix"] if (c["actor"], c["issue"]) == ("RUS", "ceasefire"))
    assert cell["stance"] == "favor" and cell["records"] == 2
    assert "accepted a 30-day ceasefire" in cell["evidence"]["sentence"]


def test_stance_moves_say_who_shifted_when_with_the_sentence(client):
    moves = client.get("/api/v1/processes/russia-ukraine/stance-moves").json()["items"]
    move = next(m for m in moves if m["actor"] == "RUS" and m["issue"] == "ceasefire")
    assert (move["from_stance"], move["to_stance"], move["date"]) == (
        "conditional", "favor", "2025-06-10",
    )  # fmt: skip
    assert move["doc_id"] == "wire-0610" and "accepted" in move["sentence"]


def test_process_records_by_kind_with_evidence(client):
    body = client.get("/api/v1/processes/russia-ukraine").json()
    assert body["exchange"] and body["talks"] and body["ceasefire"]
    first = body["talks"][0]
    assert first["evidence"] and first["evidence"][0]["sentence"]
    dates = [r["date"] or "" for r in body["talks"]]
    assert dates == sorted(dates, reverse=True)


def test_unknown_process_is_404(client):
    response = client.get("/api/v1/processes/atlantis")
    assert response.status_code == 404
    assert response.json() == {"error": {"status": 404, "message": "no process 'atlantis'"}}


def test_matrix_as_csv(client):
    text = client.get("/api/v1/processes/russia-ukraine/matrix", params={"format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {"actor", "issue", "stance", "evidence"} <= set(rows[0])


def test_analyses_rows_equal_the_cli_tables(client, db_path):
    conn = connect(db_path)
    expected = {
        "timeline": timeline_rows(key_timeline(conn, UKRAINE, limit=None)),
        "signal": signal_rows(signal_index(conn, UKRAINE)),
        "space": space_rows(negotiation_space(conn, UKRAINE)),
    }
    for name, rows in expected.items():
        got = client.get(f"/api/v1/analyses/{name}", params={"process": "russia-ukraine"})
        assert got.status_code == 200
        assert got.json()["items"] == rows, name
        assert rows, name
    dyads = client.get("/api/v1/analyses/dyads", params={"freq": "week"}).json()["items"]
    assert dyads and all("types" in d for d in dyads)
    assert client.get("/api/v1/analyses/weather").status_code == 422
    assert client.get("/api/v1/analyses/dyads", params={"freq": "year"}).status_code == 422
    assert client.get("/api/v1/analyses/signal", params={"since": "2025-02-30"}).status_code == 400
    assert client.get("/api/v1/analyses/signal", params={"since": "2025-02-30"}).status_code == 400


def test_analyses_see_new_records_without_restart(client, db_path):
    before = client.get("/api/v1/analyses/timeline").json()["items"]
    conn = connect(db_path)
    conn.execute("DELETE FROM events WHERE doc_id = 'wire-0610'")
    after = client.get("/api/v1/analyses/timeline").json()["items"]
    assert len(after) < len(before)
