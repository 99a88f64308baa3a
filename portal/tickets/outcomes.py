"""How the outcome of an action on tickets is told: committed with a message, or rolled back
with the reason (a refusal, or someone else's change at the same moment)."""

from flask import current_app, flash
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from ..errors import Refused
from ..extensions import db
from . import files


def conflict_message() -> str:
    return _("This ticket was changed by someone else at the same moment. Here is the latest "
             "state; check it and try again.")


def commit_or_explain(success: str, stored_keys=()) -> bool:
    """Commit the action; on a concurrent change, roll back, drop its files and say why."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        files.delete(current_app.config["UPLOAD_FOLDER"], list(stored_keys))
        flash(conflict_message(), "error")
        return False
    flash(success, "success")
    return True


def act(change) -> None:
    """Run one change (which returns what to tell the person); commit it, or roll it back and
    say why not."""
    try:
        success = change()
    except Refused as why:
        db.session.rollback()
        flash(str(why), "error")
    else:
        commit_or_explain(success)


def first_error(form) -> str:
    """The first message of an invalid form, for a flash on the page it came from."""
    for errors in form.errors.values():
        if errors:
            return errors[0]
    return _("Check the form and try again.")
