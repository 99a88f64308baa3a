"""One class per catalog field type, owning all the portal knows of it beyond the catalog's
model: the WTForms field, the widget and its HTML attributes, the value, pre-fill, how an
answer reads and how the status page shows it. A new type is a class here and a model in
portal/catalog/fields.py."""

from .base import FieldType, display_text, option_label, options_of
from .choices import CheckboxType, ChoiceType, MultiChoiceType, RadioType, TickBoxesType
from .links import PhoneType, UrlType
from .moments import DateTimeType
from .numbers_and_dates import LARGEST_NUMBER, DateType, NumberType
from .text import EmailType, TextAreaType, TextType, UserType
from .uploads import DisplayOnly, FileType

FIELD_TYPES: dict[str, FieldType] = {
    "text": TextType(),
    "textarea": TextAreaType(),
    "email": EmailType(),
    "url": UrlType(),
    "phone": PhoneType(),
    "number": NumberType(),
    "date": DateType(),
    "datetime": DateTimeType(),
    "select": ChoiceType(),
    "multiselect": MultiChoiceType(),
    "radio": RadioType(),
    "checkbox": CheckboxType(),
    "checkboxes": TickBoxesType(),
    "file": FileType(),
    "user": UserType(),
    "markdown": DisplayOnly(),
    "section": DisplayOnly(),
}


def field_type(spec) -> FieldType:
    """The field type of a catalog field (or of a stored answer's type name)."""
    return FIELD_TYPES[spec if isinstance(spec, str) else spec.type]


__all__ = ["FIELD_TYPES", "LARGEST_NUMBER", "FieldType", "display_text", "field_type",
           "option_label", "options_of"]
