"""Reading YAML: positions, syntax errors, include: merging."""

from portal.catalog import Problem, check_catalog
from portal.catalog.source import load_source

from .helpers import CATALOGS, write


def test_positions_point_at_keys_and_list_entries():
    source = load_source(CATALOGS / "valid.yaml")
    name = str(CATALOGS / "valid.yaml")
    assert source.problems == []
    assert source.positions[("items", 0)] == (name, 14, 5)
    assert source.positions[("items", 0, "fields", 0, "type")] == (name, 30, 9)
    assert source.positions[("items", 0, "fields", 1, "show_if", "equals")] == (name, 41, 36)
    assert source.positions[("items", 0, "approval", 3, "field")] == (name, 26, 9)
    assert source.positions[("items", 0, "fields", 0, "options", 1)] == (name, 34, 13)


def test_a_missing_key_is_located_at_its_parent():
    source = load_source(CATALOGS / "valid.yaml")
    assert source.locate(("items", 0, "fields", 0, "nothing", "here")) == \
        source.positions[("items", 0, "fields", 0)]


def test_a_syntax_error_is_a_problem_with_its_position(tmp_path):
    path = write(tmp_path, """\
        version: 1
        items:
          - {id: a, name: What happened?}
          - id: b
        """)
    result = check_catalog(path)
    assert result.catalog is None
    [problem] = result.problems
    assert (problem.file, problem.line, problem.col) == (str(path), 3, 32)  # the '?'
    assert problem.message.startswith("YAML syntax error: expected ',' or '}'")
    assert "in quotes" in problem.message


def test_a_bad_indentation_is_reported_not_raised(tmp_path):
    path = write(tmp_path, "teams:\n  - id: a\n   name: b\n")
    [problem] = check_catalog(path).problems
    assert problem.line == 3 and "YAML syntax error" in problem.message


def test_an_impossible_date_is_a_problem(tmp_path):
    path = write(tmp_path, """\
        version: 1
        calendars:
          c: {timezone: UTC, hours: {}, holidays: [2026-02-30]}
        """)
    [problem] = check_catalog(path).problems
    assert (problem.line, problem.col) == (3, 44)
    assert "2026-02-30 is not a valid date" in problem.message


def test_a_key_given_twice_is_an_error(tmp_path):
    path = write(tmp_path, """\
        version: 1
        teams:
          - id: desk
            name: Desk
            name: Service Desk
        """)
    [problem] = check_catalog(path).errors
    assert (problem.line, problem.message) == (5, "duplicate key 'name' (first on line 4)")


def test_a_missing_file(tmp_path):
    result = check_catalog(tmp_path / "nope.yaml")
    [problem] = result.problems
    assert result.catalog is None and result.files == []
    assert "cannot read the file" in problem.message


def test_the_top_level_must_be_a_mapping(tmp_path):
    path = write(tmp_path, "- just\n- a list\n")
    [problem] = check_catalog(path).problems
    assert problem.line == 1 and "must be a mapping" in problem.message


def test_an_empty_file_is_an_error_not_an_empty_catalog(tmp_path):
    path = write(tmp_path, "# nothing yet\n")
    result = check_catalog(path)
    assert result.catalog is None
    assert [str(p) for p in result.problems] == [
        f"{path}:1:1: the catalog has no items (an empty file, or items lost from it or its "
        "includes) (items)"]


def test_include_merges_lists_and_mappings():
    result = check_catalog(CATALOGS / "with_include.yaml")
    assert result.problems == []
    catalog = result.catalog
    assert [i.id for i in catalog.items] == ["main-item", "laptop", "question"]
    assert [c.id for c in catalog.categories] == ["hardware", "general"]
    assert set(catalog.calendars) == {"office", "24x7"}
    assert [f.name for f in result.files] == [
        "with_include.yaml", "10-hardware.yaml", "20-general.yaml"]


def test_positions_of_included_parts_point_into_their_file():
    source = load_source(CATALOGS / "with_include.yaml")
    hardware = str(CATALOGS / "with_include.d" / "10-hardware.yaml")
    general = str(CATALOGS / "with_include.d" / "20-general.yaml")
    # items[0] is in the main file; the included files' items follow it.
    assert source.positions[("items", 1, "fields", 0, "type")][0] == hardware
    assert source.positions[("items", 1, "fields", 0, "type")][1:] == (10, 21)
    assert source.positions[("items", 2, "id")] == (general, 5, 5)
    assert source.positions[("calendars", "24x7")] == (general, 10, 3)


def test_an_error_in_an_included_file_is_reported_there(tmp_path):
    write(tmp_path, """\
        version: 1
        include: [parts/*.yaml]
        teams: [{id: desk, name: Desk}]
        categories: [{id: hw, name: Hardware}]
        """)
    write(tmp_path, """\
        items:
          - id: laptop
            category: hw
            name: Laptop
            team: desk
            fields:
              - {id: model, type: selct, label: Model}
        """, "parts/a.yaml")
    result = check_catalog(tmp_path / "catalog.yaml")
    [problem] = result.problems
    assert problem.file == str(tmp_path / "parts" / "a.yaml")
    assert (problem.line, problem.col) == (7, 21)
    assert problem.path == ("items", 0, "fields", 0, "type")


def test_include_problems(tmp_path):
    write(tmp_path, """\
        version: 1
        include: [parts/*.yaml, none/*.yaml]
        calendars:
          office: {timezone: UTC, hours: {mon-fri: "09:00-17:00"}}
        """)
    write(tmp_path, """\
        include: [more/*.yaml]
        calendars:
          office: {timezone: UTC, hours: {mon-sun: "00:00-24:00"}}
        """, "parts/a.yaml")
    problems = check_catalog(tmp_path / "catalog.yaml").problems
    messages = {(p.file.rsplit("/", 1)[-1], p.line, p.severity, p.message) for p in problems}
    assert messages == {
        ("catalog.yaml", 2, "warning", "include pattern 'none/*.yaml' matches no file"),
        ("a.yaml", 1, "error", "include: works only in the main file"),
        ("a.yaml", 3, "error",
         f"duplicate key 'office' in calendars (first at {tmp_path / 'catalog.yaml'}:4)"),
    }


def test_a_syntax_error_in_an_included_file_keeps_checking_the_rest(tmp_path):
    write(tmp_path, "version: 1\ninclude: ['*.d.yaml']\nteams: [{id: desk, name: Desk, tier: x}]\n")
    write(tmp_path, "items: [\n", "a.d.yaml")
    problems = check_catalog(tmp_path / "catalog.yaml").errors
    assert [(p.file.rsplit("/", 1)[-1], p.line) for p in problems] == [
        ("catalog.yaml", 3), ("a.d.yaml", 2)]


def test_problem_text():
    problem = Problem("error", "unknown key 'lable'", ("items", 3, "fields", 2, "lable"),
                      "catalog.yaml", 40, 9)
    assert str(problem) == "catalog.yaml:40:9: unknown key 'lable' (items[3].fields[2].lable)"
    warning = Problem("warning", "category 'x' has no items", ("categories", 1),
                      "catalog.yaml", 7, 5)
    assert str(warning) == "catalog.yaml:7:5: warning: category 'x' has no items (categories[1])"
    assert str(Problem("error", "cannot read the file", (), "c.yaml")) == \
        "c.yaml: cannot read the file"
