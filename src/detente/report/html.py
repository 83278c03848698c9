"""The self-contained HTML report: one file, Plotly's bundled JS inlined, works offline.

Charts and evidence travel as JSON inside the page (``<script type="application/json">``),
so the file can be mailed or archived and still show, for any point, the sentences it
rests on. Every piece of text from the corpus is HTML-escaped.
"""

from __future__ import annotations

import json
from html import escape

import plotly.io as pio
from plotly.offline import get_plotlyjs

from detente.report.assets import CSS, SCRIPT
from detente.report.figures import all_figures
from detente.report.payload import ReportData

QUOTE_CHARS = 160


def _json_block(element_id: str, value: object) -> str:
    text = json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def _ids(ids: list[str]) -> str:
    return f' data-ids="{escape(json.dumps(ids))}"'


def _table(headers: list[str], rows: list[tuple[list[str], list[str] | None]]) -> str:
    """``rows`` are (already escaped cells, record ids for the evidence panel or None)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        f"<tr{_ids(ids) if ids else ''}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
        for cells, ids in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _quote(text: str) -> str:
    short = text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"
    return f'<div class="quote">“{escape(short)}”</div>'


def _section(anchor: str, title: str, note: str, body: str) -> str:
    return (
        f'<section id="{anchor}"><h2>{escape(title)}</h2><p class="note">{note}</p>{body}</section>'
    )


def _chart(name: str, figures: dict, empty: str) -> str:
    if figures.get(name) is None:
        return f'<p class="empty">{escape(empty)}</p>'
    return f'<div class="chart" id="chart-{name}"></div>'


def _timeline_table(data: ReportData) -> str:
    rows = [
        (
            [escape(t.date or "undated"), escape(t.kind), escape(t.label),
             escape(t.modality or "merged"), str(t.mentions),
             _quote(t.evidence[0].sentence) if t.evidence else ""],
            t.record_ids,
        )
        for t in data.timeline
    ]  # fmt: skip
    return _table(["date", "kind", "what", "modality", "mentions", "evidence"], rows)


def _matrix_table(data: ReportData) -> str:
    if not data.matrix:
        return '<p class="empty">No positions in this selection.</p>'
    actors = sorted({c.actor for c in data.matrix})
    issues = sorted({c.issue for c in data.matrix})
    cells = {(c.actor, c.issue): c for c in data.matrix}
    head = "<th>actor \\ issue</th>" + "".join(f"<th>{escape(i)}</th>" for i in issues)
    body = ""
    for actor in actors:
        tds = []
        for issue in issues:
            c = cells.get((actor, issue))
            if c is None:
                tds.append("<td></td>")
                continue
            value = "" if c.position is None else f" {c.position:g}"
            tds.append(
                f"<td{_ids([c.record_id])}><span class='stance {escape(c.stance)}'>"
                f"{escape(c.stance)}</span>{value} <small>{escape(c.speech_act)},"
                f" {escape(c.date or 'undated')}, {c.records} rec.</small>"
                f"{_quote(c.evidence.sentence)}</td>"
            )
        body += f"<tr><th>{escape(actor)}</th>{''.join(tds)}</tr>"
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _space_table(data: ReportData) -> str:
    def span(pair) -> str:
        return "none" if pair is None else f"{pair[0]:g}–{pair[1]:g}"

    rows = [
        (
            [escape(s.issue), ", ".join(escape(f"{p.actor} {p.position:g}") for p in s.parties),
             span(s.interval), span(s.zopa),
             "" if s.predicted_outcome is None else f"{s.predicted_outcome:g} (model)"],
            [p.record_id for p in s.parties],
        )
        for s in data.space
        if s.parties
    ]  # fmt: skip
    if not rows:
        return ""
    return _table(["issue", "parties", "interval", "ZOPA", "predicted outcome"], rows)


def _sources_table(data: ReportData) -> str:
    if not data.sources:
        return '<p class="empty">No records, so no sources to compare.</p>'
    rows = [
        (
            [escape(s.source), str(s.documents), str(s.events), str(s.positions), str(s.asserted),
             str(s.reported), str(s.uncertain), str(s.negated),
             escape(", ".join(f"{name} ({n})" for name, n in s.top_quoted()) or "—")],
            None,
        )
        for s in data.sources
    ]  # fmt: skip
    headers = ["source", "docs", "events", "positions", "asserted", "reported", "uncertain",
               "negated", "quotes most"]  # fmt: skip
    return _table(headers, rows)


def _header(data: ReportData) -> str:
    filters = [f"process: {data.process or 'all'}"]
    if data.since or data.until:
        filters.append(f"dates: {data.since or '…'} to {data.until or '…'}")
    if data.date_range:
        filters.append(f"records from {data.date_range[0]} to {data.date_range[1]}")
    filters.append("speculative included" if data.include_speculative else "asserted/reported only")
    counts = "".join(f"<span>{n} {escape(k)}</span>" for k, n in data.counts.items())
    return (
        f"<header><h1>{escape(data.title)}</h1><div class='meta'>{escape(' · '.join(filters))}"
        f"</div><div class='counts'>{counts}</div></header>"
    )


def render_html(data: ReportData) -> str:
    figures = all_figures(data)
    figure_json = {k: None if f is None else json.loads(pio.to_json(f)) for k, f in figures.items()}
    empty_note = (
        '<p class="empty">This selection holds no records: code some ingested documents first,'
        " or widen --process/--since/--until.</p>"
        if not any(data.counts.values())
        else ""
    )
    sections = [
        _section("timeline", "Timeline of key events",
                 "Talks, offers, concessions, exchanges, ceasefires, threats and escalations;"
                 " one story reported by several outlets counts once. Click a point or row.",
                 _chart("timeline", figures, "No key events in this selection.")
                 + (_timeline_table(data) if data.timeline else "")),
        _section("signal", "Negotiation signal index",
                 "Per process and ISO week: 100 × (C − K)/(C + K) × source diversity, where C and"
                 " K are modality-weighted cooperative and conflictual signals (see"
                 " docs/signal_index.md).",
                 _chart("signal", figures, "No negotiation signals in this selection.")),
        _section("dyads", "Dyadic series",
                 "Summed PLOVER score (−10 conflict … +10 cooperation) per actor → recipient pair;"
                 " marker size grows with the number of events.",
                 _chart("dyads", figures, "No dated events with both an actor and a recipient.")),
        _section("positions", "Position matrix",
                 "Each actor's latest stance per issue, with value on the 0–100 issue scale and"
                 " the sentence it comes from.", _matrix_table(data)),
        _section("space", "Negotiation space",
                 "Acceptable range = position ± tolerance by stance; ZOPA = overlap of all ranges;"
                 " the diamond is a model output (salience-weighted median), not an observation.",
                 _chart("space", figures, "No positions with a value on the issue scale.")
                 + _space_table(data)),
        _section("sources", "Sources", "Records per outlet, how firmly stated, and whom it quotes.",
                 _sources_table(data)),
    ]  # fmt: skip
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(data.title)}</title><style>{CSS}</style>"
        f"<script>{get_plotlyjs()}</script></head><body>{_header(data)}"
        f"<div class='layout'><main>{empty_note}{''.join(sections)}</main>"
        "<aside><h2>Evidence</h2><div id='evidence-list'><p class='note'>Click a chart point or a"
        " table row to see the sentences behind it.</p></div></aside></div>"
        f"{_json_block('figure-data', figure_json)}{_json_block('evidence-data', data.evidence)}"
        f"<script>{SCRIPT}</script></body></html>"
    )
