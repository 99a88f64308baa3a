"""What the suite's make_ticket and outbox fixtures are made of: answers as the request form
would give them to the ticket service, a chosen ticket number, and a reader of the outbox."""

from portal.extensions import db
from portal.forms.builder import input_specs
from portal.forms.fieldtypes import FIELD_TYPES
from portal.outbox.models import OutboxMessage
from portal.outbox.render import ensure_rendered
from portal.tickets.models import TicketCounter

# What a requester typically fills in, per item; other items get no answers unless given.
DEFAULT_ANSWERS = {
    "new-laptop": {"for_whom": "me", "model": 'Standard 14"', "quantity": 1},
    "outage": {"impact": "low", "urgency": "low"},
}


def answer_snapshots(item, values: dict, locale: str) -> list[dict]:
    """{field_id: value} as the answer snapshots the request form would hand the service."""
    specs = {spec.id: (position, spec) for position, spec in enumerate(input_specs(item))}
    unknown = set(values) - set(specs)
    assert not unknown, f"{item.id} has no fields {sorted(unknown)}"
    result = []
    for field_id, value in values.items():
        position, spec = specs[field_id]
        result.append({"position": position, "field_id": field_id, "field_type": spec.type,
                       "label": spec.label, "value": value,
                       "display": FIELD_TYPES[spec.type].display(spec, value, locale)})
    return sorted(result, key=lambda answer: answer["position"])


def take_number(number: str) -> None:
    """Make `number` (REQ-000123) the next one its prefix hands out."""
    prefix, value = number.rsplit("-", 1)
    db.session.merge(TicketCounter(prefix=prefix, value=int(value) - 1))
    db.session.flush()


class Outbox:
    """What the portal queued to be mailed: outbox(kind=...) -> rows, oldest first;
    outbox.rendered(...) the same rows with the bodies the worker renders before sending.
    outbox.forget() leaves out what was queued so far (a fixture's own ticket's mail)."""

    def __init__(self):
        self.after_id = 0

    def __call__(self, **where) -> list[OutboxMessage]:
        query = (db.select(OutboxMessage).filter_by(**where)
                 .where(OutboxMessage.id > self.after_id).order_by(OutboxMessage.id))
        return list(db.session.scalars(query))

    def rendered(self, **where) -> list[OutboxMessage]:
        return [ensure_rendered(message) for message in self(**where)]

    def forget(self) -> None:
        self.after_id = db.session.scalar(db.select(db.func.max(OutboxMessage.id))) or 0
