"""SQL building blocks of the figures, among them the few pieces that differ between SQLite
and PostgreSQL.

- Durations: PostgreSQL subtracts timestamps; SQLite stores "YYYY-MM-DD HH:MM:SS.ffffff" text
  (UTC) and subtracts julianday() numbers.
- Percentiles: PostgreSQL has percentile_cont(); SQLite has percentile() from the stats
  extension that the sqlean driver brings (portal/extensions.py), the same interpolation with
  the fraction given in per cent. Either way one statement reads the count and every
  percentile, and only those numbers come back, never the rows.
- Several aggregates from one correlated subquery: SQLite has no LATERAL join, and a scalar
  subquery gives one value, so the values come back as one JSON array (json_array() on SQLite,
  json_build_array() on PostgreSQL).
- Distinct values of an indexed column: neither database skips through an index for DISTINCT,
  so a recursive CTE does, one index seek per value.
"""

from sqlalchemy import JSON, func, select

from ..extensions import db


def is_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def hours_between(later, earlier):
    """SQL: wall-clock hours from `earlier` to `later` (NULL if either is NULL)."""
    if is_postgres():
        # date_part() gives a double at once; EXTRACT() gives numeric, slower to compute.
        return func.date_part("epoch", later - earlier) / 3600.0
    return (func.julianday(later) - func.julianday(earlier)) * 24.0


def json_row(*values):
    """SQL: the values as one JSON array, read back as a Python list."""
    if is_postgres():
        return func.json_build_array(*values, type_=JSON)
    return func.json_array(*values, type_=JSON)


def distinct_values(column, name: str):
    """A CTE of every distinct non-NULL value of an indexed column (as `value`), found by a
    loose index scan: each step seeks the next larger value, so a million rows with twenty
    distinct values cost twenty index seeks."""
    found = select(func.min(column).label("value")).cte(name, recursive=True)
    found = found.union_all(
        select(select(func.min(column)).where(column > found.c.value).scalar_subquery())
        .where(found.c.value.is_not(None)))
    return select(found.c.value).where(found.c.value.is_not(None)).cte(f"{name}_found")


def percentiles(value, present, where, fractions: tuple[float, ...]
                ) -> tuple[int, list[float | None]]:
    """(count, [percentile_cont(f) for f in fractions]) of `value` over the rows that match
    `where`, in one statement.

    `present` is a column that is NULL exactly when the value is absent: such rows are left
    out, as both percentile functions leave out NULLs. With no values, every percentile is
    None.
    """
    if is_postgres():
        parts = [func.percentile_cont(f).within_group(value) for f in fractions]
    else:
        # sqlean's stats extension: percentile(x, p) is percentile_cont with p in 0-100.
        parts = [func.percentile(value, f * 100) for f in fractions]
    count, *values = db.session.execute(
        select(func.count(present), *parts).where(*where)).one()
    return count, [None if x is None else float(x) for x in values]
