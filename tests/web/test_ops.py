"""Health checks, metrics, request ids and rate limits."""


def test_healthz_and_readyz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["database"] == "ok"


def test_readyz_reports_pending_migrations(app, client, monkeypatch):
    from portal.ops import health
    monkeypatch.setattr(health, "_head_revision", lambda: "9999")
    response = client.get("/readyz")
    assert response.status_code == 503 and response.get_json()["expected"] == "9999"


def test_metrics_count_requests_and_tickets(client, make_user, login, post):
    make_user("requester@example.com")
    login("requester@example.com")
    post("/catalog/item/access", {"f_system": "CRM"})
    text = client.get("/metrics").get_data(as_text=True)
    assert 'portal_request_seconds_count{endpoint="catalog.item",method="POST",status="303"}' \
        in text
    assert 'portal_tickets_created_total{type="access"}' in text
    assert 'portal_outbox_backlog{status="pending"}' in text


def test_metrics_token(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret")
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_request_id_is_echoed_or_made(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers[
        "X-Request-ID"] == "abc-123"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id <script>"})
    assert len(made.headers["X-Request-ID"]) == 32

