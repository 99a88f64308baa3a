"""Forms agents and approvers submit. Choices are filled per request from the catalog and team."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..config import PRIORITIES
from ..forms.validators import FileContents


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
    action = HiddenField(validators=[DataRequired()])
    note = TextAreaField(_l("Note for the requester (optional)"),
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


class DecisionForm(FlaskForm):
    """Rendered by hand once per approval on the approvals page (ids made unique there)."""
    decision = RadioField(_l("Decision"), choices=[SelectChoice("approve", _l("Approve")),
                                                    SelectChoice("reject", _l("Reject"))],
                          validators=[InputRequired(_l("Choose approve or reject."))])
    comment = TextAreaField(_l("Comment (required when rejecting)"),
                            validators=[Optional(), Length(max=5000)])


class BulkForm(PanelForm):
    prefix_name = "bulk"
    action = SelectField(_l("With the selected tickets"), choices=[])
