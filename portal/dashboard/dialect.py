"""The few SQL pieces that differ between SQLite and PostgreSQL, kept in this one module.

- Durations: PostgreSQL subtracts timestamps; SQLite stores "YYYY-MM-DD HH:MM:SS.ffffff" text
  (UTC) and subtracts julianday() numbers.
- Percentiles: PostgreSQL has percentile_cont(); SQLite has no percentile function, so the
  same interpolated value is read with ORDER BY ... LIMIT ... OFFSET from the values computed
  once in a materialized CTE. Either way the database sorts, one statement reads the count and
  every percentile, and only those numbers come back, never the rows.
"""

from sqlalchemy import Integer, cast, func, select

from ..extensions import db


def is_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def hours_between(later, earlier):
    """SQL: wall-clock hours from `earlier` to `later` (NULL if either is NULL)."""
    if is_postgres():
        # date_part() gives a double at once; EXTRACT() gives numeric, slower to compute.
        return func.date_part("epoch", later - earlier) / 3600.0
    return (func.julianday(later) - func.julianday(earlier)) * 24.0


def percentiles(measures, where, fractions: tuple[float, ...]
                ) -> list[tuple[int, list[float | None]]]:
    """For each measure: (count, [percentile_cont(f) for f in fractions]) over the rows that
    match `where`, in one statement.

    A measure is (value expression, column that is NULL exactly when the value is absent):
    rows without a value are left out, as percentile_cont() leaves out NULLs. PostgreSQL counts
    the plain column, which spares it computing the value a second time. With no values, every
    percentile is None.
    """
    if is_postgres():
        statement = select(*(part for value, present in measures for part in (
            func.count(present),
            *(func.percentile_cont(f).within_group(value) for f in fractions)))).where(*where)
    else:
        statement = _sqlite_percentiles([value for value, _present in measures], where,
                                        fractions)
    row = db.session.execute(statement).one()
    size = len(fractions) + 1
    return [(row[n * size], [None if x is None else float(x)
                             for x in row[n * size + 1:(n + 1) * size]])
            for n in range(len(measures))]


def _sqlite_percentiles(values, where, fractions):
    """The PostgreSQL statement's row (count, percentiles... for each value) on SQLite.

    The rows are read and the values computed once, into a materialized CTE: every count and
    percentile then reads that small table instead of scanning the tickets again.
    """
    table = (select(*(value.label(f"v{n}") for n, value in enumerate(values))).where(*where)
             .cte("v").prefix_with("MATERIALIZED"))
    counts = (select(*(func.count(column).label(f"n{n}") for n, column in enumerate(table.c)))
              .cte("n").prefix_with("MATERIALIZED"))
    return select(*(part for column, count in zip(table.c, counts.c, strict=True) for part in (
        count, *(_sqlite_percentile(column, count, f) for f in fractions))))


def _sqlite_percentile(column, count, fraction: float):
    """SQL: percentile_cont, the value at position f·(n−1) of the sorted values, interpolated
    linearly between its two neighbours, which ORDER BY ... LIMIT ... OFFSET reads."""
    position = fraction * (count - 1)
    low = cast(position, Integer)  # the floor: the position is never negative when n > 0
    high = func.min(low + 1, count - 1)
    neighbours = select(column.label("x")).where(column.is_not(None))
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
