"""The managers' dashboard page and its CSV export (managers and admins only; others get 404)."""

import json
from datetime import UTC, datetime
from functools import lru_cache

from babel import numbers
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    stream_with_context,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from ..auth.models import Role
from ..catalog import localize
from ..ops.cache import shared_cache
from ..web.catalog import current_catalog
from ..web.htmx import wants_fragment
from ..web.i18n import current_locale
from . import export as csv_export
from . import figures
from .filters import DashboardFilter
from .rows import page_rows

bp = Blueprint("dashboard", __name__)

VIEWERS = (Role.MANAGER, Role.ADMIN)


def _viewer_filter():
    """(catalog, filter from the URL) for a manager or admin; a 404 for anyone else, not a
    403: the dashboard's existence is nobody else's business."""
    if current_user.role not in VIEWERS:
        abort(404)
    catalog = current_catalog()
    return catalog, DashboardFilter.from_args(request.args, catalog)


def catalog_names(catalog) -> dict[str, dict[str, str]]:
    """Team, category and item names in the reader's language, by id."""
    locale = current_locale()
    return {kind: {entry.id: localize(entry.name, locale) for entry in entries}
            for kind, entries in (("team", catalog.teams), ("category", catalog.categories),
                                  ("item", catalog.items))}


def formatters(locale: str) -> dict:
    """The page's number formats in the reader's locale; a dash for "no data"."""
    def number(value) -> str:
        """A count or a decimal."""
        return "—" if value is None else _formatted(value, None, locale)

    def percent(value) -> str:
        """A percentage given as 0-100."""
        return "—" if value is None else _formatted(value / 100, "#,##0.0%", locale)

    def hours(value) -> str:
        """Hours with one decimal, e.g. "4.9 h"."""
        return "—" if value is None else _("%(hours)s h",
                                           hours=_formatted(value, "#,##0.0", locale))

    return {"number": number, "percent": percent, "hours": hours}


@lru_cache(maxsize=4096, typed=True)
def _formatted(value, pattern: str | None, locale: str) -> str:
    # A page shows a few hundred numbers, mostly the same small counts: Babel's formatting
    # is worth doing once per value and language.
    if pattern and pattern.endswith("%"):
        return numbers.format_percent(value, pattern, locale=locale)
    return numbers.format_decimal(value, pattern, locale=locale)


@bp.get("/dashboard")
@login_required
def index():
    catalog, flt = _viewer_filter()
    names = catalog_names(catalog)
    # Managers open the same views again and again: the figures are shared by every worker
    # for DASHBOARD_CACHE_SECONDS (the page says how old they are).
    fig, computed_at = shared_cache().remember(
        "dashboard:" + json.dumps(flt.args(), sort_keys=True),
        current_app.config["DASHBOARD_CACHE_SECONDS"], lambda: figures.collect(flt))
    context = dict(flt=flt, fig=fig, rows=page_rows(fig, names),
                   as_of=datetime.fromtimestamp(computed_at, UTC),
                   names=names, **formatters(current_locale()),
                   items=sorted(names["item"].items(), key=lambda pair: pair[1].lower()))
    if wants_fragment("dashboard-results"):
        return render_block("dashboard/index.html", "results", **context)
    return render_template("dashboard/index.html", **context)


@bp.get("/dashboard/export.csv")
@login_required
def export():
    catalog, flt = _viewer_filter()
    body = stream_with_context(csv_export.rows(
        flt, catalog_names(catalog), current_user._get_current_object()))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{csv_export.filename(flt)}"')
    response.headers["Cache-Control"] = "private, no-store"  # people's e-mail addresses
    return response
