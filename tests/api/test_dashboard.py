"""Dashboard pages render the process, its positions, events and documents from the store."""

from __future__ import annotations

import re


def test_home_redirects_to_the_process_with_records(client):
    response = client.get("/ui", follow_redirects=False)
    assert response.status_code in (302, 307)
    assert response.headers["location"] == "/ui/process/russia-ukraine"


def test_overview_has_signal_data_key_events_and_process_records(client):
    page = client.get("/ui/process/russia-ukraine").text
    assert 'id="signal-data"' in page and "/ui/static/plotly.min.js" in page
    assert 'id="key-events"' in page
    for kind in ("exchange", "talks", "ceasefire"):
        assert f'id="records-{kind}"' in page
    assert "http://" not in page.replace('href="http', "") and "https://cdn" not in page


def test_positions_page_shows_who_moved(client):
    page = client.get("/ui/process/russia-ukraine/positions").text
    assert 'id="matrix"' in page and 'id="moves"' in page
    moves = page.split('id="moves"')[1]
    assert "accepted a 30-day ceasefire" in moves
    assert re.search(r"conditional</span> → <span class=\"stance favor\">favor", moves)


def test_event_browser_filters(client):
    page = client.get("/ui/events", params={"event_type": "ASSAULT"}).text
    types = set(re.findall(r'data-event-type="([A-Z]+)"', page))
    assert types == {"ASSAULT"}
    assert "<option selected>ASSAULT</option>" in page


def test_record_opens_its_document_with_the_sentence_highlighted(client):
    events = client.get(
        "/api/v1/events", params={"event_type": "THREATEN", "modality": "hypothetical"}
    ).json()["items"]
    event = next(e for e in events if e["doc_id"] == "wire-0610")
    page = client.get(f"/ui/doc/{event['doc_id']}", params={"record": event["id"]}).text
    marked = re.search(r'<mark id="evidence" class="evidence">(.*?)</mark>', page, re.S)
    assert marked and marked.group(1) == event["evidence"]["sentence"]
    assert 'id="record-modality"' in page and "hypothetical" in page
    attribution = page.split('id="record-attribution">')[1].split("</dd>")[0]
    assert attribution.strip() == "UKR (UKR)"
    assert client.get("/ui/doc/wire-0610", params={"record": "nope"}).status_code == 404


def test_article_text_is_escaped(client):
    page = client.get("/ui/doc/wire-0610").text
    assert "Moscow accepts truce &lt;b&gt;offer&lt;/b&gt;" in page
    assert "<b>offer</b>" not in page


def test_search_page_and_alerts_page(client):
    page = client.get("/ui/search", params={"q": "Istanbul"}).text
    assert 'id="search-documents"' in page and 'id="search-records"' in page
    assert "alerts" in client.get("/ui/alerts").text.lower()


def test_plotly_is_served_from_the_package(client):
    response = client.get("/ui/static/plotly.min.js")
    assert response.status_code == 200 and "plotly" in response.text[:2000].lower()
    assert client.get("/ui/static/../../etc/passwd").status_code == 404


def test_home_prefers_a_process_with_a_file_over_detected_labels(tmp_path):
    from detente.store.db import connect
    from tests.api.conftest import make_client
    from tests.api.support import story

    s = story()
    doc = s.doc("auto-1", published="2025-06-20")
    for n in range(12):  # more records than russia-ukraine has, under a made-up label
        s.position(doc, f"Officials discussed point {n}.", "ceasefire", "USA", "propose",
                   "favor", process="auto:UKR-USA")  # fmt: skip
    db = str(tmp_path / "labels.db")
    conn = connect(db)
    s.store(conn)
    conn.close()
    with make_client(db) as client:
        response = client.get("/ui", follow_redirects=False)
        assert response.headers["location"] == "/ui/process/russia-ukraine"
