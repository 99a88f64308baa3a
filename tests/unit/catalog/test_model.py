"""The parsed catalog: lookups, item versions, field helpers, SLA parts."""

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from portal.catalog import Catalog, Option, check_catalog
from portal.catalog.model import Item

from .helpers import CATALOGS, write


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return check_catalog(CATALOGS / "valid.yaml").catalog


def test_lookups(catalog):
    assert catalog.item("new-laptop").name == {"en": "Request a new laptop", "pl": "Zamów laptop"}
    assert catalog.team("buyers").tier == 2
    assert catalog.category("help").name == "Help"
    assert catalog.item("nope") is None
    assert catalog.team("nope") is None
    assert catalog.category("nope") is None
    assert [i.id for i in catalog.items_in("hardware")] == ["new-laptop"]
    assert catalog.items_in("nope") == []


def test_defaults(catalog):
    outage = catalog.item("outage")
    assert (outage.type, outage.priority, outage.restricted, outage.approval) == (
        "incident", "P3", False, [])
    assert catalog.item("new-laptop").type == "request"
    assert Catalog().items == [] and Catalog().version == 1


def test_fields(catalog):
    item = catalog.item("new-laptop")
    model = item.field("model")
    assert model.type == "radio"
    assert model.choices == [Option(value='Standard 14"', label='Standard 14"'),
                             Option(value='Developer 16"', label='Developer 16"')]
    assert item.field("for_whom").option_values == ["me", "new-hire"]
    assert item.field("nope") is None
    assert not item.field("note").is_input and not item.field("delivery").is_input
    assert item.field("quantity").is_input
    assert "note" not in [f.id for f in item.input_fields]
    assert item.field("new_hire_name").show_if.op == "equals"
    assert item.field("new_hire_name").show_if.value == "new-hire"
    assert item.field("needed_by").min == "today+3d"
    assert item.field("needed_by").max == date(2099, 12, 31)


def test_item_version_is_short_stable_and_follows_changes(tmp_path):
    text = (CATALOGS / "valid.yaml").read_text(encoding="utf-8")
    first = check_catalog(write(tmp_path, text)).catalog.item("new-laptop").version
    again = check_catalog(write(tmp_path, "# a comment\n" + text)).catalog
    assert len(first) == 12 and int(first, 16) >= 0
    assert again.item("new-laptop").version == first  # layout and comments do not count
    edited = text.replace("summary: Order a standard laptop.", "summary: Order a laptop.")
    changed = check_catalog(write(tmp_path, edited)).catalog
    assert changed.item("new-laptop").version != first
    assert changed.item("outage").version == again.item("outage").version


def test_sla(catalog):
    assert catalog.sla_for(catalog.item("new-laptop")) is catalog.sla["standard"]
    assert catalog.sla_for(catalog.item("outage")) is catalog.sla["default"]
    target = catalog.sla["standard"].targets["P1"]
    assert (target.response_time, target.resolution_time) == (timedelta(minutes=30),
                                                                timedelta(hours=4))
    assert target.calendar == "24x7"
    assert catalog.sla["standard"].pause_on == ["waiting_on_requester", "awaiting_approval"]
    office = catalog.calendars["office"]
    assert office.holidays == [date(2026, 12, 24), date(2026, 12, 25)]
    week = office.weekly_hours()
    assert week[0] == [(8 * 60, 17 * 60)]
    assert week[4] == [(8 * 60, 12 * 60), (13 * 60, 15 * 60)]
    assert week[5] == week[6] == []
    assert catalog.calendars["24x7"].weekly_hours()[6] == [(0, 24 * 60)]


def test_approval_steps(catalog):
    steps = catalog.item("new-laptop").approval
    assert steps[0] == "manager"
    assert (steps[1].team, steps[2].user, steps[3].field) == ("buyers", "cfo@example.com",
                                                              "approver")


def test_priority_matrix_and_from(catalog):
    assert catalog.priority_matrix.model_dump()["medium"] == {"high": "P2", "medium": "P3",
                                                              "low": "P4"}
    assert catalog.item("outage").priority_from.impact == "impact"


def test_models_are_immutable(catalog):
    with pytest.raises(ValidationError):
        catalog.item("outage").name = "Changed"


def test_an_item_built_in_python_has_a_version():
    item = Item(id="x", category="c", name="X", team="t")
    assert len(item.version) == 12
