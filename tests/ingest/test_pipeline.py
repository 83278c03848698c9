"""De-duplication, story clusters, idempotent re-ingest and atomic writes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from subprocess import PIPE

import pytest

from detente.ingest import fingerprint
from detente.ingest.pipeline import ingest
from detente.store import documents
from detente.store.db import LOOKUP_CACHE_KIB, connect

STORY = (
    "Russia and Ukraine exchanged 390 prisoners each on Friday in the first stage of a swap "
    "agreed at talks in Istanbul, the defence ministries of both countries said. Ukrainian "
    "President Volodymyr Zelensky said more soldiers and civilians would come home over the "
    "weekend. The Russian Defence Ministry said the exchange was mediated by the United Arab "
    "Emirates and that wounded servicemen were flown to Moscow for treatment."
)
REWRITE = (
    STORY.replace("exchanged", "swapped")
    .replace("weekend", "coming days")
    .replace("wounded servicemen were flown", "wounded soldiers were taken")
)
OTHER = (
    "US Secretary of State Marco Rubio said on Thursday that Washington could walk away from "
    "mediation within days unless both sides showed they were serious about a ceasefire. "
    "Sergei Lavrov said Moscow remained open to talks but rejected any deployment of European "
    "troops in Ukraine."
)


@pytest.fixture
def conn(tmp_path: Path):
    connection = connect(tmp_path / "test.db")
    yield connection
    connection.close()


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_reingest_is_idempotent(conn, tmp_path):
    paths = [write(tmp_path / "a.txt", STORY), write(tmp_path / "b.txt", OTHER)]
    first = ingest(conn, paths)
    second = ingest(conn, paths)
    assert first.ingested == 2 and not first.duplicates
    assert second.ingested == 0 and second.duplicates == 2
    assert sorted(documents.cluster_mentions(conn).values()) == [1, 1]
    assert conn.execute("SELECT COUNT(*) FROM cluster_sources").fetchone()[0] == 2


def test_exact_copy_from_other_origin_adds_mention_not_document(conn, tmp_path):
    original = write(tmp_path / "a.txt", STORY)
    copy = write(tmp_path / "copy.txt", "  " + STORY.upper().replace(".", " .") + "\n")
    report = ingest(conn, [original, copy])
    assert report.ingested == 1 and report.duplicates == 1
    (doc,) = documents.list_documents(conn)
    assert documents.cluster_mentions(conn) == {doc.cluster_id: 2}
    origins = {s["origin"] for s in documents.cluster_sources(conn, doc.cluster_id)}
    assert origins == {original, copy}


def test_near_duplicate_joins_cluster_across_runs(conn, tmp_path):
    ingest(conn, [write(tmp_path / "a.txt", STORY), write(tmp_path / "c.txt", OTHER)])
    report = ingest(conn, [write(tmp_path / "b.txt", REWRITE)])
    assert report.near_duplicates == 1
    stored = {Path(d.origin).name: d for d in documents.list_documents(conn)}
    assert stored["b.txt"].cluster_id == stored["a.txt"].cluster_id != stored["c.txt"].cluster_id
    assert stored["b.txt"].meta["near_duplicate_of"] == stored["a.txt"].doc_id
    assert documents.cluster_mentions(conn)[stored["a.txt"].cluster_id] == 2
    blob = conn.execute("SELECT minhash FROM documents WHERE doc_id = ?", (stored["a.txt"].doc_id,))
    assert len(blob.fetchone()[0]) == 128 * 8


def test_jsonl_id_reused_for_different_text_is_rejected(conn, tmp_path):
    path = tmp_path / "w.jsonl"
    path.write_text(
        json.dumps({"id": "w1", "text": STORY}) + "\n" + json.dumps({"id": "w1", "text": OTHER}),
        encoding="utf-8",
    )
    settled = []
    report = ingest(conn, [str(path)], on_item=lambda outcome, item: settled.append(outcome))
    assert settled == ["ingested", "rejected"] and report.ingested == 1
    assert documents.get(conn, "w1").clean_text.startswith("Russia")
    assert "already used" in report.rejected[0].reason


def test_exception_mid_write_leaves_nothing_half_written(conn, tmp_path, monkeypatch):
    good = write(tmp_path / "a.txt", OTHER)
    ingest(conn, [good])

    def fail(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(documents, "add_mention", fail)
    with pytest.raises(KeyboardInterrupt):
        ingest(conn, [write(tmp_path / "b.txt", STORY)])
    assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 1
    assert conn.execute("SELECT COUNT(*) FROM clusters").fetchone()[0] == 1
    assert conn.execute("SELECT COUNT(*) FROM cluster_sources").fetchone()[0] == 1
    monkeypatch.undo()
    assert ingest(conn, [str(tmp_path / "b.txt")]).ingested == 1


def test_examples_corpus_ingests_with_one_near_duplicate(conn):
    examples = Path(__file__).resolve().parents[2] / "examples"
    near = []

    def note(outcome, item) -> None:
        if outcome == "near-duplicate":
            near.append(item.doc_id)

    report = ingest(
        conn, [str(examples / "articles"), str(examples / "articles.jsonl")], on_item=note
    )
    assert not report.rejected
    assert near == ["wire-06"] and report.near_duplicates == 1
    assert report.ingested == 10
    ends = re.compile(r"[.!?][\"”]?(\s|$)")
    sentences = sum(len(ends.findall(d.clean_text)) for d in documents.list_documents(conn))
    assert 40 <= sentences <= 80


def test_near_duplicate_index_lives_in_the_store_and_is_not_rebuilt(conn, tmp_path, monkeypatch):
    """Issue 10: each run rebuilt MinHash LSH from every stored signature."""
    ingest(conn, [write(tmp_path / "a.txt", STORY), write(tmp_path / "c.txt", OTHER)])
    buckets = conn.execute("SELECT doc_id, COUNT(*) FROM lsh_buckets GROUP BY doc_id").fetchall()
    assert sorted(count for _, count in buckets) == [fingerprint.BANDS] * 2

    def no_rebuild(blob):
        raise AssertionError("a stored signature was loaded to rebuild the index")

    monkeypatch.setattr(fingerprint, "from_bytes", no_rebuild)
    report = ingest(conn, [write(tmp_path / "b.txt", REWRITE)])
    assert report.near_duplicates == 1


def test_store_without_buckets_is_indexed_once(conn, tmp_path):
    """Signatures stored before the buckets existed are bucketed by the next run."""
    ingest(conn, [write(tmp_path / "a.txt", STORY), write(tmp_path / "c.txt", OTHER)])
    conn.execute("DELETE FROM lsh_buckets")
    report = ingest(conn, [write(tmp_path / "b.txt", REWRITE)])
    assert report.near_duplicates == 1
    assert conn.execute("SELECT COUNT(DISTINCT doc_id) FROM lsh_buckets").fetchone()[0] == 3


def test_only_documents_without_buckets_are_read_to_index_them(conn, tmp_path):
    """One document lost its buckets: the next run reads its signature, not the others'."""
    ingest(conn, [write(tmp_path / "a.txt", STORY), write(tmp_path / "c.txt", OTHER)])
    (lost,) = conn.execute("SELECT doc_id FROM documents WHERE clean_text LIKE 'US%'").fetchone()
    conn.execute("DELETE FROM lsh_buckets WHERE doc_id = ?", (lost,))
    assert [doc_id for doc_id, _ in documents.unbucketed(conn, 10)] == [lost]
    ingest(conn, [write(tmp_path / "b.txt", REWRITE)])
    assert documents.unbucketed(conn, 10) == []


def test_ingest_reads_the_store_through_a_bounded_cache_and_restores_it(conn, tmp_path):
    """Issue 10: mmap'd store pages count in resident memory, so a run whose near-copy
    candidates lie all over a large store grew with it; ingest reads without the mapping
    and hands the connection back as it was (the analyses want their mmap)."""

    def settings() -> list[int]:
        return [conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("mmap_size", "cache_size")]

    before, during = settings(), []
    assert before[0] > 0
    ingest(conn, [write(tmp_path / "a.txt", STORY)], on_item=lambda *_: during.append(settings()))
    assert during == [[0, -LOOKUP_CACHE_KIB]]
    assert settings() == before


def make_corpus(folder: Path, count: int) -> Path:
    folder.mkdir()
    for number in range(count):
        text = f"{STORY} Report number {number} from the {number}th correspondent. {OTHER}"
        write(folder / f"{number:03d}.txt", text if number % 3 else STORY)
    return folder


@pytest.mark.slow
def test_two_ingest_runs_of_the_same_input_both_succeed(tmp_path):
    """Issue 9: the second of two concurrent runs crashed (UNIQUE constraint failed)."""
    corpus = make_corpus(tmp_path / "in", 60)
    db = tmp_path / "two.db"
    connect(db).close()
    command = [sys.executable, "-m", "detente.cli.main", "ingest", str(corpus), "--db", str(db)]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    runs = [subprocess.Popen(command, env=env, stdout=PIPE, stderr=PIPE) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (_out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err.decode()
        assert b"Traceback" not in err
    again = subprocess.run(command, env=env, capture_output=True, timeout=300)
    assert again.returncode == 0 and b"stored 0 documents" in again.stdout
    check = connect(db)
    try:
        stored = check.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        sources = check.execute("SELECT COUNT(*) FROM cluster_sources").fetchone()[0]
        mentions = sum(documents.cluster_mentions(check).values())
    finally:
        check.close()
    assert stored == 41  # every third file is the same story
    assert sources == mentions == 60
