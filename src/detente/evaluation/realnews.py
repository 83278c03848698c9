"""Scoring whole real-news articles against hand-labelled expectations.

The gold format (``kind`` per item: ``event``, ``no_event``, ``exchange``, ``talks``,
``ceasefire``, ``position``) names an article file and, for sentence-level items, a substring
of one sentence. Each article is read as ``detente ingest`` would read it (headline, metadata
lines, body), coded by the same pipeline as ``detente code``, and its process candidates are
merged as the store merges them, so the figures describe what a user sees.

Scoring rules, written down because the figures depend on them:

- **event**: *found* when some event comes from the sentence; *type* when one of them has an
  accepted type. Among the events of an accepted type the one matching most fields is scored.
  *actor* compares code sets exactly (a list in the gold is one compound actor); events of
  the same type in the sentence may split a compound actor one side each. When the gold has
  no recipient, a symmetric relation coded as a dyad (actor RUS, recipient UKR for a joint
  meeting) counts as the compound actor, and the recipient is right when it adds nobody
  outside the gold actor. *all correct* needs type, actor, recipient and modality together.
- **no_event**: kept out when no asserted or reported event of a forbidden type (any type,
  unless ``forbid_types``) comes from the sentence.
- **exchange / talks / ceasefire**: each gold item is matched one-to-one to the article's
  record of that kind sharing most parties. Every check is a rate over all gold items of the
  kind (a missing record fails them); *mediator* is scored where the gold names one. *Fully
  right* needs every field the gold sets, and no mediator where the gold has ``"mediator": null``
  (an item without the key says nothing about mediation).
- **position**: a position of the gold actor, from the sentence, whose issue or sub-issue
  matches ``issue_word``; *stance right* when its stance is the gold stance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from detente.coding.models import EVENT_TYPES, FIRM_MODALITIES, MODALITIES, ActorRef, Event
from detente.evaluation.gold import GoldError, one_or_many, read_json_list
from detente.ingest.models import Document
from detente.pipeline import CodedRecords
from detente.positions.models import Position, ProcessRecord

KINDS = ("event", "no_event", "exchange", "talks", "ceasefire", "position")
REQUIRED = {
    "event": ("file", "sentence_contains", "event_type", "actor", "modality"),
    "no_event": ("file", "sentence_contains"),
    "exchange": ("file", "numbers"),
    "talks": ("file", "parties", "status"),
    "ceasefire": ("file", "parties", "status"),
    "position": ("file", "actor", "issue_word", "stance", "sentence_contains"),
}
IGO_NAMES = {"UN", "AU", "EU", "NATO", "OSCE", "ICRC", "ASEAN", "IAEA", "ECOWAS", "IGAD"}


@dataclass
class GoldItem:
    index: int
    kind: str
    file: str
    fields: dict


@dataclass
class KindScore:
    """Counts for one kind: ``n`` gold items and how many passed each check."""

    n: int = 0
    checks: dict[str, int] = field(default_factory=dict)
    scored: dict[str, int] = field(default_factory=dict)
    misses: list[dict] = field(default_factory=list)

    def add(self, check: str, ok: bool, applies: bool = True) -> None:
        if not applies:
            return
        self.scored[check] = self.scored.get(check, 0) + 1
        self.checks[check] = self.checks.get(check, 0) + bool(ok)

    def rate(self, check: str) -> float:
        return self.checks.get(check, 0) / self.scored[check] if self.scored.get(check) else 0.0

    def to_json(self) -> dict:
        return {
            "n": self.n,
            "checks": {
                c: {
                    "passed": self.checks.get(c, 0),
                    "of": self.scored[c],
                    "rate": round(self.rate(c), 4),
                }
                for c in self.scored
            },
            "misses": self.misses,
        }


@dataclass
class RealNewsReport:
    articles: int
    items: int
    kinds: dict[str, KindScore]

    def to_json(self) -> dict:
        return {
            "format": "realnews",
            "articles": self.articles,
            "items": self.items,
            "kinds": {k: v.to_json() for k, v in self.kinds.items()},
        }


# ---------------------------------------------------------------- loading


def load_realnews(path: str | Path, texts: str | Path | None = None) -> list[GoldItem]:
    """Read and validate a real-news gold list; article files are looked up in ``texts``
    (default: the gold file's folder)."""
    path = Path(path)
    folder = Path(texts) if texts else path.parent
    rows = read_json_list(path)
    problems: list[str] = []
    items: list[GoldItem] = []
    for index, row in enumerate(rows):
        where = f"item {index}"
        if not isinstance(row, dict):
            problems.append(f"{where}: expected an object, found {type(row).__name__}")
            continue
        kind = row.get("kind")
        if kind not in REQUIRED:
            problems.append(f"{where}: unknown kind {kind!r} (one of {', '.join(KINDS)})")
            continue
        missing = [f for f in REQUIRED[kind] if f not in row]
        if missing:
            problems.append(f"{where} ({kind}): missing field {', '.join(missing)}")
            continue
        problems.extend(f"{where} ({kind}): {p}" for p in _field_problems(kind, row))
        if not isinstance(row["file"], str) or not (folder / row["file"]).is_file():
            problems.append(f"{where} ({kind}): article {row['file']!r} not found in {folder}")
            continue
        items.append(GoldItem(index, kind, row["file"], row))
    if problems:
        raise GoldError(path, problems)
    return items


def _field_problems(kind: str, row: dict) -> Iterable[str]:
    if kind == "event":
        for t in one_or_many(row["event_type"]):
            if t not in EVENT_TYPES:
                yield f"unknown event type {t!r}"
        for m in one_or_many(row["modality"]):
            if m not in MODALITIES:
                yield f"unknown modality {m!r}"
    if kind == "exchange" and not (
        isinstance(row["numbers"], dict)
        and all(isinstance(v, int | float) for v in row["numbers"].values())
    ):
        yield "'numbers' must map a side's code to a count"
    if kind == "position" and row["stance"] not in ("favor", "against", "conditional", "neutral"):
        yield f"unknown stance {row['stance']!r}"
    for key in ("issue_word", "venue"):
        if isinstance(row.get(key), str):
            try:
                re.compile(row[key])
            except re.error as exc:
                yield f"'{key}' is not a valid regular expression: {exc}"


def read_article(path: Path) -> Document:
    """An article file: headline, optional ``published YYYY-MM-DD``, ``source X``, blank, body.

    The metadata lines play the part of a page's metadata; the headline and body are the
    text, cleaned as ``detente ingest`` cleans text."""
    from detente.ingest.parse import build

    lines = path.read_text(encoding="utf-8").split("\n")
    headline, meta, body_start = lines[0].strip(), {}, 1
    for number, line in enumerate(lines[1:], start=1):
        key, _, value = line.partition(" ")
        if key in ("published", "source") and value.strip():
            meta[key] = value.strip()
            continue
        body_start = number
        break
    body = "\n".join(lines[body_start:]).strip()
    built = build(
        f"{headline}\n\n{body}",
        str(path),
        title=headline,
        source=meta.get("source"),
        published=meta.get("published"),
        published_evidence="metadata:published" if "published" in meta else None,
    )
    if not isinstance(built, Document):
        raise GoldError(path, [built.reason])
    built.doc_id = path.stem
    return built


def code_articles(files: Iterable[Path]) -> dict[str, CodedRecords]:
    """Each article through the pipeline; process candidates merged per article."""
    from detente.pipeline import code_stream
    from detente.positions.process_records import merge_process_records

    documents = [read_article(f) for f in files]
    by_id = {d.doc_id: Path(d.origin).name for d in documents}
    out: dict[str, CodedRecords] = {}
    for coded in code_stream(documents):
        out[by_id[coded.document.doc_id]] = CodedRecords(
            coded.document,
            coded.events,
            coded.positions,
            merge_process_records(coded.process_records),
        )
    return out


# ---------------------------------------------------------------- scoring


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _codes(refs: Iterable[ActorRef]) -> set[str]:
    """A ref's code, or its short name for organisations coded by sector (``IGO`` → ``UN``)."""
    codes = set()
    for ref in refs:
        if ref.name and ref.name.upper() in IGO_NAMES:
            codes.add(ref.name.upper())
        elif ref.code:
            codes.add(ref.code.upper())
    return codes


def _in_sentence(evidence_sentence: str, needle: str) -> bool:
    return _norm(needle) in _norm(evidence_sentence)


def score_event(item: GoldItem, events: list[Event], score: KindScore) -> None:
    g = item.fields
    types = one_or_many(g["event_type"])
    modalities = one_or_many(g["modality"])
    actor = set(one_or_many(g["actor"]))
    recipient = set(one_or_many(g.get("recipient")))
    found = [e for e in events if _in_sentence(e.evidence.sentence, g["sentence_contains"])]
    typed = [e for e in found if e.event_type in types]

    def checks(e: Event) -> tuple[bool, bool, bool]:
        same_type = [x for x in typed if x.event_type == e.event_type]
        acts, recs = _codes(e.actor), _codes(e.recipient)
        split = set().union(*(_codes(x.actor) for x in same_type)) if same_type else set()
        if recipient:
            actor_ok = acts == actor or split == actor
            recipient_ok = recs == recipient
        else:
            actor_ok = acts == actor or split == actor or (acts | recs) == actor
            recipient_ok = recs <= actor
        return actor_ok, recipient_ok, e.modality in modalities

    best = max(typed, key=lambda e: (sum(checks(e)), e.confidence), default=None)
    actor_ok, recipient_ok, modality_ok = checks(best) if best else (False, False, False)
    score.n += 1
    score.add("found", bool(found))
    score.add("type", bool(typed))
    score.add("actor", actor_ok)
    score.add("recipient", recipient_ok)
    score.add("modality", modality_ok)
    all_ok = bool(best) and actor_ok and recipient_ok and modality_ok
    score.add("all_correct", all_ok)
    if not all_ok:
        score.misses.append(
            {
                "item": item.index,
                "file": item.file,
                "sentence": g["sentence_contains"],
                "gold": {k: g.get(k) for k in ("event_type", "actor", "recipient", "modality")},
                "predicted": [_event_summary(e) for e in found],
            }
        )


def _event_summary(e: Event) -> dict:
    return {
        "event_type": e.event_type,
        "actor": sorted(_codes(e.actor)),
        "recipient": sorted(_codes(e.recipient)),
        "modality": e.modality,
    }


def score_no_event(item: GoldItem, events: list[Event], score: KindScore) -> None:
    g = item.fields
    forbidden = set(one_or_many(g.get("forbid_types"))) or set(EVENT_TYPES)
    offending = [
        e
        for e in events
        if _in_sentence(e.evidence.sentence, g["sentence_contains"])
        and e.modality in FIRM_MODALITIES
        and e.event_type in forbidden
    ]
    score.n += 1
    score.add("kept_out", not offending)
    if offending:
        score.misses.append(
            {
                "item": item.index,
                "file": item.file,
                "sentence": g["sentence_contains"],
                "why": g.get("why"),
                "predicted": [_event_summary(e) for e in offending],
            }
        )


def _process_checks(item: GoldItem, record: ProcessRecord | None) -> dict[str, bool | None]:
    """Each check the gold sets: True/False, or None when the gold leaves it open. A missing
    record fails every check the gold sets, so rates are over all gold items."""
    g = item.fields
    parties = _codes(record.parties) if record else set()
    mediator = _codes([record.mediator]) if record and record.mediator else set()
    checks: dict[str, bool | None] = {"found": record is not None}
    if item.kind == "exchange":
        numbers = {k.upper(): float(v) for k, v in record.numbers.items()} if record else {}
        checks["numbers"] = numbers == {k: float(v) for k, v in g["numbers"].items()}
        checks["date"] = (bool(record) and record.date == g["date"]) if g.get("date") else None
    else:
        checks["parties"] = bool(record) and (parties - mediator) == set(one_or_many(g["parties"]))
    wanted = g.get("mediator")
    checks["mediator"] = (wanted in mediator) if wanted else None
    statuses = one_or_many(g.get("status"))
    checks["status"] = (bool(record) and record.status in statuses) if statuses else None
    if item.kind == "talks":
        venue = g.get("venue")
        checks["venue"] = (
            bool(record and record.venue and re.search(venue, record.venue, re.IGNORECASE))
            if venue
            else None
        )
    return checks


def score_process(items: list[GoldItem], records: list[ProcessRecord], score: KindScore) -> None:
    """Match gold items of one kind and article to records one-to-one, best overlap first."""
    pool = list(records)
    for item in items:
        wanted = set(one_or_many(item.fields.get("parties"))) or set(item.fields["numbers"])
        best = max(
            pool,
            key=lambda r: (
                len(_codes(r.parties) & wanted),
                sum(bool(v) for v in _process_checks(item, r).values()),
            ),
            default=None,
        )
        if best is not None and not (_codes(best.parties) & wanted):
            best = None
        if best is not None:
            pool.remove(best)
        checks = _process_checks(item, best)
        score.n += 1
        for name, ok in checks.items():
            score.add(name, bool(ok), applies=ok is not None)
        # a gold ``"mediator": null`` says nobody mediated; an item without the key is silent
        silent = "mediator" not in item.fields or bool(item.fields["mediator"])
        no_stray_mediator = silent or not (best and best.mediator)
        fully = (
            best is not None
            and no_stray_mediator
            and all(ok is not False for ok in checks.values())
        )
        score.add("fully_right", fully)
        if not fully:
            score.misses.append(
                {
                    "item": item.index,
                    "file": item.file,
                    "gold": {k: v for k, v in item.fields.items() if k not in ("file", "note")},
                    "predicted": _record_summary(best) if best else None,
                    "failed": [k for k, ok in checks.items() if ok is False],
                    "others": [_record_summary(r) for r in records if r is not best],
                }
            )


def _record_summary(r: ProcessRecord) -> dict:
    return {
        "parties": sorted(_codes(r.parties)),
        "status": r.status,
        "numbers": r.numbers or None,
        "mediator": sorted(_codes([r.mediator])) if r.mediator else None,
        "venue": r.venue,
        "date": r.date,
    }


def score_position(item: GoldItem, positions: list[Position], score: KindScore) -> None:
    g = item.fields
    pattern = re.compile(g["issue_word"], re.IGNORECASE)
    candidates = [
        p
        for p in positions
        if _in_sentence(p.evidence.sentence, g["sentence_contains"])
        and g["actor"] in _codes([p.actor])
        and (pattern.search(p.issue) or (p.sub_issue and pattern.search(p.sub_issue)))
    ]
    stance_ok = any(p.stance == g["stance"] for p in candidates)
    score.n += 1
    score.add("found", bool(candidates))
    score.add("stance", stance_ok)
    if not stance_ok:
        in_sentence = [
            p for p in positions if _in_sentence(p.evidence.sentence, g["sentence_contains"])
        ]
        score.misses.append(
            {
                "item": item.index,
                "file": item.file,
                "sentence": g["sentence_contains"],
                "gold": {k: g[k] for k in ("actor", "issue_word", "stance")},
                "predicted": [
                    {
                        "actor": sorted(_codes([p.actor])),
                        "issue": p.issue,
                        "sub_issue": p.sub_issue,
                        "stance": p.stance,
                    }
                    for p in in_sentence
                ],
            }
        )


def score_realnews(items: list[GoldItem], articles: dict[str, CodedRecords]) -> RealNewsReport:
    kinds = {k: KindScore() for k in KINDS}
    grouped: dict[tuple[str, str], list[GoldItem]] = {}
    for item in items:
        records = articles[item.file]
        if item.kind == "event":
            score_event(item, records.events, kinds["event"])
        elif item.kind == "no_event":
            score_no_event(item, records.events, kinds["no_event"])
        elif item.kind == "position":
            score_position(item, records.positions, kinds["position"])
        else:
            grouped.setdefault((item.file, item.kind), []).append(item)
    for (file, kind), group in grouped.items():
        records = [r for r in articles[file].process_records if r.kind == kind]
        score_process(group, records, kinds[kind])
    return RealNewsReport(
        articles=len(articles), items=len(items), kinds={k: v for k, v in kinds.items() if v.n}
    )


def evaluate_realnews(path: str | Path, texts: str | Path | None = None) -> RealNewsReport:
    """Load, code every article the gold names, and score."""
    items = load_realnews(path, texts)
    folder = Path(texts) if texts else Path(path).parent
    files = sorted({folder / item.file for item in items})
    return score_realnews(items, code_articles(files))
