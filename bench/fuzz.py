"""Fuzz every route of the portal over HTTP and check that the server holds.

    .venv/bin/python bench/fuzz.py --requests 100000 --seed 1
    .venv/bin/python bench/fuzz.py --database postgresql+psycopg://127.0.0.1/fuzz --reset \\
        --server both --requests 20000

Seeds the database as `make run` does (flask db upgrade, flask demo load), starts gunicorn
(and/or the threaded development server, `--server dev|both`) on loopback with
PYTHONFAULTHANDLER=1 and the outbox worker thread, signs in as requester, agent, manager and
admin, and sends bounded random requests from concurrent clients over every route in the
app's url_map (hostile ids, unicode, control characters, huge values, HX- and Accept-Language
headers, damaged cookies, forms seen on pages with fuzzed fields and a valid CSRF token),
while approvals are submitted and decided concurrently. Then reports the statuses, every 5xx
with the server's traceback, whether the server (and each worker) stayed up, and the SQL
invariants of complete tickets (bench/fuzz_checks.py). Exits 1 on any 5xx, a crash, a dead
server or a half-written row.
"""

import argparse
import json
import re
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz_checks import counts, new_violations, violations  # noqa: E402
from fuzz_clients import ROLES, ApprovalDriver, Client, Tally  # noqa: E402
from fuzz_inputs import Harvest  # noqa: E402
from fuzz_server import ROOT, Server, reset_postgres, seed, server_env, tracebacks  # noqa: E402


def routes(env: dict) -> list[tuple[str, set[str]]]:
    """Every rule of the app's url_map with its methods (the app built here, not served)."""
    import os
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "PORTAL_INSTANCE", "SECRET_KEY")})
    os.environ["MAIL_WORKER_THREAD"] = "0"
    sys.path.insert(0, str(ROOT))
    from portal import create_app
    app = create_app({"TESTING": True})
    return [(rule.rule, set(rule.methods) - {"HEAD", "OPTIONS"})
            for rule in app.url_map.iter_rules()]


def fuzz_one(kind: str, args, env: dict, work: Path, rules) -> dict:
    """One server, `args.requests` requests: the report of that run."""
    server = Server(kind, env, work / f"{kind}.log", workers=args.workers).start()
    tally, harvest, stop = Tally(), Harvest(), threading.Event()
    deadline = time.monotonic() + args.max_seconds
    started = time.monotonic()
    try:
        share = -(-args.requests // args.clients)
        clients = [Client(n, server.port, role, rules, harvest, tally, args.seed * 1000 + n,
                          share, deadline, stop)
                   for n, role in zip(range(args.clients), list(ROLES) * args.clients,
                                      strict=False)]
        approvals = ApprovalDriver(server.port, tally, args.seed, deadline, stop)
        for thread in (*clients, approvals):
            thread.start()
        watch(server, clients, stop, args.progress)
        stop.set()
        approvals.join(timeout=120)
        seconds = time.monotonic() - started
        health = server.health()
    finally:
        server.stop()
    log_text = server.log.read_text(errors="replace")
    traces = tracebacks(log_text)
    for failure in tally.failures:
        failure["traceback"] = traces.get(failure["request_id"], "(none logged)")
    # The same fault found again and again is listed once, with how often and one example.
    by_cause = Counter((f["method"], re.sub(r"/[^/]*\d[^/]*|/[^/]*%[^/]*", "/…",
                                            f["url"].split("?")[0]),
                        f["traceback"].strip().splitlines()[-1][:200]) for f in tally.failures)
    background = sorted({trace.strip().splitlines()[-1][:200] for rid, trace in traces.items()
                         if rid == "-"})
    return {
        "server": kind, "seconds": round(seconds, 1), "requests": tally.sent,
        "requests_per_second": round(tally.sent / seconds, 1),
        "statuses": dict(sorted(tally.statuses.items())), "no_answer": dict(tally.errors),
        "approval_decisions": dict(tally.decisions), "server_health": health,
        "failures_by_cause": [{"method": m, "path": p, "error": e, "count": n}
                              for (m, p, e), n in by_cause.most_common()],
        # Logged outside any request (the outbox worker thread, housekeeping): not a 5xx.
        "background_errors": background,
        "failures": tally.failures, "log": str(server.log),
    }


def watch(server: Server, clients, stop: threading.Event, every: float) -> None:
    """Wait for the clients; stop them all if the server dies (nothing would answer)."""
    last = time.monotonic()
    while any(c.is_alive() for c in clients):
        for client in clients:
            client.join(timeout=1)
        if server.process.poll() is not None:
            print(f"!! the {server.kind} server exited with {server.process.poll()}",
                  file=sys.stderr)
            stop.set()
        if every and time.monotonic() - last >= every:
            last = time.monotonic()
            print(f".. {sum(c.count for c in clients)} requests sent", file=sys.stderr)


def failed(report: dict) -> list[str]:
    reasons = []
    for run in report["runs"]:
        health = run["server_health"]
        if run["failures"]:
            reasons.append(f"{run['server']}: {len(run['failures'])} responses 5xx")
        if not health["alive"]:
            reasons.append(f"{run['server']}: the server is down (exit {health['exit_code']})")
        if health["worker_deaths"] or health["fatal_errors"]:
            reasons.append(f"{run['server']}: a process crashed: {health['worker_deaths']}"
                           f" {[f.splitlines()[0] for f in health['fatal_errors']]}")
        if run["no_answer"].get("ConnectionRefusedError"):
            reasons.append(f"{run['server']}: connections refused")
    if report["half_written"]:
        reasons.append(f"broken invariants: {list(report['half_written'])}")
    return reasons


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000, help="per server")
    parser.add_argument("--database", help="SQLite or PostgreSQL URL (default: a new SQLite "
                        "file)")
    parser.add_argument("--reset", action="store_true",
                        help="PostgreSQL: drop the public schema first (deletes everything)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--server", choices=("gunicorn", "dev", "both"), default="gunicorn")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--max-seconds", type=float, default=1800, help="per server")
    parser.add_argument("--progress", type=float, default=30, help="seconds between notes")
    parser.add_argument("--output", help="where to write the JSON report")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="portal-fuzz-"))
    database = args.database or f"sqlite:///{work}/fuzz.db"
    if args.reset and database.startswith("postgresql"):
        reset_postgres(database)
    env = server_env(database, work / "instance")
    seed(env)
    before = violations(database)
    rules = routes(env)
    kinds = ("gunicorn", "dev") if args.server == "both" else (args.server,)
    report = {"database": database.split("@")[-1], "seed": args.seed, "routes": len(rules),
              "runs": [fuzz_one(kind, args, env, work, rules) for kind in kinds]}
    after = violations(database)
    report["rows"] = counts(database)
    report["invariants_checked"] = len(after)
    report["violations_before"] = {k: len(v) for k, v in before.items() if v}
    report["half_written"] = new_violations(before, after)
    report["failed"] = failed(report)
    text = json.dumps(report, indent=2, ensure_ascii=False, default=str)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    print(text)
    print("FAILED: " + "; ".join(report["failed"]) if report["failed"] else
          "OK: no 5xx, no crash, no half-written row", file=sys.stderr)
    return 1 if report["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
