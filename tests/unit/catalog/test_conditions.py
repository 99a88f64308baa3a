"""show_if: operators on typed answers, nesting, sections and hidden fields."""

from datetime import date
from decimal import Decimal

import pytest

from portal.catalog import FieldCondition, Item, check_catalog, evaluate, visible_fields

from .helpers import CATALOGS


@pytest.mark.parametrize("cond, answers, expected", [
    ({"field": "who", "equals": "new-hire"}, {"who": "new-hire"}, True),
    ({"field": "who", "equals": "new-hire"}, {"who": "me"}, False),
    ({"field": "who", "equals": "new-hire"}, {}, False),
    ({"field": "who", "not_equals": "me"}, {"who": "new-hire"}, True),
    ({"field": "who", "not_equals": "me"}, {"who": None}, True),
    ({"field": "who", "not_equals": "me"}, {"who": "me"}, False),
    ({"field": "who", "in": ["a", "b"]}, {"who": "b"}, True),
    ({"field": "who", "in": ["a", "b"]}, {"who": "c"}, False),
    ({"field": "who", "in": ["a", "b"]}, {"who": ""}, False),
    ({"field": "who", "not_in": ["a", "b"]}, {"who": "c"}, True),
    ({"field": "who", "not_in": ["a", "b"]}, {"who": "a"}, False),
    ({"field": "who", "not_in": ["a", "b"]}, {}, True),
    ({"field": "desk", "checked": True}, {"desk": True}, True),
    ({"field": "desk", "checked": True}, {"desk": False}, False),
    ({"field": "desk", "checked": True}, {}, False),
    ({"field": "desk", "checked": False}, {"desk": False}, True),
    ({"field": "name", "filled": True}, {"name": "Ann"}, True),
    ({"field": "name", "filled": True}, {"name": "   "}, False),
    ({"field": "name", "filled": False}, {"name": ""}, True),
    ({"field": "extras", "filled": True}, {"extras": []}, False),
    ({"field": "count", "filled": True}, {"count": Decimal(0)}, True),
    ({"field": "count", "gt": 2}, {"count": Decimal("2.5")}, True),
    ({"field": "count", "gt": 2}, {"count": Decimal(2)}, False),
    ({"field": "count", "lt": 2}, {"count": Decimal("1")}, True),
    ({"field": "count", "gt": 2}, {"count": None}, False),
    ({"field": "count", "lt": 2}, {"count": None}, False),
    ({"field": "count", "equals": 2}, {"count": Decimal("2.0")}, True),
    ({"field": "when", "gt": date(2026, 1, 1)}, {"when": date(2026, 1, 2)}, True),
    ({"field": "when", "gt": "2026-01-01"}, {"when": date(2025, 12, 31)}, False),
    ({"field": "when", "lt": "2026-01-01"}, {"when": "2025-12-31"}, True),
    ({"field": "when", "equals": date(2026, 1, 1)}, {"when": date(2026, 1, 1)}, True),
    ({"field": "extras", "contains": "mouse"}, {"extras": ["mouse", "headset"]}, True),
    ({"field": "extras", "contains": "mouse"}, {"extras": ["headset"]}, False),
    ({"field": "extras", "contains": "mouse"}, {"extras": []}, False),
    ({"field": "size", "equals": 16}, {"size": "16"}, True),
    ({"field": "desk", "equals": True}, {"desk": True}, True),
])
def test_operators(cond, answers, expected):
    assert evaluate(cond, answers) is expected
    assert evaluate(FieldCondition.model_validate(cond), answers) is expected


def test_all_and_any_nest():
    cond = {"all": [
        {"field": "who", "equals": "new-hire"},
        {"any": [{"field": "count", "gt": 5}, {"field": "rush", "checked": True}]},
    ]}
    assert evaluate(cond, {"who": "new-hire", "count": Decimal(6)})
    assert evaluate(cond, {"who": "new-hire", "count": Decimal(1), "rush": True})
    assert not evaluate(cond, {"who": "new-hire", "count": Decimal(1), "rush": False})
    assert not evaluate(cond, {"who": "me", "count": Decimal(9)})


def test_no_condition_holds():
    assert evaluate(None, {}) is True


def item_with(fields: list[dict]) -> Item:
    return Item.model_validate({"id": "x", "category": "c", "name": "X", "team": "t",
                                "fields": fields})


ITEM = item_with([
    {"id": "who", "type": "select", "label": "Who", "options": ["me", "new-hire"]},
    {"id": "name", "type": "text", "label": "Name",
     "show_if": {"field": "who", "equals": "new-hire"}},
    {"id": "badge", "type": "checkbox", "label": "Badge", "show_if": {"field": "name",
                                                                      "filled": True}},
    {"id": "desk", "type": "checkbox", "label": "To my desk"},
    {"id": "delivery", "type": "section", "label": "Delivery",
     "show_if": {"field": "desk", "checked": True}},
    {"id": "floor", "type": "number", "label": "Floor"},
    {"id": "room", "type": "text", "label": "Room", "show_if": {"field": "floor", "gt": 2}},
    {"id": "extra", "type": "section", "label": "More"},
    {"id": "note", "type": "markdown", "text": "Thanks"},
])


def test_visible_fields_follow_conditions_and_sections():
    assert visible_fields(ITEM, {"who": "me"}) == {"who", "desk", "extra", "note"}
    shown = visible_fields(ITEM, {"who": "new-hire", "name": "Ann", "desk": True,
                                  "floor": Decimal(3)})
    assert shown == {"who", "name", "badge", "desk", "delivery", "floor", "room", "extra",
                     "note"}


def test_a_hidden_field_counts_as_empty():
    # `name` has a value but is hidden (who is "me"), so `badge` (name filled) stays hidden.
    assert "badge" not in visible_fields(ITEM, {"who": "me", "name": "Ann"})
    # A hidden section hides its fields, whose values then count as empty too.
    assert "room" not in visible_fields(ITEM, {"desk": False, "floor": Decimal(9)})


def test_visible_fields_of_the_valid_fixture():
    item = check_catalog(CATALOGS / "valid.yaml").catalog.item("outage")
    assert "details" in visible_fields(item, {"impact": "high"})
    assert "details" in visible_fields(item, {"impact": "low", "urgency": "low"})
    assert "details" not in visible_fields(item, {"impact": "low"})
