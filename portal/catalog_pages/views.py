"""Requester pages: home, the catalog, an item's request form and its submission."""

from flask import Blueprint, current_app, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block
from markupsafe import Markup
from sqlalchemy import select

from ..auth.models import User
from ..catalog import localize
from ..catalog.derived import DerivedCache
from ..extensions import contains, db
from ..forms.answers import render_title, snapshots
from ..forms.builder import build_form, field_name, validate_item_form
from ..forms.html import fields_html
from ..kb.forms import DeflectForm
from ..kb.models import Article
from ..kb.service import articles_for, log_search, published
from ..ops.limits import limiter
from ..ops.metrics import TICKETS_CREATED
from ..search import search as search_articles
from ..search import terms
from ..tickets import files
from ..tickets.lifecycle import DONE
from ..tickets.links import to_ticket
from ..tickets.models import Ticket
from ..tickets.service import submit_ticket
from ..web.catalog import current_catalog, get_item_or_404
from ..web.htmx import is_htmx
from ..web.i18n import current_locale

bp = Blueprint("catalog", __name__)


@bp.get("/")
def home():
    catalog = current_catalog()
    open_tickets = []
    if current_user.is_authenticated:
        open_tickets = db.session.scalars(
            select(Ticket)
            .where(Ticket.requester_id == current_user.id,
                   Ticket.status.not_in(DONE))
            .order_by(Ticket.created_at.desc()).limit(5)
        ).all()
    categories = _home_categories.get(catalog, (current_locale(),),
                                      lambda: _categories_html(catalog))
    return render_template("catalog/home.html", open_tickets=open_tickets,
                           categories_html=categories)


def _categories_html(catalog) -> Markup:
    html = render_template("catalog/_home_categories.html", catalog=catalog)
    # Markup is safe here: the output of an autoescaped template.
    return Markup(html)  # nosec B704


# The same for everyone reading in one language until the catalog changes.
_home_categories = DerivedCache()


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
    """Services and articles for one query; htmx asks for just the results while typing."""
    query = (request.args.get("q") or "").strip()[:200]
    catalog = current_catalog()
    items = find_items(catalog, query, current_locale())
    hits = search_articles(query, limit=10)
    articles = articles_for(hits)
    if query and not is_htmx():
        log_search(query, len(items) + len(articles), current_user)
        db.session.commit()
    context = dict(query=query, items=items, hits=hits, articles=articles,
                   ask_item="general-question" if catalog.item("general-question") else None)
    if is_htmx():
        return render_block("catalog/search.html", "results", **context)
    return render_template("catalog/search.html", **context)


def find_items(catalog, query: str, locale: str, limit: int = 6) -> list:
    """Catalog items whose words start with every word of the query; name and tags first."""
    words = terms(query)
    if not words:
        return []
    scored = []
    for item in catalog.items:
        fields = [(5, localize(item.name, locale)), (4, " ".join(item.tags or [])),
                  (2, localize(item.summary, locale)), (1, localize(item.description, locale))]
        vocab = [(weight, set(terms(text))) for weight, text in fields]
        score = 0
        for word in words:
            best = max((w for w, found in vocab if any(v.startswith(word) for v in found)),
                       default=0)
            if not best:
                break
            score += best
        else:
            scored.append((-score, localize(item.name, locale), item))
    return [item for *_key, item in sorted(scored, key=lambda s: s[:2])[:limit]]


@bp.route("/catalog/item/<item_id>", methods=["GET", "POST"])
@login_required
@limiter.limit("60 per minute", methods=["POST"],
               key_func=lambda: f"user:{current_user.get_id()}")
def item(item_id):
    catalog = current_catalog()
    found = get_item_or_404(item_id)
    locale = current_locale()
    if request.method == "POST":
        form = build_form(found, locale)
        if validate_item_form(form, found):
            ticket = _submit(catalog, found, form, locale)
            TICKETS_CREATED.labels(ticket.type.value).inc()
            flash(_("Your request %(number)s was received.", number=ticket.number), "success")
            return to_ticket(ticket)
        return _render_item(catalog, found, form), 422
    form = build_form(found, locale, query=request.args)
    return _render_item(catalog, found, form)


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


def _render_item(catalog, item, form):
    return render_template(
        "catalog/item.html", catalog=catalog, item=item, form=form,
        fields_html=fields_html(item, form), field_name=field_name,
        category=catalog.category(item.category), kb_articles=item_articles(item),
        deflect_form=DeflectForm(formdata=None),
    )


def item_articles(item) -> list:
    """The item's `kb:` articles that are published, in the catalog's order."""
    if not item.kb:
        return []
    found = {a.slug: a for a in db.session.scalars(
        published().where(Article.slug.in_(list(item.kb))))}
    return [found[slug] for slug in item.kb if slug in found]


@bp.get("/people")
@login_required
def people():
    """Type-ahead for `user` fields: options for a <datalist>."""
    # htmx sends the input under its own name (f_<field>); a plain link may say ?q=.
    query = next((v for v in request.args.values() if v), "").strip().lower()[:100]
    people = []
    if len(query) >= 2:
        people = db.session.scalars(
            select(User).where(User.active.is_(True))
            .where(contains(User.email, query) | contains(User.name, query))
            .order_by(User.name).limit(10)
        ).all()
    return render_template("catalog/_people.html", people=people)
