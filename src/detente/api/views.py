"""What the process endpoints and the dashboard pages show, computed per request by the
analysis functions the CLI and the report use (each pushes its work into the store)."""

from __future__ import annotations

from functools import lru_cache

from fastapi import HTTPException

from detente.analysis.evidence import process_evidence, process_label
from detente.analysis.matrix import MatrixCell
from detente.positions.models import ProcessRecord
from detente.positions.taxonomy import process_names
from detente.store import queries
from detente.store.derived import process_label as process_name_label
from detente.store.queries import Filters

PROCESS_KINDS = ("exchange", "talks", "ceasefire")


@lru_cache(maxsize=1)
def process_files() -> frozenset[str]:
    """The processes with a file: package data, read once per server process."""
    return frozenset(process_names())


def known_processes(db) -> list[dict]:
    """Processes with a process file, plus any label the stored records use."""
    counts: dict[str, dict[str, int]] = {}
    for table in ("positions", "process_records"):
        for row in db.execute(
            f"SELECT process, COUNT(*) FROM {table} WHERE process IS NOT NULL GROUP BY process"
        ):
            counts.setdefault(row[0], {})[table] = row[1]
    names = sorted(process_files() | set(counts))
    return [
        {
            "name": n,
            "label": process_name_label(n),
            "positions": counts.get(n, {}).get("positions", 0),
            "process_records": counts.get(n, {}).get("process_records", 0),
        }
        for n in names
    ]


def process_filters(db, name: str, since: str | None = None, until: str | None = None):
    """The filters of one process; 404 for a process with neither a file nor records.
    (Asked per request: an indexed probe, not the counts :func:`known_processes` adds up.)"""
    if name not in process_files() and not any(
        db.execute(f"SELECT 1 FROM {table} WHERE process = ? LIMIT 1", (name,)).fetchone()
        for table in ("positions", "process_records")
    ):
        raise HTTPException(404, f"no process {name!r}")
    return Filters(process=name, since=since, until=until)


def matrix_cell(cell: MatrixCell) -> dict:
    return {
        "actor": cell.actor, "issue": cell.issue, "sub_issue": cell.sub_issue,
        "stance": cell.stance, "stance_label": cell.stance_label,
        "speech_act": cell.speech_act, "position": cell.position, "date": cell.date,
        "records": cell.records, "record_id": cell.record_id,
        "evidence": cell.evidence.as_dict(),
    }  # fmt: skip


def records_by_kind(db, filters: Filters) -> dict[str, list[ProcessRecord]]:
    """The process's exchanges, talks and ceasefires, newest first."""
    found: dict[str, list[ProcessRecord]] = {k: [] for k in PROCESS_KINDS}
    records = queries.list_process_records(db, filters)
    for r in sorted(records, key=lambda r: (r.date or "", r.id), reverse=True):
        found.setdefault(r.kind, []).append(r)
    return found


def record_dict(db, record: ProcessRecord) -> dict:
    docs = queries.documents(db, record.doc_ids)
    return {
        **record.model_dump(mode="json"),
        "label": process_label(record),
        "evidence": [e.as_dict() for e in process_evidence(docs, record)],
    }
