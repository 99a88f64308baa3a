"""Build a Flask-WTF form class per catalog item; apply show_if before validation."""

from datetime import date

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from ..catalog import visible_fields
from ..catalog.derived import DerivedCache
from .fieldtypes import FIELD_TYPES

PREFIX = "f_"  # ids such as `data` or `meta` would collide with WTForms' own attributes


def field_name(field_id: str) -> str:
    """The form field name of a catalog field id."""
    return PREFIX + field_id


def input_specs(item):
    """The item's fields that take a value (not markdown or section)."""
    return [spec for spec in item.fields if FIELD_TYPES[spec.type].input]


def build_form(item, locale: str, *, today: date | None = None, query: MultiDict | None = None,
               formdata=None):
    """An instance of the FlaskForm subclass for `item`.

    On GET pass `query` (pre-fill link values, still validated on submit); on POST leave
    `formdata` alone and Flask-WTF reads request.form and request.files.
    """
    today = today or date.today()
    ItemForm = form_class(item, locale, today)  # noqa: N806 - a class
    prefill = {}
    if query is not None:
        for spec in input_specs(item):
            raw = query.getlist(spec.id)
            if raw:
                value = FIELD_TYPES[spec.type].from_query(spec, raw, today)
                if value is not None:
                    prefill[field_name(spec.id)] = value
        form = ItemForm(formdata=None, data=prefill)
    elif formdata is not None:
        form = ItemForm(formdata=formdata)
    else:
        form = ItemForm()
    form.item = item
    form.today = today
    # Nothing typed, nothing pre-filled: the fields look the same for everyone.
    form.blank = formdata is None and query is not None and not prefill
    form.hidden_fields = {}
    return form


# Building a form class costs more than rendering half the page: one per item, language and
# day (date rules depend on it) is built and kept.
_classes = DerivedCache()


def form_class(item, locale: str, today: date) -> type[FlaskForm]:
    """The FlaskForm subclass for `item` in `locale` on `today`."""

    def make():
        class ItemForm(FlaskForm):
            pass

        for spec in input_specs(item):
            setattr(ItemForm, field_name(spec.id),
                    FIELD_TYPES[spec.type].build(spec, locale, today))
        return ItemForm

    return _classes.get(item, (locale, today), make)


def raw_answers(form, item) -> dict:
    """Field id -> the coerced value the form holds (None when absent or unparsable)."""
    return {
        spec.id: form[field_name(spec.id)].data
        for spec in input_specs(item)
        if field_name(spec.id) in form
    }


def apply_show_if(form, item) -> set[str]:
    """Remove fields hidden by their conditions so they are neither required nor validated;
    return the ids of the visible fields."""
    visible = visible_fields(item, raw_answers(form, item))
    for spec in input_specs(item):
        name = field_name(spec.id)
        if spec.id not in visible and name in form:
            # Kept aside so a re-displayed form still shows what was typed there.
            form.hidden_fields[name] = form[name]
            del form[name]
    return visible


def bound_field(form, spec):
    """The form's field for a catalog field, including one removed by show_if."""
    name = field_name(spec.id)
    if name in form:
        return form[name]
    return form.hidden_fields.get(name)


def validate_item_form(form, item) -> bool:
    """show_if first, then the remaining fields' rules; True when the submission is valid."""
    apply_show_if(form, item)
    return form.validate()
