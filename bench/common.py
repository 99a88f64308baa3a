"""Shared by the benchmarks: an app on a chosen (or fresh) database with the schema migrated."""

import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_app(database_url: str | None):
    """The portal against `database_url` (default: a new SQLite file), migrated to head."""
    import flask_migrate

    from portal import create_app

    if not database_url:
        folder = tempfile.mkdtemp(prefix="portal-bench-")
        database_url = f"sqlite:///{folder}/bench.db"
    os.environ.setdefault("PORTAL_INSTANCE", tempfile.mkdtemp(prefix="portal-bench-inst-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "b" * 40,
                      "TESTING": True, "RATELIMIT_ENABLED": False,
                      "DASHBOARD_CACHE_SECONDS": 0})  # measure computing, not the cache
    with app.app_context():
        flask_migrate.upgrade()
    return app, database_url


def summary(samples_ms: list[float]) -> dict:
    """Median, p90 and p99 of a list of milliseconds."""
    ordered = sorted(samples_ms)

    def pct(p):
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    return {"n": len(ordered), "median_ms": round(statistics.median(ordered), 2),
            "p90_ms": round(pct(90), 2), "p99_ms": round(pct(99), 2)}
