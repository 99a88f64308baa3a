"""The committed catalog.schema.json is what the models say."""

import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from portal.catalog import json_schema
from portal.catalog.loader import CatalogLoader

ROOT = Path(__file__).resolve().parents[3]
SCHEMA_FILE = ROOT / "catalog.schema.json"
CATALOG_FILES = [ROOT / "catalog.yaml", *sorted((ROOT / "catalog.d").glob("*.yaml"))]
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
# The models of this package's own keys; the field models are described in fields.py.
DESCRIBED = ["Catalog", "Team", "Category", "Item", "PriorityMatrix", "MatrixRow", "PriorityFrom",
             "TeamStep", "UserStep", "FieldStep", "Calendar", "SlaPolicy", "SlaTarget"]


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


@pytest.mark.parametrize("path", CATALOG_FILES, ids=lambda p: p.name)
def test_each_catalog_file_names_the_schema_in_its_first_line(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = SCHEMA_LINE.match(first)
    assert match, f"{path.name} must start with '# yaml-language-server: $schema=...'"
    assert (path.parent / match.group(1)).resolve() == SCHEMA_FILE


@pytest.mark.parametrize("path", CATALOG_FILES, ids=lambda p: p.name)
def test_each_catalog_file_validates_against_the_committed_schema(path):
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=CatalogLoader)  # noqa: S506
    as_an_editor_reads_it = json.loads(json.dumps(data, default=str))
    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
              for e in Draft202012Validator(schema).iter_errors(as_an_editor_reads_it)]
    assert errors == []


def test_every_key_of_the_catalog_models_is_described():
    schema = json_schema()
    models = {**schema["$defs"], "Catalog": schema}
    undescribed = [f"{name}.{key}" for name in DESCRIBED
                   for key, prop in models[name]["properties"].items()
                   if not prop.get("description")]
    assert undescribed == []


def test_schema_cites_the_catalog_reference():
    assert "docs/catalog.md" in json_schema()["description"]
    assert "CATALOG-SPEC" not in SCHEMA_FILE.read_text(encoding="utf-8")
