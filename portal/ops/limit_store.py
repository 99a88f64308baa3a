"""Rate-limit counters in the portal's own database, for installs without Redis.

Flask-Limiter keeps its counters in memory by default, so every gunicorn worker counted for
itself and a limit let through as many attempts as there are workers. This storage (the
`portal-db://` scheme of the `limits` library) keeps fixed-window counters in one table that
every worker on every host reads and writes.
"""

import random
import time

from limits.storage import Storage
from sqlalchemy import Float, Integer, String, case, delete, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

# One write in this many also removes expired counters, so keys never seen again do not pile up.
PURGE_ONE_IN = 100


class RateLimitCounter(db.Model):
    """One fixed window of one limit: how many hits, and when the window ends."""

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(512), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    # Seconds since the epoch, as the `limits` library counts: compared with plain numbers the
    # same way on SQLite and PostgreSQL.
    expires_at: Mapped[float] = mapped_column(Float, index=True)


def _counting(conn) -> None:
    """Let PostgreSQL commit a count without waiting for the disk: losing the last moment's
    counts in a crash is harmless, and each sign-in and submission would wait ~10 ms for it."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL synchronous_commit TO OFF"))


def _insert():
    """INSERT with ON CONFLICT for the bound database (both dialects spell it the same)."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(RateLimitCounter)


class DatabaseStorage(Storage):
    """Counters in `rate_limit_counters`, through the current app's database engine.

    Each call runs in a transaction of its own, apart from the request's session: a count
    must stay counted when the request's own work is rolled back.
    """

    STORAGE_SCHEME = ["portal-db"]

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add `amount` to the key's window (a new window once the old one has ended)."""
        now = time.time()
        table = RateLimitCounter.__table__
        statement = _insert().values(key=key, count=amount, expires_at=now + expiry)
        ended = table.c.expires_at <= now
        # One statement, so two workers counting the same key at the same moment both count:
        # the database serialises the upsert on the key's row.
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={"count": case((ended, statement.excluded.count),
                                else_=table.c.count + statement.excluded.count),
                  "expires_at": case((ended, statement.excluded.expires_at),
                                     else_=table.c.expires_at)},
        ).returning(table.c.count)
        with db.engine.begin() as conn:
            _counting(conn)
            count = conn.execute(statement).scalar_one()
        if random.randrange(PURGE_ONE_IN) == 0:  # nosec B311 - when to tidy up, not a secret
            self._purge(now)
        return count

    @staticmethod
    def _purge(now: float) -> None:
        """Remove ended windows, in a transaction of its own: holding the counted row's lock
        while waiting for other rows could deadlock with another worker doing the same."""
        try:
            with db.engine.begin() as conn:
                _counting(conn)
                conn.execute(delete(RateLimitCounter).where(RateLimitCounter.expires_at <= now))
        except SQLAlchemyError:
            pass  # the next purge removes them; the count itself is saved

    def _live(self, key: str):
        with db.engine.connect() as conn:
            return conn.execute(
                select(RateLimitCounter.count, RateLimitCounter.expires_at)
                .where(RateLimitCounter.key == key, RateLimitCounter.expires_at > time.time())
            ).first()

    def get(self, key: str) -> int:
        row = self._live(key)
        return row.count if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._live(key)
        return row.expires_at if row else time.time()

    def check(self) -> bool:
        try:
            with db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with db.engine.begin() as conn:
            return conn.execute(delete(RateLimitCounter)).rowcount

    def clear(self, key: str) -> None:
        with db.engine.begin() as conn:
            _counting(conn)
            conn.execute(delete(RateLimitCounter).where(RateLimitCounter.key == key))
