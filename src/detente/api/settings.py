"""Server settings: defaults, then a YAML config file, then environment variables.

The write token is never written to a file by detente; it comes from ``DETENTE_TOKEN`` or
the config file (``token:``). Without one, write endpoints refuse every request, so a
server started without thinking about it cannot be written to from the network.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import yaml

DEFAULT_MAX_BODY = 5_000_000


class SettingsError(ValueError):
    """The config file cannot be used as written."""


@dataclass(frozen=True)
class Settings:
    db: str = "detente.db"
    token: str | None = None
    open_reads: bool = True
    """When false, reads need the bearer token too."""
    cors_origins: tuple[str, ...] = ()
    """Origins allowed to call the API from a browser; none (CORS off) by default."""
    max_body_bytes: int = DEFAULT_MAX_BODY
    allow_private_urls: bool = False
    """Let ``POST /documents`` fetch URLs on private networks (as ``ingest --allow-private``)."""
    job_worker: bool = True
    """Run queued coding jobs in this process."""
    poll_s: float = 2.0
    alert_rules: str | None = None
    """YAML file of alert rules, evaluated after every coding job."""
    webhook: str | None = None
    extra: dict = field(default_factory=dict)


def _coerce(name: str, value):
    kinds = {f.name: f.type for f in fields(Settings)}
    kind = kinds[name]
    if kind == "bool" and isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind.startswith("tuple"):
        items = value.split(",") if isinstance(value, str) else list(value or ())
        return tuple(str(v).strip() for v in items if str(v).strip())
    return value


def load_settings(config: str | Path | None = None, **overrides) -> Settings:
    """Settings from ``config`` (or ``DETENTE_CONFIG``), the environment and ``overrides``."""
    values: dict = {}
    path = config or os.environ.get("DETENTE_CONFIG")
    if path:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise SettingsError(f"cannot read config {path}: {exc}") from exc
        if not isinstance(data, dict):
            raise SettingsError(f"config {path} must be a mapping of settings")
        known = {f.name for f in fields(Settings)} - {"extra"}
        unknown = set(data) - known
        if unknown:
            raise SettingsError(f"config {path}: unknown settings {sorted(unknown)}")
        values.update(data)
    for name in ("token", "open_reads", "cors_origins", "max_body_bytes", "webhook"):
        env = os.environ.get(f"DETENTE_{name.upper()}")
        if env is not None:
            values[name] = env
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return replace(Settings(), **{k: _coerce(k, v) for k, v in values.items()})
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"invalid setting: {exc}") from exc
