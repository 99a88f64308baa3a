"""Generated forms: each field type's widget and rules, show_if, titles and priorities."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from werkzeug.datastructures import FileStorage, MultiDict

from portal.forms.answers import render_title, snapshots
from portal.forms.builder import apply_show_if, build_form, validate_item_form
from portal.tickets.service import priority_for
from tests import filesamples
from tests.unit import form_fixtures

# The shared form fixtures: the test catalog, and CSRF off.
catalog = form_fixtures.catalog
_no_csrf = form_fixtures._no_csrf

TODAY = date(2026, 3, 2)


@pytest.fixture
def form_for(app_ctx, catalog):
    """form_for(item_id, {...}) -> (form, valid) for a submission of those values."""

    def submit(item_id, values, locale="en"):
        item = catalog.item(item_id)
        data = MultiDict()
        for key, value in values.items():
            for one in value if isinstance(value, list) else [value]:
                data.add("f_" + key, one)
        form = build_form(item, locale, today=TODAY, formdata=data)
        return form, validate_item_form(form, item)

    return submit


LAPTOP = {"for_whom": "me", "model": 'Standard 14"', "quantity": "1"}


def errors_of(form):
    return {name.removeprefix("f_"): errs for name, errs in form.errors.items()}


def test_a_valid_submission(form_for):
    form, valid = form_for("new-laptop", LAPTOP)
    assert valid, form.errors


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"for_whom": ""}, "for_whom", "This field is required."),
    ({"for_whom": "boss"}, "for_whom", "Choose one of the options given."),
    ({"model": "Gaming 18\""}, "model", "Choose one of the options given."),
    ({"needed_by": "2026-03-03"}, "needed_by", "Choose 2026-03-05 or later."),
    ({"needed_by": "next week"}, "needed_by", "Enter a date as YYYY-MM-DD."),
    ({"cost_center": "cc 12"}, "cost_center", "Use the form CC-1234"),
    ({"quantity": "0"}, "quantity", "Enter 1 or more."),
    ({"quantity": "11"}, "quantity", "Enter 10 or less."),
    ({"quantity": "1.5"}, "quantity", "steps of 1"),
    ({"quantity": "many"}, "quantity", "Enter a number, like 3 or 2.5."),
    ({"quantity": "NaN"}, "quantity", "Enter a number, like 3 or 2.5."),
    ({"quantity": "-Infinity"}, "quantity", "Enter a number, like 3 or 2.5."),
    ({"quantity": "1e999999"}, "quantity", "Enter a smaller number."),
    ({"accessories": ["Mouse", "Keyboard", "Headset"]}, "accessories", "at most 2"),
    ({"accessories": ["Trackball"]}, "accessories", "Choose only from the options given."),
    ({"software": ["Emacs"]}, "software", "Choose only from the options given."),
    ({"contact": "not-an-address"}, "contact", "email"),
    ({"model": 'Developer 16"', "justification": "too short"}, "justification", "at least 20"),
])
def test_each_rule_refuses_bad_input(form_for, changes, field, message):
    form, valid = form_for("new-laptop", {**LAPTOP, **changes})
    assert not valid
    assert any(message.lower() in e.lower() for e in errors_of(form)[field]), form.errors


def test_date_bounds_are_relative_to_today(form_for):
    earliest = (TODAY + timedelta(days=3)).isoformat()
    form, valid = form_for("new-laptop", {**LAPTOP, "needed_by": earliest})
    assert valid, form.errors


def test_show_if_hidden_field_is_neither_required_nor_kept(form_for, catalog):
    form, valid = form_for("new-laptop", {**LAPTOP, "new_hire_name": "Ignored"})
    assert valid
    answers = {a["field_id"] for a in snapshots(form, catalog.item("new-laptop"), "en")}
    assert "new_hire_name" not in answers

    form, valid = form_for("new-laptop", {**LAPTOP, "for_whom": "new-hire"})
    assert not valid
    assert errors_of(form)["new_hire_name"] == ["This field is required."]


def test_a_section_condition_hides_the_fields_under_it(form_for):
    form, valid = form_for("new-laptop", LAPTOP)
    assert valid and "f_desk" not in form
    form, valid = form_for("new-laptop", {**LAPTOP, "deliver_to_desk": "y"})
    assert not valid and errors_of(form)["desk"] == ["This field is required."]


def test_hidden_fields_keep_what_was_typed_for_redisplay(form_for, catalog):
    form, _valid = form_for("new-laptop", {**LAPTOP, "new_hire_name": "Typed"})
    assert form.hidden_fields["f_new_hire_name"].data == "Typed"


def test_values_are_coerced_by_type(form_for, catalog):
    form, valid = form_for("new-laptop", {
        **LAPTOP, "needed_by": "2026-03-10", "quantity": "3", "accessories": ["Mouse"],
        "deliver_to_desk": "y", "desk": "B-1"})
    assert valid, form.errors
    assert form.f_needed_by.data == date(2026, 3, 10)
    assert form.f_quantity.data == Decimal(3)
    answers = {a["field_id"]: a for a in snapshots(form, catalog.item("new-laptop"), "en")}
    assert answers["quantity"]["value"] == 3
    assert answers["needed_by"]["value"] == "2026-03-10"
    assert answers["deliver_to_desk"]["value"] is True
    assert answers["accessories"]["value"] == ["Mouse"]


def test_file_rules(app_ctx, catalog):
    item = catalog.item("new-laptop")

    def upload(name, content):
        data = MultiDict({"f_for_whom": "me", "f_model": 'Standard 14"', "f_quantity": "1"})
        data.add("f_quote", FileStorage(BytesIO(content), filename=name))
        form = build_form(item, "en", today=TODAY, formdata=data)
        return form, validate_item_form(form, item)

    assert upload("quote.pdf", filesamples.pdf())[1]
    form, valid = upload("quote.exe", b"MZ")
    assert not valid and "f_quote" in form.errors
    form, valid = upload("quote.pdf", b"x" * 2048)
    assert not valid and "1KB" in form.errors["f_quote"][0].replace(" ", "")


def test_query_prefill_is_only_a_starting_value(app_ctx, catalog):
    item = catalog.item("new-laptop")
    form = build_form(item, "en", today=TODAY,
                      query=MultiDict({"for_whom": "new-hire", "quantity": "zzz"}))
    assert form.f_for_whom.data == "new-hire"
    assert form.f_quantity.data == 1  # the bad value is ignored, the default stays


def test_title_template_uses_display_values_in_the_readers_language(form_for, catalog):
    item = catalog.item("new-laptop")
    form, _ = form_for("new-laptop", {**LAPTOP, "for_whom": "new-hire", "new_hire_name": "Jo"})
    answers = snapshots(form, item, "pl")
    assert render_title(item, answers, "en") == 'Laptop for A new hire – Standard 14"'
    assert render_title(item, answers, "pl") == 'Laptop for Nowy pracownik – Standard 14"'


def test_title_without_template_or_answers_falls_back_to_the_item_name(catalog):
    assert render_title(catalog.item("access"), [], "en") == "Access to a system"
    # A template whose fields were all left empty does not give an empty title.
    assert render_title(catalog.item("new-laptop"), [], "pl") == "Zamów nowy laptop"


@pytest.mark.parametrize(("impact", "urgency", "priority"), [
    ("high", "high", "P1"), ("high", "medium", "P2"), ("high", "low", "P3"),
    ("medium", "high", "P2"), ("medium", "medium", "P3"), ("medium", "low", "P4"),
    ("low", "high", "P3"), ("low", "medium", "P4"), ("low", "low", "P4"),
])
def test_priority_matrix(catalog, impact, urgency, priority):
    item = catalog.item("outage")
    assert priority_for(item, {"impact": impact, "urgency": urgency}) == priority


def test_fixed_priority_and_default(catalog):
    assert priority_for(catalog.item("security-incident"), {}) == "P2"
    assert priority_for(catalog.item("new-laptop"), {}) == "P3"


def test_apply_show_if_returns_the_visible_ids(form_for, catalog):
    item = catalog.item("new-laptop")
    form = build_form(item, "en", today=TODAY, formdata=MultiDict(
        {"f_for_whom": "new-hire", "f_model": 'Developer 16"'}))
    visible = apply_show_if(form, item)
    assert {"new_hire_name", "justification"} <= visible
    assert "desk" not in visible
