"""Rules for one item's fields: ids, show_if references, options, patterns and bounds."""

from datetime import date
from typing import TYPE_CHECKING

from .fields import CHOICE_TYPES, DISPLAY_TYPES, FIELD_MODELS
from .patterns import PatternError, compile_pattern
from .problems import did_you_mean
from .units import date_bound_offset, resolve_date_bound

if TYPE_CHECKING:
    from .references import Report

__all__ = ["DISPLAY_TYPES", "check_fields", "entries", "option_values", "type_of"]

# What each operator asks for, in the words of its error message.
OPERATOR_NEEDS = {
    "checked": "'checked' tests a checkbox",
    "contains": "'contains' tests a multiselect or checkboxes field",
    "gt": "'gt' compares numbers and dates",
    "lt": "'lt' compares numbers and dates",
}


def entries(data, key) -> list[tuple[int, dict]]:
    """(index, mapping) for each mapping in the list at data[key]."""
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [(n, entry) for n, entry in enumerate(value) if isinstance(entry, dict)]


def option_values(spec: dict) -> list[str]:
    """The option values of a raw field (text options are their own value)."""
    options = spec.get("options")
    if not isinstance(options, list):
        return []
    values = [o.get("value") if isinstance(o, dict) else o for o in options]
    return [v for v in values if isinstance(v, str)]


def type_of(spec: dict) -> str | None:
    """A raw field's type when it is text (anything else is a structural error)."""
    kind = spec.get("type")
    return kind if isinstance(kind, str) else None


def check_fields(report: "Report", item: dict, at: tuple) -> dict[str, dict]:
    """Per-field rules; returns field id -> raw field (first of each id)."""
    fields: dict[str, dict] = {}
    order: dict[str, int] = {}
    for j, spec in entries(item, "fields"):
        path = (*at, "fields", j)
        ident = spec.get("id")
        if isinstance(ident, str):
            if ident in fields:
                first = report.where((*at, "fields", order[ident]))
                report.error((*path, "id"), f"duplicate field id '{ident}' in this item "
                                            f"(first at {first})")
            else:
                fields[ident], order[ident] = spec, j
    for j, spec in entries(item, "fields"):
        path = (*at, "fields", j)
        check_show_if(report, spec.get("show_if"), (*path, "show_if"), spec, fields, order, j)
        check_field_rules(report, spec, path)
    return fields


def conditions(cond, path: tuple):
    """(path, condition) for every single-field condition inside all/any nesting."""
    if not isinstance(cond, dict):
        return
    if "all" in cond or "any" in cond:
        for key in ("all", "any"):
            for n, sub in enumerate(cond.get(key) if isinstance(cond.get(key), list) else []):
                yield from conditions(sub, (*path, key, n))
    elif "field" in cond:
        yield path, cond


def check_show_if(report, cond, path, spec, fields, order, position) -> None:
    """show_if may only depend on earlier fields that hold a value, with fitting operators."""
    for cpath, single in conditions(cond, path):
        name = single.get("field")
        if not isinstance(name, str):
            continue
        where = (*cpath, "field")
        if name == spec.get("id"):
            report.error(where, f"show_if of '{name}' depends on the field itself")
        elif name not in fields:
            earlier = [f for f, n in order.items() if n < position]
            report.error(where, f"show_if names unknown field '{name}'"
                                f"{did_you_mean(name, earlier)}")
        elif order[name] > position:
            report.error(where, f"show_if names field '{name}', which comes later; a field "
                                "may only depend on fields before it")
        else:
            check_operator(report, cpath, single, name, fields[name])


def check_operator(report: "Report", path: tuple, cond: dict, name: str, target: dict) -> None:
    """The operator suits the type of the field it tests."""
    kind = type_of(target)
    ops = [op for op in cond if op != "field"]
    op = ops[0] if len(ops) == 1 else None
    model = FIELD_MODELS.get(kind)
    if kind in DISPLAY_TYPES:
        report.error((*path, "field"), f"show_if names '{name}', a {kind} field, which has "
                                       "no value")
    elif model is not None and op in OPERATOR_NEEDS and op not in model.operators:
        report.error((*path, op), f"{OPERATOR_NEEDS[op]}, but '{name}' is a {kind} field")
    elif model is not None and op is not None and op not in model.operators:
        report.error((*path, op), f"'{op}' does not apply to '{name}', a {kind} field")
    elif op in ("equals", "not_equals", "in", "not_in", "contains") and kind in CHOICE_TYPES:
        values = option_values(target)
        given = cond[op] if isinstance(cond[op], list) else [cond[op]]
        for n, value in enumerate(given):
            if isinstance(value, str | int | float) and str(value) not in values:
                where = (*path, op, n) if isinstance(cond[op], list) else (*path, op)
                report.error(where, f"{value!r} is not an option of field '{name}'"
                                    f"{did_you_mean(value, values)}")


def check_field_rules(report: "Report", spec: dict, path: tuple) -> None:
    """Defaults among options, patterns that compile, bounds the right way round."""
    kind = type_of(spec)
    if kind in CHOICE_TYPES:
        values = option_values(spec)
        seen = set()
        options = spec["options"] if isinstance(spec.get("options"), list) else []
        for o, option in enumerate(options):
            value = option.get("value") if isinstance(option, dict) else option
            if isinstance(value, str) and value in seen:
                report.error((*path, "options", o), f"duplicate option value '{value}'")
            seen.add(value if isinstance(value, str) else None)
        default = spec.get("default")
        for value in default if isinstance(default, list) else [default]:
            if isinstance(value, str) and value not in values:
                report.error((*path, "default"), f"default {value!r} is not among the options"
                                                 f"{did_you_mean(value, values)}")
    if isinstance(spec.get("pattern"), str):
        try:
            compile_pattern(spec["pattern"])
        except PatternError as error:
            report.error((*path, "pattern"), f"pattern does not compile: {error} (patterns "
                                             "use RE2 syntax: no backreferences or lookaround)")
    check_bounds(report, spec, path, "min_length", "max_length")
    bounds = FIELD_MODELS[kind].bounds if kind in FIELD_MODELS else None
    if bounds == "number":
        check_bounds(report, spec, path, "min", "max")
        check_default_in_range(report, spec, path)
    elif bounds == "date":
        check_date_bounds(report, spec, path)
    elif bounds == "count":
        check_bounds(report, spec, path, "min", "max")
        low, count = spec.get("min"), len(option_values(spec))
        if isinstance(low, int) and count and low > count:
            report.error((*path, "min"), f"min {low} is more than the {count} options given")


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_bounds(report: "Report", spec: dict, path: tuple, low_key: str, high_key: str) -> None:
    low, high = spec.get(low_key), spec.get(high_key)
    if is_number(low) and is_number(high) and low > high:
        report.error((*path, low_key), f"{low_key} {low} is greater than {high_key} {high}")


def check_default_in_range(report: "Report", spec: dict, path: tuple) -> None:
    default, low, high = spec.get("default"), spec.get("min"), spec.get("max")
    if not is_number(default):
        return
    if (is_number(low) and default < low) or (is_number(high) and default > high):
        report.error((*path, "default"), f"default {default} is outside min..max")


def check_date_bounds(report: "Report", spec: dict, path: tuple) -> None:
    """min after max, when both are fixed dates or both are relative to today."""
    low, high = spec.get("min"), spec.get("max")
    if low is None or high is None:
        return
    if (date_bound_offset(low) is None) != (date_bound_offset(high) is None):
        return  # one moves with today, the other does not: no fixed order
    try:
        today = date.today()
        if resolve_date_bound(low, today) > resolve_date_bound(high, today):
            report.error((*path, "min"), f"min {low} is after max {high}")
    except (ValueError, TypeError):
        pass  # a bad bound is reported by the structural check
