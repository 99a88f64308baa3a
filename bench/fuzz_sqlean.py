"""Hammer SQLite connections from many threads, as the web process does, with faulthandler on.

    .venv/bin/python -X faulthandler bench/fuzz_sqlean.py --driver sqlean --seconds 60
    .venv/bin/python -X faulthandler bench/fuzz_sqlean.py --driver sqlite3 --seconds 60
    .venv/bin/python -X faulthandler bench/fuzz_sqlean.py --pool null --seconds 60
    .venv/bin/python -X faulthandler bench/fuzz_sqlean.py --pool app --seconds 60

Each thread checks a connection out of a SQLAlchemy pool (QueuePool, as the pysqlite dialect
uses for files: connections move between threads; or NullPool: a connection lives and dies in
one thread), runs reads (percentile() with sqlean), writes, a bind that overflows (2**63, as a
fuzzed URL id does), and results left half read; the exceptions are kept alive for a while,
so their tracebacks keep cursors alive until the cyclic collector, in whichever thread, frees
them. A segfault ends the process with faulthandler's report; otherwise it prints counts.
"""

import argparse
import gc
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.pool import NullPool, QueuePool


def make_engine(driver: str, pool: str, path: str):
    if pool == "app":  # what the portal itself uses (portal/extensions.py)
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from portal.extensions import engine_options
        return create_engine(f"sqlite:///{path}", **engine_options("sqlite:///"))
    module = __import__(driver)
    if driver == "sqlean":
        module.extensions.enable("stats")
    engine = create_engine(f"sqlite:///{path}", module=module,
                           poolclass=NullPool if pool == "null" else QueuePool,
                           **({} if pool == "null" else {"pool_size": 4, "max_overflow": 4}))

    @event.listens_for(engine, "connect")
    def pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
    return engine


def work(engine, driver, seed, deadline, counts, kept, lock, half_read):
    rng = random.Random(seed)
    median = "percentile(v, 50)" if driver == "sqlean" else "avg(v)"
    while time.monotonic() < deadline:
        roll = rng.random()
        try:
            with engine.connect() as conn:
                if roll < 0.4:
                    conn.execute(text(f"SELECT count(*), {median} FROM t WHERE k >= :k"),
                                 {"k": rng.randrange(100)}).all()
                elif roll < 0.6:
                    conn.execute(text("INSERT INTO t (k, v, s) VALUES (:k, :v, :s)"),
                                 {"k": rng.randrange(100), "v": rng.random(), "s": "é" * 20})
                    conn.commit()
                elif roll < 0.8 and half_read:
                    result = conn.execute(text("SELECT * FROM t ORDER BY id DESC LIMIT 500"))
                    result.fetchmany(3)  # left half read: the cursor still holds a statement
                    with lock:
                        kept.append(result)
                elif roll >= 0.8:
                    conn.execute(text("SELECT * FROM t WHERE id = :id"), {"id": 2**63})
            outcome = "ok"
        except Exception as error:  # noqa: BLE001 - each kind is counted
            outcome = type(error).__name__
            with lock:
                kept.append(error)  # its traceback holds the frames and cursors
        with lock:
            counts[outcome] = counts.get(outcome, 0) + 1
            if len(kept) > 200:
                del kept[: rng.randrange(50, 200)]
        if rng.random() < 0.02:
            gc.collect()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--driver", choices=("sqlean", "sqlite3"), default="sqlean")
    parser.add_argument("--pool", choices=("queue", "null", "app"), default="queue",
                        help="app: the portal's own engine options (sqlean)")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--no-half-read", action="store_true",
                        help="only the errors' tracebacks keep cursors alive")
    args = parser.parse_args()
    path = tempfile.mkdtemp(prefix="sqlean-stress-") + "/stress.db"
    engine = make_engine(args.driver, args.pool, path)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, k INT, v REAL, s TEXT)"))
        conn.execute(text("INSERT INTO t (k, v, s) SELECT value % 100, value * 0.5, 'x' "
                          "FROM generate_series(1, 5000)") if args.driver == "sqlean" else
                     text("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                          "WHERE i < 5000) INSERT INTO t (k, v, s) SELECT i % 100, i * 0.5, "
                          "'x' FROM n"))
    counts, kept, lock = {}, [], threading.Lock()
    deadline = time.monotonic() + args.seconds
    threads = [threading.Thread(target=work, args=(engine, args.driver, n, deadline, counts,
                                                   kept, lock, not args.no_half_read))
               for n in range(args.threads)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = sum(counts.values())
    print(f"{args.driver} pool={args.pool} threads={args.threads}: {total} operations in "
          f"{time.monotonic() - started:.0f} s, no crash; {dict(sorted(counts.items()))}")


if __name__ == "__main__":
    sys.exit(main())
