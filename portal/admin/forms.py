"""Forms of the people pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from ..auth.models import Role
from ..config import LANGUAGES

ROLE_LABELS = {
    Role.REQUESTER: _l("Requester"),
    Role.AGENT: _l("Agent"),
    Role.MANAGER: _l("Manager"),
    Role.ADMIN: _l("Admin"),
}
# Language names are written in their own language, as in the footer's language switcher.
LOCALE_NAMES = {"": _l("As the browser asks"), **LANGUAGES}


def role_choices():
    return [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]


def name_field():
    return StringField(_l("Name"), validators=[
        DataRequired(_l("Enter the person's name.")),
        Length(max=200, message=_l("Keep the name under 200 characters.")),
    ], filters=[lambda value: value.strip() if isinstance(value, str) else value])


def manager_field():
    # An email rather than a drop-down: a list of every person does not scale to a company.
    return EmailField(_l("Manager's email"), description=_l("Leave empty for no manager."),
                      validators=[Optional(), Length(max=254)])


class AddPersonForm(FlaskForm):
    name = name_field()
    email = EmailField(_l("Email"), validators=[
        DataRequired(_l("Enter the person's email.")),
        Length(max=254, message=_l("Keep the email under 254 characters.")),
        Email(_l("Enter an email such as name@example.com."), check_deliverability=False),
    ])
    role = SelectField(_l("Role"), choices=role_choices(), default=Role.REQUESTER.value)
    manager = manager_field()
    password = PasswordField(
        _l("Password"), description=_l("Leave empty to generate one; it is shown once."),
        validators=[Optional(), Length(min=10, max=200, message=_l(
            "Use between %(min)d and %(max)d characters."))])


class EditPersonForm(FlaskForm):
    name = name_field()
    role = SelectField(_l("Role"), choices=role_choices())
    manager = manager_field()
    locale = SelectField(_l("Language"), choices=[SelectChoice(code, name)
                                                  for code, name in LOCALE_NAMES.items()])
    active = BooleanField(_l("Active (may sign in)"))
    # Choices are set per request: the catalog's teams plus any stale memberships.
    teams = SelectMultipleField(_l("Teams"), choices=[], validate_choice=True)
