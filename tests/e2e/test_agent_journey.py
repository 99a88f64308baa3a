"""Request → manager approval → team queue → agent works it → requester confirms, in Chromium."""

import re

from playwright.sync_api import expect

from portal.auth.models import TeamMember
from portal.extensions import db
from tests.e2e.conftest import assert_accessible, check_phone_page, validate_html
from tests.e2e.test_requester_journey import sign_in

NOTE = "Internal: check the licence pool first"


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_access_request_from_approval_to_closed(app, page, make_user, shoot):
    manager = make_user("manager@example.com", role="manager", name="Maria Manager")
    make_user("requester@example.com", name="Robin Requester", manager=manager)
    agent = make_user("agent@example.com", role="agent", name="Alex Agent")
    with app.app_context():
        db.session.add(TeamMember(team_id="service-desk", user_id=agent.id))
        db.session.commit()

    # The requester asks for access; it needs their manager's approval.
    sign_in(page)
    page.goto("/catalog/item/access")
    page.get_by_label(re.compile("^System")).fill("Payroll")
    page.get_by_role("button", name="Submit request").click()
    expect(page.locator(".ticket-head .badge")).to_have_text("Awaiting approval")
    number = page.url.rsplit("/", 1)[1]
    sign_out(page)

    # The manager approves from the Approvals page.
    sign_in(page, "manager@example.com")
    page.get_by_role("link", name=re.compile("^Approvals")).click()
    expect(page.get_by_role("heading", name=re.compile(number))).to_be_visible()
    assert_accessible(page)
    shoot(page, "approvals")
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Send decision").click()
    expect(page.locator(".flash-success")).to_contain_text(f"You approved {number}")
    sign_out(page)

    # The agent finds it in the team queue, filters by type, and takes it.
    sign_in(page, "agent@example.com")
    page.get_by_role("link", name="Queue").click()
    page.get_by_label("Type").select_option("access")
    expect(page).to_have_url(re.compile(r"type=access"))  # htmx kept the filter in the URL
    expect(page.get_by_role("link", name=number)).to_be_visible()
    assert_accessible(page)
    shoot(page, "queue")
    page.get_by_role("link", name=number).click()
    page.get_by_label("Assign to").select_option("me")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator(".ticket-head .facts")).to_contain_text("Alex Agent")
    page.get_by_label("Reply").fill("Which payroll role do you need?")
    page.get_by_role("button", name="Send", exact=True).click()
    page.get_by_label("Reply").fill(NOTE)
    page.get_by_label("Internal note (only staff can see it)").check()
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".event.internal")).to_contain_text(NOTE)
    page.get_by_role("button", name="Wait for requester").click()
    expect(page.locator(".ticket-head .badge")).to_have_text("Waiting on requester")
    assert_accessible(page)
    shoot(page, "agent-ticket")
    sign_out(page)

    # The requester sees the reply, never the note, and answers.
    sign_in(page)
    page.goto(f"/tickets/{number}")
    expect(page.locator("#timeline")).to_contain_text("Which payroll role do you need?")
    expect(page.locator("body")).not_to_contain_text("licence pool")
    page.get_by_label("Add a comment").fill("Read-only, please.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator("#timeline")).to_contain_text("Read-only, please.")
    page.reload()
    expect(page.locator(".ticket-head .badge")).to_have_text("In progress")
    sign_out(page)

    # The agent resolves it.
    sign_in(page, "agent@example.com")
    page.goto(f"/tickets/{number}")
    page.get_by_label("Note for the requester").fill("Read-only access granted.")
    page.get_by_role("button", name="Resolve").click()
    expect(page.locator(".ticket-head .badge")).to_have_text("Resolved")
    sign_out(page)

    # The requester confirms; the ticket is closed.
    sign_in(page)
    page.goto(f"/tickets/{number}")
    expect(page.get_by_role("heading", name="Is your problem solved?")).to_be_visible()
    assert_accessible(page)
    shoot(page, "resolved-confirm")
    page.get_by_role("button", name="Yes, close the request").click()
    expect(page.locator(".ticket-head .badge")).to_have_text("Closed")
    expect(page.locator("body")).not_to_contain_text("licence pool")


def test_workspace_pages_are_valid_at_phone_width(app, page, make_user, shoot):
    manager = make_user("manager@example.com", role="manager")
    make_user("requester@example.com", manager=manager)
    agent = make_user("agent@example.com", role="agent", name="Alex Agent")
    with app.app_context():
        db.session.add(TeamMember(team_id="service-desk", user_id=agent.id))
        db.session.commit()
    sign_in(page)
    page.goto("/catalog/item/access")
    page.get_by_label(re.compile("^System")).fill("CRM")
    page.get_by_role("button", name="Submit request").click()
    number = page.url.rsplit("/", 1)[1]
    sign_out(page)
    page.set_viewport_size({"width": 375, "height": 800})
    saved = []
    for email, pages in [("manager@example.com", [("m-approvals", "/approvals")]),
                         ("agent@example.com", [("m-queue", "/queue"),
                                                ("m-agent-ticket", f"/tickets/{number}")])]:
        sign_in(page, email)
        for name, path in pages:
            saved.append(check_phone_page(page, shoot, name, path))
        sign_out(page)
    assert validate_html(saved) == ""
