"""Backfills: code a large archive of shards into partitioned Parquet, then load it.

``detente backfill`` reads JSONL or Parquet shards (local or any fsspec URL), cleans
them with the ingest stage, drops exact copies by content hash, codes them with the
same coder as ``detente code`` and writes one Parquet part per batch for each table.
The work is spread over ``detente code``'s worker pool or a Ray Data actor pool; both
code with :func:`detente.pipeline.code_stream` and write with
:func:`detente.backfill.batches.write_batch`, so the engines cannot drift apart.
``detente load`` brings the output into a store.
"""
