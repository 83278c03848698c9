"""Ingest throughput: 1,000 generated plain-text articles into a fresh SQLite file.

Run: ``python benchmarks/ingest_throughput.py [--docs N]``. Prints documents/s and
appends a dated line to ``benchmarks/results.md``. The story generator is shared with
``near_duplicates.py``: stories reuse actors, places and phrasing on purpose, so that
unrelated stories look alike on the surface.
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for number in range(args.docs):
            text = f"{story(rng)}\n\nLeave a Reply\nYour email address will not be published."
            (folder / f"{number:05d}.txt").write_text(text, encoding="utf-8")
        conn = connect(Path(tmp) / "bench.db")
        started = time.perf_counter()
        report = ingest(conn, [str(folder)])
        elapsed = time.perf_counter() - started
        conn.close()
    stored = len(report.ingested) + len(report.near_duplicates)
    rate = args.docs / elapsed
    line = (
        f"ingest_throughput: {args.docs} docs in {elapsed:.2f} s = {rate:.0f} docs/s "
        f"(stored {stored}, duplicates {len(report.duplicates)}, rejected {len(report.rejected)})"
    )
    print(line)
    append_line(line)


if __name__ == "__main__":
    main()
