"""catalog.schema.json refuses what the portal refuses, and accepts what it accepts.

Each sample is put into a small valid catalog and judged twice: by the portal's models (or,
for include patterns, by the include rules) and by the generated schema, as an editor would.
"""

import copy
import json
import zoneinfo
from datetime import date

import pytest
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from portal.catalog import Catalog, json_schema
from portal.catalog.includes import refusal

VALIDATOR = Draft202012Validator(json_schema())

BASE = {
    "version": 1,
    "teams": [{"id": "desk", "name": "Desk", "email": "desk@example.com"}],
    "categories": [{"id": "hw", "name": {"en": "Hardware", "pl": "Sprzęt"}}],
    "items": [{"id": "laptop", "category": "hw", "name": "Laptop", "team": "desk",
               "priority": "P3",
               "fields": [{"id": "needed_by", "type": "date", "label": "Needed by"},
                          {"id": "quote", "type": "file", "label": "Quote"}]}],
    "calendars": {"office": {"timezone": "Europe/Warsaw", "hours": {"mon-fri": "08:00-17:00"},
                             "holidays": [date(2026, 12, 24)]}},
    "sla": {"default": {"calendar": "office",
                        "targets": {"P1": {"response": "30m", "resolution": "4h"}}}},
}


def catalog_with(change) -> dict:
    data = copy.deepcopy(BASE)
    change(data)
    return data


def office(data) -> dict:
    return data["calendars"]["office"]


def target(data) -> dict:
    return data["sla"]["default"]["targets"]["P1"]


def both_targets(data, value) -> None:
    """The sample as response and resolution, so only its form is judged."""
    target(data).update(response=value, resolution=value)


# kind -> (where the sample goes, accepted samples, refused samples)
SAMPLES = {
    "day key": (
        lambda data, value: office(data).update(hours={value: "08:00-17:00"}),
        ["mon", "sun", "mon-fri", "fri-mon", "sat-sun", "mon-mon"],
        ["monday", "Mon", "mon-", "-fri", "mon-fri-sat", "mon,tue", "", "tue -fri", "mon–fri"],
    ),
    "hours": (
        lambda data, value: office(data).update(hours={"mon": value}),
        ["08:00-17:00", "00:00-24:00", "08:00-12:00, 13:00-17:00", " 08:00 - 12:00 ",
         "23:00-23:59", "08:00-12:00,13:00-17:00"],
        ["8:00-17:00", "08:00", "08:00-17:00,", "24:00-24:00", "08:60-09:00", "08:00-24:01",
         "08.00-17.00", "", "08:00-25:00", "08:00 to 17:00", "08:00-17:00; 18:00-19:00"],
    ),
    "time zone": (
        lambda data, value: office(data).update(timezone=value),
        ["Europe/Warsaw", "UTC", "America/Argentina/Buenos_Aires", "Etc/GMT+5",
         "America/Port-au-Prince"],
        ["", "Europe Warsaw", "/etc/localtime", "../UTC", "Europe/Warsaw/", "Europe//Warsaw"],
    ),
    "duration": (
        both_targets,
        ["30m", "4h", "1h30m", "0m", "100h"],
        ["", "2d", "4 h", "1h 30m", "30", "h", "30m1h", "4H", "1.5h", "-4h"],
    ),
    "holiday": (
        lambda data, value: office(data).update(holidays=[value]),
        [date(2027, 1, 1), "2027-01-01"],
        ["24.12.2026", "2026-12-32", "2026-1-5", "2026-13-01", "tomorrow"],
    ),
    "date bound": (
        lambda data, value: data["items"][0]["fields"][0].update(min=value),
        ["today", "today+3d", "today-10d", date(2027, 1, 1), "2027-01-01"],
        ["tomorrow", "today+3", "today + 3d", "today+3w", "2027-13-01", "2027-1-1",
         "27-01-01", "2027-00-10"],
    ),
    "size": (
        lambda data, value: data["items"][0]["fields"][1].update(max_size=value),
        ["5MB", "1.5GB", "500 KB", "100B", "10", "5mb", 1024, 0],
        ["5TB", "MB", "-5", "5 M", -1, "1,5MB", "5  MB", "5MB ", "", "5.MB"],
    ),
    "id": (
        lambda data, value: data["categories"][0].update(icon=value),
        ["laptop", "new-laptop", "cost_center", "24x7"],
        ["New Laptop", "newLaptop", "", "ü", "a.b", "a b", "a/b"],
    ),
    "calendar id": (
        lambda data, value: data["calendars"].update({value: office(data)}),
        ["office", "24x7", "split-day"],
        ["Office", "24/7", ""],
    ),
    "priority": (
        lambda data, value: data["items"][0].update(priority=value),
        ["P1", "P2", "P3", "P4"],
        ["P0", "P5", "p1", "1", "high", ""],
    ),
    "target priority": (
        lambda data, value: data["sla"]["default"].update(
            targets={value: {"response": "1h", "resolution": "2h"}}),
        ["P1", "P4"],
        ["P5", "p2", "urgent"],
    ),
    "language key": (
        lambda data, value: data["items"][0].update(name={value: "Laptop"}),
        ["en", "pl", "es", "fa", "pt_BR", "en-GB", "deu"],
        ["EN", "english", "e", "en_", "1n", "", "pl PL"],
    ),
    "email": (
        lambda data, value: data["teams"][0].update(email=value),
        ["desk@example.com", "first.last@it.example.org"],
        ["desk", "desk@example", "a b@example.com", "@example.com"],
    ),
    "tier": (
        lambda data, value: data["teams"][0].update(tier=value),
        [1, 2, 5],
        [0, -1, "2", 1.5, True],
    ),
    "item type": (
        lambda data, value: data["items"][0].update(type=value),
        ["request", "incident", "change", "access"],
        ["Request", "problem", ""],
    ),
    "pause status": (
        lambda data, value: data["sla"]["default"].update(pause_on=[value]),
        ["waiting_on_requester", "awaiting_approval", "new"],
        ["waiting", "Open", ""],
    ),
    "approval step": (
        lambda data, value: data["items"][0].update(approval=[value]),
        ["manager", {"team": "desk"}, {"user": "boss@example.com"}, {"field": "reviewer"}],
        ["manger", {"team": "Desk"}, {"user": "boss"}, {"group": "desk"}, 3],
    ),
}
INCLUDES = (
    ["catalog.d/*.yaml", "*.yaml", "catalog.d/10-hardware.yaml", "more/[ab].yaml", "x..y/z.yaml"],
    ["/etc/*.yaml", "~/catalog.yaml", "../other/*.yaml", "catalog.d/../x.yaml",
     "catalog.d/**/*.yaml", "c*/x.yaml", ".."],
)


def as_json(data):
    """The catalog as an editor sees it: dates are text."""
    return json.loads(json.dumps(data, default=str))


def portal_accepts(data) -> bool:
    try:
        Catalog.model_validate(data)
    except ValidationError:
        return False
    return True


def schema_accepts(data) -> bool:
    return VALIDATOR.is_valid(as_json(data))


def cases():
    for kind, (place, good, bad) in SAMPLES.items():
        for accepted, values in ((True, good), (False, bad)):
            for value in values:
                yield pytest.param(place, value, accepted, id=f"{kind}:{value!r}")


def test_the_generated_schema_is_valid_and_takes_the_base_catalog():
    Draft202012Validator.check_schema(json_schema())
    assert portal_accepts(BASE)
    assert schema_accepts(BASE)


@pytest.mark.parametrize("place, value, accepted", list(cases()))
def test_schema_agrees_with_the_portal(place, value, accepted):
    data = catalog_with(lambda d: place(d, value))
    assert portal_accepts(data) is accepted, "the sample says wrongly what the portal does"
    assert schema_accepts(data) is accepted


@pytest.mark.parametrize("pattern, accepted",
                         [(p, True) for p in INCLUDES[0]] + [(p, False) for p in INCLUDES[1]])
def test_schema_agrees_with_the_include_rules(pattern, accepted):
    assert (refusal(pattern) is None) is accepted
    assert schema_accepts(catalog_with(lambda d: d.update(include=[pattern]))) is accepted


def test_schema_refuses_more_include_patterns_than_the_portal_reads():
    from portal.catalog.limits import MAX_INCLUDE_PATTERNS

    patterns = [f"catalog.d/{n}.yaml" for n in range(MAX_INCLUDE_PATTERNS)]
    assert schema_accepts(catalog_with(lambda d: d.update(include=patterns)))
    assert not schema_accepts(catalog_with(lambda d: d.update(include=[*patterns, "x.yaml"])))


def test_schema_refuses_unknown_keys_where_the_portal_does():
    for change in (lambda d: d["teams"][0].update(lable="x"),
                   lambda d: office(d).update(workdays="mon-fri"),
                   lambda d: target(d).update(due="4h"),
                   lambda d: d.update(owner="it")):
        data = catalog_with(change)
        assert not portal_accepts(data)
        assert not schema_accepts(data)


def test_schema_takes_every_time_zone_the_portal_knows():
    zones = sorted(zoneinfo.available_timezones())
    refused = [zone for zone in zones
               if not schema_accepts(catalog_with(lambda d, z=zone: office(d).update(timezone=z)))]
    assert zones and refused == []
