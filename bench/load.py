"""Requests/s and latency of the portal's pages under `gunicorn -w 2`, beside bare Flask.

    .venv/bin/python bench/seed.py --tickets 100000 --database URL    # once per size
    .venv/bin/python bench/load.py --database URL --label sqlite-100k

Needs wrk (Debian: apt-get install wrk). For each page: wrk -t2 -c32 for --seconds (submissions
also with -c8, the clients the target names), and 200 single requests one after another for
the unloaded p50 (20 for the dashboard). Also measures Flask's own /hello and
/one (one query + one template, bench/baseline.py) in the same run, and each worker's RSS.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT

sys.path.insert(0, str(ROOT / "tests"))
from production.servers import Server, free_port, request, sign_in  # noqa: E402

WRK_LUA = """
wrk.method = "{method}"
wrk.headers["Cookie"] = "{cookie}"
{body}
"""
QUESTION = {"f_subject": "Bench question", "f_question": "How do I do this benchmark thing?"}


def wrk(port, path, seconds, cookie="", method="GET", form=None, connections=32) -> dict:
    lua = WRK_LUA.format(method=method, cookie=cookie, body="")
    if form:
        import urllib.parse
        body = urllib.parse.urlencode(form)
        lua += (f'wrk.body = "{body}"\n'
                'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n')
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s",
               script.name, f"http://127.0.0.1:{port}{path}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "p50": latency.get("50"), "p99": latency.get("99"),
            "non_2xx_3xx": int(non_2xx.group(1)) if non_2xx else 0,
            "socket_errors": errors.group(1) if errors else ""}


def single(port, path, cookie, n=200) -> float:
    """p50 in ms of requests sent one at a time (the page's own speed, no queueing)."""
    times = []
    for _ in range(n):
        started = time.perf_counter()
        status, _, _ = request(port, "GET", path, cookie=cookie)
        times.append((time.perf_counter() - started) * 1000)
        assert status == 200, (path, status)
    return round(statistics.median(times), 2)


def drain(port) -> None:
    """Wait until requests that wrk sent before it stopped are answered, so that a slow page's
    backlog does not count against the next page: a request queued behind them returns last."""
    for _ in range(4):
        request(port, "GET", "/healthz")


def rss_mb(server) -> list[float]:
    sizes = []
    for pid in server.worker_pids():
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(round(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024, 1))
    return sizes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a database seeded by bench/seed.py")
    parser.add_argument("--label", required=True)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="portal-load-"))
    results = {"label": args.label, "pages": {}, "single_p50_ms": {}}
    # The dashboard is measured computing its figures, not reading them from the shared cache.
    env = {"PORTAL_CATALOG": str(ROOT / "catalog.yaml"), "DASHBOARD_CACHE_SECONDS": "0"}
    with Server(args.database, tmp / "portal", workers=2, **env) as portal:
        port = portal.port
        requester = sign_in(port, "user1@bench.example", "bench")
        agent = sign_in(port, "agent1@bench.example", "bench")
        manager = sign_in(port, "manager1@bench.example", "bench")
        _, _, mine = request(port, "GET", "/my/requests?state=all", cookie=requester[0])
        own = re.search(r"/tickets/([A-Z]+-\d+)", mine).group(1)
        _, _, queue = request(port, "GET", "/queue", cookie=agent[0])
        worked = re.search(r"/tickets/([A-Z]+-\d+)", queue).group(1)
        status, _, _ = request(port, "POST", "/catalog/item/general-question",
                               {**QUESTION, "csrf_token": requester[1]}, requester[0])
        assert status == 303, f"submission refused ({status})"
        pages = {
            "home": ("/", requester),
            "catalog item form": ("/catalog/item/new-laptop", requester),
            "status page": (f"/tickets/{own}", requester),
            "my requests": ("/my/requests", requester),
            "agent queue": ("/queue", agent),
            "agent ticket page": (f"/tickets/{worked}", agent),
            "kb search": ("/search?q=vpn", requester),
            "dashboard": ("/dashboard", manager),
        }
        for name, (path, session) in pages.items():
            results["single_p50_ms"][name] = single(port, path, session[0],
                                                    n=20 if name == "dashboard" else 200)
            results["pages"][name] = wrk(port, path, args.seconds, session[0])
            drain(port)
        # The submission target is stated for 8 concurrent clients; 32 is shown beside it.
        for clients in (8, 32):
            results["pages"][f"submit ticket (POST, {clients} clients)"] = wrk(
                port, "/catalog/item/general-question", args.seconds, requester[0], "POST",
                {**QUESTION, "csrf_token": requester[1]}, connections=clients)
            drain(port)
        results["rss_mb_per_worker"] = rss_mb(portal)
    baseline_env = {**os.environ, "DATABASE_URL": args.database}
    base_port = free_port()
    base = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-b",
                             f"127.0.0.1:{base_port}", "--chdir", str(ROOT / "bench"),
                             "baseline:app"], env=baseline_env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                if request(base_port, "GET", "/hello")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        results["pages"]["flask hello world"] = wrk(base_port, "/hello", args.seconds)
        results["pages"]["flask one query + template"] = wrk(base_port, "/one", args.seconds)
    finally:
        base.terminate()
        base.wait(timeout=10)
    reference = results["pages"]["flask one query + template"]["rps"]
    for figures in results["pages"].values():
        figures["ratio_to_flask_one_query"] = round(figures["rps"] / reference, 2)
    out = ROOT / "bench" / "results" / f"load-{args.label}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
