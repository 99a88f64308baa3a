"""The datetime, url and phone field types: parsing, rules, values and how answers show."""

from datetime import UTC, date
from types import SimpleNamespace

import pytest
from werkzeug.datastructures import MultiDict

from portal.forms.answers import snapshots
from portal.forms.builder import build_form, validate_item_form
from portal.forms.fieldtypes import FIELD_TYPES
from portal.forms.fieldtypes.moments import portal_zone
from tests.unit import form_fixtures

# The shared form fixtures: the test catalog, and CSRF off.
catalog = form_fixtures.catalog
_no_csrf = form_fixtures._no_csrf

TODAY = date(2026, 3, 2)  # Europe/Warsaw (the office calendar) is UTC+1 until 29 March
VISIT = {"task": "Dock", "visit_at": "2026-03-10T09:30", "phone": "+48 (22) 123-45-67",
         "vendor_page": "https://example.com/dock"}


@pytest.fixture
def visit(app_ctx, catalog):
    """visit(changes) -> (form, valid, errors by field id) for a desk-visit submission."""
    item = catalog.item("desk-visit")

    def submit(changes=None):
        data = MultiDict({"f_" + k: v for k, v in {**VISIT, **(changes or {})}.items()})
        form = build_form(item, "en", today=TODAY, formdata=data)
        valid = validate_item_form(form, item)
        return form, valid, {n.removeprefix("f_"): e for n, e in form.errors.items()}

    return submit


def test_a_visit_is_stored_in_utc_and_read_in_the_office_zone(visit, catalog):
    form, valid, errors = visit()
    assert valid, errors
    answers = {a["field_id"]: a for a in snapshots(form, catalog.item("desk-visit"), "en")}
    assert answers["visit_at"]["value"] == "2026-03-10T08:30:00Z"
    assert answers["visit_at"]["display"] == "2026-03-10 09:30 (Europe/Warsaw)"
    assert answers["phone"]["value"] == "+48 (22) 123-45-67"
    assert answers["vendor_page"]["value"] == "https://example.com/dock"


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"visit_at": "soon"}, "visit_at", "Enter a date and time as YYYY-MM-DD HH:MM."),
    ({"visit_at": "2026-03-02T23:00"}, "visit_at", "Choose 2026-03-03 00:00 or later."),
    ({"visit_at": "2026-03-31T08:00"}, "visit_at", "Choose 2026-03-30 23:59 or earlier."),
    ({"visit_at": "2026-03-29T02:30"}, "visit_at", "02:30 does not exist in Europe/Warsaw"),
    ({"visit_at": ""}, "visit_at", "This field is required."),
    ({"vendor_page": "javascript:alert(1)"}, "vendor_page", "http:// or https://"),
    ({"vendor_page": "ftp://example.com/x"}, "vendor_page", "http:// or https://"),
    ({"vendor_page": "https://"}, "vendor_page", "http:// or https://"),
    ({"vendor_page": "example.com"}, "vendor_page", "http:// or https://"),
    ({"vendor_page": "https://exa mple.com"}, "vendor_page", "http:// or https://"),
    ({"vendor_page": "https://x.com\\@evil.com"}, "vendor_page", "http:// or https://"),
    ({"phone": "12345"}, "phone", "6 to 20 digits"),
    ({"phone": "call me"}, "phone", "6 to 20 digits"),
    ({"phone": "1" * 21}, "phone", "6 to 20 digits"),
    ({"phone": "+48 + 22 123"}, "phone", "6 to 20 digits"),
])
def test_bad_answers_get_a_message_at_their_field(visit, changes, field, message):
    _form, valid, errors = visit(changes)
    assert not valid
    assert list(errors) == [field]
    assert message in str(errors[field][0])


def test_a_time_typed_with_a_space_is_read_too(visit):
    form, valid, errors = visit({"visit_at": "2026-03-10 09:30"})
    assert valid, errors


def test_the_zone_is_the_default_policys_calendar_else_utc(catalog):
    assert portal_zone(catalog).key == "Europe/Warsaw"
    assert portal_zone(catalog.model_copy(update={"sla": {}})) is UTC


def test_a_visit_link_prefills_the_local_time(app_ctx, catalog):
    item = catalog.item("desk-visit")
    form = build_form(item, "en", today=TODAY, query=MultiDict({"visit_at": "2026-03-10T09:30",
                                                                "phone": "+48 600"}))
    assert 'value="2026-03-10T09:30"' in str(form["f_visit_at"]())
    assert build_form(item, "en", today=TODAY, query=MultiDict(
        {"visit_at": "2026-03-10T09:30+05:00"}))["f_visit_at"].data is None


def test_inputs_say_their_kind_and_bounds(app_ctx, catalog):
    form = build_form(catalog.item("desk-visit"), "en", today=TODAY, query=MultiDict())
    spec = catalog.item("desk-visit").field("visit_at")
    attrs = FIELD_TYPES["datetime"].attributes(spec, form["f_visit_at"], "en")
    assert attrs == {"min": "2026-03-03T00:00", "max": "2026-03-30T23:59"}
    assert 'type="datetime-local"' in str(form["f_visit_at"]())
    assert 'type="url"' in str(form["f_vendor_page"]())
    assert 'type="tel"' in str(form["f_phone"]())


def answer(kind, value, display=None):
    return SimpleNamespace(field_type=kind, field_id="x", value=value,
                           display=value if display is None else display)


def test_a_web_address_shows_as_an_escaped_link_that_passes_nothing_on(app_ctx):
    html = str(FIELD_TYPES["url"].answer_html(
        answer("url", 'https://example.com/?q="<b>'), None, "en"))
    assert html == ('<a href="https://example.com/?q=&#34;&lt;b&gt;" '
                    'rel="noopener noreferrer nofollow">https://example.com/?q=&#34;&lt;b&gt;</a>')
    # A stored value that is no web address (an old catalog, a hand edit) is text, not a link.
    assert str(FIELD_TYPES["url"].answer_html(
        answer("url", "javascript:alert(1)"), None, "en")) == "javascript:alert(1)"


def test_a_phone_number_shows_as_a_tel_link(app_ctx):
    html = str(FIELD_TYPES["phone"].answer_html(answer("phone", "+48 (22) 123-45-67"), None,
                                                "en"))
    assert html == '<a href="tel:+48221234567">+48 (22) 123-45-67</a>'


def test_a_moment_shows_in_the_office_zone_in_the_readers_language(app_ctx):
    html = str(FIELD_TYPES["datetime"].answer_html(
        answer("datetime", "2026-03-10T08:30:00Z", "2026-03-10 09:30 (Europe/Warsaw)"), None,
        "pl"))
    assert html.startswith('<time datetime="2026-03-10T08:30:00Z">10 mar 2026, 09:30:00')
    assert html.endswith("(Europe/Warsaw)</time>")
