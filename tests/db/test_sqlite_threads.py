"""SQLite connections stay in the thread that opened them.

The sqlean driver's C module crashes the process when a connection another thread is using
still has a live cursor from its previous user (bench/fuzz_sqlean.py reproduces it within a
minute with a pool). So no pool: a connection is opened, used and closed by one thread, and
using one from another thread is an error, never shared memory.
"""

import threading

import pytest
import sqlean

from portal.dashboard import figures
from portal.dashboard.filters import DashboardFilter
from portal.extensions import db
from portal.web.catalog import current_catalog


@pytest.fixture
def sqlite_app(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("SQLite only: psycopg connections may move between threads")
    return app


def in_thread(function):
    """function()'s result or exception, run in a new thread."""
    outcome = {}

    def run():
        try:
            outcome["value"] = function()
        except Exception as error:  # noqa: BLE001 - handed back to the test
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return outcome


def test_sqlite_goes_through_sqlean(sqlite_app):
    with sqlite_app.app_context():
        connection = db.engine.raw_connection()
        try:
            assert isinstance(connection.driver_connection, sqlean.Connection)
        finally:
            connection.close()


def test_a_thread_never_gets_a_connection_another_thread_used(sqlite_app):
    def driver_connection():
        with sqlite_app.app_context():
            connection = db.engine.raw_connection()
            driver = connection.driver_connection
            driver.execute("SELECT 1").fetchall()
            connection.close()
            return driver

    first = in_thread(driver_connection)["value"]
    second = in_thread(driver_connection)["value"]
    assert first is not second
    # The first thread's connection was closed when it was given back, not kept for others.
    with pytest.raises(sqlean.ProgrammingError):
        first.execute("SELECT 1")


def test_using_a_connection_from_another_thread_is_refused(sqlite_app):
    with sqlite_app.app_context():
        connection = db.engine.raw_connection()
        try:
            outcome = in_thread(lambda: connection.driver_connection.execute("SELECT 1"))
        finally:
            connection.close()
    assert isinstance(outcome.get("error"), sqlean.ProgrammingError)


def test_dashboard_figures_each_open_their_own_connection(sqlite_app, monkeypatch):
    """collect() runs figures in threads: each must read through a connection of its own."""
    seen = []

    def spy(flt):
        # The connection object itself, kept alive so that no two can share an id().
        seen.append((threading.get_ident(), db.session.connection().connection
                     .driver_connection))
        return {}

    with sqlite_app.test_request_context():
        flt = DashboardFilter.from_args({}, current_catalog())
        monkeypatch.setattr(figures, "FIGURES", {f"spy{n}": spy for n in range(6)})
        figures.collect(flt)
    assert len(seen) == 6
    threads_of = {}
    for thread, connection in seen:
        threads_of.setdefault(id(connection), set()).add(thread)
    assert all(len(threads) == 1 for threads in threads_of.values())
