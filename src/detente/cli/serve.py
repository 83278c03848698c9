"""CLI commands of the service: ``detente serve`` (API and dashboard) and ``detente watch``
(poll feeds, code new items, raise alerts)."""

from __future__ import annotations

import logging
from datetime import datetime

import typer
from rich.markup import escape

from detente.cli.common import console, fail
from detente.store.backends import redacted
from detente.store.db import DEFAULT_DB

ServeDbOption = typer.Option(
    DEFAULT_DB, "--db", help="SQLite file, or a PostgreSQL URL (postgresql://user@host/db)."
)
ConfigOption = typer.Option(
    None, "--config", help="YAML settings file (token, open_reads, cors_origins, ...)."
)


def serve(
    db: str = ServeDbOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    config: str | None = ConfigOption,
    rules: str | None = typer.Option(None, "--rules", help="Alert rules (YAML)."),
    no_worker: bool = typer.Option(
        False, "--no-worker", help="Do not code posted documents in this process."
    ),
) -> None:
    import uvicorn

    from detente.api import create_app, load_settings
    from detente.api.settings import SettingsError

    try:
        settings = load_settings(config, db=db, alert_rules=rules,
                                 job_worker=False if no_worker else None)  # fmt: skip
        app = create_app(settings)
    except (SettingsError, ValueError, OSError) as exc:
        fail(f"Cannot start the server: {exc}", code=2)
    except Exception as exc:  # e.g. PostgreSQL unreachable: one clear line, no trace
        fail(f"Cannot open the store {redacted(db)}: {' '.join(str(exc).split())}", code=2)
    _log_service_lines()
    writes = "on (bearer token)" if settings.token else "off (set DETENTE_TOKEN)"
    coding = "coded here" if settings.job_worker else "queued for another worker"
    alerting = f"; alert rules {settings.alert_rules}" if settings.alert_rules else ""
    if settings.alert_rules and settings.webhook:
        alerting += f" → {settings.webhook}"
    console.print(
        f"detente serving {redacted(str(db))} on http://{host}:{port}/ui — API at /api/v1, docs"
        f" at /docs; writes {writes}, posted documents {coding}{alerting}",
        soft_wrap=True, markup=False,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _log_service_lines() -> None:
    """Show the service's own lines (alert baselines, webhook retries, recovered jobs) on
    stderr with a timestamp; uvicorn's access log stays off."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    logger = logging.getLogger("detente")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def watch(
    feed: list[str] = typer.Option(..., "--feed", help="RSS/Atom feed URL (repeatable)."),
    every: str = typer.Option("15m", "--every", help="Poll interval: 30s, 15m, 1h."),
    db: str = ServeDbOption,
    rules: str | None = typer.Option(None, "--rules", help="Alert rules (YAML)."),
    webhook: str | None = typer.Option(None, "--webhook", help="POST new alerts here."),
    allow_private: bool = typer.Option(
        False, "--allow-private", help="Allow feeds and links on private/loopback addresses."
    ),
    once: bool = typer.Option(False, "--once", help="Poll each feed once and exit."),
) -> None:
    from detente.service.alerts import AlertRunner, RuleError, load_rules
    from detente.service.watch import Watcher, parse_interval

    def say(line: str) -> None:  # timestamped for a run of weeks; lines are data, not markup
        stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        console.print(f"[dim]{stamp}[/dim] {escape(line)}", soft_wrap=True)

    try:
        interval = parse_interval(every)
        runner = AlertRunner(load_rules(rules) if rules else [], webhook, say=say)
    except (ValueError, RuleError) as exc:
        fail(str(exc), code=2)
    watcher = Watcher(db, feed, allow_private=allow_private, alerts=runner, say=say)
    feeds = f"{len(feed)} feed{'s' if len(feed) != 1 else ''}"
    when = "once" if once else f"every {every.strip()}"
    alerting = f"{len(runner.rules)} alert rules" if runner.rules else "no alert rules"
    if webhook:
        alerting += f", new alerts POSTed to {webhook}"
    stop = "" if once else "; Ctrl-C stops"
    say(f"detente watch: {feeds} {when} into {redacted(db)}; {alerting}{stop}")
    try:
        if once:
            watcher.poll_all()
        else:
            watcher.run_forever(interval)
    except KeyboardInterrupt:
        console.print("Stopped.")
    finally:
        watcher.close()


def register(app: typer.Typer) -> None:
    app.command("serve", help="Serve the REST API and the dashboard (FastAPI under uvicorn).")(
        serve
    )
    app.command("watch", help="Poll RSS/Atom feeds, code new items, raise alerts.")(watch)
