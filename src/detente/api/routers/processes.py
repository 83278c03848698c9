"""Peace processes: the list, and one process with its actor × issue matrix, how stances
moved, and its exchanges, talks and ceasefires."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from detente.analysis.matrix import position_matrix
from detente.analysis.shifts import stance_moves
from detente.api.deps import Db, can_read
from detente.api.formats import respond
from detente.api.routers.common import Since, Until
from detente.api.views import (
    PROCESS_KINDS,
    known_processes,
    matrix_cell,
    process_filters,
    record_dict,
    records_by_kind,
)
from detente.store import queries
from detente.store.derived import process_label

router = APIRouter(dependencies=[Depends(can_read)])


@router.get("/processes", summary="Peace processes with records or a process file")
def list_processes(request: Request, db: Db):
    return respond(request, known_processes(db))


@router.get("/processes/{name}", summary="One process: matrix, stance moves, process records")
def get_process(db: Db, name: str, since: Since = None, until: Until = None):
    selection = process_filters(db, name, since, until)
    records = records_by_kind(db, selection)
    return {
        "name": name,
        "label": process_label(name),
        "counts": {
            "events": queries.count(db, "events", selection),
            "positions": queries.count(db, "positions", selection),
            "process_records": sum(len(v) for v in records.values()),
        },
        "matrix": [matrix_cell(c) for c in position_matrix(db, selection)],
        "stance_moves": [m.as_dict() for m in stance_moves(db, selection)],
        **{kind: [record_dict(db, r) for r in records.get(kind, [])] for kind in PROCESS_KINDS},
    }


@router.get("/processes/{name}/matrix", summary="Actor × issue matrix: latest stance per cell")
def get_matrix(request: Request, db: Db, name: str, since: Since = None, until: Until = None):
    selection = process_filters(db, name, since, until)
    return respond(request, [matrix_cell(c) for c in position_matrix(db, selection)])


@router.get("/processes/{name}/stance-moves", summary="Who shifted on which issue, and when")
def get_moves(request: Request, db: Db, name: str, since: Since = None, until: Until = None):
    return respond(request, stance_moves(db, process_filters(db, name, since, until)))
