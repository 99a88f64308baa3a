"""The forms of the agent panel on a ticket page. Choices are filled per request from the
catalog and the team."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from ..config import PRIORITIES
from ..forms.validators import FileContents
from .lifecycle import AGENT_ACTIONS


class PanelForm(FlaskForm):
    """One of several forms on a ticket page: a prefix keeps their field names and ids apart."""

    prefix_name = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)


class VersionedForm(PanelForm):
    """Carries the ticket version the agent saw, so a stale page cannot overwrite news."""

    version = HiddenField()


class AssignForm(VersionedForm):
    prefix_name = "assign"
    assignee = SelectField(_l("Assign to"), choices=[], validate_choice=True)


class MoveForm(VersionedForm):
    prefix_name = "move"
    action = HiddenField(validators=[
        DataRequired(_l("Choose one of the actions offered.")),
        AnyOf([a.value for a in AGENT_ACTIONS], message=_l("Choose one of the actions offered."))])
    note = TextAreaField(_l("Note for the requester"),
                         validators=[Optional(), Length(max=10000)])


class ReplyForm(VersionedForm):
    prefix_name = "reply"
    body = TextAreaField(_l("Reply"), validators=[
        DataRequired(_l("Write something before sending.")),
        Length(max=20000, message=_l("Keep replies under 20,000 characters.")),
    ])
    internal = BooleanField(_l("Internal note (only staff can see it)"))
    files = MultipleFileField(_l("Attachments"), validators=[FileContents()])


class TransferForm(VersionedForm):
    prefix_name = "transfer"
    team = SelectField(_l("Team"), choices=[], validate_choice=True)
    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(_l("Say why, so the next team knows where things stand.")),
        Length(max=5000)])


class LinkForm(PanelForm):
    prefix_name = "link"
    other = StringField(_l("Related ticket number"), validators=[
        DataRequired(_l("Enter a ticket number such as INC-000123.")), Length(max=20)])


class PriorityForm(VersionedForm):
    prefix_name = "priority"
    priority = SelectField(_l("Priority"),
                           choices=[SelectChoice(p, p) for p in PRIORITIES])
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=500)])
