"""Sessions end on the server's word: sign-out, a new password and deactivation end them,
saved cookies included."""

import pytest

from portal.auth.models import find_user
from portal.auth.people import set_active
from portal.extensions import db
from tests.conftest import csrf_token


def saved_cookie(client) -> str:
    """The session cookie as someone copying it from the browser would keep it."""
    return client.get_cookie("session").value


def with_cookie(client, value):
    client.set_cookie("session", value)
    return client


def signed_in(client) -> bool:
    response = client.get("/my/requests")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def sign_out(client):
    response = client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 303


@pytest.fixture
def person(make_user):
    return make_user("ann@example.com")


def change(app, email, edit):
    with app.app_context():
        edit(find_user(email))
        db.session.commit()


def test_a_saved_cookie_no_longer_works_after_sign_out(client, person, login):
    login(person)
    cookie = saved_cookie(client)
    assert signed_in(client)
    sign_out(client)
    assert not signed_in(with_cookie(client, cookie))


def test_signing_out_ends_the_persons_other_sessions_too(app, client, person, login):
    login(person)
    laptop = app.test_client()
    with_cookie(laptop, saved_cookie(client))
    assert signed_in(laptop)
    sign_out(client)
    assert not signed_in(laptop)


def test_signing_in_again_after_signing_out_works(client, person, login):
    login(person)
    sign_out(client)
    login(person)
    assert signed_in(client)


def test_other_peoples_sessions_stay(app, client, person, make_user, login):
    other = app.test_client()
    make_user("bo@example.com")
    other.post("/login", data={"email": "bo@example.com", "password": "secret-pass",
                               "csrf_token": csrf_token(other)})
    login(person)
    sign_out(client)
    assert signed_in(other)


def test_a_new_password_ends_the_sessions(app, client, person, login):
    login(person)
    change(app, person.email, lambda user: user.set_password("a-new-password"))
    assert not signed_in(client)
    login(person, "a-new-password")
    assert signed_in(client)


def test_deactivating_ends_the_sessions_for_good(app, client, person, login):
    login(person)
    cookie = saved_cookie(client)
    change(app, person.email, lambda user: set_active(user, False))
    assert not signed_in(client)
    # Active again: the cookie from before the deactivation stays dead.
    change(app, person.email, lambda user: set_active(user, True))
    assert not signed_in(with_cookie(client, cookie))


def test_deactivating_on_the_admin_page_ends_the_sessions(app, client, person, make_user, login):
    phone = app.test_client()
    phone.post("/login", data={"email": person.email, "password": "secret-pass",
                               "csrf_token": csrf_token(phone)})
    assert signed_in(phone)
    admin = make_user("admin@example.com", role="admin")
    login(admin)
    response = client.post(f"/admin/people/{person.id}", data={
        "name": person.name, "role": "requester", "locale": "", "manager": "",
        "csrf_token": csrf_token(client)})  # "active" left unticked
    assert response.status_code == 303
    change(app, person.email, lambda user: set_active(user, True))
    assert not signed_in(phone)


def test_deactivating_from_the_command_line_ends_the_sessions(app, client, person, login):
    login(person)
    cookie = saved_cookie(client)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "deactivate", person.email]).exit_code == 0
    assert runner.invoke(args=["users", "activate", person.email]).exit_code == 0
    assert not signed_in(with_cookie(client, cookie))


def test_a_session_without_a_version_is_refused(client, person, login):
    # As a cookie signed in before sessions carried a version.
    login(person)
    with client.session_transaction() as session:
        del session["session_version"]
    assert not signed_in(client)


def test_a_new_person_starts_at_the_first_version(app, person):
    with app.app_context():
        assert find_user(person.email).session_version == 0
