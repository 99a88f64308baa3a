"""Each field type has one home: templates and scripts ask the type, never name it."""

import re
from pathlib import Path

import pytest

from portal.catalog.fields import FIELD_MODELS
from portal.forms.fieldtypes import FIELD_TYPES

ROOT = Path(__file__).resolve().parents[2]
TYPE_NAMES = "|".join(sorted(FIELD_MODELS, key=len, reverse=True))


@pytest.mark.parametrize("path", ["templates/macros/forms.html", "templates/tickets/show.html",
                                  "static/js/portal.js"])
def test_no_type_name_is_tested_outside_its_class(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    assert not re.search(r"(spec\.type|field_type|type)\s*(==|===|in)\s*[\"'(]", text)
    assert not re.search(rf"[\"']({TYPE_NAMES})[\"']\s*\)?\s*%}}", text)


def test_every_catalog_type_has_a_form_type_and_the_other_way_round():
    assert set(FIELD_TYPES) == set(FIELD_MODELS)


def test_a_type_that_holds_no_value_is_not_an_input_on_either_side():
    for kind, model in FIELD_MODELS.items():
        assert FIELD_TYPES[kind].input == model.is_input, kind
