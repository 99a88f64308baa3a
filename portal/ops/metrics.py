"""Prometheus metrics at /metrics: request latency, tickets created, outbox backlog.

Under gunicorn set PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py does) so every worker's counts
are added up; otherwise the process's own registry is served.
"""

import hmac
import os
import time

from flask import Blueprint, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from sqlalchemy import func, select

from ..extensions import db

bp = Blueprint("metrics", __name__)

REQUEST_SECONDS = Histogram(
    "portal_request_seconds", "Time to answer a request", ["method", "endpoint", "status"],
    buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))
TICKETS_CREATED = Counter("portal_tickets_created_total", "Tickets created", ["type"])


def init_app(app) -> None:
    @app.before_request
    def start_timer():
        g.started = time.perf_counter()

    @app.after_request
    def observe(response):
        started = g.pop("started", None)
        if started is not None and request.endpoint != "metrics.metrics":
            REQUEST_SECONDS.labels(request.method, request.endpoint or "none",
                                   str(response.status_code)).observe(
                time.perf_counter() - started)
        return response


def may_scrape() -> bool:
    """With METRICS_TOKEN, only a request bearing it; without one, anyone in development but
    nobody in production, where an open /metrics tells strangers about the portal's traffic."""
    token = current_app.config.get("METRICS_TOKEN")
    if not token:
        return current_app.config.get("PORTAL_ENV") != "production"
    given = request.headers.get("Authorization", "")
    return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@bp.get("/metrics")
def metrics():
    if not may_scrape():
        abort(404)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    body = generate_latest(registry) + _outbox_backlog()
    return Response(body, mimetype=CONTENT_TYPE_LATEST)


def _outbox_backlog() -> bytes:
    """Read at scrape time from the database, so every worker reports the same truth."""
    from ..outbox.models import OutboxMessage, OutboxStatus
    pending = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.status == OutboxStatus.PENDING)) or 0
    dead = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.status == OutboxStatus.DEAD)) or 0
    return ("# HELP portal_outbox_backlog E-mails waiting to be sent\n"
            "# TYPE portal_outbox_backlog gauge\n"
            f'portal_outbox_backlog{{status="pending"}} {pending}\n'
            f'portal_outbox_backlog{{status="dead"}} {dead}\n').encode()
