"""Every error class of `flask catalog check`, at its exact line."""

import pytest

from portal.catalog import check_catalog

from .helpers import HEADER, write

FIELDS = HEADER + "    fields:\n"

# (YAML, the message expected on the line marked "# <-")
ERRORS = {
    "unknown key": (FIELDS + """\
      - id: model
        type: text
        lable: Model   # <-
""", "unknown key 'lable' (did you mean 'label'?)"),
    "unknown item key": (HEADER + """\
    tipe: incident   # <-
""", "unknown key 'tipe' (did you mean 'type'?)"),
    "wrong type": (FIELDS + """\
      - id: count
        type: number
        label: Count
        min: lots   # <-
""", "wrong type: expected a number, got 'lots'"),
    "wrong type of a list": (HEADER + """\
    tags: hardware   # <-
""", "wrong type: expected a list, got 'hardware'"),
    "yes read as true": (FIELDS + """\
      - {id: ok, type: radio, label: OK, options: [yes, "no"]}   # <-
""", "wrong type: expected an option: text, or {value: ..., label: ...}, got true (YAML reads "
     "yes/no/on/off/true/false as true or false: put it in quotes)"),
    "unknown field type": (FIELDS + """\
      - id: model
        type: selct   # <-
        label: Model
""", "unknown field type 'selct' (did you mean 'select'?); use one of text, textarea, email, "
     "url, phone, number, date, datetime, select, radio, multiselect, checkboxes, checkbox, "
     "file, user, markdown, section"),
    "a field without a type": (FIELDS + """\
      - {id: model, label: Model}   # <-
""", "a field needs a type: one of text, textarea, email, url, phone, number, date, datetime, "
     "select, radio, multiselect, checkboxes, checkbox, file, user, markdown, section"),
    "a key that does not fit the field type": (FIELDS + """\
      - id: name
        type: text
        label: Name
        options: [a, b]   # <-
""", "unknown key 'options'"),
    "a markdown field has no value": (FIELDS + """\
      - {id: note, type: markdown, text: Hi, required: true}   # <-
""", "unknown key 'required': a markdown field holds no value"),
    "missing required key": (FIELDS + """\
      - {id: name, type: text}   # <-
""", "missing required key 'label'"),
    "bad id": (FIELDS + """\
      - {id: Full Name, type: text, label: Name}   # <-
""", "'Full Name' is not a valid id: use lowercase letters, digits, '-' and '_'"),
    "bad choice": (HEADER + """\
    priority: P5   # <-
""", "'P5' is not allowed here; use 'P1', 'P2', 'P3' or 'P4'"),
    "bad literal with a suggestion": (HEADER + """\
    type: incidnet   # <-
""", "'incidnet' is not allowed here (did you mean 'incident'?); use 'request', 'incident', "
     "'change' or 'access'"),
    "duplicate field id": (FIELDS + """\
      - {id: name, type: text, label: Name}
      - {id: name, type: text, label: Other name}   # <-
""", "duplicate field id 'name' in this item (first at {file}:12)"),
    "duplicate item id": (HEADER + """\
  - id: laptop   # <-
    category: hw
    name: Another laptop
    team: desk
""", "duplicate item id 'laptop' (first at {file}:7)"),
    "unknown team": (HEADER.replace("    team: desk\n", "    team: dsk   # <-\n"),
                     "unknown team 'dsk' (did you mean 'desk'?)"),
    "unknown category": (HEADER.replace("    category: hw\n", "    category: hardware   # <-\n"),
                         "unknown category 'hardware'"),
    "unknown approval team": (HEADER + """\
    approval:
      - manager
      - team: dsk   # <-
""", "unknown team 'dsk' (did you mean 'desk'?)"),
    "unknown sla": (HEADER + """\
    sla: fast   # <-
""", "unknown SLA policy 'fast'"),
    "show_if on a missing field": (FIELDS + """\
      - {id: for_whom, type: select, label: For, options: [me, other]}
      - id: name
        type: text
        label: Name
        show_if: {field: for_who, equals: other}   # <-
""", "show_if names unknown field 'for_who' (did you mean 'for_whom'?)"),
    "show_if on a later field": (FIELDS + """\
      - id: name
        type: text
        label: Name
        show_if: {field: for_whom, equals: other}   # <-
      - {id: for_whom, type: select, label: For, options: [me, other]}
""", "show_if names field 'for_whom', which comes later; a field may only depend on fields "
     "before it"),
    "show_if on itself": (FIELDS + """\
      - id: name
        type: text
        label: Name
        show_if: {all: [{field: name, filled: true}]}   # <-
""", "show_if of 'name' depends on the field itself"),
    "show_if value that is not an option": (FIELDS + """\
      - {id: for_whom, type: select, label: For, options: [me, new-hire]}
      - id: name
        type: text
        label: Name
        show_if: {field: for_whom, equals: new_hire}   # <-
""", "'new_hire' is not an option of field 'for_whom' (did you mean 'new-hire'?)"),
    "checked on a non-checkbox": (FIELDS + """\
      - {id: count, type: number, label: Count}
      - id: name
        type: text
        label: Name
        show_if: {field: count, checked: true}   # <-
""", "'checked' tests a checkbox, but 'count' is a number field"),
    "a condition with two operators": (FIELDS + """\
      - {id: count, type: number, label: Count}
      - id: name
        type: text
        label: Name
        show_if: {field: count, gt: 1, lt: 5}   # <-
""", "a condition needs exactly one of equals, not_equals, in, not_in, checked, filled, gt, "
     "lt, contains next to field: got gt and lt"),
    "approval field that is not a user field": (HEADER + """\
    approval:
      - field: name   # <-
    fields:
      - {id: name, type: text, label: Name}
""", "approval field 'name' is a text field; an approver must come from a user field"),
    "approval field that does not exist": (HEADER + """\
    approval:
      - field: boss   # <-
    fields:
      - {id: manager, type: user, label: Manager}
""", "unknown field 'boss'"),
    "default not among options": (FIELDS + """\
      - id: model
        type: select
        label: Model
        options: [standard, developer]
        default: standrad   # <-
""", "default 'standrad' is not among the options (did you mean 'standard'?)"),
    "multiselect default not among options": (FIELDS + """\
      - id: extras
        type: checkboxes
        label: Extras
        options: [mouse, headset]
        default: [mouse, keyboard]   # <-
""", "default 'keyboard' is not among the options"),
    "pattern that does not compile": (FIELDS + """\
      - id: code
        type: text
        label: Code
        pattern: '^CC-(\\d{4}$'   # <-
""", "pattern does not compile: missing ): ^CC-(\\d{4}$ (patterns use RE2 syntax: no "
   "backreferences or lookaround)"),
    "number min > max": (FIELDS + """\
      - {id: count, type: number, label: Count, min: 10, max: 1}   # <-
""", "min 10 is greater than max 1"),
    "length min > max": (FIELDS + """\
      - id: why
        type: textarea
        label: Why
        min_length: 200   # <-
        max_length: 20
""", "min_length 200 is greater than max_length 20"),
    "multiselect min > max": (FIELDS + """\
      - id: extras
        type: multiselect
        label: Extras
        options: [a, b, c]
        min: 3   # <-
        max: 2
""", "min 3 is greater than max 2"),
    "date min after max": (FIELDS + """\
      - id: when
        type: date
        label: When
        min: today+10d   # <-
        max: today+3d
""", "min today+10d is after max today+3d"),
    "bad date bound": (FIELDS + """\
      - {id: when, type: date, label: When, min: tomorrow}   # <-
""", "'tomorrow' is not a date bound: use a date such as 2026-01-01, or today, today+Nd, "
     "today-Nd"),
    "bad size": (FIELDS + """\
      - id: quote
        type: file
        label: Quote
        max_size: 5 megabytes   # <-
""", "'5 megabytes' is not a size such as 5MB"),
    "bad file extension": (FIELDS + """\
      - {id: quote, type: file, label: Quote, accept: [pdf]}   # <-
""", "'pdf' is not a file extension such as .pdf"),
    "title placeholder naming no field": (HEADER + """\
    title: "Laptop for {for_whom}"   # <-
    fields:
      - {id: model, type: text, label: Model}
""", "title placeholder {for_whom} names no field"),
    "title placeholder naming a markdown field": (HEADER + """\
    title: {en: "About {note}", pl: "O {note}"}
    fields:
      - {id: note, type: markdown, text: Hello}
""", "title placeholder {note} names a markdown field, which has no value"),
    "priority_from on a text field": (HEADER + """\
    priority_from:
      impact: impact   # <-
      urgency: urgency
    fields:
      - {id: impact, type: text, label: Impact}
      - {id: urgency, type: radio, label: Urgency, options: [high, medium, low]}
""", "priority_from impact 'impact' is a text field; it must be a select or radio field"),
    "priority_from with other values": (HEADER + """\
    priority_from:
      impact: impact
      urgency: urgency   # <-
    fields:
      - {id: impact, type: select, label: Impact, options: [high, medium, low]}
      - {id: urgency, type: radio, label: Urgency, options: [high, normal, low]}
""", "priority_from urgency 'urgency' must have the options high, medium and low "
     "(other values: normal)"),
    "unknown time zone": ("""\
version: 1
calendars:
  office:
    timezone: Europe/Warsw   # <-
    hours: {mon-fri: "08:00-16:00"}
""", "unknown time zone 'Europe/Warsw' (did you mean 'Europe/Warsaw'?)"),
    "bad working hours": ("""\
version: 1
calendars:
  office:
    timezone: UTC
    hours:
      mon-fri: "17:00-08:00"   # <-
""", "hours must end after they start: '17:00-08:00'"),
    "a day twice": ("""\
version: 1
calendars:
  office:
    timezone: UTC
    hours: {mon-fri: "08:00-16:00", fri: "08:00-12:00"}   # <-
""", "fri is in both 'mon-fri' and 'fri'"),
    "unknown calendar": ("""\
version: 1
calendars:
  office: {timezone: UTC, hours: {mon-fri: "08:00-16:00"}}
sla:
  default:
    calendar: offce   # <-
    targets: {P1: {response: 1h, resolution: 4h}}
""", "unknown calendar 'offce' (did you mean 'office'?)"),
    "bad duration": ("""\
version: 1
sla:
  default:
    targets:
      P1: {response: 1h, resolution: 2d}   # <-
""", "'2d' is not a duration such as 30m, 4h or 1h30m (working time: hours, not days)"),
    "pause on a status that does not exist": ("""\
version: 1
sla:
  default:
    pause_on: [waiting]   # <-
    targets: {P1: {response: 1h, resolution: 4h}}
""", "'waiting' is not allowed here; use 'new', 'awaiting_approval', 'open', 'in_progress', "
     "'waiting_on_requester', 'waiting_on_third_party', 'resolved', 'closed', 'rejected' or "
     "'cancelled'"),
    "bad priority key": ("""\
version: 1
sla:
  default:
    targets:
      P5: {response: 1h, resolution: 4h}   # <-
""", "key 'P5' is not allowed here; use 'P1', 'P2', 'P3' or 'P4'"),
    "duplicate team": ("""\
version: 1
teams:
  - {id: desk, name: Desk}
  - {id: desk, name: Desk again}   # <-
""", "duplicate team id 'desk' (first at {file}:3)"),
    "duplicate category": ("""\
version: 1
categories:
  - {id: hw, name: Hardware}
  - {id: hw, name: Hardware again}   # <-
""", "duplicate category id 'hw' (first at {file}:3)"),
    "unknown top-level key": ("""\
version: 1
itmes: []   # <-
""", "unknown key 'itmes' (did you mean 'items'?)"),
}


@pytest.mark.parametrize("text, message", ERRORS.values(), ids=ERRORS.keys())
def test_each_error_at_its_line(tmp_path, text, message):
    path = write(tmp_path, text)
    expected_line = next((n for n, line in enumerate(text.splitlines(), 1) if "# <-" in line),
                         None)
    result = check_catalog(path)
    errors = [(p.line, p.message) for p in result.errors]
    message = message.replace("{file}", str(path))
    assert result.catalog is None
    if expected_line is None:  # the whole item's title line, in a mapping
        assert [m for _, m in errors] == [message, message]
    else:
        assert errors == [(expected_line, message)]


def test_three_mistakes_at_once_each_with_its_line(tmp_path):
    path = write(tmp_path, HEADER + """\
    fields:
      - id: for_whom
        type: select
        lable: Who is it for?
        options: [me, someone-else]
      - id: count
        type: numbr
        label: How many
      - id: name
        type: text
        label: Name
        show_if: {field: for_who, equals: someone-else}
""")
    problems = check_catalog(path).problems
    assert [(p.line, p.col, p.message) for p in problems] == [
        (14, 9, "unknown key 'lable' (did you mean 'label'?)"),
        (17, 9, "unknown field type 'numbr' (did you mean 'number'?); use one of text, "
                "textarea, email, url, phone, number, date, datetime, select, radio, "
                "multiselect, checkboxes, checkbox, file, user, markdown, section"),
        (22, 19, "show_if names unknown field 'for_who' (did you mean 'for_whom'?)"),
    ]
    assert str(problems[0]) == (
        f"{path}:14:9: unknown key 'lable' (did you mean 'label'?) (items[0].fields[0].lable)")


def test_one_broken_item_does_not_hide_another(tmp_path):
    path = write(tmp_path, HEADER + """\
    fields: not-a-list
  - id: second
    category: hw
    name: Second
    team: desk
    priority: urgent
    fields:
      - {id: a, type: text, label: A, min_length: 5, max_length: 1}
""")
    problems = check_catalog(path).errors
    assert [(p.line, p.path) for p in problems] == [
        (11, ("items", 0, "fields")),
        (16, ("items", 1, "priority")),
        (18, ("items", 1, "fields", 0, "min_length")),
    ]


def test_warnings_do_not_block_the_catalog(tmp_path):
    path = write(tmp_path, """\
        version: 1
        teams:
          - {id: desk, name: Desk}
          - {id: network, name: Network}
        categories:
          - {id: hw, name: Hardware}
          - {id: empty, name: Nothing here}
        items:
          - id: laptop
            category: hw
            name: Laptop
            team: desk
            kb: [laptop-models, vpn-setup]
        """)
    result = check_catalog(path, known_kb_slugs={"laptop-model", "vpn-setup"})
    assert result.catalog is not None and result.errors == []
    assert [(p.line, str(p).split(": ", 1)[1]) for p in result.problems] == [
        (4, "warning: team 'network' is not used by any item (teams[1])"),
        (7, "warning: category 'empty' has no items (categories[1])"),
        (13, "warning: no knowledge-base article 'laptop-models' (did you mean "
             "'laptop-model'?) (items[0].kb[0])"),
    ]


def test_kb_slugs_are_checked_only_when_known(tmp_path):
    path = write(tmp_path, HEADER + "    kb: [anything]\n")
    assert check_catalog(path).problems == []


def test_a_team_used_only_for_approval_is_used(tmp_path):
    path = write(tmp_path, HEADER.replace(
        "  - {id: desk, name: Desk}\n",
        "  - {id: desk, name: Desk}\n  - {id: buyers, name: Buyers}\n",
    ) + "    approval: [{team: buyers}]\n")
    assert check_catalog(path).problems == []


def test_valid_catalog_has_no_problems():
    from .helpers import CATALOGS

    result = check_catalog(CATALOGS / "valid.yaml")
    assert result.problems == []
    assert result.catalog is not None
