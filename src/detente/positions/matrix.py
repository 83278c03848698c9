"""The actor × issue view of a process: each actor's latest position on each issue.

"Latest" is by date, then by confidence, because a negotiating position is only as current
as its last public statement; hypothetical and speculative statements are left out since
they are not anyone's position yet.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel

from detente.positions.models import Position, ProcessRecord

NOT_POSITIONS = {"hypothetical", "speculative"}
QUOTE_CHARS = 90


class Cell(BaseModel):
    actor: str
    issue: str
    stance: str
    position: float | None = None
    anchor_label: str | None = None
    speech_act: str
    date: str | None = None
    quote: str
    doc_id: str


class ProcessView(BaseModel):
    process: str
    cells: list[Cell]
    exchanges: list[ProcessRecord]
    ceasefires: list[ProcessRecord]
    talks: list[ProcessRecord]


def latest_positions(positions: Iterable[Position]) -> dict[tuple[str, str], Position]:
    latest: dict[tuple[str, str], Position] = {}
    for p in positions:
        if p.modality in NOT_POSITIONS or not p.actor.code:
            continue
        key = (p.actor.code, p.issue)
        rank = (p.date or "", p.confidence)
        current = latest.get(key)
        if current is None or rank >= (current.date or "", current.confidence):
            latest[key] = p
    return latest


def short_quote(sentence: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(sentence.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def process_view(
    name: str, positions: Iterable[Position], records: Iterable[ProcessRecord]
) -> ProcessView:
    cells = [
        Cell(
            actor=actor,
            issue=issue,
            stance=p.stance,
            position=p.position,
            anchor_label=p.anchor_label,
            speech_act=p.speech_act,
            date=p.date,
            quote=short_quote(p.evidence.sentence),
            doc_id=p.doc_id,
        )
        for (actor, issue), p in sorted(latest_positions(positions).items())
    ]
    records = list(records)
    return ProcessView(
        process=name,
        cells=cells,
        exchanges=[r for r in records if r.kind == "exchange"],
        ceasefires=[r for r in records if r.kind == "ceasefire"],
        talks=[r for r in records if r.kind == "talks"],
    )


def _codes(record: ProcessRecord) -> str:
    return ", ".join(p.code or p.text for p in record.parties)


def view_markdown(view: ProcessView) -> str:
    lines = [f"# Process: {view.process}", "", "## Positions (latest per actor and issue)", ""]
    lines += [
        "| Actor | Issue | Stance | Value | Act | Date | Evidence |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in view.cells:
        value = "" if c.position is None else f"{c.position:g}"
        value += f" ({c.anchor_label})" if c.anchor_label else ""
        quote = c.quote.replace("|", "\\|")
        lines.append(
            f"| {c.actor} | {c.issue} | {c.stance} | {value} | {c.speech_act} | {c.date or ''}"
            f" | {quote} |"
        )
    for title, records in (
        ("Prisoner exchanges", view.exchanges),
        ("Ceasefires", view.ceasefires),
        ("Talks", view.talks),
    ):
        lines += ["", f"## {title}", ""]
        if not records:
            lines.append("None recorded.")
        for r in records:
            numbers = ", ".join(f"{k} released {v:g}" for k, v in r.numbers.items())
            extra = "; ".join(
                x
                for x in (
                    r.status,
                    numbers,
                    ", ".join(r.categories) or None,
                    ", ".join(r.scope) or None,
                    r.venue,
                    r.level,
                    r.mediator and f"mediator {r.mediator.code}",
                    f"{len(r.doc_ids)} source document(s)",
                )
                if x
            )
            lines.append(f"- {r.date or 'undated'} — {_codes(r)}: {extra}")
    return "\n".join(lines) + "\n"
