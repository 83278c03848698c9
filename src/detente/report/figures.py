"""Plotly figures of the report. Every point carries ``customdata`` = {ids, doc_id, start,
end}: the records behind it and where the first of them sits in its document, which the
page uses to show the evidence sentences when the point is clicked.

A builder returns None when it has nothing to draw, so the page can say so instead.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import accumulate

import plotly.graph_objects as go

from detente.report.payload import ReportData
from detente.store.derived import process_label

COOPERATIVE, CONFLICTUAL, NEUTRAL = "#2a7f62", "#b23a48", "#6c757d"
PROCESS_PALETTE = ["#1f77b4", "#9467bd", "#ff7f0e", "#17becf", "#8c564b"]
"""Series colours for several processes: no red or green, which the chart keeps for sign."""
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]
MAX_DYADS = 8
KIND_ORDER = ["talks", "offer/agreement", "concession", "exchange", "ceasefire", "de-escalation",
              "withdrawal", "threat", "escalation"]  # fmt: skip
"""Timeline rows top to bottom: moves toward a settlement first, then away from it."""
UNITS = {"day": "day", "week": "ISO week", "month": "month"}
WEEK_MS = 7 * 24 * 3600 * 1000
"""A week in milliseconds, the unit of bar widths on a date axis."""


def customdata(ids: list[str], evidence: dict[str, list[dict]]) -> dict:
    first = next((evidence[i][0] for i in ids if evidence.get(i)), {})
    return {
        "ids": ids,
        "doc_id": first.get("doc_id"),
        "start": first.get("start"),
        "end": first.get("end"),
    }


def _layout(title: str, **kw) -> go.Layout:
    return go.Layout(
        title={"text": title, "x": 0.01},
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
        height=kw.pop("height", 380),
        template="plotly_white",
        hovermode="closest",
        clickmode="event",
        **kw,
    )


def timeline_figure(data: ReportData) -> go.Figure | None:
    entries = [t for t in data.timeline if t.date]
    if not entries:
        return None
    present = {t.kind for t in entries}
    ordered = [k for k in KIND_ORDER if k in present] + sorted(present - set(KIND_ORDER))
    kinds = ordered[::-1]
    fig = go.Figure(layout=_layout("Key events", yaxis={"categoryorder": "array",
                                   "categoryarray": kinds}, xaxis={"type": "date"}))  # fmt: skip
    for origin, symbol in (("event", "circle"), ("process", "diamond")):
        chosen = [t for t in entries if t.origin == origin]
        if not chosen:
            continue
        colors = [
            NEUTRAL if t.score is None else COOPERATIVE if t.score > 0 else CONFLICTUAL
            for t in chosen
        ]
        fig.add_trace(
            go.Scatter(
                x=[t.date for t in chosen],
                y=[t.kind for t in chosen],
                mode="markers",
                name="PLOVER events" if origin == "event" else "process records",
                marker={
                    "symbol": symbol,
                    "size": [10 + 3 * min(t.mentions, 5) for t in chosen],
                    "color": colors,
                    "line": {"width": 1, "color": "#333"},
                },  # fmt: skip
                text=[
                    f"{t.label}<br>{t.modality or 'merged record'}; {t.mentions} mention(s)"
                    for t in chosen
                ],  # fmt: skip
                hovertemplate="%{x}<br>%{text}<extra></extra>",
                customdata=[customdata(t.record_ids, data.evidence) for t in chosen],
            )
        )
    return fig


def activity_figure(data: ReportData) -> go.Figure | None:
    """Merged key events per period, stacked by kind: the whole selection at a glance,
    however many records it holds (the dot chart shows only the most reported)."""
    if not data.timeline_counts:
        return None
    present = {b.kind for b in data.timeline_counts}
    kinds = [k for k in KIND_ORDER if k in present] + sorted(present - set(KIND_ORDER))
    fig = go.Figure(layout=_layout(f"Key events per {UNITS[data.freq]}, by kind",
                                   xaxis={"type": "date"}, barmode="stack"))  # fmt: skip
    for i, kind in enumerate(kinds):
        rows = [b for b in data.timeline_counts if b.kind == kind]
        fig.add_trace(
            go.Bar(
                x=[b.period_start for b in rows],
                y=[b.items for b in rows],
                name=kind,
                marker={"color": PALETTE[i % len(PALETTE)], "line": {"width": 0}},
                text=[f"{b.period}: {b.items} {kind} ({b.records} records)" for b in rows],
                textposition="none",
                hovertemplate="%{text}<extra></extra>",
            )
        )
    return fig


def dyads_figure(data: ReportData) -> go.Figure | None:
    """Cumulative score per dyad, as steps: news yields a few events per dyad and week, so
    per-period points scatter; the running total shows which way a relationship went, and
    stays flat (not interpolated) through quiet periods."""
    rows = [r for r in data.dyads if r.events]
    if not rows:
        return None
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for r in rows:
        totals[(r.actor, r.recipient)] += r.events
    top = sorted(totals, key=lambda k: (-totals[k], k))[:MAX_DYADS]
    unit = UNITS[data.freq]
    fig = go.Figure(layout=_layout(f"Cumulative dyadic PLOVER score (firm events, by {unit})",
                                   xaxis={"type": "date"}, yaxis={"zeroline": True}))  # fmt: skip
    for i, (actor, recipient) in enumerate(top):
        series = [r for r in rows if (r.actor, r.recipient) == (actor, recipient)]
        running = list(accumulate(r.score_sum for r in series))
        fig.add_trace(
            go.Scatter(
                x=[r.period_start for r in series],
                y=[round(v, 2) for v in running],
                mode="lines+markers",
                name=f"{actor} → {recipient}",
                line={"color": PALETTE[i % len(PALETTE)], "shape": "hv"},
                marker={"size": [8 + 2 * min(r.events, 6) for r in series]},
                text=[
                    f"{r.period}: {r.events} event(s), {r.score_sum:+.1f}"
                    f" (total {total:+.1f})<br>"
                    + ", ".join(f"{k} {v}" for k, v in sorted(r.by_type.items()))
                    for r, total in zip(series, running, strict=True)
                ],  # fmt: skip
                hovertemplate="%{text}<extra>%{fullData.name}</extra>",
                customdata=[customdata(r.record_ids, data.evidence) for r in series],
            )
        )
    return fig


def signal_figure(data: ReportData) -> go.Figure | None:
    """Bars, one per process and week: a week is a tally, not a point on a continuous line,
    and a bar still reads when a process has a single week."""
    if not data.signal:
        return None
    yaxis = {"range": [-105, 105], "zeroline": True, "zerolinewidth": 2,
             "zerolinecolor": "#adb5bd"}  # fmt: skip
    title = "Negotiation signal index per ISO week (−100 … 100)"
    fig = go.Figure(layout=_layout(title, xaxis={"type": "date"}, yaxis=yaxis, barmode="overlay"))
    processes = sorted({p.process or "" for p in data.signal})
    named = [p for p in processes if p]
    for i, process in enumerate(processes):
        points = [p for p in data.signal if (p.process or "") == process]
        colors = bar_colors(process, points, named)
        fig.add_trace(
            go.Bar(
                x=[p.week_start for p in points],
                y=[p.index for p in points],
                name=process_label(process) or "(no process)",
                marker={"color": colors, "line": {"width": 0}},
                width=WEEK_MS * 0.8 / len(processes),
                offset=WEEK_MS * (0.1 + 0.8 * i / len(processes)),
                text=[
                    f"{p.week}: cooperative {p.cooperative:g}, conflictual {p.conflictual:g},"
                    f" {p.sources} source(s)"
                    for p in points
                ],  # fmt: skip
                textposition="none",
                hovertemplate="%{y}<br>%{text}<extra>%{fullData.name}</extra>",
                customdata=[customdata(p.record_ids, data.evidence) for p in points],
            )
        )
    fig.update_layout(showlegend=len(processes) > 1)
    return fig


def bar_colors(process: str, points: list, named: list[str]) -> str | list[str]:
    """Green/red by sign while one process is shown; one colour per process otherwise.
    Records of no process are grey: they are context, not a process's signal."""
    if not process:
        return NEUTRAL
    if len(named) == 1:
        return [COOPERATIVE if p.index >= 0 else CONFLICTUAL for p in points]
    return PROCESS_PALETTE[named.index(process) % len(PROCESS_PALETTE)]


def space_figure(data: ReportData) -> go.Figure | None:
    spaces = [s for s in data.space if s.parties]
    if not spaces:
        return None
    actors = sorted({p.actor for s in spaces for p in s.parties})
    colors = {a: PALETTE[i % len(PALETTE)] for i, a in enumerate(actors)}
    height = 120 + 70 * len(spaces)
    fig = go.Figure(layout=_layout(
        "Negotiation space (0–100 scale; bars = acceptable range, band = ZOPA)",
        height=height, xaxis={"range": [-2, 102], "title": "position"},
        yaxis={"tickvals": list(range(len(spaces))), "ticktext": [s.issue for s in spaces],
               "range": [-0.6, len(spaces) - 0.4]},
    ))  # fmt: skip
    for row, space in enumerate(spaces):
        if space.zopa:
            fig.add_shape(type="rect", x0=space.zopa[0], x1=space.zopa[1], y0=row - 0.4,
                          y1=row + 0.4, fillcolor="rgba(42,127,98,0.15)", line_width=0)  # fmt: skip
    for actor in actors:
        xs, ys, lows, highs, cds, texts = [], [], [], [], [], []
        for row, space in enumerate(spaces):
            offset = (actors.index(actor) - (len(actors) - 1) / 2) * 0.12
            for p in space.parties:
                if p.actor == actor:
                    xs.append(p.position)
                    ys.append(row + offset)
                    lows.append(p.position - p.low)
                    highs.append(p.high - p.position)
                    cds.append(customdata([p.record_id], data.evidence))
                    texts.append(f"{space.issue}: {p.stance}, {p.position:g}"
                                 f" ({p.anchor_label or 'no anchor'}); salience {p.salience:.2f};"
                                 f" {p.date or 'undated'}")  # fmt: skip
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers", name=actor, marker={"size": 12, "color": colors[actor]},
            error_x={"type": "data", "symmetric": False, "array": highs, "arrayminus": lows,
                     "color": colors[actor], "thickness": 2, "width": 4},
            text=texts, hovertemplate="%{text}<extra>%{fullData.name}</extra>", customdata=cds,
        ))  # fmt: skip
    outcomes = [(row, s) for row, s in enumerate(spaces) if s.predicted_outcome is not None]
    fig.add_trace(go.Scatter(
        x=[s.predicted_outcome for _, s in outcomes], y=[row for row, _ in outcomes],
        mode="markers", name="model: weighted median",
        marker={"symbol": "diamond-open", "size": 16, "color": "#222", "line": {"width": 2}},
        hovertemplate="model output: salience-weighted median %{x}<extra></extra>",
        customdata=[customdata([p.record_id for p in s.parties], data.evidence)
                    for _, s in outcomes],
    ))  # fmt: skip
    return fig


def all_figures(data: ReportData) -> dict[str, go.Figure | None]:
    return {
        "timeline": timeline_figure(data),
        "activity": activity_figure(data),
        "dyads": dyads_figure(data),
        "signal": signal_figure(data),
        "space": space_figure(data),
    }
