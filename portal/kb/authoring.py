"""Writing and revising articles, for agents and admins: create (also from a resolved ticket),
edit with a live preview, publish, archive, and view or restore earlier revisions. Every
action: check, change, commit once, flash, redirect (303). CSRF is checked app-wide."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..config import LANGUAGES
from ..extensions import db
from ..tickets.access import get_ticket_or_404
from ..tickets.lifecycle import SOLVED
from ..tickets.models import Ticket
from ..web.markdown import render_markdown
from .authoring_forms import (
    MAX_BODY,
    MOVES,
    STATUS_LABELS,
    TAKEN_SLUGS,
    ArticleForm,
    article_values,
    slug_in_use,
    slug_taken,
    ticket_draft,
)
from .files import changed_fields
from .models import Article, ArticleStatus, Revision
from .service import ArticleError, restore, save_article, slugify, unique_slug

bp = Blueprint("kb_authoring", __name__, url_prefix="/kb")


@bp.before_request
def agents_only():
    # Requesters get a 404: the authoring pages should not even be known to exist.
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not current_user.is_agent:
        abort(404)


def get_article_or_404(slug: str) -> Article:
    article = db.session.scalar(select(Article).where(Article.slug == slug))
    if article is None:
        abort(404)
    return article


def to_edit(article: Article):
    return redirect(url_for(".edit", slug=article.slug), code=303)


def editor():
    return current_user._get_current_object()


def render_editor(form: ArticleForm, article: Article | None = None, *, source=None,
                  form_error: str | None = None, status: int = 200):
    categories = db.session.scalars(
        select(Article.category).where(Article.category != "").distinct()
        .order_by(Article.category)).all()
    return render_template(
        "kb/edit.html", form=form, article=article, source=source, form_error=form_error,
        preview=render_markdown(form.body.data), categories=categories,
        STATUS_LABELS=STATUS_LABELS, status_actions=[
            (name, move) for name, move in MOVES.items()
            if article is not None and article.status in move.starts]), status


def save(form: ArticleForm, article: Article, note: str | None, changes: dict, source=None):
    """Save and commit; None when saved, else the form again with the reason (422)."""
    existing = article if article.id else None
    try:
        save_article(article, editor(), note, **changes)
        db.session.commit()
        return None
    except ArticleError as error:
        db.session.rollback()
        return render_editor(form, existing, source=source, form_error=str(error), status=422)
    except IntegrityError:
        # Someone took the same slug a moment ago (the check before saving passed for both).
        db.session.rollback()
        form.slug.errors.append(slug_taken())
        return render_editor(form, existing, source=source, status=422)


def source_ticket(number: str | None) -> Ticket | None:
    """The ticket named by ?from=: one the agent may see, and solved (else a 404)."""
    if not number:
        return None
    ticket = get_ticket_or_404(number, current_user)
    if ticket.status not in SOLVED:
        abort(404)
    return ticket


@bp.route("/new", methods=["GET", "POST"])
def new():
    source = source_ticket(request.args.get("from"))
    form = ArticleForm(data=ticket_draft(source) if source else {})
    del form.note
    if "preview" in request.form:  # the preview button, for browsers without htmx
        return render_editor(form, source=source)
    if not form.validate_on_submit():
        return render_editor(form, source=source, status=422 if form.is_submitted() else 200)
    base = slugify(form.title.data)
    slug = form.slug.data or unique_slug(f"{base}-article" if base in TAKEN_SLUGS else base)
    if slug_in_use(slug, None):
        form.slug.errors.append(slug_taken())
        return render_editor(form, source=source, status=422)
    form.slug.data = slug  # shown if the save is refused, so the author sees what clashed
    article = Article(slug=slug)
    note = _("Created from %(number)s", number=source.number) if source else _("Created")
    changes = {**form.values(), "status": ArticleStatus(form.status.data)}
    failed = save(form, article, note, changes, source)
    if failed:
        return failed
    flash(_("“%(title)s” is published.", title=article.title) if article.is_published
          else _("Draft “%(title)s” saved.", title=article.title), "success")
    return to_edit(article)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
def edit(slug):
    article = get_article_or_404(slug)
    form = ArticleForm(data=article_values(article))
    del form.status
    if "preview" in request.form:
        return render_editor(form, article)
    if not form.validate_on_submit():
        return render_editor(form, article, status=422 if form.is_submitted() else 200)
    new_slug = form.slug.data or article.slug
    if slug_in_use(new_slug, article):
        form.slug.errors.append(slug_taken())
        return render_editor(form, article, status=422)
    changes = changed_fields(article, form.values())
    if not changes and new_slug == article.slug:
        flash(_("Nothing changed, so no new revision was saved."), "success")
        return to_edit(article)
    article.slug = new_slug  # the address is not revisioned: it changes in place
    failed = save(form, article, form.note.data, changes)
    if failed:
        return failed
    flash(_("Saved “%(title)s”.", title=article.title), "success")
    return to_edit(article)


@bp.post("/preview")
def preview():
    """The live preview: the posted body rendered and sanitised, as a fragment."""
    body = request.form.get("body", "")
    if len(body) > MAX_BODY:
        return render_template("kb/preview.html", preview=None, too_long=True)
    return render_template("kb/preview.html", preview=render_markdown(body))


@bp.post("/<slug>/<any(publish, archive, unpublish):action>")
def change_status(slug, action):
    article = get_article_or_404(slug)
    move = MOVES[action]
    if article.status not in move.starts:
        flash(_("The article is already “%(status)s”.", status=STATUS_LABELS[article.status]),
              "error")
        return to_edit(article)
    if commit_or_flash(lambda: save_article(article, editor(), str(move.note),
                                            status=move.target)):
        flash(move.message % {"title": article.title}, "success")
    return to_edit(article)


def commit_or_flash(change) -> bool:
    """Apply a service change and commit; a refusal (say, an article saved long ago with a
    slug that is now reserved) is a message, not an error page."""
    try:
        change()
    except ArticleError as error:
        db.session.rollback()
        flash(str(error), "error")
        return False
    db.session.commit()
    return True


@bp.get("/<slug>/revisions")
def revisions(slug):
    article = get_article_or_404(slug)
    newest_first = db.session.scalars(
        select(Revision).where(Revision.article_id == article.id)
        .order_by(Revision.number.desc()).options(selectinload(Revision.author))).all()
    return render_template("kb/revisions.html", article=article, revisions=newest_first,
                           STATUS_LABELS=STATUS_LABELS)


def get_revision_or_404(article: Article, number: int) -> Revision:
    revision = db.session.scalar(select(Revision).where(
        Revision.article_id == article.id, Revision.number == number))
    if revision is None:
        abort(404)
    return revision


@bp.get("/<slug>/revisions/<int:number>")
def revision(slug, number):
    article = get_article_or_404(slug)
    shown = get_revision_or_404(article, number)
    latest = db.session.scalar(select(func.max(Revision.number))
                               .where(Revision.article_id == article.id))
    return render_template("kb/revision.html", article=article, revision=shown,
                           is_latest=shown.number == latest, STATUS_LABELS=STATUS_LABELS,
                           LANGUAGE_NAMES=LANGUAGES)


@bp.post("/<slug>/revisions/<int:number>/restore")
def restore_revision(slug, number):
    article = get_article_or_404(slug)
    earlier = get_revision_or_404(article, number)
    if commit_or_flash(lambda: restore(article, earlier, editor())):
        flash(_("Revision %(n)d is current again (saved as a new revision).",
                n=earlier.number), "success")
    return to_edit(article)


@bp.get("/drafts")
def drafts():
    """Drafts and archived articles, and the articles this agent edited lately."""
    def having(status):
        return db.session.execute(select(Article, Article.updated_at)
                                  .where(Article.status == status)
                                  .options(selectinload(Article.author))
                                  .order_by(Article.updated_at.desc()).limit(200)).all()

    mine = (select(Revision.article_id, func.max(Revision.created_at).label("at"))
            .where(Revision.author_id == current_user.id)
            .group_by(Revision.article_id).subquery())
    recent = db.session.execute(
        select(Article, mine.c.at).join(mine, mine.c.article_id == Article.id)
        .options(selectinload(Article.author)).order_by(mine.c.at.desc()).limit(20)).all()
    return render_template("kb/drafts.html", drafts=having(ArticleStatus.DRAFT),
                           archived=having(ArticleStatus.ARCHIVED),
                           recent=recent, STATUS_LABELS=STATUS_LABELS)
