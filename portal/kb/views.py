"""Reading the knowledge base: browse, article pages, votes, suggestions and deflection."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import func, select

from ..extensions import db
from ..search import search
from ..web.catalog import current_catalog
from ..web.htmx import is_htmx
from ..web.paging import page_arg
from .forms import DeflectForm, VoteForm
from .models import Article, ArticleStatus
from .service import (
    articles_for,
    get_published,
    items_linking,
    my_vote,
    published,
    record_deflection,
    record_view,
    related,
    vote,
)

bp = Blueprint("kb", __name__, url_prefix="/kb")
PAGE_SIZE = 20


@bp.get("/")
def index():
    category = (request.args.get("category") or "").strip()[:80]
    counts = db.session.execute(
        select(Article.category, func.count(Article.id))
        .where(Article.status == ArticleStatus.PUBLISHED)
        .group_by(Article.category).order_by(Article.category)
    ).all()
    if category:
        page = page_arg()
        articles = db.session.scalars(
            published().where(Article.category == category).order_by(Article.title)
            .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
        return render_template("kb/category.html", category=category, counts=counts,
                               articles=articles[:PAGE_SIZE], page=page,
                               more=len(articles) > PAGE_SIZE)
    newest = db.session.scalars(
        published().order_by(Article.published_at.desc(), Article.id.desc()).limit(6)).all()
    helpful = db.session.scalars(
        published().where(Article.helpful_yes > 0)
        .order_by(Article.helpful_yes.desc(), Article.views.desc()).limit(6)).all()
    return render_template("kb/index.html", counts=counts, newest=newest, helpful=helpful)


@bp.get("/<slug>")
def article(slug):
    found = get_published(slug)
    if found is None:
        abort(404)
    record_view(found)
    db.session.commit()
    return render_template(
        "kb/article.html", article=found, related=related(found),
        items=items_linking(found.slug, current_catalog()),
        vote_form=VoteForm(formdata=None), my_vote=my_vote(found, current_user),
        deflect_form=DeflectForm(formdata=None),
        from_item=request.args.get("item", "")[:64])


@bp.post("/<slug>/vote")
def cast_vote(slug):
    found = get_published(slug)
    if found is None:
        abort(404)
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=url_for("kb.article", slug=slug)), code=303)
    form = VoteForm()
    if form.validate():
        vote(found, current_user, form.helpful.data == "yes", form.comment.data)
        db.session.commit()
        db.session.refresh(found)
        message = _("Thank you for your feedback.")
    else:
        message = _("Choose yes or no.")
    if is_htmx():
        return render_block("kb/article.html", "vote", article=found, vote_form=form,
                            my_vote=my_vote(found, current_user), vote_message=message)
    flash(message, "success" if not form.errors else "error")
    return redirect(url_for("kb.article", slug=slug, _anchor="helpful"), code=303)


@bp.get("/suggest")
def suggest():
    """Articles matching what the requester is typing into a request form (an htmx fragment)."""
    item = current_catalog().item(request.args.get("item", ""))
    words = []
    if item is not None:
        for spec in item.fields:
            if spec.type in ("text", "textarea"):
                words.append(request.args.get("f_" + spec.id, ""))
    text = " ".join(words)[:500]
    hits = search(text, limit=3, any_term=True) if text.strip() else []
    articles = articles_for(hits)
    return render_template("kb/_suggestions.html", hits=hits, articles=articles, item=item,
                           deflect_form=DeflectForm(formdata=None))


@bp.post("/deflect")
def deflect():
    """'This solved my problem': record it, and end without a ticket."""
    form = DeflectForm()
    found = get_published(form.article.data or "") if form.validate() else None
    if found is None:
        abort(404)
    item = current_catalog().item(form.item.data or "")
    record_deflection(found, item.id if item else None, current_user)
    db.session.commit()
    flash(_("Glad that helped. No request was needed."), "success")
    return redirect(url_for("kb.article", slug=found.slug), code=303)

