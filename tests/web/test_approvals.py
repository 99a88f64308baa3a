"""Approval steps run in order; nobody approves their own request; stuck steps reach admins."""

import threading

import pytest
from sqlalchemy import select

from portal.auth.models import TeamMember, User
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.outbox.render import ensure_rendered
from portal.tickets.approvals import DecisionRefused, decide
from portal.tickets.models import Approval, Ticket
from tests.conftest import csrf_token


@pytest.fixture
def people(app, make_user):
    manager = make_user("manager@example.com", role="manager", name="Mia Manager")
    requester = make_user("requester@example.com", manager=manager, name="Rob Requester")
    cfo = make_user("cfo@example.com", role="manager", name="Cleo CFO")
    sec1 = make_user("sec1@example.com", role="agent", name="Sec One")
    sec2 = make_user("sec2@example.com", role="agent", name="Sec Two")
    admin = make_user("admin@example.com", role="admin", name="Ada Admin")
    agent = make_user("agent@example.com", role="agent", name="Agent Ann")
    with app.app_context():
        db.session.add_all([TeamMember(team_id="security", user_id=sec1.id),
                            TeamMember(team_id="security", user_id=sec2.id),
                            TeamMember(team_id="service-desk", user_id=agent.id)])
        db.session.commit()
    return locals()


def switch(client, login, email):
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    login(email)


def request_purchase(client, login, post, who="requester@example.com"):
    login(who)
    response = post("/catalog/item/big-purchase", {"f_what": "A 3D printer"})
    assert response.status_code == 303
    return response.headers["Location"].rsplit("/", 1)[1]


def steps(app, number):
    with app.app_context():
        found = db.session.scalar(select(Ticket).where(Ticket.number == number))
        result = [(a.step, a.kind.value, a.decision.value) for a in found.approvals]
        return found.status.value, result


def approval_id(app, number, step):
    with app.app_context():
        return db.session.scalar(select(Approval.id).join(Approval.ticket).where(
            Ticket.number == number, Approval.step == step))


def test_steps_run_in_order_and_open_the_ticket(app, client, login, post, people):
    number = request_purchase(client, login, post)
    assert steps(app, number) == ("awaiting_approval", [
        (1, "manager", "pending"), (2, "user", "pending"), (3, "team", "pending")])
    # Step 2's approver cannot jump the queue.
    switch(client, login, "cfo@example.com")
    assert number not in client.get("/approvals").get_data(as_text=True)
    assert post(f"/approvals/{approval_id(app, number, 2)}",
                {"decision": "approve"}).status_code == 404

    switch(client, login, "manager@example.com")
    page = client.get("/approvals").get_data(as_text=True)
    assert number in page and "A 3D printer" in page
    post(f"/approvals/{approval_id(app, number, 1)}", {"decision": "approve"})
    switch(client, login, "cfo@example.com")
    assert number in client.get("/approvals").get_data(as_text=True)
    post(f"/approvals/{approval_id(app, number, 2)}", {"decision": "approve",
                                                       "comment": "Within budget"})
    assert steps(app, number)[0] == "awaiting_approval"
    switch(client, login, "sec2@example.com")
    post(f"/approvals/{approval_id(app, number, 3)}", {"decision": "approve"})
    assert steps(app, number) == ("open", [
        (1, "manager", "approved"), (2, "user", "approved"), (3, "team", "approved")])
    # The team queue now has it, and the timeline shows every decision.
    switch(client, login, "agent@example.com")
    assert number in client.get("/queue").get_data(as_text=True)
    page = client.get(f"/tickets/{number}").get_data(as_text=True)
    for text in ("approved step 1", "approved step 2", "approved step 3", "Within budget"):
        assert text in page


def test_rejection_ends_the_request_and_says_why(app, client, login, post, people):
    number = request_purchase(client, login, post)
    switch(client, login, "manager@example.com")
    response = post(f"/approvals/{approval_id(app, number, 1)}", {"decision": "reject"},
                    follow_redirects=True)
    assert "Say why you reject" in response.get_data(as_text=True)
    assert steps(app, number)[0] == "awaiting_approval"
    post(f"/approvals/{approval_id(app, number, 1)}", {"decision": "reject",
                                                       "comment": "Use the shared one"})
    assert steps(app, number) == ("rejected", [
        (1, "manager", "rejected"), (2, "user", "pending"), (3, "team", "pending")])
    switch(client, login, "requester@example.com")
    assert "Use the shared one" in client.get(f"/tickets/{number}").get_data(as_text=True)
    with app.app_context():
        told = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipient == "requester@example.com",
            OutboxMessage.kind == "rejected")).all()
        assert len(told) == 1 and "Use the shared one" in ensure_rendered(told[0]).body_text


def test_nobody_approves_their_own_request(app, client, login, post, people):
    # The manager asks for themselves: the CFO step names someone else, but a team member
    # who is the requester is left out, and a step naming the requester goes to admins.
    with app.app_context():
        sec1 = db.session.scalar(select(User).where(User.email == "sec1@example.com"))
        sec1.manager_id = None
        db.session.commit()
    number = request_purchase(client, login, post, who="cfo@example.com")
    # cfo has no manager: step 1 is stuck and flagged for admins.
    switch(client, login, "admin@example.com")
    page = client.get("/approvals").get_data(as_text=True)
    assert "Needs an administrator" in page and number in page
    post(f"/approvals/{approval_id(app, number, 1)}", {"decision": "approve"})
    # Step 2 names the requester (cfo) themself: flagged too, admins settle it.
    status, rows = steps(app, number)
    assert rows[1][2] == "pending"
    switch(client, login, "cfo@example.com")
    assert post(f"/approvals/{approval_id(app, number, 2)}",
                {"decision": "approve"}).status_code == 404
    assert number not in client.get("/approvals").get_data(as_text=True)
    with app.app_context():
        approval = db.session.get(Approval, approval_id(app, number, 2))
        cfo = db.session.scalar(select(User).where(User.email == "cfo@example.com"))
        with pytest.raises(DecisionRefused):
            decide(approval, cfo, True, None,
                   catalog=app.extensions["catalog_store"].get())


def test_a_deactivated_approver_is_flagged_not_stuck_silently(app, client, login, post, people):
    with app.app_context():
        manager = db.session.scalar(select(User).where(User.email == "manager@example.com"))
        manager.active = False
        db.session.commit()
    number = request_purchase(client, login, post)
    page = client.get(f"/tickets/{number}").get_data(as_text=True)
    assert "an administrator will settle it" in page
    switch(client, login, "admin@example.com")
    assert number in client.get("/approvals").get_data(as_text=True)


def test_only_one_of_two_team_approvers_wins(app, client, login, post, people):
    number = request_purchase(client, login, post)
    with app.app_context():
        for step in (1, 2):
            approval = db.session.get(Approval, approval_id(app, number, step))
            decide(approval, approval.approver, True, None,
                   catalog=app.extensions["catalog_store"].get())
            db.session.commit()
    results = []
    barrier = threading.Barrier(2)

    def try_decide(email, approve):
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == email))
            approval = db.session.get(Approval, approval_id(app, number, 3))
            barrier.wait(timeout=5)
            try:
                decide(approval, user, approve, None if approve else "No",
                   catalog=app.extensions["catalog_store"].get())
                db.session.commit()
                results.append("won")
            except DecisionRefused as refused:
                db.session.rollback()
                results.append(str(refused))
            except Exception as error:  # the ticket's version check may be the one that trips
                db.session.rollback()
                results.append(type(error).__name__)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=try_decide, args=("sec1@example.com", True)),
               threading.Thread(target=try_decide, args=("sec2@example.com", False))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert results.count("won") == 1, results
    status, rows = steps(app, number)
    assert rows[2][2] in ("approved", "rejected")
    assert status == ("open" if rows[2][2] == "approved" else "rejected")
    with app.app_context():
        found = db.session.scalar(select(Ticket).where(Ticket.number == number))
        decisions = [e for e in found.events if e.kind.value == "approval" and e.old_value == "3"]
        assert len(decisions) == 1  # the timeline shows one truth


def test_approvers_are_told_and_may_read_the_ticket(app, client, login, post, people):
    number = request_purchase(client, login, post)
    with app.app_context():
        asked = db.session.scalars(select(OutboxMessage.recipient).where(
            OutboxMessage.kind == "approval_needed")).all()
        assert asked == ["manager@example.com"]
    switch(client, login, "cfo@example.com")
    assert client.get(f"/tickets/{number}").status_code == 200  # a named approver may read it
