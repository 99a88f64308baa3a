"""SLA due times on real tickets: set at submission, paused, recomputed, shown, noticed once."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.auth.models import TeamMember
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.outbox.render import ensure_rendered
from portal.tickets.actions import set_priority
from portal.tickets.lifecycle import Action
from portal.tickets.models import Event, EventKind, SlaNotice, Ticket
from portal.tickets.service import change_status
from portal.tickets.sla import check, refresh_sla, sla_state

# Wed 2026-03-04 09:00 in Warsaw (UTC+1) = 08:00 UTC, on the office calendar (mon-fri 08-17).
CREATED = datetime(2026, 3, 4, 8, 0, tzinfo=UTC)


@pytest.fixture
def agent(app, make_user):
    user = make_user("agent@example.com", role="agent")
    with app.app_context():
        db.session.add(TeamMember(team_id="service-desk", user_id=user.id))
        db.session.commit()
    return user


@pytest.fixture
def ticket_id(app, make_user, make_ticket, agent, served_catalog):
    requester = make_user("requester@example.com")
    made = make_ticket("outage", requester=requester, answers={"impact": "low", "urgency": "low"})
    with app.app_context():
        found = db.session.get(Ticket, made.id)
        assert found.priority == "P4"
        # Move the ticket to a known moment so the due times can be checked by hand.
        found.created_at = CREATED
        for event in found.events:
            event.created_at = CREATED
        refresh_sla(found, served_catalog)
        db.session.commit()
        return found.id


def aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_due_times_are_in_working_time(app, ticket_id):
    with app.app_context():
        found = db.session.get(Ticket, ticket_id)
        assert found.priority == "P4" and found.sla_policy == "default"
        # P4 response 16h: Wed 09-17 (8h) + Thu 08:00-16:00 (8h) = Thu 16:00 local = 15:00 UTC.
        assert aware(found.response_due_at) == datetime(2026, 3, 5, 15, 0, tzinfo=UTC)
        # 80 % of 16h = 12.8h: Wed 8h, then Thu 4h48m from 08:00 → 12:48 local = 11:48 UTC.
        assert aware(found.response_risk_at) == datetime(2026, 3, 5, 11, 48, tzinfo=UTC)
        # Resolution 80h: Wed 8h, then eight 9h days (Thu 5, Fri 6, Mon 9 to Fri 13, Mon 16)
        # = 72h: ends Mon 16 March 17:00 local = 16:00 UTC.
        assert aware(found.resolution_due_at) == datetime(2026, 3, 16, 16, 0, tzinfo=UTC)


def test_a_pause_moves_the_due_time(app, ticket_id, agent, served_catalog):
    with app.app_context():
        found = db.session.get(Ticket, ticket_id)
        actor = db.session.get(type(found.requester), agent.id)
        change_status(found, Action.START, actor, catalog=served_catalog)
        found.events[-1].created_at = CREATED
        change_status(found, Action.WAIT, actor, catalog=served_catalog)
        # Waiting on the requester from Wed 16:00 local (15:00 UTC) ...
        found.events[-1].created_at = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
        refresh_sla(found, served_catalog)
        assert found.response_due_at is None  # paused: no due time while we wait
        assert sla_state(found)["resolution"]["paused"]  # (the response was met by "start")
        change_status(found, Action.RESUME, actor, catalog=served_catalog)
        # ... until Thu 10:00 local: the pause covered 1h (Wed) + 2h (Thu) of working time,
        # so Thu 16:00 local moves by 3 working hours: Thu 16-17, Fri 08-10 → Fri 10:00 local.
        found.events[-1].created_at = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
        refresh_sla(found, served_catalog)
        assert aware(found.response_due_at) == datetime(2026, 3, 6, 9, 0, tzinfo=UTC)
        db.session.rollback()


def test_priority_change_recomputes(app, ticket_id, agent, served_catalog):
    with app.app_context():
        found = db.session.get(Ticket, ticket_id)
        actor = db.session.get(type(found.requester), agent.id)
        set_priority(found, "P1", actor, "CEO affected", catalog=served_catalog)
        # P1 runs round the clock: response 30 minutes after creation.
        assert aware(found.response_due_at) == CREATED + timedelta(minutes=30)
        db.session.rollback()


def test_status_page_and_queue_show_the_targets(app, client, ticket_id, login, post):
    login("requester@example.com")
    with app.app_context():
        number = db.session.get(Ticket, ticket_id).number
    page = client.get(f"/tickets/{number}").get_data(as_text=True)
    assert "When to expect" in page and "First response" in page
    client.post("/logout", data={"csrf_token": __import__("tests.conftest").conftest.csrf_token(
        client)})
    login("agent@example.com")
    queue = client.get("/queue?sort=due").get_data(as_text=True)
    assert number in queue and "Overdue" in queue  # March 2026 is long past


def test_notices_go_out_once(app, ticket_id):
    with app.app_context():
        now = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)  # after the risk moment, before due
        assert check(now) == 1
        assert check(now) == 0
        kinds = db.session.scalars(select(SlaNotice.kind)).all()
        assert kinds == ["response_at_risk"]
        later = datetime(2026, 4, 1, tzinfo=UTC)  # both targets missed by now
        assert check(later) == 2
        assert check(later) == 0
        assert sorted(db.session.scalars(select(SlaNotice.kind))) == [
            "resolution_breached", "response_at_risk", "response_breached"]
        mails = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.kind == "sla_notice"))
        assert mails == 3  # one agent in the team, three notices


def test_met_targets_send_nothing(app, ticket_id, agent):
    with app.app_context():
        found = db.session.get(Ticket, ticket_id)
        found.first_response_at = CREATED + timedelta(hours=1)
        found.events.append(Event(kind=EventKind.COMMENT, body="On it", actor_id=agent.id))
        db.session.commit()
        assert check(datetime(2026, 3, 5, 12, 0, tzinfo=UTC)) == 0
        assert sla_state(found)["response"]["met"]


def test_requester_rates_a_resolved_ticket_once_changeably(app, client, ticket_id, agent, post,
                                                            served_catalog, login):
    from portal.tickets.models import Rating
    login("requester@example.com")
    with app.app_context():
        found = db.session.get(Ticket, ticket_id)
        number = found.number
    response = post(f"/tickets/{number}/rating", {"score": "5"}, follow_redirects=True)
    assert "can be rated once it is resolved" in response.get_data(as_text=True)
    with app.app_context():
        found = db.session.get(Ticket, ticket_id)
        change_status(found, Action.RESOLVE, db.session.get(type(found.requester), agent.id),
                      catalog=served_catalog)
        db.session.commit()
        mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "resolved"))
        assert f"/tickets/{number}#rating" in ensure_rendered(mail).body_text
    page = client.get(f"/tickets/{number}").get_data(as_text=True)
    assert "Rate this request" in page
    assert post(f"/tickets/{number}/rating", {"score": "9"}).status_code == 422
    post(f"/tickets/{number}/rating", {"score": "2", "comment": "Slow"})
    post(f"/tickets/{number}/rating", {"score": "4"})
    with app.app_context():
        ratings = db.session.scalars(select(Rating)).all()
        assert [(r.score, r.comment) for r in ratings] == [(4, None)]
    post(f"/tickets/{number}/confirm", {})
    assert "You rated it 4 out of 5." in client.get(f"/tickets/{number}").get_data(as_text=True)
    response = post(f"/tickets/{number}/rating", {"score": "1"}, follow_redirects=True)
    assert "until it is closed" in response.get_data(as_text=True)


def test_the_worker_runs_sla_checks_and_autoclose(app, ticket_id):
    from portal.jobs import scheduled_jobs as housekeeping
    with app.app_context():
        housekeeping()  # March 2026 is long past: both targets are breached
        kinds = sorted(db.session.scalars(select(SlaNotice.kind)))
    assert kinds == ["resolution_breached", "response_breached"]


def test_two_workers_checking_at_once_send_each_notice_once(app, ticket_id, monkeypatch):
    """Both find the ticket due a notice before either has recorded it; one sends it."""
    import threading

    from portal.tickets import sla as tickets_sla

    both_found = threading.Barrier(2, timeout=10)
    real_claim = tickets_sla.claim_notice

    def claim_after_both_looked(ticket_id, kind):
        both_found.wait()
        return real_claim(ticket_id, kind)

    monkeypatch.setattr(tickets_sla, "claim_notice", claim_after_both_looked)
    now = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)  # one notice due: response at risk
    sent, errors = [], []

    def worker():
        with app.app_context():
            try:
                sent.append(check(now))
            except Exception as error:  # noqa: BLE001 - the test reports it
                errors.append(error)
                db.session.rollback()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == [] and sorted(sent) == [0, 1]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.kind == "sla_notice")) == 1
