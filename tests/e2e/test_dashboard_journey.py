"""A manager reads the dashboard and changes the date range, in Chromium."""

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, check_phone_page, validate_html
from tests.e2e.test_requester_journey import sign_in


def test_manager_reads_the_dashboard_and_changes_the_range(app, page, make_user, shoot):
    make_user("manager@example.com", role="manager", name="Maria Manager")
    make_user("requester@example.com")
    make_user("agent@example.com", role="agent")  # history needs someone to resolve tickets
    with app.app_context():  # a populated dashboard: the demo's months of history
        from portal.demo_history import load_history
        from portal.web.catalog import current_catalog
        with app.test_request_context():
            assert load_history(current_catalog()) > 100
    sign_in(page, "manager@example.com")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Dashboard"))
    assert_accessible(page)
    shoot(page, "dashboard")
    first = page.locator("table").first.inner_text()

    start = (date.today() - timedelta(days=90)).isoformat()
    page.get_by_role("textbox", name="From").fill(start)
    page.get_by_role("textbox", name="From").dispatch_event("change")
    expect(page).to_have_url(re.compile(f"from={start}"))  # the filter is in the URL
    expect(page.locator("table").first).not_to_have_text(first)
    assert_accessible(page)
    shoot(page, "dashboard-90-days")

    page.set_viewport_size({"width": 375, "height": 800})
    assert validate_html([check_phone_page(page, shoot, "m-dashboard", page.url)]) == ""
