"""Form field models (a union discriminated on `type`), their options and show_if conditions."""

from typing import Annotated, ClassVar, Literal, Union

from annotated_types import MinLen
from pydantic import Field, StringConstraints, model_validator

from .basetypes import (
    Bool,
    Comparable,
    Count,
    DateBound,
    Email,
    Id,
    Localized,
    Model,
    Number,
    OneOrMany,
    PositiveNumber,
    Scalar,
    Size,
    has_key,
    is_mapping,
    is_text,
    one_of,
)

OPERATORS = ("equals", "not_equals", "in", "not_in", "checked", "filled", "gt", "lt", "contains")
# What show_if may ask of any field that holds a value; each model adds its own.
VALUE_OPERATORS = frozenset({"equals", "not_equals", "in", "not_in", "filled"})
ORDER_OPERATORS = VALUE_OPERATORS | {"gt", "lt"}


class FieldCondition(Model):
    """One test on an earlier field's answer: {field: ID, OPERATOR: VALUE}."""

    field: Id
    equals: Scalar | None = None
    not_equals: Scalar | None = None
    in_: list[Scalar] | None = Field(None, alias="in")
    not_in: list[Scalar] | None = None
    checked: Bool | None = None
    filled: Bool | None = None
    gt: Comparable | None = None
    lt: Comparable | None = None
    contains: Scalar | None = None

    @model_validator(mode="after")
    def _one_operator(self):
        given = [op for op in OPERATORS if self._key(op) in self.model_fields_set]
        if len(given) != 1:
            listed = ", ".join(OPERATORS)
            raise ValueError(f"a condition needs exactly one of {listed} next to field: "
                             f"{'got ' + ' and '.join(given) if given else 'none given'}")
        return self

    @staticmethod
    def _key(op: str) -> str:
        return "in_" if op == "in" else op

    @property
    def op(self) -> str:
        """The operator this condition uses, e.g. 'equals'."""
        return next(op for op in OPERATORS if self._key(op) in self.model_fields_set)

    @property
    def value(self):
        """The operand of the operator."""
        return getattr(self, self._key(self.op))


class AllCondition(Model):
    """True when every condition listed holds."""

    all: Annotated[list["Condition"], MinLen(1)]


class AnyCondition(Model):
    """True when at least one condition listed holds."""

    any: Annotated[list["Condition"], MinLen(1)]


Condition = one_of(
    "a condition: {field: ID, equals: VALUE} (or another operator), {all: [...]} or {any: [...]}",
    ("<all>", AllCondition, has_key("all")),
    ("<any>", AnyCondition, has_key("any")),
    ("<condition>", FieldCondition, is_mapping),
)
AllCondition.model_rebuild()
AnyCondition.model_rebuild()


class Option(Model):
    """A choice: the value stored and the label shown (the value when no label is given)."""

    value: Annotated[str, StringConstraints(min_length=1)]
    label: Localized | None = None


OptionSpec = one_of("an option: text, or {value: ..., label: ...}",
                    ("<plain>", Annotated[str, StringConstraints(min_length=1)], is_text),
                    ("<option>", Option, is_mapping))


class FieldBase(Model):
    id: Id
    help: Localized | None = None
    show_if: Condition | None = None

    is_input: ClassVar[bool] = True  # False for markdown and section: they hold no value
    starts_section: ClassVar[bool] = False  # a section groups the fields after it
    operators: ClassVar[frozenset[str]] = VALUE_OPERATORS  # the show_if tests that apply
    # Which pairs of keys the catalog check keeps the right way round: "number" (min/max and
    # the default between them), "date" (min/max as date bounds) or "count" (how many options).
    bounds: ClassVar[str | None] = None


class InputField(FieldBase):
    label: Localized
    placeholder: Localized | None = None
    required: Bool = False


class TextField(InputField):
    """A one-line text, a multi-line text, an email address, a web address (http or https)
    or a phone number."""

    type: Literal["text", "textarea", "email", "url", "phone"]
    default: str | None = None
    min_length: Count | None = None
    max_length: Count | None = None
    pattern: str | None = None
    pattern_message: Localized | None = None


class NumberField(InputField):
    """A number, optionally within min..max and in steps."""

    type: Literal["number"]
    default: Number | None = None
    min: Number | None = None
    max: Number | None = None
    step: PositiveNumber | None = None

    operators: ClassVar[frozenset[str]] = ORDER_OPERATORS
    bounds: ClassVar[str | None] = "number"


class DateField(InputField):
    """A date, optionally within bounds such as today+3d."""

    type: Literal["date"]
    default: DateBound | None = None
    min: DateBound | None = None
    max: DateBound | None = None

    operators: ClassVar[frozenset[str]] = ORDER_OPERATORS
    bounds: ClassVar[str | None] = "date"


class DateTimeField(InputField):
    """A date and time, entered and shown in the portal's time zone and stored in UTC;
    optionally within days such as today+1d (from the start of min's day to the end of max's)."""

    type: Literal["datetime"]
    min: DateBound | None = None
    max: DateBound | None = None

    operators: ClassVar[frozenset[str]] = ORDER_OPERATORS
    bounds: ClassVar[str | None] = "date"


class ChoiceMixin:
    options: list

    @property
    def choices(self) -> list[Option]:
        """The options as Option(value, label) whether written as text or as pairs."""
        return [Option(value=o, label=o) if isinstance(o, str) else o for o in self.options]

    @property
    def option_values(self) -> list[str]:
        """The values an answer may take."""
        return [o if isinstance(o, str) else o.value for o in self.options]


class ChoiceField(ChoiceMixin, InputField):
    """Pick one option: a drop-down (select) or radio buttons."""

    type: Literal["select", "radio"]
    options: Annotated[list[OptionSpec], MinLen(1)]
    default: str | None = None


class MultiChoiceField(ChoiceMixin, InputField):
    """Pick any number of options; min and max bound how many."""

    type: Literal["multiselect", "checkboxes"]
    options: Annotated[list[OptionSpec], MinLen(1)]
    default: OneOrMany | None = None
    min: Count | None = None
    max: Count | None = None

    operators: ClassVar[frozenset[str]] = VALUE_OPERATORS | {"contains"}
    bounds: ClassVar[str | None] = "count"


class CheckboxField(InputField):
    """A single tick box (yes or no)."""

    type: Literal["checkbox"]
    default: Bool | None = None

    operators: ClassVar[frozenset[str]] = VALUE_OPERATORS | {"checked"}


class FileField(InputField):
    """An upload, limited by extension and size."""

    type: Literal["file"]
    accept: list[Annotated[str, StringConstraints(pattern=r"^\.[A-Za-z0-9_-]+$")]] = []
    max_size: Size | None = None


class UserField(InputField):
    """A portal user, picked by name or email."""

    type: Literal["user"]
    default: Email | None = None


class MarkdownField(FieldBase):
    """Text shown on the form; not an input."""

    type: Literal["markdown"]
    label: Localized | None = None
    text: Localized

    is_input: ClassVar[bool] = False
    operators: ClassVar[frozenset[str]] = frozenset()


class SectionField(FieldBase):
    """A heading that groups the fields after it, up to the next section."""

    type: Literal["section"]
    label: Localized

    is_input: ClassVar[bool] = False
    starts_section: ClassVar[bool] = True
    operators: ClassVar[frozenset[str]] = frozenset()


FIELD_CLASSES = (TextField, NumberField, DateField, DateTimeField, ChoiceField, MultiChoiceField,
                 CheckboxField, FileField, UserField, MarkdownField, SectionField)
FIELD_MODELS = {kind: cls for cls in FIELD_CLASSES
                for kind in cls.model_fields["type"].annotation.__args__}
FieldSpec = Annotated[Union[FIELD_CLASSES], Field(discriminator="type")]  # noqa: UP007
CHOICE_TYPES = {kind for kind, cls in FIELD_MODELS.items() if issubclass(cls, ChoiceMixin)}
DISPLAY_TYPES = {kind for kind, cls in FIELD_MODELS.items() if not cls.is_input}
