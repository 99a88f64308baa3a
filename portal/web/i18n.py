"""Which language a request is served in, and its writing direction."""

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

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


def page_gettext() -> dict:
    """`_`, `gettext` and `ngettext` for one rendered page, bound to its language's catalogue.

    Flask-Babel's template functions look the catalogue up again on every call (about 10 µs;
    a ticket page makes dozens of calls). These behave the same (newstyle: the text is
    escaped and %-formatted with the keyword arguments) with the lookup done once.
    Templates rendered outside render_template, such as e-mails under force_locale, keep
    Flask-Babel's own functions.
    """
    translations = get_translations()

    @pass_context
    def gettext(context, message, /, **variables):
        return _formatted(context, translations.ugettext(message), variables)

    @pass_context
    def ngettext(context, singular, plural, num, /, **variables):
        variables.setdefault("num", num)
        return _formatted(context, translations.ungettext(singular, plural, num), variables)

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


def _formatted(context, text: str, variables: dict):
    """Escaped when the template is; always a format string, as in Jinja's own ("%%" is "%")."""
    if context.eval_ctx.autoescape:
        # The message is ours (the catalogue); marking it safe makes % escape the variables.
        text = Markup(text)  # nosec B704
    return text % variables
