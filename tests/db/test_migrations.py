"""The migrations are the only way the schema changes: they must match the models and keep data."""

import os
import uuid

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from portal.extensions import db
from tests.conftest import make_app


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": True,
            "include_object": lambda obj, name, type_, *_: not (
                type_ == "table" and name.startswith("search_"))})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "run `flask db migrate` and commit the new migration"


def test_the_schema_is_at_the_newest_migration(app):
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        with db.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
        assert current == script.get_current_head()


def _run_once(url: str, statement: str) -> None:
    """One statement on an engine of its own, disposed at once: no connection is left for the
    garbage collector to close in some later test."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


def _scratch_database(tmp_path):
    """A database of its own: a fresh file on SQLite, a fresh schema on PostgreSQL."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return "sqlite:///" + str(tmp_path / "upgrade.db"), None
    from portal.config import normalise_database_url
    schema = "upgrade_" + uuid.uuid4().hex[:8]
    base = normalise_database_url(url)
    _run_once(base, f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options=-csearch_path%3D{schema}", (base, schema)


@pytest.fixture
def scratch_app(tmp_path_factory, tmp_path):
    url, cleanup = _scratch_database(tmp_path)
    scratch = make_app(tmp_path_factory, SQLALCHEMY_DATABASE_URI=url)
    yield scratch
    with scratch.app_context():
        db.session.remove()
        db.engine.dispose()
    if cleanup:
        base, schema = cleanup
        _run_once(base, f"DROP SCHEMA {schema} CASCADE")


def test_upgrading_from_the_first_migration_keeps_the_data(scratch_app):
    with scratch_app.app_context():
        script = ScriptDirectory.from_config(
            scratch_app.extensions["migrate"].migrate.get_config())
        first = list(script.walk_revisions())[-1].revision
        flask_migrate.upgrade(revision=first)
        with db.engine.begin() as conn:
            add_a_person_and_a_ticket(conn)
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT email FROM users")).scalar_one() == "kept@example.com"
            assert conn.execute(text("SELECT title FROM tickets")).scalar_one() == "Kept ticket"
        assert "tickets" in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_sessions_and_limits_migration_goes_down_and_up_keeping_the_people(scratch_app):
    with scratch_app.app_context():
        flask_migrate.upgrade()
        with db.engine.begin() as conn:
            add_a_person_and_a_ticket(conn)
            conn.execute(text("UPDATE users SET session_version = 3"))
        flask_migrate.downgrade(revision="0006")
        inspector = inspect(db.engine)
        assert "session_version" not in {c["name"] for c in inspector.get_columns("users")}
        assert "rate_limit_counters" not in inspector.get_table_names()
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT email, session_version FROM users")).one() == \
                ("kept@example.com", 0)
            assert conn.execute(text("SELECT requester_id FROM tickets")).scalar_one() == 1
            assert conn.execute(text("SELECT count(*) FROM rate_limit_counters")).scalar_one() == 0
        db.engine.dispose()


def add_a_person_and_a_ticket(conn) -> None:
    """Rows the migrations must keep: kept@example.com and REQ-000001 ('Kept ticket')."""
    conn.execute(text(
        "INSERT INTO users (id, email, name, password_hash, role, active, created_at)"
        " VALUES (1, 'kept@example.com', 'Kept', 'x', 'requester', true, '2026-01-02')"))
    conn.execute(text(
        "INSERT INTO tickets (id, number, type, title, status, priority, team_id,"
        " item_id, item_version, item_name, restricted, requester_id, created_at,"
        " updated_at) VALUES (1, 'REQ-000001', 'request', 'Kept ticket', 'new', 'P3',"
        " 'desk', 'laptop', 'abc', :name, false, 1, '2026-01-02', '2026-01-02')"),
        {"name": '"Laptop"'})
