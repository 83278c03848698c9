"""What storing one document's process records costs as the store grows.

Usage::

    PYTHONPATH=src python benchmarks/process_merge.py --documents 2000 8000 32000 [--no-log]

A backfill's store: every day twenty documents, each reporting one exchange, ceasefire or
talks of one of a hundred dyads — except one dyad in five reports, which is Russia–Ukraine
(the busy dyad a conflict's coverage has every day). The coverage grows with the store
(documents / 20 days), so each day is as busy at every size. The store is filled in one
bulk merge, then a hundred more documents are written one at a time, as ``detente code``
writes them (:func:`detente.store.records.replace_doc_records`): half on random days of
the range (a backfill coded out of order), half on its last days (the daily news).
Printed: the candidates each write re-merges (what the merge reads back) and its CPU time,
for documents of the other dyads and for Russia–Ukraine ones, beside the candidates of the
written kind in the store: with a report every day, the whole range is one "date island",
which is what the store re-merged per write before it merged by parties and windows.

The merge is order-sensitive — a report founds a record that takes the next three days'
reports — so a report inserted into a dyad reported every day can shift every later
record of that dyad: the store re-merges from the report until the records are again the
ones stored (exactly, see ``store.records._replay``), which is short near the end of the
coverage and may be long in its middle.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta

from results_log import append_block, machine

PER_DAY = 20
WRITES = 100


def candidate(rng: random.Random, doc_id: str, day: date):
    from detente.coding.models import ActorRef
    from detente.positions.models import PositionEvidence, ProcessRecord

    kind = rng.choice(["exchange", "talks", "ceasefire"])
    if rng.random() < 0.2:
        codes = ["RUS", "UKR"]
    else:
        n = rng.randrange(100)
        codes = [f"A{n:02d}", f"B{n:02d}"]
    return ProcessRecord(
        id=f"{kind[:2]}_{doc_id}",
        kind=kind,
        date=day.isoformat(),
        status="held",
        parties=[ActorRef(text=c, code=c) for c in codes],
        numbers={c: float(rng.choice([50, 100, 200])) for c in codes} if kind == "exchange" else {},
        sources=[PositionEvidence(sentence=f"{doc_id} reports it.", start=0, end=10)],
        doc_ids=[doc_id],
    )


def measure(documents: int, seed: int = 3) -> dict[str, list[tuple[int, float, int]]]:
    from detente.ingest.models import Document
    from detente.positions.process_records import (
        DATE_WINDOW_DAYS,
        MERGE_RULE,
        merge_order,
        merge_process_records,
        merge_with_members,
    )
    from detente.store import documents as docs
    from detente.store.db import connect
    from detente.store.records import MergeRule, add_candidates, replace_doc_records

    rng = random.Random(seed)
    start = date(2022, 2, 24)
    days = max(1, documents // PER_DAY)
    conn = connect(":memory:")
    found = {}
    for i in range(documents + WRITES):
        doc_id = f"doc{i:07d}"
        docs.insert_document(conn, Document(doc_id=doc_id, clean_text=doc_id, raw_text=doc_id,
                                            origin=doc_id, content_hash=doc_id), None)  # fmt: skip
        if i < documents:
            found[doc_id] = [candidate(rng, doc_id, start + timedelta(days=i // PER_DAY))]
    add_candidates(conn, found, MERGE_RULE)
    read: list[int] = []

    def counting(records):
        read.append(len(records))
        return merge_with_members(records)

    counted = MergeRule(merge_process_records, DATE_WINDOW_DAYS, counting, merge_order)
    costs: dict[str, list[tuple[int, float, int]]] = {}
    for i in range(documents, documents + WRITES):
        doc_id = f"doc{i:07d}"
        latest = i % 2 == 0
        day = days - 1 - rng.randrange(2) if latest else rng.randrange(days)
        mine = candidate(rng, doc_id, start + timedelta(days=day))
        cpu = time.process_time()
        replace_doc_records(conn, doc_id, [], [], candidates=[mine], rule=counted)
        spent = time.process_time() - cpu
        which = "Russia–Ukraine" if mine.parties[0].code == "RUS" else "other dyads"
        which += ", last days" if latest else ", any day"
        (island,) = conn.execute(
            "SELECT COUNT(*) FROM process_candidates WHERE kind = ?", (mine.kind,)
        ).fetchone()
        costs.setdefault(which, []).append((read[-1], spent, island))
    return dict(sorted(costs.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, nargs="+", default=[2000, 8000, 32000])
    parser.add_argument("--no-log", action="store_true", help="print only")
    args = parser.parse_args()
    rows = []
    for size in args.documents:
        for which, costs in measure(size).items():
            reads = [r for r, _, _ in costs]
            cpu_ms = [1000 * c for _, c, _ in costs]
            island = statistics.median(i for _, _, i in costs)
            rows.append(
                f"| {size} | {which} | {len(costs)} | {statistics.median(reads):.0f} |"
                f" {max(reads)} | {island:.0f} | {statistics.median(cpu_ms):.1f} |"
                f" {max(cpu_ms):.1f} |"
            )
            print(rows[-1], flush=True)
    command = "PYTHONPATH=src python benchmarks/process_merge.py " + " ".join(sys.argv[1:])
    text = (
        f"\n## Process-record merge per stored document\n\n`{command}` · {machine()} · "
        f"load average at the end {os.getloadavg()[0]:.1f}\n\n"
        "| store docs | written document | writes | candidates re-merged (median) |"
        " (max) | date island (median) | CPU ms per write (median) | (max) |\n"
        "|---|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )
    if not args.no_log:
        append_block(text)
    print(text)


if __name__ == "__main__":
    main()
