"""The analyst's dashboard: server-rendered pages over the same views as the API.

Pages work without JavaScript except the charts, which Plotly draws from JSON embedded in
the page; the Plotly bundle is served from the installed ``plotly`` package, so the
dashboard loads nothing from the network. Text from articles reaches pages only through
Jinja's autoescaping.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from detente.analysis.evidence import event_label, position_label
from detente.analysis.evidence import process_label as record_label
from detente.analysis.matrix import position_matrix
from detente.analysis.shifts import stance_tracks
from detente.analysis.signal import signal_index
from detente.analysis.timeline import key_timeline
from detente.api import listing
from detente.api.deps import Db, can_read
from detente.api.routers.common import FiltersDep
from detente.api.routers.records import document_with_records, page_of, search_all
from detente.api.views import known_processes, process_filters, records_by_kind
from detente.coding.models import EVENT_TYPES, MODALITIES
from detente.service.alerts import list_alerts
from detente.store import queries
from detente.store.derived import process_label

LATEST = 8

env = Environment(
    loader=PackageLoader("detente.api", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
env.filters["label"] = lambda r: (
    event_label(r) if hasattr(r, "event_type")
    else position_label(r) if hasattr(r, "speech_act") else record_label(r)
)  # fmt: skip


@lru_cache(maxsize=1)
def plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


@lru_cache(maxsize=4)
def static_text(name: str) -> str:
    return resources.files("detente.api").joinpath("static", name).read_text(encoding="utf-8")


def _render(request: Request, template: str, db, **context) -> HTMLResponse:
    processes = known_processes(db)
    current = context.pop("process", None) or request.query_params.get("process")
    page = env.get_template(template).render(
        request=request, processes=processes, process=current, **context
    )
    return HTMLResponse(page)


def _default_process(db) -> str | None:
    """The process a newcomer should land on: one with a process file, most records first
    (labels made up by process detection, like ``auto:UKR-USA``, come after)."""
    from detente.positions.taxonomy import process_names

    named = set(process_names())
    ranked = sorted(
        known_processes(db),
        key=lambda p: (p["name"] in named, p["positions"] + p["process_records"]),
        reverse=True,
    )
    return ranked[0]["name"] if ranked else None


def install(app: FastAPI) -> None:
    read = [Depends(can_read)]

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return Response(status_code=204)

    @app.get("/ui/static/{name}", include_in_schema=False)
    def static(name: str):
        if name == "plotly.min.js":
            return Response(plotly_js(), media_type="application/javascript",
                            headers={"Cache-Control": "public, max-age=86400"})  # fmt: skip
        types = {"app.css": "text/css", "app.js": "application/javascript"}
        if name not in types:
            raise HTTPException(404, "no such file")
        return Response(static_text(name), media_type=types[name])

    @app.get("/ui", include_in_schema=False, dependencies=read)
    def ui_home(db: Db):
        name = _default_process(db)
        return RedirectResponse(f"/ui/process/{name}" if name else "/ui/events")

    @app.get("/ui/process/{name}", include_in_schema=False, dependencies=read)
    def overview(request: Request, db: Db, name: str):
        selection = process_filters(db, name)
        signal = [
            {"week": p.week, "week_start": p.week_start, "index": p.index,
             "ids": p.record_ids[:50]}
            for p in signal_index(db, selection) if p.process == name
        ]  # fmt: skip
        entries = key_timeline(db, selection, limit=None, with_process_records=False)
        latest = sorted(entries, key=lambda t: t.date or "", reverse=True)[: LATEST * 2]
        records = records_by_kind(db, selection)
        counts = {
            "events": queries.count(db, "events", selection),
            "positions": queries.count(db, "positions", selection),
            "process_records": sum(len(v) for v in records.values()),
        }
        return _render(
            request, "overview.html", db, process=name, label=process_label(name),
            page="overview", counts=counts, signal=signal, signal_json=json.dumps(signal),
            timeline=latest, records={k: v[:LATEST] for k, v in records.items()},
            alerts=list_alerts(db, process=name, limit=5),
        )  # fmt: skip

    @app.get("/ui/process/{name}/positions", include_in_schema=False, dependencies=read)
    def positions(request: Request, db: Db, name: str):
        selection = process_filters(db, name)
        matrix = position_matrix(db, selection)
        tracks = stance_tracks(db, selection)
        moves = sorted((m for t in tracks for m in t.moves),
                       key=lambda m: (m.date or "", m.record_id), reverse=True)  # fmt: skip
        return _render(
            request, "positions.html", db, process=name, label=process_label(name),
            page="positions", matrix=matrix, actors=sorted({c.actor for c in matrix}),
            issues=sorted({c.issue for c in matrix}),
            cells={(c.actor, c.issue): c for c in matrix},
            tracks={(t.actor, t.issue): t for t in tracks}, moves=moves,
        )  # fmt: skip

    @app.get("/ui/events", include_in_schema=False, dependencies=read)
    def events(request: Request, db: Db, f: FiltersDep, cursor: str | None = None):
        found = page_of(queries.list_events, db, f, limit=50, cursor=cursor or None)
        params = {k: v for k, v in request.query_params.items() if k != "cursor" and v}
        next_url = (
            "/ui/events?" + urlencode({**params, "cursor": found.next_cursor})
            if found.next_cursor else None
        )  # fmt: skip
        return _render(
            request, "events.html", db, process=f.process, page="events", f=f,
            events=found.items, next_url=next_url, event_types=EVENT_TYPES,
            modalities=MODALITIES, sources=listing.distinct(db, "documents", "source"),
        )  # fmt: skip

    @app.get("/ui/doc/{doc_id}", include_in_schema=False, dependencies=read)
    def document(request: Request, db: Db, doc_id: str, record: str | None = None):
        found = document_with_records(db, doc_id)
        chosen = listing.record_by_id(db, record) if record else None
        if record and chosen is None:
            raise HTTPException(404, f"no record {record!r}")
        text = found["document"]["clean_text"]
        parts = _highlight(text, chosen, doc_id)
        return _render(
            request, "document.html", db, page="document", doc=found["document"],
            found=found, chosen=chosen, parts=parts,
        )  # fmt: skip

    @app.get("/ui/search", include_in_schema=False, dependencies=read)
    def search(request: Request, db: Db, q: str = ""):
        results = search_all(db, q, 25) if len(q.strip()) >= 2 else None
        return _render(request, "search.html", db, page="search", q=q, results=results)

    @app.get("/ui/alerts", include_in_schema=False, dependencies=read)
    def alerts(request: Request, db: Db, process: str | None = None):
        return _render(request, "alerts.html", db, page="alerts",
                       alerts=list_alerts(db, process=process, limit=200))  # fmt: skip


def _highlight(text: str, chosen, doc_id: str) -> tuple[str, str, str] | None:
    """The document text split around the chosen record's evidence sentence."""
    if chosen is None:
        return None
    kind, record = chosen
    if kind == "process":
        spans = [s if isinstance(s, dict) else s.model_dump() for s in record.sources]
        paired = [
            s for i, s in enumerate(spans)
            if (s.get("doc_id") or (record.doc_ids[i] if i < len(record.doc_ids) else None))
            == doc_id
        ]  # fmt: skip
        if not paired:
            return None
        start, end = int(paired[0]["start"]), int(paired[0]["end"])
    else:
        if record.doc_id != doc_id:
            return None
        start, end = record.evidence.start, record.evidence.end
    if not (0 <= start < end <= len(text)):
        return None
    return text[:start], text[start:end], text[end:]
