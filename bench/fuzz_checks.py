"""What must hold for every complete ticket, as SQL that lists the tickets where it does not.

The service writes a ticket with its answers, its "created" event and the requester's
"received" e-mail in one transaction, and each decision with its event and status change in
another: a ticket that has one without the other was half written. Each query returns the
ids of offending rows; a run fails on offenders that were not there before it started.
"""

from sqlalchemy import create_engine, text

from portal.tickets.lifecycle import Status

INVARIANTS = {
    "every ticket has exactly one 'created' event": """
        SELECT t.id FROM tickets t
        WHERE (SELECT count(*) FROM events e WHERE e.ticket_id = t.id AND e.kind = 'created')
              <> 1""",
    "every ticket has its answers": """
        SELECT t.id FROM tickets t
        WHERE NOT EXISTS (SELECT 1 FROM answers a WHERE a.ticket_id = t.id)""",
    "every ticket has its 'received' e-mail in the outbox": """
        SELECT t.id FROM tickets t
        WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.ticket_id = t.id
                          AND o.kind = 'ticket_received')""",
    "a decided approval has who and when": """
        SELECT a.id FROM approvals a
        WHERE a.decision <> 'pending' AND (a.decided_at IS NULL OR a.decided_by_id IS NULL)""",
    "a decided approval has its 'approval' event": """
        SELECT a.id FROM approvals a
        WHERE a.decision <> 'pending' AND NOT EXISTS (
            SELECT 1 FROM events e WHERE e.ticket_id = a.ticket_id AND e.kind = 'approval'
            AND e.old_value = CAST(a.step AS VARCHAR(20)))""",
    "a ticket awaiting approval has a pending step": """
        SELECT t.id FROM tickets t WHERE t.status = 'awaiting_approval' AND NOT EXISTS (
            SELECT 1 FROM approvals a WHERE a.ticket_id = t.id AND a.decision = 'pending')""",
    "a rejected ticket has a rejected step": """
        SELECT t.id FROM tickets t WHERE t.status = 'rejected' AND NOT EXISTS (
            SELECT 1 FROM approvals a WHERE a.ticket_id = t.id AND a.decision = 'rejected')""",
    "no step is decided after a rejection or before an earlier pending step": """
        SELECT later.id FROM approvals later JOIN approvals earlier
          ON earlier.ticket_id = later.ticket_id AND earlier.step < later.step
        WHERE later.decision <> 'pending'
          AND (earlier.decision = 'pending' OR earlier.decision = 'rejected')""",
    "a resolved or closed ticket has resolved_at": """
        SELECT t.id FROM tickets t
        WHERE t.status IN ('resolved', 'closed') AND t.resolved_at IS NULL""",
    "a closed ticket has closed_at": """
        SELECT t.id FROM tickets t WHERE t.status = 'closed' AND t.closed_at IS NULL""",
    "every status event's new value is a status": """
        SELECT e.id FROM events e WHERE e.kind = 'status' AND e.new_value NOT IN
          (""" + ", ".join(f"'{s.value}'" for s in Status) + ")",
    "a ticket's status is its last status event's new value": """
        SELECT t.id FROM tickets t JOIN events e ON e.ticket_id = t.id AND e.id = (
            SELECT max(e2.id) FROM events e2 WHERE e2.ticket_id = t.id AND e2.kind = 'status')
        WHERE e.new_value <> t.status""",
}


def engine_for(database_url: str):
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
    return create_engine(database_url)


def violations(database_url: str) -> dict[str, set[int]]:
    """Each invariant's offending ids (an empty set where it holds)."""
    engine = engine_for(database_url)
    try:
        with engine.connect() as conn:
            return {name: {row[0] for row in conn.execute(text(sql))}
                    for name, sql in INVARIANTS.items()}
    finally:
        engine.dispose()


def counts(database_url: str) -> dict[str, int]:
    engine = engine_for(database_url)
    try:
        with engine.connect() as conn:
            return {table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                    for table in ("tickets", "answers", "events", "approvals", "outbox")}
    finally:
        engine.dispose()


def new_violations(before: dict[str, set[int]], after: dict[str, set[int]]) -> dict:
    return {name: sorted(after[name] - before.get(name, set()))[:50]
            for name in after if after[name] - before.get(name, set())}
