"""Template filters and globals shared by every page."""

from datetime import UTC
from functools import lru_cache
from urllib.parse import quote, urlencode

from babel import dates
from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from ..catalog import localize
from .catalog import catalog_store, current_catalog
from .i18n import current_locale, page_gettext, text_direction
from .markdown import render_markdown


def register(app: Flask) -> None:
    app.add_template_filter(lambda text: localize(text, current_locale()), "t")
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(format_moment, "datetime")
    app.add_template_filter(format_day, "date")
    app.add_template_filter(iso_datetime, "iso")
    app.jinja_env.globals.update(
        text_direction=text_direction, current_locale=current_locale, lang_url=lang_url,
        team_name=team_name,
    )
    app.add_template_filter(time_left, "timeleft")

    @app.context_processor
    def portal_context():
        store = catalog_store()
        show_problems = current_user.is_authenticated and current_user.is_admin
        return {
            **page_gettext(),
            "htmx_url": current_app.config["HTMX_URL"],
            "htmx_sri": current_app.config["HTMX_SRI"],
            "catalog_problems": store.alerts if show_problems else [],
            "catalog_has_errors": store.has_errors,
        }


def lang_url(code: str) -> str:
    """This page in another language (the home page when this was a form submission)."""
    if request.method == "GET" and request.endpoint:
        # The page's own path and query with lang replaced: no URL building per language.
        args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
        path = quote(request.script_root + request.path)
        return path + "?" + urlencode([*args, ("lang", code)])
    return url_for("catalog.home", lang=code)


def team_name(team_id: str) -> str:
    """A catalog team's name in the reader's language (its id if the team is gone)."""
    team = current_catalog().team(team_id)
    return localize(team.name, current_locale()) if team else team_id


# Pages show times in UTC (no per-person time zone yet). Babel is called directly: Flask-Babel's
# wrappers look the locale and time zone up again for each of a list's many dates.
def format_moment(moment) -> str:
    """'23 Nov 2026, 14:12:21' in the reader's language ('' for no time)."""
    if not moment:
        return ""
    return dates.format_datetime(moment, "medium", tzinfo=UTC, locale=get_locale())


def format_day(day) -> str:
    """'23 Nov 2026' in the reader's language ('' for no day)."""
    return _formatted_day(day, str(get_locale())) if day else ""


@lru_cache(maxsize=2048)
def _formatted_day(day, locale: str) -> str:
    # Lists and charts show the same days again and again (the dashboard: 90 per page).
    return dates.format_date(day, "medium", locale=locale)


def iso_datetime(moment) -> str:
    """A machine-readable time for <time datetime>: UTC, whole seconds (SQLite gives naive)."""
    if not moment:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def time_left(moment) -> str:
    """'in 3 hours' or '2 days ago', in the reader's language."""
    from datetime import datetime

    from flask_babel import format_timedelta
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_timedelta(moment - datetime.now(UTC), add_direction=True, threshold=1.5)
