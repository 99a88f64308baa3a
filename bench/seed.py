"""Write N realistic tickets fast: two years of history, every status, answers and events.

    .venv/bin/python bench/seed.py --tickets 1000000                                # SQLite
    .venv/bin/python bench/seed.py --tickets 1000000 --database postgresql+psycopg://127.0.0.1/bench

Uses the demo catalog's items and teams; creates 2,000 requesters (password "bench"), their
managers (manager1@bench.example ..., password "bench"), and agents in every team
(agent1@bench.example ... , password "bench"). Rows go in with multi-row INSERTs in batches;
the ticket counters are set at the end, so the portal keeps numbering where the seed stopped.

SLA due moments are the creation time plus a wall-clock allowance per priority (DUE_HOURS: the
demo policy's working-time targets stretched over office hours), and about 70 % of resolved
tickets carry a satisfaction rating, skewed towards the good end as real ones are. These come
from a second random generator, so the original columns stay the same for a given seed.
"""

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta

from common import ROOT, make_app

STATUS_MIX = [("closed", 55), ("resolved", 8), ("in_progress", 10), ("open", 8), ("new", 6),
              ("waiting_on_requester", 5), ("awaiting_approval", 3), ("cancelled", 3),
              ("rejected", 2)]
PRIORITY_MIX = [("P1", 3), ("P2", 17), ("P3", 55), ("P4", 25)]
PREFIX = {"request": "REQ", "incident": "INC", "change": "CHG", "access": "ACC"}
# priority: (response, resolution) in wall-clock hours after creation.
DUE_HOURS = {"P1": (0.5, 4), "P2": (4, 24), "P3": (16, 72), "P4": (32, 160)}
RATING_MIX = [(1, 5), (2, 7), (3, 13), (4, 30), (5, 45)]
RATED_SHARE = 0.7


def weighted(rng, mix):
    return rng.choices([v for v, _ in mix], weights=[w for _, w in mix])[0]


def seed_people(db, teams) -> tuple[list[int], dict[str, list[int]]]:
    from sqlalchemy import insert, select
    from werkzeug.security import generate_password_hash

    from portal.auth.models import TeamMember, User

    password = generate_password_hash("bench")
    now = datetime.now(UTC)
    managers = [{"email": f"manager{i}@bench.example", "name": f"Manager {i}",
                 "password_hash": password, "role": "manager", "active": True,
                 "created_at": now} for i in range(1, 41)]
    db.session.execute(insert(User), managers)
    manager_ids = db.session.scalars(select(User.id).where(User.role == "manager")).all()
    requesters = [{"email": f"user{i}@bench.example", "name": f"Requester {i}",
                   "password_hash": password, "role": "requester", "active": True,
                   "manager_id": manager_ids[i % len(manager_ids)], "created_at": now}
                  for i in range(1, 2001)]
    db.session.execute(insert(User), requesters)
    agents, members = [], {}
    for n, team in enumerate(teams):
        for k in range(1, 6):
            agents.append({"email": f"agent{n * 5 + k}@bench.example", "name": f"Agent {team} {k}",
                           "password_hash": password, "role": "agent", "active": True,
                           "created_at": now})
    db.session.execute(insert(User), agents)
    for n, team in enumerate(teams):
        emails = [f"agent{n * 5 + k}@bench.example" for k in range(1, 6)]
        ids = db.session.scalars(select(User.id).where(User.email.in_(emails))).all()
        members[team] = list(ids)
        db.session.execute(insert(TeamMember), [{"team_id": team, "user_id": i} for i in ids])
    requester_ids = db.session.scalars(select(User.id).where(User.role == "requester")).all()
    db.session.commit()
    return list(requester_ids), members


def seed_tickets(app, count: int, rng: random.Random, batch: int = 5000) -> dict:
    from sqlalchemy import func, insert, select

    from portal.catalog import check_catalog, localize
    from portal.extensions import db
    from portal.tickets.models import Answer, Event, Rating, Ticket, TicketCounter

    catalog = check_catalog(ROOT / "catalog.yaml").catalog
    items = list(catalog.items)
    teams = [t.id for t in catalog.teams]
    started = time.perf_counter()
    with app.app_context():
        if db.session.scalar(select(func.count()).select_from(Ticket)):
            sys.exit("the database already holds tickets: seed an empty one")
        requesters, members = seed_people(db, teams)
        now = datetime.now(UTC)
        span = timedelta(days=730).total_seconds()
        counters = {p: 0 for p in PREFIX.values()}
        moments = sorted(now - timedelta(seconds=rng.random() * span) for _ in range(count))
        tickets, answers, events, ratings = [], [], [], []
        extra = random.Random(12)  # the added columns' own stream: rng's draws stay as they were
        next_id = 1
        for created in moments:
            item = rng.choice(items)
            prefix = PREFIX[item.type]
            counters[prefix] += 1
            status = weighted(rng, STATUS_MIX)
            age = (now - created).total_seconds()
            if status in ("new", "open", "awaiting_approval") and age > 86400 * 14:
                status = "closed"  # old tickets are mostly done
            team = item.team
            done = status in ("resolved", "closed")
            resolved_at = created + timedelta(hours=rng.uniform(0.5, 120)) if done else None
            if resolved_at and resolved_at > now:
                resolved_at = now
            assignee = (rng.choice(members[team]) if status not in ("new", "awaiting_approval")
                        and members.get(team) else None)
            requester = rng.choice(requesters)
            priority = weighted(rng, PRIORITY_MIX)
            response_hours, resolution_hours = DUE_HOURS[priority]
            tickets.append({
                "id": next_id, "number": f"{prefix}-{counters[prefix]:06d}", "type": item.type,
                "title": localize(item.name, "en")[:200] + f" #{next_id}",
                "status": status, "priority": priority, "team_id": team,
                "category_id": item.category, "item_id": item.id, "item_version": item.version,
                "item_name": item.name if isinstance(item.name, str) else dict(item.name),
                "restricted": bool(item.restricted), "requester_id": requester,
                "assignee_id": assignee, "tier": 1, "version": 1, "created_at": created,
                "updated_at": resolved_at or created,
                "first_response_at": (created + timedelta(minutes=rng.uniform(5, 600))
                                      if assignee else None),
                "resolved_at": resolved_at,
                "closed_at": resolved_at + timedelta(days=3) if status == "closed" else None,
                "sla_policy": "default",
                "response_due_at": created + timedelta(hours=response_hours),
                "resolution_due_at": created + timedelta(hours=resolution_hours),
            })
            if done and extra.random() < RATED_SHARE:
                rated = min(now, resolved_at + timedelta(hours=extra.uniform(0.1, 48)))
                ratings.append({"ticket_id": next_id, "score": weighted(extra, RATING_MIX),
                                "created_at": rated, "updated_at": rated})
            answers.append({"ticket_id": next_id, "position": 0, "field_id": "details",
                            "field_type": "textarea", "label": "Details",
                            "value": "It stopped working this morning.",
                            "display": "It stopped working this morning."})
            events.append({"ticket_id": next_id, "actor_id": requester, "kind": "created",
                           "new_value": "new", "internal": False, "created_at": created})
            if assignee:
                events.append({"ticket_id": next_id, "actor_id": assignee, "kind": "comment",
                               "body": "Looking into it now.", "internal": False,
                               "created_at": created + timedelta(minutes=30)})
            if done:
                events.append({"ticket_id": next_id, "actor_id": assignee, "kind": "status",
                               "old_value": "in_progress", "new_value": "resolved",
                               "internal": False, "created_at": resolved_at})
            next_id += 1
            if len(tickets) >= batch:
                flush(db, (Ticket, tickets), (Answer, answers), (Event, events),
                      (Rating, ratings))
        flush(db, (Ticket, tickets), (Answer, answers), (Event, events), (Rating, ratings))
        for prefix, value in counters.items():
            db.session.execute(insert(TicketCounter).values(prefix=prefix, value=value))
        if db.engine.dialect.name == "postgresql":
            db.session.execute(db.text(
                "SELECT setval(pg_get_serial_sequence('tickets', 'id'), :n)"), {"n": next_id})
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # VACUUM as well as ANALYZE: a bulk load leaves the visibility map unset, so until
            # (auto)vacuum runs, index-only scans still visit the heap for every row.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(db.text("VACUUM ANALYZE"))
    return {"tickets": count, "seconds": round(time.perf_counter() - started, 1)}


def flush(db, *tables):
    """Insert each (model, rows) pair in order (tickets first), commit, empty the lists."""
    from sqlalchemy import insert
    if tables[0][1]:
        for model, rows in tables:
            if rows:
                db.session.execute(insert(model), rows)
        db.session.commit()
    for _model, rows in tables:
        rows.clear()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100000)
    parser.add_argument("--database", default=None,
                        help="SQLAlchemy URL of an EMPTY database (default: new SQLite file)")
    args = parser.parse_args()
    app, url = make_app(args.database)
    result = seed_tickets(app, args.tickets, random.Random(11))
    print(f"seeded {result['tickets']} tickets in {result['seconds']} s into {url}")


if __name__ == "__main__":
    main()
