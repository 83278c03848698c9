"""``detente code -j N``: documents per second and peak memory per worker, N = 1 and 2.

Usage: ``python benchmarks/code_workers.py [--documents 400] [--workers 1,2]``

The corpus is the project's example articles plus, when ``../shared`` is present, the seed
articles, repeated with a distinct first line so that each copy is its own document, and
written straight into a store (ingest is not what is measured). Each ``-j N`` codes a fresh
copy of that store through the real command in a child process; the wall time covers the
whole command, model loading included; CPU seconds add up the command and its workers
(on a busy shared machine they show the work done where wall time cannot: with the
kernel's autogroup scheduling, one session gets its fair share of the cores however many
processes it runs, so ``-j 2`` cannot beat ``-j 1`` on wall time there). The records
of every run must equal those of ``-j 1``.

The ceiling row runs two independent ``code -j 1`` at once, each on its own store holding
half of the documents: no pool, no shared writer, so its speed-up over ``-j 1`` is what
two cores give this work on this machine (memory bandwidth and shared caches included),
the most ``-j 2`` could reach. Figures are printed and appended to
``benchmarks/results.md``.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from results_log import append_block, machine

ROOT = Path(__file__).resolve().parents[1]
SHARED_SEEDS = ROOT.parent / "shared" / "corpus" / "seed-articles"


def build_store(path: Path, documents: int, start: int = 0) -> int:
    """A store holding documents ``start`` … ``documents - 1``; returns their sentence count."""
    from detente.ingest.fingerprint import content_hash
    from detente.ingest.models import Document
    from detente.ingest.reader import iter_documents
    from detente.nlp.sentences import split_sentences
    from detente.store import documents as doc_store
    from detente.store.db import connect

    inputs = [str(ROOT / "examples")]
    if SHARED_SEEDS.is_dir():
        inputs.append(str(SHARED_SEEDS))
    base = [d for d in iter_documents(inputs) if isinstance(d, Document)]
    conn = connect(path)
    sentences = 0
    for i in range(start, documents):
        source = base[i % len(base)]
        text = f"Desk report {i}.\n\n{source.clean_text}"
        sentences += len(split_sentences(text))
        doc = Document(
            doc_id=f"b{i:06d}", clean_text=text, raw_text=text, published=source.published,
            origin=f"bench/{i}", content_hash=content_hash(text),
        )  # fmt: skip
        doc_store.insert_document(conn, doc, None)
    conn.close()
    return sentences


def snapshot(path: Path) -> list:
    conn = sqlite3.connect(path)
    found = [
        sorted(conn.execute(f"SELECT id, record FROM {t}"))
        for t in ("events", "positions", "process_records")
    ]
    conn.close()
    return found


def start(store: Path, workers: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
    command = [sys.executable, "-m", "detente.cli.main", "code", "-j", str(workers)]
    return subprocess.Popen(
        [*command, "--db", str(store)], env=env, stdout=subprocess.PIPE, text=True
    )


def finish(process: subprocess.Popen) -> dict:
    """Peak MB and CPU seconds per process, from the command's closing lines."""
    out, _ = process.communicate()
    assert process.returncode == 0, out
    peaks = dict(re.findall(r"(worker \d+|main) (\d+) MB", out))
    cpu = dict(re.findall(r"(worker \d+|main) ([\d.]+)(?:,|$)", out.split("CPU seconds:")[-1]))
    return {
        "peaks": [int(mb) for name, mb in peaks.items() if name != "main"],
        "main_mb": int(peaks["main"]),
        "main_cpu": float(cpu.pop("main")),
        "worker_cpu": round(sum(float(c) for c in cpu.values()), 1),
    }


def run(template: Path, workers: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="detente-j"))
    path = folder / "s.db"
    shutil.copy(template, path)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    result = finish(start(path, workers))
    seconds = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    result.update(label=str(workers), seconds=round(seconds, 1), cpu=round(cpu, 1))
    result["records"] = snapshot(path)
    shutil.rmtree(folder)
    return result


def ceiling(halves: list[Path]) -> dict:
    """Two independent ``-j 1`` runs at once, one per half of the corpus."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    results = [finish(p) for p in [start(path, 1) for path in halves]]
    seconds = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {
        "label": "2 × 1 at once (half each)",
        "seconds": round(seconds, 1),
        "cpu": round(cpu, 1),
        "peaks": [],
        "main_mb": max(r["main_mb"] for r in results),
        "main_cpu": round(sum(r["main_cpu"] for r in results), 1),
        "worker_cpu": "—",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=400)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument(
        "--no-ceiling", dest="ceiling", action="store_false", help="skip the 2 × -j 1 row"
    )
    args = parser.parse_args()
    load_before = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "template.db"
        sentences = build_store(template, args.documents)
        results = [run(template, int(n)) for n in args.workers.split(",")]
        if args.ceiling:
            halves = [Path(folder) / "a.db", Path(folder) / "b.db"]
            build_store(halves[0], args.documents // 2)
            build_store(halves[1], args.documents, start=args.documents // 2)
            results.append(ceiling(halves))
    first = results[0]
    for r in results[1:]:
        if "records" in r:
            assert r["records"] == first["records"], f"-j {r['label']} stored other records"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        f"\n## code -j N — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"machine: {machine()} (shared); load average before: {load_before}, at the end: "
        f"{load}; command: "
        f"`python benchmarks/code_workers.py --documents {args.documents} "
        f"--workers {args.workers}{'' if args.ceiling else ' --no-ceiling'}`",
        "",
        "| -j | documents | sentences | seconds | CPU s | CPU s parent / workers | CPU vs -j 1 "
        "| documents/s | sentences/s | speed-up | peak MB per worker | peak MB parent |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        peaks = ", ".join(str(p) for p in r["peaks"]) or "(in the parent)"
        lines.append(
            f"| {r['label']} | {args.documents} | {sentences} | {r['seconds']} | {r['cpu']} "
            f"| {r['main_cpu']} / {r['worker_cpu']} | {r['cpu'] / first['cpu']:.2f} "
            f"| {args.documents / r['seconds']:.2f} | {sentences / r['seconds']:.1f} "
            f"| {first['seconds'] / r['seconds']:.2f} | {peaks} | {r['main_mb']} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    append_block(text)


if __name__ == "__main__":
    main()
