"""The committed catalog.schema.json is what the models say."""

import json
from pathlib import Path

from portal.catalog import json_schema

ROOT = Path(__file__).resolve().parents[3]


def test_committed_schema_is_up_to_date():
    committed = json.loads((ROOT / "catalog.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), (
        "catalog.schema.json is out of date: run "
        "`flask catalog schema --output catalog.schema.json`")


def test_schema_is_deterministic_and_named():
    first, second = json_schema(), json_schema()
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert first["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert first["title"] == "Service portal catalog"


def test_schema_covers_the_format():
    schema = json_schema()
    assert set(schema["properties"]) == {"version", "include", "teams", "categories",
                                         "priority_matrix", "items", "calendars", "sla"}
    defs = schema["$defs"]
    assert defs["Item"]["additionalProperties"] is False
    assert "in" in defs["FieldCondition"]["properties"]
    field_union = defs["Item"]["properties"]["fields"]["items"]
    assert set(field_union["discriminator"]["mapping"]) == {
        "text", "textarea", "email", "url", "phone", "number", "date", "datetime", "select",
        "multiselect", "radio", "checkbox", "checkboxes", "file", "user", "markdown", "section"}
