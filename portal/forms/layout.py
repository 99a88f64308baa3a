"""How an item's form is laid out: sections grouping fields, and readable show_if hints."""

from flask_babel import gettext as _

from ..catalog import localize
from .fieldtypes import option_label


def condition_data(cond):
    """A show_if condition as plain JSON-able data (for the browser and for describing)."""
    if cond is None:
        return None
    if hasattr(cond, "model_dump"):
        return cond.model_dump(mode="json", exclude_none=True, by_alias=True)
    return cond


def sections(item) -> list[dict]:
    """Fields grouped under their section: [{"section": spec | None, "fields": [...]}]."""
    groups = [{"section": None, "fields": []}]
    for spec in item.fields:
        if spec.starts_section:
            groups.append({"section": spec, "fields": []})
        else:
            groups[-1]["fields"].append(spec)
    return [g for g in groups if g["section"] is not None or g["fields"]]


def describe(cond, item, locale: str) -> str:
    """'“Who is it for?” is “A new hire”' — the hint shown when scripts are off."""
    data = condition_data(cond)
    if not data:
        return ""
    if "all" in data:
        return _(" and ").join(describe(c, item, locale) for c in data["all"])
    if "any" in data:
        return _(" or ").join(describe(c, item, locale) for c in data["any"])
    spec = item.field(data["field"])
    label = localize(spec.label, locale) if spec else data["field"]

    def shown(value):
        if isinstance(value, list):
            return ", ".join(shown(v) for v in value)
        return localize(option_label(spec, value), locale) if spec else str(value)

    op = next(k for k in data if k != "field")
    value = data[op]
    phrases = {
        "equals": _("“%(field)s” is “%(value)s”"),
        "not_equals": _("“%(field)s” is not “%(value)s”"),
        "in": _("“%(field)s” is one of: %(value)s"),
        "not_in": _("“%(field)s” is none of: %(value)s"),
        "gt": _("“%(field)s” is more than %(value)s"),
        "lt": _("“%(field)s” is less than %(value)s"),
        "contains": _("“%(field)s” includes “%(value)s”"),
    }
    if op == "checked":
        text = _("“%(field)s” is ticked") if value else _("“%(field)s” is not ticked")
        return text % {"field": label}
    if op == "filled":
        text = _("“%(field)s” is filled in") if value else _("“%(field)s” is left empty")
        return text % {"field": label}
    return phrases.get(op, "%(field)s") % {"field": label, "value": shown(value)}
