"""A request with a date and time, a web address and a phone number: form, errors, status page."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

WARSAW = ZoneInfo("Europe/Warsaw")  # the test catalog's office calendar


@pytest.fixture
def requester(make_user, login):
    user = make_user("requester@example.com")
    login(user)
    return user


def a_visit_time() -> datetime:
    """Ten in the morning, office time, a week from now: inside the item's bounds."""
    day = date.today() + timedelta(days=7)
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=WARSAW)


def test_the_form_has_the_three_inputs(client, requester):
    page = client.get("/catalog/item/desk-visit").get_data(as_text=True)
    assert 'type="datetime-local"' in page and 'type="tel"' in page and 'type="url"' in page
    # Day bounds count from the server's today, as a date field's do.
    first = (date.today() + timedelta(days=1)).isoformat()
    assert f'min="{first}T00:00"' in page
    assert 'data-reads-as="day"' in page  # show_if reads the day, like the server


def test_errors_show_at_each_field(client, requester, post):
    response = post("/catalog/item/desk-visit", {
        "f_task": "Dock", "f_visit_at": "tomorrow-ish", "f_phone": "12",
        "f_vendor_page": "javascript:alert(1)"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for field, message in (("visit_at", "Enter a date and time as YYYY-MM-DD HH:MM."),
                           ("phone", "6 to 20 digits"), ("vendor_page", "https://")):
        start = page.index(f'id="f_{field}-error"')
        assert message in page[start:page.index("</ul>", start)]
        assert f'id="f_{field}"' in page
    assert 'value="tomorrow-ish"' in page  # what was typed stays to be corrected


def test_the_status_page_links_and_shows_the_office_time(app, client, requester, post):
    moment = a_visit_time()
    response = post("/catalog/item/desk-visit", {
        "f_task": "Dock", "f_visit_at": moment.strftime("%Y-%m-%dT%H:%M"),
        "f_phone": "+48 22 123 45 67", "f_vendor_page": "https://example.com/a?b=1&c=<2>"})
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    stored = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    start = page.index(f'<time datetime="{stored}">')
    assert "10:00:00\u202fAM (Europe/Warsaw)</time>" in page[start:start + 100]
    assert ('<a href="https://example.com/a?b=1&amp;c=&lt;2&gt;" '
            'rel="noopener noreferrer nofollow">') in page
    assert '<a href="tel:+48221234567">+48 22 123 45 67</a>' in page
    # show_if on the date and time held on the server too: the box was shown, left unticked.
    assert "<dt>I need a parking space</dt>" in page
