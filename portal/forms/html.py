"""The request form's fields as HTML."""

from flask import render_template
from markupsafe import Markup

from ..catalog.derived import DerivedCache
from ..web.i18n import current_locale
from .builder import bound_field
from .layout import condition_data, describe, sections

# A blank form (a GET without pre-filled values) is the same for everyone who reads the item
# in one language on one day: it is rendered once per process, the page's largest part.
_blank = DerivedCache()


def fields_html(item, form) -> Markup:
    """The fields of `form`, section by section, with their show_if hints and conditions."""
    locale = current_locale()
    if form.blank and not form.errors:
        return _blank.get(item, (locale, form.today), lambda: _render(item, form, locale))
    return _render(item, form, locale)


def _render(item, form, locale) -> Markup:
    hints = {spec.id: describe(spec.show_if, item, locale)
             for spec in item.fields if spec.show_if}
    conditions = {spec.id: condition_data(spec.show_if)
                  for spec in item.fields if spec.show_if}
    html = render_template(
        "catalog/_item_fields.html", form=form, groups=sections(item), hints=hints,
        conditions=conditions, bound_field=bound_field)
    # Markup is safe here: the output of an autoescaped template.
    return Markup(html)  # nosec B704
