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

from sqlalchemy import desc, func, select

from ..extensions import db


def is_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def hours_between(later, earlier):
    """SQL: wall-clock hours from `earlier` to `later` (NULL if either is NULL)."""
    if is_postgres():
        # date_part() gives a double at once; EXTRACT() gives numeric, slower to compute.
        return func.date_part("epoch", later - earlier) / 3600.0
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


def percentiles(measures, where, fractions: tuple[float, ...]
                ) -> list[tuple[int, list[float | None]]]:
    """For each measure: (count, [percentile_cont(f) for f in fractions]) over the rows that
    match `where`.

    A measure is (value expression, column that is NULL exactly when the value is absent):
    rows without a value are left out, as percentile_cont() leaves out NULLs. Counting the
    plain column spares SQLite from computing the value for the count. With no values, every
    percentile is None.
    """
    if is_postgres():
        row = db.session.execute(select(*(
            part for value, present in measures for part in (
                func.count(present),
                *(func.percentile_cont(f).within_group(value) for f in fractions))
        )).where(*where)).one()
        size = len(fractions) + 1
        return [(row[n * size], [None if x is None else float(x)
                                 for x in row[n * size + 1:(n + 1) * size]])
                for n in range(len(measures))]
    counts = db.session.execute(
        select(*(func.count(present) for _value, present in measures)).where(*where)).one()
    return [(count, [_sqlite_percentile(value, [*where, present.is_not(None)], count, f)
                      for f in fractions])
            for (value, present), count in zip(measures, counts, strict=True)]


def _sqlite_percentile(value, where, count: int, fraction: float) -> float | None:
    """percentile_cont: the value at position f·(n−1) of the sorted values, interpolated
    linearly between its two neighbours, read with ORDER BY ... LIMIT 2 OFFSET k."""
    if not count:
        return None
    position = fraction * (count - 1)
    low = math.floor(position)
    high = min(low + 1, count - 1)
    # Sorting by the label, not the expression, has SQLite compute each value once.
    rows = select(value.label("v")).where(*where)
    if fraction > 0.5:
        # Counted from the top the offset is small, and SQLite's sorter keeps only
        # OFFSET + LIMIT rows: the 90th percentile sorts a tenth of the rows, not nine tenths.
        pair = db.session.scalars(rows.order_by(desc("v")).limit(high - low + 1)
                                  .offset(count - 1 - high)).all()[::-1]
    else:
        pair = db.session.scalars(rows.order_by("v").limit(high - low + 1).offset(low)).all()
    value = pair[0] + (position - low) * (pair[-1] - pair[0])
    return float(value)
