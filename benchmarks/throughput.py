"""Throughput: bare spaCy pipeline vs detente's full coding, on the same text.

Usage: ``python benchmarks/throughput.py [--sentences 10000] [--processes 1]``

The corpus is the project's example articles plus, when ``../shared`` is present, the
seed articles, cleaned by the ingest stage and repeated until it holds at least
``--sentences`` sentences. Each measurement runs in its own child process so that peak
memory (max RSS) belongs to that measurement alone. Each run reports wall and CPU seconds:
on a shared machine the wall-clock ratio measures the neighbours too, the CPU ratio this
run alone. Figures are printed and appended to ``benchmarks/results.md`` with the machine,
the date and the load average.
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


def corpus(min_sentences: int) -> tuple[list[str], int, list[str]]:
    from detente.ingest.models import Document
    from detente.ingest.reader import iter_documents
    from detente.nlp.sentences import split_sentences

    inputs = [str(ROOT / "examples")]
    if SHARED_SEEDS.is_dir():
        inputs.append(str(SHARED_SEEDS))
    texts = [d.clean_text for d in iter_documents(inputs) if isinstance(d, Document)]
    per_round = sum(len(split_sentences(t)) for t in texts)
    rounds = max(1, -(-min_sentences // per_round))
    return texts * rounds, per_round * rounds, inputs


def _cpu() -> float:
    """CPU seconds of this process and of the workers it has waited for: on a shared
    machine wall time measures the neighbours too, CPU time only this run."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def measure(mode: str, min_sentences: int, processes: int) -> dict:
    texts, sentences, _ = corpus(min_sentences)
    from detente.ingest.models import Document

    if mode == "bare":
        from detente.nlp.model import load_model

        nlp = load_model(stock=True)  # spaCy as the package ships it
        start, cpu_start = time.perf_counter(), _cpu()
        for _ in nlp.pipe(texts, batch_size=32, n_process=processes):
            pass
        elapsed, cpu = time.perf_counter() - start, _cpu() - cpu_start
        records = 0
    else:
        from detente.pipeline import POOL_CHUNK, CoderPool, CodingOptions, code_stream, make_coder

        docs = [
            Document(doc_id=f"b{i}", clean_text=t, published="2025-03-01")
            for i, t in enumerate(texts)
        ]
        options = CodingOptions(positions=mode == "full")
        records = 0
        if processes > 1:  # long-lived workers, one model each (``code -j N``)
            chunks = [docs[i : i + POOL_CHUNK] for i in range(0, len(docs), POOL_CHUNK)]
            start, cpu_start = time.perf_counter(), _cpu()
            with CoderPool(processes, options) as pool:
                for coded_chunk in pool.code(chunks):
                    records += sum(len(c.events) + len(c.positions) for c in coded_chunk)
        else:
            coder = make_coder()
            start, cpu_start = time.perf_counter(), _cpu()
            for coded in code_stream(docs, coder=coder, options=options):
                records += len(coded.events) + len(coded.positions)
        elapsed, cpu = time.perf_counter() - start, _cpu() - cpu_start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "mode": mode,
        "documents": len(texts),
        "sentences": sentences,
        "seconds": round(elapsed, 2),
        "cpu_seconds": round(cpu, 2),
        "cpu_sentences_per_s": round(sentences / cpu, 1),
        "sentences_per_s": round(sentences / elapsed, 1),
        "documents_per_s": round(len(texts) / elapsed, 2),
        "peak_mb": round(peak_mb, 1),
        "records": records,
    }


def run_child(mode: str, args: argparse.Namespace) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--child",
        mode,
        "--sentences",
        str(args.sentences),
        "--processes",
        str(args.processes),
    ]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _load() -> str:
    """The 1/5/15-minute load: other work on the machine inflates wall time, not CPU time."""
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=10_000)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--child", choices=["bare", "events", "full"])
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.sentences, args.processes)))
        return
    results = {mode: run_child(mode, args) for mode in ("bare", "events", "full")}
    bare = results["bare"]["sentences_per_s"]
    bare_cpu = results["bare"]["cpu_sentences_per_s"]
    lines = [
        f"\n## Throughput — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"machine: {machine()}; load average at the end {_load()}; command: "
        f"`python benchmarks/throughput.py --sentences {args.sentences} "
        f"--processes {args.processes}`",
        "",
        "| run | documents | sentences | seconds | sentences/s | documents/s | peak MB | records "
        "| ratio to bare | CPU s | ratio to bare (CPU) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for mode, label in (
        ("bare", "(a) bare spaCy en_core_web_sm"),
        ("events", "(b) detente events"),
        ("full", "(b') detente events + positions"),
    ):
        r = results[mode]
        lines.append(
            f"| {label} | {r['documents']} | {r['sentences']} | {r['seconds']} "
            f"| {r['sentences_per_s']} | {r['documents_per_s']} | {r['peak_mb']} | {r['records']} "
            f"| {r['sentences_per_s'] / bare:.2f} | {r['cpu_seconds']} "
            f"| {r['cpu_sentences_per_s'] / bare_cpu:.2f} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    append_block(text)


if __name__ == "__main__":
    main()
