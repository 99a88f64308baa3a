"""Forms on a ticket's status page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length


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
