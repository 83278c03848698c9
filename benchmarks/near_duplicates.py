"""Near-duplicate precision and recall on a labelled synthetic set.

Originals are generated stories; rewrites are the same story with wire-desk edits
(synonyms, a dropped or added sentence, a new headline, a changed number); unrelated
stories reuse the same actors, places and sentence templates. Everything is ingested
through the real pipeline and a rewrite counts as found when it lands in its
original's cluster.

Run: ``python benchmarks/near_duplicates.py``; appends a dated line to results.md.
"""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

from ingest_throughput import story
from results_log import append_line

from detente.ingest.pipeline import ingest
from detente.store import documents
from detente.store.db import connect

SYNONYMS = {
    "said": "stated",
    "talks": "negotiations",
    "killed": "left dead",
    "proposed": "put forward",
    "rejected": "dismissed",
    "warned": "cautioned",
    "overnight": "during the night",
    "officials": "authorities",
}
ORIGINALS, UNRELATED = 150, 300


def rewrite(text: str, rng: random.Random) -> str:
    title, *paragraphs = text.split("\n\n")
    sentences = " ".join(paragraphs).split(". ")
    edits = rng.sample(["synonyms", "drop", "add", "title", "number"], k=rng.randint(2, 3))
    if "synonyms" in edits:
        for word, other in rng.sample(sorted(SYNONYMS.items()), 3):
            sentences = [s.replace(f" {word} ", f" {other} ", 1) for s in sentences]
    if "drop" in edits and len(sentences) > 4:
        sentences.pop(rng.randrange(1, len(sentences)))
    if "add" in edits:
        sentences.append("The agency could not independently verify the report")
    if "title" in edits:
        title = "UPDATE 1-" + title
    body = ". ".join(sentences)
    if "number" in edits:
        body = body.replace("0 ", "5 ", 1)
    return f"{title}\n\n{body}"


def main() -> None:
    rng = random.Random(11)
    originals = [story(rng) for _ in range(ORIGINALS)]
    records = [{"id": f"orig-{i}", "text": t} for i, t in enumerate(originals)]
    records += [{"id": f"edit-{i}", "text": rewrite(t, rng)} for i, t in enumerate(originals)]
    records += [{"id": f"other-{i}", "text": story(rng)} for i in range(UNRELATED)]
    tail = records[ORIGINALS:]
    rng.shuffle(tail)
    records[ORIGINALS:] = tail
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "set.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
        conn = connect(Path(tmp) / "nd.db")
        flagged: set[str] = set()

        def note(outcome, item) -> None:
            if outcome == "near-duplicate":
                flagged.add(item.doc_id)

        ingest(conn, [str(path)], on_item=note)
        cluster = {d.doc_id: d.cluster_id for d in documents.list_documents(conn)}
        conn.close()
    true_positive = sum(
        1 for i in range(ORIGINALS)
        if f"edit-{i}" in flagged and cluster[f"edit-{i}"] == cluster[f"orig-{i}"]
    )  # fmt: skip
    precision = true_positive / len(flagged) if flagged else 0.0
    recall = true_positive / ORIGINALS
    line = (
        f"near_duplicates: {ORIGINALS} originals + {ORIGINALS} rewrites + {UNRELATED} unrelated; "
        f"flagged {len(flagged)}, precision {precision:.3f}, recall {recall:.3f}"
    )
    print(line)
    append_line(line)


if __name__ == "__main__":
    main()
