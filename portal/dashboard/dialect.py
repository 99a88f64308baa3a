"""SQL building blocks of the figures, among them the few pieces that differ between SQLite
and PostgreSQL.

- Durations: PostgreSQL subtracts timestamps; SQLite stores "YYYY-MM-DD HH:MM:SS.ffffff" text
  (UTC) and subtracts julianday() numbers.
- Percentiles: PostgreSQL has percentile_cont(); SQLite has no percentile function, so the
  same interpolated value is read with ORDER BY ... LIMIT ... OFFSET from the values computed
  once in a materialized CTE. Either way the database sorts, one statement reads the count and
  every percentile, and only those numbers come back, never the rows.
- Several aggregates from one correlated subquery: SQLite has no LATERAL join, and a scalar
  subquery gives one value, so the values come back as one JSON array (json_array() on SQLite,
  json_build_array() on PostgreSQL).
- Distinct values of an indexed column: neither database skips through an index for DISTINCT,
  so a recursive CTE does, one index seek per value.
"""

from sqlalchemy import JSON, Integer, cast, func, select

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
    out, as percentile_cont() leaves out NULLs. With no values, every percentile is None.
    """
    if is_postgres():
        statement = select(func.count(present), *(func.percentile_cont(f).within_group(value)
                                                  for f in fractions)).where(*where)
    else:
        statement = _sqlite_percentiles(value, [*where, present.is_not(None)], fractions)
    count, *values = db.session.execute(statement).one()
    return count, [None if x is None else float(x) for x in values]


def _sqlite_percentiles(value, where, fractions):
    """The PostgreSQL statement's row (count, percentiles...) on SQLite.

    The rows are read and the values computed once, into a materialized CTE: the count and
    every percentile then read that small table instead of the tickets.
    """
    table = select(value.label("x")).where(*where).cte("v").prefix_with("MATERIALIZED")
    counted = select(func.count().label("n")).select_from(table).cte("n").prefix_with(
        "MATERIALIZED")
    return select(counted.c.n, *(_sqlite_percentile(table.c.x, counted.c.n, f)
                                 for f in fractions))


def _sqlite_percentile(column, count, fraction: float):
    """SQL: percentile_cont, the value at position f·(n−1) of the sorted values, interpolated
    linearly between its two neighbours, which ORDER BY ... LIMIT ... OFFSET reads."""
    position = fraction * (count - 1)
    low = cast(position, Integer)  # the floor: the position is never negative when n > 0
    high = func.min(low + 1, count - 1)
    neighbours = select(column.label("x"))
    if fraction > 0.5:
        # Counted from the top the offset is small, and SQLite's sorter keeps only
        # OFFSET + LIMIT rows: the 90th percentile sorts a tenth of the rows, not nine tenths.
        neighbours = neighbours.order_by(column.desc()).offset(_scalar(count - 1 - high))
    else:
        neighbours = neighbours.order_by(column).offset(_scalar(low))
    # LIMIT 2; 1 when the position is the last one (n = 1), so that min = max; 0 when n = 0.
    pair = neighbours.limit(_scalar(high - low + 1)).subquery()
    smaller, larger = func.min(pair.c.x), func.max(pair.c.x)
    return select(smaller + (position - low) * (larger - smaller)).scalar_subquery()


def _scalar(expression):
    """A LIMIT or OFFSET computed from the counts (SQLite evaluates it once)."""
    return select(expression).scalar_subquery()
