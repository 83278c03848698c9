"""Scale: documents/s, sentences/s and peak memory of ``code`` and ``backfill``, and the
pre-filter's pass rate and loss, on ordinary news and on the event-dense corpus.

Usage: ``python benchmarks/scale.py [--documents 400] [--memory 1000,20000,100000]
[--memory-coded 200] [--memory-new 1000]``

Every run is a child process, so its peak memory (max RSS) is its own; runs with worker
processes also report the largest worker. Ray workers are not children of the driver,
so only the driver's memory is reported for them. "bare" is spaCy's ``nlp.pipe`` over
the same texts in the same run: the ratio column is rate / bare rate.

Memory flat in corpus size: coding 100k documents takes hours on two cores, so the
memory part codes a fixed number (``--memory-coded``) of documents at each ``--memory``
size: ``code --limit`` from a store filled directly with that many documents (with their
MinHash signatures and LSH buckets, as ``ingest`` would leave them), ``ingest`` of
``--memory-new`` new documents into that store, and ``backfill`` (``-j 1`` and ``-j 2``)
of a JSONL file of that many lines whose documents past the coded ones are exact copies
of them (every line is read, cleaned and hashed; the copies are dropped, as syndicated
copies are). The set of hashes a backfill keeps to drop copies is the one thing that
grows with distinct documents; its size per document is measured on its own. Each run's
peak is its own high-water mark; its anonymous and file-backed peaks are sampled from
``/proc/<pid>/status`` by this process. Figures are printed and appended to
``benchmarks/results.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
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


def write_lines(path: Path, rows: list[dict], lines: int) -> Path:
    """``lines`` JSONL lines cycling through ``rows`` (past them, exact copies)."""
    with path.open("w", encoding="utf-8") as handle:
        for i in range(lines):
            handle.write(json.dumps(rows[i % len(rows)]) + "\n")
    return path


def proc_status(pid: int | str = "self") -> dict[str, int]:
    """The kB fields of ``/proc/<pid>/status`` (Linux; empty elsewhere or once it exited)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    fields = (line.split(":", 1) for line in text.splitlines() if line.endswith(" kB"))
    return {key: int(value.split()[0]) for key, value in fields}


def high_water_mb() -> int:
    """This process's peak resident memory. Not ``ru_maxrss``: on Linux that carries over
    exec the resident size of the process it was forked from (here the benchmark, which
    holds the generated corpus), so a child would report its parent's memory."""
    return round(proc_status().get("VmHWM", 0) / 1024)


def usage() -> dict:
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "peak_mb": high_water_mb(),
        "cpu": round(own.ru_utime + own.ru_stime, 1),
        "worker_cpu": round(workers.ru_utime + workers.ru_stime, 1),
    }


def measure_memory(run: str, path: str, workers: int, limit: int) -> dict:
    """One memory run on prepared inputs: ``ingest`` a JSONL file into the store beside
    it, ``code --limit`` from a store, or ``backfill`` a JSONL file."""
    start = time.perf_counter()
    out: dict = {}
    if run == "ingest":
        from detente.ingest.pipeline import ingest
        from detente.store.db import connect

        cpu = time.process_time()
        report = ingest(connect(Path(path).with_suffix(".db")), [path])
        out["ingest_cpu"] = round(time.process_time() - cpu, 1)
        out["stored"] = report.ingested + report.near_duplicates
    elif run == "code":
        from detente.pipeline import code_database

        summary = code_database(Path(path), processes=workers, limit=limit)
        out["coded"] = summary.documents
        out["workers_mb"] = [
            round(mb) for name, mb in summary.peak_mb.items() if name.startswith("worker")
        ]
    else:
        from detente.backfill.run import backfill

        result = backfill([path], str(Path(path).with_suffix(".out")), jobs=workers)
        out["coded"] = result.summary.documents
        out["copies"] = result.summary.duplicates
        if workers > 1:
            out["largest_worker_mb"] = round(
                resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            )
    return {"seconds": round(time.perf_counter() - start, 1), **usage(), **out}


def hash_set_mb(documents: int) -> float:
    """Memory of the set of content hashes a backfill keeps, for ``documents`` documents."""
    import tracemalloc

    from detente.backfill.local import SeenHashes
    from detente.ingest.fingerprint import content_hash

    tracemalloc.start()
    seen = SeenHashes()
    for i in range(documents):
        seen.add(content_hash(f"document {i}"))
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del seen
    return size / 1e6


def fill_store(path: Path, records: list[dict]) -> None:
    """The documents stored directly, in one transaction, with their MinHash signatures
    and LSH buckets (so the store's near-duplicate index is that of an ingested store),
    without ``ingest``'s cleaning and look-ups: the generated text is clean already, and
    ingesting 100k documents takes over an hour on two busy cores."""
    from detente.ingest import fingerprint
    from detente.ingest.models import Document
    from detente.store.db import connect, transaction
    from detente.store.documents import insert_document

    conn = connect(path)
    with transaction(conn):
        for i, record in enumerate(records):
            text = record["text"]
            doc = Document(
                doc_id=record["id"], clean_text=text, raw_text=text, origin=f"memory:{i}",
                published=record.get("published"), content_hash=fingerprint.content_hash(text),
            )  # fmt: skip
            signature = fingerprint.minhash(text)
            insert_document(
                conn, doc, fingerprint.to_bytes(signature), None, fingerprint.band_keys(signature)
            )
    conn.close()


def write_records(path: Path, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    return path


def memory_rows(sizes: list[int], coded: int, new: int, wanted: set[str]) -> list[str]:
    rows = [
        "",
        f"Memory in corpus size (generated ordinary news). `code` and `ingest`: a store "
        "holding the given number of documents, filled directly (one transaction, with "
        "MinHash signatures and LSH buckets, no `ingest`); `code --limit` codes "
        f"{coded} of them (all pending), `ingest` adds {new} new documents from a JSONL "
        "file (distinct stories from the same generator, so each is checked against the "
        f"stored index). `backfill`: a JSONL file of that many lines whose first {coded} "
        "are distinct and the rest exact copies of them, each line read, cleaned, hashed "
        f"and dropped as a copy ({coded} documents coded): coding 100k distinct documents "
        "takes hours here. Peak MB driver: VmHWM of the run's process; peak anonymous and "
        "file-backed memory: sampled every 20 ms from its /proc/<pid>/status by the "
        "benchmark (file-backed: shared libraries and the store pages SQLite reads through "
        "mmap).",
        "",
        "| documents (store or input) | run | seconds | CPU s (driver + workers) "
        "| peak MB driver | peak anon MB | peak file-backed MB | peak MB per worker |",
        "|---|---|---|---|---|---|---|---|",
    ]
    base = ordinary_news(coded)
    for size in sizes:
        folder = Path(tempfile.mkdtemp(prefix="detente-memory-"))
        store = folder / "store.jsonl"
        if wanted & {"code", "ingest"}:
            records = ordinary_news(size + new)
            fill_store(store.with_suffix(".db"), records[:size])
            write_records(store, records[size:])
            del records
        runs = [
            ("code", str(store), 1, f"`code -j 1 --limit {coded}`"),
            ("code", str(store), 2, f"`code -j 2 --limit {coded}`"),
            ("ingest", str(store), 1, f"`ingest` of {new} new documents (JSONL)"),
            ("backfill", str(folder / "copies.jsonl"), 1, "`backfill -j 1` (local)"),
            ("backfill", str(folder / "copies.jsonl"), 2, "`backfill -j 2` (local)"),
        ]
        if "backfill" in wanted:
            write_lines(folder / "copies.jsonl", base, size)
        for run, path, workers, label in runs:
            if run not in wanted:
                continue
            target = str(Path(path).with_suffix(".db")) if run == "code" else path
            r = sampled_child(["memory", run, target, str(workers), str(coded)])
            workers_mb = ", ".join(str(mb) for mb in r.get("workers_mb", [])) or "—"
            if "largest_worker_mb" in r:
                workers_mb = f"{r['largest_worker_mb']} (the largest)"
            cpu = f"{r['cpu']} + {r['worker_cpu']}"
            if "ingest_cpu" in r:
                cpu += f" (ingest itself {r['ingest_cpu']})"
            rows.append(
                f"| {size:,} | {label} | {r['seconds']} | {cpu} | {r['peak_mb']} "
                f"| {r['anon_mb']} | {r['file_mb']} | {workers_mb} |"
            )
            print(rows[-1], flush=True)
        shutil.rmtree(folder)
    rows += [
        "",
        f"Hashes kept by a backfill to drop copies: {hash_set_mb(100_000):.1f} MB per 100,000 "
        "distinct documents (tracemalloc).",
    ]
    return rows


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
    self_mb = high_water_mb()
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


def sampled_child(args: list[str], every_s: float = 0.02) -> dict:
    """:func:`child`, with its peak anonymous and file-backed resident memory sampled from
    its ``/proc/<pid>/status`` by this process every ``every_s`` (a sampling thread in the
    child would stop ``code -j N`` from forking its workers). Anonymous: Python objects,
    SQLite's page cache, the model; file-backed: shared libraries and the store pages
    SQLite reads through mmap (bounded by ``mmap_size``, reclaimable by the kernel). The
    two peaks need not fall at the same moment."""
    cmd = [sys.executable, __file__, "--child", *args]
    anon = file = 0
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as run:
        while run.poll() is None:
            status = proc_status(run.pid)
            anon = max(anon, status.get("RssAnon", 0))
            file = max(file, status.get("RssFile", 0))
            time.sleep(every_s)
        stdout, stderr = run.communicate()
    if run.returncode:
        raise subprocess.CalledProcessError(run.returncode, cmd, stdout, stderr)
    result = json.loads(stdout.strip().splitlines()[-1])
    return {**result, "anon_mb": round(anon / 1024), "file_mb": round(file / 1024)}


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
    parser.add_argument(
        "--memory", default="1000,20000,100000", help="input sizes (documents) for peak memory"
    )
    parser.add_argument(
        "--memory-coded", type=int, default=200, help="documents coded in each memory run"
    )
    parser.add_argument(
        "--memory-new", type=int, default=1000, help="documents each memory `ingest` adds"
    )
    parser.add_argument(
        "--memory-runs",
        default="ingest,code,backfill",
        help="memory runs (without ingest, the store is filled directly)",
    )
    parser.add_argument("--prefilter-documents", type=int, default=150)
    parser.add_argument("--parts", default="rates,memory,prefilter", help="what to measure")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "prefilter":
            print(json.dumps(prefilter(rest[0], int(rest[1]))))
        elif kind == "memory":
            print(json.dumps(measure_memory(rest[0], rest[1], int(rest[2]), int(rest[3]))))
        else:
            print(json.dumps(measure(kind, rest[0], int(rest[1]), int(rest[2]))))
        return
    parts = set(args.parts.split(","))
    command = (
        f"python benchmarks/scale.py --parts {args.parts} --documents {args.documents} "
        f"--dense-documents "
        f"{args.dense_documents} --memory {args.memory} --memory-coded {args.memory_coded} "
        f"--memory-new {args.memory_new} --memory-runs {args.memory_runs} "
        f"--prefilter-documents "
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
        sizes = [int(n) for n in args.memory.split(",")]
        lines += memory_rows(
            sizes, args.memory_coded, args.memory_new, set(args.memory_runs.split(","))
        )
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
    lines.append(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    text = "\n".join(lines) + "\n"
    print(text)
    append_block(text)


if __name__ == "__main__":
    main()
