"""The server under fuzz: a seeded database, gunicorn or the threaded development server on
loopback with faulthandler on, and what its log says afterwards."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database_url: str, instance: Path) -> dict:
    return {**os.environ, "DATABASE_URL": database_url, "PORTAL_INSTANCE": str(instance),
            "PORTAL_ENV": "development", "SECRET_KEY": "f" * 40, "FLASK_APP": "app.py",
            "LOG_FORMAT": "text", "RATELIMIT_DISABLED": "1", "PYTHONFAULTHANDLER": "1",
            # Every dashboard view computes its figures, so their threads run every time.
            "DASHBOARD_CACHE_SECONDS": "0",
            # As `make run` does: the outbox worker thread inside every web process.
            "MAIL_WORKER_THREAD": "1", "PROMETHEUS_MULTIPROC_DIR": str(instance)}


def reset_postgres(database_url: str) -> None:
    """Drop and recreate the public schema (only with --reset: it deletes everything)."""
    from sqlalchemy import create_engine, text
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1)
                           if database_url.startswith("postgresql://") else database_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def seed(env: dict) -> None:
    """`flask db upgrade && flask demo load`, as `make run` does."""
    for command in (["db", "upgrade"], ["demo", "load"]):
        done = subprocess.run([str(BIN / "flask"), *command], cwd=ROOT, env=env,
                              capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"flask {' '.join(command)} failed:\n{done.stdout}{done.stderr}")


class Server:
    """One server process (group) with its log; `kind` is "gunicorn" or "dev"."""

    def __init__(self, kind: str, env: dict, log: Path, workers: int = 2):
        self.kind, self.env, self.log, self.port = kind, env, log, free_port()
        if kind == "gunicorn":
            self.env = {**env, "BIND": f"127.0.0.1:{self.port}",
                        "WEB_CONCURRENCY": str(workers), "WEB_TIMEOUT": "60"}
            self.args = [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--log-level",
                         "info", "app:app"]
        else:  # `flask run` is threaded by default, and has no reloader without --debug
            self.args = [str(BIN / "flask"), "run", "--host", "127.0.0.1", "--port",
                         str(self.port), "--with-threads"]
        self.process = None
        self.first_workers: list[int] = []

    def start(self) -> "Server":
        self.process = subprocess.Popen(self.args, cwd=ROOT, env=self.env,
                                        stdout=self.log.open("w"), stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited at start:\n{self.log.read_text()}")
            if self.answers():
                self.first_workers = self.worker_pids()
                return self
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"the server did not answer within 60 s:\n{self.log.read_text()}")

    def answers(self) -> bool:
        import http.client
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            conn.request("GET", "/healthz")
            return conn.getresponse().status == 200
        except OSError:
            return False

    def worker_pids(self) -> list[int]:
        if self.kind != "gunicorn" or self.process.poll() is not None:
            return []
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True,
                             text=True).stdout
        return sorted(int(pid) for pid in out.split())

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def health(self) -> dict:
        """Is it up, which workers died (and of what) and which were recycled on purpose."""
        text = self.log.read_text(errors="replace")
        return {
            "alive": self.process.poll() is None and self.answers(),
            "exit_code": self.process.poll(),
            "workers_at_start": self.first_workers,
            "workers_now": self.worker_pids(),
            # gunicorn: max_requests recycling is planned; a signal or exit code is not.
            "recycled": len(re.findall(r"Autorestarting worker", text)),
            "worker_deaths": [line for line in text.splitlines() if DEATH.search(line)],
            "fatal_errors": fatal_errors(text),
        }


# Line by line: a fuzzed URL makes access-log lines hundreds of kilobytes long, and a pattern
# that starts with .* would try every position of them. SIGTERM is how gunicorn stops a
# worker on shutdown; the other signals are crashes.
DEATH = re.compile(r"was sent SIG(?!TERM)\w+|terminated due to signal \d+|exited with code \d+"
                   r"|WORKER TIMEOUT")


def fatal_errors(text: str) -> list[str]:
    """faulthandler's reports (SIGSEGV, SIGABRT...): the first lines of each, with the stack."""
    found = []
    for match in re.finditer(r"Fatal Python error: .*", text):
        found.append(text[match.start():match.start() + 3000])
    return found


def tracebacks(text: str) -> dict[str, str]:
    """The logged exceptions by request id: "... [rid] message" and the traceback below it,
    chained exceptions included."""
    found, lines = {}, text.splitlines()
    for n, line in enumerate(lines[:-1]):
        if not lines[n + 1].startswith("Traceback"):
            continue
        head = re.match(r"\S+ \S+ [A-Z]+ \S+ \[([^\]\s]+)\] (.*)", line)
        if not head:
            continue
        block, k = [head.group(2)], n + 1
        while k < len(lines):
            current = lines[k]
            block.append(current)
            k += 1
            if current.startswith((" ", "Traceback", "During handling", "The above")) or \
                    not current:
                continue
            # The exception line; a chained one follows after a blank line.
            if k + 1 < len(lines) and not lines[k] and lines[k + 1].startswith(
                    ("During handling", "The above")):
                continue
            break
        found[head.group(1)] = "\n".join(block)
    return found
