"""Modality accuracy: how sure does the coder say the text is about each event?

Usage: ``python benchmarks/modality.py [GOLD.jsonl]`` (default
``benchmarks/data/modality_gold.jsonl``: 90 sentences written blind, 15 per modality).

For each sentence the event scored is the one of the gold type when the coder found it,
else its most confident event; sentences with no event count as misses. Besides per-class
precision/recall, it reports the *false assertion rate*: how often a sentence that is
negated, hypothetical, future or speculative comes out ``asserted`` — the error an analyst
can least afford. Figures are printed and appended to ``benchmarks/results.md``.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from results_log import append_block, machine

from detente.coding.coder import EventCoder
from detente.ingest.models import Document

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "benchmarks" / "data" / "modality_gold.jsonl"
CLASSES = ("asserted", "reported", "negated", "hypothetical", "future", "speculative")
NOT_FACT = {"negated", "hypothetical", "future", "speculative"}
NONE = "no event"


def predictions(rows: list[dict]) -> list[str]:
    coder = EventCoder()
    documents = [
        Document(doc_id=row["id"], clean_text=row["text"], published=row.get("published"))
        for row in rows
    ]
    found = []
    for row, coded in zip(rows, coder.code_documents(documents), strict=True):
        same_type = [e for e in coded.events if e.event_type == row["event_type"]]
        pool = same_type or coded.events
        best = max(pool, key=lambda e: e.confidence, default=None)
        found.append(best.modality if best else NONE)
    return found


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    predicted = predictions(rows)
    gold = [row["modality"] for row in rows]
    confusion = Counter(zip(gold, predicted, strict=True))
    correct = sum(g == p for g, p in zip(gold, predicted, strict=True))
    coded = sum(p != NONE for p in predicted)
    not_fact = [p for g, p in zip(gold, predicted, strict=True) if g in NOT_FACT]
    false_assert = sum(p == "asserted" for p in not_fact)
    lines = [
        f"\n## Modality — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"gold: `{path.name}` ({len(rows)} sentences); command: `python benchmarks/modality.py`; "
        f"{machine()}",
        "",
        f"accuracy {correct / len(rows):.3f} ({correct / max(1, coded):.3f} on the {coded} "
        "sentences where an event was found); false assertion rate "
        f"{false_assert / max(1, len(not_fact)):.3f} ({false_assert} of {len(not_fact)} "
        "non-factual sentences coded asserted)",
        "",
        "| modality | gold | predicted | correct | P | R |",
        "|---|---|---|---|---|---|",
    ]
    for name in CLASSES:
        n_gold = sum(g == name for g in gold)
        n_pred = sum(p == name for p in predicted)
        hits = confusion[(name, name)]
        precision = hits / n_pred if n_pred else 0.0
        recall = hits / n_gold if n_gold else 0.0
        lines.append(f"| {name} | {n_gold} | {n_pred} | {hits} | {precision:.2f} | {recall:.2f} |")
    lines.append(f"| {NONE} | 0 | {sum(p == NONE for p in predicted)} | – | – | – |")
    text = "\n".join(lines) + "\n"
    print(text)
    append_block(text)


if __name__ == "__main__":
    main()
