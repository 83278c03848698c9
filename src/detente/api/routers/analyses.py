"""The analyses of ``detente timeline|signal|space|dyads`` as rows, computed by the same
functions and flattened by the same table builders as the CLI."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Request

from detente.analysis.dyads import dyadic_series, with_evidence
from detente.analysis.signal import signal_index
from detente.analysis.space import negotiation_space
from detente.analysis.tables import dyad_rows, signal_rows, space_rows, timeline_rows
from detente.analysis.timeline import key_timeline
from detente.api.deps import Db, can_read
from detente.api.formats import respond
from detente.api.routers.common import Since, Until
from detente.store.queries import FilterError, Filters

router = APIRouter(prefix="/analyses", dependencies=[Depends(can_read)])


def _dyads(conn, f: Filters, speculative: bool, freq: str) -> list[dict]:
    series = dyadic_series(conn, f, freq, speculative)
    return dyad_rows(with_evidence(conn, series, f, freq, speculative))


ANALYSES = {
    "timeline": lambda c, f, spec, freq: timeline_rows(key_timeline(c, f, spec, limit=None)),
    "signal": lambda c, f, spec, freq: signal_rows(signal_index(c, f)),
    "space": lambda c, f, spec, freq: space_rows(
        negotiation_space(c, f, include_speculative=spec)
    ),
    "dyads": _dyads,
}


@router.get("/{analysis}", summary="timeline, signal, space or dyads, as rows")
def analysis(
    request: Request,
    db: Db,
    analysis: Literal["timeline", "signal", "space", "dyads"],
    process: str | None = None,
    since: Since = None,
    until: Until = None,
    include_speculative: bool = False,
    freq: Literal["day", "week", "month"] = "day",
):
    try:
        selection = Filters(process=process or None, since=since, until=until)
    except FilterError as exc:
        raise HTTPException(400, str(exc)) from exc
    return respond(request, ANALYSES[analysis](db, selection, include_speculative, freq))
