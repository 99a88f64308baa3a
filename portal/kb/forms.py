"""Forms readers submit: helpfulness votes and 'this solved my problem'."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional


class VoteForm(FlaskForm):
    helpful = RadioField(_l("Was this helpful?"),
                         choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                         validators=[InputRequired()])
    comment = TextAreaField(_l("Anything we should add? (optional)"),
                            validators=[Optional(), Length(max=1000)])


class DeflectForm(FlaskForm):
    article = HiddenField(validators=[DataRequired(), Length(max=120)])
    item = HiddenField(validators=[Optional(), Length(max=64)])
