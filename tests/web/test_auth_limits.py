"""Failed sign-ins are counted per email address and per network address, in storage every
worker shares; the right password is never counted and says exactly when to try again."""

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.ops import limit_store
from portal.ops.limit_store import DatabaseStorage, RateLimitCounter
from portal.ops.limits import limiter
from tests.conftest import csrf_token, make_app

OFFICE = {"REMOTE_ADDR": "192.0.2.10"}
HOME = {"REMOTE_ADDR": "198.51.100.7"}


@pytest.fixture
def limited(app, tmp_path_factory):
    """Factory: an app with the limits on, on the suite's database (as another worker is)."""
    made = []

    def make(**limits):
        config = {"SIGN_IN_ACCOUNT_LIMIT": "3 per 15 minutes",
                  "SIGN_IN_ADDRESS_LIMIT": "5 per 15 minutes", **limits}
        made.append(make_app(tmp_path_factory, RATELIMIT_ENABLED=True,
                             SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                             **config))
        return made[-1]

    yield make
    limiter.enabled = False  # the limiter is one object shared by every app in the run
    for each in made:
        with each.app_context():
            db.engine.dispose()


def attempt(app, email, password="wrong", where=OFFICE):
    client = app.test_client()
    client.environ_base.update(where)
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": csrf_token(client)})


def codes(app, email, times, **kwargs):
    return [attempt(app, email, **kwargs).status_code for _ in range(times)]


def test_wrong_passwords_for_one_account_are_refused_after_the_limit(limited, make_user):
    portal = limited(SIGN_IN_ADDRESS_LIMIT="50 per 15 minutes")
    make_user("ann@example.com")
    assert codes(portal, "ann@example.com", 4) == [422, 422, 422, 429]
    # From another network too: the count belongs to the account.
    assert attempt(portal, "ann@example.com", where=HOME).status_code == 429


def test_the_default_account_limit_is_ten_failures(limited, make_user):
    portal = limited(SIGN_IN_ACCOUNT_LIMIT="10 per 15 minutes",
                     SIGN_IN_ADDRESS_LIMIT="50 per 15 minutes")
    make_user("ann@example.com")
    assert codes(portal, "ann@example.com", 11) == [422] * 10 + [429]


def test_a_refusal_says_exactly_when_to_try_again(limited, make_user):
    portal = limited()
    make_user("ann@example.com")
    codes(portal, "ann@example.com", 3)
    refused = attempt(portal, "ann@example.com", "secret-pass")
    assert refused.status_code == 429
    wait = int(refused.headers["Retry-After"])
    assert 0 < wait <= 15 * 60
    page = refused.get_data(as_text=True)
    shown = re.search(r"Too many failed sign-ins with this email address\. Try again in 1[45] "
                      r"minutes, at (\d\d:\d\d) UTC\.", page)
    assert shown, page
    # The minute shown is the first whole minute at which the count has started afresh.
    ends = datetime.now(UTC) + timedelta(seconds=wait)
    later = {(ends + timedelta(seconds=s)).strftime("%H:%M") for s in (59, 60)}
    assert shown.group(1) in later
    assert 'name="password"' in page  # the form stays, to try again later


def test_unknown_addresses_are_counted_like_accounts(limited, make_user):
    portal = limited()
    assert codes(portal, "nobody@example.com", 4) == [422, 422, 422, 429]


def test_the_right_password_clears_the_accounts_count(limited, make_user):
    portal = limited()
    make_user("ann@example.com")
    assert codes(portal, "ann@example.com", 2) == [422, 422]
    assert attempt(portal, "ann@example.com", "secret-pass").status_code == 303
    assert codes(portal, "ann@example.com", 3) == [422, 422, 422]


def test_successes_from_one_network_are_not_counted(limited, make_user):
    portal = limited()
    make_user("ann@example.com")
    assert codes(portal, "ann@example.com", 8, password="secret-pass") == [303] * 8


def test_failures_spread_over_accounts_are_refused_per_network(limited, make_user):
    portal = limited()
    make_user("ann@example.com")
    assert [attempt(portal, f"guess{n}@example.com").status_code for n in range(5)] == [422] * 5
    refused = attempt(portal, "ann@example.com", "secret-pass")
    assert refused.status_code == 429
    assert "Too many failed sign-ins from your network." in refused.get_data(as_text=True)
    # Another network is not held back, nor is the account itself.
    assert attempt(portal, "ann@example.com", "secret-pass", where=HOME).status_code == 303


def test_attempts_refused_for_a_locked_account_leave_the_network_alone(limited, make_user):
    portal = limited()
    make_user("ann@example.com")
    assert codes(portal, "ann@example.com", 3 + 10) == [422] * 3 + [429] * 10
    # Only the three checked failures count for the office: two more may fail, then refused.
    assert [attempt(portal, f"guess{n}@example.com").status_code for n in range(3)] == \
        [422, 422, 429]


def test_two_app_instances_share_the_count(limited, make_user):
    first, second = limited(), limited()
    make_user("ann@example.com")
    assert codes(first, "ann@example.com", 2) == [422, 422]
    assert codes(second, "ann@example.com", 2) == [422, 429]
    assert attempt(first, "ann@example.com", "secret-pass").status_code == 429


def test_submissions_are_counted_in_the_database(app, limited, make_user):
    portal = limited()
    make_user("ann@example.com")
    client = portal.test_client()
    client.post("/login", data={"email": "ann@example.com", "password": "secret-pass",
                                "csrf_token": csrf_token(client)})
    response = client.post("/catalog/item/access", data={
        "f_system": "CRM", "csrf_token": csrf_token(client)})
    assert response.status_code == 303
    assert response.headers["X-RateLimit-Remaining"] == "59"
    with app.app_context():
        counts = db.session.execute(select(RateLimitCounter.key, RateLimitCounter.count)).all()
    assert [count for key, count in counts if "catalog.item" in key] == [1]


def ended_window(app, key, count):
    with app.app_context():
        db.session.add(RateLimitCounter(key=key, count=count, expires_at=time.time() - 1))
        db.session.commit()


def test_an_ended_window_starts_afresh(app_ctx):
    ended_window(app_ctx, "LIMITER/x", 99)
    storage = DatabaseStorage()
    assert storage.get("LIMITER/x") == 0
    assert storage.incr("LIMITER/x", 60) == 1
    assert storage.incr("LIMITER/x", 60) == 2
    assert time.time() < storage.get_expiry("LIMITER/x") <= time.time() + 60


def test_ended_windows_are_removed_now_and_then(app_ctx, monkeypatch):
    ended_window(app_ctx, "LIMITER/gone", 5)
    monkeypatch.setattr(limit_store, "PURGE_ONE_IN", 1)
    DatabaseStorage().incr("LIMITER/new", 60)
    keys = db.session.scalars(select(RateLimitCounter.key)).all()
    assert keys == ["LIMITER/new"]
