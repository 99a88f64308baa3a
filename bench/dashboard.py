"""The managers' dashboard at scale: time the default view's figures and the whole page.

    .venv/bin/python bench/seed.py --tickets 1000000 --database sqlite:////tmp/d1m.db   # once
    .venv/bin/python bench/dashboard.py --database sqlite:////tmp/d1m.db
    createdb -h 127.0.0.1 dashbench
    .venv/bin/python bench/seed.py --tickets 1000000 --database postgresql+psycopg://127.0.0.1/dashbench
    .venv/bin/python bench/dashboard.py --database postgresql+psycopg://127.0.0.1/dashbench

Three timings over the default view (the last 30 days, every team, grouped by day):
- figures: every figure function called in turn in an app context, one after the other;
- collect: figures.collect(), which computes them as the view does (two at a time);
- page: GET /dashboard through the Flask test client, signed in as manager1@bench.example
  (figures + template + catalog names), which is what a manager waits for.
Each is run `--rounds` times after one warm-up; median and p90 are reported, with the median of
each figure alone to show where the time goes. `--explain` prints the query plans.
"""

import argparse
import json
import re
import time
from pathlib import Path

from common import ROOT, make_app, summary

ROUNDS = 20


def measure_figures(app, rounds: int) -> dict:
    from portal.dashboard import figures
    from portal.dashboard.filters import DashboardFilter
    from portal.web.catalog import current_catalog

    names = ["volume", "backlog", "sla", "first_response_times", "resolution_times",
             "busiest_items", "satisfaction", "approval_cycle", "self_help"]
    totals, each = [], {name: [] for name in names}
    with app.test_request_context("/dashboard"):
        catalog = current_catalog()
        for round_no in range(rounds + 1):
            flt = DashboardFilter.from_args({}, catalog)
            started = time.perf_counter()
            for name in names:
                begun = time.perf_counter()
                getattr(figures, name)(flt)
                if round_no:
                    each[name].append((time.perf_counter() - begun) * 1000)
            if round_no:  # round 0 warms the caches
                totals.append((time.perf_counter() - started) * 1000)
            figures.db.session.rollback()
    result = summary(totals)
    result["per_figure_median_ms"] = {name: summary(v)["median_ms"] for name, v in each.items()}
    return result


def measure_collect(app, rounds: int) -> dict:
    from portal.dashboard import figures
    from portal.dashboard.filters import DashboardFilter
    from portal.web.catalog import current_catalog

    samples = []
    with app.test_request_context("/dashboard"):
        catalog = current_catalog()
        for round_no in range(rounds + 1):
            flt = DashboardFilter.from_args({}, catalog)
            started = time.perf_counter()
            figures.collect(flt)
            if round_no:
                samples.append((time.perf_counter() - started) * 1000)
    return summary(samples)


def measure_page(app, rounds: int) -> dict:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": "manager1@bench.example",
                                            "password": "bench", "csrf_token": token})
    assert response.status_code == 303, "sign-in failed: was the database seeded by seed.py?"
    samples = []
    for round_no in range(rounds + 1):
        started = time.perf_counter()
        response = client.get("/dashboard")
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        if round_no:
            samples.append(elapsed)
    return summary(samples)


def explain(app) -> None:
    """Print the plan of every statement the default view runs."""
    from sqlalchemy import event

    from portal.dashboard import figures
    from portal.dashboard.filters import DashboardFilter
    from portal.extensions import db
    from portal.web.catalog import current_catalog

    statements = []
    with app.test_request_context("/dashboard"):
        engine = db.engine
        postgres = engine.dialect.name == "postgresql"

        def capture(conn, cursor, statement, parameters, context, executemany):
            if statement.lstrip().upper().startswith(("SELECT", "WITH")):
                statements.append((statement, parameters))

        event.listen(engine, "before_cursor_execute", capture)
        figures.collect(DashboardFilter.from_args({}, current_catalog()))
        event.remove(engine, "before_cursor_execute", capture)
        with engine.connect() as conn:
            for statement, parameters in statements:
                prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
                rows = conn.exec_driver_sql(prefix + statement, parameters).all()
                print("--", " ".join(statement.split())[:300])
                for row in rows:
                    print("   ", row[-1] if not postgres else row[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a database seeded by bench/seed.py")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--explain", action="store_true", help="print the query plans too")
    args = parser.parse_args()
    app, url = make_app(args.database)
    if args.explain:
        explain(app)
    with app.app_context():
        from sqlalchemy import func, select

        from portal.extensions import db
        from portal.tickets.models import Ticket
        tickets = db.session.scalar(select(func.count()).select_from(Ticket))
    result = {"database": url.split("://")[0], "tickets": tickets,
              "figures": measure_figures(app, args.rounds),
              "collect": measure_collect(app, args.rounds),
              "page": measure_page(app, args.rounds)}
    print(json.dumps(result, indent=2))
    Path(ROOT / "bench" / "results").mkdir(exist_ok=True)
    size = f"{tickets // 1000}k" if tickets < 1_000_000 else f"{tickets // 1_000_000}m"
    out = ROOT / "bench" / "results" / f"dashboard-{result['database'].split('+')[0]}-{size}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
