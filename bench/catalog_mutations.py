"""1,000 mutated catalogs from the real catalog.yaml and catalog.d/: none may take the portal down.

Each mutation (seeded, so a run can be repeated) is
  (a) checked: in-process for every mutation (wall time, no exception may escape, every error
      located as file:line:col), and `flask catalog check` in a subprocess for every
      --sample-th one (wall time and that child's own peak RSS from wait4), and
  (b) saved over the catalog a running server (the same app, served over HTTP in a thread)
      is serving, then the home page, a category and an item form are fetched: each must
      answer 200 with the last good catalog.

    .venv/bin/python bench/catalog_mutations.py [--count 1000] [--seed 1] [--sample 10]
"""

import argparse
import json
import logging
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.mutations import KINDS, mutate  # noqa: E402

LIMIT_SECONDS, LIMIT_MB = 5.0, 300


def fresh_copy(folder: Path) -> Path:
    """The real catalog, copied into `folder`; returns the main file."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "catalog.yaml", folder / "catalog.yaml")
    shutil.copytree(ROOT / "catalog.d", folder / "catalog.d")
    return folder / "catalog.yaml"


def touch_all(folder: Path) -> None:
    """Move every mtime forward so the store sees even a same-size edit within one tick."""
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            stamp = path.stat().st_mtime_ns + 2_000_000_000
            os.utime(path, ns=(stamp, stamp))


def check_in_process(main: Path) -> dict:
    from portal.catalog import check_catalog

    start, cpu = time.perf_counter(), time.process_time()
    try:
        result = check_catalog(main)
    except BaseException:  # the finding: an exception escaped the check
        return {"seconds": time.perf_counter() - start, "traceback": traceback.format_exc()}
    errors = result.errors
    return {"seconds": time.perf_counter() - start, "cpu_s": time.process_time() - cpu,
            "errors": len(errors),
            "unlocated": [str(p) for p in errors if p.line is None or p.col is None],
            "unexpected": [str(p) for p in errors if "could not be checked" in p.message],
            "ok": result.catalog is not None}


def check_in_subprocess(main: Path, instance: Path) -> dict:
    env = {**os.environ, "PORTAL_INSTANCE": str(instance), "DATABASE_URL": "sqlite://",
           "PORTAL_CATALOG": str(main)}
    flask = Path(sys.executable).parent / "flask"
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen([str(flask), "--app", "app", "catalog", "check"], cwd=ROOT,
                                 env=env, stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    lines = [line for line in text.splitlines() if line.strip()]
    problems = [line for line in lines[:-1] if not line.startswith(("catalog OK",))]
    unlocated = [line for line in problems if "warning:" not in line
                 and not line.split(": ", 1)[0].count(":") >= 2]
    return {"seconds": seconds, "cpu_s": usage.ru_utime + usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024, "exit": child.returncode,
            "traceback": "Traceback" in text, "unlocated": unlocated}


def serve(main: Path, database: Path):
    """The portal serving `main` over HTTP in a thread; returns (base URL, server)."""
    import flask_migrate
    from werkzeug.serving import make_server

    from portal import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                      "SECRET_KEY": "b" * 40, "TESTING": True, "RATELIMIT_ENABLED": False,
                      "CATALOG_PATH": str(main)})
    with app.app_context():
        flask_migrate.upgrade()
        from portal.auth.models import Role, User
        from portal.extensions import db
        admin = User(email="admin@example.com", name="Admin", role=Role("admin"))
        admin.set_password("bench-pass")
        db.session.add(admin)
        db.session.commit()
    logging.disable(logging.CRITICAL)  # thousands of refused edits: the figures tell
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    login(base)
    return base, server


OPENER = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))


def login(base: str) -> None:
    """Sign in as the admin through the real form (CSRF on), so the item form is served."""
    page = OPENER.open(base + "/login", timeout=30).read().decode("utf-8")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"email": "admin@example.com", "password": "bench-pass",
                                   "csrf_token": token}).encode()
    OPENER.open(base + "/login", data=form, timeout=30).read()


PAGES = {"/": None, "/catalog/category/hardware": "Request a new laptop",
         "/catalog/item/new-laptop": "Request a new laptop"}


def fetch_pages(base: str, refused: bool | None = None) -> list[str]:
    """What went wrong on the three pages (nothing: an empty list); `refused`: whether the
    admins' banner must say the catalog has errors."""
    wrong = []
    for url, expected in PAGES.items():
        try:
            with OPENER.open(base + url, timeout=30) as response:
                body = response.read().decode("utf-8")
                if response.status != 200 or response.url != base + url:
                    wrong.append(f"{url}: {response.status} {response.url}")
                elif expected and expected not in body:
                    wrong.append(f"{url}: not the last good catalog")
                elif refused is not None and refused != ("catalog.yaml has errors" in body):
                    wrong.append(f"{url}: the admins' banner does not match the check")
        except Exception as error:  # a 500, a 404 or a dead server alike
            wrong.append(f"{url}: {error}")
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=int, default=10, help="subprocess every Nth")
    parser.add_argument("--shard", default="0/1",
                        help="i/N: only mutations n with n %% N == i (to run N at once)")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results"
                                                / "catalog_mutations.json"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="catalog-mutations-"))
    os.environ["PORTAL_INSTANCE"] = str(work / "instance")
    served = fresh_copy(work / "served")
    base, server = serve(served, work / "portal.db")
    assert not fetch_pages(base), "the real catalog must serve"
    rows, findings = [], []
    shard, shards = (int(part) for part in args.shard.split("/"))
    for n in range(shard, args.count, shards):
        kind = KINDS[n % len(KINDS)]
        folder = work / "mutant"
        main_file = fresh_copy(folder)
        description = mutate(random.Random(f"{args.seed}-{n}"), kind, folder)
        row = {"n": n, "kind": kind, "what": description,
               "check": check_in_process(main_file)}
        if n % args.sample == 0:
            row["cli"] = check_in_subprocess(main_file, work / "instance")
        # (b): the same edit saved over the served copy, then the pages.
        fresh_copy(work / "served")
        mutate(random.Random(f"{args.seed}-{n}"), kind, work / "served")
        touch_all(work / "served")
        row["pages"] = fetch_pages(base, refused=row["check"].get("ok") is False)
        if row["check"].get("ok") is not False:  # it went live: put the good one back
            fresh_copy(work / "served")
            touch_all(work / "served")
            row["pages"] += [f"after restore: {w}" for w in fetch_pages(base, refused=False)]
        rows.append(row)
        bad = problems_of(row)
        if bad:
            findings.append({"n": n, "kind": kind, "what": description, "problems": bad})
        if n % 50 == 0:
            print(f"{n}/{args.count} {kind}: {row['check']['seconds']:.2f}s", flush=True)
    server.shutdown()
    report = summarise(rows, findings, args)
    Path(args.output).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "findings"}, indent=2))
    for finding in findings[:20]:
        print(finding)
    shutil.rmtree(work, ignore_errors=True)


def problems_of(row: dict) -> list[str]:
    check, cli, pages = row["check"], row.get("cli"), row["pages"]
    bad = []
    if "traceback" in check:
        bad.append("exception escaped: " + check["traceback"].splitlines()[-1])
    bad += [f"unlocated: {p}" for p in check.get("unlocated", [])]
    bad += [f"unexpected exception: {p}" for p in check.get("unexpected", [])]
    if check["seconds"] > LIMIT_SECONDS:
        bad.append(f"check took {check['seconds']:.1f}s")
    if cli:
        if cli["traceback"]:
            bad.append("CLI printed a traceback")
        bad += [f"CLI unlocated: {p}" for p in cli["unlocated"]]
        if cli["seconds"] > LIMIT_SECONDS or cli["rss_mb"] > LIMIT_MB:
            bad.append(f"CLI {cli['seconds']:.1f}s {cli['rss_mb']:.0f} MB")
        if (cli["exit"] == 1) != (check.get("ok") is False):
            bad.append(f"CLI exit {cli['exit']} but in-process ok={check.get('ok')}")
    return bad + [f"page {p}" for p in pages]


def summarise(rows: list[dict], findings: list[dict], args) -> dict:
    checks = [r["check"]["seconds"] for r in rows]
    clis = [r["cli"] for r in rows if "cli" in r]
    by_kind = {}
    for row in rows:
        entry = by_kind.setdefault(row["kind"], {"n": 0, "refused": 0, "max_s": 0.0})
        entry["n"] += 1
        entry["refused"] += row["check"].get("ok") is False
        entry["max_s"] = round(max(entry["max_s"], row["check"]["seconds"]), 3)
    return {
        "seed": args.seed, "shard": args.shard, "mutations": len(rows),
        "refused_with_errors": sum(r["check"].get("ok") is False for r in rows),
        "tracebacks": sum("traceback" in r["check"] for r in rows)
        + sum(c["traceback"] for c in clis),
        "errors_without_file_line_col": sum(len(r["check"].get("unlocated", [])) for r in rows)
        + sum(len(c["unlocated"]) for c in clis),
        "in_process_check_max_s": round(max(checks), 3),
        "in_process_check_median_s": round(sorted(checks)[len(checks) // 2], 3),
        "cli_runs": len(clis),
        "in_process_check_max_cpu_s": round(max(r["check"].get("cpu_s", 0) for r in rows), 3),
        "cli_max_s": round(max(c["seconds"] for c in clis), 3) if clis else None,
        "cli_max_cpu_s": round(max(c["cpu_s"] for c in clis), 3) if clis else None,
        "load_average": os.getloadavg(),
        "cli_max_rss_mb": round(max(c["rss_mb"] for c in clis), 1) if clis else None,
        "page_failures": sum(len(r["pages"]) for r in rows),
        "by_kind": by_kind, "findings": findings,
    }


if __name__ == "__main__":
    main()
