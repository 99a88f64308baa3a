"""Ticket numbers: type prefix, six digits, consecutive per type, never reused."""

from portal.extensions import db
from portal.tickets.models import TicketType
from portal.tickets.numbering import format_number, next_number


def test_format():
    assert format_number("REQ", 123) == "REQ-000123"
    assert format_number("INC", 1_234_567) == "INC-1234567"


def test_each_type_counts_on_its_own(app_ctx):
    assert next_number(TicketType.REQUEST) == "REQ-000001"
    assert next_number(TicketType.REQUEST) == "REQ-000002"
    assert next_number(TicketType.INCIDENT) == "INC-000001"
    assert next_number(TicketType.CHANGE) == "CHG-000001"
    assert next_number(TicketType.ACCESS) == "ACC-000001"
    db.session.commit()
    assert next_number(TicketType.REQUEST) == "REQ-000003"
    db.session.rollback()


def test_rolled_back_number_is_given_back(app_ctx):
    assert next_number(TicketType.REQUEST) == "REQ-000001"
    db.session.commit()
    assert next_number(TicketType.REQUEST) == "REQ-000002"
    db.session.rollback()
    assert next_number(TicketType.REQUEST) == "REQ-000002"
    db.session.commit()
