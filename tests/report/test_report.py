import json
import re

import pytest
from plotly.offline import get_plotlyjs

from detente.report import build_report_data, render, write_report
from detente.report.figures import all_figures
from detente.store.db import connect
from detente.store.queries import Filters
from tests.analysis.peace_talks import peace_talks
from tests.analysis.records_factory import Scenario


def _single_day() -> Scenario:
    s = Scenario()
    d = s.doc("a", source="One", published="2025-04-01")
    s.event(d, "Russia and Ukraine held talks in Riyadh.", "CONSULT", ["RUS"], ["UKR"])
    s.position(d, "Ukraine proposed a sea truce.", "ceasefire", "UKR", "propose", "favor", 20)
    return s


def _embedded(html: str, element_id: str):
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html,
                      re.S)  # fmt: skip
    return json.loads(match.group(1))


def test_html_is_self_contained_with_inline_plotly():
    html = render(build_report_data(peace_talks().db()))
    assert get_plotlyjs()[:2000] in html
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=[\"']https?:", html)
    assert "cdn.plot.ly" not in html.split("</head>")[1]


def test_every_chart_point_links_to_embedded_evidence():
    data = build_report_data(peace_talks().db())
    html = render(data)
    figures, evidence = _embedded(html, "figure-data"), _embedded(html, "evidence-data")
    assert set(figures) == {"timeline", "activity", "dyads", "signal", "space"}
    for name, fig in figures.items():
        assert fig is not None, name
        if name == "activity":  # counts per period and kind: no single record behind a bar
            continue
        for trace in fig["data"]:
            for point in trace["customdata"]:
                assert point["ids"] and all(i in evidence for i in point["ids"])
                assert point["doc_id"] and point["end"] > point["start"]
    ref = evidence["kyiv-0523-e11"][0]
    assert ref["sentence"].startswith("Russia released 390") and ref["source"] == "Kyiv Ledger"


def test_text_from_the_corpus_is_escaped():
    s = Scenario()
    d = s.doc("x", source="<b>Evil</b>", published="2025-01-01")
    s.event(d, "Talks held </script><script>alert(1)</script>.", "CONSULT", ["RUS"], ["UKR"])
    html = render(build_report_data(s.db()))
    assert "<script>alert(1)" not in html and "<b>Evil</b>" not in html


def test_empty_corpus_renders_messages_not_charts():
    data = build_report_data(connect(":memory:"))
    assert all(f is None for f in all_figures(data).values())
    html = render(data)
    assert "This selection holds no records" in html and "No key events" in html
    assert "No key events in this selection." in render(data, "md")


def test_single_day_corpus_renders_daily_points():
    data = build_report_data(_single_day().db())
    assert data.dyad_freq == "day" and data.date_range == ("2025-04-01", "2025-04-01")
    figures = all_figures(data)
    assert figures["timeline"] is not None and figures["signal"] is not None
    assert figures["dyads"].data[0].x == ("2025-04-01",)


def test_markdown_report_has_every_section_with_evidence():
    md = render(build_report_data(peace_talks().db()), "md")
    for title in ("Key events per week", "Most reported key events", "Negotiation signal index",
                  "Dyadic series",
                  "Position matrix", "Negotiation space", "Sources"):  # fmt: skip
        assert f"## {title}" in md
    assert "kyiv-0523:0–63" in md and "model" in md


def test_write_report_from_database(tmp_path):
    conn = connect(tmp_path / "t.db")
    peace_talks().store(conn)
    data = write_report(
        conn, tmp_path / "out" / "r.html", filters=Filters(process="russia-ukraine")
    )
    assert (tmp_path / "out" / "r.html").read_text().startswith("<!DOCTYPE html>")
    # Every event of the story has Russia or Ukraine on one side: all belong to the process.
    assert data.counts["events"] == 17 and data.title == "detente report — Russia–Ukraine war"
    other = write_report(conn, tmp_path / "out" / "g.html", filters=Filters(process="israel-hamas"))
    assert other.counts["events"] == 0
    with pytest.raises(ValueError):
        write_report(conn, tmp_path / "r.pdf", "pdf")


def test_signal_is_drawn_as_bars_coloured_by_sign():
    fig = all_figures(build_report_data(peace_talks().db()))["signal"]
    (bars,) = fig.data
    assert bars.type == "bar" and bars.name == "Russia–Ukraine war"
    signs = {(y >= 0, c) for y, c in zip(bars.y, bars.marker.color, strict=True)}
    assert {positive for positive, _ in signs} == {True, False}
    assert len({c for _, c in signs}) == 2


def test_dyad_lines_are_running_totals():
    data = build_report_data(peace_talks().db())
    fig = all_figures(data)["dyads"]
    trace = next(t for t in fig.data if t.name == "RUS → UKR")
    sums = [
        r.score_sum for r in data.dyads if (r.actor, r.recipient) == ("RUS", "UKR") and r.events
    ]
    running = [round(sum(sums[: i + 1]), 2) for i in range(len(sums))]
    assert list(trace.y) == running and trace.line.shape == "hv"


def test_matrix_puts_issues_down_and_actors_across():
    html = render(build_report_data(peace_talks().db()))
    head = re.search(r"<table class='matrix'><thead><tr>(.*?)</tr>", html).group(1)
    assert re.findall(r"<th>(.*?)</th>", head)[:2] == ["issue \\ actor", "RUS"]
    assert "<tr><th>territory</th>" in html


def test_evidence_panel_shows_the_record_summary():
    data = build_report_data(peace_talks().db())
    assert data.evidence["kyiv-0523-e11"][0]["what"] == "RUS RETREAT (release) → UKR"
    html = render(data)
    assert 'if (ref.what) item.append(el("div", "what", ref.what));' in html


def test_reports_open_with_the_latest_signal_and_mark_one_party_issues():
    data = build_report_data(peace_talks().db())
    last = max(data.signal, key=lambda p: p.week_start)
    assert "latest signal index <b class=" in render(data)
    md = render(data, "md")
    assert f"- latest signal index: **{last.index:+.0f}** ({last.week})" in md
    assert "| prisoner_exchange | RUS 10 [0–25]; UKR 0 [0–15] | 0–10 | 0–15 |" in md
    s = Scenario()
    d = s.doc("a", published="2025-01-01")
    s.position(d, "Russia accepts.", "territory", "RUS", "accept", "favor", 50)
    assert "— (one party)" in render(build_report_data(s.db()), "md")


def test_date_range_spans_the_shown_records_only():
    s = Scenario()
    d = s.doc("a", published="2025-02-12")
    s.event(d, "Russia agreed to talks.", "AGREE", ["RUS"], ["USA"])
    s.event(d, "A summit might follow next year.", "CONSULT", ["RUS"], ["USA"],
            date="2026-01-03", modality="hypothetical")  # fmt: skip
    assert build_report_data(s.db()).date_range == ("2025-02-12", "2025-02-12")
    wide = build_report_data(s.db(), include_speculative=True)
    assert wide.date_range == ("2025-02-12", "2026-01-03")
