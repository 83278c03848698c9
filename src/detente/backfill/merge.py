"""The backfill's last step: fold the per-document process candidates into records.

``merge_process_records`` is order-sensitive in which report founds a record, so the
candidates are fed in the order ``detente code`` uses (documents by publication date,
undated last, then id) and the backfill's merged records equal those of the store.
"""

from __future__ import annotations

from detente.backfill import parquet
from detente.positions.models import ProcessRecord
from detente.positions.process_records import merge_process_records


def document_order(out: str) -> dict[str, tuple]:
    """doc_id → its place in ``detente code``'s order (reads two columns, not the texts)."""
    keys: dict[str, tuple] = {}
    for part in parquet.parts(out, parquet.DOCUMENTS):
        table = parquet.read_part(out, parquet.DOCUMENTS, part, columns=["doc_id", "published"])
        for row in table.to_pylist():
            published = row["published"]
            keys[row["doc_id"]] = (published is None, published or "", row["doc_id"])
    return keys


def merge_candidates(out: str) -> list[ProcessRecord]:
    """Merge every part's candidates and write them as the ``process`` table."""
    order = document_order(out)
    candidates = list(parquet.read_records(out, "process_candidates"))
    last = (True, "", "")
    candidates.sort(key=lambda r: order.get(r.doc_ids[0], last) if r.doc_ids else last)
    merged = merge_process_records(candidates)
    parquet.write_part(out, "process", "part-merged", parquet.records_table("process", merged))
    return merged
