"""The composed stages: sentence pre-filter, coding streams, one-shot extraction, seed articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.coding.coder import EventCoder
from detente.ingest.models import Document
from detente.ingest.reader import iter_documents
from detente.nlp.pipeline import parse_documents
from detente.pipeline import code_stream, extract_records, make_coder

FIXTURES = Path(__file__).resolve().parent / "fixtures"
QUIET = "The weather in Paris was mild on Sunday. Markets were calm in the afternoon."
MIXED = [
    Document(
        doc_id="m1",
        clean_text=(
            "Talks stall in the south\n\nThe weather was mild. Ukraine was attacked by Russia "
            "on Thursday. Markets were calm.\n\nIt also criticized Brussels."
        ),
        published="2024-05-02",
    ),
    Document(doc_id="m2", clean_text=QUIET, published="2024-05-02"),
    Document(
        doc_id="m3",
        clean_text=(
            "Egypt and Qatar will meet next week to discuss the ceasefire. Israel has yet to "
            "agree to the proposal.\n\nThe United States imposed sanctions on Iran."
        ),
        published="2024-09-15",
    ),
]


@pytest.fixture(scope="module")
def coder(nlp) -> EventCoder:
    return EventCoder(nlp=nlp)


def test_document_without_trigger_is_not_parsed(nlp, coder):
    (doc,) = parse_documents(nlp, [QUIET], keep=coder.keep)
    assert doc.text == QUIET
    assert not any(t.pos_ or t.dep_ not in {"ROOT", "dep"} for t in doc)
    (full,) = parse_documents(nlp, [QUIET], keep=None)
    assert all(t.pos_ for t in full)


def test_only_sentences_with_a_trigger_are_parsed(nlp, coder):
    text = "The weather was mild. Russia attacked Ukraine. Markets were calm."
    (doc,) = parse_documents(nlp, [text], keep=coder.keep)
    parsed = [bool(s.root.pos_) for s in doc.sents]
    assert parsed == [False, True, False]
    assert doc.text == text


def test_prefilter_does_not_change_the_events(nlp, coder):
    without = EventCoder(nlp=nlp, use_prefilter=False)
    assert without.keep is None
    filtered = [c.events for c in coder.code_documents(MIXED)]
    full = [c.events for c in without.code_documents(MIXED)]
    assert [e.model_dump() for es in filtered for e in es] == [
        e.model_dump() for es in full for e in es
    ]
    assert sum(len(es) for es in filtered) >= 4


def test_prefilter_does_not_change_the_positions(nlp):
    examples = Path(__file__).resolve().parents[1] / "examples"
    docs = [d for d in iter_documents([str(examples)]) if isinstance(d, Document)]
    assert len(docs) >= 5
    filtered = list(code_stream(docs, coder=make_coder(nlp=nlp)))
    full = list(code_stream(docs, coder=make_coder(nlp=nlp, use_prefilter=False)))
    dump = [[p.model_dump() for p in c.positions] for c in filtered]
    assert dump == [[p.model_dump() for p in c.positions] for c in full]
    assert sum(len(positions) for positions in dump) >= 10


def test_code_stream_yields_records_per_document(nlp):
    coder = make_coder(nlp=nlp)
    coded = list(code_stream(MIXED, coder=coder))
    assert [c.document.doc_id for c in coded] == ["m1", "m2", "m3"]
    assert coded[1].events == [] and coded[1].positions == []
    assert {e.event_type for e in coded[2].events} >= {"AGREE", "SANCTION"}
    assert all(e.doc_id == c.document.doc_id for c in coded for e in c.events)
    no_positions = list(code_stream(MIXED, coder=coder, positions=False))
    assert all(c.positions == [] and c.process_records == [] for c in no_positions)
    assert [len(c.events) for c in no_positions] == [len(c.events) for c in coded]


def test_extract_records_reads_jsonl_and_html():
    result = extract_records(
        [str(FIXTURES / "coding_articles.jsonl"), str(FIXTURES / "coding_article.html")],
        what={"events"},
    )
    assert [d.doc_id for d in result.documents][:3] == ["art-1", "art-2", "art-3"]
    assert len(result.documents) == 4 and not result.rejected
    assert result.positions == [] and result.process_records == []
    exchange = next(e for e in result.events if e.doc_id == "art-1")
    assert exchange.event_type == "RETREAT"
    assert sorted(q.value for q in exchange.quantities) == [230, 248]
    html_doc = result.documents[3]
    assert {e.doc_id for e in result.events} >= {"art-1", "art-2", "art-3", html_doc.doc_id}


def test_extract_records_reports_unreadable_inputs(tmp_path):
    result = extract_records([str(tmp_path / "missing.txt")])
    assert result.documents == [] and result.events == []
    assert len(result.rejected) == 1 and "missing.txt" in result.rejected[0].origin


# --- seed articles (reference material beside the checkout) ----------------------------------


@pytest.fixture(scope="module")
def seed_records(shared_dir, nlp):
    from detente.ingest.reader import iter_documents

    folder = shared_dir / "corpus" / "seed-articles"
    docs = list(iter_documents(sorted(str(p) for p in folder.glob("*.txt"))))
    assert len(docs) == 3
    return {
        Path(c.document.origin).name[:3]: c for c in code_stream(docs, coder=make_coder(nlp=nlp))
    }


def test_seed_000_has_the_prisoner_exchange(seed_records):
    events = seed_records["000"].events
    retreats = [e for e in events if e.event_type == "RETREAT"]
    values = {q.value for e in retreats for q in e.quantities}
    assert {215, 55} <= values
    released = next(e for e in retreats if 55 in {q.value for q in e.quantities})
    assert {a.code for a in released.actor} == {"UKR"}
    assert "RUS" in {r.code for r in released.recipient}


def test_seed_001_names_hegseth_as_a_us_actor(seed_records):
    coded = seed_records["001"]
    refs = [p.actor for p in coded.positions] + [a for e in coded.events for a in e.actor]
    hegseth = [r for r in refs if "Hegseth" in r.text]
    assert hegseth and all(r.code == "USA" for r in hegseth)


# --- coding a store: one bad document costs itself alone; caps and budgets say what they cut --


def _store(tmp_path, docs: list[Document]) -> Path:
    from detente.ingest.fingerprint import content_hash
    from detente.store import documents
    from detente.store.db import connect

    path = tmp_path / "s.db"
    conn = connect(path)
    for doc in docs:
        stored = Document(
            doc_id=doc.doc_id, clean_text=doc.clean_text, raw_text=doc.clean_text,
            published=doc.published, origin=f"{doc.doc_id}.txt",
            content_hash=content_hash(doc.clean_text), language=doc.language,
        )  # fmt: skip
        documents.insert_document(conn, stored, None)
    conn.close()
    return path


def _statuses(path: Path) -> dict[str, tuple]:
    from detente.store.db import connect

    conn = connect(path, readonly=True)
    rows = conn.execute("SELECT doc_id, status, coding_note FROM documents ORDER BY doc_id")
    return {r[0]: (r[1], r[2]) for r in rows}


@pytest.fixture
def failing_coder(nlp, monkeypatch):
    """A coder that raises on the document "m1" (as a coder bug would)."""
    import detente.pipeline as pipeline

    coder = make_coder(nlp=nlp)
    real = coder.code_parsed

    def code_parsed(document, parsed):
        if document.doc_id == "m1":
            raise ValueError("bad tree\nwith a second line")
        return real(document, parsed)

    monkeypatch.setattr(coder, "code_parsed", code_parsed)
    monkeypatch.setattr(pipeline, "make_coder", lambda **kw: coder)
    return coder


def test_one_failing_document_never_costs_its_batch(tmp_path, failing_coder):
    from detente.pipeline import code_database

    path = _store(tmp_path, MIXED)
    problems = []
    summary = code_database(path, on_problem=lambda d, m: problems.append((d, m)))
    assert summary.documents == 2 and summary.failed == 1
    assert problems == [("m1", "coding failed (ValueError: bad tree)")]
    statuses = _statuses(path)
    assert statuses["m1"] == ("failed", "coding failed (ValueError: bad tree)")
    assert statuses["m2"][0] == statuses["m3"][0] == "coded"
    assert summary.events >= 2  # m3's events are stored


def test_documents_in_other_languages_are_skipped_and_counted(tmp_path, nlp, monkeypatch):
    import detente.pipeline as pipeline

    coder = make_coder(nlp=nlp)
    monkeypatch.setattr(pipeline, "make_coder", lambda **kw: coder)
    russian = Document(doc_id="ru1", clean_text="Россия и Украина обменялись пленными.",
                       published="2024-05-02", language="ru")  # fmt: skip
    path = _store(tmp_path, [MIXED[2], russian])
    summary = pipeline.code_database(path)
    assert summary.documents == 1
    ((why, count),) = summary.skipped.items()
    assert count == 1 and "Russian" in why
    assert _statuses(path)["ru1"] == ("skipped", why)
    assert pipeline.code_database(path, recode=True).skipped == {}  # not queued again


def test_a_parse_failure_is_pinned_on_its_document(nlp, monkeypatch):
    import detente.nlp.pipeline as nlp_pipeline

    real = nlp_pipeline.split_sentences

    def split(text):
        if "Egypt" in text:
            raise RuntimeError("tokenizer blew up")
        return real(text)

    monkeypatch.setattr(nlp_pipeline, "split_sentences", split)
    coded = list(code_stream(MIXED, coder=make_coder(nlp=nlp)))
    assert [c.document.doc_id for c in coded] == ["m1", "m2", "m3"]
    assert [c.error for c in coded[:2]] == [None, None] and coded[0].events
    assert coded[2].error == "coding failed (RuntimeError: tokenizer blew up)"


def test_the_sentence_cap_codes_a_prefix_and_says_so(nlp):
    from detente.pipeline import CodingOptions

    text = "The weather was mild. " * 5 + "The United States imposed sanctions on Iran."
    doc = Document(doc_id="long", clean_text=text, published="2024-09-15")
    options = CodingOptions(max_sentences=5, time_budget=None)
    (capped,) = code_stream([doc], coder=make_coder(nlp=nlp), options=options)
    assert capped.events == []
    assert capped.note == "only the first 5 of 6 sentences coded (--max-sentences 5)"
    (whole,) = code_stream([doc], coder=make_coder(nlp=nlp))
    assert whole.note is None and {e.event_type for e in whole.events} == {"SANCTION"}


def test_a_document_over_its_time_budget_is_reported_not_stored(tmp_path, nlp, monkeypatch):
    import time

    import detente.pipeline as pipeline

    coder = make_coder(nlp=nlp)
    real = coder.code_parsed

    def slow(document, parsed):
        if document.doc_id == "m3":
            time.sleep(5)
        return real(document, parsed)

    monkeypatch.setattr(coder, "code_parsed", slow)
    monkeypatch.setattr(pipeline, "make_coder", lambda **kw: coder)
    path = _store(tmp_path, MIXED)
    options = pipeline.CodingOptions(time_budget=0.3)
    started = time.monotonic()
    summary = pipeline.code_database(path, options=options)
    assert time.monotonic() - started < 4.5
    assert summary.failed == 1 and summary.documents == 2
    status, note = _statuses(path)["m3"]
    assert status == "failed" and "time budget (0.3 s per document)" in note


def test_code_database_stores_what_code_stream_finds(tmp_path, nlp, monkeypatch):
    import detente.pipeline as pipeline
    from detente.positions.process_records import merge_process_records
    from detente.store.db import connect

    coder = make_coder(nlp=nlp)
    monkeypatch.setattr(pipeline, "make_coder", lambda **kw: coder)
    examples = Path(__file__).resolve().parents[1] / "examples"
    docs = [d for d in iter_documents([str(examples)]) if isinstance(d, Document)]
    path = _store(tmp_path, docs)
    pipeline.code_database(path)
    expected = list(code_stream(docs, coder=coder))
    conn = connect(path, readonly=True)
    events = sorted(r[0] for r in conn.execute("SELECT id FROM events"))
    assert events == sorted(e.id for c in expected for e in c.events)
    merged = merge_process_records([r for c in expected for r in c.process_records])
    assert merged
    stored = sorted(r[0] for r in conn.execute("SELECT record FROM process_records"))
    assert stored == sorted(r.model_dump_json() for r in merged)



def test_a_limit_codes_that_many_documents_and_leaves_the_rest_pending(tmp_path, nlp, monkeypatch):
    import detente.pipeline as pipeline

    coder = make_coder(nlp=nlp)
    monkeypatch.setattr(pipeline, "make_coder", lambda **kw: coder)
    path = _store(tmp_path, MIXED)
    first = pipeline.code_database(path, limit=2)
    assert first.documents == 2
    assert sorted(status for status, _ in _statuses(path).values()) == ["coded", "coded", "new"]
    assert pipeline.code_database(path, limit=2).documents == 1  # what was left
    assert {status for status, _ in _statuses(path).values()} == {"coded"}
    assert set(first.cpu_s) == set(first.peak_mb) == {"main"}


def test_pool_chunks_shrink_to_single_documents_at_the_end_of_a_run():
    from detente.pipeline import POOL_CHUNK, pool_chunk

    sizes = []
    left = 1000
    while left:
        sizes.append(pool_chunk(left, processes=2))
        left -= sizes[-1]
    assert sizes[0] == POOL_CHUNK and sizes[-8:] == [1] * 8
    assert sizes == sorted(sizes, reverse=True)

# --- faults and concurrency through the real command (subprocesses) ---------------------------

ROOT = Path(__file__).resolve().parents[1]
CORPUS = [str(ROOT / "examples"), str(FIXTURES / "coding_articles.jsonl")]


def _detente(*args: str, **kwargs):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
    return subprocess.Popen(
        [sys.executable, "-m", "detente.cli.main", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **kwargs,
    )


def _snapshot(path: Path) -> dict[str, list]:
    """Everything ``code`` derives, in a comparable form."""
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    found = {
        table: sorted(conn.execute(f"SELECT id, record FROM {table}"))
        for table in ("events", "positions", "process_records")
    }
    found["documents"] = sorted(conn.execute("SELECT doc_id, status, lease_owner FROM documents"))
    conn.close()
    return found


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("faults") / "ingested.db"
    done = _detente("ingest", *CORPUS, "--db", str(path))
    assert done.wait(timeout=300) == 0, done.stdout.read()
    return path


@pytest.fixture(scope="module")
def reference(ingested, tmp_path_factory) -> dict[str, list]:
    import shutil

    path = tmp_path_factory.mktemp("faults") / "reference.db"
    shutil.copy(ingested, path)
    done = _detente("code", "--db", str(path))
    assert done.wait(timeout=300) == 0, done.stdout.read()
    snapshot = _snapshot(path)
    assert len(snapshot["documents"]) >= 10 and len(snapshot["process_records"]) >= 5
    assert all(status == "coded" for _, status, _ in snapshot["documents"])
    return snapshot


def _coded(path: Path) -> int:
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT COUNT(*) FROM documents WHERE status = 'coded'").fetchone()[
                0
            ]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_code_killed_at_random_points_then_rerun_equals_an_uninterrupted_run(
    ingested, reference, tmp_path
):
    import random
    import shutil
    import signal
    import time

    rng = random.Random(9)
    path = tmp_path / "killed.db"
    shutil.copy(ingested, path)
    total = len(reference["documents"])
    kills = 0
    for _ in range(3):
        already = _coded(path)
        if already >= total - 1:
            break
        target = rng.randint(already + 1, total - 1)
        run = _detente("code", "--db", str(path))
        deadline = time.monotonic() + 120
        while _coded(path) < target and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.2))  # anywhere inside the next document's write, or not
        if run.poll() is None:
            run.send_signal(signal.SIGKILL)
            kills += 1
        run.wait()
    assert kills >= 1
    assert _coded(path) < total
    rerun = _detente("code", "--db", str(path))
    assert rerun.wait(timeout=300) == 0, rerun.stdout.read()
    assert _snapshot(path) == reference


@pytest.mark.slow
def test_two_code_runs_on_one_store_share_the_work_and_agree(ingested, reference, tmp_path):
    import re
    import shutil

    path = tmp_path / "shared.db"
    shutil.copy(ingested, path)
    runs = [_detente("code", "--db", str(path)) for _ in range(2)]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    counts = [int(re.search(r"coded (\d+) documents", out).group(1)) for out in outputs]
    assert sum(counts) == len(reference["documents"])  # nobody coded a document twice
    assert _snapshot(path) == reference


@pytest.mark.slow
def test_code_with_two_workers_equals_one(ingested, reference, tmp_path):
    import shutil

    path = tmp_path / "j2.db"
    shutil.copy(ingested, path)
    run = _detente("code", "-j", "2", "--db", str(path))
    out = run.communicate(timeout=300)[0]
    assert run.returncode == 0, out
    assert "peak memory: worker" in out
    assert _snapshot(path) == reference
