"""Settings from a config file and the environment; CORS stays off unless configured."""

from __future__ import annotations

import pytest

from detente.api.settings import SettingsError, load_settings
from tests.api.conftest import make_client


def test_config_file_then_environment_then_overrides(tmp_path, monkeypatch):
    config = tmp_path / "detente.yml"
    config.write_text("token: from-file\nopen_reads: false\ncors_origins: [https://a.test]\n")
    monkeypatch.delenv("DETENTE_TOKEN", raising=False)
    settings = load_settings(config)
    assert (settings.token, settings.open_reads, settings.cors_origins) == (
        "from-file", False, ("https://a.test",),
    )  # fmt: skip
    monkeypatch.setenv("DETENTE_TOKEN", "from-env")
    monkeypatch.setenv("DETENTE_MAX_BODY_BYTES", "1234")
    settings = load_settings(config, db="x.db")
    assert (settings.token, settings.max_body_bytes, settings.db) == ("from-env", 1234, "x.db")


def test_bad_config_is_one_clear_error(tmp_path):
    config = tmp_path / "bad.yml"
    config.write_text("tokn: typo\n")
    with pytest.raises(SettingsError, match="unknown settings \\['tokn'\\]"):
        load_settings(config)
    config.write_text("- a list\n")
    with pytest.raises(SettingsError, match="mapping"):
        load_settings(config)
    with pytest.raises(SettingsError, match="cannot read"):
        load_settings(tmp_path / "missing.yml")


def test_cors_off_by_default_and_on_when_configured(db_path):
    preflight = {"Origin": "https://a.test", "Access-Control-Request-Method": "GET"}
    with make_client(db_path) as client:
        response = client.get("/api/v1/events", headers={"Origin": "https://a.test"})
        assert "access-control-allow-origin" not in response.headers
    with make_client(db_path, cors_origins=("https://a.test",)) as client:
        response = client.options("/api/v1/events", headers=preflight)
        assert response.headers["access-control-allow-origin"] == "https://a.test"
        other = client.get("/api/v1/events", headers={"Origin": "https://evil.test"})
        assert "access-control-allow-origin" not in other.headers


def test_unexpected_errors_hide_the_trace(db_path, monkeypatch):
    from detente.store import queries

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(queries, "page_json", broken)
    with make_client(db_path) as client:
        response = client.get("/api/v1/events")
    assert response.status_code == 500
    assert response.json() == {"error": {"status": 500, "message": "internal server error"}}
    assert "secret" not in response.text


def test_openapi_documents_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/events", "/api/v1/documents", "/api/v1/jobs/{job_id}",
            "/api/v1/processes/{name}", "/api/v1/analyses/{analysis}",
            "/api/v1/alerts"} <= set(paths)  # fmt: skip
    assert not any(p.startswith("/ui") for p in paths)
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/docs-assets/swagger-ui-bundle.js" in page.text  # served here, not from a CDN
    assert "cdn" not in page.text.lower()
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
