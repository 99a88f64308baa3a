"""Every error is a page with a clear message, never a stack trace."""

import logging

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from ..extensions import db

log = logging.getLogger("portal")


def has_nul(values) -> bool:
    return any("\x00" in value for value in values if isinstance(value, str))


def register(app: Flask) -> None:
    @app.before_request
    def refuse_nul_characters():
        # No person types a NUL; PostgreSQL cannot store one. Refuse it at the door.
        if "\x00" in request.path or has_nul(request.args.values()) or (
                request.method == "POST" and has_nul(request.form.values())):
            return render_template(
                "errors/error.html", code=400, title=_("That input cannot be used"),
                message=_("The address or form contains a control character (NUL). Remove it "
                          "and try again; nothing was saved."),
            ), 400

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template(
            "errors/error.html", code=400, title=_("Your form expired"),
            message=_("The page was open too long or came from elsewhere. Go back, reload the "
                      "page and send it again; nothing was saved."),
        ), 400

    @app.errorhandler(StaleDataError)
    def changed_meanwhile(error):
        db.session.rollback()
        return render_template(
            "errors/error.html", code=409, title=_("Changed by someone else"),
            message=_("Someone changed this ticket at the same moment, so your change was not "
                      "saved. Go back, reload the page and try again."),
        ), 409

    @app.errorhandler(413)
    def too_large(error):
        limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        return render_template(
            "errors/error.html", code=413, title=_("That upload is too large"),
            message=_("Uploads may be %(limit)d MB in all. Nothing was saved; go back and "
                      "choose a smaller file.", limit=limit),
        ), 413

    @app.errorhandler(429)
    def too_many(error):
        return render_template(
            "errors/error.html", code=429, title=_("Too many attempts"),
            message=_("You did that too often in a short time. Wait a minute and try again; "
                      "nothing was saved."),
        ), 429

    @app.errorhandler(HTTPException)
    def http_error(error):
        titles = {404: _("Page not found"), 403: _("Not allowed"), 405: _("Not allowed here")}
        messages = {404: _("There is nothing here, or you may not see it.")}
        return render_template(
            "errors/error.html", code=error.code,
            title=titles.get(error.code, error.name),
            message=messages.get(error.code, error.description),
        ), error.code

    @app.errorhandler(Exception)
    def unexpected(error):
        log.exception("unhandled error")
        db.session.rollback()
        return render_template(
            "errors/error.html", code=500, title=_("Something went wrong"),
            message=_("The portal could not finish this request and saved nothing. "
                      "Try again in a moment."),
        ), 500
