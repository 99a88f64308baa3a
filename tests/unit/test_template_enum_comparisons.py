"""Templates compare enums with enums (Status.RESOLVED, SOLVED, Role.ADMIN…), never an enum's
.value with a string: a renamed value would then make the template quietly wrong."""

from pathlib import Path

import pytest
from jinja2 import Environment, nodes

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
ENV = Environment(extensions=["jinja2.ext.i18n", "jinja2.ext.loopcontrols", "jinja2.ext.do"])


def strings_in(node) -> bool:
    """A string literal, or a literal tuple or list holding one."""
    if isinstance(node, nodes.Const):
        return isinstance(node.value, str)
    if isinstance(node, nodes.Tuple | nodes.List):
        return any(strings_in(item) for item in node.items)
    return False


def is_value(node) -> bool:
    return isinstance(node, nodes.Getattr) and node.attr == "value"


def value_string_comparisons(source: str) -> list[int]:
    """Line numbers where `x.value` is compared with a string or a list of strings."""
    found = []
    for compare in ENV.parse(source).find_all(nodes.Compare):
        left = compare.expr
        for operand in compare.ops:
            pair = (left, operand.expr)
            if any(is_value(a) and strings_in(b) for a, b in (pair, pair[::-1])):
                found.append(compare.lineno)
            left = operand.expr
    return found


@pytest.mark.parametrize("source, lines", [
    ('{% if ticket.status.value in ("resolved", "closed") %}x{% endif %}', [1]),
    ("{% if action.value == 'resolve' %}x{% endif %}", [1]),
    ('{{ "a" if "admin" != user.role.value }}', [1]),
    ("{% if ticket.status in SOLVED and action == Action.RESOLVE %}x{% endif %}", []),
    ('{% if flt.status == "active" or choice.value in chosen %}x{% endif %}', []),
])
def test_the_check_sees_string_comparisons(source, lines):
    assert value_string_comparisons(source) == lines


def test_no_template_compares_an_enum_value_with_a_string():
    offending = [f"{path.relative_to(TEMPLATES)}:{line}"
                 for path in sorted(TEMPLATES.rglob("*")) if path.suffix in {".html", ".txt"}
                 for line in value_string_comparisons(path.read_text(encoding="utf-8"))]
    assert not offending, "compare with the enum or a status set: " + ", ".join(offending)
