"""The worker against a real SMTP server on loopback: retries, leases, exactly-once delivery."""

import email
import email.policy
import os
import re
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from portal.extensions import db
from portal.jobs import start_background_thread, worker_cli
from portal.outbox.cli import outbox_cli
from portal.outbox.models import OutboxMessage, OutboxStatus
from portal.outbox.sending import backoff, claim, send_due
from tests.conftest import CATALOGS

from .conftest import utc


@pytest.fixture
def tickets(person, make_ticket, outbox):
    """tickets(n): REQ-000001..n of one Polish requester, each with only its 'received'
    message (the service desk has no members to tell)."""

    def make(n):
        requester = person("ana@example.com", name="Ana", locale="pl")
        made = [make_ticket(requester=requester, title="Laptop for Ana") for _ in range(n)]
        assert [t.number for t in made] == [f"REQ-{i:06d}" for i in range(1, n + 1)]
        assert [m.kind for m in outbox()] == ["ticket_received"] * n
        return made

    return make


def parse(envelope):
    return email.message_from_bytes(envelope.original_content, policy=email.policy.default)


def test_a_message_arrives_with_both_parts_and_threading_headers(app_ctx, smtp, tickets, outbox):
    mailbox = smtp.start()
    tickets(1)
    assert send_due() == 1
    [envelope] = mailbox.envelopes
    [row] = outbox()
    assert envelope.rcpt_tos == ["ana@example.com"]
    message = parse(envelope)
    assert message["Subject"] == row.subject
    assert message["Subject"].startswith("[REQ-000001] Otrzymaliśmy")  # non-ASCII survives
    assert message["Message-ID"] == row.message_id
    assert message["In-Reply-To"] == message["References"] == "<ticket.REQ-000001@127.0.0.1>"
    assert message["From"] == app_ctx.config["MAIL_FROM"]
    assert message["Date"] and message["Auto-Submitted"] == "auto-generated"
    # (the wire has CRLF line ends)
    assert message.get_body(("plain",)).get_content().splitlines() == row.body_text.splitlines()
    assert message.get_body(("html",)).get_content().splitlines() == row.body_html.splitlines()
    db.session.refresh(row)
    assert row.status == OutboxStatus.SENT and row.sent_at and row.attempts == 0
    assert row.claimed_by is None


def test_bodies_are_rendered_once_and_a_retry_sends_the_same_bytes(app_ctx, smtp, tickets, outbox):
    [ticket] = tickets(1)
    [row] = outbox()
    assert row.body_text is None  # the request only queued it
    start = datetime.now(UTC)
    assert send_due(now=start) == 0  # nothing listens yet: rendered and stored all the same
    db.session.expire_all()
    [row] = outbox()
    assert row.attempts == 1 and "Laptop for Ana" in row.body_text
    text, html = row.body_text, row.body_html
    ticket.title = "Renamed since"
    db.session.commit()
    mailbox = smtp.start()
    assert send_due(now=start + timedelta(hours=1)) == 1
    message = parse(mailbox.envelopes[0])
    assert message.get_body(("plain",)).get_content().splitlines() == text.splitlines()
    assert message.get_body(("html",)).get_content().splitlines() == html.splitlines()
    db.session.expire_all()
    assert outbox()[0].body_text == text and "Renamed since" not in text


def test_a_message_that_cannot_be_rendered_is_given_up_and_the_rest_go_out(
        app_ctx, smtp, tickets, caplog, outbox):
    mailbox = smtp.start()
    gone, kept = tickets(2)
    db.session.delete(gone)
    db.session.commit()
    assert send_due() == 1
    assert [parse(e)["Subject"] for e in mailbox.envelopes] == [outbox()[1].subject]
    db.session.expire_all()
    dead, sent = outbox()
    assert dead.status == OutboxStatus.DEAD and dead.attempts == 1 and dead.body_text is None
    assert "Unrenderable" in dead.last_error and "no longer exists" in dead.last_error
    assert dead.claimed_by is None and "giving up" in caplog.text
    assert sent.status == OutboxStatus.SENT and "REQ-000002" in sent.body_text


def test_a_rendering_error_is_retried_like_a_failed_send(app_ctx, smtp, tickets, outbox):
    smtp.start()
    tickets(1)
    [row] = outbox()
    row.kind = "no_such_kind"  # e.g. a template missing from a half-finished deployment
    db.session.commit()
    start = datetime.now(UTC)
    assert send_due(now=start) == 0
    db.session.expire_all()
    [row] = outbox()
    assert row.status == OutboxStatus.PENDING and row.attempts == 1 and row.body_text is None
    assert "TemplateNotFound" in row.last_error and row.claimed_by is None
    assert utc(row.next_attempt_at) >= start + timedelta(seconds=30)


def test_a_worker_that_lost_its_lease_stores_no_bodies(app_ctx, tickets, outbox):
    from portal.outbox.sending import render_claimed

    tickets(1)
    now = datetime.now(UTC)
    [row] = claim(10, "slow", now, timedelta(seconds=1))
    claim(10, "fast", now + timedelta(seconds=2), timedelta(minutes=5))
    assert render_claimed([row], "slow", now) == []
    db.session.expire_all()
    assert outbox()[0].body_text is None and outbox()[0].claimed_by == "fast"


def test_server_down_then_up_every_message_arrives_exactly_once(app_ctx, smtp, tickets, outbox):
    tickets(5)
    start = datetime.now(UTC)
    assert send_due(now=start) == 0  # nothing listens on the port yet
    rows = outbox()
    assert len(rows) == 5
    for row in rows:
        assert row.status == OutboxStatus.PENDING and row.attempts == 1
        assert "Unreachable" in row.last_error and row.claimed_by is None
        assert utc(row.next_attempt_at) >= start + timedelta(seconds=30)

    mailbox = smtp.start()
    assert send_due(now=start + timedelta(seconds=10)) == 0  # the back-off is respected
    assert mailbox.envelopes == []
    assert send_due(now=start + timedelta(hours=1)) == 5
    assert send_due(now=start + timedelta(hours=2)) == 0
    delivered = sorted(parse(e)["Message-ID"] for e in mailbox.envelopes)
    db.session.expire_all()
    assert delivered == sorted(row.message_id for row in outbox(status=OutboxStatus.SENT))
    assert len(set(delivered)) == 5


def test_two_workers_never_send_the_same_message(app, app_ctx, smtp, tickets, outbox):
    mailbox = smtp.start()
    tickets(50)
    start, sent, errors = threading.Barrier(2), [], []

    def work(name):
        try:
            with app.app_context():
                start.wait(timeout=5)
                while (n := send_due(batch=5, worker_id=name)) > 0:
                    sent.append((name, n))
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(f"worker-{i}",)) for i in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and not any(t.is_alive() for t in threads)
    ids = [parse(e)["Message-ID"] for e in mailbox.envelopes]
    assert len(ids) == 50 and len(set(ids)) == 50
    assert sum(n for _, n in sent) == 50
    db.session.expire_all()
    assert len(outbox(status=OutboxStatus.SENT)) == 50


def test_two_worker_processes_never_send_the_same_message(app, app_ctx, smtp, tickets,
                                                         tmp_path, outbox):
    """Two `flask worker --once` processes (as on two hosts) drain one outbox together."""
    mailbox = smtp.start()
    tickets(60)
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "SECRET_KEY": "x" * 40, "PORTAL_INSTANCE": str(tmp_path), "LOG_FORMAT": "text",
           "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(app.config["MAIL_PORT"]),
           "MAIL_BACKEND": "smtp", "PORTAL_CATALOG": str(CATALOGS / "portal.yaml")}
    workers = [subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app.py", "worker", "--once", "--batch", "3"],
        cwd=CATALOGS.parent.parent, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
        for _ in range(2)]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    counts = [int(re.search(r"sent (\d+)", out).group(1)) for out in outputs]
    assert sum(counts) == 60
    ids = [parse(e)["Message-ID"] for e in mailbox.envelopes]
    assert len(ids) == 60 and len(set(ids)) == 60
    db.session.expire_all()
    assert len(outbox(status=OutboxStatus.SENT)) == 60


def test_a_leased_message_waits_for_its_lease_to_run_out(app_ctx, tickets, outbox):
    tickets(3)
    now, lease = datetime.now(UTC), timedelta(minutes=5)
    assert len(claim(10, "first", now, lease)) == 3
    assert claim(10, "second", now + timedelta(minutes=4), lease) == []
    # The first worker died: after the lease the rows are free again.
    assert len(claim(10, "second", now + timedelta(minutes=6), lease)) == 3
    assert {r.claimed_by for r in outbox()} == {"second"}


def test_a_worker_that_lost_its_lease_records_nothing(app_ctx, smtp, tickets, outbox):
    from portal.outbox.sending import mark_sent

    tickets(1)
    now = datetime.now(UTC)
    [row] = claim(10, "slow", now, timedelta(seconds=1))
    claim(10, "fast", now + timedelta(seconds=2), timedelta(minutes=5))
    assert mark_sent(row, "slow", now) == 0
    db.session.expire_all()
    assert outbox()[0].status == OutboxStatus.PENDING and outbox()[0].claimed_by == "fast"


def test_gives_up_after_max_attempts(app, app_ctx, smtp, tickets, monkeypatch, caplog, outbox):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    tickets(1)
    now = datetime.now(UTC)
    for hour in range(3):
        assert send_due(now=now + timedelta(hours=hour)) == 0
    [row] = outbox()
    assert row.status == OutboxStatus.DEAD and row.attempts == 3 and row.last_error
    assert "giving up" in caplog.text
    smtp.start()
    assert send_due(now=now + timedelta(days=1)) == 0


def test_a_refused_recipient_is_not_retried(app_ctx, smtp, tickets, outbox):
    mailbox = smtp.start()

    async def refuse(server, session, envelope, address, options):
        return "550 5.1.1 No such user"

    mailbox.handle_RCPT = refuse
    tickets(1)
    assert send_due() == 0
    [row] = outbox()
    assert row.status == OutboxStatus.DEAD and row.attempts == 1 and "550" in row.last_error


def test_backoff_doubles_and_is_capped():
    assert 30 <= backoff(1) <= 33
    assert 60 <= backoff(2) <= 66
    assert 3600 <= backoff(30) <= 3960


def test_console_backend_prints_and_keeps_eml_files(app, app_ctx, tickets, tmp_path,
                                                    monkeypatch, capsys):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "console")
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path / "mail"))
    tickets(2)
    assert send_due() == 2
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert message["Subject"].startswith("[REQ-00000")
    assert message.get_body(("html",)) is not None
    out = capsys.readouterr().out
    assert "To: ana@example.com" in out and "Otrzymaliśmy" in out


def test_cli_once_sends_what_is_due_and_counts(app, app_ctx, tickets, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "console")
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path))
    tickets(3)
    runner = app.test_cli_runner()
    result = runner.invoke(worker_cli, ["--once", "--batch", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("sent 3")
    result = runner.invoke(outbox_cli, ["status"])
    assert "pending: 0" in result.output and "sent: 3" in result.output


def test_background_thread_sends_and_stops(app, app_ctx, smtp, tickets):
    mailbox = smtp.start()
    tickets(2)
    stop = threading.Event()
    thread = start_background_thread(app, poll_seconds=0.05, stop_event=stop)
    try:
        deadline = time.monotonic() + 10
        while len(mailbox.envelopes) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=5)
    assert len(mailbox.envelopes) == 2 and not thread.is_alive()
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id)).where(
        OutboxMessage.status == OutboxStatus.SENT)) == 2
