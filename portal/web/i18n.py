"""Which language a request is served in, and its writing direction."""

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

RTL_LANGUAGES = {"ar", "fa", "he", "ur"}


def select_locale() -> str:
    """?lang= (remembered in the session), then the user's setting, then the browser's."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and worker: the default; mail picks its own locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    asked = request.args.get("lang")
    if asked in languages:
        session["lang"] = asked
    if session.get("lang") in languages:
        return session["lang"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or "en"


def current_locale() -> str:
    """The request's locale as a plain string such as 'pl'."""
    return str(get_locale() or "en")


def text_direction() -> str:
    """'rtl' for right-to-left languages, else 'ltr'."""
    return "rtl" if current_locale().split("_")[0] in RTL_LANGUAGES else "ltr"
