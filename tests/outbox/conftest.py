"""Notification fixtures: people and a real SMTP server on loopback (tickets and the outbox
are the suite's make_ticket and outbox)."""

import socket
from datetime import UTC, datetime

import pytest
from aiosmtpd.controller import Controller

from portal.auth.models import TeamMember, User
from portal.extensions import db


@pytest.fixture
def person(app_ctx, make_user):
    """person(email, role=..., locale=..., team=...) -> User attached to this test's session."""

    def make(email, *, team=None, **kwargs):
        user = db.session.get(User, make_user(email, **kwargs).id)
        if team:
            db.session.add(TeamMember(team_id=team, user_id=user.id))
            db.session.commit()
        return user

    return make


def utc(value: datetime) -> datetime:
    """SQLite returns naive datetimes (stored as UTC); PostgreSQL returns aware ones."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Mailbox:
    """An aiosmtpd handler that keeps every envelope it accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app, monkeypatch):
    """The app sends over SMTP to 127.0.0.1:<free port>, where nothing listens until
    smtp.start() returns the Mailbox of a server started there."""
    port = free_port()
    settings = {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
                "MAIL_TIMEOUT": 5, "MAIL_USE_TLS": False, "MAIL_USE_SSL": False,
                "MAIL_USERNAME": None}
    for key, value in settings.items():
        monkeypatch.setitem(app.config, key, value)
    controllers = []

    class Server:
        def start(self) -> Mailbox:
            mailbox = Mailbox()
            controller = Controller(mailbox, hostname="127.0.0.1", port=port)
            controller.start()
            controllers.append(controller)
            return mailbox

    yield Server()
    for controller in controllers:
        controller.stop()
