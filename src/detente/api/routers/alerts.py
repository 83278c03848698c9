"""Alerts raised by the rules after each coding job or feed poll."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from detente.api.deps import Db, can_read
from detente.api.formats import respond
from detente.service.alerts import list_alerts

router = APIRouter(dependencies=[Depends(can_read)])


@router.get("/alerts", summary="Alerts, newest first")
def alerts(
    request: Request,
    db: Db,
    process: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
):
    return respond(request, list_alerts(db, process=process, limit=limit))
