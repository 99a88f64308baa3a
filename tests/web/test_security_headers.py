"""Safer defaults: a content policy that lets only the pinned htmx file run, HSTS in
production, and no open /metrics in production."""

import re

import pytest

from portal import create_app
from portal.config import HTMX_URL
from portal.web.headers import script_sources
from tests.conftest import CATALOGS


def script_src(response) -> list[str]:
    policy = response.headers["Content-Security-Policy"]
    return re.search(r"script-src ([^;]*)", policy).group(1).split()


def test_scripts_may_come_only_from_the_portal_and_the_pinned_htmx_file(client):
    page = client.get("/")
    assert script_src(page) == ["'self'", HTMX_URL]
    # What the page loads is exactly what the policy allows, and nothing else on that host.
    html = page.get_data(as_text=True)
    assert f'<script src="{HTMX_URL}"' in html
    assert "https://cdn.jsdelivr.net" not in script_src(page)
    assert all(not source.endswith("/") for source in script_src(page))


def test_another_htmx_location_is_the_one_allowed(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "HTMX_URL", "https://static.example.com/js/htmx-2.0.11.js")
    assert script_src(client.get("/")) == [
        "'self'", "https://static.example.com/js/htmx-2.0.11.js"]
    monkeypatch.setitem(app.config, "HTMX_URL", "/static/js/htmx.min.js")
    assert script_src(client.get("/")) == ["'self'"]


def test_a_url_cannot_add_sources_or_directives_to_the_policy():
    assert script_sources("https://cdn.example.com/a;script-src *,b c.js") == (
        "'self' https://cdn.example.com/a%3Bscript-src%20%2A%2Cb%20c.js")


def test_no_hsts_outside_production(client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers


@pytest.fixture
def production_app(monkeypatch, tmp_path):
    for name, value in {"PORTAL_ENV": "production", "SECRET_KEY": "x" * 40,
                        "PORTAL_INSTANCE": str(tmp_path),
                        "DATABASE_URL": "sqlite:///" + str(tmp_path / "p.db"),
                        "PORTAL_CATALOG": str(CATALOGS / "portal.yaml")}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("METRICS_TOKEN", raising=False)
    monkeypatch.delenv("HSTS_SECONDS", raising=False)
    return create_app()


def test_production_sends_hsts_for_a_year(production_app):
    response = production_app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_production_refuses_metrics_without_a_token(production_app):
    assert production_app.test_client().get("/metrics").status_code == 404


def test_metrics_in_production_need_the_token(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_ENV", "production")
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret")
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_metrics_stay_open_in_development_without_a_token(client):
    assert client.get("/metrics").status_code == 200
