"""Scale: documents/s, sentences/s and peak memory of ``code`` and ``backfill``, and the
pre-filter's pass rate and loss, on ordinary news and on the event-dense corpus.

Usage: ``python benchmarks/scale.py [--documents 400] [--memory 200,1000]``

Every run is a child process, so its peak memory (max RSS) is its own; runs with worker
processes also report the largest worker. Ray workers are not children of the driver,
so only the driver's memory is reported for them. "bare" is spaCy's ``nlp.pipe`` over
the same texts in the same run: the ratio column is rate / bare rate. Figures are
printed and appended to ``benchmarks/results.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from news_corpus import ordinary_news
from results_log import append_block, machine

CORPORA = ("ordinary", "dense")


def records(corpus: str, documents: int) -> list[dict]:
    if corpus == "ordinary":
        return ordinary_news(documents)
    from throughput import corpus as dense_texts

    texts, _, _ = dense_texts(1)
    return [
        {"id": f"dense-{i:07d}", "published": "2025-03-01", "text": texts[i % len(texts)]}
        for i in range(documents)
    ]


def write_shard(corpus: str, documents: int, folder: Path) -> Path:
    path = folder / f"{corpus}.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for record in records(corpus, documents):
            handle.write(json.dumps(record) + "\n")
    return path


def count_sentences(shard: Path) -> int:
    from detente.backfill.sources import read_shard
    from detente.ingest.models import Document
    from detente.nlp.sentences import split_sentences

    return sum(
        len(split_sentences(d.clean_text))
        for d in read_shard(str(shard))
        if isinstance(d, Document)
    )


def measure(run: str, corpus: str, documents: int, workers: int) -> dict:
    """One run in this (child) process; the corpus is written and cleaned before timing."""
    folder = Path(tempfile.mkdtemp(prefix="detente-scale-"))
    shard = write_shard(corpus, documents, folder)
    out: dict = {}
    if run == "bare":
        from detente.backfill.sources import read_shard
        from detente.nlp.model import load_model

        texts = [d.clean_text for d in read_shard(str(shard)) if hasattr(d, "clean_text")]
        nlp = load_model()
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32):
            pass
    elif run == "code":
        from detente.ingest.pipeline import ingest
        from detente.pipeline import code_database
        from detente.store.db import connect

        db = folder / "store.db"
        ingest(connect(db), [str(shard)])
        start = time.perf_counter()
        summary = code_database(db, processes=workers)
        out["records"] = summary.events + summary.positions
        workers_mb = [mb for name, mb in summary.peak_mb.items() if name.startswith("worker")]
        out["pool_mb"] = round(max(workers_mb, default=0))
    else:
        from detente.backfill.run import backfill

        engine = "ray" if run == "ray" else "local"
        if engine == "ray":
            import ray

            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
        start = time.perf_counter()
        result = backfill([str(shard)], str(folder / "out"), engine=engine, jobs=workers)
        out["records"] = result.summary.events + result.summary.positions
    elapsed = time.perf_counter() - start
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    worker_mb = max(round(worker_mb), out.pop("pool_mb", 0))
    return {"seconds": round(elapsed, 1), "peak_mb": round(self_mb), "worker_mb": worker_mb, **out}


def prefilter(corpus: str, documents: int) -> dict:
    """Share of sentences the pre-filter sends to the parser, and the records it costs:
    every record found when every sentence is parsed but not with the filter. "With an
    actor" counts the lost records whose actor the dictionary codes."""
    from detente.ingest.models import Document
    from detente.ingest.parse import from_jsonl_line
    from detente.nlp.sentences import split_sentences
    from detente.pipeline import code_stream, make_coder

    docs = [
        from_jsonl_line(json.dumps(r), f"{corpus}:{i}")
        for i, r in enumerate(records(corpus, documents))
    ]
    docs = [d for d in docs if isinstance(d, Document)]
    on, off = make_coder(), make_coder(use_prefilter=False)
    sentences = [s for d in docs for s in split_sentences(d.clean_text)]
    passed = sum(on.keep(s) for s in sentences)

    def found(coder) -> dict[str, bool]:
        kept = {}
        for coded in code_stream(docs, coder=coder):
            for e in coded.events:
                kept[e.id] = any(a.code for a in e.actor)
            for p in coded.positions:
                kept[p.id] = bool(p.actor.code)
        return kept

    with_filter, without = found(on), found(off)
    lost = [k for k in without if k not in with_filter]
    return {
        "sentences": len(sentences),
        "passed": passed,
        "records_unfiltered": len(without),
        "lost": len(lost),
        "lost_with_actor": sum(without[k] for k in lost),
    }


def child(args: list[str]) -> dict:
    cmd = [sys.executable, __file__, "--child", *args]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


RUNS = [
    ("bare", 1, "bare spaCy `nlp.pipe`"),
    ("code", 1, "`detente code -j 1`"),
    ("code", 2, "`detente code -j 2`"),
    ("local", 1, "`backfill --engine local -j 1`"),
    ("local", 2, "`backfill --engine local -j 2`"),
    ("ray", 1, "`backfill --engine ray -j 1` (local Ray)"),
    ("ray", 2, "`backfill --engine ray -j 2` (local Ray)"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=400)
    parser.add_argument("--dense-documents", type=int, default=100)
    parser.add_argument("--memory", default="200,1000", help="document counts for peak memory")
    parser.add_argument("--prefilter-documents", type=int, default=150)
    parser.add_argument("--parts", default="rates,memory,prefilter", help="what to measure")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "prefilter":
            print(json.dumps(prefilter(rest[0], int(rest[1]))))
        else:
            print(json.dumps(measure(kind, rest[0], int(rest[1]), int(rest[2]))))
        return
    parts = set(args.parts.split(","))
    command = (
        f"python benchmarks/scale.py --parts {args.parts} --documents {args.documents} "
        f"--dense-documents "
        f"{args.dense_documents} --memory {args.memory} --prefilter-documents "
        f"{args.prefilter_documents}"
    )
    lines = [
        f"\n## Scale — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"machine: {machine()}, load average {os.getloadavg()[0]:.1f} at the start; "
        f"command: `{command}`",
        "",
    ]
    if "rates" in parts:
        lines += [
            "| corpus | run | documents | sentences | seconds | documents/s | sentences/s "
            "| ratio to bare | peak MB (driver / largest worker) | records |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
    for corpus, documents in (("ordinary", args.documents), ("dense", args.dense_documents)):
        if "rates" not in parts:
            break
        folder = Path(tempfile.mkdtemp(prefix="detente-scale-"))
        sentences = count_sentences(write_shard(corpus, documents, folder))
        bare_rate = None
        for run, workers, label in RUNS:
            if corpus == "dense" and run == "ray":
                continue
            r = child([run, corpus, str(documents), str(workers)])
            rate = sentences / r["seconds"]
            bare_rate = bare_rate or rate
            lines.append(
                f"| {corpus} | {label} | {documents} | {sentences} | {r['seconds']} "
                f"| {documents / r['seconds']:.1f} | {rate:.0f} | {rate / bare_rate:.2f} "
                f"| {r['peak_mb']} / {r['worker_mb']} | {r.get('records', '')} |"
            )
            print(lines[-1], flush=True)
    if "memory" in parts:
        lines += ["", "| corpus | run | documents | seconds | peak MB (driver / largest worker) |",
                  "|---|---|---|---|---|"]  # fmt: skip
    for documents in (int(n) for n in args.memory.split(",") if "memory" in parts):
        for run, workers in (("code", 1), ("local", 2)):
            r = child([run, "ordinary", str(documents), str(workers)])
            lines.append(
                f"| ordinary | {run} -j {workers} | {documents} | {r['seconds']} "
                f"| {r['peak_mb']} / {r['worker_mb']} |"
            )
            print(lines[-1], flush=True)
    if "prefilter" in parts:
        lines += ["", "| corpus | sentences | passed to the parser "
                  "| records, every sentence parsed | lost with the filter "
                  "| lost with a coded actor |",
                  "|---|---|---|---|---|---|"]  # fmt: skip
    for corpus, documents in (
        ("ordinary", args.prefilter_documents),
        ("dense", args.dense_documents),
    ):
        if "prefilter" not in parts:
            break
        p = child(["prefilter", corpus, str(documents)])
        lines.append(
            f"| {corpus} ({documents} documents) | {p['sentences']} "
            f"| {p['passed']} ({p['passed'] / p['sentences']:.1%}) | {p['records_unfiltered']} "
            f"| {p['lost']} | {p['lost_with_actor']} |"
        )
        print(lines[-1], flush=True)
    text = "\n".join(lines) + "\n"
    print(text)
    append_block(text)


if __name__ == "__main__":
    main()
