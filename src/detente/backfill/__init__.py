"""Backfills: code a large archive of shards into partitioned Parquet, then load it.

``detente backfill`` reads JSONL or Parquet shards (local or any fsspec URL), cleans
them with the ingest stage, drops exact copies by content hash, codes them with the
same coder as ``detente code`` and writes one Parquet part per batch for each table.
The work is spread over a local process pool or a Ray Data actor pool; both call the
same per-batch function (:func:`detente.backfill.batches.code_batch`), so the two
engines cannot drift apart. ``detente load`` brings the output into a store.
"""
