"""How much of a Ray backfill sits in memory at once, as the corpus grows.

Usage::

    PYTHONPATH=src python benchmarks/ray_memory.py --documents 200 800 [--jobs 2] [--no-log]

For each size, writes two JSONL shards of generated ordinary news (``news_corpus``; every
tenth document repeated in the other shard, so copies are dropped), runs ``detente
backfill --engine ray`` on a fresh local Ray instance (``num_cpus = jobs``) and samples,
every 0.2 s:

- the object store's high-water mark: the memory allocated to this Ray instance's plasma
  file (in ``/dev/shm``; pages once written stay allocated, so the figure is the peak);
- the summed resident memory of the Ray processes (raylet, tasks, coding actors);
- the driver's own peak resident memory.

Run it against another version of the source (``PYTHONPATH=/elsewhere/src``) to compare
engines: it only calls :func:`detente.backfill.run.backfill`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from news_corpus import ordinary_news
from results_log import append_block, machine

MB = 1024 * 1024


def descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        children = [p for p, parent in parents.items() if parent == pid]
        found += children
        todo += children
    return found


def plasma_bytes(pids: list[int]) -> int:
    """Bytes allocated to the plasma files these processes hold open (the raylet's)."""
    files: dict[int, int] = {}
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if "plasma" in os.readlink(f"/proc/{pid}/fd/{fd}"):
                    stat = os.stat(f"/proc/{pid}/fd/{fd}")
                    files[stat.st_ino] = stat.st_blocks * 512
        except OSError:
            continue
    return sum(files.values())


def rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Sampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.shm = 0
        self.ray_rss = 0
        self.running = True

    def run(self) -> None:
        me = os.getpid()
        while self.running:
            pids = descendants(me)
            self.shm = max(self.shm, plasma_bytes(pids))
            self.ray_rss = max(self.ray_rss, sum(rss(p) for p in pids))
            time.sleep(0.2)


def write_shards(documents: int, folder: Path) -> tuple[list[Path], int]:
    records = ordinary_news(documents)
    half = len(records) // 2
    copies = [{**r, "id": r["id"] + "-copy"} for r in records[:half:10]]
    shards = [(records[:half], "a.jsonl"), (records[half:] + copies, "b.jsonl")]
    paths = []
    for rows, name in shards:
        path = folder / name
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        paths.append(path)
    return paths, sum(len(r["text"].encode()) for r in records + copies)


def one_run(documents: int, jobs: int) -> dict:
    """In this (child) process: one backfill on a fresh local Ray instance."""
    import ray

    from detente.backfill.run import backfill

    with tempfile.TemporaryDirectory() as tmp:
        shards, text_bytes = write_shards(documents, Path(tmp))
        ray.init(num_cpus=jobs, include_dashboard=False, log_to_driver=False)
        sampler = Sampler()
        sampler.start()
        started, cpu = time.perf_counter(), time.process_time()
        result = backfill([str(p) for p in shards], str(Path(tmp) / "out"), engine="ray",
                          jobs=jobs)  # fmt: skip
        wall = time.perf_counter() - started
        sampler.running = False
        sampler.join()
        ray.shutdown()
    return {
        "documents": result.summary.documents,
        "duplicates": result.summary.duplicates,
        "text_mb": text_bytes / MB,
        "store_mb": sampler.shm / MB,
        "ray_rss_mb": sampler.ray_rss / MB,
        "driver_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "wall_s": wall,
        "driver_cpu_s": time.process_time() - cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, nargs="+", default=[200, 800])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--label", default="", help="what is measured (engine version, load)")
    parser.add_argument("--no-log", action="store_true", help="print only")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_run(args.child, args.jobs)))
        return
    rows = []
    for size in args.documents:
        # a process per run: Ray's memory and the driver's peak start from nothing
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(size), "--jobs", str(args.jobs)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        m = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(
            f"| {size} | {m['documents']} | {m['duplicates']} | {m['text_mb']:.1f} |"
            f" {m['store_mb']:.1f} | {m['ray_rss_mb']:.0f} | {m['driver_mb']:.0f} |"
            f" {m['wall_s']:.0f} | {m['driver_cpu_s']:.1f} |"
        )
        print(rows[-1], flush=True)
    command = "PYTHONPATH=src python benchmarks/ray_memory.py " + " ".join(sys.argv[1:])
    text = (
        f"\n## Ray backfill memory {args.label}\n\n`{command}` · {machine()} · "
        f"load average at the end {os.getloadavg()[0]:.1f}\n\n"
        "| input docs | coded | copies dropped | text MB | object store peak MB |"
        " Ray processes peak RSS MB | driver peak MB | wall s | driver CPU s |\n"
        "|---|---|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )
    if not args.no_log:
        append_block(text)
    print(text)


if __name__ == "__main__":
    main()
