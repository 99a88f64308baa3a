"""On random near-miss values, the schema and the portal give the same verdict.

Values are built from the pieces a maintainer types (digits, units, separators, day names),
so most of them are almost right: the cases where a pattern and the parser behind it differ.
"""

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic import TypeAdapter, ValidationError

from portal.catalog import json_schema
from portal.catalog.basetypes import DateBound, Size
from portal.catalog.sla import DaySpan, Duration, Hours

SCHEMA = json_schema()
DEFS = SCHEMA["$defs"]
SETTINGS = settings(max_examples=300, deadline=timedelta(seconds=2))
# Only the check can tell that a range ends before it starts or ranges overlap.
ORDER_RULES = ("must end after they start", "overlap or are out of order")


def pieces(*tokens: str):
    return st.lists(st.sampled_from(tokens), max_size=9).map("".join)


def joined(separator: str, *parts):
    return st.tuples(*(st.sampled_from(p) for p in parts)).map(separator.join)


# Mostly good parts, so that one bad part is often the only one.
HH, MM = ("00", "08", "12", "17", "23", "24", "24", "8", "25"), ("00", "30", "59", "60", "0")
TIMES = joined(":", HH, MM)
SPANS = st.tuples(TIMES, st.sampled_from(["-", "-", " - ", "–"]), TIMES).map("".join)
DATES = joined("-", ("2027", "27", "0000"), ("01", "02", "1", "12", "13", "00"),
               ("01", "1", "28", "30", "31", "32", "00"))


def verdicts(kind, schema: dict, value) -> tuple[str | None, bool]:
    """(the portal's refusal or None, whether the schema accepts)."""
    try:
        TypeAdapter(kind).validate_python(value)
        refused = None
    except ValidationError as error:
        refused = str(error)
    return refused, Draft202012Validator(schema).is_valid(value)


def field_property(field_type: str, key: str) -> dict:
    for model in DEFS.values():
        kind = model.get("properties", {}).get("type", {})
        if field_type in (kind.get("enum") or [kind.get("const")]):
            return model["properties"][key]
    raise AssertionError(f"no {field_type} field in the schema")


@SETTINGS
@given(pieces("mon", "fri", "sun", "tue", "-", "Mon", " ", ",", "x"))
def test_day_keys(value):
    refused, accepted = verdicts(DaySpan, DEFS["Calendar"]["properties"]["hours"]
                                 ["propertyNames"], value)
    assert (refused is None) is accepted


@SETTINGS
@given(st.one_of(pieces("08", "8", "24", "23", "59", "60", "00", "12", "17", ":", "-", ",", " ",
                        "."),
                 st.lists(SPANS, min_size=1, max_size=2).map(", ".join)))
def test_hours(value):
    refused, accepted = verdicts(Hours, DEFS["Calendar"]["properties"]["hours"]
                                 ["additionalProperties"], value)
    if refused is None:
        assert accepted
    elif accepted:
        assert any(rule in refused for rule in ORDER_RULES), refused


@SETTINGS
@given(pieces("1", "30", "0", "h", "m", "d", " ", "H", "."))
def test_durations(value):
    refused, accepted = verdicts(Duration, DEFS["SlaTarget"]["properties"]["response"], value)
    assert (refused is None) is accepted


@SETTINGS
@given(st.one_of(pieces("5", "1", ".", "0", "MB", "kb", "B", "G", " ", "TB", "-", ","),
                 st.integers(-5, 5)))
def test_sizes(value):
    refused, accepted = verdicts(Size, field_property("file", "max_size"), value)
    assert (refused is None) is accepted


def impossible_day(value: str) -> bool:
    """2027-02-30: months and days in range, but no such day (only the check knows)."""
    try:
        _year, month, day = (int(part) for part in value.split("-"))
    except ValueError:
        return False
    return 1 <= month <= 12 and 1 <= day <= 31


@SETTINGS
@given(st.one_of(pieces("today", "+", "-", "3", "d", "2027", "01", "02", "30", "w", " "), DATES))
def test_date_bounds(value):
    refused, accepted = verdicts(DateBound, field_property("date", "min"), value)
    if refused is None:
        assert accepted
    elif accepted:
        assert impossible_day(value), refused
