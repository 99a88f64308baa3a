"""Several gunicorn workers and processes on one database behave as one portal."""

import os
import signal
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.tickets.models import Answer, Event, EventKind, Ticket

from .servers import Server, request, sign_in

SUBMISSION = {"f_impact": "high", "f_urgency": "low", "f_details": "Printer on fire"}


@pytest.fixture
def people(make_user):
    return [make_user(f"user{i}@example.com").email for i in range(8)]


def submit(port, session):
    cookie, token = session
    try:
        status, headers, _ = request(port, "POST", "/catalog/item/outage",
                                     {**SUBMISSION, "csrf_token": token}, cookie)
    except OSError as error:  # a killed worker drops its connections
        return "dropped", str(error)
    return status, headers.get("Location", "")


def test_200_concurrent_submissions_on_two_servers_with_four_workers(
        app, people, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with Server(url, tmp_path / "a", workers=2) as first, \
            Server(url, tmp_path / "b", workers=2) as second:
        # Signed in on one server, working on the other: sessions live in the cookie.
        sessions = [sign_in(first.port, email) for email in people]
        jobs = [(first.port if n % 2 else second.port, sessions[n % len(sessions)])
                for n in range(200)]
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=50) as pool:
            results = list(pool.map(lambda job: submit(*job), jobs))
        elapsed = time.monotonic() - started
    statuses = Counter(status for status, _ in results)
    assert statuses == {303: 200}, (statuses, [r for r in results if r[0] != 303][:5])
    numbers = [location.rsplit("/", 1)[1] for _, location in results]
    assert len(set(numbers)) == 200
    with app.app_context():
        stored = db.session.scalars(select(Ticket.number)).all()
    assert sorted(stored) == sorted(numbers)
    assert sorted(stored) == [f"INC-{n:06d}" for n in range(1, 201)]
    print(f"200 submissions in {elapsed:.1f}s")


def test_a_killed_worker_leaves_no_half_written_ticket(app, people, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with Server(url, tmp_path / "k", workers=2) as server:
        sessions = [sign_in(server.port, email) for email in people]
        results = []

        def flood():
            with ThreadPoolExecutor(max_workers=16) as pool:
                for n in range(400):
                    pool.submit(lambda n=n: results.append(submit(server.port, sessions[n % 8])))

        runner = threading.Thread(target=flood)
        runner.start()
        # Mid-flight means some submissions answered and most still to come: wait for that.
        deadline = time.monotonic() + 60
        while len(results) < 20 and time.monotonic() < deadline:
            time.sleep(0.01)
        for pid in server.worker_pids():  # mid-flight: SIGKILL, no clean-up of any kind
            os.kill(pid, signal.SIGKILL)
        runner.join(timeout=90)
    accepted = [location for status, location in results if status == 303]
    outcome = Counter(status for status, _ in results)
    assert outcome["dropped"] > 0, outcome  # the kill did land in the middle of the flood
    assert set(outcome) <= {303, "dropped", 502}, outcome
    with app.app_context():
        tickets = db.session.scalars(select(Ticket)).all()
        answers = dict(db.session.execute(select(Answer.ticket_id, func.count())
                                          .group_by(Answer.ticket_id)).all())
        created = dict(db.session.execute(
            select(Event.ticket_id, func.count()).where(Event.kind == EventKind.CREATED)
            .group_by(Event.ticket_id)).all())
    # Every stored ticket is whole: its answers and its first event were written with it.
    for ticket in tickets:
        assert answers.get(ticket.id) == 3, ticket.number
        assert created.get(ticket.id) == 1, ticket.number
    # Every ticket the portal confirmed exists.
    assert {loc.rsplit("/", 1)[1] for loc in accepted} <= {t.number for t in tickets}
