"""Do two versions of the coder produce the same records? A check for speed work.

Usage::

    python benchmarks/same_records.py --write before.json      # on the old code
    python benchmarks/same_records.py --compare before.json    # on the new code

A change that only makes coding cheaper (a lossless pre-filter, a cache, a pattern compiled
once) must leave every record as it was. This codes a fixed corpus — the project's example
articles, ``news_corpus.ordinary_news`` and, when ``../shared`` is present, the seed articles
and the real-news development texts — with events, positions and process candidates, and
writes them in a canonical form (or compares them with a file written earlier, listing each
record that differs). It times nothing: the throughput benchmark does that. Snapshots hold
text from ``../shared``, so write them outside the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from news_corpus import ordinary_news

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"


def documents(ordinary: int) -> list:
    """The fixed corpus, in a fixed order."""
    from detente.evaluation.realnews import read_article
    from detente.ingest.models import Document
    from detente.ingest.parse import from_jsonl_line
    from detente.ingest.reader import iter_documents

    inputs = [str(ROOT / "examples")]
    if (SHARED / "seed-articles").is_dir():
        inputs.append(str(SHARED / "seed-articles"))
    docs = [d for d in iter_documents(inputs) if isinstance(d, Document)]
    for i, record in enumerate(ordinary_news(ordinary)):
        doc = from_jsonl_line(json.dumps(record), f"ordinary:{i}")
        if isinstance(doc, Document):
            docs.append(doc)
    docs += [read_article(p) for p in sorted((SHARED / "realnews-dev").glob("rd*.txt"))]
    return docs


def _portable(origin: str) -> str:
    """``origin`` without this checkout's location, so two checkouts' snapshots compare."""
    for base in (ROOT, ROOT.parent):
        if origin.startswith(f"{base}/"):
            return origin[len(str(base)) + 1 :]
    return origin


def snapshot(ordinary: int) -> dict[str, dict]:
    """Every document's records, keyed by document (origin and position in the corpus)."""
    from detente.pipeline import code_stream

    out: dict[str, dict] = {}
    for number, coded in enumerate(code_stream(documents(ordinary), positions=True)):
        key = f"{number:04d} {_portable(coded.document.origin or coded.document.doc_id)}"
        out[key] = {
            "error": coded.error,
            "events": [e.model_dump(mode="json") for e in coded.events],
            "positions": [p.model_dump(mode="json") for p in coded.positions],
            "process": [r.model_dump(mode="json") for r in coded.process_records],
        }
    return out


def differences(old: dict[str, dict], new: dict[str, dict]) -> list[str]:
    """One line per record (or document) that is not the same in both snapshots."""
    lines = []
    for key in sorted(old.keys() | new.keys()):
        if key not in old or key not in new:
            lines.append(f"{key}: only in the {'new' if key in new else 'old'} snapshot")
            continue
        for kind in ("error", "events", "positions", "process"):
            a, b = old[key][kind], new[key][kind]
            if a == b:
                continue
            if not isinstance(a, list):
                lines.append(f"{key}: {kind} {a!r} → {b!r}")
                continue
            gone = [r for r in a if r not in b]
            added = [r for r in b if r not in a]
            for record in gone:
                lines.append(f"{key}: {kind} lost {json.dumps(record)[:300]}")
            for record in added:
                lines.append(f"{key}: {kind} new {json.dumps(record)[:300]}")
            if not gone and not added:
                lines.append(f"{key}: {kind} in another order")
    return lines


def count(snap: dict[str, dict]) -> str:
    totals = {k: sum(len(d[k]) for d in snap.values()) for k in ("events", "positions", "process")}
    return f"{len(snap)} documents, " + ", ".join(f"{v} {k}" for k, v in totals.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ordinary", type=int, default=100, help="generated news documents")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path, help="write the snapshot here")
    group.add_argument("--compare", type=Path, help="compare with a snapshot written earlier")
    args = parser.parse_args()
    snap = snapshot(args.ordinary)
    print(count(snap))
    if args.write:
        args.write.write_text(json.dumps(snap, sort_keys=True, ensure_ascii=False), "utf-8")
        return
    old = json.loads(args.compare.read_text("utf-8"))
    diff = differences(old, snap)
    for line in diff:
        print(line)
    print(f"{len(diff)} differences with {args.compare} ({count(old)})")
    sys.exit(1 if diff else 0)


if __name__ == "__main__":
    main()
