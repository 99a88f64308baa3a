"""`flask catalog check` and `flask catalog schema`."""

import json

import pytest

from portal import create_app
from portal.catalog import json_schema

from .helpers import CATALOGS, HEADER, write


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE", str(tmp_path / "instance"))

    def make(catalog_path):
        app = create_app({"TESTING": True, "CATALOG_PATH": str(catalog_path),
                          "SQLALCHEMY_DATABASE_URI": "sqlite://"})
        return app.test_cli_runner()

    return make


def test_check_a_clean_catalog(runner):
    result = runner(CATALOGS / "valid.yaml").invoke(args=["catalog", "check"])
    assert result.exit_code == 0
    assert result.output == "catalog OK: 2 items in 2 categories\n"


def test_check_lists_every_problem_and_fails(runner, tmp_path):
    path = write(tmp_path, HEADER.replace("team: desk", "team: dsk") + "    tipe: x\n"
                 + "  - {id: mouse, category: hw, name: Mouse, team: desk, kb: [x]}\n")
    result = runner(CATALOGS / "valid.yaml").invoke(args=["catalog", "check", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:10:5: unknown team 'dsk' (did you mean 'desk'?) (items[0].team)",
        f"{path}:11:5: unknown key 'tipe' (did you mean 'type'?) (items[0].tipe)",
        "2 errors, 0 warnings",
    ]


def test_check_with_warnings_only_passes(runner, tmp_path):
    path = write(tmp_path, HEADER.replace("categories:\n",
                                          "categories:\n  - {id: empty, name: Empty}\n"))
    result = runner(path).invoke(args=["catalog", "check"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"{path}:5:5: warning: category 'empty' has no items (categories[0])",
        "catalog OK: 1 item in 2 categories (1 warning)",
    ]


def test_schema_prints_or_writes_json(runner, tmp_path):
    cli = runner(CATALOGS / "valid.yaml")
    printed = cli.invoke(args=["catalog", "schema"])
    assert printed.exit_code == 0
    assert json.loads(printed.output) == json_schema()
    target = tmp_path / "schema.json"
    written = cli.invoke(args=["catalog", "schema", "--output", str(target)])
    assert written.exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert text.endswith("}\n") and json.loads(text) == json_schema()
    assert text == json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_check_reports_a_typo_a_wrong_type_and_a_missing_show_if_field(runner, tmp_path):
    source = (CATALOGS.parent / "catalogs" / "portal.yaml").read_text(encoding="utf-8")
    broken = (source.replace("summary: Order a standard laptop.", "sumary: Order a laptop.")
              .replace("        type: date\n", "        type: dat\n")
              .replace("{field: for_whom, equals: new-hire}", "{field: for_who, equals: new-hire}"))
    path = tmp_path / "catalog.yaml"
    path.write_text(broken, encoding="utf-8")
    result = runner(path).invoke(args=["catalog", "check"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(line.startswith(f"{path}:25:5: unknown key 'sumary' (did you mean 'summary'?)")
               for line in lines), lines
    assert any(line.startswith(f"{path}:50:9: unknown field type 'dat' (did you mean 'date'?)")
               for line in lines), lines
    assert any(line.startswith(f"{path}:43:") and "unknown field 'for_who'" in line
               and "did you mean 'for_whom'" in line for line in lines), lines
    assert lines[-1] == "3 errors, 0 warnings"


BAD_EDITS = {
    "a NUL byte": (HEADER.replace("name: Laptop", "name: Lap\x00top"), 9, "U+0000"),
    "a C1 control character": (HEADER.replace("name: Laptop", "name: Lap\x81top"), 9, "U+0081"),
    "an alias bomb": ("version: 1\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
                      + "".join(f"{b}: &{b} [{', '.join([f'*{a}'] * 10)}]\n"
                                for a, b in zip("abcdefgh", "bcdefghi", strict=True)), 5,
                      "aliases copy in more than"),
    "deep nesting": (HEADER + "    tags: " + "[" * 500 + "]" * 500 + "\n", 11, "levels deep"),
    "an include of the whole disk": (HEADER + "include: ['/**/*.yaml']\n", 11, "relative"),
    "an empty file": ("", 1, "the catalog has no items"),
}


@pytest.mark.parametrize("name", BAD_EDITS)
def test_check_prints_a_located_error_and_no_traceback(runner, tmp_path, name):
    text, line, expected = BAD_EDITS[name]
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner(path).invoke(args=["catalog", "check"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith(f"{path}:")]
    assert errors and errors[0].startswith(f"{path}:{line}:"), result.output
    assert expected in errors[0]
    assert result.output.splitlines()[-1].startswith("1 error,")


def test_check_in_a_subprocess_prints_file_line_col_and_exits_1(tmp_path):
    import os
    import subprocess
    import sys

    path = tmp_path / "catalog.yaml"
    path.write_text(HEADER.replace("name: Laptop", "name: Lap\x00top"), encoding="utf-8")
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    env = {**os.environ, "PORTAL_INSTANCE": str(tmp_path / "instance"),
           "DATABASE_URL": "sqlite://", "PORTAL_CATALOG": str(path)}
    done = subprocess.run([flask, "--app", "app", "catalog", "check"], capture_output=True,
                          text=True, env=env, cwd=CATALOGS.parents[1], timeout=60)
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stdout.startswith(f"{path}:9:14: the file contains the character U+0000")


def test_check_without_a_reachable_database_still_checks(runner, tmp_path, monkeypatch):
    cli = runner(CATALOGS / "valid.yaml")
    store = cli.app.extensions["catalog_store"]

    def unreachable():
        raise ConnectionError("database down")

    monkeypatch.setattr(store, "known_kb_slugs", unreachable)
    result = cli.invoke(args=["catalog", "check"])
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert result.output.splitlines()[-1] == "catalog OK: 2 items in 2 categories"
