"""Pydantic models of catalog.yaml: every key of CATALOG-SPEC.md, and no other (extra="forbid").

Field models live in fields.py, calendars and SLA policies in sla.py; all are re-exported here.
"""

import hashlib
import json
from typing import Annotated, Literal

from annotated_types import Ge
from pydantic import BaseModel, PrivateAttr, Strict, StringConstraints, model_validator

from .basetypes import Bool, Email, Id, Localized, Model, Priority, has_key, is_text, one_of
from .fields import (  # noqa: F401 - re-exported
    CHOICE_TYPES,
    FIELD_MODELS,
    AllCondition,
    AnyCondition,
    CheckboxField,
    ChoiceField,
    Condition,
    DateField,
    FieldCondition,
    FieldSpec,
    FileField,
    MarkdownField,
    MultiChoiceField,
    NumberField,
    Option,
    SectionField,
    TextField,
    UserField,
)
from .sla import Calendar, SlaPolicy, SlaTarget  # noqa: F401 - re-exported


class Team(Model):
    """A routing target: a queue of agents (membership is data, not YAML)."""

    id: Id
    name: Localized
    tier: Annotated[int, Strict(), Ge(1)] = 1
    email: Email | None = None


class Category(Model):
    """A group of items on the catalog's pages."""

    id: Id
    name: Localized
    description: Localized | None = None
    icon: Id | None = None


class MatrixRow(Model):
    """Priority by urgency, for one impact level."""

    high: Priority
    medium: Priority
    low: Priority


class PriorityMatrix(Model):
    """Priority by impact (rows) and urgency (columns)."""

    high: MatrixRow
    medium: MatrixRow
    low: MatrixRow


class PriorityFrom(Model):
    """Compute the priority from two fields valued high, medium or low."""

    impact: Id
    urgency: Id


class TeamStep(Model):
    """Any one member of this team approves."""

    team: Id


class UserStep(Model):
    """This person approves."""

    user: Email


class FieldStep(Model):
    """The user chosen in this `user` field approves."""

    field: Id


ApprovalStep = one_of(
    "an approval step: manager, {team: ID}, {user: EMAIL} or {field: ID}",
    ("<manager>", Literal["manager"], is_text),
    ("<team-step>", TeamStep, has_key("team")),
    ("<user-step>", UserStep, has_key("user")),
    ("<field-step>", FieldStep, has_key("field")),
)


def item_version(raw) -> str:
    """12 hex digits of sha256 over the item's canonical JSON: changes when the item does."""
    def plain(value):
        if isinstance(value, BaseModel):
            return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
        return str(value)

    try:
        text = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                          default=plain)
    except TypeError:  # keys of mixed types cannot be sorted; still deterministic
        text = repr(raw)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


class Item(Model):
    """A service people can request: where it is routed, how it is prioritised, its form."""

    id: Id
    category: Id
    name: Localized
    summary: Localized | None = None
    description: Localized | None = None
    type: Literal["request", "incident", "change", "access"] = "request"
    team: Id
    priority: Priority = "P3"
    priority_from: PriorityFrom | None = None
    title: Localized | None = None
    kb: list[Id] = []
    tags: list[Annotated[str, StringConstraints(min_length=1)]] = []
    approval: list[ApprovalStep] = []
    sla: Id | None = None
    restricted: Bool = False
    fields: list[FieldSpec] = []

    _version: str = PrivateAttr(default="")

    @model_validator(mode="wrap")
    @classmethod
    def _remember_version(cls, data, handler):
        item = handler(data)
        if isinstance(data, dict):
            item._version = item_version(data)
        return item

    @property
    def version(self) -> str:
        """A short stable hash of the item as written; tickets keep it as a snapshot key."""
        return self._version or item_version(self)

    def field(self, field_id: str):
        """The field with this id, or None."""
        return next((f for f in self.fields if f.id == field_id), None)

    @property
    def input_fields(self) -> list:
        """The fields that take a value (not markdown or section)."""
        return [f for f in self.fields if f.is_input]


class Catalog(Model):
    """The service catalog: teams, categories, items and the SLA policies they use."""

    version: Literal[1] = 1
    include: list[str] = []
    teams: list[Team] = []
    categories: list[Category] = []
    priority_matrix: PriorityMatrix | None = None
    items: list[Item] = []
    calendars: dict[Id, Calendar] = {}
    sla: dict[Id, SlaPolicy] = {}

    def item(self, item_id: str) -> Item | None:
        """The item with this id, or None."""
        return next((i for i in self.items if i.id == item_id), None)

    def team(self, team_id: str) -> Team | None:
        """The team with this id, or None."""
        return next((t for t in self.teams if t.id == team_id), None)

    def category(self, category_id: str) -> Category | None:
        """The category with this id, or None."""
        return next((c for c in self.categories if c.id == category_id), None)

    def items_in(self, category_id: str) -> list[Item]:
        """The items of a category, in catalog order."""
        return [i for i in self.items if i.category == category_id]

    def sla_for(self, item: Item) -> SlaPolicy | None:
        """The item's SLA policy: the one it names, else the one named default, else None."""
        return self.sla.get(item.sla or "default")
