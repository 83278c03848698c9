"""The self-contained HTML report: one file, Plotly's bundled JS inlined, works offline.

Charts and evidence travel as JSON inside the page (``<script type="application/json">``),
so the file can be mailed or archived and still show, for any point, the sentences it
rests on. Every piece of text from the corpus is HTML-escaped.
"""

from __future__ import annotations

import json
from collections import Counter
from html import escape

import plotly.io as pio
from plotly.offline import get_plotlyjs

from detente.report.assets import CSS, SCRIPT
from detente.report.figures import all_figures
from detente.report.payload import ReportData

QUOTE_CHARS = 160
MATRIX_QUOTE_CHARS = 110
OPEN_TABLE_ROWS = 12
"""Longer tables start folded, so the charts stay on the first screen."""


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


def _quote(text: str, limit: int = QUOTE_CHARS) -> str:
    short = text if len(text) <= limit else text[: limit - 1] + "…"
    return f'<div class="quote">“{escape(short)}”</div>'


def _section(anchor: str, title: str, note: str, body: str) -> str:
    return (
        f'<section id="{anchor}"><h2>{escape(title)}</h2><p class="note">{note}</p>{body}</section>'
    )


def _folded(table: str, rows: int, what: str) -> str:
    if rows <= OPEN_TABLE_ROWS:
        return table
    return f"<details><summary>Show all {rows} {escape(what)}</summary>{table}</details>"


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
    table = _table(["date", "kind", "what", "modality", "mentions", "evidence"], rows)
    return _folded(table, len(rows), "timeline entries")


def _matrix_table(data: ReportData) -> str:
    """Issues down, actors across: a process has a handful of parties but a dozen issues,
    so this way the quotes get wide columns instead of a tall, narrow grid."""
    if not data.matrix:
        return '<p class="empty">No positions in this selection.</p>'
    per_actor = Counter(c.actor for c in data.matrix)
    actors = sorted(per_actor, key=lambda a: (-per_actor[a], a))
    issues = sorted({c.issue for c in data.matrix})
    cells = {(c.actor, c.issue): c for c in data.matrix}
    head = "<th>issue \\ actor</th>" + "".join(f"<th>{escape(a)}</th>" for a in actors)
    body = ""
    for issue in issues:
        tds = []
        for actor in actors:
            c = cells.get((actor, issue))
            if c is None:
                tds.append("<td></td>")
                continue
            value = "" if c.position is None else f" {c.position:g}"
            tds.append(
                f"<td{_ids([c.record_id])}><span class='stance {escape(c.stance)}'"
                f" title='{escape(c.stance_label or c.stance)}'>"
                f"{escape(c.stance_label or c.stance)}</span>{value} <small>{escape(c.speech_act)},"
                f" {escape(c.date or 'undated')}, {c.records} rec.</small>"
                f"{_quote(c.evidence.sentence, MATRIX_QUOTE_CHARS)}</td>"
            )
        body += f"<tr><th>{escape(issue)}</th>{''.join(tds)}</tr>"
    return f"<table class='matrix'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _space_table(data: ReportData) -> str:
    def span(pair) -> str:
        return "none" if pair is None else f"{pair[0]:g}–{pair[1]:g}"

    def zopa(space) -> str:
        return "— (one party)" if len(space.parties) < 2 else span(space.zopa)

    rows = [
        (
            [escape(s.issue), ", ".join(escape(f"{p.actor} {p.position:g}") for p in s.parties),
             span(s.interval), zopa(s),
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
        f"</div><div class='counts'>{counts}</div>{_glance(data)}</header>"
    )


def _glance(data: ReportData) -> str:
    """One line a reader takes away: the latest signal week and the latest key events."""
    parts = []
    if data.signal:
        last = max(data.signal, key=lambda p: p.week_start)
        tone = "coop" if last.index >= 0 else "conf"
        parts.append(f"latest signal index <b class='{tone}'>{last.index:+.0f}</b>"
                     f" ({escape(last.week)})")  # fmt: skip
    dated = [t for t in data.timeline if t.date and t.origin == "event"]
    if dated:
        last_day = dated[-1].date
        kinds = sorted({t.kind for t in dated if t.date == last_day})
        parts.append(f"last key events {escape(last_day)}: {escape(', '.join(kinds))}")
    return f"<div class='glance'>{' · '.join(parts)}</div>" if parts else ""


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
                 " one story reported by several outlets counts once. The bars count every"
                 f" key event per {escape(data.freq)}; the dots show the"
                 f" {len([t for t in data.timeline if t.origin == 'event'])} most reported of"
                 f" {data.key_events_total} and the process records. Click a point or row;"
                 " the full data is in <code>detente export</code>.",
                 _chart("activity", figures, "No key events in this selection.")
                 + _chart("timeline", figures, "No key events in this selection.")
                 + (_timeline_table(data) if data.timeline else "")),
        _section("signal", "Negotiation signal index",
                 "Per process and ISO week: 100 × (C − K)/(C + K) × source diversity, where C and"
                 " K are modality-weighted cooperative and conflictual signals (see"
                 " docs/signal_index.md).",
                 _chart("signal", figures, "No negotiation signals in this selection.")),
        _section("dyads", "Dyadic series",
                 "Running total of PLOVER scores (−10 conflict … +10 cooperation per event) per"
                 " actor → recipient pair; marker size grows with the period's events.",
                 _chart("dyads", figures, "No dated events with both an actor and a recipient.")),
        _section("positions", "Position matrix",
                 "Each actor's latest stance per issue, with value on the 0–100 issue scale and"
                 " the sentence it comes from. A stance is read against the 100 end of the"
                 " issue's scale: favor leans toward 100, against toward 0; each cell names"
                 " the pole.", _matrix_table(data)),
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
