"""Real gunicorn servers on loopback for the production-path tests, and a tiny HTTP client."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`gunicorn -w N app:app` against the test database; stopped on exit."""

    def __init__(self, database_url: str, tmp: Path, workers: int = 2, **env):
        tmp.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "x" * 40,
                    "PORTAL_ENV": "development", "PORTAL_INSTANCE": str(tmp),
                    "PORTAL_CATALOG": str(ROOT / "tests" / "catalogs" / "portal.yaml"),
                    "RATELIMIT_DISABLED": "1", "PROMETHEUS_MULTIPROC_DIR": str(tmp),
                    "LOG_FORMAT": "text", **env}
        self.args = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b",
                     f"127.0.0.1:{self.port}", "--timeout", "60", "--log-level", "warning",
                     "app:app"]
        self.log = tmp / f"gunicorn-{self.port}.log"

    def __enter__(self):
        self.log_file = self.log.open("w")  # closed on exit, once gunicorn has stopped
        self.process = subprocess.Popen(self.args, cwd=ROOT, env=self.env,
                                        stdout=self.log_file, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("gunicorn did not start:\n" + self.log.read_text())

    def __exit__(self, *exc):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log_file.close()

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True,
                             text=True).stdout
        return [int(pid) for pid in out.split()]


def request(port, method, path, data=None, cookie=None, timeout=60):
    """One request, no redirects followed: (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {}
    body = None
    if data is not None:
        body = urllib.parse.urlencode(data, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if cookie:
        headers["Cookie"] = cookie
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def sign_in(port, email, password="secret-pass") -> tuple[str, str]:
    """A signed-in session: (cookie, csrf token)."""
    status, headers, page = request(port, "GET", "/login")
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    token = csrf_of(page)
    status, headers, _ = request(port, "POST", "/login", {
        "email": email, "password": password, "csrf_token": token}, cookie)
    assert status == 303, status
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    status, _, page = request(port, "GET", "/", cookie=cookie)
    return cookie, csrf_of(page)


def csrf_of(page: str) -> str:
    match = re.search(r"data-hx-headers='([^']+)'", page)
    return json.loads(match.group(1).replace("&#34;", '"'))["X-CSRFToken"]
