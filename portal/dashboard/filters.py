"""What the dashboard shows, read from the URL: a date range, a grouping, a team, category or item.

Anything wrong falls back to a default and says so: a bookmarked URL with a typo, or a team
that has since left the catalog, still shows a dashboard, never an error page.

Dates are whole UTC days and both ends are included: `from=2025-03-01&to=2025-03-31` covers
2025-03-01 00:00 UTC up to (not including) 2025-04-01 00:00 UTC.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import format_date
from flask_babel import gettext as _

DEFAULT_DAYS = 30                     # the last 30 days, today included
MAX_YEARS = 3                         # the longest range: the same date three years back
DAILY_UP_TO = 62                      # longer ranges are grouped by week unless asked otherwise
DAILY_MAX = 366                       # a year of days is the most one chart shows
GROUPS = ("day", "week")
# Far enough from date.min and date.max that "the day after" can never overflow.
EARLIEST, LATEST = date(1970, 1, 1), date(9998, 12, 31)


@dataclass
class DashboardFilter:
    """A cleaned dashboard query; `messages` says what was changed and why."""

    start: date
    end: date                          # inclusive
    now: datetime
    group: str = "day"                 # the grouping in effect
    group_arg: str = ""                # the grouping asked for ("" = automatic)
    team: str = ""
    category: str = ""
    item: str = ""
    messages: list[str] = field(default_factory=list)

    @property
    def since(self) -> datetime:
        """The first moment of the range (UTC midnight of `start`)."""
        return datetime.combine(self.start, time(), UTC)

    @property
    def until(self) -> datetime:
        """The first moment after the range (UTC midnight after `end`): compare with <."""
        return datetime.combine(self.end + timedelta(days=1), time(), UTC)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def args(self, **changes) -> dict:
        """The filter as query-string arguments, so every link and the export keep it."""
        values = {"from": self.start.isoformat(), "to": self.end.isoformat(),
                  "group": self.group_arg, "team": self.team, "category": self.category,
                  "item": self.item, **changes}
        return {k: v for k, v in values.items() if v}

    @classmethod
    def from_args(cls, args, catalog, now: datetime | None = None) -> "DashboardFilter":
        """Read and check `from`, `to`, `group`, `team`, `category` and `item`."""
        now = (now or datetime.now(UTC)).astimezone(UTC)
        today = now.date()
        messages: list[str] = []
        end = _date_arg(args, "to", messages)
        start = _date_arg(args, "from", messages)
        end = end or today
        start = start or end - timedelta(days=DEFAULT_DAYS - 1)
        if end < start:
            start, end = end, start
            messages.append(_("The end date was before the start date: the two have been "
                              "swapped."))
        if start < _years_before(end, MAX_YEARS):
            start = _years_before(end, MAX_YEARS)
            messages.append(_("A range can cover at most three years: showing %(start)s to "
                              "%(end)s.", start=format_date(start, "medium"),
                              end=format_date(end, "medium")))
        days = (end - start).days + 1
        group_arg = (args.get("group") or "").strip()
        if group_arg not in GROUPS:
            if group_arg:
                messages.append(_("Unknown grouping “%(value)s”: chosen automatically.",
                                  value=group_arg[:20]))
            group_arg = ""
        group = group_arg or ("day" if days <= DAILY_UP_TO else "week")
        if group == "day" and days > DAILY_MAX:
            group = "week"
            messages.append(_("More than a year of days is too many to draw: grouped by week."))
        return cls(
            start=start, end=end, now=now, group=group, group_arg=group_arg,
            team=_known(args, "team", {t.id for t in catalog.teams}, messages,
                        lambda v: _("There is no team “%(value)s”: showing every team.",
                                    value=v)),
            category=_known(args, "category", {c.id for c in catalog.categories}, messages,
                            lambda v: _("There is no category “%(value)s”: showing every "
                                        "category.", value=v)),
            item=_known(args, "item", {i.id for i in catalog.items}, messages,
                        lambda v: _("There is no catalog item “%(value)s”: showing every "
                                    "item.", value=v)),
            messages=messages,
        )


def _years_before(day: date, years: int) -> date:
    """The same calendar date `years` earlier (29 February becomes 1 March)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 3, 1)


def _date_arg(args, name: str, messages: list[str]) -> date | None:
    """A YYYY-MM-DD argument, or None (with a message when something unusable was given)."""
    value = (args.get(name) or "").strip()
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        parsed = None
    if parsed is None or not EARLIEST <= parsed <= LATEST:
        messages.append(_("“%(value)s” is not a date (YYYY-MM-DD): the default is used instead.",
                          value=value[:20]))
        return None
    return parsed


def _known(args, name: str, known: set[str], messages: list[str], message) -> str:
    """A catalog id that exists, or "" (and `message(value)` added to the messages)."""
    value = (args.get(name) or "").strip()
    if value and value not in known:
        messages.append(message(value[:64]))
        return ""
    return value
