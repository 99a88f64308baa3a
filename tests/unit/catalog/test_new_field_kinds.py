"""`flask catalog check` on datetime, url and phone fields: what each accepts, located errors."""

import pytest

from portal.catalog import check_catalog

from .helpers import HEADER, line_of, write

FIELDS = HEADER + "    fields:\n"
EARLIER = """\
      - {id: at, type: datetime, label: At, min: today+1d, max: today+28d}
      - {id: page, type: url, label: Page, max_length: 300, placeholder: "https://"}
      - {id: tel, type: phone, label: Phone, required: true}
"""


def test_the_three_types_with_their_options_are_accepted(tmp_path):
    result = check_catalog(write(tmp_path, FIELDS + EARLIER + """\
      - {id: a, type: text, label: A, show_if: {field: at, gt: 2026-01-01}}
      - {id: b, type: text, label: B, show_if: {field: page, filled: true}}
      - {id: c, type: text, label: C, show_if: {field: tel, equals: "+48 600"}}
"""))
    assert result.errors == []
    kinds = [f.type for f in result.catalog.items[0].fields]
    assert kinds[:3] == ["datetime", "url", "phone"]


@pytest.mark.parametrize(("line", "message"), [
    ("      - {id: x, type: datetime, label: X, min: tomorrow}   # <-",
     "'tomorrow' is not a date bound"),
    ("      - {id: x, type: datetime, label: X, min: today+5d, max: today+1d}   # <-",
     "min today+5d is after max today+1d"),
    ("      - {id: x, type: datetime, label: X, step: 5}   # <-", "unknown key 'step'"),
    ("      - {id: x, type: url, label: X, options: [a]}   # <-", "unknown key 'options'"),
    ("      - {id: x, type: phone, label: X, min: 3}   # <-", "unknown key 'min'"),
    ("      - {id: x, type: text, label: X, show_if: {field: page, gt: 3}}   # <-",
     "'gt' compares numbers and dates, but 'page' is a url field"),
    ("      - {id: x, type: text, label: X, show_if: {field: tel, checked: true}}   # <-",
     "'checked' tests a checkbox, but 'tel' is a phone field"),
    ("      - {id: x, type: text, label: X, show_if: {field: at, contains: a}}   # <-",
     "'contains' tests a multiselect or checkboxes field, but 'at' is a datetime field"),
])
def test_wrong_options_are_errors_at_their_line(tmp_path, line, message):
    text = FIELDS + EARLIER + line + "\n"
    problems = check_catalog(write(tmp_path, text)).problems
    assert [(p.line, message in p.message) for p in problems] == [(line_of(text), True)]
    assert problems[0].col > 0
