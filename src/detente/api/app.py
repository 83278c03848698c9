"""The application factory: settings in, a FastAPI app out.

The app owns one thread-local connection per request thread and (unless disabled) a
background worker that codes posted documents.
"""

from __future__ import annotations

import json
import logging
import os
from contextlib import asynccontextmanager
from dataclasses import asdict

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from detente import __version__
from detente.api import errors
from detente.api.deps import Stores
from detente.api.limits import BodyLimit
from detente.api.routers import alerts, analyses, jobs, processes, records
from detente.api.settings import Settings
from detente.service.alerts import AlertRunner, load_rules
from detente.service.jobs import Worker

API = "/api/v1"
SETTINGS_ENV = "DETENTE_SERVE_SETTINGS"
"""Where ``detente serve --workers N`` hands its settings to the worker processes."""


def log_service_lines() -> None:
    """Show the service's own lines (alert baselines, webhook retries, recovered jobs) on
    stderr with a timestamp; uvicorn's access log stays off. Each server process sets it
    up (``serve --workers`` starts processes that share nothing but the settings)."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    logger = logging.getLogger("detente")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def settings_to_environment(settings: Settings) -> None:
    """Put ``settings`` where :func:`app_from_environment` finds them: uvicorn starts each
    worker process from an import string, so the parent's objects cannot be passed."""
    os.environ[SETTINGS_ENV] = json.dumps(asdict(settings))


def app_from_environment() -> FastAPI:
    """The app of one ``serve --workers`` process, with the settings its parent resolved."""
    data = json.loads(os.environ[SETTINGS_ENV])
    data["cors_origins"] = tuple(data.get("cors_origins") or ())
    log_service_lines()
    return create_app(Settings(**data))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    stores = Stores(settings.db)
    stores.get().execute("SELECT 1")  # open and migrate now: a bad --db fails at start
    after = []
    if settings.alert_rules:
        after.append(AlertRunner(load_rules(settings.alert_rules), settings.webhook))
    worker = (
        Worker(stores.open, allow_private=settings.allow_private_urls,
               poll_s=settings.poll_s, after=after)
        if settings.job_worker else None
    )  # fmt: skip

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if worker is not None:
            worker.start()
        yield
        if worker is not None:
            worker.stop()
        stores.close()

    app = FastAPI(
        title="detente",
        version=__version__,
        description="Evidence-linked PLOVER events, negotiation positions and peace-process"
        " records from news about wars and peace talks.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    _install_docs(app)
    app.state.settings = settings
    app.state.stores = stores
    app.state.worker = worker
    errors.install(app)
    for router in (records, jobs, processes, analyses, alerts):
        app.include_router(router.router, prefix=API)
    from detente.api import dashboard

    dashboard.install(app)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware, allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type"],
        )  # fmt: skip
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)

    @app.get("/", include_in_schema=False)
    def home():
        return RedirectResponse("/ui")

    @app.get(f"{API}/health", summary="The server is up and its store answers")
    def health():
        stores.get().execute("SELECT 1").fetchone()
        return {"status": "ok", "version": __version__}

    return app


def _install_docs(app: FastAPI) -> None:
    """``/docs``: Swagger UI from the ``swagger-ui-bundle`` package, so the API reference works
    offline like the dashboard; without that package, FastAPI's page (assets from a CDN)."""
    from fastapi.openapi.docs import get_swagger_ui_html

    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:  # pragma: no cover - the server extra brings it
        assets = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5"
    else:
        from fastapi.staticfiles import StaticFiles

        app.mount("/docs-assets", StaticFiles(directory=swagger_ui_path), name="docs-assets")
        assets = "/docs-assets"

    @app.get("/docs", include_in_schema=False)
    def docs():
        return get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title="detente API",
            swagger_js_url=f"{assets}/swagger-ui-bundle.js",
            swagger_css_url=f"{assets}/swagger-ui.css",
            swagger_favicon_url=f"{assets}/favicon-32x32.png",
        )
