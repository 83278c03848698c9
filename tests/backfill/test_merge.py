"""The final merge streams: it folds as the in-memory merge does while holding only one
month of candidates and the merged records of one window."""

from __future__ import annotations

import datetime as dt
import random

from detente.backfill import parquet
from detente.backfill.merge import merge_candidates
from detente.coding.models import ActorRef
from detente.positions.models import PositionEvidence, ProcessRecord
from detente.positions.process_records import DATE_WINDOW_DAYS, merge_process_records

DYADS = [("UKR", "RUS"), ("ISR", "PSE"), ("SDN", "SSD"), ("ARM", "AZE"), ("UKR", None)]
PER_DAY = 6
DAYS = 400
UNDATED = 12


def candidates(rng: random.Random) -> list[ProcessRecord]:
    """Thirteen months of daily reports of a few dyads, plus some undated ones."""
    start = dt.date(2023, 1, 1)
    found = []
    for n in range(DAYS * PER_DAY + UNDATED):
        day = None if n >= DAYS * PER_DAY else start + dt.timedelta(days=n // PER_DAY)
        kind = rng.choice(["exchange", "talks", "ceasefire"])
        codes = [c for c in rng.choice(DYADS) if c]
        found.append(
            ProcessRecord(
                id=f"{kind[:2]}_{n:06d}",
                kind=kind,
                date=day.isoformat() if day else None,
                parties=[ActorRef(text=c, code=c) for c in codes],
                numbers={c: float(rng.choice([50, 51, 100])) for c in codes}
                if kind == "exchange"
                else {},
                status=rng.choice(["held", "planned", "agreed"]),
                venue=rng.choice([None, "Istanbul", "Doha"]),
                sources=[PositionEvidence(sentence=f"s{n}", start=n, end=n + 1)],
                doc_ids=[f"d{rng.randrange(5000):05d}"],
            )
        )
    return found


def test_the_streaming_merge_equals_the_whole_merge_and_holds_one_window(tmp_path):
    rng = random.Random(7)
    reports = candidates(rng)
    rng.shuffle(reports)  # parts in input order, not date order
    out = str(tmp_path / "out")
    size = 97
    for at in range(0, len(reports), size):
        batch = reports[at : at + size]
        table = parquet.records_table("process_candidates", batch)
        parquet.write_part(out, "process_candidates", f"part-{at:06d}", table)

    summary = merge_candidates(out)

    by_doc = sorted(reports, key=lambda r: r.doc_ids[0])  # the order the store merges in
    expected = sorted(merge_process_records(by_doc), key=lambda r: r.id)
    found = sorted(parquet.read_records(out, "process"), key=lambda r: r.id)
    assert found == expected
    assert summary.records == len(expected) > 500
    # open: at most every report of the window's days founding a record, plus the undated
    assert summary.most_open <= PER_DAY * (DATE_WINDOW_DAYS + 1) + UNDATED
    assert summary.largest_month <= PER_DAY * 31 < len(reports) // 10


def test_no_candidates_make_an_empty_process_table(tmp_path):
    out = str(tmp_path / "out")
    assert merge_candidates(out).records == 0
    assert parquet.parts(out, "process") == ["part-merged"]
    assert list(parquet.read_records(out, "process")) == []
