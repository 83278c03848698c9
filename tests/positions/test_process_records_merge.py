"""Merging reports across documents: the indexed merge folds exactly as comparing each
report with every merged record does, and compares a report only with its own window."""

from __future__ import annotations

import random

import pytest

from detente.coding.models import ActorRef
from detente.positions import process_records
from detente.positions.models import PositionEvidence, ProcessRecord
from detente.positions.process_records import _fold, merge_process_records, same_occurrence

CODES = ["UKR", "RUS", "USA", "TUR", None]


def report(rng: random.Random, n: int) -> ProcessRecord:
    kind = rng.choice(["exchange", "talks", "ceasefire"])
    date = rng.choice([None, "in spring", *(f"2025-03-{d:02d}" for d in range(1, 29))])
    codes = rng.sample(CODES, rng.choice([0, 1, 2, 2, 3]))
    return ProcessRecord(
        id=f"{kind[:2]}_{n}",
        kind=kind,
        date=date,
        parties=[ActorRef(text=str(c), code=c) for c in codes],
        numbers={c: float(rng.choice([50, 51, 100])) for c in codes if c and kind == "exchange"},
        status=rng.choice(["held", "planned", None]),
        venue=rng.choice([None, "Istanbul", "Riyadh"]),
        scope=rng.choice([[], ["land"], ["sea"]]),
        sources=[PositionEvidence(sentence=f"s{n}", start=n, end=n + 1)],
        doc_ids=[f"d{rng.randrange(40)}"],
    )


def every_pair_merge(records: list[ProcessRecord]) -> list[ProcessRecord]:
    """The definition: each report, in date order, folds into the first merged record it
    is the same occurrence as, else founds one."""
    merged: list[ProcessRecord] = []
    for record in sorted(records, key=lambda r: (r.date or "", r.id)):
        for i, existing in enumerate(merged):
            if same_occurrence(existing, record):
                merged[i] = _fold(existing, record)
                break
        else:
            merged.append(record)
    return merged


@pytest.mark.parametrize("seed", range(8))
def test_the_indexed_merge_equals_comparing_with_every_merged_record(seed):
    rng = random.Random(seed)
    records = [report(rng, n) for n in range(300)]
    assert merge_process_records(records) == every_pair_merge(records)


def test_a_report_is_compared_only_with_records_of_its_dyad_and_window(monkeypatch):
    """Two hundred same-day talks of other dyads do not make a report's merge longer."""
    asked: list[tuple[str, str]] = []

    def counting(a: ProcessRecord, b: ProcessRecord) -> bool:
        asked.append((a.id, b.id))
        return same_occurrence(a, b)

    def talks(n: int, codes: list[str], date: str) -> ProcessRecord:
        return ProcessRecord(
            id=f"ta_{n:04d}", kind="talks", date=date, status="held",
            parties=[ActorRef(text=c, code=c) for c in codes], doc_ids=[f"d{n}"],
        )  # fmt: skip

    others = [talks(n, [f"X{n:03d}", f"Y{n:03d}"], "2025-03-10") for n in range(200)]
    ours = [talks(900, ["RUS", "UKR"], "2025-03-09"), talks(901, ["UKR", "RUS"], "2025-03-10")]
    monkeypatch.setattr(process_records, "same_occurrence", counting)
    merged = merge_process_records(others + ours)
    assert len(merged) == 201
    assert [pair for pair in asked if "ta_0901" in pair] == [("ta_0900", "ta_0901")]
    assert len(asked) == 1
