"""Pydantic models of catalog.yaml: every key of docs/catalog.md, and no other (extra="forbid").

Field models live in fields.py, calendars and SLA policies in sla.py, the priority rules in
priority.py and approval steps in approvals.py; all are re-exported here.
"""

import hashlib
import json
from typing import Annotated, Literal

from annotated_types import Ge
from pydantic import BaseModel, PrivateAttr, Strict, StringConstraints, model_validator

from .approvals import ApprovalStep, FieldStep, TeamStep, UserStep  # noqa: F401 - re-exported
from .basetypes import (
    Bool,
    Email,
    Id,
    Localized,
    Model,
    Priority,
    schema_only,
)
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
from .limits import MAX_INCLUDE_PATTERNS
from .priority import MatrixRow, PriorityFrom, PriorityMatrix  # noqa: F401 - re-exported
from .sla import Calendar, SlaPolicy, SlaTarget  # noqa: F401 - re-exported

# What includes.py refuses, for editors: a path relative to the catalog's folder, without
# '..', with wildcards in the file name only (catalog.d/*.yaml).
INCLUDE_SCHEMA_PATTERN = r"^(?![/~])(?!(.*[/\\])?\.\.([/\\]|$))([^*?\[]*[/\\])?[^/\\]*$"
IncludePattern = Annotated[str, schema_only(pattern=INCLUDE_SCHEMA_PATTERN)]


class Team(Model):
    """A routing target: a queue of agents (membership is data, not YAML)."""

    id: Id
    """The team's id, unique among teams: lowercase letters, digits, - and _ (service-desk)."""
    name: Localized
    """Shown to agents and on tickets: a text, or texts by language ({en: Network, pl: Sieć})."""
    tier: Annotated[int, Strict(), Ge(1)] = 1
    """The support line, a whole number from 1 (default 1): moving a ticket to a team of a
    higher tier is recorded as an escalation."""
    email: Email | None = None
    """Where "new in your queue" notices go (servicedesk@example.com); without it, each member
    of the team is told."""


class Category(Model):
    """A group of items on the catalog's pages."""

    id: Id
    """The category's id, unique among categories and part of its address: lowercase letters,
    digits, - and _ (hardware)."""
    name: Localized
    """The heading on the catalog pages: a text, or texts by language ({en: Hardware,
    pl: Sprzęt})."""
    description: Localized | None = None
    """A line under the name: a text, or texts by language."""
    icon: Id | None = None
    """An icon name such as laptop; accepted, but the current pages show no icons."""


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
    """The item's id, unique among all items and part of its address /catalog/item/<id>:
    lowercase letters, digits, - and _ (new-laptop)."""
    category: Id
    """The id of the category it is listed under (hardware)."""
    name: Localized
    """The item's name, also the ticket title when there is no title: a text, or texts by
    language ({en: Request a new laptop, pl: Zamów laptop})."""
    summary: Localized | None = None
    """One line on the catalog pages: a text, or texts by language."""
    description: Localized | None = None
    """Shown above the form: Markdown, or Markdown by language (easiest as a block with |)."""
    type: Literal["request", "incident", "change", "access"] = "request"
    """The ticket type: request (default), incident, change or access; ticket numbers start
    with REQ, INC, CHG or ACC."""
    team: Id
    """The id of the team whose queue receives the tickets (service-desk)."""
    priority: Priority = "P3"
    """The tickets' priority: P1 (most urgent) to P4; default P3."""
    priority_from: PriorityFrom | None = None
    """Compute the priority from two answers looked up in the priority_matrix:
    {impact: FIELD_ID, urgency: FIELD_ID}."""
    title: Localized | None = None
    """The ticket title, with {field_id} placeholders for answers: "Laptop for {for_whom}";
    a text, or texts by language. Quote it."""
    kb: list[Id] = []
    """Slugs of knowledge-base articles offered before the form, in this order:
    [laptop-standard-models]."""
    tags: list[Annotated[str, StringConstraints(min_length=1)]] = []
    """Extra words for the catalog search, neither shown nor translated: [hardware, laptop]."""
    approval: list[ApprovalStep] = []
    """Who must approve, step by step in order: manager, {team: TEAM_ID}, {user: EMAIL} or
    {field: USER_FIELD_ID}: [manager, {team: procurement}]."""
    sla: Id | None = None
    """The id of the SLA policy for its tickets (default: the policy named default)."""
    restricted: Bool = False
    """true: only the requester, members of the ticket's team and admins see its tickets
    (default false)."""
    fields: list[FieldSpec] = []
    """The form's questions, in order; each has an id and a type (text, select, date, ...)."""

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
    """The format version; only 1 exists (default 1)."""
    include: Annotated[list[IncludePattern], schema_only(maxItems=MAX_INCLUDE_PATTERNS)] = []
    """More files to merge, main file only: glob patterns relative to the catalog's folder,
    read in file-name order, wildcards in the file name only: [catalog.d/*.yaml]."""
    teams: list[Team] = []
    """The queues tickets are routed to: [{id: service-desk, name: Service Desk}]."""
    categories: list[Category] = []
    """The groups items are listed in, in this order: [{id: hardware, name: Hardware}]."""
    priority_matrix: PriorityMatrix | None = None
    """Priority by impact (rows) and urgency (columns) for items with priority_from:
    {high: {high: P1, medium: P2, low: P3}, medium: {...}, low: {...}}; all three rows."""
    items: list[Item] = []
    """The services people can request and their forms, in this order."""
    calendars: dict[Id, Calendar] = {}
    """Working hours for SLA targets, by calendar id:
    {office: {timezone: Europe/Warsaw, hours: {mon-fri: "08:00-17:00"}}}."""
    sla: dict[Id, SlaPolicy] = {}
    """SLA policies by id; items name one with sla:, and the one named default applies to
    the others: {default: {calendar: office, targets: {P1: {response: 30m, resolution: 4h}}}}."""

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
