"""`flask demo load`: people, articles and months of history, idempotently."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.kb.models import Article
from portal.tickets.models import Rating, Ticket


def test_demo_load_twice(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "7 new accounts" in first.output and "39 new" in first.output
    with app.app_context():
        tickets = db.session.scalar(select(func.count()).select_from(Ticket))
        assert tickets > 200
        assert db.session.scalar(select(func.count()).select_from(Rating)) > 50
        assert db.session.scalar(select(func.count()).select_from(Article)) == 39
    second = runner.invoke(args=["demo", "load"])
    assert "0 new accounts, 0 new and 0 updated articles, 0 tickets" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ticket)) == tickets
