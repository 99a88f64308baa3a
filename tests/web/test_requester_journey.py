"""The core loop through the Flask test client: form → validation → ticket → status page."""

import io
from datetime import date, timedelta

import pytest

from portal.extensions import db
from portal.tickets.models import Ticket

VALID = {
    "f_for_whom": "me",
    "f_model": 'Standard 14"',
    "f_quantity": "1",
}


@pytest.fixture
def requester(make_user, login):
    user = make_user("requester@example.com")
    login(user)
    return user


def ticket(app, number):
    with app.app_context():
        found = db.session.scalar(db.select(Ticket).where(Ticket.number == number))
        assert found is not None
        found.answers, found.events  # noqa: B018 - load before the session closes
        return found


def test_navigation_names(client):
    page = client.get("/").get_data(as_text=True)
    for name in ("Service catalog", "Knowledge base", "Sign in"):
        assert f">{name}<" in page
    assert client.get("/kb/").status_code == 200


def test_sign_in_form_labels_and_wrong_password(client, make_user, post):
    make_user("someone@example.com")
    page = client.get("/login").get_data(as_text=True)
    assert ">Email</label>" in page and ">Password</label>" in page
    response = post("/login", {"email": "someone@example.com", "password": "nope"})
    assert response.status_code == 422
    assert "The email or password is not right." in response.get_data(as_text=True)


def test_open_redirect_refused(client, make_user, post):
    make_user("someone@example.com")
    response = post("/login", {"email": "someone@example.com", "password": "secret-pass",
                               "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_catalog_lists_items(client):
    page = client.get("/catalog").get_data(as_text=True)
    assert "Request a new laptop" in page and "Order a standard laptop." in page


def test_item_form_needs_sign_in(client):
    response = client.get("/catalog/item/new-laptop")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_form_renders_every_field_with_hints(client, requester):
    page = client.get("/catalog/item/new-laptop").get_data(as_text=True)
    assert 'name="f_new_hire_name"' in page
    assert "Only if “Who is it for?” is “A new hire”." in page
    assert "data-show-if=" in page
    assert 'placeholder="CC-1234"' in page
    assert "<strong>Note:</strong> laptops stay company property." in page
    assert 'type="file"' in page and 'accept=".pdf,.png,.txt"' in page


def test_prefill_from_link(client, requester):
    page = client.get("/catalog/item/new-laptop?quantity=3&for_whom=new-hire").get_data(
        as_text=True)
    assert 'value="3"' in page
    assert '<option selected value="new-hire">' in page


def test_unknown_item_is_404(client, requester):
    assert client.get("/catalog/item/nope").status_code == 404


@pytest.mark.parametrize("changes, field, message", [
    ({"f_model": ""}, "f_model", "This field is required."),
    ({"f_cost_center": "1234"}, "f_cost_center", "Use the form CC-1234"),
    ({"f_quantity": "11"}, "f_quantity", "Enter 10 or less."),
    ({"f_quantity": "0"}, "f_quantity", "Enter 1 or more."),
    ({"f_quantity": "1.5"}, "f_quantity", "Use steps of 1."),
    ({"f_quantity": "lots"}, "f_quantity", "Enter a number, like 3 or 2.5."),
    ({"f_needed_by": date.today().isoformat()}, "f_needed_by", "or later."),
    ({"f_needed_by": "31/12/2026"}, "f_needed_by", "Enter a date as YYYY-MM-DD."),
    ({"f_for_whom": "someone"}, "f_for_whom", "Choose one of the options given."),
    ({"f_model": "Gaming rig"}, "f_model", "Choose one of the options given."),
    ({"f_accessories": ["Mouse", "Keyboard", "Headset"]}, "f_accessories", "Choose at most 2."),
    ({"f_software": ["Office", "Minesweeper"]}, "f_software", "Choose only from the options"),
    ({"f_contact": "not-an-email"}, "f_contact", "Enter an email address like"),
    ({"f_for_whom": "new-hire"}, "f_new_hire_name", "This field is required."),
    ({"f_model": 'Developer 16"', "f_justification": "too short"}, "f_justification",
     "Use at least 20 characters (you used 9)."),
    ({"f_deliver_to_desk": "y"}, "f_desk", "This field is required."),
])
def test_each_rule_is_enforced(client, requester, post, changes, field, message):
    response = post("/catalog/item/new-laptop", {**VALID, **changes})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert f'id="{field}-error"' in page
    assert "Please correct the marked fields" in page


def test_errors_keep_what_was_typed_and_mark_fields(client, requester, post):
    response = post("/catalog/item/new-laptop",
                    {**VALID, "f_cost_center": "bad", "f_contact": "me@example.com"})
    page = response.get_data(as_text=True)
    assert 'value="bad"' in page and 'value="me@example.com"' in page
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="f_cost_center-error"' in page


def test_file_type_and_size(client, requester, post):
    wrong = post("/catalog/item/new-laptop", {**VALID, "f_quote": (io.BytesIO(b"x"), "a.exe")},
                 content_type="multipart/form-data")
    assert "Choose a file of type .pdf, .png, .txt." in wrong.get_data(as_text=True)
    big = post("/catalog/item/new-laptop",
               {**VALID, "f_quote": (io.BytesIO(b"x" * 2000), "q.txt")},
               content_type="multipart/form-data")
    assert "The file is too large" in big.get_data(as_text=True)


def test_hidden_fields_are_discarded_and_not_required(app, client, requester, post):
    response = post("/catalog/item/new-laptop", {
        **VALID, "f_new_hire_name": "Should vanish", "f_justification": "x",
        "f_desk": "",  # in the hidden Delivery section: not required
    })
    assert response.status_code == 303
    saved = ticket(app, "REQ-000001")
    ids = [a.field_id for a in saved.answers]
    assert "new_hire_name" not in ids and "justification" not in ids and "desk" not in ids


def test_valid_submission_becomes_one_ticket(app, client, requester, post):
    needed = (date.today() + timedelta(days=5)).isoformat()
    response = post("/catalog/item/new-laptop", {
        **VALID, "f_for_whom": "new-hire", "f_new_hire_name": "Jo Novak",
        "f_needed_by": needed, "f_cost_center": "CC-1234", "f_accessories": ["Mouse"],
        "f_deliver_to_desk": "y", "f_desk": "B-204",
        "f_quote": (io.BytesIO(b"quote"), "quote.txt"),
    }, content_type="multipart/form-data")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/tickets/REQ-000001")
    saved = ticket(app, "REQ-000001")
    assert saved.title == 'Laptop for A new hire – Standard 14"'
    assert saved.status.value == "new" and saved.priority == "P3"
    assert saved.team_id == "service-desk" and saved.item_id == "new-laptop"
    assert len(saved.item_version) == 12
    answers = {a.field_id: a for a in saved.answers}
    assert answers["for_whom"].value == "new-hire"
    assert answers["for_whom"].display == {"en": "A new hire", "pl": "Nowy pracownik"}
    assert answers["quantity"].value == 1
    assert answers["needed_by"].value == needed
    assert answers["accessories"].value == ["Mouse"]
    assert answers["deliver_to_desk"].value is True
    assert answers["quote"].value == {"filename": "quote.txt", "size": 5}
    assert [e.kind.value for e in saved.events] == ["created"]

    page = client.get("/tickets/REQ-000001").get_data(as_text=True)
    assert "REQ-000001" in page and "Jo Novak" in page and "B-204" in page
    assert "quote.txt" in page


def test_approval_item_waits_for_approval(app, client, requester, post):
    response = post("/catalog/item/access", {"f_system": "Payroll"})
    assert response.status_code == 303
    saved = ticket(app, "ACC-000001")
    assert saved.status.value == "awaiting_approval"
    assert saved.title == "Access to a system"


def test_user_field_must_name_a_portal_user(client, requester, post):
    response = post("/catalog/item/access", {"f_system": "Payroll",
                                             "f_approver": "ghost@example.com"})
    assert "No portal user has the email ghost@example.com." in response.get_data(as_text=True)
    ok = post("/catalog/item/access", {"f_system": "Payroll",
                                       "f_approver": "REQUESTER@example.com"})
    assert ok.status_code == 303


@pytest.mark.parametrize("impact, urgency, priority", [
    ("high", "high", "P1"), ("high", "low", "P3"), ("medium", "medium", "P3"),
    ("low", "low", "P4"), ("medium", "high", "P2"),
])
def test_priority_from_impact_and_urgency(app, client, requester, post, impact, urgency,
                                          priority):
    response = post("/catalog/item/outage", {"f_impact": impact, "f_urgency": urgency})
    assert response.status_code == 303
    assert ticket(app, "INC-000001").priority == priority


def test_people_lookup(client, requester, make_user):
    make_user("zoe.manager@example.com", name="Zoe Manager")
    page = client.get("/people?f_approver=zoe").get_data(as_text=True)
    assert '<option value="zoe.manager@example.com">Zoe Manager</option>' in page
