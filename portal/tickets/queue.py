"""The agent queue: filters from the URL, sorting, and keyset pagination that stays fast at a
million tickets (no OFFSET, no COUNT over the whole queue)."""

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..config import PRIORITIES
from ..extensions import contains, db, is_id
from .access import visible_tickets
from .lifecycle import WORKABLE, Status
from .models import Ticket, TicketType

VIEWS = ("team", "mine", "unassigned")
SORTS = {
    # name: (columns, descending)
    "priority": (("priority", "created_at", "id"), False),
    "oldest": (("created_at", "id"), False),
    "newest": (("created_at", "id"), True),
    "updated": (("updated_at", "id"), True),
    "due": (("resolution_due_at", "id"), False),
}
# Tickets without a due time (no SLA, or paused) sort after every dated one.
NO_DUE = datetime(9999, 1, 1)
PAGE_SIZE = 50


@dataclass
class QueueFilter:
    """What the agent asked for, cleaned: anything unknown falls back to the default."""

    view: str = "team"
    status: str = "active"
    priority: str = ""
    type: str = ""
    category: str = ""
    assignee: str = ""
    team: str = ""
    q: str = ""
    sort: str = "priority"
    after: str = ""
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args, team_ids: list[str], category_ids: list[str]) -> "QueueFilter":
        def pick(name, allowed, default=""):
            value = (args.get(name) or "").strip()
            return value if value in allowed else default

        return cls(
            view=pick("view", VIEWS, "team"),
            status=pick("status", ["active", "all", *[s.value for s in Status]], "active"),
            priority=pick("priority", PRIORITIES),
            type=pick("type", [t.value for t in TicketType]),
            category=pick("category", category_ids),
            assignee=_assignee_arg(args.get("assignee") or ""),
            team=pick("team", team_ids),
            q=(args.get("q") or "").strip()[:100],
            sort=pick("sort", SORTS, "priority"),
            after=(args.get("after") or "")[:200],
        )

    def args(self, **changes) -> dict:
        """The filter as query-string arguments (for links), without empty values."""
        values = {"view": self.view, "status": self.status, "priority": self.priority,
                  "type": self.type, "category": self.category, "assignee": self.assignee,
                  "team": self.team, "q": self.q, "sort": self.sort, **changes}
        defaults = {"view": "team", "status": "active", "sort": "priority"}
        return {k: v for k, v in values.items() if v and defaults.get(k) != v}


def _assignee_arg(value: str) -> str:
    value = value.strip()
    return value if value == "none" or (value.isdigit() and len(value) <= 9) else ""


def encode_cursor(ticket: Ticket, sort: str) -> str:
    columns, _desc = SORTS[sort]
    values = [getattr(ticket, name) for name in columns]
    values = [NO_DUE if v is None and n.endswith("_at") else v for n, v in zip(columns, values,
                                                                               strict=True)]
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> list | None:
    """The sort key a page starts after, or None for a cursor that is not ours."""
    columns, _desc = SORTS[sort]
    try:
        plain = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(plain, list) or len(plain) != len(columns):
            return None
        values = []
        for name, value in zip(columns, plain, strict=True):
            if name.endswith("_at"):
                values.append(datetime.fromisoformat(value))
            elif name == "id":
                if not is_id(value):
                    return None
                values.append(value)
            else:
                values.append(str(value))
        return values
    except (ValueError, TypeError, json.JSONDecodeError):
        return None


def queue_query(flt: QueueFilter, user: User, team_ids: list[str]):
    """The SELECT for one page of the queue (one row more than a page, to know if more)."""
    # A team's agents may open all of its tickets, but "mine" also lists tickets assigned
    # to someone who has since left the team: the queue shows only what the agent may open.
    query = select(Ticket).where(visible_tickets(user))
    scope = [flt.team] if flt.team else team_ids
    if flt.view == "mine":
        query = query.where(Ticket.assignee_id == user.id)
    else:
        if not user.is_admin or flt.team:
            query = query.where(Ticket.team_id.in_(scope))
        if flt.view == "unassigned":
            query = query.where(Ticket.assignee_id.is_(None))
    if flt.status == "active":
        query = query.where(Ticket.status.in_(WORKABLE))
    elif flt.status != "all":
        query = query.where(Ticket.status == Status(flt.status))
    if flt.priority:
        query = query.where(Ticket.priority == flt.priority)
    if flt.type:
        query = query.where(Ticket.type == TicketType(flt.type))
    if flt.category:
        query = query.where(Ticket.category_id == flt.category)
    if flt.assignee == "none":
        query = query.where(Ticket.assignee_id.is_(None))
    elif flt.assignee:
        query = query.where(Ticket.assignee_id == int(flt.assignee))
    if flt.q:
        if "-" in flt.q and flt.q.replace("-", "").isalnum() and len(flt.q) <= 16:
            query = query.where(Ticket.number == flt.q.upper())
        else:
            query = query.where(contains(Ticket.title, flt.q))
    columns, descending = SORTS[flt.sort]
    key = [_sort_column(name) for name in columns]
    start = decode_cursor(flt.after, flt.sort) if flt.after else None
    if start is not None:
        query = query.where(tuple_(*key) < tuple_(*start) if descending
                            else tuple_(*key) > tuple_(*start))
    order = [c.desc() for c in key] if descending else key
    return (query.order_by(*order).limit(PAGE_SIZE + 1)
            .options(selectinload(Ticket.assignee), selectinload(Ticket.requester)))


def _sort_column(name: str):
    if name == "resolution_due_at":
        return func.coalesce(Ticket.resolution_due_at, NO_DUE)
    return getattr(Ticket, name)


def load_page(flt: QueueFilter, user: User, team_ids: list[str]) -> tuple[list[Ticket], str]:
    """A page of tickets and the cursor of the next page ('' on the last one)."""
    rows = db.session.scalars(queue_query(flt, user, team_ids)).all()
    if len(rows) > PAGE_SIZE:
        return rows[:PAGE_SIZE], encode_cursor(rows[PAGE_SIZE - 1], flt.sort)
    return rows, ""
