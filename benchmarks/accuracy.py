"""Accuracy of detente on PLOVER gold-standard records and on real news.

Usage: ``python benchmarks/accuracy.py [GOLD.json ...]``. By default it scores the real-news
development set (``../shared/corpus/realnews-dev/gold.json``: whole articles through the
pipeline — events, no-event sentences, exchanges, talks, ceasefires, positions), the PLOVER
development split (``../shared/reference/plover/plover_gsr_dev.json``), both when present, and
the project's own sets in ``benchmarks/data/``: ``own_gold.json`` (160 sentences, 10 per
type, written blind from the PLOVER manual, later used to find lexicon gaps) and
``heldout_gold.json`` (160 more, written blind by another member and never used to tune).
Prints the figures, writes each full report to ``benchmarks/accuracy_<name>.json`` and
appends a summary to ``benchmarks/results.md``. Same scoring as ``detente evaluate``.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from results_log import append_block, machine

from detente.coding.coder import EventCoder
from detente.evaluation.gold import detect_format, read_json_list
from detente.evaluation.plover import evaluate, load_gold
from detente.evaluation.realnews import evaluate_realnews

ROOT = Path(__file__).resolve().parents[1]
DEV_SPLIT = ROOT.parent / "shared" / "reference" / "plover" / "plover_gsr_dev.json"
REALNEWS_DEV = ROOT.parent / "shared" / "corpus" / "realnews-dev" / "gold.json"
OWN_GOLD = ROOT / "benchmarks" / "data" / "own_gold.json"
HELDOUT = ROOT / "benchmarks" / "data" / "heldout_gold.json"
"""Written blind by another project member and never used to change the coder: the
figure to trust for unseen text."""


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]] or [
        p for p in (REALNEWS_DEV, DEV_SPLIT, OWN_GOLD, HELDOUT) if p.is_file()
    ]
    for path in paths:
        if not path.is_file():
            raise SystemExit(f"gold file not found: {path}")
        if detect_format(read_json_list(path)) == "realnews":
            score_realnews(path)
        else:
            score(path)


def score_realnews(gold_path: Path) -> None:
    start = time.perf_counter()
    report = evaluate_realnews(gold_path)
    seconds = time.perf_counter() - start
    data = report.to_json()
    name = gold_path.parent.name or gold_path.stem
    report_file = ROOT / "benchmarks" / f"accuracy_{name}.json"
    report_file.write_text(json.dumps(data, indent=2), encoding="utf-8")
    lines = [
        f"\n## Real-news accuracy — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"gold: `{name}/{gold_path.name}` ({data['articles']} articles, {data['items']} items); "
        f"command: `python benchmarks/accuracy.py`; {machine()}; {seconds:.1f} s",
        "",
        "| kind | n | check | passed | rate |",
        "|---|---|---|---|---|",
    ]
    for kind, s in data["kinds"].items():
        for check, c in s["checks"].items():
            passed = f"{c['passed']}/{c['of']}"
            lines.append(f"| {kind} | {s['n']} | {check} | {passed} | {c['rate']:.3f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    append_block(text)


def score(gold_path: Path) -> None:
    records = load_gold(gold_path)
    start = time.perf_counter()
    report = evaluate(EventCoder(), records)
    seconds = time.perf_counter() - start
    data = report.to_json()
    report_file = ROOT / "benchmarks" / f"accuracy_{gold_path.stem}.json"
    report_file.write_text(json.dumps(data, indent=2), encoding="utf-8")
    o = data["overall"]
    lines = [
        f"\n## Accuracy — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"gold: `{gold_path.name}` ({report.records} records, {report.sentences} sentences); "
        f"command: `python benchmarks/accuracy.py`; {machine()}; {seconds:.1f} s",
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
    append_block(text)


if __name__ == "__main__":
    main()
