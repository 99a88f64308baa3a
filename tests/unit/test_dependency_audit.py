"""The dependency audit finds what its database knows and never passes when it could not look."""

import datetime
import json

import pytest

from tools import audit_deps

TODAY = datetime.date(2026, 12, 1)


def run(capsys, *args, today=TODAY):
    code = audit_deps.main([str(a) for a in args], today=today)
    out, err = capsys.readouterr()
    return code, out + err


def requirements(tmp_path, text):
    path = tmp_path / "requirements.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_database_knows_recent_python_advisories():
    advisories = audit_deps.load_advisories()
    jinja = {entry["cve"] for entry in advisories["jinja2"]}
    assert "CVE-2025-27516" in jinja  # the sandbox escape through |attr, fixed in 3.1.6
    assert audit_deps.newest_year(advisories) >= 2026


def test_an_old_pin_is_reported_and_fails(tmp_path, capsys):
    code, output = run(capsys, "-r", requirements(tmp_path, "jinja2==2.10\nrequests==2.19.0\n"))
    assert code == audit_deps.VULNERABLE
    assert "CVE-2019-10906" in output  # jinja2's sandbox escape fixed in 2.10.1
    assert "requests 2.19.0" in output and "audit FAILED: 2 vulnerable packages" in output


def test_current_pins_pass(tmp_path, capsys):
    code, output = run(capsys, "-r", requirements(tmp_path, "jinja2==3.1.6\nflask==3.1.3\n"))
    assert code == 0 and "audited 2 packages" in output


def test_nothing_to_audit_is_a_failure(tmp_path, capsys):
    code, output = run(capsys, "-r", requirements(tmp_path, "# nothing pinned\n"))
    assert code == audit_deps.CANNOT_AUDIT and "nothing to audit" in output
    empty = tmp_path / "site-packages"
    empty.mkdir()
    code, output = run(capsys, "--site", empty)
    assert code == audit_deps.CANNOT_AUDIT and "nothing to audit" in output


def test_a_missing_database_is_a_failure(tmp_path, capsys):
    code, output = run(capsys, "--database", tmp_path / "absent.json")
    assert code == audit_deps.CANNOT_AUDIT and "no advisory database could be read" in output


def test_a_database_with_nothing_recent_is_a_failure(tmp_path, capsys):
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"jinja2": [{"id": "GHSA-x", "cve": "CVE-2019-10906",
                                           "v": "<2.10.1"}]}), encoding="utf-8")
    code, output = run(capsys, "--database", old)
    assert code == audit_deps.CANNOT_AUDIT and "too old" in output and "2019" in output


@pytest.mark.parametrize("line", ["jinja2>=2.10", "jinja2", "jinja2==3.*"])
def test_only_exact_pins_can_be_audited(tmp_path, capsys, line):
    code, output = run(capsys, "-r", requirements(tmp_path, line + "\n"))
    assert code == audit_deps.CANNOT_AUDIT and "only exact pins" in output


def test_an_uncomparable_version_is_a_failure(tmp_path, capsys):
    code, output = run(capsys, "-r", requirements(tmp_path, "jinja2===not-a-version\n"))
    assert code == audit_deps.CANNOT_AUDIT and "cannot be compared" in output


def test_this_environment_is_audited_package_by_package(capsys):
    code, output = run(capsys)
    audited = int(output.split("audited ", 1)[1].split()[0])
    assert audited >= 30  # the portal's own dependencies at least, never "0 packages"
    assert code in (0, audit_deps.VULNERABLE)
