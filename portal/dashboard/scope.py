"""What every dashboard figure shares: which tickets a filter's scope and range take in."""

from sqlalchemy import String, literal, select

from ..tickets.models import Ticket
from .dialect import distinct_values
from .filters import DashboardFilter

PERCENTILES = (0.5, 0.9)


def scope(flt: DashboardFilter) -> list:
    """The team, category and item conditions (every ticket figure honours them)."""
    conditions = []
    if flt.team:
        conditions.append(Ticket.team_id == flt.team)
    if flt.category:
        conditions.append(Ticket.category_id == flt.category)
    if flt.item:
        conditions.append(Ticket.item_id == flt.item)
    return conditions


def created_in_range(flt: DashboardFilter) -> list:
    """Tickets created in the range (both ends' whole days), within the scope."""
    return [Ticket.created_at >= flt.since, Ticket.created_at < flt.until, *scope(flt)]


def chosen_values(column, chosen: str, name: str):
    """A CTE of `value`s: the one the filter chose, or every value of the indexed column."""
    if chosen:
        return select(literal(chosen, String).label("value")).cte(name)
    return distinct_values(column, name)


def rounded_hours(value: float | None) -> float | None:
    # julianday() arithmetic is exact to about a millisecond: round off the float noise.
    return None if value is None else round(value, 3)
