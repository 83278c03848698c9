"""The Markdown report: the same content as the HTML report, as text tables a reader can
diff, paste into an issue or read in a terminal. Evidence appears as quotes with the
document id and character offsets instead of a click-through panel.
"""

from __future__ import annotations

from detente.report.payload import ReportData
from detente.store.derived import process_label

QUOTE_CHARS = 120


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _quote(sentence: str) -> str:
    short = sentence if len(sentence) <= QUOTE_CHARS else sentence[: QUOTE_CHARS - 1] + "…"
    return f"“{short}”"


def _table(headers: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _section(title: str, empty: str, headers: list[str], rows: list[list[object]]) -> list[str]:
    return [f"## {title}", ""] + (_table(headers, rows) if rows else [f"_{empty}_", ""])


def _glance(data: ReportData) -> list[str]:
    lines = []
    if data.signal:
        last = max(data.signal, key=lambda p: p.week_start)
        lines.append(f"- latest signal index: **{last.index:+.0f}** ({last.week})")
    dated = [t for t in data.timeline if t.date and t.origin == "event"]
    if dated:
        last_day = dated[-1].date
        kinds = ", ".join(sorted({t.kind for t in dated if t.date == last_day}))
        lines.append(f"- last key events: {last_day} ({kinds})")
    return lines


def render_markdown(data: ReportData) -> str:
    lines = [f"# {data.title}", ""]
    process = f"{process_label(data.process)} ({data.process})" if data.process else "all"
    lines.append(f"- process: {process}")
    if data.since or data.until:
        lines.append(f"- dates asked: {data.since or '…'} to {data.until or '…'}")
    if data.date_range:
        lines.append(f"- records from {data.date_range[0]} to {data.date_range[1]}")
    mode = "speculative included" if data.include_speculative else "asserted/reported only"
    lines.append(f"- modality: {mode}")
    lines.append("- " + ", ".join(f"{n} {k}" for k, n in data.counts.items()))
    lines += _glance(data)
    lines.append("")

    def where(ev) -> str:
        return f"{_quote(ev.sentence)} — {ev.source}, `{ev.doc_id}:{ev.start}–{ev.end}`"

    lines += _section(
        f"Key events per {data.freq}", "No key events in this selection.",
        ["period", "kind", "merged events", "records"],
        [[b.period, b.kind, b.items, b.records] for b in data.timeline_counts],
    )  # fmt: skip
    lines += _section(
        f"Most reported key events ({len(data.timeline)} of {data.key_events_total})",
        "No key events in this selection.",
        ["date", "kind", "what", "modality", "mentions", "evidence"],
        [[t.date or "undated", t.kind, t.label, t.modality or "merged", t.mentions,
          where(t.evidence[0]) if t.evidence else ""] for t in data.timeline],
    )  # fmt: skip
    lines += _section(
        "Negotiation signal index (−100 … 100)", "No negotiation signals in this selection.",
        ["process", "week", "index", "cooperative", "conflictual", "sources", "items"],
        [[process_label(p.process) or "(no process)", p.week, f"{p.index:+.1f}",
          f"{p.cooperative:g}", f"{p.conflictual:g}", p.sources, p.items]
         for p in data.signal],
    )  # fmt: skip
    lines += _section(
        f"Dyadic series (per {data.dyad_freq})", "No dated dyadic events.",
        ["period", "actor", "recipient", "events", "score sum", "score mean", "types"],
        [[r.period, r.actor, r.recipient, r.events, f"{r.score_sum:+.1f}",
          "" if r.score_mean is None else f"{r.score_mean:+.2f}",
          ", ".join(f"{k} {v}" for k, v in sorted(r.by_type.items()))]
         for r in data.dyads if r.events],
    )  # fmt: skip
    lines += _section(
        "Position matrix", "No positions in this selection.",
        ["actor", "issue", "stance", "speech act", "value", "date", "evidence"],
        [[c.actor, c.issue, c.stance_label or c.stance, c.speech_act,
          "" if c.position is None else f"{c.position:g}",
          c.date or "undated", where(c.evidence)] for c in data.matrix],
    )  # fmt: skip

    def span(pair) -> str:
        return "none" if pair is None else f"{pair[0]:g}–{pair[1]:g}"

    lines += _section(
        "Negotiation space", "No positions with a value on the issue scale.",
        ["issue", "parties (position, range)", "interval", "ZOPA", "predicted outcome (model)"],
        [[s.issue, "; ".join(f"{p.actor} {p.position:g} [{p.low:g}–{p.high:g}]" for p in s.parties),
          span(s.interval), "— (one party)" if len(s.parties) < 2 else span(s.zopa),
          "" if s.predicted_outcome is None else f"{s.predicted_outcome:g}"]
         for s in data.space if s.parties],
    )  # fmt: skip
    lines += _section(
        "Sources", "No records, so no sources to compare.",
        ["source", "docs", "events", "positions", "asserted", "reported", "uncertain", "negated",
         "quotes most"],
        [[s.source, s.documents, s.events, s.positions, s.asserted, s.reported, s.uncertain,
          s.negated, ", ".join(f"{n} ({c})" for n, c in s.top_quoted()) or "—"]
         for s in data.sources],
    )  # fmt: skip
    lines.append(
        "_Predicted outcomes are model outputs (salience-weighted median of party positions),"
        " not observations. Signal index formula: docs/signal_index.md._"
    )
    return "\n".join(lines) + "\n"
