"""The article editor's form and what it starts with. The service re-checks everything; the
form gives the messages next to the fields."""

from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ..config import LANGUAGES
from ..extensions import db
from ..forms.answers import display_text
from ..tickets.models import EventKind, Ticket
from ..web.i18n import current_locale
from .models import Article, ArticleStatus
from .service import RESERVED_SLUGS, SLUG, summary_of

STATUS_LABELS = {
    ArticleStatus.DRAFT: _l("Draft"),
    ArticleStatus.PUBLISHED: _l("Published"),
    ArticleStatus.ARCHIVED: _l("Archived"),
}
# Language names are written in their own language, as in the footer's language switcher.
# /kb/drafts is a page of its own, so no article may take that slug either.
TAKEN_SLUGS = RESERVED_SLUGS | {"drafts"}
MAX_BODY = 100_000


def strip(value):
    return value.strip() if isinstance(value, str) else value


def clean_body(value):
    """Browsers send textareas with CRLF; store LF, without blank lines around the text."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n").strip("\n").rstrip()


def not_taken(form, field):
    if field.data in TAKEN_SLUGS:
        raise ValidationError(_l("“%(slug)s” is a reserved word; choose another slug.",
                                 slug=field.data))


class ArticleForm(FlaskForm):
    title = StringField(_l("Title"), filters=[strip], validators=[
        DataRequired(_l("Give the article a title.")),
        Length(max=200, message=_l("Keep the title under 200 characters.")),
    ])
    slug = StringField(
        _l("Slug"), filters=[strip],
        description=_l("The article's address: lowercase letters, digits and dashes. "
                       "Leave empty to make one from the title."),
        validators=[
            Optional(),
            Length(max=120, message=_l("Keep the slug under 120 characters.")),
            Regexp(SLUG, message=_l("A slug is lowercase letters, digits and dashes, like "
                                    "reset-your-password.")),
            not_taken,
        ])
    summary = TextAreaField(
        _l("Summary"), filters=[strip],
        description=_l("One or two sentences for lists and search results. Leave empty to "
                       "use the first paragraph."),
        validators=[Length(max=500, message=_l("Keep the summary under 500 characters."))])
    body = TextAreaField(
        _l("Article text"), filters=[clean_body],
        description=_l("Markdown: ## for headings, * for lists, ``` for code, | for tables."),
        validators=[Length(max=MAX_BODY, message=_l(
            "Keep the article under %(max)d characters."))])
    category = StringField(_l("Category"), filters=[strip], validators=[
        Length(max=80, message=_l("Keep the category under 80 characters."))])
    tags = StringField(_l("Tags"), filters=[strip], description=_l("Separate tags with commas."),
                       validators=[Length(max=600, message=_l("Use fewer tags."))])
    language = SelectField(_l("Language"), default="en", choices=[
        SelectChoice(code, LANGUAGES[code]) for code in LANGUAGES])
    # Only when creating: afterwards publishing and archiving are buttons of their own.
    status = SelectField(_l("Status"), default=ArticleStatus.DRAFT.value, choices=[
        SelectChoice(s.value, STATUS_LABELS[s])
        for s in (ArticleStatus.DRAFT, ArticleStatus.PUBLISHED)])
    # Only when editing: goes into the revision history.
    note = StringField(_l("What changed?"), filters=[strip],
                       description=_l("A few words for the revision history (optional)."),
                       validators=[Length(max=300, message=_l(
                           "Keep the note under 300 characters."))])

    def values(self) -> dict:
        """The article fields as the service takes them."""
        return {"title": self.title.data, "summary": self.summary.data or "",
                "body": self.body.data or "", "category": self.category.data or "",
                "tags": self.tags.data or "", "language": self.language.data}


def article_values(article: Article) -> dict:
    """The editor's fields for an article. An automatic summary shows empty, so it keeps
    following the body rather than freezing at the first paragraph as it once was."""
    automatic = article.summary == summary_of(article.body)
    return {"title": article.title, "slug": article.slug, "body": article.body,
            "summary": "" if automatic else article.summary, "category": article.category,
            "tags": ", ".join(article.tags or []), "language": article.language}


def ticket_draft(ticket: Ticket) -> dict:
    """Title and body for an article from a solved ticket: the requester's answers as the
    question, the agents' public replies as the solution. Internal notes never go in."""
    locale = current_locale()
    # One list item per answer; a multi-line answer stays inside its item.
    question = [f"- **{display_text(a.label, locale)}** "
                + display_text(a.display, locale).strip().replace("\n", "\n  ")
                for a in ticket.answers]
    replies = [event.body.strip() for event in ticket.events
               if event.kind == EventKind.COMMENT and not event.internal
               and event.actor is not None and event.actor.is_agent
               and event.actor_id != ticket.requester_id and (event.body or "").strip()]
    body = ("## " + _("Question") + "\n\n" + ("\n".join(question) or ticket.title)
            + "\n\n## " + _("Solution") + "\n\n" + "\n\n".join(replies))
    return {"title": ticket.title[:200], "body": body.strip()}


class Move(NamedTuple):
    """A status button: where it leads, where it may start from, the button, the revision
    note and the message afterwards."""

    target: ArticleStatus
    starts: set
    button: str
    note: str
    message: str


D, P, A = ArticleStatus.DRAFT, ArticleStatus.PUBLISHED, ArticleStatus.ARCHIVED
MOVES = {
    "publish": Move(P, {D, A}, _l("Publish"), _l("Published"),
                    _l("“%(title)s” is published.")),
    "unpublish": Move(D, {P, A}, _l("Back to draft"), _l("Back to draft"),
                      _l("“%(title)s” is a draft again; readers no longer find it.")),
    "archive": Move(A, {D, P}, _l("Archive"), _l("Archived"),
                    _l("“%(title)s” is archived; readers no longer find it.")),
}


def slug_taken() -> str:
    return _("Another article already has this slug; choose another one.")


def slug_in_use(slug: str, article: Article | None) -> bool:
    query = select(Article.id).where(Article.slug == slug)
    if article is not None:
        query = query.where(Article.id != article.id)
    return db.session.scalar(query) is not None
