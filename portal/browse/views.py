"""Requester pages: home, the catalog, an item's request form and its submission."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..auth.models import User
from ..catalog import localize
from ..extensions import db
from ..forms.answers import render_title, snapshots
from ..forms.builder import bound_field, build_form, field_name, validate_item_form
from ..forms.layout import condition_data, describe, sections
from ..tickets import files
from ..tickets.lifecycle import FINAL, Status
from ..tickets.models import Ticket
from ..tickets.service import submit_ticket
from ..web.catalog import current_catalog, get_item_or_404
from ..web.i18n import current_locale

bp = Blueprint("browse", __name__)


@bp.get("/")
def home():
    catalog = current_catalog()
    open_tickets = []
    if current_user.is_authenticated:
        open_tickets = db.session.scalars(
            select(Ticket)
            .where(Ticket.requester_id == current_user.id,
                   Ticket.status.not_in([*FINAL, Status.RESOLVED]))
            .order_by(Ticket.created_at.desc()).limit(5)
        ).all()
    return render_template("catalog/home.html", catalog=catalog, open_tickets=open_tickets)


@bp.get("/catalog")
def catalog():
    return render_template("catalog/index.html", catalog=current_catalog())


@bp.get("/catalog/category/<category_id>")
def category(category_id):
    catalog = current_catalog()
    found = catalog.category(category_id)
    if found is None:
        return render_template("errors/error.html", code=404, title=_("Page not found"),
                               message=_("There is no such category.")), 404
    return render_template("catalog/category.html", catalog=catalog, category=found)


@bp.get("/search")
def search():
    query = (request.args.get("q") or "").strip()[:200]
    locale = current_locale()
    words = [w.casefold() for w in query.split()]
    items = []
    if words:
        for item in current_catalog().items:
            haystack = " ".join([localize(item.name, locale), localize(item.summary, locale),
                                 " ".join(item.tags or [])]).casefold()
            if all(w in haystack for w in words):
                items.append(item)
    return render_template("catalog/search.html", query=query, items=items)


@bp.route("/catalog/item/<item_id>", methods=["GET", "POST"])
@login_required
def item(item_id):
    catalog = current_catalog()
    found = get_item_or_404(item_id)
    locale = current_locale()
    if request.method == "POST":
        form = build_form(found, locale)
        if validate_item_form(form, found):
            ticket = _submit(catalog, found, form, locale)
            flash(_("Your request %(number)s was received.", number=ticket.number), "success")
            return redirect(url_for("tickets.show", number=ticket.number), code=303)
        return _render_item(catalog, found, form, locale), 422
    form = build_form(found, locale, query=request.args)
    return _render_item(catalog, found, form, locale)


def _submit(catalog, item, form, locale) -> Ticket:
    """Store the submission in one transaction; remove written files if it fails."""
    answers = snapshots(form, item, locale)
    uploads = {
        spec.id: form[field_name(spec.id)].data
        for spec in item.fields
        if spec.type == "file" and field_name(spec.id) in form
        and getattr(form[field_name(spec.id)].data, "filename", "")
    }
    stored = []
    try:
        ticket, stored = submit_ticket(
            item=item, catalog=catalog, requester=current_user, answers=answers,
            uploads=uploads, title=render_title(item, answers, locale),
            upload_folder=current_app.config["UPLOAD_FOLDER"],
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        files.delete(current_app.config["UPLOAD_FOLDER"], stored)
        raise
    return ticket


def _render_item(catalog, item, form, locale):
    hints = {spec.id: describe(spec.show_if, item, locale)
             for spec in item.fields if spec.show_if}
    conditions = {spec.id: condition_data(spec.show_if)
                  for spec in item.fields if spec.show_if}
    return render_template(
        "catalog/item.html", catalog=catalog, item=item, form=form, groups=sections(item),
        hints=hints, conditions=conditions, field_name=field_name, bound_field=bound_field,
        category=catalog.category(item.category),
    )


@bp.get("/people")
@login_required
def people():
    """Type-ahead for `user` fields: options for a <datalist>."""
    # htmx sends the input under its own name (f_<field>); a plain link may say ?q=.
    query = next((v for v in request.args.values() if v), "").strip().lower()[:100]
    people = []
    if len(query) >= 2:
        pattern = f"%{query.replace('%', '').replace('_', '')}%"
        people = db.session.scalars(
            select(User).where(User.active.is_(True))
            .where(User.email.ilike(pattern) | User.name.ilike(pattern))
            .order_by(User.name).limit(10)
        ).all()
    return render_template("catalog/_people.html", people=people)
