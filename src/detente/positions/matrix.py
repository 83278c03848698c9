"""The actor × issue view of a process: each party's most informative latest position.

A cell stands for one party on one issue, so it has to pick one of several statements. A
position the holder asserts (or is reported to hold) beats a hedged one — a "will" or a
negated report is not a stance yet, and hypothetical and speculative statements are left out
altogether. Among those, the latest date wins, because a negotiating position is only as
current as its last public statement; on the same date a statement with a scale value beats
one without, and the issue's main sub-issue (the first listed in ``data/issues.yml``) beats a
side topic. The positions on other sub-issues stay with the cell as ``sub_positions`` so that
nothing a party said is hidden behind the one shown. Member states count for the party that
lists them (``members`` in a process file), so the United Kingdom speaks under "Europe".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from pydantic import BaseModel, Field

from detente.positions.models import Position, ProcessRecord
from detente.positions.taxonomy import Taxonomy, TaxonomyError, load_process, load_taxonomy

NOT_POSITIONS = {"hypothetical", "speculative"}
INFORMATIVE = {"asserted", "reported"}
QUOTE_CHARS = 90


class SubCell(BaseModel):
    sub_issue: str | None = None
    actor_code: str
    stance: str
    position: float | None = None
    anchor_label: str | None = None
    speech_act: str
    modality: str
    date: str | None = None
    quote: str
    doc_id: str


class Cell(BaseModel):
    actor: str
    issue: str
    sub_issue: str | None = None
    actor_code: str
    """The code of the actor who stated it (``GBR`` in a cell of ``EUR``)."""
    stance: str
    position: float | None = None
    anchor_label: str | None = None
    speech_act: str
    modality: str = "asserted"
    date: str | None = None
    quote: str
    doc_id: str
    sub_positions: list[SubCell] = Field(default_factory=list)
    """The latest position on each other sub-issue of this issue."""


class ProcessView(BaseModel):
    process: str
    cells: list[Cell]
    exchanges: list[ProcessRecord]
    ceasefires: list[ProcessRecord]
    talks: list[ProcessRecord]


def _sub_rank(p: Position, taxonomy: Taxonomy) -> int:
    """2 for the issue's main sub-issue, 1 for the issue as a whole, 0 for a side topic."""
    if p.sub_issue is None:
        return 1
    issue = taxonomy.issues.get(p.issue)
    return 2 if issue is not None and issue.main_sub_issue == p.sub_issue else 0


def informativeness(p: Position, taxonomy: Taxonomy | None = None) -> tuple:
    """The sort key of the cell choice (higher wins); see the module docstring."""
    taxonomy = taxonomy or load_taxonomy()
    return (
        p.modality in INFORMATIVE,
        p.date or "",
        p.position is not None,
        _sub_rank(p, taxonomy),
        p.confidence,
    )


def _party_of(process: str | None) -> Callable[[str], str]:
    try:
        return load_process(process).party_code if process else str
    except TaxonomyError:
        return str


def latest_positions(
    positions: Iterable[Position], process: str | None = None
) -> dict[tuple[str, str], list[Position]]:
    """Per (party, issue), its positions best first (the first is the cell's)."""
    taxonomy, party = load_taxonomy(), _party_of(process)
    grouped: dict[tuple[str, str], list[Position]] = defaultdict(list)
    for p in positions:
        if p.modality in NOT_POSITIONS or not p.actor.code:
            continue
        grouped[(party(p.actor.code), p.issue)].append(p)
    return {
        key: sorted(found, key=lambda p: informativeness(p, taxonomy), reverse=True)
        for key, found in grouped.items()
    }


def short_quote(sentence: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(sentence.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _sub_cell(p: Position) -> SubCell:
    return SubCell(
        sub_issue=p.sub_issue,
        actor_code=p.actor.code or "",
        stance=p.stance,
        position=p.position,
        anchor_label=p.anchor_label,
        speech_act=p.speech_act,
        modality=p.modality,
        date=p.date,
        quote=short_quote(p.evidence.sentence),
        doc_id=p.doc_id,
    )


def _cell(actor: str, issue: str, ranked: list[Position]) -> Cell:
    best = ranked[0]
    subs: dict[str | None, Position] = {}
    for p in ranked[1:]:
        if p.sub_issue != best.sub_issue:
            subs.setdefault(p.sub_issue, p)
    return Cell(
        actor=actor,
        issue=issue,
        **_sub_cell(best).model_dump(),
        sub_positions=[_sub_cell(p) for p in subs.values()],
    )


def process_view(
    name: str, positions: Iterable[Position], records: Iterable[ProcessRecord]
) -> ProcessView:
    cells = [
        _cell(actor, issue, ranked)
        for (actor, issue), ranked in sorted(latest_positions(positions, name).items())
    ]
    records = list(records)
    return ProcessView(
        process=name,
        cells=cells,
        exchanges=[r for r in records if r.kind == "exchange"],
        ceasefires=[r for r in records if r.kind == "ceasefire"],
        talks=[r for r in records if r.kind == "talks"],
    )


def issue_scale(issue: str, sub_issue: str | None = None, process: str | None = None):
    """The 0–100 scale a stance on this (sub-)issue is read against, or None if unknown."""
    taxonomy = load_taxonomy()
    if issue not in taxonomy.issues:
        return None
    if process:
        try:
            return load_process(process).scale(taxonomy, issue, sub_issue)
        except (TaxonomyError, FileNotFoundError, KeyError):
            pass
    return taxonomy[issue].scale_for(sub_issue)


def pole(issue: str, sub_issue: str | None, end: int, process: str | None = None) -> str | None:
    """The label of one end (0 or 100) of the issue's scale."""
    scale = issue_scale(issue, sub_issue, process)
    if scale is None or not scale.anchors:
        return None
    return scale.anchors.get(end) or scale.label_for(end)


def stance_text(
    stance: str, issue: str, sub_issue: str | None = None, process: str | None = None,
    *, compact: bool = False,
) -> str:  # fmt: skip
    """A stance with the pole it leans to, so "against" cannot be misread.

    Stance is read against the 100 end of the issue's scale (docs/issues.md): ``favor``
    leans toward 100, ``against`` toward 0. ``compact`` gives only the pole's number
    (``against (→0)``) for narrow cells, whose legend names the poles."""
    end = {"favor": 100, "against": 0}.get(stance)
    if end is None:
        return stance
    if compact:
        return f"{stance} (→{end})"
    label = pole(issue, sub_issue, end, process)
    return f"{stance} (toward {end} = {label})" if label else stance


def value_text(c: Cell | SubCell) -> str:
    value = "" if c.position is None else f"{c.position:g}"
    return value + (f" ({c.anchor_label})" if c.anchor_label else "")


def actor_text(shown: str, c: Cell | SubCell, party: str | None = None) -> str:
    """The party, with the member state that spoke when it is not the party itself."""
    if c.actor_code and c.actor_code != (party or shown):
        return f"{shown} ({c.actor_code})".strip()
    return shown


def _row(actor: str, shown: str, c: Cell | SubCell, issue: str, process: str | None) -> str:
    quote = c.quote.replace("|", "\\|")
    stance = stance_text(c.stance, issue, c.sub_issue, process)
    return (
        f"| {actor} | {shown} | {stance} | {value_text(c)} | {c.speech_act}"
        f" | {c.sub_issue or ''} | {c.date or ''} | {quote} |"
    )


def _codes(record: ProcessRecord) -> str:
    return ", ".join(p.code or p.text for p in record.parties)


def view_markdown(view: ProcessView) -> str:
    lines = [f"# Process: {view.process}", "", "## Positions (latest per actor and issue)", ""]
    lines += [
        "| Actor | Issue | Stance | Value | Act | Sub-issue | Date | Evidence |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in view.cells:
        lines.append(_row(actor_text(c.actor, c), c.issue, c, c.issue, view.process))
        lines += [
            _row(actor_text("", s, c.actor), "↳", s, c.issue, view.process) for s in c.sub_positions
        ]
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
