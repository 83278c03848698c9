"""The Ray engine's two reading passes, run here without Ray: the first yields only a
hash and a place per document, the second drops the later copies as it reads."""

from __future__ import annotations

import pyarrow as pa

from detente.backfill.ray_engine import KEY_COLUMNS, read_keys, read_unique


def shard_batch(archive) -> pa.Table:
    shards = [str(archive / "a.jsonl"), str(archive / "b.parquet")]
    return pa.table({"index": list(range(len(shards))), "shard": shards})


def test_the_first_pass_carries_no_text_and_no_rejection(archive):
    keys = pa.concat_tables(read_keys(shard_batch(archive)))
    assert keys.column_names == KEY_COLUMNS
    hashes = keys.column("content_hash").to_pylist()
    assert len(hashes) == len(set(hashes)) + 1  # the one exact copy
    assert not any(h.startswith("!") for h in hashes)


def test_the_second_pass_keeps_each_hash_first_copy_and_every_rejection(archive):
    keys = pa.concat_tables(read_keys(shard_batch(archive))).to_pylist()
    firsts: dict[str, str] = {}
    for row in sorted(keys, key=lambda r: r["order"]):
        firsts.setdefault(row["content_hash"], row["order"])
    repeated = {h: o for h, o in firsts.items() if sum(k["content_hash"] == h for k in keys) > 1}
    rows = pa.concat_tables(read_unique(shard_batch(archive), repeated)).to_pylist()
    documents = [r for r in rows if r["rejected"] is None]
    assert len(documents) == len(keys) - 1
    lines = (archive / "a.jsonl").read_text(encoding="utf-8").splitlines()
    copy = f"{archive / 'a.jsonl'}:{len(lines)}"  # the copy is the shard's last line
    assert copy not in {r["origin"] for r in documents}
    assert f"{archive / 'a.jsonl'}:1" in {r["origin"] for r in documents}
    assert [r["order"] for r in documents] == sorted(firsts.values())
    assert [r["rejected"] is not None for r in rows].count(True) == 1  # the bad line
