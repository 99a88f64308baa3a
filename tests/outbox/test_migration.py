"""Migration 0005: messages queued before it keep their bodies; going back gives up the
messages still waiting to be rendered instead of sending them empty."""

import flask_migrate
from sqlalchemy import text

from portal.extensions import db
from tests.db.test_migrations import scratch_app  # noqa: F401 - a fixture, used by name

QUEUE = text(
    "INSERT INTO outbox (id, created_at, kind, recipient, subject, body_text, body_html,"
    " message_id, status, attempts, next_attempt_at) VALUES (:id, '2026-01-02',"
    " 'ticket_received', 'ana@example.com', 'Hi', :body, :html, :message_id, 'pending', 0,"
    " '2026-01-02')")


def test_0005_keeps_rendered_messages_and_its_downgrade_gives_up_unrendered_ones(
        scratch_app):  # noqa: F811 - the fixture imported above
    with scratch_app.app_context():
        flask_migrate.upgrade(revision="0004")
        with db.engine.begin() as conn:
            conn.execute(QUEUE, {"id": 1, "body": "Hello", "html": "<p>Hello</p>",
                                 "message_id": "<1@example.com>"})
        flask_migrate.upgrade(revision="0005")
        with db.engine.begin() as conn:
            assert conn.execute(text("SELECT body_text, body_html, locale FROM outbox")
                                ).one() == ("Hello", "<p>Hello</p>", None)
            conn.execute(QUEUE, {"id": 2, "body": None, "html": None,
                                 "message_id": "<2@example.com>"})
        flask_migrate.downgrade(revision="0004")
        with db.engine.connect() as conn:
            kept, unrendered = conn.execute(text(
                "SELECT id, status, body_text, body_html, last_error FROM outbox ORDER BY id"))
        assert tuple(kept) == (1, "pending", "Hello", "<p>Hello</p>", None)
        assert tuple(unrendered)[:4] == (2, "dead", "", "")
        assert "not rendered" in unrendered.last_error
        db.engine.dispose()
