"""The backfill's last step: fold the per-document process candidates into records.

``merge_process_records`` is order-sensitive in which report founds a record, so the
candidates are fed in the order the store merges them (document id, then each
document's own order; see ``store.records.refresh_process_records``) and the backfill's
``process`` table equals the process records ``detente code`` stores. Each candidate is
compared only with the merged records of its kind, window of days and parties (see
``positions.process_records._Founders``), so the merge is linear in the candidates; they
are all held in memory, a few hundred bytes to a few kilobytes each.
"""

from __future__ import annotations

from detente.backfill import parquet
from detente.positions.models import ProcessRecord
from detente.positions.process_records import merge_process_records


def merge_candidates(out: str) -> list[ProcessRecord]:
    """Merge every part's candidates and write them as the ``process`` table."""
    candidates = list(parquet.read_records(out, "process_candidates"))
    candidates.sort(key=lambda r: r.doc_ids[0] if r.doc_ids else "")  # stable: keeps seq
    merged = merge_process_records(candidates)
    parquet.write_part(out, "process", "part-merged", parquet.records_table("process", merged))
    return merged
