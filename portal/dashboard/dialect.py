"""The few SQL pieces that differ between SQLite and PostgreSQL, kept in this one module.

- Durations: PostgreSQL subtracts timestamps; SQLite stores "YYYY-MM-DD HH:MM:SS.ffffff" text
  (UTC) and subtracts julianday() numbers.
- Days and weeks: PostgreSQL truncates the UTC timestamp; SQLite's date() reads the UTC text.
  Weeks start on Monday (ISO) on both.
- Percentiles: PostgreSQL has percentile_cont(); SQLite has no percentile function, so the
  same interpolated value is read with ORDER BY ... LIMIT 2 OFFSET k after a COUNT. Either way
  the database sorts and only one or two numbers come back, never the rows.
"""

import math
from datetime import date

from sqlalchemy import Float, cast, func, select

from ..extensions import db


def is_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def hours_between(later, earlier):
    """SQL: wall-clock hours from `earlier` to `later` (NULL if either is NULL)."""
    if is_postgres():
        return cast(func.extract("epoch", later - earlier), Float) / 3600.0
    return (func.julianday(later) - func.julianday(earlier)) * 24.0


def day_of(moment):
    """SQL: the UTC calendar day of a timestamp."""
    if is_postgres():
        return func.date(func.timezone("UTC", moment))
    return func.date(moment)


def week_of(moment):
    """SQL: the Monday starting the (UTC, ISO) week of a timestamp."""
    if is_postgres():
        return func.date(func.date_trunc("week", func.timezone("UTC", moment)))
    # "weekday 0" moves forward to the next Sunday (or stays on one); six days back is Monday.
    return func.date(moment, "weekday 0", "-6 days")


def as_date(value) -> date:
    """A day as the driver returns it (a date on PostgreSQL, text on SQLite)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def percentiles(values, fractions: tuple[float, ...]) -> tuple[int, list[float | None]]:
    """(count, [percentile_cont(f) for f in fractions]) over the column `v` of `values`.

    `values` is a SELECT with one column labelled "v"; NULLs are left out, as
    percentile_cont() leaves them out. With no values every percentile is None.
    """
    sub = values.subquery()
    v = sub.c.v
    if is_postgres():
        row = db.session.execute(select(
            func.count(v), *(func.percentile_cont(f).within_group(v) for f in fractions))).one()
        return row[0], [None if x is None else float(x) for x in row[1:]]
    count = db.session.scalar(select(func.count(v)))
    results: list[float | None] = []
    for fraction in fractions:
        if not count:
            results.append(None)
            continue
        # percentile_cont: the value at position f·(n−1) of the sorted list, interpolated
        # linearly between its two neighbours.
        position = fraction * (count - 1)
        low = math.floor(position)
        pair = db.session.scalars(
            select(v).where(v.is_not(None)).order_by(v).limit(2).offset(low)).all()
        value = pair[0] + (position - low) * (pair[1] - pair[0]) if len(pair) > 1 else pair[0]
        results.append(float(value))
    return count, results
