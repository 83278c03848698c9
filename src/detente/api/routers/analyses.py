"""The analyses of ``detente timeline|signal|space|dyads`` as rows, computed by the same
functions and flattened by the same table builders as the CLI."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request

from detente.analysis.dyads import dyadic_series
from detente.analysis.signal import signal_index
from detente.analysis.space import negotiation_space
from detente.analysis.tables import dyad_rows, signal_rows, space_rows, timeline_rows
from detente.analysis.timeline import key_timeline
from detente.api.deps import Db, can_read
from detente.api.formats import respond
from detente.api.routers.common import DATE

router = APIRouter(prefix="/analyses", dependencies=[Depends(can_read)])

ANALYSES = {
    "timeline": lambda c, spec, freq: timeline_rows(key_timeline(c, spec)),
    "signal": lambda c, spec, freq: signal_rows(signal_index(c)),
    "space": lambda c, spec, freq: space_rows(negotiation_space(c, include_speculative=spec)),
    "dyads": lambda c, spec, freq: dyad_rows(dyadic_series(c, freq, spec)),
}


@router.get("/{analysis}", summary="timeline, signal, space or dyads, as rows")
def analysis(
    request: Request,
    db: Db,
    analysis: Literal["timeline", "signal", "space", "dyads"],
    process: str | None = None,
    since: Annotated[str | None, Query(pattern=DATE)] = None,
    until: Annotated[str | None, Query(pattern=DATE)] = None,
    include_speculative: bool = False,
    freq: Literal["day", "week"] = "day",
):
    corpus = request.app.state.corpus.get(db, process=process, since=since, until=until)
    return respond(request, ANALYSES[analysis](corpus, include_speculative, freq))
