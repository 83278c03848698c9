"""Scoring the event coder against records in the PLOVER gold-standard format.

Sentences are the unit: a gold record is *found* when some event predicted for its
sentence has the gold type; precision counts predicted events whose type is among the
sentence's gold types (a sentence may carry several gold records). Older labels are
mapped through the ontology file; odd country codes are normalised before comparing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from detente.coding.coder import EventCoder
from detente.coding.models import EVENT_TYPES, Event
from detente.coding.ontology import normalise_label
from detente.evaluation.gold import GoldError, read_json_list
from detente.ingest.models import Document

CODE_FIXES = {"JAP": "JPN", "ITL": "ITA", "UK": "GBR", "ROM": "ROU", "GER": "DEU", "SPN": "ESP"}
ORGANISATION_CODES = {"IGO", "EUR", "NGO", "IMG"}
NONE = "NONE"


@dataclass(frozen=True)
class GoldRecord:
    id: str
    text: str
    event_type: str
    mode: str | None
    date: str | None
    actor_codes: frozenset[str]
    recipient_codes: frozenset[str]


@dataclass
class TypeScore:
    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct_predicted: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.correct_predicted / self.predicted if self.predicted else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EvaluationReport:
    records: int
    sentences: int
    overall: TypeScore
    per_type: dict[str, TypeScore]
    top1_accuracy: float
    actor_accuracy: float
    actor_scored: int
    recipient_accuracy: float
    recipient_scored: int
    confusion: dict[str, dict[str, int]]
    misses: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        def score(s: TypeScore) -> dict:
            return {
                **asdict(s),
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
                "f1": round(s.f1, 4),
            }

        return {
            "records": self.records,
            "sentences": self.sentences,
            "overall": score(self.overall),
            "per_type": {k: score(v) for k, v in sorted(self.per_type.items())},
            "top1_accuracy": round(self.top1_accuracy, 4),
            "actor_accuracy": round(self.actor_accuracy, 4),
            "actor_scored": self.actor_scored,
            "recipient_accuracy": round(self.recipient_accuracy, 4),
            "recipient_scored": self.recipient_scored,
            "confusion": self.confusion,
            "misses": self.misses,
        }


def normalise_code(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().upper()
    return CODE_FIXES.get(code, code)


def _text(value) -> str | None:
    """An optional string field; anything else in it counts as absent."""
    return value.strip() or None if isinstance(value, str) else None


def _codes(actors) -> frozenset[str]:
    if not isinstance(actors, list):
        return frozenset()
    return frozenset(
        c
        for c in (normalise_code(_text(a.get("code"))) for a in actors if isinstance(a, dict))
        if c
    )


def load_gold(path: str | Path, warnings: list[str] | None = None) -> list[GoldRecord]:
    """Read a PLOVER gold-standard JSON list.

    Documentation entries (``"event": "DOCUMENT"``) are skipped silently; records with an
    empty text or an unknown label are skipped with a warning naming their index; a file
    that is not a list of records, or records without ``text``/``event``, raise
    ``GoldError`` with every problem listed.
    """
    path = Path(path)
    rows = read_json_list(path)
    problems: list[str] = []
    records = []
    for index, row in enumerate(rows):
        where = f"record {index}" + (f" ({row.get('id')})" if isinstance(row, dict) else "")
        if not isinstance(row, dict):
            problems.append(f"{where}: expected an object, found {type(row).__name__}")
            continue
        if row.get("event") == "DOCUMENT":
            continue
        missing = [f for f in ("text", "event") if f not in row]
        if missing:
            problems.append(f"{where}: missing field {', '.join(missing)}")
            continue
        if not isinstance(row["event"], str) or not isinstance(row["text"], str):
            problems.append(f"{where}: 'text' and 'event' must be strings")
            continue
        event_type, legacy_mode = normalise_label(row["event"])
        if event_type not in EVENT_TYPES:
            if warnings is not None:
                warnings.append(f"{where}: unknown event type {row['event']!r}, skipped")
            continue
        if not row["text"].strip():
            if warnings is not None:
                warnings.append(f"{where}: empty text, skipped")
            continue
        records.append(
            GoldRecord(
                id=str(row.get("id", "")),
                text=row["text"].strip().strip("{}").strip(),
                event_type=event_type,
                mode=_text(row.get("mode")) or legacy_mode,
                date=_text(row.get("date")),
                actor_codes=_codes(row.get("source")),
                recipient_codes=_codes(row.get("target")),
            )
        )
    if problems:
        raise GoldError(path, problems)
    if not records:
        raise GoldError(path, ["no record has a known event type and a text: nothing to score"])
    return records


def _code_match(predicted: list, gold: frozenset[str]) -> bool:
    codes = {normalise_code(a.code) for a in predicted if a.code}
    if gold & ORGANISATION_CODES:
        codes |= {"IGO" for c in codes if c in ORGANISATION_CODES}
    return bool(codes & gold)


def evaluate(
    coder: EventCoder, gold: list[GoldRecord], keep_misses: bool = True
) -> EvaluationReport:
    by_text: dict[str, list[GoldRecord]] = defaultdict(list)
    for record in gold:
        by_text[record.text].append(record)
    texts = list(by_text)
    documents = [
        Document(doc_id=f"gold-{i}", clean_text=t, published=by_text[t][0].date)
        for i, t in enumerate(texts)
    ]
    predictions: dict[str, list[Event]] = {
        coded.document.clean_text: coded.events for coded in coder.code_documents(documents)
    }
    per_type: dict[str, TypeScore] = {t: TypeScore() for t in EVENT_TYPES}
    overall = TypeScore()
    confusion: dict[str, Counter] = defaultdict(Counter)
    top1_hits = actor_hits = actor_n = recip_hits = recip_n = 0
    misses = []
    for text, records in by_text.items():
        events = predictions.get(text, [])
        gold_types = {r.event_type for r in records}
        for event in events:
            score = per_type.setdefault(event.event_type, TypeScore())
            score.predicted += 1
            overall.predicted += 1
            if event.event_type in gold_types:
                score.correct_predicted += 1
                overall.correct_predicted += 1
        top = max(events, key=lambda e: e.confidence, default=None)
        top_type = top.event_type if top else NONE
        top1_hits += top_type in gold_types
        for record in records:
            per_type[record.event_type].gold += 1
            overall.gold += 1
            confusion[record.event_type][top_type] += 1
            matching = [e for e in events if e.event_type == record.event_type]
            if not matching:
                if keep_misses:
                    misses.append(
                        {
                            "id": record.id,
                            "gold": record.event_type,
                            "predicted": [e.event_type for e in events],
                            "text": text,
                        }
                    )
                continue
            per_type[record.event_type].found += 1
            overall.found += 1
            best = max(matching, key=lambda e: e.confidence)
            if record.actor_codes:
                actor_n += 1
                actor_hits += _code_match(best.actor, record.actor_codes)
            if record.recipient_codes:
                recip_n += 1
                recip_hits += _code_match(best.recipient, record.recipient_codes)
    return EvaluationReport(
        records=len(gold),
        sentences=len(by_text),
        overall=overall,
        per_type={k: v for k, v in per_type.items() if v.gold or v.predicted},
        top1_accuracy=top1_hits / len(by_text) if by_text else 0.0,
        actor_accuracy=actor_hits / actor_n if actor_n else 0.0,
        actor_scored=actor_n,
        recipient_accuracy=recip_hits / recip_n if recip_n else 0.0,
        recipient_scored=recip_n,
        confusion={k: dict(v) for k, v in confusion.items()},
        misses=misses,
    )
