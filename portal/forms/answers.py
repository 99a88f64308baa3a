"""Turn a validated item form into answer snapshots."""

import re

from ..catalog import localize
from .builder import field_name, input_specs
from .fieldtypes import FIELD_TYPES, display_text

__all__ = ["display_text", "render_title", "snapshots"]  # display_text: read by the KB too


def snapshots(form, item, locale: str) -> list[dict]:
    """One dict per answered visible field: field id, type, label, value and display value.

    Labels and display values keep the catalog's localised form, so the ticket reads right in
    any language after the item changes.
    """
    result = []
    for position, spec in enumerate(input_specs(item)):
        name = field_name(spec.id)
        if name not in form:
            continue  # hidden by show_if: its value is discarded
        kind = FIELD_TYPES[spec.type]
        value = kind.value(form[name].data)
        if value is None and not kind.upload:
            continue
        if kind.upload and not getattr(form[name].data, "filename", ""):
            continue
        result.append({
            "position": position,
            "field_id": spec.id,
            "field_type": spec.type,
            "label": spec.label,
            "value": value,
            "display": kind.display(spec, value, locale),
        })
    return result


PLACEHOLDER = re.compile(r"\{([a-z0-9_-]+)\}")


def render_title(item, answers: list[dict], locale: str) -> str:
    """The item's title template with {field_id} filled from the answers; the item's name
    when there is no template."""
    template = localize(item.title, locale) if item.title else ""
    if not template:
        return localize(item.name, locale)[:300]
    by_id = {a["field_id"]: display_text(a["display"], locale) for a in answers}
    if PLACEHOLDER.search(template) and not any(
            by_id.get(name) for name in PLACEHOLDER.findall(template)):
        return localize(item.name, locale)[:300]  # "Laptop for –" says less than the name
    title = PLACEHOLDER.sub(lambda m: by_id.get(m.group(1), ""), template)
    title = re.sub(r"\s+", " ", title).strip(" -–—:,")
    return (title or localize(item.name, locale))[:300]
