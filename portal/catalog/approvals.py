"""Approval steps: who must approve an item's tickets before they open."""

from typing import Literal

from .basetypes import Email, Id, Model, has_key, is_text, one_of


class TeamStep(Model):
    """Any one member of this team approves."""

    team: Id
    """The id of a catalog team (procurement); any one of its members approves."""


class UserStep(Model):
    """This person approves."""

    user: Email
    """The email address of the portal user who approves (cfo@example.com)."""


class FieldStep(Model):
    """The user chosen in this `user` field approves."""

    field: Id
    """The id of a `user` field of the same item; the user chosen in it approves."""


ApprovalStep = one_of(
    "an approval step: manager, {team: ID}, {user: EMAIL} or {field: ID}",
    ("<manager>", Literal["manager"], is_text),
    ("<team-step>", TeamStep, has_key("team")),
    ("<user-step>", UserStep, has_key("user")),
    ("<field-step>", FieldStep, has_key("field")),
)
