"""Peace processes: the list, and one process with its actor × issue matrix, how stances
moved, and its exchanges, talks and ceasefires."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from detente.api.deps import Db, can_read
from detente.api.formats import respond
from detente.api.routers.common import DATE
from detente.api.views import known_processes, matrix_cell, process_view

router = APIRouter(dependencies=[Depends(can_read)])

Since = Annotated[str | None, Query(pattern=DATE)]
Until = Annotated[str | None, Query(pattern=DATE)]


@router.get("/processes", summary="Peace processes with records or a process file")
def list_processes(request: Request, db: Db):
    return respond(request, known_processes(db))


@router.get("/processes/{name}", summary="One process: matrix, stance moves, process records")
def get_process(
    request: Request, db: Db, name: str, since: Since = None, until: Until = None
):  # fmt: skip
    return process_view(db, request.app.state.corpus, name, since, until).as_dict()


@router.get("/processes/{name}/matrix", summary="Actor × issue matrix: latest stance per cell")
def get_matrix(
    request: Request, db: Db, name: str, since: Since = None, until: Until = None
):  # fmt: skip
    view = process_view(db, request.app.state.corpus, name, since, until)
    return respond(request, [matrix_cell(c) for c in view.matrix])


@router.get("/processes/{name}/stance-moves", summary="Who shifted on which issue, and when")
def get_moves(
    request: Request, db: Db, name: str, since: Since = None, until: Until = None
):  # fmt: skip
    view = process_view(db, request.app.state.corpus, name, since, until)
    return respond(request, view.moves)
