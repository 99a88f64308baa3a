"""The fuzzing clients: each one a signed-in role sending bounded random requests, plus the
approval drivers that submit requests needing approval and decide them concurrently."""

import http.client
import json
import random
import re
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field

from fuzz_inputs import (
    Harvest,
    form_values,
    fuzz_headers,
    fuzz_int,
    fuzz_text,
    parse_page,
    query_string,
    quote,
    random_unicode,
)

ROLES = {"requester": "requester@example.com", "agent": "agent@example.com",
         "manager": "manager@example.com", "admin": "admin@example.com"}
DEMO_PASSWORD = "demo"
# Signing out would end the client's session; the demo people's own admin pages would let a
# fuzzed form demote or deactivate the accounts the run signs in with.
SKIPPED_POSTS = re.compile(r"/logout|/admin/people/[1-7]")
SOFTWARE_INSTALL = [("f_device", "my-laptop"), ("f_justification", "Needed for a project")]
SOFTWARE = ("visio", "figma", "tableau", "docker-desktop")


@dataclass
class Tally:
    """What every client saw, under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: int = 0
    statuses: Counter = field(default_factory=Counter)
    failures: list = field(default_factory=list)     # 5xx: method, url, status, request id
    errors: Counter = field(default_factory=Counter)  # no answer: timeouts, refused
    decisions: Counter = field(default_factory=Counter)

    def record(self, method, url, status, rid, error=None):
        with self.lock:
            self.sent += 1
            if error:
                self.errors[error] += 1
                return
            self.statuses[f"{status // 100}xx"] += 1
            if status >= 500:
                self.failures.append({"method": method, "url": url, "status": status,
                                      "request_id": rid})


class Session:
    """One signed-in browser: a cookie and the CSRF token of its session."""

    def __init__(self, port: int, email: str):
        self.port, self.email, self.cookie, self.csrf = port, email, "", ""
        self.sign_in()

    def raw(self, method, path, body=None, headers=None, timeout=60):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def sign_in(self) -> None:
        status, headers, page = self.raw("GET", "/login")
        cookie = headers["Set-Cookie"].split(";", 1)[0]
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
        body = urllib.parse.urlencode({"email": self.email, "password": DEMO_PASSWORD,
                                       "csrf_token": token})
        status, headers, _ = self.raw("POST", "/login", body, {
            "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        if status != 303:
            raise RuntimeError(f"cannot sign in as {self.email}: {status}")
        self.cookie = headers["Set-Cookie"].split(";", 1)[0]
        _, _, page = self.raw("GET", "/", headers={"Cookie": self.cookie})
        hx = re.search(rb"data-hx-headers='([^']+)'", page).group(1).decode()
        self.csrf = json.loads(hx.replace("&#34;", '"'))["X-CSRFToken"]


class Client(threading.Thread):
    """Sends its share of random requests as one role until the count or the time is up."""

    def __init__(self, n, port, role, rules, harvest: Harvest, tally: Tally, seed, budget,
                 deadline, stop: threading.Event):
        super().__init__(name=f"fuzz-{n}-{role}", daemon=True)
        self.rng = random.Random(seed)
        self.n, self.role, self.rules, self.harvest, self.tally = n, role, rules, harvest, tally
        self.budget, self.deadline, self.stop = budget, deadline, stop
        self.session = Session(port, ROLES[role])
        self.count = 0

    def run(self):
        while self.count < self.budget and time.monotonic() < self.deadline \
                and not self.stop.is_set():
            method, url, body = self.next_request()
            self.send(method, url, body)

    def next_request(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.08:  # the request of the reported crash, and its neighbours
            path = rng.choice(("/dashboard/export.csv", "/dashboard"))
            return "GET", path + "?" + query_string(rng, {"team": "me", "from": "\t"}) + \
                "&team=" + quote(random_unicode(rng, rng.randrange(1, 30))), None
        if roll < 0.35 and (link := self.harvest.pick_link(rng)):
            if rng.random() < 0.5:
                link += ("&" if "?" in link else "?") + query_string(rng)
            return "GET", link, None
        if roll < 0.55 and (found := self.harvest.pick_form(rng)):
            action, form = found
            if not SKIPPED_POSTS.search(action):
                return "POST", action, form_values(rng, form, self.session.csrf, 0.3)
        rule, methods = rng.choice(self.rules)
        path = self.fill(rule)
        if "GET" in methods and (rng.random() < 0.6 or "POST" not in methods):
            return "GET", path + ("?" + query_string(rng) if rng.random() < 0.6 else ""), None
        if SKIPPED_POSTS.search(path):
            return "GET", "/healthz", None
        form = self.harvest.form_for(path)
        if form:
            return "POST", path, form_values(rng, form, self.session.csrf, 0.5)
        fields = [(fuzz_text(rng)[:20] or "x", fuzz_text(rng)) for _ in range(rng.randrange(4))]
        return "POST", path, [*fields, ("csrf_token", self.session.csrf)]

    def fill(self, rule: str) -> str:
        """The rule with each <argument> given a hostile value, or a real URL of the rule
        seen on a page (a ticket number, an approval id, an article slug)."""
        if "<" in rule and self.rng.random() < 0.4:
            known = self.harvest.matching(re.compile(re.sub(r"<[^>]+>", "[^/]+", rule)))
            if known:
                return self.rng.choice(known)

        def value(match):
            kind = match.group(1) or ""  # the converter as written: "int:", "any(a, b):", ""
            if kind.startswith("any("):
                return self.rng.choice([*re.findall(r"\w+", kind[4:-2]),
                                        quote(fuzz_text(self.rng)[:20]) or "x"])
            if kind == "int:":
                return quote(fuzz_int(self.rng))
            return quote(fuzz_text(self.rng)[:200]) or "x"

        return re.sub(r"<([^:<>]+:)?[^<>]+>", value, rule)

    def send(self, method, url, pairs):
        self.count += 1
        rid = f"fz{self.n}x{self.count}"
        headers = {"X-Request-ID": rid, **fuzz_headers(self.rng, self.session.cookie)}
        rid = headers["X-Request-ID"]  # a fuzzed one is replaced by the server's own
        body = None
        if pairs is not None:
            body = "&".join(f"{quote(k)}={quote(v)}" for k, v in pairs)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            status, response_headers, data = self.session.raw(method, url, body, headers)
        except (OSError, http.client.HTTPException, ValueError) as error:
            self.tally.record(method, url, 0, rid, f"{type(error).__name__}: {error}"[:80])
            return
        self.tally.record(method, url, status, response_headers.get("X-Request-ID", rid))
        if status == 200 and "text/html" in response_headers.get("Content-Type", ""):
            self.harvest.add(parse_page(data.decode("utf-8", "replace")), url.split("?")[0])
        elif status in (302, 303) and "/login" in response_headers.get("Location", ""):
            self.session.sign_in()  # a fuzzed cookie or a role change lost the session


class ApprovalDriver(threading.Thread):
    """Keeps approvals coming and decides them: the requester submits items that need the
    manager's approval; `deciders` manager sessions race to approve or reject each one."""

    def __init__(self, port, tally: Tally, seed, deadline, stop: threading.Event, deciders=2):
        super().__init__(name="fuzz-approvals", daemon=True)
        self.rng = random.Random(seed)
        self.port, self.tally, self.deadline, self.stop = port, tally, deadline, stop
        self.requester = Session(port, ROLES["requester"])
        self.managers = [Session(port, ROLES["manager"]) for _ in range(deciders)]

    def run(self):
        while time.monotonic() < self.deadline and not self.stop.is_set():
            self.submit()
            _, _, page = self.managers[0].raw("GET", "/approvals",
                                              headers={"Cookie": self.managers[0].cookie})
            ids = re.findall(rb'action="/approvals/(\d+)"', page)[:5]
            for approval_id in ids:
                threads = [threading.Thread(target=self.decide, args=(m, approval_id.decode()))
                           for m in self.managers]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
            if not ids:
                self.stop.wait(0.2)

    def submit(self):
        """A software install, which the requester's manager must approve."""
        session = self.requester
        pairs = [*SOFTWARE_INSTALL, ("f_software", self.rng.choice(SOFTWARE)),
                 ("csrf_token", session.csrf)]
        status = self.post(session, "/catalog/item/software-install", pairs)
        with self.tally.lock:
            self.tally.decisions[f"submit {status}"] += 1

    def decide(self, manager: Session, approval_id: str):
        approve = self.rng.random() < 0.7
        pairs = [("decision", "approve" if approve else "reject"),
                 ("comment", "" if approve else "Not in this quarter's budget"),
                 ("csrf_token", manager.csrf)]
        status = self.post(manager, f"/approvals/{approval_id}", pairs)
        with self.tally.lock:
            self.tally.decisions[f"{'approve' if approve else 'reject'} {status}"] += 1

    def post(self, session: Session, path: str, pairs) -> int:
        body = urllib.parse.urlencode(pairs)
        rid = f"fzap{self.rng.randrange(10**9)}"
        try:
            status, _, _ = session.raw("POST", path, body, {
                "Cookie": session.cookie, "X-Request-ID": rid,
                "Content-Type": "application/x-www-form-urlencoded"})
        except (OSError, http.client.HTTPException) as error:
            self.tally.record("POST", path, 0, rid, type(error).__name__)
            return 0
        self.tally.record("POST", path, status, rid)
        return status
