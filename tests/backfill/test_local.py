"""The local engine codes an archive exactly as ``detente ingest`` + ``detente code`` do."""

from __future__ import annotations

import pytest

from detente.backfill.parquet import DOCUMENTS, parts, read_documents
from detente.backfill.run import backfill, rejections
from tests.backfill.conftest import backfill_records, stored_records


@pytest.fixture(scope="module")
def local_out(archive, tmp_path_factory) -> str:
    out = str(tmp_path_factory.mktemp("local") / "out")
    backfill([str(archive)], out, batch_size=4)
    return out


def test_records_equal_detente_code(local_out, coded_store):
    found, expected = backfill_records(local_out), stored_records(coded_store)
    assert expected["events"] and expected["positions"] and expected["process"]
    assert found == expected


def test_exact_copies_dropped_and_bad_lines_reported(local_out):
    documents = [d for part in parts(local_out, DOCUMENTS) for d in read_documents(local_out, part)]
    ids = [d.doc_id for d in documents]
    assert len(ids) == len(set(ids)) == 9
    assert "copy-of-first" not in ids
    assert all(d.status == "coded" for d in documents)
    (bad,) = rejections(local_out)
    assert bad.origin.endswith("a.jsonl:7") and "not valid JSON" in bad.reason


def test_missing_input_is_rejected_and_the_run_goes_on(archive, tmp_path):
    out = str(tmp_path / "out")
    result = backfill([str(archive / "b.parquet"), str(tmp_path / "nope.jsonl")], out)
    assert result.summary.documents == 3
    assert [r.origin for r in result.missing] == [str(tmp_path / "nope.jsonl")]


def test_process_pool_gives_the_same_records(archive, local_out, tmp_path):
    out = str(tmp_path / "pool")
    backfill([str(archive)], out, jobs=2, batch_size=4)
    assert backfill_records(out) == backfill_records(local_out)
    assert parts(out, DOCUMENTS) == parts(local_out, DOCUMENTS)


def test_a_run_of_bad_lines_is_batched_not_held(tmp_path):
    import json

    from detente.backfill.batches import BatchSummary
    from detente.backfill.local import unique_batches

    shard = tmp_path / "bad.jsonl"
    good = {"id": "g", "text": "Russia and Ukraine exchanged prisoners on Monday."}
    shard.write_text("not json\n" * 10 + json.dumps(good) + "\n", encoding="utf-8")
    batches = list(unique_batches([str(shard)], 4, BatchSummary()))
    assert [(len(docs), len(bad)) for _, docs, bad in batches] == [(0, 4), (0, 4), (1, 2)]
    assert [first for first, _, _ in batches] == [
        "000000-000000000", "000000-000000004", "000000-000000008"
    ]  # fmt: skip


def test_documents_code_skips_are_rejections_naming_their_language(tmp_path):
    """A backfill codes what ``detente code`` codes: a document in a language the coder does
    not read is not coded; its line says why, as ``code`` reports it."""
    import json

    from detente.backfill.batches import BatchSummary
    from detente.backfill.local import unique_batches

    shard = tmp_path / "mixed.jsonl"
    english = {"id": "en", "text": "Russia and Ukraine exchanged prisoners, officials said."}
    russian = {"id": "ru", "text": "Россия и Украина в понедельник обменялись пленными, сообщили"
               " официальные лица обеих стран после долгих переговоров."}  # fmt: skip
    shard.write_text(json.dumps(english) + "\n" + json.dumps(russian) + "\n", encoding="utf-8")
    ((_, documents, rejected),) = list(unique_batches([str(shard)], 4, BatchSummary()))
    assert [d.doc_id for d in documents] == ["en"]
    (skipped,) = rejected
    assert skipped.origin.endswith("mixed.jsonl:2") and "Russian" in skipped.reason


def test_seen_hashes_tell_copies_from_new_documents():
    from detente.backfill.local import SeenHashes
    from detente.ingest.fingerprint import content_hash

    seen = SeenHashes()
    hashes = [content_hash(f"story {i}") for i in range(1000)]
    assert all(seen.add(h) for h in hashes)
    assert not any(seen.add(h) for h in hashes)
    assert len(seen) == 1000
