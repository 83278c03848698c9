"""Documents, events, positions and process records: filters, cursors, formats, errors."""

from __future__ import annotations

import csv
import io
import json

from detente.store import queries
from detente.store.db import connect
from detente.store.queries import Filters
from tests.api.support import story


def query_events(conn, **kw):
    return queries.list_events(conn, Filters(**kw), limit=None).items


def query_positions(conn, **kw):
    return queries.list_positions(conn, Filters(**kw), limit=None).items


def _all(client, path: str, **params) -> list[dict]:
    """Every item of a list endpoint, following the cursor."""
    items, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        body = client.get(path, params=query).json()
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return items


def test_cursor_pages_cover_every_event_once_in_store_order(client, db_path):
    items = _all(client, "/api/v1/events", limit=3)
    stored = query_events(connect(db_path))
    assert [i["id"] for i in items] == [e.id for e in stored]
    assert len({i["id"] for i in items}) == len(items) > 3


def test_event_filters_match_the_store_query(client, db_path):
    conn = connect(db_path)
    for params, expected in [
        ({"event_type": "assault"}, query_events(conn, event_type="ASSAULT")),
        ({"actor": "RUS"}, query_events(conn, actor="RUS")),
        ({"recipient": "ukr"}, query_events(conn, recipient="UKR")),
        ({"since": "2025-05-12", "until": "2025-05-20"},
         query_events(conn, since="2025-05-12", until="2025-05-20")),
        ({"modality": "hypothetical"}, query_events(conn, modality="hypothetical")),
    ]:  # fmt: skip
        got = _all(client, "/api/v1/events", **params)
        assert sorted(i["id"] for i in got) == sorted(e.id for e in expected), params
        assert got, params


def test_pages_pass_the_stored_json_through_equal_to_the_models(client, db_path):
    """JSON and JSONL pages send each record's stored text unparsed: it must be the very
    record the model gives, field for field."""
    conn = connect(db_path)
    for path, stored in (("/api/v1/events", query_events(conn)),
                         ("/api/v1/positions", query_positions(conn))):  # fmt: skip
        expected = [r.model_dump(mode="json") for r in stored]
        assert _all(client, path, limit=2) == expected
        jsonl = client.get(path, params={"format": "jsonl", "limit": 500})
        assert [json.loads(line) for line in jsonl.text.splitlines()] == expected


def test_blank_filters_are_unset(client):
    blank = {k: "" for k in ("event_type", "actor", "since", "until", "min_confidence", "source")}
    assert _all(client, "/api/v1/events", **blank) == _all(client, "/api/v1/events")


def test_confidence_source_and_process_filters(client):
    confident = _all(client, "/api/v1/events", min_confidence=0.85)
    assert confident and all(i["confidence"] >= 0.85 for i in confident)
    assert len(confident) < len(_all(client, "/api/v1/events"))
    wire = _all(client, "/api/v1/events", source="Baltic Wire")
    assert wire and {i["doc_id"].split("-")[0] for i in wire} == {"wire"}
    ukraine = _all(client, "/api/v1/events", process="russia-ukraine")
    assert ukraine and all(
        {"RUS", "UKR"} & {a["code"] for a in i["actor"] + i["recipient"]} for i in ukraine
    )
    assert _all(client, "/api/v1/events", process="israel-hamas") == []


def test_positions_filters(client, db_path):
    got = _all(client, "/api/v1/positions", issue="ceasefire", actor="rus")
    expected = query_positions(connect(db_path), issue="ceasefire", actor="RUS")
    assert sorted(i["id"] for i in got) == sorted(p.id for p in expected)
    assert {i["stance"] for i in got} == {"conditional", "favor"}
    ukraine = _all(client, "/api/v1/positions", process="russia-ukraine")
    assert {i["id"] for i in got} <= {i["id"] for i in ukraine}
    favour = _all(client, "/api/v1/positions", issue="ceasefire", actor="rus", stance="favor")
    assert favour and {i["id"] for i in favour} == {i["id"] for i in got if i["stance"] == "favor"}
    assert client.get("/api/v1/positions", params={"stance": "maybe"}).status_code == 400


def test_formats_by_query_and_accept_header(client):
    jsonl = client.get("/api/v1/events", params={"format": "jsonl", "limit": 4})
    assert jsonl.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in jsonl.text.splitlines()]
    assert len(lines) == 4 and all("evidence" in line for line in lines)
    assert "X-Next-Cursor" in jsonl.headers and 'rel="next"' in jsonl.headers["Link"]
    as_csv = client.get("/api/v1/events", headers={"Accept": "text/csv"}, params={"limit": 4})
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(rows) == 4 and rows[0]["evidence_sentence"]
    assert [r["id"] for r in rows] == [line["id"] for line in lines]
    bad = client.get("/api/v1/events", params={"format": "xml"})
    assert bad.status_code == 400 and "xml" in bad.json()["error"]["message"]


def test_bad_filters_are_clear_4xx_json(client):
    for params, status in [
        ({"cursor": "not-a-cursor"}, 400),
        ({"event_type": "DANCE"}, 400),
        ({"modality": "maybe"}, 400),
        ({"since": "last week"}, 400),
        ({"until": "2025-13-01"}, 400),
        ({"min_confidence": 3}, 400),
        ({"min_confidence": "high"}, 400),
        ({"limit": 0}, 422),
    ]:
        response = client.get("/api/v1/events", params=params)
        assert response.status_code == status, params
        error = response.json()["error"]
        assert error["status"] == status and error["message"]
        assert "Traceback" not in response.text


def test_one_document_with_its_records(client):
    body = client.get("/api/v1/documents/wire-0610").json()
    assert body["document"]["title"] == "Moscow accepts truce <b>offer</b>"
    assert {e["event_type"] for e in body["events"]} == {"AGREE", "THREATEN"}
    assert [p["stance"] for p in body["positions"]] == ["favor"]
    text = body["document"]["clean_text"]
    for record in body["events"] + body["positions"]:
        ev = record["evidence"]
        assert text[ev["start"] : ev["end"]] == ev["sentence"]
    missing = client.get("/api/v1/documents/nope")
    assert missing.status_code == 404 and missing.json()["error"]["message"] == "no document 'nope'"


def test_documents_list_and_search(client):
    docs = _all(client, "/api/v1/documents", limit=4)
    dates = [d["published"] or "" for d in docs]
    assert dates == sorted(dates, reverse=True)
    assert len(docs) == len(story().docs)
    assert "clean_text" not in docs[0]
    found = client.get("/api/v1/documents", params={"q": "ENERGY facilities"}).json()["items"]
    assert {d["doc_id"] for d in found} >= {"wire-0610"}
    search = client.get("/api/v1/search", params={"q": "30-day ceasefire"}).json()
    assert search["documents"] and search["positions"]
    assert all("30-day ceasefire" in p["evidence"]["sentence"] for p in search["positions"])
    assert client.get("/api/v1/search", params={"q": "x"}).status_code == 422


def test_process_records_list(client):
    talks = _all(client, "/api/v1/process-records", kind="talks")
    assert talks and {r["kind"] for r in talks} == {"talks"}
    assert client.get("/api/v1/process-records", params={"kind": "war"}).status_code == 422


def test_a_record_stored_before_a_field_existed_gets_it(client, db_path):
    """A record written by an older model lacks the newer fields; its page entry goes
    through the model, so every entry has every field."""
    conn = connect(db_path)
    first = query_events(conn)[0]
    old = first.model_dump(mode="json")
    del old["scope"]
    conn.execute("UPDATE events SET record = ? WHERE id = ?", (json.dumps(old), first.id))
    conn.close()
    items = _all(client, "/api/v1/events", limit=500)
    assert next(i for i in items if i["id"] == first.id) == first.model_dump(mode="json")
