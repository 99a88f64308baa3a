"""Forms of the work queue and the approvals page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from ..tickets.agent_forms import PanelForm


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
