"""Bad edits of every kind are problems at a file:line:column, within time and memory bounds."""

import os

import pytest

from portal.catalog import check_catalog
from portal.catalog.limits import MAX_ALIAS_NODES, MAX_DEPTH, MAX_FILE_BYTES, MAX_FILES

from .helpers import HEADER, write

BILLION_LAUGHS = """\
version: 1
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def only_error(path):
    result = check_catalog(path)
    assert result.catalog is None
    [problem] = result.errors
    return problem


@pytest.mark.parametrize("character", ["\x00", "\x81", "\x07", "\ufffe"])
def test_a_control_character_is_located(tmp_path, character):
    path = write(tmp_path, HEADER.replace("name: Laptop", f"name: Lap{character}top"))
    problem = only_error(path)
    assert (problem.file, problem.line, problem.col) == (str(path), 9, 14)
    assert f"U+{ord(character):04X}" in problem.message


def test_bytes_that_are_not_utf8_are_located(tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_bytes(HEADER.replace("name: Laptop", "name: Lap\xfftop").encode("latin-1"))
    problem = only_error(path)
    assert (problem.line, problem.col) == (9, 14)
    assert "not UTF-8" in problem.message


def test_an_alias_bomb_is_refused_at_the_alias(tmp_path):
    problem = only_error(write(tmp_path, BILLION_LAUGHS))
    assert problem.line == 6 and problem.col > 1
    assert f"aliases copy in more than {MAX_ALIAS_NODES} values" in problem.message


def test_merge_keys_count_as_aliases(tmp_path):
    lines = ["version: 1", "x0: &x0 {a: 1, b: 2}"]
    for n in range(1, 30):
        lines.append(f"x{n}: &x{n} {{<<: [*x{n - 1}, *x{n - 1}], k{n}: {n}}}")
    problem = only_error(write(tmp_path, "\n".join(lines) + "\n"))
    assert problem.line is not None and "aliases copy in more than" in problem.message


def test_a_few_aliases_are_fine(tmp_path):
    text = HEADER + "    tags: &tags [hardware, onboarding]\n"
    text += "  - {id: mouse, category: hw, name: Mouse, team: desk, tags: *tags}\n"
    result = check_catalog(write(tmp_path, text))
    assert result.errors == []
    assert result.catalog.item("mouse").tags == ["hardware", "onboarding"]


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path):
    problem = only_error(write(tmp_path, HEADER + "    tags: &t [a, *t]\n"))
    assert (problem.line, problem.col) == (11, 18)
    assert "contains it" in problem.message


def test_deep_nesting_is_refused_with_a_line(tmp_path):
    deep = "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)
    problem = only_error(write(tmp_path, HEADER + f"    tags: {deep}\n"))
    assert problem.line == 11 and f"more than {MAX_DEPTH} levels" in problem.message


def test_very_deep_nesting_is_no_recursion_error(tmp_path):
    deep = "{a: " * 5000 + "1" + "}" * 5000
    problem = only_error(write(tmp_path, f"version: 1\nx: {deep}\n"))
    assert problem.line == 2 and "recursion" not in problem.message


def test_deeply_nested_show_if_is_refused(tmp_path):
    condition = "{field: a, equals: x}"
    for _ in range(MAX_DEPTH):
        condition = f"{{all: [{condition}]}}"
    text = HEADER + f"    fields:\n      - {{id: b, type: text, label: B, show_if: {condition}}}\n"
    problem = only_error(write(tmp_path, text))
    assert problem.line == 12 and "levels deep" in problem.message


def test_a_huge_file_is_refused(tmp_path):
    padding = "# " + "x" * 1000 + "\n"
    path = write(tmp_path, HEADER + padding * (MAX_FILE_BYTES // len(padding) + 1))
    problem = only_error(path)
    assert (problem.file, problem.line, problem.col) == (str(path), 1, 1)
    assert "larger than 512 KB" in problem.message


def test_included_files_together_are_bounded(tmp_path):
    write(tmp_path, HEADER + "include: [parts/*.yaml]\n")
    padding = "# " + "x" * 1000 + "\n"
    for n in range(3):
        write(tmp_path, padding * 400, f"parts/{n}.yaml")
    problems = check_catalog(tmp_path / "catalog.yaml").errors
    assert [p.file.rsplit("/", 1)[-1] for p in problems] == ["2.yaml"]
    assert "together are larger than" in problems[0].message


def test_the_number_of_files_is_bounded(tmp_path):
    write(tmp_path, HEADER + "include: [parts/*.yaml]\n")
    for n in range(MAX_FILES + 1):
        write(tmp_path, "teams: []\n", f"parts/{n:03}.yaml")
    [problem] = check_catalog(tmp_path / "catalog.yaml").errors
    assert (problem.line, problem.message) == (11, f"a catalog may have at most {MAX_FILES} files")


@pytest.mark.parametrize(("pattern", "reason"), [
    ("/**/*.yaml", "must be relative"),
    ("/etc/*.yaml", "must be relative"),
    ("~/x.yaml", "must be relative"),
    ("../*.yaml", "may not leave the catalog's folder"),
    ("parts/../../x.yaml", "may not leave the catalog's folder"),
    ("**/*.yaml", "wildcards only in the file name"),
    ("*/x.yaml", "wildcards only in the file name"),
])
def test_an_include_outside_the_catalog_folder_is_refused(tmp_path, pattern, reason):
    path = write(tmp_path, HEADER + f"include: ['{pattern}']\n")
    problem = only_error(path)
    assert (problem.file, problem.line) == (str(path), 11)
    assert reason in problem.message and pattern in problem.message


def test_an_include_through_a_symlink_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside"
    write(outside, "teams: []\n", "secret.yaml")
    write(tmp_path / "cat", HEADER + "include: [parts/*.yaml]\n")
    (tmp_path / "cat" / "parts").mkdir()
    os.symlink(outside / "secret.yaml", tmp_path / "cat" / "parts" / "a.yaml")
    problem = only_error(tmp_path / "cat" / "catalog.yaml")
    assert problem.line == 11 and "outside the catalog's folder" in problem.message


@pytest.mark.parametrize("pattern", [r"^(a+)+$", r"(a|a)*b", r"^(\w+\s?)*$"])
def test_backtracking_patterns_are_fine_with_the_linear_engine(tmp_path, pattern):
    text = HEADER + "    fields:\n"
    text += f"      - {{id: code, type: text, label: C, pattern: '{pattern}'}}\n"
    assert check_catalog(write(tmp_path, text)).errors == []


@pytest.mark.parametrize("pattern", [r"^(a)\1$", r"^(?=a)a$", r"a{1000}{1000}"])
def test_a_pattern_the_engine_cannot_run_is_refused_at_its_line(tmp_path, pattern):
    text = HEADER + "    fields:\n      - id: code\n        type: text\n        label: C\n"
    text += f"        pattern: '{pattern}'\n"
    problem = only_error(write(tmp_path, text))
    assert (problem.line, problem.col) == (15, 9)
    assert problem.message.startswith("pattern does not compile:")
    assert "RE2 syntax" in problem.message


def test_a_catalog_without_items_is_an_error(tmp_path):
    text = HEADER.split("items:")[0]
    path = write(tmp_path, text)
    problem = only_error(path)
    assert problem.message.startswith("the catalog has no items")
    assert (problem.line, problem.col) == (1, 1)


def test_an_include_that_matches_no_file_and_an_empty_category_are_loud(tmp_path):
    write(tmp_path, HEADER.replace("categories:\n", "categories:\n  - {id: empty, name: E}\n")
          + "include: [gone/*.yaml]\n")
    warnings = check_catalog(tmp_path / "catalog.yaml").warnings
    assert [(p.message, p.loud) for p in warnings] == [
        ("category 'empty' has no items", True),
        ("include pattern 'gone/*.yaml' matches no file", True),
    ]
