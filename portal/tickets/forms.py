"""Forms on a ticket's status page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Add a comment"), validators=[
        DataRequired(_l("Write something before sending.")),
        Length(max=10000, message=_l("Keep comments under 10,000 characters.")),
    ])


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Why are you withdrawing it? (optional)"),
                           validators=[Length(max=2000)])


class ConfirmForm(FlaskForm):
    """Just the CSRF token: 'yes, it is solved'."""


class ReopenForm(FlaskForm):
    reason = TextAreaField(_l("What is still wrong?"), validators=[
        DataRequired(_l("Tell the team what is still wrong.")), Length(max=5000)])


class RatingForm(FlaskForm):
    score = RadioField(_l("How satisfied are you with how this was handled?"),
                       choices=[SelectChoice(str(n), str(n)) for n in range(1, 6)],
                       validators=[InputRequired(_l("Choose from 1 (poor) to 5 (excellent)."))])
    comment = TextAreaField(_l("Anything to add? (optional)"),
                            validators=[Optional(), Length(max=2000)])
