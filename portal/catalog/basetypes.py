"""Building blocks of the catalog models: ids, localised text, tagged unions, units."""

from datetime import date
from typing import Annotated, Literal, Union

from annotated_types import Ge, Gt, MinLen
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    StringConstraints,
    Tag,
)

from ..config import LANGUAGES, PRIORITIES
from .units import parse_size, resolve_date_bound

ID_PATTERN = r"^[a-z0-9_-]+$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
LOCALE_PATTERN = r"^[a-z]{2,3}([_-][A-Za-z0-9]+)*$"
# A JSON Schema cannot say "today+3d"; this pattern lets editors check date bounds too.
DATE_BOUND_PATTERN = r"^(today([+-][0-9]+d)?|[0-9]{4}-[0-9]{2}-[0-9]{2})$"
SIZE_PATTERN = r"^[0-9]+(\.[0-9]+)? ?([kKmMgG]?[bB])?$"
DURATION_PATTERN = r"^([0-9]+h)?([0-9]+m)?$"
# What the parsers behind the patterns above refuse too, for editors: a duration is not
# empty, a date has a month 01-12 and a day 01-31 (2026-02-30 still needs the check).
DURATION_SCHEMA_PATTERN = r"^([0-9]+h([0-9]+m)?|[0-9]+m)$"
ISO_DATE = r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
DATE_SCHEMA_PATTERN = rf"^{ISO_DATE}$"
DATE_BOUND_SCHEMA_PATTERN = rf"^(today([+-][0-9]+d)?|{ISO_DATE})$"

# Tags of the unions below; the checks drop them from pydantic's error locations.
UNION_TAGS: set[str] = set()


class Model(BaseModel):
    """Base of every catalog model: unknown keys are errors; parsed catalogs are immutable."""

    # Attribute docstrings become the schema's descriptions, shown when a maintainer hovers
    # over a key in their editor.
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


def is_text(value) -> bool:
    return isinstance(value, str)


def is_mapping(value) -> bool:
    return isinstance(value, dict | BaseModel)


def is_list(value) -> bool:
    return isinstance(value, list | tuple)


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_date(value) -> bool:
    return isinstance(value, date)


def has_key(key: str):
    """A test for a mapping (or model) with this key."""
    return lambda value: (isinstance(value, dict) and key in value) or (
        isinstance(value, BaseModel) and key in type(value).model_fields)


def one_of(expected: str, *variants: tuple):
    """A union picked by the shape of the value, so a wrong value gets one clear error
    ("expected ...") instead of one per variant. Variants are (tag, type, test)."""
    def pick(value):
        return next((tag for tag, _kind, test in variants if test(value)), None)

    UNION_TAGS.update(tag for tag, _kind, _test in variants)
    choices = tuple(Annotated[kind, Tag(tag)] for tag, kind, _test in variants)
    return Annotated[Union[choices], Discriminator(  # noqa: UP007 - a tuple of choices
        pick, custom_error_type="wrong_type", custom_error_message=f"expected {expected}")]


def _check_date_bound(value: str) -> str:
    resolve_date_bound(value, date.today())
    return value


def _check_size(value: str) -> str:
    parse_size(value)
    return value


def schema_only(**keywords) -> Field:
    """JSON Schema keywords that add nothing to validation: the check says the same in code."""
    return Field(json_schema_extra=keywords)


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Email = Annotated[str, StringConstraints(pattern=EMAIL_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]
Int = Annotated[int, Strict()]
Count = Annotated[int, Strict(), Ge(0)]
Bool = Annotated[bool, Strict()]
Priority = Literal[PRIORITIES]
Level = Literal["high", "medium", "low"]

# Editors complete the portal's own languages; other codes are accepted (docs/catalog.md, 7).
LANGUAGE_NAMES = {"en": "English", "pl": "Polish", "es": "Spanish",
                  "fa": "Persian (shown right to left)"}
BY_LANGUAGE = {code: {"type": "string",
                      "description": f"The text in {LANGUAGE_NAMES.get(code, name)}."}
               for code, name in LANGUAGES.items()}
Localized = one_of(
    "text, or text by locale such as {en: Laptop, pl: Laptop}",
    ("<text>", str, is_text),
    ("<by-locale>", Annotated[
        dict[Annotated[str, StringConstraints(pattern=LOCALE_PATTERN)], str], MinLen(1),
        schema_only(properties=BY_LANGUAGE),
    ], is_mapping),
)
Number = one_of("a number", ("<int>", Int, is_int), ("<float>", Annotated[float, Strict()],
                                                      lambda v: isinstance(v, float)))
PositiveNumber = one_of("a number above 0",
                        ("<int>", Annotated[int, Strict(), Gt(0)], is_int),
                        ("<float>", Annotated[float, Strict(), Gt(0)],
                         lambda v: isinstance(v, float)))
Scalar = one_of(
    "text, a number, true/false or a date",
    ("<text>", str, is_text),
    ("<bool>", Bool, lambda v: isinstance(v, bool)),
    ("<number>", Number, is_number),
    ("<date>", date, is_date),
)
Comparable = one_of(
    "a number or a date",
    ("<number>", Number, is_number),
    ("<date>", date, is_date),
    ("<iso-date>", Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")],
     is_text),
)
DateBound = one_of(
    "a date such as 2026-01-01, or today, today+Nd, today-Nd",
    ("<date>", Annotated[date, schema_only(pattern=DATE_SCHEMA_PATTERN)], is_date),
    ("<bound>", Annotated[str, StringConstraints(pattern=DATE_BOUND_PATTERN),
                          AfterValidator(_check_date_bound),
                          schema_only(pattern=DATE_BOUND_SCHEMA_PATTERN)], is_text),
)
Size = one_of(
    "a size such as 5MB (or a number of bytes)",
    ("<bytes>", Count, is_int),
    ("<size>", Annotated[str, StringConstraints(pattern=SIZE_PATTERN),
                         AfterValidator(_check_size)], is_text),
)
OneOrMany = one_of("an option value or a list of them",
                   ("<one>", str, is_text), ("<many>", list[str], is_list))
