"""Flask extensions, created unbound and bound to the app in the factory."""

import sqlite3
from datetime import UTC, datetime

import sqlean
from flask import current_app
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
naming = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
db = SQLAlchemy(metadata=MetaData(naming_convention=naming))

# SQLite is reached through sqlean.py, the standard sqlite3 module built with a newer SQLite
# and its extensions: the dashboard's medians need the stats extension's percentile(), which
# the standard module can neither provide nor load.
sqlean.extensions.enable("stats")


def engine_options(database_url: str) -> dict:
    """SQLAlchemy engine options for the database: for SQLite, the sqlean driver, with each
    connection opened, used and closed by one thread.

    sqlean's C module is the older pysqlite code (it still has the Cache and Statement types
    that CPython 3.11 replaced), and it segfaults when a cursor left holding a statement is
    freed, by the cyclic collector in whichever thread runs it, after its connection went back
    to a pool and another thread is using it (bench/fuzz_sqlean.py crashes within a minute).
    A traceback keeps the cursors of its frames alive, so every failed statement can leave
    such a cursor. Without a pool no connection outlives its checkout or changes thread, and
    check_same_thread turns any use from another thread into an error instead of a crash.
    Opening a connection costs about half a millisecond.
    """
    if not database_url.startswith("sqlite"):
        return {}
    return {"module": sqlean, "poolclass": NullPool,
            "connect_args": {"check_same_thread": True}}

migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL for concurrent readers, a busy timeout instead of 'database is locked', real FKs."""
    if isinstance(dbapi_connection, sqlite3.Connection | sqlean.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def utcnow() -> datetime:
    """Timezone-aware now; stored as UTC everywhere."""
    return datetime.now(UTC)


def enum_column(enum_cls, length=32):
    """Enums stored as their string values, portable across SQLite and PostgreSQL."""
    return db.Enum(
        enum_cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


def store_catalog():
    """The last good catalog of this process's store: what the worker, the CLI and other
    callers outside a request work on (a view uses its request's, web.catalog)."""
    return current_app.extensions["catalog_store"].get()


def contains(column, text: str):
    """`column` holds `text` anywhere, case-insensitively; LIKE's wildcards in `text` are taken
    literally (a search for "50%" or "a_b" finds just that)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


# Ids are Integer columns: 64-bit in SQLite but 32-bit (int4) in PostgreSQL, which refuses a
# larger bound value ("integer out of range"); SQLite's driver raises OverflowError past
# 2**63. A number beyond the narrower range names nothing: a URL holding one is a 404.
ID_MIN, ID_MAX = -(2**31), 2**31 - 1


def is_id(value) -> bool:
    """Whether a value (from a URL, a form or a cursor) is an integer an id column can hold."""
    return isinstance(value, int) and not isinstance(value, bool) and ID_MIN <= value <= ID_MAX
