"""Fixtures shared by the whole suite: app, client, login, factories.

The database is SQLite in a temporary folder, or PostgreSQL when TEST_DATABASE_URL is set
(`make test` runs the suite once each way).
"""

import json
import os
import re
from pathlib import Path

import flask_migrate
import pytest
from flask import has_app_context
from sqlalchemy import text

from portal import create_app
from portal.auth.models import Role, User
from portal.extensions import db
from portal.forms.answers import render_title
from portal.tickets.service import submit_ticket
from tests.tickets_and_outbox import DEFAULT_ANSWERS, Outbox, answer_snapshots, take_number

HERE = Path(__file__).parent
CATALOGS = HERE / "catalogs"
IN_CI = os.environ.get("CI") == "true"
# Rate limits off for every app the suite builds (the limiter is one object per process);
# the rate-limit test turns them on for its own app.
os.environ["RATELIMIT_DISABLED"] = "1"


def pytest_configure(config):
    """Compile the translations, so a plain `pytest` serves the same texts as `make test`."""
    from babel.messages.frontend import CommandLineInterface
    CommandLineInterface().run(["pybabel", "-q", "compile", "-d",
                                str(HERE.parent / "portal" / "translations")])


def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        from portal.config import normalise_database_url
        return normalise_database_url(url)
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "portal.db")


def make_app(tmp_path_factory, **overrides):
    instance = tmp_path_factory.mktemp("instance")
    config = {
        "TESTING": True,
        "RATELIMIT_ENABLED": False,  # one test turns them on
        "DASHBOARD_CACHE_SECONDS": 0,  # figures computed afresh (one test turns it on)
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path_factory),
        "CATALOG_PATH": str(CATALOGS / "portal.yaml"),
        "UPLOAD_FOLDER": str(instance / "uploads"),
        "MAIL_OUTBOX_DIR": str(instance / "mail"),
        "SERVER_NAME": None,
    }
    config.update(overrides)
    return create_app(config)


def reset_schema(app) -> None:
    """Drop everything, then build the schema the way production does: through the migrations."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        flask_migrate.upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = make_app(tmp_path_factory)
    reset_schema(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def wipe(app) -> None:
    """Empty every table between tests (much faster than re-creating the schema)."""
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        tables = [name for name in tables if name != "alembic_version"]
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
            else:
                for name in tables:
                    conn.execute(text(f"DELETE FROM {name}"))
                conn.execute(text("DELETE FROM search_fts"))  # the index is not a model


@pytest.fixture(autouse=True)
def _clean_database(request):
    yield
    if "app" in request.fixturenames:
        wipe(request.getfixturevalue("app"))


@pytest.fixture
def app_ctx(app):
    with app.test_request_context():
        yield app


@pytest.fixture
def served_catalog(app):
    """The catalog the app serves, for calling the ticket services directly."""
    with app.app_context():
        return app.extensions["catalog_store"].get()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    """Factory: make_user("a@example.com", role="agent", manager=other) -> User (committed)."""

    def make(email="requester@example.com", *, name=None, role="requester", manager=None,
             password="secret-pass", locale=None):
        with app.app_context():
            user = User(email=email, name=name or email.split("@")[0].title(),
                        role=Role(role), locale=locale,
                        manager_id=manager.id if manager is not None else None)
            user.set_password(password)
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


def csrf_token(client) -> str:
    """The CSRF token of the client's session, read the way htmx reads it: from the page."""
    page = client.get("/").get_data(as_text=True)
    match = re.search(r"data-hx-headers='([^']+)'", page)
    return json.loads(match.group(1).replace("&#34;", '"'))["X-CSRFToken"]


@pytest.fixture
def login(client):
    """login(user_or_email, password) signs the test client in through the real form."""

    def do(user, password="secret-pass"):
        email = user if isinstance(user, str) else user.email
        response = client.post("/login", data={
            "email": email, "password": password, "csrf_token": csrf_token(client)})
        assert response.status_code == 303, response.get_data(as_text=True)
        return response

    return do


@pytest.fixture
def post(client):
    """post(url, data) with the session's CSRF token added, as a browser form would."""

    def do(url, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", csrf_token(client))
        return client.post(url, data=data, **kwargs)

    return do


@pytest.fixture
def make_ticket(app, make_user):
    """make_ticket(item="new-laptop", requester=user or email, answers={field: value}, title=...,
    number="REQ-000123", **columns) -> Ticket, submitted through the ticket service (numbered,
    notified, SLA set) and committed; `columns` (status=..., assignee=...) are then set as given.

    Inside an app context the ticket stays attached to its session; outside one it comes back
    detached, with its columns loaded.
    """

    def make(item="new-laptop", *, requester=None, answers=None, title=None, number=None,
             uploads=None, locale="en", **columns):
        catalog = app.extensions["catalog_store"].get()  # the one served now
        spec = catalog.item(item)
        assert spec is not None, f"the test catalog has no item {item!r}"
        if requester is None or isinstance(requester, str):
            email = requester or "requester@example.com"
            requester = (db.session.scalar(db.select(User).filter_by(email=email))
                         or make_user(email))
        snapshots = answer_snapshots(spec, DEFAULT_ANSWERS.get(item, {}) if answers is None
                                     else answers, locale)
        if number is not None:
            take_number(number)
        ticket, _stored = submit_ticket(
            item=spec, catalog=catalog, requester=db.session.get(User, requester.id),
            answers=snapshots, uploads=uploads or {},
            title=title or render_title(spec, snapshots, locale),
            upload_folder=app.config["UPLOAD_FOLDER"])
        for name, value in columns.items():
            assert hasattr(ticket, name), f"a ticket has no {name!r}"
            setattr(ticket, name, value)
        db.session.commit()
        return ticket

    def make_in_context(*args, **kwargs):
        if has_app_context():
            return make(*args, **kwargs)
        with app.app_context():
            ticket = make(*args, **kwargs)
            db.session.refresh(ticket)
            db.session.expunge(ticket)
            return ticket

    return make_in_context


@pytest.fixture
def outbox(app):
    """The outbox (see Outbox), read in whatever app context the test is in: it pushes none,
    so a test of work done without a request stays without one."""
    return Outbox()
