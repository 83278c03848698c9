"""The Ray engine's two reading passes, run here without Ray: the first yields only a
hash and a place per document, the second drops the later copies as it reads."""

from __future__ import annotations

import pyarrow as pa
import pytest

from detente.backfill.ray_engine import KEY_COLUMNS, read_keys, read_unique
from detente.backfill.sources import read_numbered, read_shard

SHARDS = ("a.jsonl", "b.parquet")


def shard_batch(archive, pieces: int = 1) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {"index": i, "shard": str(archive / name), "piece": k, "pieces": pieces}
            for i, name in enumerate(SHARDS)
            for k in range(pieces)
        ]
    )


@pytest.mark.parametrize("pieces", [2, 3, 7])
def test_readers_sharing_a_shard_read_each_record_once_with_its_rank(archive, pieces):
    for name in SHARDS:
        url = str(archive / name)
        whole = list(enumerate(read_shard(url)))
        shared = sorted(
            (pair for k in range(pieces) for pair in read_numbered(url, k, pieces)),
            key=lambda pair: pair[0],
        )
        assert shared == whole


def test_a_missing_shard_is_one_rejection_among_its_readers(tmp_path):
    url = str(tmp_path / "gone.jsonl")
    found = [pair for k in range(3) for pair in read_numbered(url, k, 3)]
    assert [(rank, type(item).__name__) for rank, item in found] == [(0, "Rejection")]


@pytest.mark.parametrize("pieces", [1, 3])


def test_the_first_pass_carries_no_text_and_no_rejection(archive, pieces):
    keys = pa.concat_tables(read_keys(shard_batch(archive, pieces)))
    assert keys.column_names == KEY_COLUMNS
    hashes = keys.column("content_hash").to_pylist()
    assert len(hashes) == len(set(hashes)) + 1  # the one exact copy
    assert not any(h.startswith("!") for h in hashes)


@pytest.mark.parametrize("pieces", [1, 3])
def test_the_second_pass_keeps_each_hash_first_copy_and_every_rejection(archive, pieces):
    keys = pa.concat_tables(read_keys(shard_batch(archive, pieces))).to_pylist()
    firsts: dict[str, str] = {}
    for row in sorted(keys, key=lambda r: r["order"]):
        firsts.setdefault(row["content_hash"], row["order"])
    repeated = {h: o for h, o in firsts.items() if sum(k["content_hash"] == h for k in keys) > 1}
    rows = pa.concat_tables(read_unique(shard_batch(archive, pieces), repeated)).to_pylist()
    documents = [r for r in rows if r["rejected"] is None]
    assert len(documents) == len(keys) - 1
    lines = (archive / "a.jsonl").read_text(encoding="utf-8").splitlines()
    copy = f"{archive / 'a.jsonl'}:{len(lines)}"  # the copy is the shard's last line
    assert copy not in {r["origin"] for r in documents}
    assert f"{archive / 'a.jsonl'}:1" in {r["origin"] for r in documents}
    assert sorted(r["order"] for r in documents) == sorted(firsts.values())
    assert [r["rejected"] is not None for r in rows].count(True) == 1  # the bad line
