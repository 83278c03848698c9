"""What the process endpoints and the dashboard pages show, computed once per request from
the (cached) corpus with the analysis functions the CLI and the report use."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException

from detente.analysis.corpus import Corpus
from detente.analysis.evidence import process_evidence, process_label
from detente.analysis.matrix import MatrixCell, position_matrix
from detente.analysis.membership import process_label as process_name_label
from detente.analysis.shifts import StanceMove, StanceTrack, stance_tracks
from detente.analysis.signal import SignalPoint, signal_index
from detente.analysis.timeline import TimelineEntry, key_timeline
from detente.positions.models import ProcessRecord
from detente.positions.taxonomy import process_names

PROCESS_KINDS = ("exchange", "talks", "ceasefire")


def known_processes(db) -> list[dict]:
    """Processes with a process file, plus any label the stored records use."""
    counts: dict[str, dict[str, int]] = {}
    for table in ("positions", "process_records"):
        for row in db.execute(
            f"SELECT process, COUNT(*) FROM {table} WHERE process IS NOT NULL GROUP BY process"
        ):
            counts.setdefault(row[0], {})[table] = row[1]
    names = sorted(set(process_names()) | set(counts))
    return [
        {
            "name": n,
            "label": process_name_label(n),
            "positions": counts.get(n, {}).get("positions", 0),
            "process_records": counts.get(n, {}).get("process_records", 0),
        }
        for n in names
    ]


def require_process(db, name: str) -> None:
    if name not in {p["name"] for p in known_processes(db)}:
        raise HTTPException(404, f"no process {name!r}")


@dataclass
class ProcessView:
    name: str
    label: str
    corpus: Corpus
    matrix: list[MatrixCell]
    tracks: list[StanceTrack]
    records: dict[str, list[ProcessRecord]]
    signal: list[SignalPoint]
    timeline: list[TimelineEntry]

    @property
    def moves(self) -> list[StanceMove]:
        moves = [m for t in self.tracks for m in t.moves]
        return sorted(moves, key=lambda m: (m.date or "", m.record_id), reverse=True)

    def record_dict(self, record: ProcessRecord) -> dict:
        return {
            **record.model_dump(mode="json"),
            "label": process_label(record),
            "evidence": [e.as_dict() for e in process_evidence(self.corpus, record)],
        }

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "label": self.label,
            "counts": {
                "events": len(self.corpus.events),
                "positions": len(self.corpus.positions),
                "process_records": len(self.corpus.process_records),
            },
            "matrix": [matrix_cell(c) for c in self.matrix],
            "stance_moves": [m.as_dict() for m in self.moves],
            **{kind: [self.record_dict(r) for r in self.records[kind]] for kind in PROCESS_KINDS},
        }


def matrix_cell(cell: MatrixCell) -> dict:
    return {
        "actor": cell.actor, "issue": cell.issue, "stance": cell.stance,
        "speech_act": cell.speech_act, "position": cell.position, "date": cell.date,
        "records": cell.records, "record_id": cell.record_id,
        "evidence": cell.evidence.as_dict(),
    }  # fmt: skip


def process_view(db, cache, name: str, since=None, until=None) -> ProcessView:
    require_process(db, name)
    corpus = cache.get(db, process=name, since=since, until=until)
    records: dict[str, list[ProcessRecord]] = {k: [] for k in PROCESS_KINDS}
    for r in sorted(corpus.process_records, key=lambda r: (r.date or "", r.id), reverse=True):
        records.setdefault(r.kind, []).append(r)
    return ProcessView(
        name=name,
        label=process_name_label(name) or name,
        corpus=corpus,
        matrix=position_matrix(corpus),
        tracks=stance_tracks(corpus),
        records=records,
        signal=[p for p in signal_index(corpus) if p.process == name],
        timeline=key_timeline(corpus),
    )
