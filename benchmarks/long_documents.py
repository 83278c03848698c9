"""Long documents: coding time per 100 KB must stay flat from 25 KB to 2 MB.

Usage: ``python benchmarks/long_documents.py [--sizes 25,50,100,200,500,1000,2000]``

One document per size is built by repeating the project's example articles (and the seed
articles beside the checkout, when present) up to that many kilobytes, then coded in full
(events, positions, process candidates; no sentence cap, no time budget) in its own child
process, so peak memory belongs to that size alone. Wall seconds and CPU seconds are both
reported: on a shared machine CPU seconds are the steadier measure of the work done.
Figures are printed and appended to ``benchmarks/results.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from results_log import append_block, machine

ROOT = Path(__file__).resolve().parents[1]
SHARED_SEEDS = ROOT.parent / "shared" / "corpus" / "seed-articles"


def long_text(kilobytes: int) -> str:
    from detente.ingest.models import Document
    from detente.ingest.reader import iter_documents

    inputs = [str(ROOT / "examples")]
    if SHARED_SEEDS.is_dir():
        inputs.append(str(SHARED_SEEDS))
    texts = [d.clean_text for d in iter_documents(inputs) if isinstance(d, Document)]
    base = "\n\n".join(texts)
    size = kilobytes * 1024
    text = (base + "\n\n") * (size // len(base) + 1)
    cut = text.rfind("\n\n", 0, size)
    return text[: cut if cut > 0 else size]


def measure(kilobytes: int) -> dict:
    from detente.ingest.models import Document
    from detente.nlp.sentences import split_sentences
    from detente.pipeline import CodingOptions, code_stream, make_coder

    text = long_text(kilobytes)
    coder = make_coder()
    options = CodingOptions(max_sentences=None, time_budget=None)
    # warm the model on a short text so the first size does not pay for lazy loading
    list(code_stream([Document(doc_id="w", clean_text=text[:2000])], coder, options=options))
    document = Document(doc_id="long", clean_text=text, published="2025-03-01")
    wall, cpu = time.perf_counter(), time.process_time()
    (coded,) = list(code_stream([document], coder, options=options))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert coded.error is None, coded.error
    per = 100 * 1024 / len(text.encode())
    return {
        "kb": round(len(text.encode()) / 1024),
        "sentences": len(split_sentences(text)),
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "wall_per_100kb": round(wall * per, 2),
        "cpu_per_100kb": round(cpu * per, 2),
        "events": len(coded.events),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="25,50,100,200,500,1000,2000", help="kilobytes")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(size)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
        print(rows[-1], flush=True)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        f"\n## Long documents — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"machine: {machine()}; load average at the end: {load}; command: "
        f"`python benchmarks/long_documents.py --sizes {args.sizes}`",
        "",
        "| KB | sentences | wall s | CPU s | wall s / 100 KB | CPU s / 100 KB | events | peak MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['kb']} | {r['sentences']} | {r['wall_s']} | {r['cpu_s']} "
            f"| {r['wall_per_100kb']} | {r['cpu_per_100kb']} | {r['events']} | {r['peak_mb']} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    append_block(text)


if __name__ == "__main__":
    main()
