"""Signing in takes the same password work whether or not the account exists."""

import pytest

from portal.auth import credentials
from portal.auth.models import find_user
from portal.auth.people import set_active
from portal.extensions import db
from tests.conftest import csrf_token


@pytest.fixture
def checks(monkeypatch):
    """The password hashes checked, in order."""
    seen = []
    real = credentials.check_password_hash

    def counting(stored, password):
        seen.append(stored)
        return real(stored, password)

    monkeypatch.setattr(credentials, "check_password_hash", counting)
    return seen


def method(stored: str) -> str:
    """A hash's method and cost, e.g. scrypt:32768:8:1."""
    return stored.split("$", 1)[0]


def sign_in(client, email, password):
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": csrf_token(client)})


def test_an_unknown_address_takes_a_full_password_check(client, make_user, checks):
    make_user("ann@example.com")
    response = sign_in(client, "nobody@example.com", "secret-pass")
    assert response.status_code == 422
    assert "The email or password is not right." in response.get_data(as_text=True)
    # Checked against a hash made like the real ones: same method, same cost.
    with client.application.app_context():
        real = find_user("ann@example.com").password_hash
    assert [method(stored) for stored in checks] == [method(real)]


def test_a_wrong_password_takes_one_check(client, make_user, checks):
    make_user("ann@example.com")
    assert sign_in(client, "ann@example.com", "wrong").status_code == 422
    assert len(checks) == 1


def test_a_deactivated_account_takes_the_check_and_is_refused(app, client, make_user, checks):
    make_user("ann@example.com")
    with app.app_context():
        set_active(find_user("ann@example.com"), False)
        db.session.commit()
    response = sign_in(client, "ann@example.com", "secret-pass")
    assert response.status_code == 422
    assert "The email or password is not right." in response.get_data(as_text=True)
    assert len(checks) == 1


def test_the_right_password_signs_in(client, make_user, checks):
    make_user("ann@example.com")
    assert sign_in(client, "ANN@example.com ", "secret-pass").status_code == 303
    assert len(checks) == 1
