"""Checks across the raw catalog: duplicate ids, references, and rules a schema cannot say.

These run over the raw data, beside pydantic, and guard every type they meet: a broken item
still gets its references checked, and a wrong value is left to the structural check.
"""

import re

from .field_checks import DISPLAY_TYPES, check_fields, entries, option_values, type_of
from .problems import Problem, did_you_mean
from .source import Source

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
LEVELS = {"high", "medium", "low"}


class Report:
    """Collects problems located through the source's position index."""

    def __init__(self, source: Source):
        self.source = source
        self.problems: list[Problem] = []

    def error(self, path: tuple, message: str) -> None:
        self.problems.append(self.source.problem("error", message, path))

    def warning(self, path: tuple, message: str, loud: bool = False) -> None:
        self.problems.append(self.source.problem("warning", message, path, loud=loud))

    def where(self, path: tuple) -> str:
        file, line, _col = self.source.locate(path)
        return f"{file}:{line}"

    def unknown(self, path: tuple, value, known, label: str) -> bool:
        """Report a reference to an id that is not defined; True when it was unknown."""
        if not isinstance(value, str) or value in known:
            return False
        self.error(path, f"unknown {label} '{value}'{did_you_mean(value, known)}")
        return True


def unique_ids(report: Report, data, key: str, label: str) -> dict[str, int]:
    """Id -> index of the first entry with it; later duplicates are errors."""
    found: dict[str, int] = {}
    for n, entry in entries(data, key):
        ident = entry.get("id")
        if not isinstance(ident, str):
            continue
        if ident in found:
            first = report.where((key, found[ident]))
            report.error((key, n, "id"),
                         f"duplicate {label} id '{ident}' (first at {first})")
        else:
            found[ident] = n
    return found


def reference_problems(source: Source, known_kb_slugs: set[str] | None = None) -> list[Problem]:
    """Every cross-reference problem of the merged raw catalog, errors and warnings."""
    report, data = Report(source), source.data
    teams = unique_ids(report, data, "teams", "team")
    categories = unique_ids(report, data, "categories", "category")
    unique_ids(report, data, "items", "item")
    calendars = data.get("calendars") if isinstance(data.get("calendars"), dict) else {}
    policies = data.get("sla") if isinstance(data.get("sla"), dict) else {}
    used_teams, used_categories = set(), set()
    for i, item in entries(data, "items"):
        at = ("items", i)
        used_teams.add(str(item.get("team")))
        used_categories.add(str(item.get("category")))
        report.unknown((*at, "team"), item.get("team"), teams, "team")
        report.unknown((*at, "category"), item.get("category"), categories, "category")
        if "sla" in item:
            report.unknown((*at, "sla"), item.get("sla"), policies, "SLA policy")
        elif policies and "default" not in policies:
            report.warning(at, "the item names no sla and no SLA policy is named default: "
                               "its tickets get no SLA")
        fields = check_fields(report, item, at)
        used_teams |= check_approval(report, item, at, teams, fields)
        check_title(report, item, at, fields)
        check_priority_from(report, item, at, fields)
        if known_kb_slugs is not None and isinstance(item.get("kb"), list):
            for k, slug in enumerate(item["kb"]):
                if isinstance(slug, str) and slug not in known_kb_slugs:
                    report.warning((*at, "kb", k), f"no knowledge-base article '{slug}'"
                                                   f"{did_you_mean(slug, known_kb_slugs)}")
    for name, policy in policies.items():
        if isinstance(policy, dict):
            check_policy(report, name, policy, calendars)
    for category_id, n in categories.items():
        if category_id not in used_categories:
            report.warning(("categories", n), f"category '{category_id}' has no items",
                           loud=True)
    for team_id, n in teams.items():
        if team_id not in used_teams:
            report.warning(("teams", n), f"team '{team_id}' is not used by any item")
    return report.problems


def check_policy(report: Report, name, policy: dict, calendars: dict) -> None:
    """An SLA policy's calendars must exist."""
    report.unknown(("sla", name, "calendar"), policy.get("calendar"), calendars, "calendar")
    targets = policy.get("targets")
    if isinstance(targets, dict):
        for priority, target in targets.items():
            if isinstance(target, dict):
                report.unknown(("sla", name, "targets", priority, "calendar"),
                               target.get("calendar"), calendars, "calendar")


def check_approval(report: Report, item: dict, at: tuple, teams, fields: dict) -> set:
    """Approval steps name known teams and `user` fields; returns the teams named."""
    named = set()
    for s, step in entries(item, "approval"):
        team, name = step.get("team"), step.get("field")
        if isinstance(team, str):
            named.add(team)
            report.unknown((*at, "approval", s, "team"), team, teams, "team")
        path = (*at, "approval", s, "field")
        if isinstance(name, str) and not report.unknown(path, name, fields, "field"):
            kind = type_of(fields[name])
            if kind != "user":
                report.error(path, f"approval field '{name}' is a {kind} field; an approver "
                                   "must come from a user field")
    return named


def check_title(report: Report, item: dict, at: tuple, fields: dict) -> None:
    """Every {placeholder} in the title names a field with a value."""
    title = item.get("title")
    texts = {(): title} if isinstance(title, str) else title if isinstance(title, dict) else {}
    inputs = [f for f, spec in fields.items() if type_of(spec) not in DISPLAY_TYPES]
    for locale, text in texts.items():
        path = (*at, "title", *((locale,) if locale != () else ()))
        for match in PLACEHOLDER.finditer(text if isinstance(text, str) else ""):
            name = match.group(1).strip()
            if name in inputs:
                continue
            if name in fields:
                report.error(path, f"title placeholder {{{name}}} names a "
                                   f"{type_of(fields[name])} field, which has no value")
            else:
                report.error(path, f"title placeholder {{{name}}} names no field"
                                   f"{did_you_mean(name, inputs)}")


def check_priority_from(report: Report, item: dict, at: tuple, fields: dict) -> None:
    """priority_from names select or radio fields valued high, medium and low."""
    rule = item.get("priority_from")
    if not isinstance(rule, dict):
        return
    for role in ("impact", "urgency"):
        path, name = (*at, "priority_from", role), rule.get(role)
        if not isinstance(name, str) or report.unknown(path, name, fields, "field"):
            continue
        spec = fields[name]
        values = set(option_values(spec))
        if type_of(spec) not in ("select", "radio"):
            report.error(path, f"priority_from {role} '{name}' is a {type_of(spec)} field; "
                               "it must be a select or radio field")
        elif not values or not values <= LEVELS:
            odd = ", ".join(sorted(values - LEVELS)) or "none"
            report.error(path, f"priority_from {role} '{name}' must have the options high, "
                               f"medium and low (other values: {odd})")


