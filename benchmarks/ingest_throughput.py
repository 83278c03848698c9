"""Ingest throughput, and the cost of an incremental ingest into a large store.

Run: ``python benchmarks/ingest_throughput.py [--docs N]`` for documents/s into a fresh
SQLite file, or ``--store 20000 --add 100`` for the time to add 100 new documents to
a store already holding 20,000 (the daily case after a backfill: it must not grow
with the store). Prints the figures and appends a dated line to
``benchmarks/results.md``; ``--label`` names the code measured (e.g. a revision).
The story generator is shared with ``near_duplicates.py``: stories reuse actors,
places and phrasing on purpose, so that unrelated stories look alike on the surface.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from results_log import append_line

from detente.ingest.pipeline import ingest
from detente.store.db import connect

ACTORS = [
    "Zelensky",
    "Putin",
    "Lavrov",
    "Rubio",
    "Witkoff",
    "Erdogan",
    "Peskov",
    "Umerov",
    "Sybiha",
    "Medinsky",
    "Macron",
    "Starmer",
]
PLACES = [
    "Istanbul",
    "Riyadh",
    "Jeddah",
    "Geneva",
    "Kharkiv",
    "Odesa",
    "Kyiv",
    "Moscow",
    "Zaporizhzhia",
    "Sumy",
    "Dnipro",
    "Abu Dhabi",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TEMPLATES = [
    "{a} said on {d} that talks in {p} could resume within {n} days.",
    "Russia and Ukraine exchanged {n} prisoners of war each on {d} in a swap mediated in {p}.",
    "A drone strike on {p} killed {n} people and wounded {m} overnight, officials said.",
    "{a} demanded that sanctions be lifted before any agreement on a ceasefire.",
    "{b} rejected the demand and said NATO membership was not up for negotiation.",
    "{a} warned that forces sent to {p} would be treated as legitimate targets.",
    "{b} proposed a {n}-day ceasefire covering strikes on energy facilities.",
    "Delegations met in {p} on {d} for about {n} hours, according to {b}.",
    "{a} has yet to agree to a meeting with {b}, a spokesman said on {d}.",
    "The talks might produce a memorandum on territory, {b} told reporters in {p}.",
    "{a} accused {b} of dragging out the negotiations and of preparing a new offensive.",
    "Officials in {p} said air defences shot down {n} of {m} drones launched overnight.",
]


def story(rng: random.Random, sentences: int = 8) -> str:
    a, b = rng.sample(ACTORS, 2)
    lines = []
    for template in rng.sample(TEMPLATES, sentences):
        lines.append(
            template.format(
                a=a,
                b=b,
                p=rng.choice(PLACES),
                d=rng.choice(DAYS),
                n=rng.randint(2, 500),
                m=rng.randint(2, 900),
            )
        )
    title = f"{a} and {b}: talks in {rng.choice(PLACES)}"
    return title + "\n\n" + " ".join(lines[:4]) + "\n\n" + " ".join(lines[4:])


def write_articles(folder: Path, count: int, rng: random.Random, prefix: str = "") -> None:
    folder.mkdir(parents=True)
    for number in range(count):
        text = f"{story(rng)}\n\nLeave a Reply\nYour email address will not be published."
        (folder / f"{prefix}{number:05d}.txt").write_text(text, encoding="utf-8")


def incremental(store_docs: int, added: int, label: str) -> str:
    """Seconds to ingest ``added`` new documents into a store of ``store_docs``."""
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        write_articles(Path(tmp) / "backfill", store_docs, rng)
        write_articles(Path(tmp) / "today", added, rng, prefix="new-")
        conn = connect(Path(tmp) / "bench.db")
        started = time.perf_counter()
        ingest(conn, [str(Path(tmp) / "backfill")])
        filled = time.perf_counter() - started
        stored = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        started, cpu = time.perf_counter(), time.process_time()
        report = ingest(conn, [str(Path(tmp) / "today")])
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        conn.close()
    new = report.ingested + report.near_duplicates
    return (
        f"ingest_throughput incremental{f' ({label})' if label else ''}: {added} docs added to a "
        f"{stored}-doc store in {elapsed:.2f} s, {cpu:.2f} s CPU ({new} stored, "
        f"{report.duplicates} duplicates); filling the store took {filled:.1f} s"
        f" = {store_docs / filled:.0f} docs/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--store", type=int, help="Measure adding --add docs to a store this big.")
    parser.add_argument("--add", type=int, default=100)
    parser.add_argument("--label", default="", help="Names the code measured in the result line.")
    args = parser.parse_args()
    if args.store:
        line = incremental(args.store, args.add, args.label)
        print(line)
        append_line(line)
        return
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        write_articles(folder, args.docs, rng)
        conn = connect(Path(tmp) / "bench.db")
        started = time.perf_counter()
        report = ingest(conn, [str(folder)])
        elapsed = time.perf_counter() - started
        conn.close()
    stored = report.ingested + report.near_duplicates
    rate = args.docs / elapsed
    line = (
        f"ingest_throughput: {args.docs} docs in {elapsed:.2f} s = {rate:.0f} docs/s "
        f"(stored {stored}, duplicates {report.duplicates}, rejected {len(report.rejected)})"
    )
    print(line)
    append_line(line)


if __name__ == "__main__":
    main()
