"""show_if: evaluate conditions against answers, and work out which fields are visible.

The rules mirror static/js/portal.js, so a form behaves the same with and without scripts.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel


def is_empty(value) -> bool:
    """No answer: None, blank text, an empty list or an unticked box."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or value is False or value == [] or value == ()


def as_text(value) -> str:
    """How an answer or operand compares as text (true/false, ISO dates, plain numbers)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ",".join(as_text(v) for v in value)
    return str(getattr(value, "filename", value))


def as_number(value) -> Decimal | None:
    """A number from a number or numeric text, else None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def as_date(value) -> date | None:
    """A date from a date or ISO text, else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def same(answer, operand) -> bool:
    """Equal as text, or as numbers (2 == 2.0)."""
    if as_text(answer) == as_text(operand):
        return True
    left, right = as_number(answer), as_number(operand)
    return left is not None and right is not None and left == right


def compare(answer, operand) -> int | None:
    """-1, 0 or 1 comparing numbers or dates; None when they are not comparable."""
    for convert in (as_date, as_number) if looks_like_date(answer, operand) else (
            as_number, as_date):
        left, right = convert(answer), convert(operand)
        if left is not None and right is not None:
            return (left > right) - (left < right)
    return None


def looks_like_date(*values) -> bool:
    return any(isinstance(v, date) for v in values) or any(
        isinstance(v, str) and as_date(v) is not None for v in values)


def plain(cond) -> dict:
    """A condition model (or the plain dict the browser gets) as a dict keyed as in YAML."""
    if isinstance(cond, BaseModel):
        return cond.model_dump(by_alias=True, exclude_unset=True)
    return cond if isinstance(cond, dict) else {}


def evaluate(cond, answers: dict) -> bool:
    """Whether a show_if condition holds for the answers (field id -> value); None holds."""
    if cond is None:
        return True
    data = plain(cond)
    if "all" in data:
        return all(evaluate(c, answers) for c in data["all"])
    if "any" in data:
        return any(evaluate(c, answers) for c in data["any"])
    value = answers.get(data.get("field"))
    empty = is_empty(value)
    op = next((k for k in data if k != "field"), None)
    operand = data.get(op)
    if op == "equals":
        return not empty and same(value, operand)
    if op == "not_equals":
        return empty or not same(value, operand)
    if op == "in":
        return not empty and any(same(value, o) for o in operand or [])
    if op == "not_in":
        return empty or not any(same(value, o) for o in operand or [])
    if op == "checked":
        return bool(value) == bool(operand)
    if op == "filled":
        return (not empty) == bool(operand)
    if op in ("gt", "lt"):
        order = None if empty else compare(value, operand)
        return order is not None and order == (1 if op == "gt" else -1)
    if op == "contains":
        if isinstance(value, list | tuple):
            return any(same(v, operand) for v in value)
        return not empty and same(value, operand)
    return True


def visible_fields(item, answers: dict) -> set[str]:
    """Ids of the fields shown for these answers: a field shows when its own show_if holds and
    its section (the nearest section before it) shows. Hidden answers count as empty."""
    visible: set[str] = set()
    seen: dict = {}  # answers of visible fields so far; a condition only looks back
    section_shown = True
    for spec in item.fields:
        shown_here = evaluate(spec.show_if, seen)
        if spec.starts_section:
            section_shown = shown_here
        elif not section_shown:
            shown_here = False
        if shown_here:
            visible.add(spec.id)
            if spec.id in answers:
                seen[spec.id] = answers[spec.id]
    return visible
