"""Accuracy of the event coder on PLOVER gold-standard records.

Usage: ``python benchmarks/accuracy.py [GOLD.json]`` (default: the development split in
``../shared/reference/plover/plover_gsr_dev.json``). Prints the figures, writes the full
report to ``benchmarks/accuracy_report.json`` and appends a summary to
``benchmarks/results.md``. Same scoring as ``detente evaluate``.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from detente.coding.coder import EventCoder
from detente.coding.evaluate import evaluate, load_gold

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = ROOT.parent / "shared" / "reference" / "plover" / "plover_gsr_dev.json"


def main() -> None:
    gold_path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_GOLD
    if not gold_path.is_file():
        raise SystemExit(f"gold file not found: {gold_path}")
    records = load_gold(gold_path)
    start = time.perf_counter()
    report = evaluate(EventCoder(), records)
    seconds = time.perf_counter() - start
    data = report.to_json()
    (ROOT / "benchmarks" / "accuracy_report.json").write_text(
        json.dumps(data, indent=2), encoding="utf-8"
    )
    o = data["overall"]
    lines = [
        f"\n## Accuracy — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"gold: `{gold_path.name}` ({report.records} records, {report.sentences} sentences); "
        f"command: `python benchmarks/accuracy.py`; {platform.platform()}; {seconds:.1f} s",
        "",
        "| metric | value |",
        "|---|---|",
        f"| event-type precision | {o['precision']:.3f} |",
        f"| event-type recall | {o['recall']:.3f} |",
        f"| event-type F1 | {o['f1']:.3f} |",
        f"| top-1 accuracy | {data['top1_accuracy']:.3f} |",
        f"| actor country accuracy (n={data['actor_scored']}) | {data['actor_accuracy']:.3f} |",
        f"| recipient country accuracy (n={data['recipient_scored']}) "
        f"| {data['recipient_accuracy']:.3f} |",
        "",
        "| type | gold | found | predicted | P | R | F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, s in data["per_type"].items():
        lines.append(
            f"| {name} | {s['gold']} | {s['found']} | {s['predicted']} | {s['precision']:.2f} | "
            f"{s['recall']:.2f} | {s['f1']:.2f} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    with (ROOT / "benchmarks" / "results.md").open("a", encoding="utf-8") as handle:
        handle.write(text)


if __name__ == "__main__":
    main()
